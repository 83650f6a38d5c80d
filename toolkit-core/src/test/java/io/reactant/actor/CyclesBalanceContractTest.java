package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** What {@link ActorSystem#topUp} and {@link ActorSystem#cyclesBalance} promise (rule R22). */
class CyclesBalanceContractTest {

  public interface Wallet {
    @Query
    Mono<Long> balance();
  }

  static final class WalletActor extends Actor implements Wallet {
    @Override
    public Mono<Long> balance() {
      return Mono.just(cyclesBalance());
    }
  }

  public interface Payee {
    /** Accepts every cycle attached, after waiting {@code wait} if positive; answers how many. */
    Mono<Long> take(boolean accept, Duration wait);
  }

  public interface Payer {
    Mono<Long> pay(Payee payee, long cycles, boolean accept, Duration wait);
  }

  static final class PayeeActor extends Actor implements Payee {
    private final DeterministicScheduler scheduler;

    PayeeActor(DeterministicScheduler scheduler) {
      this.scheduler = scheduler;
    }

    @Override
    public Mono<Long> take(boolean accept, Duration wait) {
      Mono<Long> taken = Mono.fromSupplier(() -> accept ? acceptCycles(Long.MAX_VALUE) : 0L);
      return wait.isZero() ? taken
          : await(Mono.delay(wait, scheduler)).then(Mono.defer(() -> taken));
    }
  }

  static final class PayerActor extends Actor implements Payer {
    @Override
    public Mono<Long> pay(Payee payee, long cycles, boolean accept, Duration wait) {
      return await(CallOptions.cycles(cycles).on(payee).take(accept, wait));
    }
  }

  @Test
  @DisplayName("R22 cycles accepted or refunded past Long.MAX_VALUE saturate the balance there"
      + " instead of wrapping it negative")
  void acceptedAndRefundedCyclesSaturate() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .initialBalance(100).build())) {
      Payee payee = system.spawn(Payee.class, ActorId.of("payee"), () -> new PayeeActor(scheduler));
      Payer payer = system.spawn(Payer.class, ActorId.of("payer"), PayerActor::new);
      system.topUp(ActorId.of("payee"), Long.MAX_VALUE - 110);

      assertThat(scheduler.await(payer.pay(payee, 40, true, Duration.ZERO))).isEqualTo(40L);
      assertThat(system.cyclesBalance(ActorId.of("payee"))).isEqualTo(Long.MAX_VALUE);
      assertThat(system.cyclesBalance(ActorId.of("payer"))).isEqualTo(60);

      Mono<Long> refused = payer.pay(payee, 40, false, Duration.ofSeconds(1));
      scheduler.runUntilIdle();                         // the 40 left the payer: 20 left
      assertThat(system.cyclesBalance(ActorId.of("payer"))).isEqualTo(20);
      system.topUp(ActorId.of("payer"), Long.MAX_VALUE - 30);
      scheduler.advanceTimeBy(Duration.ofSeconds(1));   // refunds the 40
      assertThat(scheduler.await(refused)).isZero();
      assertThat(system.cyclesBalance(ActorId.of("payer"))).isEqualTo(Long.MAX_VALUE);
    }
  }

  @Test
  @DisplayName("R22 a top-up adds to the committed balance every actor starts with, seen by the"
      + " actor, the system and its snapshot; a negative one, or one past Long.MAX_VALUE, is"
      + " refused and adds nothing")
  void topUpsAreBoundedAndCommittedAtOnce() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .initialBalance(100).build())) {
      Wallet wallet = system.spawn(Wallet.class, ActorId.of("w"), WalletActor::new);
      ActorId id = ActorId.of("w");
      assertThat(system.cyclesBalance(id)).isEqualTo(100);

      system.topUp(id, 50);
      assertThat(system.cyclesBalance(id)).isEqualTo(150);
      assertThat(wallet.balance().block()).isEqualTo(150L);
      assertThat(system.actor(id)).hasValueSatisfying(i -> assertThat(i.balance()).isEqualTo(150));

      assertThatThrownBy(() -> system.topUp(id, -1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
      assertThatThrownBy(() -> system.topUp(id, Long.MAX_VALUE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("past " + Long.MAX_VALUE);
      assertThat(system.cyclesBalance(id)).as("nothing added").isEqualTo(150);

      system.topUp(id, Long.MAX_VALUE - 150);
      assertThat(system.cyclesBalance(id)).isEqualTo(Long.MAX_VALUE);
      assertThatThrownBy(() -> system.topUp(id, 1)).isInstanceOf(IllegalArgumentException.class);
      system.topUp(id, 0);
      assertThat(system.cyclesBalance(id)).isEqualTo(Long.MAX_VALUE);
    }
  }

  @Test
  @DisplayName("R12a topping up or reading the balance of an actor that does not exist is code 3")
  void unknownActorIsCodeThree() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      ActorId nobody = ActorId.of("nobody");
      assertThatThrownBy(() -> system.topUp(nobody, 1)).isInstanceOfSatisfying(CallError.class,
          e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID));
      assertThatThrownBy(() -> system.cyclesBalance(nobody)).isInstanceOfSatisfying(
          CallError.class, e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID));
    }
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
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

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rule R22 on the pool: a call's refund lands on its sender's balance from the callee's thread,
 * whatever the sender is doing then; a turn of the sender running at that moment, which then
 * traps, rolls back its own changes to the balance, not the refund.
 */
class CallRefundRaceTest {

  private static void waitFor(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test did not open the latch in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public interface Vault {
    /** Waits for the test's latch, then accepts up to {@code take} and replies. */
    Mono<Long> takeWhenOpen(long take);
  }

  static final class VaultActor extends Actor implements Vault {
    private final CountDownLatch open;

    VaultActor(CountDownLatch open) {
      this.open = open;
    }

    @Override
    public Mono<Long> takeWhenOpen(long take) {
      waitFor(open);
      return Mono.just(acceptCycles(take));
    }
  }

  public interface Payer {
    /** Sends {@code vault.takeWhenOpen(take)} with {@code cycles}, without awaiting it. */
    Mono<Void> send(Vault vault, long cycles, long take);

    /**
     * Attaches {@code cycles} to a second call (tentatively), says it is running, waits for the
     * test, then traps.
     */
    Mono<Void> spendThenTrap(Vault vault, long cycles);
  }

  static final class PayerActor extends Actor implements Payer {
    private final CountDownLatch running;
    private final CountDownLatch release;

    PayerActor(CountDownLatch running, CountDownLatch release) {
      this.running = running;
      this.release = release;
    }

    @Override
    public Mono<Void> send(Vault vault, long cycles, long take) {
      CallOptions.cycles(cycles).on(vault).takeWhenOpen(take);
      return done();
    }

    @Override
    public Mono<Void> spendThenTrap(Vault vault, long cycles) {
      CallOptions.cycles(cycles).on(vault).takeWhenOpen(0);
      running.countDown();
      waitFor(release);
      return trap("spent " + cycles + ", then trapped");
    }
  }

  @Test
  @DisplayName("R22 R12 a refund that lands while its sender runs a turn that then traps stays in"
      + " the balance: the trap rolls back only what that turn spent")
  void aRefundDuringATrappedTurnStays() {
    CountDownLatch open = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2)
        .build())) {
      Vault vault = system.spawn(Vault.class, () -> new VaultActor(open));
      Payer payer = system.spawn(Payer.class, () -> new PayerActor(running, release));
      ActorId payerId = ActorRefs.idOf(payer);
      system.topUp(payerId, 1_000);
      payer.send(vault, 300, 100).block(Duration.ofSeconds(30)); // the vault now waits to open
      Mono<Void> trapping = payer.spendThenTrap(vault, 50).cache();
      trapping.subscribe(v -> { }, e -> { });
      waitFor(running); // the payer's turn runs, 50 spent tentatively
      assertThat(system.cyclesBalance(payerId)).isEqualTo(700L);
      open.countDown(); // the vault takes 100 and replies: 200 come back, during the payer's turn
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (system.cyclesBalance(payerId) != 900 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(system.cyclesBalance(payerId)).as("the refund landed").isEqualTo(900L);
      release.countDown();
      assertThatThrownBy(() -> trapping.block(Duration.ofSeconds(30)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
      assertThat(system.cyclesBalance(payerId)).as("the refund stays, the 50 come back")
          .isEqualTo(900L);
      assertThat(system.cyclesBalance(ActorRefs.idOf(vault))).isEqualTo(100L);
    }
  }
}

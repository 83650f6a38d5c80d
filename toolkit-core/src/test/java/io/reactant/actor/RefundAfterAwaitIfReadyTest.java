package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.call.CallOptions;
import io.reactant.scheduler.DeterministicScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Rules R14, R22: {@code cyclesRefunded()} after an {@code awaitIfReady} of a completed call. */
class RefundAfterAwaitIfReadyTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Bank {
    Mono<Long> deposit(long max);
  }

  static final class BankActor extends Actor implements Bank {
    @Override
    public Mono<Long> deposit(long max) {
      return Mono.just(acceptCycles(max));
    }
  }

  public interface Wallet {
    Mono<String> payThenAwaitIfReady(Bank bank);
  }

  static final class WalletActor extends Actor implements Wallet {
    @Override
    public Mono<String> payThenAwaitIfReady(Bank bank) {
      Mono<Long> paid = CallOptions.cycles(700).on(bank).deposit(500);
      Mono<Long> plain = CallOptions.cycles(10).on(bank).deposit(10); // replies after paid (R4)
      return await(plain)
          .map(accepted -> "first await refunded " + cyclesRefunded())
          .flatMap(first -> awaitIfReady(paid) // complete: continues in this turn
              .map(accepted -> first + ", await? refunded " + cyclesRefunded()));
    }
  }

  @Test
  @DisplayName("R14 R22 cyclesRefunded after an awaitIfReady of a completed call is that call's refund")
  void refundOfTheCallAwaitedLast() {
    Bank bank = system.spawn(Bank.class, BankActor::new);
    Wallet wallet = system.spawn(Wallet.class, WalletActor::new);
    system.topUp(ActorRefs.idOf(wallet), 1_000);
    assertThat(scheduler.await(wallet.payThenAwaitIfReady(bank)))
        .isEqualTo("first await refunded 0, await? refunded 200");
  }
}

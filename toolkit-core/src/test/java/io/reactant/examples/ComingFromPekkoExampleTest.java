package io.reactant.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The Reactant side of docs/coming-from-pekko.md: a wallet that pays a shop, which a Pekko typed
 * actor writes with {@code askWithStatus} and a private response message. The guide quotes
 * {@link WalletActor#pay} and {@link ShopActor#charge}; these tests check what it says of them.
 */
class ComingFromPekkoExampleTest {

  /** Takes payments up to 100 at a time. */
  public interface Shop {
    Mono<Void> charge(long amount);

    @Query
    Mono<Long> takings();
  }

  /** Pays shops from its balance and answers the balance left. */
  public interface Wallet {
    Mono<Long> pay(Shop shop, long amount);

    @Query
    Mono<Long> balance();
  }

  static final class ShopActor extends Actor implements Shop {
    private final LongVar takings;

    ShopActor(long takings) {
      this.takings = newLongVar("takings", takings);
    }

    @Override
    public Mono<Void> charge(long amount) {
      if (amount > 100) {
        return reject("over the limit");                      // code 4; a reject commits
      }
      takings.set(Math.addExact(takings.get(), amount));      // overflow: a trap, rolled back
      return done();
    }

    @Override
    public Mono<Long> takings() {
      return Mono.just(takings.get());
    }
  }

  static final class WalletActor extends Actor implements Wallet {
    private final LongVar balance;

    WalletActor(long initial) {
      this.balance = newLongVar("balance", initial);
    }

    @Override
    public Mono<Long> pay(Shop shop, long amount) {
      if (balance.get() < amount) {
        return reject("insufficient funds");
      }
      balance.add(-amount);                                   // committed at the await
      return await(shop.charge(amount))                       // other messages run meanwhile
          .then(Mono.fromSupplier(balance::get))              // a new turn of this actor
          .onErrorResume(CallError.class, e -> {
            balance.add(amount);                              // refund, committed by the reject
            return reject(e.rejectMessage());
          });
    }

    @Override
    public Mono<Long> balance() {
      return Mono.just(balance.get());
    }
  }

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());
  private final Shop shop = system.spawn(Shop.class, () -> new ShopActor(0));
  private final Wallet wallet = system.spawn(Wallet.class, () -> new WalletActor(150));

  @AfterEach
  void close() {
    system.close();
    scheduler.runUntilIdle();
  }

  private static void assertRejected(Runnable call, RejectCode code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.rejectMessage()).isEqualTo(message);
    });
  }

  @Test
  @DisplayName("the guide's run: a refused charge is refunded, a short balance is refused")
  void guideRun() {
    assertRejected(() -> scheduler.await(wallet.pay(shop, 120)),
        RejectCode.CANISTER_REJECT, "over the limit");
    assertThat(scheduler.await(wallet.pay(shop, 40))).isEqualTo(110L);
    assertRejected(() -> scheduler.await(wallet.pay(shop, 200)),
        RejectCode.CANISTER_REJECT, "insufficient funds");
    assertThat(scheduler.await(wallet.pay(shop, 40))).isEqualTo(70L);

    assertThat(wallet.balance().block()).isEqualTo(70L);
    assertThat(shop.takings().block()).isEqualTo(80L);
  }

  @Test
  @DisplayName("R9 a payment sent while another awaits its charge sees the debit already made")
  void concurrentPaymentsCannotOverspend() {
    Mono<Long> first = wallet.pay(shop, 100);       // debits 100, then awaits the shop
    Mono<Long> second = wallet.pay(shop, 100);      // runs in between: 50 left

    assertRejected(() -> scheduler.await(second), RejectCode.CANISTER_REJECT, "insufficient funds");
    assertThat(scheduler.await(first)).isEqualTo(50L);
    assertThat(shop.takings().block()).isEqualTo(100L);
  }

  @Test
  @DisplayName("R12 a trap in the shop rolls back its turn; the shop keeps its state and answers")
  void shopTrapRollsBackAndTheShopGoesOn() {
    Shop nearlyFull = system.spawn(Shop.class, () -> new ShopActor(Long.MAX_VALUE - 50));

    assertThat(scheduler.await(wallet.pay(nearlyFull, 40))).isEqualTo(110L);
    assertThatThrownBy(() -> scheduler.await(wallet.pay(nearlyFull, 40)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);   // the wallet's reject
          assertThat(e.rejectMessage())
              .endsWith(" trapped in Shop.charge(): ArithmeticException: long overflow");
        });

    assertThat(wallet.balance().block()).isEqualTo(110L);               // refunded
    assertThat(nearlyFull.takings().block()).isEqualTo(Long.MAX_VALUE - 10);
    assertThat(scheduler.await(wallet.pay(nearlyFull, 10))).isEqualTo(100L);
    assertThat(nearlyFull.takings().block()).isEqualTo(Long.MAX_VALUE);
  }

  /** Tops its balance up by a quote that another library answers as a {@code CompletionStage}. */
  public interface Purse {
    Mono<Long> topUp();

    @Query
    Mono<Long> balance();
  }

  static final class PurseActor extends Actor implements Purse {
    private final LongVar balance = newLongVar("balance", 0);
    private final Supplier<CompletionStage<Long>> quotes;   // a Pekko ask, an HTTP client...

    PurseActor(Supplier<CompletionStage<Long>> quotes) {
      this.quotes = quotes;
    }

    @Override
    public Mono<Long> topUp() {
      return await(Mono.fromCompletionStage(quotes.get()))   // the guide's pipeToSelf
          .map(quote -> {
            balance.add(quote);                               // a new turn, its state in scope
            return balance.get();
          });
    }

    @Override
    public Mono<Long> balance() {
      return Mono.just(balance.get());
    }
  }

  @Test
  @DisplayName("R13 the guide's pipeToSelf: awaiting Mono.fromCompletionStage, completed on another"
      + " thread, continues in a new turn of the actor, which writes its state")
  void awaitOfACompletionStageContinuesInATurn() throws Exception {
    CompletableFuture<Long> quote = new CompletableFuture<>();
    Purse purse = system.spawn(Purse.class, () -> new PurseActor(() -> quote));

    Mono<Long> toppedUp = purse.topUp();
    scheduler.runUntilIdle();                                 // the turn awaits the quote
    assertThat(toppedUp.toFuture()).isNotDone();
    Thread completer = new Thread(() -> quote.complete(25L));
    completer.start();
    completer.join();

    assertThat(scheduler.await(toppedUp)).isEqualTo(25L);
    assertThat(purse.balance().block()).isEqualTo(25L);
  }
}

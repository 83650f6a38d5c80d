package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The snippets of the README's "Concepts" section, compiled and run as they are printed there
 * (inside an interface and a class that the README leaves out), each asserting what the prose
 * around it claims.
 */
class ReadmeConceptsTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.withSeed(7);
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
    scheduler.runUntilIdle();
  }

  public interface Counter {
    Mono<Void> inc();

    @Query
    Mono<Long> read();

    /** The README's wrong bump: two awaits, so concurrent callers interleave between them. */
    Mono<Long> bumpWrong();

    /** The README's right bump: no await, one turn. */
    Mono<Long> bump();
  }

  static final class CounterActor extends Actor implements Counter {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Void> inc() {
      count.update(c -> c + 1);
      return done();
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(count.get());
    }

    @Override
    public Mono<Long> bumpWrong() {
      Counter self = self(Counter.class);
      return await(self.inc()).then(Mono.defer(() -> await(self.read())));
    }

    @Override
    public Mono<Long> bump() {
      count.update(c -> c + 1);
      return Mono.just(count.get());
    }
  }

  @Test
  @DisplayName("R3 the README's call order: a.write().then(a.read()) makes both calls at once, so"
      + " the query reads before the update ran; with Mono.defer it reads after it")
  void callsHappenWhereTheyAreWrittenNotWhereTheyAreSubscribed() {
    Counter a = system.spawn(Counter.class, CounterActor::new);

    assertThat(scheduler.await(a.inc().then(a.read()))).isZero();
    assertThat(scheduler.await(a.inc().then(Mono.defer(() -> a.read())))).isEqualTo(2L);
  }

  @Test
  @DisplayName("R9 the README's wrong bump: concurrent callers interleave between its two awaits"
      + " and several read the same value; R8 the right one, one turn, gives each its own")
  void wrongBumpReadsTheSameValueTheRightOneDoesNot() {
    Counter wrong = system.spawn(Counter.class, CounterActor::new);
    Counter right = system.spawn(Counter.class, CounterActor::new);
    List<Mono<Long>> wrongs = new ArrayList<>();
    List<Mono<Long>> rights = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      wrongs.add(wrong.bumpWrong());
      rights.add(right.bump());
    }
    List<Long> wrongValues = new ArrayList<>();
    List<Long> rightValues = new ArrayList<>();
    wrongs.forEach(f -> wrongValues.add(scheduler.await(f)));
    rights.forEach(f -> rightValues.add(scheduler.await(f)));

    assertThat(new HashSet<>(wrongValues)).as("several callers read the same value")
        .hasSizeLessThan(10);
    assertThat(wrong.read().block()).as("every increment still counted").isEqualTo(10L);
    assertThat(rightValues).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
  }

  public interface Account {
    Mono<Boolean> transfer(Account to, long amount);

    /** The README's transfer with its await left out: a mistake. */
    Mono<Boolean> transferWithoutAwait(Account to, long amount);

    Mono<Void> credit(long amount);

    Mono<List<String>> callersOf(List<Account> accounts);

    Mono<String> whoCalls();

    @Query
    Mono<Long> balance();
  }

  static final class AccountActor extends Actor implements Account {
    private final Var<Long> balance;
    private final boolean open;

    AccountActor(long initial, boolean open) {
      this.balance = newVar("balance", initial);
      this.open = open;
    }

    // --8<-- [start:transfer]
    @Override
    public Mono<Boolean> transfer(Account to, long amount) {
      if (balance.get() < amount) return reject("insufficient funds");
      balance.update(b -> b - amount);                         // committed at the await
      return await(to.credit(amount)).thenReturn(true)
          .onErrorResume(CallError.class, e -> {               // in the next turn
            balance.update(b -> b + amount);                   // refund
            return Mono.just(false);
          });
    }
    // --8<-- [end:transfer]

    @Override
    public Mono<Boolean> transferWithoutAwait(Account to, long amount) {
      if (balance.get() < amount) return reject("insufficient funds");
      balance.update(b -> b - amount);
      return to.credit(amount).thenReturn(true)
          .onErrorResume(CallError.class, e -> {
            balance.update(b -> b + amount);
            return Mono.just(false);
          });
    }

    @Override
    public Mono<Void> credit(long amount) {
      if (!open) {
        return reject("account closed");
      }
      balance.update(b -> b + amount);
      return done();
    }

    @Override
    public Mono<List<String>> callersOf(List<Account> accounts) {
      return await(Flux.fromIterable(accounts).flatMap(a -> a.whoCalls(), Integer.MAX_VALUE)
          .collectList());
    }

    @Override
    public Mono<String> whoCalls() {
      return Mono.just(caller().toString());
    }

    @Override
    public Mono<Long> balance() {
      return Mono.just(balance.get());
    }
  }

  @Test
  @DisplayName("R9 R12b the README's transfer: the debit commits at the await, a failed credit is"
      + " refunded in the next turn, and too large an amount is rejected (code 4) unchanged")
  void readmeTransferDebitsAndRefunds() {
    Account from = system.spawn(Account.class, () -> new AccountActor(100, true));
    Account to = system.spawn(Account.class, () -> new AccountActor(0, true));
    Account closed = system.spawn(Account.class, () -> new AccountActor(0, false));

    assertThat(scheduler.await(from.transfer(to, 30))).isTrue();
    assertThat(scheduler.await(from.transfer(closed, 20))).as("refunded").isFalse();
    Mono<Boolean> tooMuch = from.transfer(to, 500);
    assertThatThrownBy(() -> scheduler.await(tooMuch)).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT));

    assertThat(List.of(from.balance().block(), to.balance().block(), closed.balance().block()))
        .containsExactly(70L, 30L, 0L);
  }

  @Test
  @DisplayName("R1 R12 the README's transfer without its await: the refund runs where the reply"
      + " comes from, outside the actor, so its write is refused (a trap) and the debit stays;"
      + " only a failed credit shows it: one that succeeds answers true, as the right one does")
  void transferWithoutTheAwaitLosesTheRefund() {
    Account from = system.spawn(Account.class, () -> new AccountActor(100, true));
    Account open = system.spawn(Account.class, () -> new AccountActor(0, true));
    Account closed = system.spawn(Account.class, () -> new AccountActor(0, false));

    assertThat(scheduler.await(from.transferWithoutAwait(open, 30))).as("no sign of the mistake")
        .isTrue();
    Mono<Boolean> transfer = from.transferWithoutAwait(closed, 20);
    assertThatThrownBy(() -> scheduler.await(transfer)).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR))
        .hasMessageContaining("IsolationException");

    assertThat(List.of(from.balance().block(), open.balance().block()))
        .as("debited, never refunded").containsExactly(50L, 30L);
  }

  @Test
  @DisplayName("R4 R21 the README's fan-out: the calls of a flatMap with a concurrency no fan-out"
      + " exceeds, awaited as one Mono, all come from the actor")
  void awaitedFanOutCallsComeFromTheActor() {
    Account asker = system.spawn(Account.class, () -> new AccountActor(0, true));
    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      accounts.add(system.spawn(Account.class, () -> new AccountActor(0, true)));
    }

    List<String> callers = scheduler.await(asker.callersOf(accounts));

    assertThat(callers).hasSize(300).containsOnly(Caller.actor(ActorRefs.idOf(asker)).toString());
  }
}

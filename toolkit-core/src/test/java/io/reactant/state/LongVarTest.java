package io.reactant.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.error.IsolationException;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** LongVar: a transactional {@code long}, with the rules of every state cell. */
class LongVarTest {

  public interface Balance {
    /** Adds {@code amount} twice over (add, then update, then set), then traps if asked. */
    Mono<List<Long>> deposit(long amount, boolean trap);

    Mono<LongVar> leak();

    /** Adds each delta in turn with {@code add}; returns the sums. */
    Mono<List<Long>> addAll(List<Long> deltas);

    @Query
    Mono<Long> balance();

    /** A query that writes, reads its write, and returns it. */
    @Query
    Mono<Long> scribble(long value);
  }

  static final class BalanceActor extends Actor implements Balance {
    private final LongVar balance = newLongVar("balance", 100);

    BalanceActor() {
      balance.add(5); // the initializer's writes are the initial state
    }

    @Override
    public Mono<List<Long>> deposit(long amount, boolean trap) {
      List<Long> seen = new ArrayList<>();
      seen.add(balance.add(amount));
      seen.add(balance.update(b -> b + amount));
      balance.set(balance.get() - amount);
      seen.add(balance.get());
      if (trap) {
        return trap("rolled back on purpose");
      }
      return Mono.just(seen);
    }

    @Override
    public Mono<List<Long>> addAll(List<Long> deltas) {
      List<Long> sums = new ArrayList<>();
      for (long delta : deltas) {
        sums.add(balance.add(delta));
      }
      return Mono.just(sums);
    }

    @Override
    public Mono<LongVar> leak() {
      return Mono.just(balance);
    }

    @Override
    public Mono<Long> balance() {
      return Mono.just(balance.get());
    }

    @Override
    public Mono<Long> scribble(long value) {
      balance.set(value);
      return Mono.just(balance.get());
    }
  }

  @Test
  @DisplayName("R6 a LongVar's writes are read back by their turn and committed with it")
  void writesAreTentativeThenCommitted() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Balance b = system.spawn(Balance.class, BalanceActor::new);
      assertThat(b.balance().block()).isEqualTo(105L);
      assertThat(scheduler.await(b.deposit(10, false))).containsExactly(115L, 125L, 115L);
      assertThat(b.balance().block()).isEqualTo(115L);
    }
  }

  @Test
  @DisplayName("R12 an overflowing LongVar.add traps the turn and rolls it back, as Motoko's fixed-width arithmetic does")
  void overflowingAddTraps() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Balance b = system.spawn(Balance.class, BalanceActor::new);
      assertThatThrownBy(() -> scheduler.await(b.deposit(Long.MAX_VALUE, false)))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("LongVar 'balance'")
                .contains("adding 9223372036854775807 to 105 overflows a long");
          });
      assertThat(b.balance().block()).isEqualTo(105L);
      assertThat(scheduler.await(b.deposit(-105, false))).containsExactly(0L, -105L, 0L);
    }
  }

  @Test
  @DisplayName("R12 LongVar.add reaches Long.MIN_VALUE and Long.MAX_VALUE exactly; one step past"
      + " either traps and rolls the turn back")
  void addAtTheEdges() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Balance b = system.spawn(Balance.class, BalanceActor::new);
      long max = Long.MAX_VALUE;
      long min = Long.MIN_VALUE;
      assertThat(scheduler.await(b.addAll(List.of(-105L, min, max, 1L, max, min))))
          .containsExactly(0L, min, -1L, 0L, max, -1L);
      // from -1: one step below MIN_VALUE, or above MAX_VALUE, after reaching it exactly or not
      for (List<Long> past : List.of(List.of(min), List.of(min + 1, -1L), List.of(max, 2L),
          List.of(max, 1L, 1L), List.of(2L, max))) {
        assertThatThrownBy(() -> scheduler.await(b.addAll(past)))
            .isInstanceOfSatisfying(CallError.class, e -> {
              assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
              assertThat(e.rejectMessage()).contains("overflows a long");
            });
        assertThat(b.balance().block()).as("after %s", past).isEqualTo(-1L);
      }
    }
  }

  @Test
  @DisplayName("R12 a trap rolls back a LongVar's writes")
  void trapRollsBack() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Balance b = system.spawn(Balance.class, BalanceActor::new);
      scheduler.await(b.deposit(10, false));
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> scheduler.await(b.deposit(1_000, true)))
            .isInstanceOfSatisfying(CallError.class,
                e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
        assertThat(b.balance().block()).isEqualTo(115L);
      }
      assertThat(scheduler.await(b.deposit(1, false))).containsExactly(116L, 117L, 116L);
    }
  }

  @Test
  @DisplayName("R19 a query reads a LongVar's committed value, and its own write is discarded")
  void queryWritesAreDiscarded() {
    try (ActorSystem system = ActorSystem.create()) {
      Balance b = system.spawn(Balance.class, BalanceActor::new);
      assertThat(b.scribble(-7).block()).isEqualTo(-7L);
      assertThat(b.balance().block()).isEqualTo(105L);
    }
  }

  @Test
  @DisplayName("R1 a LongVar read or written outside its actor's turns fails at once, naming it")
  void isolation() {
    try (ActorSystem system = ActorSystem.create()) {
      Balance b = system.spawn(Balance.class, BalanceActor::new);
      LongVar leaked = b.leak().block();
      assertThatThrownBy(leaked::get).isInstanceOf(IsolationException.class)
          .hasMessageContaining("State 'balance'").hasMessageContaining("was read outside any actor");
      assertThatThrownBy(() -> leaked.set(1)).isInstanceOf(IsolationException.class)
          .hasMessageContaining("was written outside any actor");
      assertThat(b.balance().block()).isEqualTo(105L);
      assertThat(leaked.toString()).startsWith("LongVar[balance of ");
    }
  }

  @Test
  @DisplayName("R2 R12 R19 under contention a LongVar counts every committed deposit, and queries never go back")
  void contention() throws Exception {
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Balance b = system.spawn(Balance.class, BalanceActor::new);
      AtomicLong committed = new AtomicLong();
      AtomicInteger wrong = new AtomicInteger();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread reader = new Thread(() -> {
        long last = 0;
        while (running.get()) {
          long now = b.balance().block();
          if (now < last || (now - 105) % 3 != 0) {
            wrong.incrementAndGet(); // committed deposits add 3; a trapped one's 1 must never show
          }
          last = now;
        }
      });
      reader.start();
      int threads = 6;
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        Thread writer = new Thread(() -> {
          try {
            start.await();
            Mono<?> last = Mono.empty();
            for (int i = 0; i < 2_000; i++) {
              boolean trap = (i + seed) % 5 == 0;
              Mono<List<Long>> call = b.deposit(trap ? 1 : 3, trap);
              if (trap) {
                call.subscribe(null, e -> { });
              } else {
                committed.addAndGet(3);
                last = call;
              }
            }
            last.block();
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        writers.add(writer);
        writer.start();
      }
      for (Thread writer : writers) {
        writer.join();
      }
      running.set(false);
      reader.join();
      assertThat(failure.get()).isNull();
      assertThat(wrong).hasValue(0);
      // every caller awaited its last call; the trapping calls queued before it ran before it
      assertThat(b.balance().block()).isEqualTo(105L + committed.get());
    }
  }
}

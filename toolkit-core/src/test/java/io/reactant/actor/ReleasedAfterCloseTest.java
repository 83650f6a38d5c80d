package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.call.CallOptions;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.scheduler.WorkStealingScheduler;
import io.reactant.state.LongVar;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * What a closed actor system lets go: its threads end and nothing of the JVM's (a pool thread's
 * slots, the watchdog, a thread-local, a scheduler's queue) keeps it, its actors or what they
 * held reachable, whatever was in flight when it closed: timers, calls suspended at an await,
 * bounded waits, queries still waiting.
 */
class ReleasedAfterCloseTest {

  public interface Holder {
    /** Sets a one-shot and a recurring timer due in an hour, then awaits {@code never}. */
    Mono<Long> hold(Mono<Long> never);

    /** Answers how many calls to {@link #hold} have run their first turn. */
    Mono<Long> held();

    @Query
    Mono<Long> waitFor(Mono<Long> never);
  }

  static final class HolderActor extends Actor implements Holder {
    private final LongVar held = newLongVar("held", 0);

    @Override
    public Mono<Long> hold(Mono<Long> never) {
      setTimer(Duration.ofHours(1), () -> Mono.fromRunnable(() -> held.add(1)));
      recurringTimer(Duration.ofHours(1), () -> Mono.fromRunnable(() -> held.add(1)));
      held.add(1);
      return await(never);
    }

    @Override
    public Mono<Long> held() {
      return Mono.just(held.get());
    }

    @Override
    public Mono<Long> waitFor(Mono<Long> never) {
      return never;
    }
  }

  @Test
  @DisplayName("R22 R25 a system on its own pool, closed with timers, suspended calls, bounded waits"
      + " and a query in flight, ends its threads and is collected with its actors")
  void aSystemOnItsOwnPoolIsLetGo() throws InterruptedException {
    String name = "released-own";
    Reference<?>[] refs = runAndClose(ActorSystemConfig.builder().name(name)
        .parallelism(2).shutdownGracePeriod(Duration.ZERO), null);
    // the shutdown has ended: the pool's threads and its timer thread end on their own
    for (Thread t : threadsNamed(name)) {
      t.join(10_000);
      assertThat(t.isAlive()).as("%s ended", t.getName()).isFalse();
    }
    assertCollected(refs);
  }

  @Test
  @DisplayName("R22 R25 a system on a pool the application shares, closed with work in flight, is"
      + " collected while the pool's threads live on")
  void aSystemOnASharedPoolIsLetGo() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("released-shared", 2);
    try {
      Reference<?>[] refs = runAndClose(ActorSystemConfig.builder().name("released-first")
          .scheduler(pool).shutdownGracePeriod(Duration.ZERO), null);
      assertCollected(refs);
    } finally {
      pool.dispose();
    }
  }

  @Test
  @DisplayName("R22 R25 a system on a deterministic scheduler, whose turns ran on the test's"
      + " thread, is collected once closed while the test keeps the scheduler (its cancelled"
      + " timers and bounded waits held the system until due)")
  void aSystemOnADeterministicSchedulerIsLetGo() throws InterruptedException {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Reference<?>[] refs = runAndClose(ActorSystemConfig.builder().name("released-clock")
        .scheduler(scheduler).shutdownGracePeriod(Duration.ZERO), scheduler);
    assertThat(scheduler.delayedTasks()).as("nothing left on the clock").isZero();
    assertCollected(refs);
  }

  /**
   * Runs traffic on a system built from {@code config}, leaves work in flight (two calls suspended
   * at an await, one with an hour's bounded wait; a one-shot and a recurring timer due in an
   * hour, twice; a query with an hour's bound waiting), shuts it down and returns weak references
   * to the system, an actor reference and the argument of the suspended calls.
   */
  private static Reference<?>[] runAndClose(ActorSystemConfig.Builder config,
      @Nullable DeterministicScheduler clock) {
    ActorSystem system = ActorSystem.create(config.build());
    Holder holder = system.spawn(Holder.class, HolderActor::new);
    Sinks.One<Long> never = Sinks.one();
    Mono<Long> argument = never.asMono();
    List<Mono<Long>> calls = new ArrayList<>();
    calls.add(holder.hold(argument));
    calls.add(CallOptions.timeout(Duration.ofHours(1)).on(holder).hold(argument));
    calls.forEach(c -> c.subscribe(v -> { }, e -> { }));
    Mono<Long> query = CallOptions.timeout(Duration.ofHours(1)).on(holder).waitFor(argument);
    query.subscribe(v -> { }, e -> { });
    if (clock != null) {
      clock.runUntilIdle();
      assertThat(clock.await(holder.held())).as("both calls suspended").isEqualTo(2L);
    } else {
      // the mailbox is FIFO per sender: both calls have run their first turn
      assertThat(holder.held().block(Duration.ofSeconds(30))).as("both calls suspended")
          .isEqualTo(2L);
    }
    Reference<?>[] refs = {new WeakReference<>(system, QUEUE), new WeakReference<>(holder, QUEUE),
        new WeakReference<>(argument, QUEUE)};
    Mono<Void> down = system.shutdown(Duration.ZERO);
    if (clock != null) {
      clock.runUntilIdle();
      assertThat(down.toFuture()).isCompleted();
    } else {
      // not close(), which returns at once on a pool the system does not own
      down.block(Duration.ofSeconds(30));
    }
    system.close(); // closed already: changes nothing
    return refs;
  }

  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();

  /** Collects until each of {@code refs} is cleared, for at most ~10 s. */
  private static void assertCollected(Reference<?>... refs) throws InterruptedException {
    for (int i = 0; i < 100 && !allCleared(refs); i++) {
      System.gc();
      QUEUE.remove(100);
    }
    assertThat(refs).as("the system, its actor, a suspended call's argument")
        .allSatisfy(r -> assertThat(r.get()).isNull());
  }

  private static boolean allCleared(Reference<?>[] refs) {
    for (Reference<?> r : refs) {
      if (r.get() != null) {
        return false;
      }
    }
    return true;
  }

  private static List<Thread> threadsNamed(String prefix) {
    List<Thread> found = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix)) {
        found.add(t);
      }
    }
    return found;
  }
}

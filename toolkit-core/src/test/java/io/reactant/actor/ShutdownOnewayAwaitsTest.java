package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * What the end of a shutdown does with the awaits that no call it answers reaches: those a oneway
 * left pending, and those a call answered already left (an await the method subscribed itself and
 * did not return). They are cancelled as the awaits of the calls suspended at the end of the grace
 * period are: in the actor's context, in a turn that changes nothing, with the context the call
 * carried restored, so that nothing they awaited holds the stopped actor.
 */
class ShutdownOnewayAwaitsTest {

  public interface Notes {
    void note(String text);
  }

  static final class NotesActor extends Actor implements Notes {
    private final AtomicInteger received;

    NotesActor(AtomicInteger received) {
      this.received = received;
    }

    @Override
    public void note(String text) {
      received.incrementAndGet();
    }
  }

  public interface Waiter {
    /** A oneway: counts itself, then awaits {@code gate}; its continuation counts. */
    void hold(Mono<String> gate);

    /** Counts itself, awaits {@code gate} without returning that await, and answers at once. */
    Mono<String> holdAndAnswer(Mono<String> gate);

    /** As {@link #holdAndAnswer}, but then awaits {@code step} and traps after it. */
    Mono<String> holdThenTrap(Mono<String> gate, Mono<String> step);

    /** Awaits {@code gate} and answers what it gives. */
    Mono<String> pass(Mono<String> gate);
  }

  /** What the cleanup of an await saw: the committed count, the carried trace, its thread. */
  record Seen(long holds, @Nullable String trace, Thread thread) {
  }

  static final class WaiterActor extends Actor implements Waiter {
    private final LongVar holds = newLongVar("holds", 0);
    private final Notes notes;
    private final List<Seen> cleanups;
    private final AtomicInteger continuations;

    WaiterActor(Notes notes, List<Seen> cleanups, AtomicInteger continuations) {
      this.notes = notes;
      this.cleanups = cleanups;
      this.continuations = continuations;
    }

    /** {@code gate}, whose cancellation reads and writes the state and sends a note. */
    private Mono<String> watched(Mono<String> gate) {
      return gate.doOnCancel(() -> {
        long seen = holds.get();
        holds.add(100); // rolled back: the cleanup changes nothing
        notes.note("cleanup"); // revoked
        cleanups.add(new Seen(seen, ContextPropagationTest.TRACE.get(), Thread.currentThread()));
      });
    }

    @Override
    public void hold(Mono<String> gate) {
      holds.add(1);
      await(watched(gate)).subscribe(g -> continuations.incrementAndGet());
    }

    @Override
    public Mono<String> holdAndAnswer(Mono<String> gate) {
      holds.add(1);
      await(watched(gate)).subscribe(g -> continuations.incrementAndGet());
      return Mono.just("answered");
    }

    @Override
    public Mono<String> holdThenTrap(Mono<String> gate, Mono<String> step) {
      holds.add(1);
      await(watched(gate)).subscribe(g -> continuations.incrementAndGet());
      return await(step).map(s -> trap("after the step"));
    }

    @Override
    public Mono<String> pass(Mono<String> gate) {
      return await(watched(gate));
    }
  }

  /** A system, its waiter, and what the test reads of them. */
  static final class Fixture {
    final DeterministicScheduler scheduler = DeterministicScheduler.create();
    final List<Seen> cleanups = new CopyOnWriteArrayList<>();
    final AtomicInteger continuations = new AtomicInteger();
    final AtomicInteger notesReceived = new AtomicInteger();
    /** The codes with which the notes sent were rejected (a revoked send: 1, SYS_FATAL). */
    final List<RejectCode> notesRejected = new CopyOnWriteArrayList<>();
    final ActorSystem system;
    final Waiter waiter;

    Fixture(@Nullable ContextPropagation propagation) {
      ActorSystemConfig.Builder config = ActorSystemConfig.builder().name("lingering")
          .scheduler(scheduler).listener(new TurnListener() {
            @Override
            public void callRejected(ActorId actor, Class<?> type, String method,
                RejectCode code) {
              if (method.equals("note")) {
                notesRejected.add(code);
              }
            }
          });
      if (propagation != null) {
        config.contextPropagation(propagation);
      }
      system = ActorSystem.create(config.build());
      Notes notes = system.spawn(Notes.class, () -> new NotesActor(notesReceived));
      waiter = system.spawn(Waiter.class, () -> new WaiterActor(notes, cleanups, continuations));
    }

    ActorInfo waiterInfo() {
      return system.actor(ActorRefs.idOf(waiter)).orElseThrow();
    }
  }

  private static AtomicReference<Object> outcome(Mono<?> f) {
    AtomicReference<Object> result = new AtomicReference<>();
    f.subscribe(result::set, result::set, () -> result.compareAndSet(null, "completed"));
    return result;
  }

  @Test
  @DisplayName("R3 R13 at the end of a shutdown, the awaits that oneways left pending are cancelled:"
      + " the sinks they awaited lose their subscriber, and the cleanup runs once each, in the"
      + " actor's context, in a turn that changes nothing (its write rolled back, its send revoked)")
  void theAwaitsOnewaysLeftPendingAreCancelledAtTheEndOfAShutdown() {
    Fixture f = new Fixture(null);
    Sinks.One<String> first = Sinks.one();
    Sinks.One<String> second = Sinks.one();
    f.waiter.hold(first.asMono());
    f.waiter.hold(second.asMono());
    f.scheduler.runUntilIdle();
    assertThat(first.currentSubscriberCount()).as("awaited").isEqualTo(1);
    assertThat(second.currentSubscriberCount()).as("awaited").isEqualTo(1);
    assertThat(f.waiterInfo().suspendedCalls()).as("no call waits to be answered").isZero();
    assertThat(f.system.busyActors()).as("a lingering oneway is no work a shutdown waits for")
        .isZero();

    AtomicReference<Object> shutdown = outcome(f.system.shutdown(Duration.ofSeconds(10)));

    assertThat(shutdown.get()).as("nothing to wait for: it ends at once").isEqualTo("completed");
    assertThat(first.currentSubscriberCount()).isZero();
    assertThat(second.currentSubscriberCount()).isZero();
    assertThat(f.cleanups).as("each cleanup saw the committed count only, not the other's write")
        .extracting(Seen::holds).containsExactly(2L, 2L);
    assertThat(f.cleanups).extracting(Seen::thread).containsOnly(Thread.currentThread());
    assertThat(f.notesRejected).as("the cleanups' sends were revoked")
        .containsExactly(RejectCode.SYS_FATAL, RejectCode.SYS_FATAL);
    f.scheduler.advanceTimeBy(Duration.ofMinutes(1));
    assertThat(f.cleanups).as("once each").hasSize(2);
    assertThat(f.notesReceived.get()).isZero();
    assertThat(f.continuations.get()).isZero();
  }

  @Test
  @DisplayName("R13 the cleanup of a oneway's pending await at the end of a shutdown runs in the"
      + " context the oneway carried from its sender, and the thread's own is put back")
  void theCleanupOfAOnewaysAwaitSeesTheContextTheOnewayCarried() {
    Fixture f = new Fixture(new ContextPropagationTest.FakePropagation(true));
    Sinks.One<String> gate = Sinks.one();
    ContextPropagationTest.TRACE.set("alice");
    try {
      f.waiter.hold(gate.asMono());
    } finally {
      ContextPropagationTest.TRACE.remove();
    }
    f.scheduler.runUntilIdle();
    ContextPropagationTest.TRACE.set("host");
    try {
      f.system.shutdown(Duration.ofSeconds(1));
      f.scheduler.advanceTimeBy(Duration.ofSeconds(1));

      assertThat(f.cleanups).singleElement().satisfies(seen -> {
        assertThat(seen.trace()).isEqualTo("alice");
        assertThat(seen.holds()).isEqualTo(1);
      });
      assertThat(ContextPropagationTest.TRACE.get()).as("the host's own, put back").isEqualTo("host");
      assertThat(gate.currentSubscriberCount()).isZero();
    } finally {
      ContextPropagationTest.TRACE.remove();
    }
  }

  @Test
  @DisplayName("R3 R13 a oneway whose await completes within the grace period continues normally;"
      + " one still waiting at its end is cancelled with the suspended calls, before the"
      + " shutdown's future completes")
  void aOnewayWhoseAwaitCompletesWithinTheGracePeriodContinues() {
    Fixture f = new Fixture(null);
    Sinks.One<String> opened = Sinks.one();
    Sinks.One<String> never = Sinks.one();
    Sinks.One<String> held = Sinks.one();
    f.waiter.hold(opened.asMono());
    f.waiter.hold(never.asMono());
    AtomicReference<Object> call = outcome(f.waiter.pass(held.asMono()));
    f.scheduler.runUntilIdle();
    AtomicReference<Object> shutdown = outcome(f.system.shutdown(Duration.ofMinutes(1)));

    opened.tryEmitValue("open");
    f.scheduler.runUntilIdle();

    assertThat(f.continuations.get()).as("it continued within the grace period").isEqualTo(1);
    assertThat(f.cleanups).as("nothing cancelled yet").isEmpty();
    assertThat(never.currentSubscriberCount()).isEqualTo(1);
    assertThat(shutdown.get()).as("it waits for the suspended call").isNull();

    f.scheduler.advanceTimeBy(Duration.ofMinutes(1));

    assertThat(call.get()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(never.currentSubscriberCount()).isZero();
    assertThat(held.currentSubscriberCount()).isZero();
    assertThat(f.cleanups).as("the oneway's and the call's awaits, once each").hasSize(2);
    assertThat(f.continuations.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("R3 R13 an await a call left pending when it answered (one its method subscribed"
      + " itself) is cancelled at the end of a shutdown, as a oneway's is")
  void anAwaitACallAnsweredAlreadyLeftPendingIsCancelled() {
    Fixture f = new Fixture(null);
    Sinks.One<String> gate = Sinks.one();
    AtomicReference<Object> call = outcome(f.waiter.holdAndAnswer(gate.asMono()));
    f.scheduler.runUntilIdle();
    assertThat(call.get()).isEqualTo("answered");
    assertThat(gate.currentSubscriberCount()).isEqualTo(1);

    AtomicReference<Object> shutdown = outcome(f.system.shutdown(Duration.ofSeconds(10)));

    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(gate.currentSubscriberCount()).isZero();
    assertThat(f.cleanups).extracting(Seen::holds).containsExactly(1L);
    assertThat(f.notesRejected).containsExactly(RejectCode.SYS_FATAL);
  }

  @Test
  @DisplayName("R3 R12 R13 an await that an earlier turn of a call left pending, the call then"
      + " answered by a trap, is cancelled at the end of a shutdown (the trap cancels only the"
      + " method's Mono and its own turn's awaits)")
  void anAwaitACallTrappedLaterLeftPendingIsCancelled() {
    Fixture f = new Fixture(null);
    Sinks.One<String> gate = Sinks.one();
    Sinks.One<String> step = Sinks.one();
    AtomicReference<Object> call = outcome(f.waiter.holdThenTrap(gate.asMono(), step.asMono()));
    f.scheduler.runUntilIdle();
    step.tryEmitValue("step");
    f.scheduler.runUntilIdle();
    assertThat(call.get()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThat(gate.currentSubscriberCount()).as("left by the trap").isEqualTo(1);

    AtomicReference<Object> shutdown = outcome(f.system.shutdown(Duration.ofSeconds(10)));

    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(gate.currentSubscriberCount()).isZero();
    assertThat(f.cleanups).extracting(Seen::holds).containsExactly(1L);
  }

  @Test
  @DisplayName("R13 R22 an await of a call that its caller's bounded wait answered with code 6 is"
      + " cancelled at the end of the grace period: the call still runs, and is answered (again,"
      + " unseen) and let go then")
  void anAwaitOfACallTimedOutByItsCallerIsCancelledAtTheEndOfTheGracePeriod() {
    Fixture f = new Fixture(null);
    Sinks.One<String> gate = Sinks.one();
    AtomicReference<Object> call =
        outcome(CallOptions.timeout(Duration.ofSeconds(1)).on(f.waiter).pass(gate.asMono()));
    f.scheduler.runUntilIdle();
    f.scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(call.get()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
    assertThat(gate.currentSubscriberCount()).isEqualTo(1);

    AtomicReference<Object> shutdown = outcome(f.system.shutdown(Duration.ofSeconds(10)));
    f.scheduler.advanceTimeBy(Duration.ofSeconds(10));

    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(gate.currentSubscriberCount()).isZero();
    assertThat(f.cleanups).hasSize(1);
  }

  public interface Latched {
    /**
     * A oneway: awaits {@code gate}, then counts {@code awaited} down; its cancellation counts
     * {@code cleanups} up, then {@code cancelled} down once the gate was let go.
     */
    void hold(Mono<String> gate, CountDownLatch awaited, AtomicInteger cleanups,
        CountDownLatch cancelled);
  }

  static final class LatchedActor extends Actor implements Latched {
    @Override
    public void hold(Mono<String> gate, CountDownLatch awaited, AtomicInteger cleanups,
        CountDownLatch cancelled) {
      // counted down once the sink was let go, which follows the doOnCancel hook
      await(gate.doOnCancel(cleanups::incrementAndGet).doFinally(s -> cancelled.countDown()))
          .subscribe();
      awaited.countDown(); // the turn may still be running as the shutdown begins
    }
  }

  /**
   * {@code count} actors of a pool, each holding a oneway whose await of its own {@code Sinks.one}
   * is pending: what the two pool tests below share.
   */
  private static final class HeldOneways {
    private final int count;
    private final CountDownLatch awaited;
    private final CountDownLatch cancelled;
    private final AtomicInteger cleanups = new AtomicInteger();
    private final List<Sinks.One<String>> gates = new CopyOnWriteArrayList<>();

    HeldOneways(ActorSystem system, int count) {
      this.count = count;
      this.awaited = new CountDownLatch(count);
      this.cancelled = new CountDownLatch(count);
      for (int i = 0; i < count; i++) {
        Latched latched = system.spawn(Latched.class, LatchedActor::new);
        Sinks.One<String> gate = Sinks.one();
        gates.add(gate);
        latched.hold(gate.asMono(), awaited, cleanups, cancelled);
      }
    }

    void awaitTheirTurns() throws InterruptedException {
      assertThat(awaited.await(30, TimeUnit.SECONDS)).as("every oneway's turn ran").isTrue();
    }

    void assertEachAwaitCancelledOnce() throws InterruptedException {
      assertThat(cancelled.await(30, TimeUnit.SECONDS)).as("every await cancelled").isTrue();
      assertThat(cleanups.get()).as("once each").isEqualTo(count);
      assertThat(gates).allSatisfy(g -> assertThat(g.currentSubscriberCount()).isZero());
    }
  }

  @Test
  @DisplayName("R3 R13 on the system's pool, oneways whose turns race the shutdown (running, or just"
      + " ended, as it ends at once) still have their pending awaits cancelled, each once")
  void onThePoolOnewaysRacingTheShutdownHaveTheirAwaitsCancelled() throws InterruptedException {
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("pool").build());
    HeldOneways held = new HeldOneways(system, 64);
    held.awaitTheirTurns();

    system.shutdown(Duration.ofSeconds(30)).block(Duration.ofSeconds(60));

    held.assertEachAwaitCancelledOnce();
    system.close();
  }

  public interface Passer {
    /** Awaits {@code gate}, then answers what it gave; counts {@code started} down in its turn. */
    Mono<String> pass(Mono<String> gate, CountDownLatch started);
  }

  static final class PasserActor extends Actor implements Passer {
    @Override
    public Mono<String> pass(Mono<String> gate, CountDownLatch started) {
      started.countDown(); // the call started: a shutdown that begins now waits for it
      return await(gate);
    }
  }

  @Test
  @DisplayName("R3 R13 on the system's pool, a shutdown ended by the answer of the last call it"
      + " waited for (on a pool thread, as that call's turn ends) cancels what the oneways of the"
      + " other actors still await, once each")
  void aShutdownEndedOnAPoolThreadCancelsTheOnewaysAwaits() throws InterruptedException {
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("pool-end").build());
    HeldOneways held = new HeldOneways(system, 64);
    Sinks.One<String> last = Sinks.one();
    Passer passer = system.spawn(Passer.class, PasserActor::new);
    CountDownLatch started = new CountDownLatch(1);
    Mono<String> call = passer.pass(last.asMono(), started);
    held.awaitTheirTurns();
    // a call still queued as the shutdown begins is answered with code 2, not waited for
    assertThat(started.await(30, TimeUnit.SECONDS)).as("the last call started").isTrue();
    Mono<Void> shutdown = system.shutdown(Duration.ofMinutes(10));

    last.tryEmitValue("the last answer"); // its continuation runs on a pool thread

    assertThat(call.block(Duration.ofSeconds(60))).isEqualTo("the last answer");
    shutdown.block(Duration.ofSeconds(60));
    held.assertEachAwaitCancelledOnce();
    system.close();
  }
}

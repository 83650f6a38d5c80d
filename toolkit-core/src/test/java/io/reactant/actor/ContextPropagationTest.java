package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.error.TrapSite;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A caller's thread-local context (a trace id, here one thread-local) follows its messages into
 * the turns that run them, on whatever thread, through a {@link ContextPropagation}.
 */
class ContextPropagationTest {

  /** The thread-local the fake propagation carries: a stand-in for a trace id or an MDC. */
  static final ThreadLocal<@Nullable String> TRACE = new ThreadLocal<>();

  /** A snapshot of {@link #TRACE}, absent values included (so a turn never sees a stale one). */
  record Snapshot(@Nullable String value) {
  }

  /**
   * Carries {@link #TRACE}; a snapshot of "boom" fails to restore, a trace "capture-boom" to be
   * captured; "error-boom" and "capture-error" fail so with an {@link Error}, and the scope of
   * "close-error" throws one when closed (after putting the thread's own trace back). Without
   * {@code carryAbsent} a
   * thread with no trace carries nothing, and the turn sees what its thread holds.
   */
  static final class FakePropagation implements ContextPropagation {
    private final boolean carryAbsent;

    FakePropagation(boolean carryAbsent) {
      this.carryAbsent = carryAbsent;
    }

    @Override
    public @Nullable Object capture() {
      String value = TRACE.get();
      if ("capture-boom".equals(value)) {
        throw new IllegalStateException("cannot capture capture-boom");
      }
      if ("capture-error".equals(value)) {
        throw new AssertionError("cannot capture capture-error");
      }
      return value == null && !carryAbsent ? null : new Snapshot(value);
    }

    @Override
    public Scope restore(Object snapshot) {
      String value = ((Snapshot) snapshot).value();
      if ("boom".equals(value)) {
        throw new IllegalStateException("cannot restore boom");
      }
      if ("error-boom".equals(value)) {
        throw new AssertionError("cannot restore error-boom");
      }
      String previous = TRACE.get();
      TRACE.set(value);
      if ("close-error".equals(value)) {
        return () -> {
          TRACE.set(previous);
          throw new AssertionError("cannot close close-error");
        };
      }
      return () -> TRACE.set(previous);
    }
  }

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final FakePropagation propagation = new FakePropagation(true);
  private final ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("ctx")
      .scheduler(scheduler).contextPropagation(propagation).build());

  @AfterEach
  void close() {
    system.close();
    TRACE.remove();
  }

  public interface Traced {
    /** The trace its turn sees. */
    Mono<String> seen();

    /** Counts, then answers the trace its turn sees. */
    Mono<String> countAndSee();

    /**
     * Counts, sets the thread's trace to "set mid-way" (as code that puts an MDC value and never
     * takes it out), then traps.
     */
    Mono<String> setTraceAndTrap();

    /**
     * Sets the trace to its own child value, calls {@code next} with it, and answers the trace
     * its turn saw, what {@code next} saw, and the trace its continuation sees.
     */
    Mono<String> relay(Traced next);

    /** Calls {@code next}'s query from its turn and answers what the query saw. */
    Mono<String> queryOf(Traced next);

    /** Sets a recurring timer whose firings log the trace they see. */
    Mono<Void> arm(Duration interval);

    @Query
    Mono<String> seenByQuery();

    /** Answers the trace it sees, one second later on {@code clock}. */
    @Query
    Mono<String> seenLater(Scheduler clock);

    /** Awaits {@code next}'s answer a second later, then adds the trace its later part sees. */
    @CompositeQuery
    Mono<String> composite(Traced next, Scheduler clock);

    /**
     * As {@link #composite}, counting in {@code cancelled} each cancellation of its Mono; with
     * {@code never}, its Mono never ends (and awaits nothing).
     */
    @CompositeQuery
    Mono<String> compositeCounting(Traced next, Scheduler clock, AtomicInteger cancelled,
        boolean never);

    /**
     * Sets a trace that cannot be captured, then awaits {@code next}'s composite query (made
     * when the turn commits) of {@code last}.
     */
    Mono<String> compositeUncapturable(Traced next, Traced last, Scheduler clock);

    /** As {@link #compositeUncapturable}, with a trace whose capture throws an {@link Error}. */
    Mono<String> compositeUncapturableError(Traced next, Traced last, Scheduler clock);

    /** Answers the trace its turn sees one second later on {@code clock}: a late signal's turn. */
    Mono<String> seenLaterByUpdate(Scheduler clock);

    /**
     * Attaches {@code cycles} to a call of {@code next} with a trace that cannot be captured,
     * catches the failure, and answers its balance after that.
     */
    Mono<Long> attachUncapturable(Traced next, long cycles);

    /**
     * Creates an actor with a trace that cannot be captured, which a query may not do, catches
     * what that throws, and answers "caught".
     */
    @Query
    Mono<String> spawnCaught();

    /**
     * Sets a timer with a trace that cannot be captured, which a query may not do, catches what
     * that throws, and answers "caught".
     */
    @Query
    Mono<String> timerCaught();

    /** A oneway: logs the trace its turn sees. */
    void note();

    @Query
    Mono<List<String>> log();

    @Query
    Mono<Long> count();
  }

  static final class TracedActor extends Actor implements Traced {
    private final Var<List<String>> log = newVar("log", List.of());
    private final Var<Long> count = newVar("count", 0L);

    TracedActor() {
      String trace = TRACE.get();
      if (trace != null) {
        log.set(List.of("init " + trace));
      }
    }

    @Override
    public Mono<String> seen() {
      return Mono.just(String.valueOf(TRACE.get()));
    }

    @Override
    public Mono<String> setTraceAndTrap() {
      count.set(count.get() + 1);
      TRACE.set("set mid-way");
      throw new IllegalStateException("trapped mid-way");
    }

    @Override
    public Mono<String> countAndSee() {
      count.update(c -> c + 1);
      return seen();
    }

    @Override
    public Mono<String> relay(Traced next) {
      String mine = String.valueOf(TRACE.get());
      TRACE.set(mine + "/child"); // as a turn that opens a span of its own would
      return await(next.seen())
          .map(theirs -> mine + " " + theirs + " " + TRACE.get());
    }

    @Override
    public Mono<String> queryOf(Traced next) {
      return await(next.seenByQuery());
    }

    @Override
    public Mono<Void> arm(Duration interval) {
      recurringTimer(interval, () -> {
        List<String> next = new ArrayList<>(log.get());
        next.add("fired " + TRACE.get());
        log.set(List.copyOf(next));
        return done();
      });
      return done();
    }

    @Override
    public Mono<String> seenByQuery() {
      return seen();
    }

    @Override
    public Mono<String> seenLater(Scheduler clock) {
      return seen().delayElement(Duration.ofSeconds(1), clock);
    }

    @Override
    public Mono<String> composite(Traced next, Scheduler clock) {
      return await(next.seenLater(clock)).map(theirs -> theirs + " " + TRACE.get());
    }

    @Override
    public Mono<String> compositeCounting(Traced next, Scheduler clock, AtomicInteger cancelled,
        boolean never) {
      Mono<String> body = never ? Mono.never() : composite(next, clock);
      return body.doOnCancel(cancelled::incrementAndGet);
    }

    @Override
    public Mono<String> compositeUncapturable(Traced next, Traced last, Scheduler clock) {
      TRACE.set("capture-boom");
      return await(next.composite(last, clock));
    }

    @Override
    public Mono<String> compositeUncapturableError(Traced next, Traced last, Scheduler clock) {
      TRACE.set("capture-error");
      return await(next.composite(last, clock));
    }

    @Override
    public Mono<String> seenLaterByUpdate(Scheduler clock) {
      return seen().delayElement(Duration.ofSeconds(1), clock);
    }

    @Override
    public Mono<Long> attachUncapturable(Traced next, long cycles) {
      TRACE.set("capture-boom");
      try {
        io.reactant.call.CallOptions.cycles(cycles).on(next).seen();
      } catch (IllegalStateException uncaptured) {
        // the call was not made: the turn goes on
      } finally {
        TRACE.remove();
      }
      return Mono.just(cyclesBalance());
    }

    @Override
    public Mono<String> spawnCaught() {
      TRACE.set("capture-boom");
      try {
        spawn(ActorClass.of(Traced.class, unused -> new TracedActor()), null);
      } catch (RuntimeException refused) {
        // a trap the runtime raised still traps the query
      } finally {
        TRACE.remove();
      }
      return Mono.just("caught");
    }

    @Override
    public Mono<String> timerCaught() {
      TRACE.set("capture-boom");
      try {
        recurringTimer(Duration.ofSeconds(1), Actor::done);
      } catch (RuntimeException refused) {
        // a trap the runtime raised still traps the query
      } finally {
        TRACE.remove();
      }
      return Mono.just("caught");
    }

    @Override
    public void note() {
      List<String> next = new ArrayList<>(log.get());
      next.add("noted " + TRACE.get());
      log.set(List.copyOf(next));
    }

    @Override
    public Mono<List<String>> log() {
      return Mono.just(log.get());
    }

    @Override
    public Mono<Long> count() {
      return Mono.just(count.get());
    }
  }

  private Traced spawn() {
    return system.spawn(Traced.class, TracedActor::new);
  }

  /** Calls {@code call} with {@link #TRACE} set to {@code trace}, then sets it back to none. */
  private static <T> Mono<T> with(String trace, java.util.function.Supplier<Mono<T>> call) {
    TRACE.set(trace);
    try {
      return call.get();
    } finally {
      TRACE.remove();
    }
  }

  @Test
  @DisplayName("R23 an ingress call's context is restored in the callee's turn, then the thread's"
      + " own comes back")
  void ingressContextReachesTheTurn() {
    Traced a = spawn();
    Mono<String> seen = with("trace-1", a::seen);
    TRACE.set("the driver's"); // the turn runs on this thread, which holds a value of its own
    assertThat(scheduler.await(seen)).isEqualTo("trace-1");
    assertThat(TRACE.get()).isEqualTo("the driver's");
  }

  @Test
  @DisplayName("R4 R13 a turn's calls carry its context two hops down; its continuation after the"
      + " await restores the original call's context, not the awaited call's")
  void contextFlowsDownAChainAndBackToTheContinuation() {
    Traced a = spawn();
    Traced b = spawn();
    Mono<String> reply = with("trace-2", () -> a.relay(b));
    TRACE.set("the driver's");
    assertThat(scheduler.await(reply)).isEqualTo("trace-2 trace-2/child trace-2");
    assertThat(TRACE.get()).isEqualTo("the driver's");
  }

  @Test
  @DisplayName("R2 a turn of another message never sees the context of the one before it")
  void anotherMessagesTurnDoesNotSeeIt() {
    Traced a = spawn();
    Mono<String> first = with("trace-3", a::seen);
    Mono<String> second = a.seen(); // sent with no trace
    TRACE.set("the driver's");
    scheduler.runUntilIdle();
    assertThat(first.block()).isEqualTo("trace-3");
    assertThat(second.block()).isEqualTo("null");
  }

  @Test
  @DisplayName("R2 R12 a turn that changes the thread's context and then traps leaves nothing of"
      + " it on the thread: the next message's turn sees its own context, the driver its own")
  void aTrappedTurnLeavesNoContextBehind() {
    Traced a = spawn();
    Mono<String> trapped = with("trace-5", a::setTraceAndTrap);
    Mono<String> next = a.seen(); // sent with no trace
    TRACE.set("the driver's");
    scheduler.runUntilIdle();
    assertThatThrownBy(trapped::block).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThat(next.block()).isEqualTo("null");
    assertThat(TRACE.get()).isEqualTo("the driver's");
    assertThat(scheduler.await(a.count())).as("the trapped turn's count rolled back").isZero();
  }

  @Test
  @DisplayName("R25 a timer's firings run in the context of the turn that set it")
  void timerFiringsCarryTheSettingTurnsContext() {
    Traced a = spawn();
    scheduler.await(with("trace-4", () -> a.arm(Duration.ofSeconds(1))));
    scheduler.await(with("another", a::seen));
    TRACE.set("the driver's");
    scheduler.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(scheduler.await(a.log())).containsExactly("fired trace-4", "fired trace-4");
    assertThat(TRACE.get()).isEqualTo("the driver's");
  }

  @Test
  @DisplayName("R19 a query sees its caller's context: made in a turn, and in a composite query's"
      + " part after its await")
  void queriesSeeTheirCallersContext() {
    Traced a = spawn();
    Traced b = spawn();
    Mono<String> fromTurn = with("trace-5", () -> a.queryOf(b));
    TRACE.set("the driver's");
    assertThat(scheduler.await(fromTurn)).isEqualTo("trace-5");
    Mono<String> composite = with("trace-6", () -> a.composite(b, scheduler));
    TRACE.set("the driver's"); // the part after the await runs on this thread, as time passes
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(composite.block()).isEqualTo("trace-6 trace-6");
    assertThat(TRACE.get()).isEqualTo("the driver's");
  }

  @Test
  @DisplayName("R20 an actor class's initializer runs in the context of the spawn's caller")
  void spawnCarriesTheContext() {
    ActorClass<Traced, Void> traced = ActorClass.of(Traced.class, unused -> new TracedActor());
    Mono<Traced> created = with("trace-7", () -> system.spawn(traced, null));
    TRACE.set("the driver's");
    Traced a = Objects.requireNonNull(scheduler.await(created));
    assertThat(scheduler.await(a.log())).containsExactly("init trace-7");
    assertThat(TRACE.get()).isEqualTo("the driver's");
  }

  @Test
  @DisplayName("R12 a restore that throws traps the turn: code 5 says so, nothing commits, and the"
      + " actor goes on")
  void aFailingRestoreTrapsTheTurn() {
    Traced a = spawn();
    Mono<String> failed = with("boom", a::countAndSee);
    assertThatThrownBy(() -> scheduler.await(failed))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("Restoring the context")
              .contains("cannot restore boom");
          assertThat(e.trapSite()).as("the turn trapped").map(TrapSite::where)
              .contains("Traced.countAndSee()");
        });
    assertThat(scheduler.await(a.count())).isZero();
    assertThat(scheduler.await(with("fine", a::countAndSee))).isEqualTo("fine");
    assertThat(scheduler.await(a.count())).isEqualTo(1L);
  }

  @Test
  @DisplayName("R2 R13 under contention on the pool, every turn and continuation sees exactly its"
      + " own caller's context, and the pool threads keep none")
  void manyCallersEachSeeTheirOwn() throws Exception {
    try (ActorSystem pool = ActorSystem.create(ActorSystemConfig.builder().name("ctx-pool")
        .parallelism(4).contextPropagation(new FakePropagation(false)).build())) {
      Traced[] actors = new Traced[4];
      for (int i = 0; i < actors.length; i++) {
        actors[i] = pool.spawn(Traced.class, TracedActor::new);
      }
      int threads = 8;
      int calls = 200;
      AtomicReferenceArray<String> seen = new AtomicReferenceArray<>(threads * calls);
      TestThreads.runAll(threads, t -> {
        List<Mono<String>> replies = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
          String trace = "t" + t + "-" + i;
          Traced a = actors[(t + i) % actors.length];
          Traced b = actors[(t + i + 1) % actors.length];
          boolean relay = i % 2 == 1;
          replies.add(with(trace, () -> relay ? a.relay(b) : a.seen()));
        }
        for (int i = 0; i < calls; i++) {
          seen.set(t * calls + i, replies.get(i).block(Duration.ofSeconds(10)));
        }
      });
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < calls; i++) {
          String trace = "t" + t + "-" + i;
          assertThat(seen.get(t * calls + i))
              .isEqualTo(i % 2 == 0 ? trace : trace + " " + trace + "/child " + trace);
        }
      }
      // messages that carry nothing, after all of those, find nothing left on the pool's threads
      List<Mono<String>> bare = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        bare.add(actors[i % actors.length].seen());
      }
      for (Mono<String> reply : bare) {
        assertThat(reply.block(Duration.ofSeconds(10))).isEqualTo("null");
      }
    }
  }

  @Test
  @DisplayName("R6 R19 a composite query made in a turn whose context cannot be captured at the"
      + " commit fails with code 5, and the turn's commit and the actor go on")
  void aFailingCaptureOfACompositeQueryMadeInATurnFailsThatQuery() {
    Traced a = spawn();
    Traced b = spawn();
    Traced c = spawn();
    Mono<String> reply = with("trace-8", () -> a.compositeUncapturable(b, c, scheduler));
    scheduler.runUntilIdle();
    assertThatThrownBy(() -> scheduler.await(reply))
        .isInstanceOfSatisfying(CallError.class, e ->
            assertThat(e.rejectMessage()).contains("Capturing the context")
                .contains("cannot capture capture-boom"));
    assertThat(scheduler.await(with("after", a::countAndSee))).isEqualTo("after");
    assertThat(scheduler.await(a.count())).isEqualTo(1L);
  }

  @Test
  @DisplayName("R22 R23 a capture that throws on a sender's thread outside the system refuses that"
      + " message with code 5 (a call's Mono, a spawn's, ActorRefs.sendOneway's reject; a oneway"
      + " dropped), instead of throwing the raw exception at the sender")
  void aFailingCaptureOutsideTheSystemRefusesTheMessage() throws NoSuchMethodException {
    Traced a = spawn();
    java.util.function.Consumer<Throwable> codeFive = t -> assertThat(t)
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("Capturing the context")
              .contains("cannot capture capture-boom");
        });
    Mono<String> call = with("capture-boom", a::countAndSee);
    codeFive.accept(org.assertj.core.api.Assertions.catchThrowable(() -> scheduler.await(call)));
    ActorClass<Traced, Void> traced = ActorClass.of(Traced.class, unused -> new TracedActor());
    Mono<Traced> created = with("capture-boom", () -> system.spawn(traced, null));
    codeFive.accept(org.assertj.core.api.Assertions.catchThrowable(() -> scheduler.await(created)));
    with("capture-boom", () -> {
      a.note(); // dropped, as a oneway refused before it is queued
      return Mono.empty();
    });
    java.lang.reflect.Method note = Traced.class.getMethod("note");
    codeFive.accept(org.assertj.core.api.Assertions.catchThrowable(() ->
        with("capture-boom", () -> {
          ActorRefs.sendOneway(a, note);
          return Mono.empty();
        })));
    scheduler.runUntilIdle();
    assertThat(scheduler.await(a.count())).isZero();
    assertThat(scheduler.await(a.log())).isEmpty();
  }

  @Test
  @DisplayName("R12 R22 R23 a ContextPropagation that throws an Error fails as one that throws an"
      + " exception: a restore traps the turn (code 5), a capture outside the system refuses the"
      + " message (code 5), a capture at a commit fails that composite query (code 5) while the"
      + " turn's end goes on; every call is answered and the shutdown completes")
  void aPropagationThrowingAnErrorFailsAsAnExceptionDoes() {
    java.util.function.Consumer<Throwable> codeFive = t -> assertThat(t)
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("AssertionError");
        });
    Traced a = spawn();
    Traced b = spawn();
    Traced c = spawn();
    Mono<String> unrestored = with("error-boom", a::countAndSee);
    codeFive.accept(org.assertj.core.api.Assertions.catchThrowable(
        () -> scheduler.await(unrestored)));
    codeFive.accept(org.assertj.core.api.Assertions.catchThrowable(
        () -> scheduler.await(with("capture-error", a::countAndSee))));
    ActorClass<Traced, Void> traced = ActorClass.of(Traced.class, unused -> new TracedActor());
    codeFive.accept(org.assertj.core.api.Assertions.catchThrowable(
        () -> scheduler.await(with("capture-error", () -> system.spawn(traced, null)))));
    codeFive.accept(org.assertj.core.api.Assertions.catchThrowable(
        () -> scheduler.await(with("error-boom", () -> system.spawn(traced, null)))));
    Mono<String> uncaptured = with("trace-10", () -> a.compositeUncapturableError(b, c, scheduler));
    // the query's code 5 reaches the turn's caller as code 4 (rule R12a): the turn awaited it
    assertThatThrownBy(() -> scheduler.await(uncaptured))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("Capturing the context").contains("AssertionError"));
    assertThat(scheduler.await(a.count())).isZero();
    assertThat(scheduler.await(with("after", a::countAndSee))).isEqualTo("after");
    assertThat(TRACE.get()).isNull();
    Mono<Void> down = system.shutdown(Duration.ofHours(1));
    scheduler.runUntilIdle();
    assertThat(down.toFuture()).as("no call left in flight").isCompleted();
  }

  @Test
  @DisplayName("R4 R17 the turn a late signal of an update's Mono runs (its commit, its reply, the"
      + " listener's turnEnded) restores the call's context too")
  void aLateSignalsTurnRestoresTheCallsContext() {
    List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
    TurnListener listener = new TurnListener() {
      @Override
      public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
        heard.add(outcome + " " + TRACE.get());
      }
    };
    try (ActorSystem listened = ActorSystem.create(ActorSystemConfig.builder().name("ctx-late")
        .scheduler(scheduler).contextPropagation(propagation).listener(listener).build())) {
      Traced a = listened.spawn(Traced.class, TracedActor::new);
      Mono<String> reply = with("trace-9", () -> a.seenLaterByUpdate(scheduler));
      TRACE.set("the driver's");
      scheduler.runUntilIdle();
      heard.clear(); // the first turn's
      scheduler.advanceTimeBy(Duration.ofSeconds(1)); // the late signal's turn
      assertThat(reply.block()).isEqualTo("trace-9");
      assertThat(heard).containsExactly("COMMITTED trace-9");
      assertThat(TRACE.get()).isEqualTo("the driver's");
    }
  }

  @Test
  @DisplayName("R12 R19 R20 a restore that throws fails a spawn (its initializer never runs) and a"
      + " composite query's later part with code 5 saying so, naming the query")
  void aFailingRestoreFailsASpawnAndACompositeQuerysLaterPart() {
    java.util.function.Consumer<Throwable> restoreFailed = t -> assertThat(t)
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("Restoring the context")
              .contains("cannot restore boom");
        });
    ActorClass<Traced, Void> traced = ActorClass.of(Traced.class, unused -> new TracedActor());
    Mono<Traced> created = with("boom", () -> system.spawn(traced, null));
    Throwable notCreated = org.assertj.core.api.Assertions.catchThrowable(
        () -> scheduler.await(created));
    restoreFailed.accept(notCreated);
    assertThat(((CallError) notCreated).trapSite()).as("no actor's code ran").isEmpty();
    Traced a = spawn();
    Traced b = spawn();
    Mono<String> composite = with("boom", () -> a.composite(b, scheduler));
    Throwable failed = org.assertj.core.api.Assertions.catchThrowable(
        () -> scheduler.await(composite, Duration.ofSeconds(2)));
    restoreFailed.accept(failed);
    // the message names the query, not an internal object
    assertThat(((CallError) failed).rejectMessage()).contains("the composite query")
        .doesNotContain("QueryContext");
    assertThat(((CallError) failed).trapSite()).as("the query trapped").map(TrapSite::where)
        .contains("Traced.composite()");
    assertThat(TRACE.get()).isNull();
  }

  @Test
  @DisplayName("R12 R19 a composite query's later part whose restore throws does not run, and the"
      + " query's Mono, which waited for what that part would have signalled, is cancelled")
  void aFailingRestoreOfALaterPartCancelsTheCompositeQuerysMono() {
    Traced a = spawn();
    Traced b = spawn();
    AtomicInteger cancelled = new AtomicInteger();
    Mono<String> composite =
        with("boom", () -> a.compositeCounting(b, scheduler, cancelled, false));
    assertThatThrownBy(() -> scheduler.await(composite, Duration.ofSeconds(2)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThat(cancelled).hasValue(1);
    assertThat(TRACE.get()).isNull();
  }

  @Test
  @DisplayName("R19 R22 a composite query cut short at its bound is cancelled even when its"
      + " context cannot be restored for the cancellation")
  void aBoundedCompositeQueryIsCancelledThoughItsContextCannotBeRestored() {
    ActorSystem bounded = ActorSystem.create(ActorSystemConfig.builder().name("ctx-bounded")
        .scheduler(scheduler).contextPropagation(propagation)
        .defaultCallTimeout(Duration.ofSeconds(1)).build());
    try {
      Traced a = bounded.spawn(Traced.class, TracedActor::new);
      AtomicInteger cancelled = new AtomicInteger();
      Mono<String> composite =
          with("boom", () -> a.compositeCounting(a, scheduler, cancelled, true));
      assertThatThrownBy(() -> scheduler.await(composite, Duration.ofSeconds(2)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
      assertThat(cancelled).hasValue(1);
      assertThat(TRACE.get()).isNull();
    } finally {
      bounded.close();
    }
  }

  @Test
  @DisplayName("R22 a call whose context cannot be captured in a turn that catches the failure"
      + " takes none of the cycles attached to it: the balance stays whole")
  void aFailingCaptureInATurnTakesNoAttachedCycles() {
    ActorSystem funded = ActorSystem.create(ActorSystemConfig.builder().name("ctx-funded")
        .scheduler(scheduler).contextPropagation(propagation).initialBalance(1_000).build());
    try {
      Traced a = funded.spawn(Traced.class, TracedActor::new);
      Traced b = funded.spawn(Traced.class, TracedActor::new);
      assertThat(scheduler.await(a.attachUncapturable(b, 300))).isEqualTo(1_000L);
      assertThat(funded.cyclesBalance(ActorRefs.idOf(a))).isEqualTo(1_000L);
      assertThat(funded.cyclesBalance(ActorRefs.idOf(b))).isEqualTo(1_000L);
    } finally {
      funded.close();
    }
  }

  @Test
  @DisplayName("R19 a query that creates an actor traps though its code catches the refusal,"
      + " also when the context cannot be captured: nothing is captured for a refused creation")
  void aQuerysCreationTrapsWhateverTheCapture() {
    Traced a = spawn();
    assertThatThrownBy(() -> scheduler.await(a.spawnCaught()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("cannot create actors");
        });
  }

  @Test
  @DisplayName("R19 a query that sets a timer traps though its code catches the refusal, also when"
      + " the context cannot be captured: nothing is captured for a timer refused there")
  void aQuerysTimerTrapsWhateverTheCapture() {
    Traced a = spawn();
    assertThatThrownBy(() -> scheduler.await(a.timerCaught()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("cannot set a timer");
        });
  }

  @Test
  @DisplayName("R12 R19 R20 R23 a scope whose close throws an Error (after the turn, a composite"
      + " query's part or an initializer ran) changes nothing: the call, the query and the spawn"
      + " are answered, the query's later parts and the next query run, and the actor goes on")
  void aCloseThrowingAnErrorChangesNothing() {
    Traced a = spawn();
    Traced b = spawn();
    Mono<String> counted = with("close-error", a::countAndSee);
    TRACE.set("the driver's"); // the turns run on this thread, which holds a value of its own
    assertThat(scheduler.await(counted)).isEqualTo("close-error");
    assertThat(TRACE.get()).as("the close put it back before it threw")
        .isEqualTo("the driver's");
    // the part after the await restores the context, on this thread, and closes it
    Mono<String> composite = with("close-error", () -> a.composite(b, scheduler));
    TRACE.set("the driver's");
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(scheduler.await(composite)).isEqualTo("close-error close-error");
    Mono<String> next = with("trace-c", () -> a.composite(b, scheduler));
    TRACE.set("the driver's");
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(scheduler.await(next)).isEqualTo("trace-c trace-c");
    ActorClass<Traced, Void> traced = ActorClass.of(Traced.class, unused -> new TracedActor());
    Mono<Traced> spawned = with("close-error", () -> system.spawn(traced, null));
    TRACE.set("the driver's");
    Traced created = Objects.requireNonNull(scheduler.await(spawned));
    assertThat(scheduler.await(created.log())).containsExactly("init close-error");
    assertThat(scheduler.await(a.count())).isEqualTo(1L);
    assertThat(TRACE.get()).isEqualTo("the driver's");
    Mono<Void> down = system.shutdown(Duration.ofHours(1));
    scheduler.runUntilIdle();
    assertThat(down.toFuture()).as("no call or query left in flight").isCompleted();
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.scheduler.WorkStealingScheduler;
import io.reactant.state.TxMap;
import io.reactant.state.LongVar;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Rule R19: queries and composite queries. */
class QueryTest {

  public interface Account {
    Mono<Void> move(long amount);

    Mono<Void> slowWrite(Runnable duringTurn);

    @Query
    Mono<Long> checking();

    @Query
    Mono<Long> sum();

    @Query
    Mono<Long> scribble();

    @Query
    Mono<Long> sendFromQuery(Account other);

    @Query
    Mono<Long> awaitFromQuery(Account other);

    @Query
    Mono<Long> rejectingQuery();

    @Query
    Mono<Long> trappingQuery();

    @Query
    Mono<Long> throwingQuery();

    @Query
    Mono<Long> errorReturningQuery();

    @CompositeQuery
    Mono<Long> total(List<Account> others);

    @CompositeQuery
    Mono<Long> callUpdate(Account other);

    @CompositeQuery
    Mono<Void> awaitPending(Mono<Void> pending);

    /** Awaits {@code pending} and recovers from any error it fails with. */
    @CompositeQuery
    Mono<String> awaitPendingAndRecover(Mono<Void> pending);

    /** Awaits another actor's query, then returns {@code kept} (an update's future it was given). */
    @CompositeQuery
    Mono<Void> awaitQueryThenReturn(Account other, Mono<Void> kept);

    @Query
    Mono<Map<String, Long>> ledger();

    /** Answers, then a cleanup after it (doFinally) dereferences null: Reactor drops that error. */
    @Query
    Mono<Long> cleanupThrows();

    /** As {@link #cleanupThrows}, after an await of {@code awaited}. */
    @CompositeQuery
    Mono<Long> cleanupThrowsAfterAwait(Mono<?> awaited);

    /**
     * After an await of {@code awaited}, throws a JVM-fatal error (a LinkageError), which
     * Reactor's operators rethrow instead of signalling it.
     */
    @CompositeQuery
    Mono<Long> fatalAfterAwait(Mono<?> awaited);
  }

  static final class AccountActor extends Actor implements Account {
    private final Var<Long> checking = newVar("checking", 100L);
    private final Var<Long> savings = newVar("savings", -100L);
    private final TxMap<String, Long> ledger = newMap("ledger");

    @Override
    public Mono<Void> move(long amount) {
      checking.update(c -> c + amount);
      savings.update(s -> s - amount);
      ledger.update("moves", 0L, n -> n + 1);
      return done();
    }

    @Override
    public Mono<Void> slowWrite(Runnable duringTurn) {
      checking.set(-1L);
      duringTurn.run();
      checking.set(100L);
      return done();
    }

    @Override
    public Mono<Long> checking() {
      return Mono.just(checking.get());
    }

    @Override
    public Mono<Long> sum() {
      return Mono.just(checking.get() + savings.get());
    }

    @Override
    public Mono<Long> scribble() {
      checking.set(999L);
      return Mono.just(checking.get());
    }

    @Override
    public Mono<Long> sendFromQuery(Account other) {
      other.move(1);
      return Mono.just(0L);
    }

    @Override
    public Mono<Long> awaitFromQuery(Account other) {
      return await(other.checking());
    }

    @Override
    public Mono<Long> rejectingQuery() {
      return reject("no such thing");
    }

    @Override
    public Mono<Long> trappingQuery() {
      return Mono.fromCallable(() -> checking.get() / 0);
    }

    @Override
    public Mono<Long> throwingQuery() {
      throw new IllegalStateException("thrown, not returned");
    }

    @Override
    public Mono<Long> errorReturningQuery() {
      return Mono.error(new AssertionError("returned, not thrown"));
    }

    @Override
    public Mono<Long> total(List<Account> others) {
      checking.set(0L); // own changes persist across awaits, discarded at the end
      Mono<Long> acc = Mono.just(0L);
      for (Account other : others) {
        acc = acc.flatMap(sum -> await(other.checking()).map(c -> sum + c + checking.get()));
      }
      return acc;
    }

    @Override
    public Mono<Long> callUpdate(Account other) {
      other.move(5);
      return Mono.just(0L);
    }

    @Override
    public Mono<Void> awaitPending(Mono<Void> pending) {
      return await(pending);
    }

    @Override
    public Mono<String> awaitPendingAndRecover(Mono<Void> pending) {
      return await(pending).thenReturn("awaited").onErrorResume(e -> Mono.just("recovered"));
    }

    @Override
    public Mono<Void> awaitQueryThenReturn(Account other, Mono<Void> kept) {
      return await(other.checking()).flatMap(c -> kept);
    }

    @Override
    public Mono<Map<String, Long>> ledger() {
      return Mono.just(ledger.snapshot());
    }

    @Override
    public Mono<Long> cleanupThrows() {
      return Mono.just(checking.get()).map(c -> c + 1).doFinally(AccountActor::dereferenceNull);
    }

    @Override
    public Mono<Long> cleanupThrowsAfterAwait(Mono<?> awaited) {
      return await(awaited).then(Mono.fromCallable(checking::get))
          .doFinally(AccountActor::dereferenceNull);
    }

    @Override
    public Mono<Long> fatalAfterAwait(Mono<?> awaited) {
      return await(awaited).then(Mono.fromCallable(checking::get)).map(c -> {
        throw new LinkageError("a class changed under the query");
      });
    }

    private static void dereferenceNull(Object signal) {
      String missing = signal == null ? "never" : null;
      missing.length();
    }
  }

  public interface Gatherer {
    /** Answers {@code value} after an await of a delay, on a thread of Reactor's parallel pool. */
    @CompositeQuery
    Mono<Long> later(long value);

    /** Adds up the answers of {@code sources} in its own state, one continuation per answer. */
    @CompositeQuery
    Mono<Long> gather(List<Gatherer> sources);
  }

  static final class GathererActor extends Actor implements Gatherer {
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();
    private final Var<Long> sum = newVar("sum", 0L);

    @Override
    public Mono<Long> later(long value) {
      return await(Mono.delay(Duration.ofMillis(1), Schedulers.parallel())).thenReturn(value);
    }

    @Override
    public Mono<Long> gather(List<Gatherer> sources) {
      List<Mono<Long>> parts = new ArrayList<>();
      for (Gatherer source : sources) {
        parts.add(await(source.later(1)).map(v -> {
          MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
          long before = sum.get();
          for (int i = 0; i < 2_000; i++) {
            Thread.onSpinWait(); // a read-modify-write that takes a while
          }
          sum.set(before + v);
          RUNNING.decrementAndGet();
          return v;
        }));
      }
      return Mono.when(parts).then(Mono.fromCallable(sum::get));
    }
  }

  @Test
  @DisplayName("R19 R2 a composite query's continuations never run at once: awaits signalled on"
      + " several threads are delivered one at a time, and none of its own writes is lost")
  void compositeQueryContinuationsRunOneAtATime() {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("gather")
        .parallelism(4).build())) {
      List<Gatherer> sources = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sources.add(system.spawn(Gatherer.class, GathererActor::new));
      }
      Gatherer gatherer = system.spawn(Gatherer.class, GathererActor::new);
      GathererActor.MOST_AT_ONCE.set(0);
      List<Long> sums = new ArrayList<>();
      for (int round = 0; round < 100; round++) {
        sums.add(gatherer.gather(sources).block(Duration.ofSeconds(10)));
      }
      assertThat(sums).as("each sum counts every answer").containsOnly(8L);
      assertThat(GathererActor.MOST_AT_ONCE.get()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("R19 a query does not wait behind queued updates and reads committed state")
  void queryDoesNotWaitBehindUpdates() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Account account = system.spawn(Account.class, AccountActor::new);
      account.move(10);
      account.move(10);
      assertThat(account.checking().block()).as("answered at once, updates still queued").isEqualTo(100L);
      scheduler.runUntilIdle();
      assertThat(account.checking().block()).isEqualTo(120L);
      assertThat(account.ledger().block()).containsEntry("moves", 2L);
    }
  }

  @Test
  @DisplayName("R19 a query never observes a turn's tentative state")
  void queryNeverSeesTentativeState() {
    try (ActorSystem system = ActorSystem.create()) {
      Account account = system.spawn(Account.class, AccountActor::new);
      List<Long> seen = new ArrayList<>();
      account.slowWrite(() -> {
        Thread reader = new Thread(() -> seen.add(account.checking().block()));
        reader.start();
        try {
          reader.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }).block();
      assertThat(seen).containsExactly(100L);
    }
  }

  @Test
  @DisplayName("R19 a query's changes are discarded when it ends")
  void queryChangesAreDiscarded() {
    try (ActorSystem system = ActorSystem.create()) {
      Account account = system.spawn(Account.class, AccountActor::new);
      assertThat(account.scribble().block()).as("the query sees its own write").isEqualTo(999L);
      assertThat(account.checking().block()).isEqualTo(100L);
    }
  }

  public interface Patient {
    /**
     * Writes its own value of the count, then answers what {@code answer} answers; if cancelled,
     * puts what it reads of the count then in {@code readOnCancel}.
     */
    @Query
    Mono<Long> waitFor(Mono<Long> answer, AtomicLong readOnCancel);

    /** Writes its own value of the count, awaits {@code answer}, then adds the count to it. */
    @CompositeQuery
    Mono<Long> awaitThenAdd(Mono<Long> answer);

    /**
     * Bumps the count, then queries {@code other.waitFor(answer)} with a bounded wait of {@code
     * wait}: "answered" and the value, or the code the query failed with.
     */
    Mono<String> askBounded(Patient other, Duration wait, Mono<Long> answer);

    @Query
    Mono<Long> count();

    /**
     * Writes its own value of the count, then awaits {@code hops.get(0).waitFor(answer,
     * readOnCancel)} if it is the last hop, else {@code hops.get(0).relay} of the hops after it.
     */
    @CompositeQuery
    Mono<Long> relay(List<Patient> hops, Mono<Long> answer, AtomicLong readOnCancel);

    /**
     * Awaits {@code other.waitFor(answer)} with a bounded wait of {@code wait}: "answered" and the
     * value, or the code the query failed with.
     */
    @CompositeQuery
    Mono<String> askBoundedQuery(Patient other, Duration wait, Mono<Long> answer);

    /** Awaits {@code b.waitFor(fast)} and {@code c.waitFor(slow)}: the first value wins. */
    @CompositeQuery
    Mono<Long> firstOf(Patient b, Mono<Long> fast, Patient c, Mono<Long> slow,
        AtomicLong readOnCancel);

    /**
     * Queries {@code other.waitFor(answer, readOnCancel)} without awaiting it, then answers 1 at
     * once, or traps if {@code trap}.
     */
    @CompositeQuery
    Mono<Long> leaveRunning(Patient other, Mono<Long> answer, AtomicLong readOnCancel,
        boolean trap);

    /**
     * Awaits {@code gate}; in that continuation, opens {@code entered}, waits (blocking its
     * thread) for {@code go}, then awaits {@code other.waitFor(answer, readOnCancel)}.
     */
    @CompositeQuery
    Mono<Long> askAfterGate(Mono<Long> gate, CountDownLatch entered, CountDownLatch go,
        Patient other, Mono<Long> answer, AtomicLong readOnCancel);

    /**
     * After {@code delay} on {@code clock}, outside its parts (on the clock's thread), queries
     * {@code other.waitFor(answer, readOnCancel)}, and answers what that answers: awaited if
     * {@code awaited}, else in the chain it returns.
     */
    @CompositeQuery
    Mono<Long> askAfterDelay(Duration delay, reactor.core.scheduler.Scheduler clock, Patient other,
        Mono<Long> answer, AtomicLong readOnCancel, boolean awaited);
  }

  static final class PatientActor extends Actor implements Patient {
    private final LongVar count = newLongVar("count", 0);

    @Override
    public Mono<Long> waitFor(Mono<Long> answer, AtomicLong readOnCancel) {
      count.set(-1);
      return answer.doOnCancel(() -> readOnCancel.set(count.get()));
    }

    @Override
    public Mono<Long> awaitThenAdd(Mono<Long> answer) {
      count.set(-1);
      return await(answer).map(v -> v + count.get());
    }

    @Override
    public Mono<String> askBounded(Patient other, Duration wait, Mono<Long> answer) {
      count.set(count.get() + 1);
      return await(CallOptions.timeout(wait).on(other)
          .waitFor(answer, new AtomicLong()))
          .map(v -> "answered " + v)
          .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code()));
    }

    @Override
    public Mono<Long> count() {
      return Mono.just(count.get());
    }

    @Override
    public Mono<Long> relay(List<Patient> hops, Mono<Long> answer, AtomicLong readOnCancel) {
      count.set(-1);
      Patient next = hops.get(0);
      Mono<Long> inner = hops.size() == 1 ? next.waitFor(answer, readOnCancel)
          : next.relay(hops.subList(1, hops.size()), answer, readOnCancel);
      return await(inner);
    }

    @Override
    public Mono<String> askBoundedQuery(Patient other, Duration wait, Mono<Long> answer) {
      count.set(-1);
      return await(CallOptions.timeout(wait).on(other)
          .waitFor(answer, new AtomicLong()))
          .map(v -> "answered " + v)
          .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code()));
    }

    @Override
    public Mono<Long> firstOf(Patient b, Mono<Long> fast, Patient c, Mono<Long> slow,
        AtomicLong readOnCancel) {
      return Mono.firstWithValue(await(b.waitFor(fast, new AtomicLong())),
          await(c.waitFor(slow, readOnCancel)));
    }

    @Override
    public Mono<Long> leaveRunning(Patient other, Mono<Long> answer, AtomicLong readOnCancel,
        boolean trap) {
      other.waitFor(answer, readOnCancel);
      return trap ? trap("after querying") : Mono.just(1L);
    }

    @Override
    public Mono<Long> askAfterGate(Mono<Long> gate, CountDownLatch entered, CountDownLatch go,
        Patient other, Mono<Long> answer, AtomicLong readOnCancel) {
      return await(gate).flatMap(v -> {
        entered.countDown();
        try {
          if (!go.await(30, TimeUnit.SECONDS)) {
            return Mono.error(new IllegalStateException("never let go"));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Mono.error(e);
        }
        return await(other.waitFor(answer, readOnCancel));
      });
    }

    @Override
    public Mono<Long> askAfterDelay(Duration delay, reactor.core.scheduler.Scheduler clock,
        Patient other, Mono<Long> answer, AtomicLong readOnCancel, boolean awaited) {
      Mono<Long> later = Mono.delay(delay, clock).flatMap(t -> other.waitFor(answer, readOnCancel));
      return awaited ? await(later) : later;
    }
  }

  /** A system on {@code scheduler} whose listener adds each failed call to {@code rejects}. */
  private static ActorSystem recordingRejects(DeterministicScheduler scheduler,
      @org.jspecify.annotations.Nullable Duration defaultCallTimeout, List<String> rejects) {
    return ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .defaultCallTimeout(defaultCallTimeout).listener(new TurnListener() {
          @Override
          public void callRejected(ActorId actor, String method, RejectCode code) {
            rejects.add(actor + " " + method + " " + code);
          }
        }).build());
  }

  @Test
  @DisplayName("R22 R19 a query whose bounded wait (CallOptions.timeout) runs out fails with code 6,"
      + " told to the listener once; it is cancelled in its own context, its later end answers"
      + " nothing, and the committed state is untouched")
  void queryWithATimeoutFailsWithCode6AndIsCancelled() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient patient = system.spawn(Patient.class, ActorId.of("patient"), PatientActor::new);
      reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
      AtomicLong readOnCancel = new AtomicLong(Long.MIN_VALUE);
      java.util.concurrent.CompletableFuture<Long> reply =
          CallOptions.timeout(Duration.ofSeconds(5)).on(patient)
              .waitFor(answer.asMono(), readOnCancel).toFuture();

      scheduler.advanceTimeBy(Duration.ofMillis(4_999));
      assertThat(reply).isNotDone();
      assertThat(answer.currentSubscriberCount()).isOne();
      scheduler.advanceTimeBy(Duration.ofMillis(1));

      assertThat(reply).isCompletedExceptionally();
      assertThatThrownBy(reply::join).cause().isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
        assertThat(e.rejectMessage()).isEqualTo("The query Patient.waitFor() on patient timed out"
            + " after PT5S: it was cancelled, and a query changes nothing (rule R22)");
      });
      assertThat(answer.currentSubscriberCount()).as("what the query waited for is let go").isZero();
      assertThat(readOnCancel).as("the cancellation ran in the query, which read its own write")
          .hasValue(-1);
      answer.tryEmitError(CallError.reject("too late"));
      scheduler.runUntilIdle();
      assertThat(rejects).containsExactly("patient waitFor SYS_UNKNOWN");
      assertThat(patient.count().block()).as("committed state").isZero();
      assertThat(scheduler.delayedTasks()).isZero();
    }
  }

  @Test
  @DisplayName("R19 R22 ActorRefs.cancelQuery ends an unbounded query still waiting for its Mono:"
      + " code 6, told to the listener once, its Mono cancelled in its own context; a second"
      + " cancellation, and one of an answered query, does nothing")
  void cancelQueryEndsAQueryStillWaiting() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient patient = system.spawn(Patient.class, ActorId.of("patient"), PatientActor::new);
      reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
      AtomicLong readOnCancel = new AtomicLong(Long.MIN_VALUE);
      Mono<Long> future = patient.waitFor(answer.asMono(), readOnCancel);
      java.util.concurrent.CompletableFuture<Long> reply = future.toFuture();
      assertThat(answer.currentSubscriberCount()).isOne();

      assertThat(ActorRefs.cancelQuery(future)).isTrue();

      assertThatThrownBy(reply::join).cause().isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
        assertThat(e.rejectMessage()).isEqualTo("The query Patient.waitFor() on patient was"
            + " cancelled by its caller before it answered, and a query changes nothing (rules"
            + " R19, R22)");
      });
      assertThat(answer.currentSubscriberCount()).as("what the query waited for is let go").isZero();
      assertThat(readOnCancel).as("the cancellation ran in the query, which read its own write")
          .hasValue(-1);
      assertThat(ActorRefs.cancelQuery(future)).as("ended already").isFalse();
      answer.tryEmitValue(7L);
      scheduler.runUntilIdle();
      assertThat(rejects).as("told once").containsExactly("patient waitFor SYS_UNKNOWN");

      Mono<Long> answered = patient.count();
      assertThat(answered.block()).isZero();
      assertThat(ActorRefs.cancelQuery(answered)).as("answered already").isFalse();
      assertThat(ActorRefs.cancelQuery(Mono.just(1L))).as("not a query's future").isFalse();
      assertThat(rejects).hasSize(1);
    }
  }

  @Test
  @DisplayName("R3 R19 ActorRefs.cancelQuery does nothing to an update's future: the message sent"
      + " runs and commits whatever its caller does")
  void cancelQueryLeavesAnUpdateAlone() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Account account = system.spawn(Account.class, ActorId.of("account"), AccountActor::new);
      Mono<Void> moved = account.move(5);

      assertThat(ActorRefs.cancelQuery(moved)).isFalse();

      scheduler.runUntilIdle();
      assertThat(moved.toFuture()).isCompleted();
      assertThat(account.checking().block()).isEqualTo(105L);
      assertThat(rejects).isEmpty();
    }
  }

  @Test
  @DisplayName("R19 R22 ActorRefs.cancelQuery on a composite query cancels the queries it awaits,"
      + " down the chain, each told once with code 6: what they waited for is let go")
  void cancelQueryOfACompositeQueryCancelsWhatItAwaits() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient top = system.spawn(Patient.class, ActorId.of("top"), PatientActor::new);
      Patient middle = system.spawn(Patient.class, ActorId.of("middle"), PatientActor::new);
      Patient bottom = system.spawn(Patient.class, ActorId.of("bottom"), PatientActor::new);
      reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
      AtomicLong readOnCancel = new AtomicLong(Long.MIN_VALUE);
      Mono<Long> future = top.relay(List.of(middle, bottom), answer.asMono(), readOnCancel);
      assertThat(answer.currentSubscriberCount()).isOne();

      assertThat(ActorRefs.cancelQuery(future)).isTrue();

      assertThatThrownBy(future::block).isInstanceOfSatisfying(CallError.class,
          e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
      assertThat(answer.currentSubscriberCount()).as("the bottom query let its answer go").isZero();
      assertThat(readOnCancel).as("cancelled in its own context").hasValue(-1);
      assertThat(rejects).containsExactly("top relay SYS_UNKNOWN", "middle relay SYS_UNKNOWN",
          "bottom waitFor SYS_UNKNOWN");
      answer.tryEmitValue(1L);
      scheduler.runUntilIdle();
      assertThat(rejects).as("told once each").hasSize(3);
      assertThat(scheduler.delayedTasks()).isZero();
    }
  }

  @Test
  @DisplayName("R22 R19 a query that a shutdown ends on another thread while its caller schedules"
      + " its bounded wait lets go of that wait: the timer is disposed, not left pending till due")
  void aBoundScheduledAsTheShutdownEndsTheQueryIsDisposed() throws Exception {
    Duration bound = Duration.ofHours(7);
    WorkStealingScheduler pool =
        WorkStealingScheduler.create("bound-race", 2);
    CountDownLatch queryEnded = new CountDownLatch(1);
    CountDownLatch boundSet = new CountDownLatch(1);
    AtomicReference<ActorSystem> system = new AtomicReference<>();
    AtomicReference<Disposable> boundTimer = new AtomicReference<>();
    AtomicBoolean shutdownWaitedInTime = new AtomicBoolean();
    CountDownLatch shutdownLookedAtTheBound = new CountDownLatch(1);
    TimersTest.DelegatingScheduler scheduler = new TimersTest.DelegatingScheduler(pool) {
      @Override
      public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        if (unit.toNanos(delay) != bound.toNanos()) {
          return super.schedule(task, delay, unit);
        }
        // the query's bound, scheduled by its caller once its first part returned: meanwhile a
        // shutdown on another thread ends the query (code 6), and completes while the query's
        // end still runs (the query's future is claimed, not yet done) until the bound is set
        new Thread(() -> system.get().shutdown(Duration.ZERO).doOnSuccess(v -> {
          queryEnded.countDown();
          try {
            shutdownWaitedInTime.set(boundSet.await(30, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            shutdownLookedAtTheBound.countDown();
          }
        }).subscribe(), "bound-race-shutdown").start();
        try {
          assertThat(queryEnded.await(30, TimeUnit.SECONDS)).as("the shutdown ended the query")
              .isTrue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        Disposable timer = super.schedule(task, delay, unit);
        boundTimer.set(timer);
        return timer;
      }
    };
    try {
      system.set(ActorSystem.create(ActorSystemConfig.builder().name("bound-race")
          .scheduler(scheduler).build()));
      Patient patient = system.get().spawn(Patient.class, ActorId.of("patient"), PatientActor::new);
      Mono<Long> reply = CallOptions.timeout(bound).on(patient)
          .waitFor(Mono.never(), new AtomicLong());
      boundSet.countDown();
      assertThatThrownBy(() -> reply.block(Duration.ofSeconds(30)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
      // the shutdown's thread sets the flag once it has seen boundSet open, which may be after
      // the reply reached this thread
      assertThat(shutdownLookedAtTheBound.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(shutdownWaitedInTime).as("the shutdown waited for the bound to be set").isTrue();
      assertThat(boundTimer.get()).as("the bound was scheduled").isNotNull();
      assertThat(boundTimer.get().isDisposed()).as("the bound of the ended query is disposed")
          .isTrue();
    } finally {
      boundSet.countDown();
      pool.dispose();
    }
  }

  @Test
  @DisplayName("R22 R19 the system's defaultCallTimeout bounds queries too; a query answered in time,"
      + " at once or later, leaves no bound scheduled and no failure")
  void defaultCallTimeoutBoundsQueries() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, Duration.ofSeconds(5), rejects)) {
      Patient patient = system.spawn(Patient.class, ActorId.of("patient"), PatientActor::new);
      assertThat(patient.waitFor(Mono.just(7L), new AtomicLong()).block()).isEqualTo(7L);
      assertThat(scheduler.delayedTasks()).as("answered in its first part: no bound").isZero();

      reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
      java.util.concurrent.CompletableFuture<Long> answered =
          patient.waitFor(answer.asMono(), new AtomicLong()).toFuture();
      assertThat(scheduler.delayedTasks()).isOne();
      scheduler.advanceTimeBy(Duration.ofSeconds(4));
      answer.tryEmitValue(8L);
      assertThat(answered).isCompletedWithValue(8L);
      assertThat(scheduler.delayedTasks()).as("its bound, disposed once answered").isZero();

      java.util.concurrent.CompletableFuture<Long> stuck =
          patient.waitFor(Mono.never(), new AtomicLong()).toFuture();
      scheduler.advanceTimeBy(Duration.ofSeconds(10));
      assertThat(stuck).isCompletedExceptionally();
      assertThat(rejects).containsExactly("patient waitFor SYS_UNKNOWN");
    }
  }

  @Test
  @DisplayName("R22 R19 a composite query whose bounded wait runs out fails with code 6 and its"
      + " await is cancelled")
  void compositeQueryWithATimeoutCancelsItsAwait() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient patient = system.spawn(Patient.class, ActorId.of("patient"), PatientActor::new);
      reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
      java.util.concurrent.CompletableFuture<Long> reply =
          CallOptions.timeout(Duration.ofSeconds(2)).on(patient)
              .awaitThenAdd(answer.asMono()).toFuture();
      assertThat(answer.currentSubscriberCount()).isOne();

      scheduler.advanceTimeBy(Duration.ofSeconds(2));

      assertThat(reply).isCompletedExceptionally();
      assertThatThrownBy(reply::join).cause().isInstanceOfSatisfying(CallError.class,
          e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
      assertThat(answer.currentSubscriberCount()).isZero();
      answer.tryEmitValue(1L);
      scheduler.runUntilIdle();
      assertThat(rejects).containsExactly("patient awaitThenAdd SYS_UNKNOWN");
      assertThat(patient.count().block()).isZero();
    }
  }

  @Test
  @DisplayName("R19 R22 a composite query that times out cancels the queries it awaits, down the"
      + " chain, each told once with code 6: what they waited for is let go, and nothing committed"
      + " changes")
  void compositeQueryTimingOutCancelsWhatItAwaits() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient top = system.spawn(Patient.class, ActorId.of("top"), PatientActor::new);
      Patient middle = system.spawn(Patient.class, ActorId.of("middle"), PatientActor::new);
      Patient bottom = system.spawn(Patient.class, ActorId.of("bottom"), PatientActor::new);
      reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
      AtomicLong readOnCancel = new AtomicLong(Long.MIN_VALUE);
      // only the top is bounded: the middle and the bottom would wait for ever by themselves
      // what its caller sees as the error reaches it: the chain has let go already
      List<String> seenWithTheError = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.CompletableFuture<Long> reply =
          CallOptions.timeout(Duration.ofSeconds(2)).on(top)
              .relay(List.of(middle, bottom), answer.asMono(), readOnCancel)
              .doOnError(e -> seenWithTheError.add(answer.currentSubscriberCount() + " waiting, "
                  + rejects.size() + " told"))
              .toFuture();
      scheduler.advanceTimeBy(Duration.ofMillis(1_999));
      assertThat(reply).isNotDone();
      assertThat(answer.currentSubscriberCount()).isOne();

      scheduler.advanceTimeBy(Duration.ofMillis(1));

      assertThatThrownBy(reply::join).cause().isInstanceOfSatisfying(CallError.class,
          e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
      assertThat(seenWithTheError).as("the queries it made were cancelled before its caller saw"
          + " its code 6").containsExactly("0 waiting, 3 told");
      assertThat(answer.currentSubscriberCount()).as("the bottom query let its answer go").isZero();
      assertThat(readOnCancel).as("cancelled in its own context").hasValue(-1);
      assertThat(rejects).containsExactly("top relay SYS_UNKNOWN", "middle relay SYS_UNKNOWN",
          "bottom waitFor SYS_UNKNOWN");
      answer.tryEmitValue(1L);
      scheduler.runUntilIdle();
      assertThat(rejects).as("told once each").hasSize(3);
      assertThat(scheduler.delayedTasks()).isZero();
      for (Patient p : List.of(top, middle, bottom)) {
        assertThat(p.count().block()).as("committed state").isZero();
      }
    }
  }

  @Test
  @DisplayName("R19 R22 a query's own bound, shorter than that of the composite query awaiting it,"
      + " still wins: it fails with code 6, which the composite query catches and answers in time")
  void anAwaitedQuerysShorterBoundStillWins() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient asker = system.spawn(Patient.class, ActorId.of("asker"), PatientActor::new);
      Patient patient = system.spawn(Patient.class, ActorId.of("patient"), PatientActor::new);
      reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
      java.util.concurrent.CompletableFuture<String> reply =
          CallOptions.timeout(Duration.ofSeconds(5)).on(asker)
              .askBoundedQuery(patient, Duration.ofSeconds(1), answer.asMono()).toFuture();

      scheduler.advanceTimeBy(Duration.ofSeconds(1));

      assertThat(reply).isCompletedWithValue("code 6");
      assertThat(answer.currentSubscriberCount()).isZero();
      assertThat(rejects).containsExactly("patient waitFor SYS_UNKNOWN");
      assertThat(scheduler.delayedTasks()).as("the outer bound, let go once answered").isZero();
      assertThat(asker.count().block()).isZero();
      assertThat(patient.count().block()).isZero();
    }
  }

  @Test
  @DisplayName("R19 a composite query that answers cancels the queries it made that are still"
      + " running (the loser of a race of two awaits), told once with code 6")
  void compositeQueryAnsweringCancelsTheQueriesItLeftRunning() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient asker = system.spawn(Patient.class, ActorId.of("asker"), PatientActor::new);
      Patient fast = system.spawn(Patient.class, ActorId.of("fast"), PatientActor::new);
      Patient slow = system.spawn(Patient.class, ActorId.of("slow"), PatientActor::new);
      reactor.core.publisher.Sinks.One<Long> first = reactor.core.publisher.Sinks.one();
      reactor.core.publisher.Sinks.One<Long> second = reactor.core.publisher.Sinks.one();
      AtomicLong readOnCancel = new AtomicLong(Long.MIN_VALUE);
      java.util.concurrent.CompletableFuture<Long> reply = asker.firstOf(fast, first.asMono(),
          slow, second.asMono(), readOnCancel).toFuture();
      assertThat(second.currentSubscriberCount()).isOne();

      first.tryEmitValue(7L);
      scheduler.runUntilIdle();

      assertThat(reply).isCompletedWithValue(7L);
      assertThat(second.currentSubscriberCount()).as("the loser let its answer go").isZero();
      assertThat(readOnCancel).hasValue(-1);
      assertThat(rejects).containsExactly("slow waitFor SYS_UNKNOWN");
      second.tryEmitValue(8L);
      scheduler.runUntilIdle();
      assertThat(rejects).hasSize(1);
    }
  }

  @Test
  @DisplayName("R19 a composite query that answers, or traps, in its first part cancels the query it"
      + " made there and left running, told once with code 6")
  void compositeQueryEndingInItsFirstPartCancelsTheQueryItLeftRunning() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient asker = system.spawn(Patient.class, ActorId.of("asker"), PatientActor::new);
      Patient other = system.spawn(Patient.class, ActorId.of("other"), PatientActor::new);
      reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
      AtomicLong readOnCancel = new AtomicLong(Long.MIN_VALUE);

      assertThat(asker.leaveRunning(other, answer.asMono(), readOnCancel, false).toFuture())
          .isCompletedWithValue(1L);
      assertThat(answer.currentSubscriberCount()).as("the query left running let go").isZero();
      assertThat(readOnCancel).as("cancelled in its own context").hasValue(-1);
      assertThat(rejects).containsExactly("other waitFor SYS_UNKNOWN");

      readOnCancel.set(Long.MIN_VALUE);
      java.util.concurrent.CompletableFuture<Long> trapped =
          asker.leaveRunning(other, answer.asMono(), readOnCancel, true).toFuture();
      assertThatThrownBy(trapped::join).cause().isInstanceOfSatisfying(CallError.class,
          e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
      assertThat(answer.currentSubscriberCount()).isZero();
      assertThat(readOnCancel).hasValue(-1);
      answer.tryEmitValue(1L);
      scheduler.runUntilIdle();
      assertThat(rejects).containsExactly("other waitFor SYS_UNKNOWN",
          "asker leaveRunning CANISTER_ERROR", "other waitFor SYS_UNKNOWN");
    }
  }

  @Test
  @DisplayName("R19 R22 a query a composite query makes on a thread its Mono moved to (after a"
      + " Mono.delay) leaves as an ingress query, but the composite query whose chain subscribes to"
      + " it, awaited or returned, adopts it: its end at its bound cancels it, told once, code 6")
  void aQueryMadeOnAForeignThreadIsAdoptedByTheCompositeQueryThatSubscribesToIt() {
    for (boolean awaited : new boolean[] {false, true}) {
      DeterministicScheduler scheduler = DeterministicScheduler.create();
      List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
        Patient asker = system.spawn(Patient.class, ActorId.of("asker"), PatientActor::new);
        Patient other = system.spawn(Patient.class, ActorId.of("other"), PatientActor::new);
        reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
        AtomicLong readOnCancel = new AtomicLong(Long.MIN_VALUE);
        java.util.concurrent.CompletableFuture<Long> reply =
            CallOptions.timeout(Duration.ofSeconds(2)).on(asker)
                .askAfterDelay(Duration.ofSeconds(1), scheduler, other, answer.asMono(),
                    readOnCancel, awaited)
                .toFuture();
        scheduler.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(answer.currentSubscriberCount()).as("awaited %s: made", awaited).isOne();

        scheduler.advanceTimeBy(Duration.ofSeconds(1));

        assertThatThrownBy(reply::join).cause().isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
        assertThat(answer.currentSubscriberCount()).as("awaited %s: the query it made let go",
            awaited).isZero();
        assertThat(readOnCancel).as("awaited %s", awaited).hasValue(-1);
        assertThat(rejects).as("awaited %s", awaited).containsExactly(
            "asker askAfterDelay SYS_UNKNOWN", "other waitFor SYS_UNKNOWN");
        answer.tryEmitValue(1L);
        scheduler.runUntilIdle();
        assertThat(rejects).as("awaited %s: told once each", awaited).hasSize(2);
      }
    }
  }

  @Test
  @DisplayName("R19 R22 a pending query made before a composite query began and handed to it (an"
      + " argument it awaits) is not adopted: the composite query's end at its bound leaves it"
      + " running, and it answers its maker")
  void aQueryHandedToACompositeQueryIsNotAdoptedByIt() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient asker = system.spawn(Patient.class, ActorId.of("asker"), PatientActor::new);
      Patient other = system.spawn(Patient.class, ActorId.of("other"), PatientActor::new);
      reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
      AtomicLong readOnCancel = new AtomicLong(Long.MIN_VALUE);
      Mono<Long> made = other.waitFor(answer.asMono(), readOnCancel); // pending, unbounded
      java.util.concurrent.CompletableFuture<Long> itsMaker = made.toFuture();
      java.util.concurrent.CompletableFuture<Long> composite =
          CallOptions.timeout(Duration.ofSeconds(1)).on(asker)
              .awaitThenAdd(made).toFuture();

      scheduler.advanceTimeBy(Duration.ofSeconds(1));

      assertThatThrownBy(composite::join).cause().isInstanceOfSatisfying(CallError.class,
          e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
      assertThat(itsMaker).as("the query it was handed still runs").isNotDone();
      assertThat(readOnCancel).as("not cancelled").hasValue(Long.MIN_VALUE);
      answer.tryEmitValue(5L);
      scheduler.runUntilIdle();
      assertThat(itsMaker).isCompletedWithValue(5L);
      assertThat(rejects).containsExactly("asker awaitThenAdd SYS_UNKNOWN");
    }
  }

  @Test
  @DisplayName("R19 R22 a query that a composite query makes once it ended (it timed out while a"
      + " part of it ran on another thread) is cancelled at once, told once with code 6")
  void queryMadeByACompositeQueryThatEndedIsCancelledAtOnce() throws Exception {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient asker = system.spawn(Patient.class, ActorId.of("asker"), PatientActor::new);
      Patient other = system.spawn(Patient.class, ActorId.of("other"), PatientActor::new);
      reactor.core.publisher.Sinks.One<Long> gate = reactor.core.publisher.Sinks.one();
      reactor.core.publisher.Sinks.One<Long> answer = reactor.core.publisher.Sinks.one();
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch go = new CountDownLatch(1);
      AtomicLong readOnCancel = new AtomicLong(Long.MIN_VALUE);
      java.util.concurrent.CompletableFuture<Long> reply =
          CallOptions.timeout(Duration.ofSeconds(1)).on(asker)
              .askAfterGate(gate.asMono(), entered, go, other, answer.asMono(), readOnCancel)
              .toFuture();
      Thread part = new Thread(() -> gate.tryEmitValue(1L)); // runs the continuation
      part.start();
      try {
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        scheduler.advanceTimeBy(Duration.ofSeconds(1)); // it times out while its part runs
        assertThatThrownBy(reply::join).cause().isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
      } finally {
        go.countDown(); // the part goes on: it makes its query
        part.join(TimeUnit.SECONDS.toMillis(30));
      }

      assertThat(answer.currentSubscriberCount()).as("the late query let go").isZero();
      assertThat(readOnCancel).as("cancelled in its own context").hasValue(-1);
      answer.tryEmitValue(1L);
      scheduler.runUntilIdle();
      assertThat(rejects).containsExactly("asker askAfterGate SYS_UNKNOWN",
          "other waitFor SYS_UNKNOWN");
      assertThat(scheduler.delayedTasks()).isZero();
    }
  }

  @Test
  @DisplayName("R22 R19 a query an update turn makes with a bounded wait fails with code 6 when it"
      + " runs out, which the method catches")
  void queryFromATurnWithATimeoutFailsWithCode6() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem system = recordingRejects(scheduler, null, rejects)) {
      Patient asker = system.spawn(Patient.class, ActorId.of("asker"), PatientActor::new);
      Patient patient = system.spawn(Patient.class, ActorId.of("patient"), PatientActor::new);
      Mono<String> timedOut = asker.askBounded(patient, Duration.ofSeconds(3), Mono.never());
      scheduler.runUntilIdle(); // the turn commits: its query runs, and its wait starts
      assertThat(scheduler.delayedTasks()).isOne();
      scheduler.advanceTimeBy(Duration.ofMillis(2_999));
      assertThat(rejects).isEmpty();
      scheduler.advanceTimeBy(Duration.ofMillis(1));
      assertThat(scheduler.await(timedOut)).isEqualTo("code 6");
      assertThat(scheduler.await(asker.askBounded(patient, Duration.ofSeconds(3), Mono.just(5L))))
          .isEqualTo("answered 5");
      assertThat(rejects).containsExactly("patient waitFor SYS_UNKNOWN");
      assertThat(asker.count().block()).as("both turns committed").isEqualTo(2L);
    }
  }

  public interface Scratch {
    @Query
    Mono<Long> read();

    /**
     * Writes in a Flux it subscribes itself, then in a task on {@code elsewhere}: what it read of
     * its first write, and what became of the second.
     */
    @Query
    Mono<String> writeHereAndElsewhere(reactor.core.scheduler.Scheduler elsewhere);
  }

  static final class ScratchActor extends Actor implements Scratch {
    private final LongVar count = newLongVar("count", 0);

    @Override
    public Mono<Long> read() {
      return Mono.just(count.get());
    }

    @Override
    public Mono<String> writeHereAndElsewhere(reactor.core.scheduler.Scheduler elsewhere) {
      reactor.core.publisher.Flux.range(1, 3).subscribe(v -> count.set(v));
      long own = count.get();
      return Mono.fromRunnable(() -> count.set(99)).subscribeOn(elsewhere).thenReturn("written")
          .onErrorResume(io.reactant.error.IsolationException.class, e -> Mono.just("refused"))
          .map(hop -> "own " + own + ", elsewhere " + hop);
    }
  }

  @Test
  @DisplayName("R1 R19 a query's writes never reach committed state: those of a Flux it subscribes"
      + " itself are its own, discarded; one on another thread is refused (IsolationException)")
  void queryWritesStayInTheQueryOnAnyThread() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Scratch scratch = system.spawn(Scratch.class, ScratchActor::new);
      assertThat(scheduler.await(scratch.writeHereAndElsewhere(scheduler)))
          .isEqualTo("own 3, elsewhere refused");
      assertThat(scratch.read().block()).isZero();
    }
  }

  @Test
  @DisplayName("R19 a query that sends a message traps")
  void queryCannotSend() {
    try (ActorSystem system = ActorSystem.create()) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      assertThatThrownBy(() -> a.sendFromQuery(b).block())
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("cannot send messages (rule R19)");
          });
      assertThat(b.checking().block()).isEqualTo(100L);
    }
  }

  @Test
  @DisplayName("R19 a plain query that awaits traps")
  void queryCannotAwait() {
    try (ActorSystem system = ActorSystem.create()) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      assertThatThrownBy(() -> a.awaitFromQuery(b).block())
          .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    }
  }

  @Test
  @DisplayName("R19 a query may reject with code 4; a trapping query fails with code 5")
  void queryMayRejectOrTrap() {
    try (ActorSystem system = ActorSystem.create()) {
      Account a = system.spawn(Account.class, AccountActor::new);
      assertThatThrownBy(() -> a.rejectingQuery().block())
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
            assertThat(e.rejectMessage()).isEqualTo("no such thing");
          });
      assertThatThrownBy(() -> a.trappingQuery().block())
          .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
      assertThatThrownBy(() -> a.throwingQuery().block())
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).endsWith("throwingQuery(): IllegalStateException: thrown, not returned");
          });
      assertThatThrownBy(() -> a.errorReturningQuery().block())
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).endsWith("errorReturningQuery(): AssertionError: returned, not thrown");
          });
      assertThat(a.checking().block()).isEqualTo(100L);
    }
  }

  @Test
  @DisplayName("R19 R12 an exception Reactor drops in a query's Mono (a doFinally cleanup) fails"
      + " the query with code 5, as it traps a call's turn, not an answer with the error logged")
  void droppedExceptionInAQueryTraps() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      List<Mono<Long>> queries = List.of(a.cleanupThrows(),
          a.cleanupThrowsAfterAwait(b.checking()), // its future answered: continues nested
          a.cleanupThrowsAfterAwait(Mono.delay(Duration.ofMillis(5), scheduler))); // a later part
      scheduler.advanceTimeBy(Duration.ofMillis(5));
      for (Mono<Long> query : queries) {
        assertThatThrownBy(() -> scheduler.await(query))
            .isInstanceOfSatisfying(CallError.class, e -> {
              assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
              assertThat(e.rejectMessage()).contains("trapped in Account.cleanupThrows")
                  .contains("NullPointerException");
            });
      }
      assertThat(a.checking().block()).isEqualTo(100L);
    }
  }

  @Test
  @DisplayName("R19 R12 a JVM-fatal error that Reactor rethrows in a composite query's continuation"
      + " fails the query with code 5, as it traps a call's turn, instead of leaving it unanswered")
  void fatalErrorInAContinuationTraps() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      List<Mono<Long>> queries = List.of(
          a.fatalAfterAwait(b.checking()), // its future answered: continues nested
          a.fatalAfterAwait(Mono.delay(Duration.ofMillis(5), scheduler))); // a later part
      scheduler.advanceTimeBy(Duration.ofMillis(5));
      for (Mono<Long> query : queries) {
        assertThatThrownBy(() -> scheduler.await(query))
            .isInstanceOfSatisfying(CallError.class, e -> {
              assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
              assertThat(e.rejectMessage()).contains("trapped in Account.fatalAfterAwait")
                  .contains("LinkageError: a class changed under the query");
            });
      }
    }
  }

  @Test
  @DisplayName("R19 a composite query awaits other queries; its own changes persist across awaits, then vanish")
  void compositeQueryAwaitsQueries() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      Account c = system.spawn(Account.class, AccountActor::new);
      scheduler.await(b.move(5));
      c.move(7); // queued, not yet executed: the composite query sees committed state only
      assertThat(a.total(List.of(b, c)).block()).as("105 + 100, own checking=0 across awaits")
          .isEqualTo(205L);
      assertThat(a.checking().block()).isEqualTo(100L);
      scheduler.runUntilIdle();
      assertThat(a.total(List.of(b, c)).block()).isEqualTo(212L);
    }
  }

  @Test
  @DisplayName("R19 a composite query that awaits the future of another actor's update, bare or wrapped, traps at once, not waiting behind it")
  void compositeQueryCannotAwaitAnUpdatesFuture() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      List<java.util.function.Function<Mono<Void>, Mono<Void>>> wrappers = List.of(
          f -> f, Mono::then, f -> f.map(v -> v), Mono::from, Mono::cache);
      for (java.util.function.Function<Mono<Void>, Mono<Void>> wrap : wrappers) {
        Mono<Void> queued = wrap.apply(b.move(5)); // an update, still in b's mailbox
        assertThatThrownBy(() -> a.awaitPending(queued).block())
            .as("answered without running the scheduler: the query did not wait")
            .isInstanceOfSatisfying(CallError.class, e -> {
              assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
              assertThat(e.rejectMessage()).contains("cannot wait for the update Account.move(")
                  .contains("(rule R19)");
            });
      }
      scheduler.runUntilIdle();
      assertThat(b.checking().block()).as("the updates themselves still ran").isEqualTo(125L);
    }
  }

  @Test
  @DisplayName("R19 a composite query whose await subscribes to an update's future later, or on another thread, traps")
  void compositeQueryCannotAwaitAnUpdatesFutureSubscribedLater() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      // the wrapper subscribes to b's queued update a virtual second after the await subscribed
      a.awaitPending(Mono.delay(java.time.Duration.ofSeconds(1), scheduler).then(b.move(5)))
          .subscribe(v -> { }, failure::set);
      scheduler.advanceTimeBy(java.time.Duration.ofSeconds(1));
      assertThat(failure.get()).isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
        assertThat(e.rejectMessage()).contains("cannot wait for the update Account.move(");
      });
      scheduler.runUntilIdle();
      assertThat(b.checking().block()).as("the update itself still ran").isEqualTo(105L);
    }
    try (ActorSystem system = ActorSystem.create()) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      reactor.core.scheduler.Scheduler other = reactor.core.scheduler.Schedulers.newSingle("other");
      try {
        Mono<Void> elsewhere = b.move(5).subscribeOn(other);
        assertThatThrownBy(() -> a.awaitPending(elsewhere).block(java.time.Duration.ofSeconds(10)))
            .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
                .contains("cannot wait for the update Account.move("));
      } finally {
        other.dispose();
      }
    }
  }

  @Test
  @DisplayName("R19 R12 a composite query cannot recover from the trap of an update's future its await subscribes to later, on another thread")
  void compositeQueryCannotRecoverFromAnUpdatesFutureSubscribedLater() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      // on the same thread, the trap is recorded in the query: it cannot be caught
      assertThatThrownBy(() -> scheduler.await(a.awaitPendingAndRecover(b.move(1))))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
      // a virtual second later, on the scheduler's thread: the same trap, the same outcome
      AtomicReference<Object> outcome = new AtomicReference<>();
      a.awaitPendingAndRecover(
          Mono.delay(java.time.Duration.ofSeconds(1), scheduler).then(b.move(5)))
          .subscribe(outcome::set, outcome::set);
      scheduler.advanceTimeBy(java.time.Duration.ofSeconds(1));
      assertThat(outcome.get()).isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("cannot wait for the update Account.move(");
          });
    }
  }

  @Test
  @DisplayName("R19 a composite query that returns an update's future after an await of a query awaits nothing: it is answered when the update is")
  void compositeQueryReturningAnUpdatesFutureAfterAnAwaitIsAnswered() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      Mono<Void> queued = b.move(5);
      AtomicReference<Object> outcome = new AtomicReference<>("pending");
      // the awaited query answers at once: its value reaches the query while the await subscribes
      a.awaitQueryThenReturn(b, queued).subscribe(v -> { }, outcome::set, () -> outcome.set("done"));
      assertThat(outcome.get()).isEqualTo("pending");
      scheduler.runUntilIdle();
      assertThat(outcome.get()).isEqualTo("done");
      assertThat(b.checking().block()).isEqualTo(105L);
    }
  }

  @Test
  @DisplayName("R19 a composite query that calls an update method traps")
  void compositeQueryCannotCallUpdates() {
    try (ActorSystem system = ActorSystem.create()) {
      Account a = system.spawn(Account.class, AccountActor::new);
      Account b = system.spawn(Account.class, AccountActor::new);
      assertThatThrownBy(() -> a.callUpdate(b).block())
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.rejectMessage()).contains("can only call query methods"));
      assertThat(b.checking().block()).isEqualTo(100L);
    }
  }

  @Test
  @DisplayName("R19 queries read a consistent committed state under a stream of updates")
  void queriesSeeConsistentSnapshotsUnderContention() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Account account = system.spawn(Account.class, AccountActor::new);
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong inconsistent = new AtomicLong();
      AtomicLong queries = new AtomicLong();
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        Thread reader = new Thread(() -> {
          while (writing.get() || queries.get() < 1000) {
            if (account.sum().block() != 0L) {
              inconsistent.incrementAndGet();
            }
            queries.incrementAndGet();
          }
        });
        readers.add(reader);
        reader.start();
      }
      Mono<Void> last = Mono.empty();
      for (int i = 0; i < 50_000; i++) {
        last = account.move(i % 7 - 3);
      }
      last.block();
      writing.set(false);
      for (Thread reader : readers) {
        reader.join();
      }
      assertThat(inconsistent).hasValue(0);
      assertThat(queries.get()).isGreaterThanOrEqualTo(1000);
      assertThat(account.sum().block()).isZero();
    }
  }

  @Test
  @DisplayName("R19 R22 composite queries made on 4 threads timing out while the answers their"
      + " awaited queries wait for arrive on 2 others: each ends once, answered or with code 6 told"
      + " once, and no awaited query is left holding its answer")
  void compositeQueriesTimingOutAsTheirAnswersArrive() throws Exception {
    java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> told =
        new java.util.concurrent.ConcurrentHashMap<>();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2)
        .listener(new TurnListener() {
          @Override
          public void callRejected(ActorId actor, String method, RejectCode code) {
            told.computeIfAbsent(actor.value().replaceAll("[0-9]", "") + " " + method + " "
                + code.code(), k -> new AtomicInteger()).incrementAndGet();
          }
        }).build())) {
      List<Patient> tops = new ArrayList<>();
      List<Patient> middles = new ArrayList<>();
      List<Patient> bottoms = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        tops.add(system.spawn(Patient.class, ActorId.of("top" + i), PatientActor::new));
        middles.add(system.spawn(Patient.class, ActorId.of("middle" + i), PatientActor::new));
        bottoms.add(system.spawn(Patient.class, ActorId.of("bottom" + i), PatientActor::new));
      }
      int perThread = 150;
      int askers = 4;
      List<reactor.core.publisher.Sinks.One<Long>> answers = new ArrayList<>();
      for (int i = 0; i < askers * perThread; i++) {
        answers.add(reactor.core.publisher.Sinks.one());
      }
      java.util.concurrent.atomic.AtomicReferenceArray<Mono<Long>> replies =
          new java.util.concurrent.atomic.AtomicReferenceArray<>(answers.size());
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(askers + 2);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < askers; t++) {
        int thread = t;
        threads.add(new Thread(() -> {
          java.util.Random random = new java.util.Random(thread);
          await(start);
          for (int i = thread * perThread; i < (thread + 1) * perThread; i++) {
            int k = i % 4;
            replies.set(i, CallOptions
                .timeout(Duration.ofNanos(1 + random.nextInt(1_000_000))).on(tops.get(k))
                .relay(List.of(middles.get(k), bottoms.get(k)), answers.get(i).asMono(),
                    new AtomicLong()));
          }
        }));
      }
      for (int t = 0; t < 2; t++) {
        int thread = t;
        threads.add(new Thread(() -> {
          await(start);
          // from the last query made to the first: the first ones have timed out by then, the
          // last ones have not, and those in between race their bounds; one in 5 never gets its
          // answer
          for (int i = answers.size() - 1 - thread; i >= 0; i -= 2) {
            while (replies.get(i) == null) {
              Thread.onSpinWait();
            }
            if (i % 5 != 0) {
              answers.get(i).tryEmitValue((long) i);
            }
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      }
      int values = 0;
      int timedOut = 0;
      for (int i = 0; i < answers.size(); i++) {
        Mono<Long> reply = replies.get(i);
        try {
          Long value = reply.block(Duration.ofSeconds(10));
          assertThat(value).as("query %d", i).isEqualTo((long) i);
          assertThat(i % 5).as("query %d got its answer", i).isNotZero();
          values++;
        } catch (CallError e) {
          assertThat(e.code()).as("query %d: %s", i, e).isEqualTo(RejectCode.SYS_UNKNOWN);
          timedOut++;
        }
        assertThat(answers.get(i).currentSubscriberCount()).as("query %d holds nothing", i)
            .isZero();
      }
      assertThat(values + timedOut).isEqualTo(answers.size());
      AtomicInteger tops6 = told.getOrDefault("top relay 6", new AtomicInteger());
      assertThat(tops6).as("each timeout told once").hasValue(timedOut);
      assertThat(told.keySet()).isSubsetOf("top relay 6", "middle relay 6", "bottom waitFor 6");
      for (int i = 0; i < 4; i++) {
        for (Patient p : List.of(tops.get(i), middles.get(i), bottoms.get(i))) {
          assertThat(p.count().block()).isZero();
        }
      }
    }
  }

  private static void await(java.util.concurrent.CyclicBarrier barrier) {
    try {
      barrier.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An actor whose 32 cells always hold the same value after a commit. */
  public interface Uniform {
    Mono<Void> set(long value);

    /** Writes {@code -1} to every cell, then {@code value}, or traps after the {@code -1}s. */
    Mono<Void> setTwiceOrTrap(long value, boolean trap);

    @Query
    Mono<List<Long>> values();
  }

  /** Its 32 cells: 16 {@code Var<Long>} and 16 {@code LongVar} (a query copies both kinds). */
  static final class UniformActor extends Actor implements Uniform {
    private final List<Var<Long>> cells = new ArrayList<>();
    private final List<LongVar> longCells = new ArrayList<>();

    UniformActor() {
      for (int i = 0; i < 16; i++) {
        cells.add(newVar("cell" + i, 0L));
        longCells.add(newLongVar("long" + i, 0L));
      }
    }

    @Override
    public Mono<Void> set(long value) {
      for (int i = 0; i < 16; i++) {
        cells.get(i).set(value);
        longCells.get(i).set(value);
      }
      return done();
    }

    @Override
    public Mono<Void> setTwiceOrTrap(long value, boolean trap) {
      for (int i = 0; i < 16; i++) {
        cells.get(i).set(-1L);
        longCells.get(i).set(-1L);
      }
      if (trap) {
        return trap("rolled back on purpose");
      }
      return set(value);
    }

    @Override
    public Mono<List<Long>> values() {
      List<Long> out = new ArrayList<>(32);
      for (int i = 0; i < 16; i++) {
        out.add(cells.get(i).get());
        out.add(longCells.get(i).get());
      }
      return Mono.just(out);
    }
  }

  /** Three readers of {@code uniform}'s 32 cells (see {@link UniformReaders}). */
  private static UniformReaders readersOf(Uniform uniform) {
    return new UniformReaders(3, 3000,
        () -> uniform.values().block().stream().mapToLong(Long::longValue).toArray());
  }

  @Test
  @DisplayName("R19 a query never sees a commit half-written: 32 cells rewritten per turn, 3 readers")
  void queriesNeverSeeHalfACommit() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Uniform uniform = system.spawn(Uniform.class, UniformActor::new);
      UniformReaders readers = readersOf(uniform);
      UniformReaders.writeAll(30_000, 0, (i, trap) -> uniform.set(i));
      readers.stop();
      assertThat(readers.wrong).hasValue(0);
      assertThat(readers.queries.get()).isGreaterThanOrEqualTo(3000);
      assertThat(readers.highest.get()).isPositive();
      assertThat(uniform.values().block()).containsOnly(30_000L).hasSize(32);
    }
  }

  @Test
  @DisplayName("R19 R12 a query never sees a tentative or rolled-back value: 32 cells, writes then traps, 3 readers")
  void queriesNeverSeeTentativeOrRolledBackValues() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Uniform uniform = system.spawn(Uniform.class, UniformActor::new);
      UniformReaders readers = readersOf(uniform);
      long committed = UniformReaders.writeAll(30_000, 3, uniform::setTwiceOrTrap);
      readers.stop();
      assertThat(readers.wrong).hasValue(0);
      assertThat(readers.queries.get()).isGreaterThanOrEqualTo(3000);
      assertThat(uniform.values().block()).containsOnly(committed).hasSize(32);
    }
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Rule R25: one-shot and recurring timers, on virtual time. */
class TimersTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Clock {
    Mono<TimerId> once(Duration delay, String label);

    Mono<TimerId> every(Duration interval, String label);

    Mono<Void> cancel(TimerId timer);

    Mono<Void> threeJobsDueTogether(Duration delay);

    Mono<Void> setThenTrap(Duration delay);

    Mono<Void> jobThrowingACallError(Duration delay);

    /**
     * Sets a recurring timer whose job cancels its own timer at each firing, and then traps at the
     * first one only.
     */
    Mono<Void> selfCancellingJob(Duration interval);

    /** Logs the time its turn sees, and after {@code delay} the time its timer's job sees. */
    Mono<Void> stamp(Duration delay);

    /**
     * Sets a recurring timer whose job logs its start, awaits {@code work} of virtual time on
     * {@code clock}, and logs its end.
     */
    Mono<TimerId> everyAwaiting(Duration interval, Duration work, Scheduler clock);

    /** Sets a timer, recurring or not, whose job writes to the log and then returns null. */
    Mono<TimerId> nullJob(Duration delay, boolean recurring);

    @Query
    Mono<List<String>> log();
  }

  static final class ClockActor extends Actor implements Clock {
    private final Var<List<String>> log = newVar("log", List.of());

    ClockActor(boolean tickFromConstructor) {
      if (tickFromConstructor) {
        setTimer(Duration.ofSeconds(1), () -> record("constructor timer by " + caller()));
      }
    }

    private Mono<Void> record(String entry) {
      List<String> next = new ArrayList<>(log.get());
      next.add(entry);
      log.set(List.copyOf(next));
      return done();
    }

    @Override
    public Mono<TimerId> once(Duration delay, String label) {
      return Mono.just(setTimer(delay, () -> record(label)));
    }

    @Override
    public Mono<TimerId> every(Duration interval, String label) {
      return Mono.just(recurringTimer(interval, () -> record(label)));
    }

    @Override
    public Mono<Void> cancel(TimerId timer) {
      cancelTimer(timer);
      return done();
    }

    @Override
    public Mono<Void> threeJobsDueTogether(Duration delay) {
      recurringTimer(delay, () -> {
        record("trapping job ran");
        return trap("job trapped");
      });
      recurringTimer(delay, () -> record("throwing job ran").then(reject("job threw")));
      recurringTimer(delay, () -> record("plain job ran"));
      return done();
    }

    @Override
    public Mono<Void> jobThrowingACallError(Duration delay) {
      setTimer(delay, () -> {
        record("job wrote, then threw");
        throw CallError.reject("thrown on purpose");
      });
      return done();
    }

    @Override
    public Mono<Void> selfCancellingJob(Duration interval) {
      java.util.concurrent.atomic.AtomicReference<TimerId> self =
          new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicInteger firings =
          new java.util.concurrent.atomic.AtomicInteger(); // not state: a trap keeps the count
      self.set(recurringTimer(interval, () -> {
        cancelTimer(self.get());
        boolean first = firings.incrementAndGet() == 1;
        record(first ? "cancelled, then trapped" : "cancelled");
        return first ? trap("the cancellation is rolled back") : done();
      }));
      return done();
    }

    @Override
    public Mono<Void> stamp(Duration delay) {
      setTimer(delay, () -> record("job at " + timeNow()));
      return record("turn at " + timeNow());
    }

    @Override
    public Mono<TimerId> everyAwaiting(Duration interval, Duration work, Scheduler clock) {
      return Mono.just(recurringTimer(interval, () -> {
        String job = "job of " + timeNow().getEpochSecond() + "s";
        return record(job + " started")
            .then(await(Mono.delay(work, clock)))
            .then(Mono.defer(() -> record(job + " ended at " + timeNow().toEpochMilli() + "ms")));
      }));
    }

    @Override
    public Mono<TimerId> nullJob(Duration delay, boolean recurring) {
      Supplier<Mono<?>> job = () -> {
        record("wrote, then returned null");
        return null;
      };
      return Mono.just(recurring ? recurringTimer(delay, job) : setTimer(delay, job));
    }

    @Override
    public Mono<Void> setThenTrap(Duration delay) {
      setTimer(delay, () -> record("never"));
      return trap("rolled back");
    }

    @Override
    public Mono<List<String>> log() {
      return Mono.just(log.get());
    }
  }

  private Clock spawn() {
    return system.spawn(Clock.class, () -> new ClockActor(false));
  }

  @Test
  @DisplayName("R25 a one-shot timer fires once, as a message to the actor itself, when due")
  void oneShotTimerFiresOnce() {
    Clock clock = spawn();
    scheduler.await(clock.once(Duration.ofSeconds(5), "tick"));
    scheduler.advanceTimeBy(Duration.ofMillis(4_999));
    assertThat(clock.log().block()).isEmpty();
    scheduler.advanceTimeBy(Duration.ofMillis(1));
    assertThat(clock.log().block()).containsExactly("tick");
    scheduler.advanceTimeBy(Duration.ofMinutes(1));
    assertThat(clock.log().block()).containsExactly("tick");
  }

  @Test
  @DisplayName("R25 a recurring timer fires at each interval until cancelled")
  void recurringTimerFiresUntilCancelled() {
    Clock clock = spawn();
    TimerId timer = scheduler.await(clock.every(Duration.ofSeconds(2), "beat"));
    scheduler.advanceTimeBy(Duration.ofSeconds(7));
    assertThat(clock.log().block()).containsExactly("beat", "beat", "beat");
    scheduler.await(clock.cancel(timer));
    scheduler.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(clock.log().block()).hasSize(3);
  }

  @Test
  @DisplayName("R25 R9 a recurring job that awaits past the next firing does not hold it back: the"
      + " next job starts on time and the two interleave, each committing at its await")
  void recurringJobAwaitingPastTheNextFiring() {
    Clock clock = spawn();
    TimerId timer = scheduler.await(clock.everyAwaiting(Duration.ofSeconds(1),
        Duration.ofMillis(1_500), scheduler));
    scheduler.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(clock.log().block()).containsExactly(
        "job of 1s started", "job of 2s started", "job of 1s ended at 2500ms",
        "job of 3s started");
    scheduler.await(clock.cancel(timer));
    scheduler.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(clock.log().block()).as("jobs already started go on after the cancellation")
        .endsWith("job of 2s ended at 3500ms", "job of 3s ended at 4500ms").hasSize(6);
  }

  @Test
  @DisplayName("R25 of three jobs due together, the trapping one rolls back only itself, the throwing one commits, and all keep firing")
  void threeJobsDueTogether() {
    Clock clock = spawn();
    scheduler.await(clock.threeJobsDueTogether(Duration.ofSeconds(1)));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(clock.log().block()).containsExactlyInAnyOrder("throwing job ran", "plain job ran");
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(clock.log().block()).containsExactlyInAnyOrder(
        "throwing job ran", "plain job ran", "throwing job ran", "plain job ran");
    assertThat(system.actors()).singleElement().satisfies(info -> {
      assertThat(info.traps()).as("the trapping job trapped twice").isEqualTo(2);
      assertThat(info.timers()).isEqualTo(3);
    });
  }

  @Test
  @DisplayName("R25 R11 a job that throws a CallError commits, as one that returns it does")
  void jobThrowingACallErrorCommits() {
    Clock clock = spawn();
    scheduler.await(clock.jobThrowingACallError(Duration.ofSeconds(1)));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(clock.log().block()).containsExactly("job wrote, then threw");
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.traps()).isZero());
  }

  @Test
  @DisplayName("R25 R12 a job that returns null instead of a Mono traps, as a method that does: a"
      + " one-shot's firing is rolled back and its timer spent, a recurring one's each firing is"
      + " rolled back and it keeps firing; the listener hears each as a trapped turn")
  void jobReturningNullTraps() {
    List<TurnListener.Outcome> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
    TurnListener listener = new TurnListener() {
      @Override
      public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
        outcomes.add(outcome);
      }
    };
    try (ActorSystem listened = ActorSystem.create(ActorSystemConfig.builder().name("null-jobs")
        .scheduler(scheduler).listener(listener).build())) {
      Clock clock = listened.spawn(Clock.class, () -> new ClockActor(false));
      scheduler.await(clock.nullJob(Duration.ofSeconds(1), false));
      scheduler.await(clock.nullJob(Duration.ofSeconds(2), true));
      outcomes.clear();

      scheduler.advanceTimeBy(Duration.ofSeconds(1));
      assertThat(clock.log().block()).as("the one-shot's write is rolled back").isEmpty();
      assertThat(outcomes).containsExactly(TurnListener.Outcome.TRAPPED);
      scheduler.advanceTimeBy(Duration.ofSeconds(5));
      assertThat(clock.log().block()).as("each recurring firing's write is rolled back").isEmpty();
      assertThat(outcomes).as("the one-shot, then the recurring one at 2 s and 4 s and 6 s")
          .containsExactly(TurnListener.Outcome.TRAPPED, TurnListener.Outcome.TRAPPED,
              TurnListener.Outcome.TRAPPED, TurnListener.Outcome.TRAPPED);
      assertThat(listened.actors()).singleElement().satisfies(info -> {
        assertThat(info.traps()).isEqualTo(4);
        assertThat(info.timers()).as("the recurring timer lives on").isOne();
      });
    }
  }

  @Test
  @DisplayName("R25 a one-shot timer that fires before its scheduling call returns leaves no entry behind")
  void timerFiringBeforeItsSchedulingReturnsLeavesNoEntry() {
    // a scheduler that runs a due-now task on the calling thread, before schedule returns: what a
    // pool thread can do while the actor's thread is still between scheduling and recording it
    DeterministicScheduler ticks = DeterministicScheduler.create();
    Scheduler dueNowInline = new DelegatingScheduler(ticks) {
      @Override
      public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        if (delay == 0) {
          task.run();
          return Disposables.disposed();
        }
        return super.schedule(task, delay, unit);
      }
    };
    try (ActorSystem inline = ActorSystem.create(
        ActorSystemConfig.builder().name("inline").scheduler(dueNowInline).build())) {
      Clock clock = inline.spawn(Clock.class, () -> new ClockActor(false));
      for (int i = 0; i < 3; i++) {
        ticks.await(clock.once(Duration.ZERO, "now " + i));
      }
      ticks.runUntilIdle();
      assertThat(clock.log().block()).containsExactly("now 0", "now 1", "now 2");
      assertThat(inline.actors()).singleElement()
          .satisfies(info -> assertThat(info.timers()).as("timers still registered").isZero());
    }
  }

  @Test
  @DisplayName("R25 a timer the scheduler refuses (a saturated or disposed scheduler the"
      + " application supplied) never fires and is not counted as active, one-shot or recurring")
  void aTimerTheSchedulerRefusesIsNotCounted() {
    DeterministicScheduler ticks = DeterministicScheduler.create();
    Scheduler refusingDelays = new DelegatingScheduler(ticks) {
      @Override
      public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        if (delay > 0) {
          throw new java.util.concurrent.RejectedExecutionException("saturated");
        }
        return super.schedule(task, delay, unit);
      }

      @Override
      public Disposable schedulePeriodically(Runnable task, long initialDelay, long period,
          TimeUnit unit) {
        throw new java.util.concurrent.RejectedExecutionException("saturated");
      }
    };
    try (ActorSystem refusing = ActorSystem.create(
        ActorSystemConfig.builder().name("refusing").scheduler(refusingDelays).build())) {
      Clock clock = refusing.spawn(Clock.class, () -> new ClockActor(false));
      ticks.await(clock.once(Duration.ofSeconds(1), "once"));
      ticks.await(clock.every(Duration.ofSeconds(1), "every"));
      ticks.advanceTimeBy(Duration.ofSeconds(5));
      assertThat(clock.log().block()).isEmpty();
      assertThat(refusing.actors()).singleElement()
          .satisfies(info -> assertThat(info.timers()).as("timers still registered").isZero());
    }
  }

  @Test
  @DisplayName("R25 R10 a job that cancels its own recurring timer stops it, unless the job traps:"
      + " then the cancellation is rolled back with the rest and the timer keeps firing")
  void jobCancellingItsOwnTimer() {
    Clock clock = spawn();
    scheduler.await(clock.selfCancellingJob(Duration.ofSeconds(1)));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(clock.log().block()).as("the first job trapped").isEmpty();
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(clock.log().block()).containsExactly("cancelled");
    scheduler.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(clock.log().block()).containsExactly("cancelled");
    assertThat(system.actors()).singleElement().satisfies(info -> {
      assertThat(info.timers()).isZero();
      assertThat(info.traps()).isEqualTo(1);
    });
  }

  @Test
  @DisplayName("R25 cancelling an unknown or expired timer does nothing")
  void cancellingUnknownTimersDoesNothing() {
    Clock clock = spawn();
    TimerId expired = scheduler.await(clock.once(Duration.ofSeconds(1), "done"));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    scheduler.await(clock.cancel(expired));
    scheduler.await(clock.cancel(new TimerId(987_654)));
    assertThat(clock.log().block()).containsExactly("done");
  }

  @Test
  @DisplayName("R25 R10 a timer set by a turn that traps never exists")
  void timerOfATrappedTurnNeverFires() {
    Clock clock = spawn();
    assertThatThrownBy(() -> scheduler.await(clock.setThenTrap(Duration.ofSeconds(1))))
        .isInstanceOf(CallError.class);
    scheduler.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(clock.log().block()).isEmpty();
    assertThat(scheduler.delayedTasks()).isZero();
  }

  @Test
  @DisplayName("R25 a timer set in the constructor fires, and its job's caller is the actor itself")
  void constructorTimer() {
    Clock clock = system.spawn(Clock.class, () -> new ClockActor(true));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(clock.log().block()).containsExactly("constructor timer by actor:" + ActorRefs.idOf(clock));
  }

  @Test
  @DisplayName("R25 timeNow() is the system scheduler's clock: on virtual time, the instant since"
      + " the epoch that the test moved it to")
  void timeNowIsTheSchedulersClock() {
    Clock clock = spawn();
    scheduler.advanceTimeBy(Duration.ofMinutes(1));
    scheduler.await(clock.stamp(Duration.ofSeconds(30)));
    scheduler.advanceTimeBy(Duration.ofSeconds(30));

    assertThat(clock.log().block()).containsExactly("turn at 1970-01-01T00:01:00Z",
        "job at 1970-01-01T00:01:30Z");
  }

  public interface Stamper {
    Mono<Instant> now();
  }

  static final class StamperActor extends Actor implements Stamper {
    @Override
    public Mono<Instant> now() {
      return Mono.just(timeNow());
    }
  }

  @Test
  @DisplayName("R25 timeNow() on a real scheduler is the wall clock, as Motoko's Time.now(): an"
      + " instant of today, not the time since some arbitrary origin (Reactor counts its"
      + " nanoseconds from one)")
  void timeNowOnARealSchedulerIsTheWallClock() {
    Scheduler parallel = Schedulers.newParallel("t", 1);
    try (ActorSystem pool = ActorSystem.create();
        ActorSystem onReactor = ActorSystem.create(ActorSystemConfig.builder().name("reactor")
            .scheduler(parallel).build())) {
      for (ActorSystem real : List.of(pool, onReactor)) {
        Stamper stamper = real.spawn(Stamper.class, StamperActor::new);
        Instant before = Instant.now();
        Instant stamped = stamper.now().block(Duration.ofSeconds(30));
        Instant after = Instant.now();
        assertThat(stamped).as("on %s", real)
            .isBetween(before.minusSeconds(1), after.plusSeconds(1));
      }
    } finally {
      parallel.dispose();
    }
  }

  @Test
  @DisplayName("R25 timeNow() never goes back, as Motoko's Time.now(), even when the scheduler's"
      + " clock does (the wall clock stepped back by NTP)")
  void timeNowNeverGoesBack() {
    DeterministicScheduler ticks = DeterministicScheduler.create();
    AtomicLong wallMillis = new AtomicLong(1_700_000_000_000L);
    Scheduler wall = new DelegatingScheduler(ticks) {
      @Override
      public long now(TimeUnit unit) {
        return unit.convert(wallMillis.get(), TimeUnit.MILLISECONDS);
      }
    };
    try (ActorSystem stepping = ActorSystem.create(
        ActorSystemConfig.builder().name("stepping").scheduler(wall).build())) {
      Stamper stamper = stepping.spawn(Stamper.class, StamperActor::new);
      Instant first = ticks.await(stamper.now());
      assertThat(first).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
      wallMillis.addAndGet(-5_000);
      assertThat(ticks.await(stamper.now())).as("the clock stepped back").isEqualTo(first);
      wallMillis.addAndGet(6_000);
      assertThat(ticks.await(stamper.now())).isEqualTo(first.plusSeconds(1));
    }
  }

  @Test
  @DisplayName("R25 timers stop when the system shuts down")
  void timersStopAtShutdown() {
    Clock clock = spawn();
    scheduler.await(clock.every(Duration.ofSeconds(1), "beat"));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    system.close();
    scheduler.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(scheduler.delayedTasks()).isZero();
  }

  @Test
  @DisplayName("R25 two systems on one deterministic scheduler: closing one stops its own timers"
      + " only; the other's keep firing on the shared clock, which the close leaves usable")
  void twoSystemsOnOneScheduler() {
    try (ActorSystem other = ActorSystem.create(
        ActorSystemConfig.builder().name("other").scheduler(scheduler).build())) {
      Clock mine = spawn();
      Clock theirs = other.spawn(Clock.class, () -> new ClockActor(false));
      scheduler.await(mine.every(Duration.ofSeconds(1), "mine"));
      scheduler.await(theirs.every(Duration.ofSeconds(1), "theirs"));
      scheduler.advanceTimeBy(Duration.ofSeconds(2));
      system.close();
      scheduler.runUntilIdle();
      assertThat(scheduler.delayedTasks()).as("only the other system's timer").isOne();

      scheduler.advanceTimeBy(Duration.ofSeconds(3));
      assertThat(scheduler.isDisposed()).isFalse();
      assertThat(theirs.log().block()).hasSize(5);
      assertThat(other.actors()).singleElement()
          .satisfies(info -> assertThat(info.timers()).isOne());
    }
    assertThat(scheduler.delayedTasks()).isZero();
  }

  @Test
  @DisplayName("R25 under contention on the pool: 40 actors' recurring timers fire every millisecond"
      + " and 4 threads cancel them; once a cancelling turn committed, that timer's job never runs"
      + " again, and no timer is left behind")
  void recurringTimersCancelledUnderContention() throws InterruptedException {
    try (ActorSystem pool = ActorSystem.create(ActorSystemConfig.builder()
        .name("timers-contention").parallelism(2).build())) {
      int actors = 40;
      int threads = 4;
      List<Clock> clocks = new ArrayList<>();
      List<TimerId> ids = new ArrayList<>();
      for (int i = 0; i < actors; i++) {
        Clock clock = pool.spawn(Clock.class, () -> new ClockActor(false));
        clocks.add(clock);
        ids.add(clock.every(Duration.ofMillis(1), "tick").block(Duration.ofSeconds(30)));
      }
      java.util.Queue<String> violations = new java.util.concurrent.ConcurrentLinkedQueue<>();
      Thread[] cancellers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        int first = t;
        cancellers[t] = new Thread(() -> {
          for (int i = first; i < actors; i += threads) {
            Clock clock = clocks.get(i);
            awaitLog(clock, log -> log.size() >= 3);
            clock.cancel(ids.get(i)).block(Duration.ofSeconds(30));
            int committed = clock.log().block().size();
            // a witness timer of 5 ms: the cancelled one would have fired meanwhile
            clock.once(Duration.ofMillis(5), "witness").block(Duration.ofSeconds(30));
            List<String> log = awaitLog(clock, l -> l.contains("witness"));
            if (!log.subList(committed, log.size()).equals(List.of("witness"))) {
              violations.add("actor " + i + ": " + log.subList(committed, log.size()));
            }
          }
        });
        cancellers[t].start();
      }
      for (Thread c : cancellers) {
        c.join();
      }
      assertThat(violations).isEmpty();
      assertThat(pool.actors()).hasSize(actors)
          .allSatisfy(info -> assertThat(info.timers()).as("%s", info).isZero());
    }
  }

  @Test
  @DisplayName("R25 under contention on the pool: 4 threads set 400 one-shot timers of up to 2 ms"
      + " on 8 actors and cancel every other one at once, racing its firing; each job runs at most"
      + " once, each one not cancelled exactly once, and no timer is left counted")
  void oneShotTimersSetAndCancelledUnderContention() throws InterruptedException {
    try (ActorSystem pool = ActorSystem.create(ActorSystemConfig.builder()
        .name("one-shots").parallelism(2).build())) {
      int threads = 4;
      int perThread = 100;
      List<Clock> clocks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        clocks.add(pool.spawn(Clock.class, () -> new ClockActor(false)));
      }
      List<List<String>> kept = new ArrayList<>();
      List<List<String>> cancelled = new ArrayList<>();
      for (int i = 0; i < clocks.size(); i++) {
        kept.add(java.util.Collections.synchronizedList(new ArrayList<>()));
        cancelled.add(java.util.Collections.synchronizedList(new ArrayList<>()));
      }
      Thread[] setters = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        int thread = t;
        setters[t] = new Thread(() -> {
          java.util.Random random = new java.util.Random(2500 + thread);
          for (int k = 0; k < perThread; k++) {
            int actor = (thread + k) % clocks.size();
            String label = "t" + thread + "-" + k;
            Clock clock = clocks.get(actor);
            TimerId id = clock.once(Duration.ofMillis(random.nextInt(3)), label)
                .block(Duration.ofSeconds(30));
            if (k % 2 == 0) {
              clock.cancel(id).block(Duration.ofSeconds(30));
              cancelled.get(actor).add(label);
            } else {
              kept.get(actor).add(label);
            }
          }
        });
        setters[t].start();
      }
      for (Thread s : setters) {
        s.join();
      }
      for (int i = 0; i < clocks.size(); i++) {
        List<String> expected = kept.get(i);
        List<String> log = awaitLog(clocks.get(i), l -> l.containsAll(expected));
        assertThat(log).as("actor %d", i).doesNotHaveDuplicates().containsAll(expected);
        List<String> ranAnyway = new ArrayList<>(log);
        ranAnyway.removeAll(expected);
        assertThat(cancelled.get(i)).as("actor %d: the jobs run besides those kept", i)
            .containsAll(ranAnyway);
      }
      assertThat(kept.stream().mapToInt(List::size).sum()).isEqualTo(threads * perThread / 2);
      assertThat(pool.actors()).hasSize(clocks.size())
          .allSatisfy(info -> assertThat(info.timers()).as("%s", info).isZero());
    }
  }

  /** Reads the clock's log until {@code done} holds (a bound of 30 s of wall-clock time). */
  private static List<String> awaitLog(Clock clock,
      java.util.function.Predicate<List<String>> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (;;) {
      List<String> log = clock.log().block(Duration.ofSeconds(30));
      if (done.test(log) || System.nanoTime() > deadline) {
        return log;
      }
      Thread.onSpinWait();
    }
  }

  @Test
  @DisplayName("R25 a timer cancelled by a turn that commits while its firing waits in the mailbox"
      + " never runs its job: one-shot or recurring")
  void cancelBeatsAWaitingFiring() {
    DeterministicScheduler ticks = DeterministicScheduler.create();
    HoldingScheduler held = new HoldingScheduler(ticks);
    try (ActorSystem busy = ActorSystem.create(
        ActorSystemConfig.builder().name("busy").scheduler(held).build())) {
      Clock clock = busy.spawn(Clock.class, () -> new ClockActor(false));
      TimerId once = ticks.await(clock.once(Duration.ofSeconds(1), "once"));
      TimerId every = ticks.await(clock.every(Duration.ofSeconds(1), "every"));
      held.holding = true; // the actor gets no thread: what it is sent waits in its mailbox
      Mono<Void> cancelOnce = clock.cancel(once);
      Mono<Void> cancelEvery = clock.cancel(every);
      ticks.advanceTimeBy(Duration.ofSeconds(1)); // both fire, behind the two cancellations
      assertThat(busy.mailboxDepth(ActorRefs.idOf(clock))).isEqualTo(4);
      held.release();
      ticks.await(cancelOnce);
      ticks.await(cancelEvery);
      ticks.advanceTimeBy(Duration.ofSeconds(5));
      assertThat(clock.log().block()).as("no job ran after its timer was cancelled").isEmpty();
      assertThat(busy.actors()).singleElement().satisfies(info -> {
        assertThat(info.timers()).isZero();
        assertThat(info.turns()).as("the two settings, the two cancellations").isEqualTo(4);
      });
    }
  }

  /** A scheduler whose tasks to run now wait, while {@code holding}, until {@link #release}. */
  static final class HoldingScheduler extends DelegatingScheduler {
    private final List<Runnable> waiting = new ArrayList<>();
    volatile boolean holding;

    HoldingScheduler(Scheduler delegate) {
      super(delegate);
    }

    @Override
    public Disposable schedule(Runnable task) {
      synchronized (waiting) {
        if (holding) {
          waiting.add(task);
          return Disposables.single();
        }
      }
      return super.schedule(task);
    }

    /** Stops holding and submits the tasks held. */
    void release() {
      List<Runnable> tasks;
      synchronized (waiting) {
        holding = false;
        tasks = new ArrayList<>(waiting);
        waiting.clear();
      }
      tasks.forEach(super::schedule);
    }
  }

  /** A scheduler that passes everything to another one; tests override what they change. */
  static class DelegatingScheduler implements Scheduler {
    private final Scheduler delegate;

    DelegatingScheduler(Scheduler delegate) {
      this.delegate = delegate;
    }

    @Override
    public Disposable schedule(Runnable task) {
      return delegate.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
      return delegate.schedule(task, delay, unit);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period,
        TimeUnit unit) {
      return delegate.schedulePeriodically(task, initialDelay, period, unit);
    }

    @Override
    public long now(TimeUnit unit) {
      return delegate.now(unit);
    }

    @Override
    public Worker createWorker() {
      return delegate.createWorker();
    }
  }

  @Test
  @DisplayName("R25 a recurring timer on a busy actor does not pile firings up in its mailbox")
  void recurringFiringsDoNotPileUpBehindABusyActor() {
    // a busy pool in virtual time: the actor waits up to 5 s to run, its timer fires every second
    DeterministicScheduler busy = DeterministicScheduler.withRunDelays(7, Duration.ofSeconds(5));
    try (ActorSystem slow = TestSystems.on(busy)) {
      Clock clock = slow.spawn(Clock.class, () -> new ClockActor(false));
      ActorId id = ActorRefs.idOf(clock);
      clock.every(Duration.ofSeconds(1), "tick").subscribe(); // set once the actor gets to run
      int deepest = 0;
      for (int second = 0; second < 120; second++) {
        busy.advanceTimeBy(Duration.ofSeconds(1));
        deepest = Math.max(deepest, slow.mailboxDepth(id));
      }
      int ticks = clock.log().block().size(); // a query answers at once, from committed state
      assertThat(deepest).as("at most the one waiting firing").isLessThanOrEqualTo(1);
      assertThat(ticks).as("the timer kept firing, less often than every second")
          .isBetween(20, 119);
    }
  }

  @Test
  @DisplayName("R25 R22 a recurring timer keeps firing after a firing that could not pay its turn fee")
  void recurringTimerKeepsFiringAfterAnUnpaidFiring() {
    try (ActorSystem paying = ActorSystem.create(ActorSystemConfig.builder().name("paying")
        .scheduler(scheduler).fees(10, 0).initialBalance(25).build())) {
      Clock clock = paying.spawn(Clock.class, () -> new ClockActor(false));
      scheduler.await(clock.every(Duration.ofSeconds(1), "beat")); // 25 - 10
      scheduler.advanceTimeBy(Duration.ofSeconds(2)); // one beat paid (5 left), one trapped
      assertThat(clock.log().block()).containsExactly("beat");
      paying.topUp(ActorRefs.idOf(clock), 1_000);
      scheduler.advanceTimeBy(Duration.ofSeconds(3));
      assertThat(clock.log().block()).as("the timer fires again once the actor can pay")
          .containsExactly("beat", "beat", "beat", "beat");
    }
  }
}

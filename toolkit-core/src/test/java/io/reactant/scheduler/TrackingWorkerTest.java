package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;

/** The workers of the toolkit's schedulers (a {@code publishOn}'s, a {@code delayElements}'). */
class TrackingWorkerTest {

  @Test
  @DisplayName("a worker lets go of each one-shot task once it has run, so a long-lived worker does not grow")
  void oneShotTasksAreReleasedOnceRun() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    TrackingWorker worker = (TrackingWorker) scheduler.createWorker();
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 10_000; i++) {
      worker.schedule(ran::incrementAndGet);
      worker.schedule(ran::incrementAndGet, 1, TimeUnit.SECONDS);
    }
    assertThat(worker.trackedTasks()).isEqualTo(20_000);
    scheduler.runUntilIdle();
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(ran).hasValue(20_000);
    assertThat(worker.trackedTasks()).isZero();
  }

  @Test
  @DisplayName("a disposed task never runs and leaves the worker; a periodic one stays until disposed")
  void disposedAndPeriodicTasks() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    TrackingWorker worker = (TrackingWorker) scheduler.createWorker();
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger ticks = new AtomicInteger();
    Disposable cancelled = worker.schedule(ran::incrementAndGet, 1, TimeUnit.SECONDS);
    Disposable periodic = worker.schedulePeriodically(ticks::incrementAndGet, 1, 1, TimeUnit.SECONDS);
    cancelled.dispose();
    assertThat(cancelled.isDisposed()).isTrue();
    assertThat(worker.trackedTasks()).isOne();

    scheduler.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(ran).hasValue(0);
    assertThat(ticks).hasValue(3);
    assertThat(worker.trackedTasks()).isOne();

    periodic.dispose();
    scheduler.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(ticks).hasValue(3);
    assertThat(worker.trackedTasks()).isZero();
  }

  @Test
  @DisplayName("disposing the worker cancels its pending tasks and refuses new ones")
  void disposingTheWorkerCancelsPendingTasks() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Scheduler.Worker worker = scheduler.createWorker();
    AtomicInteger ran = new AtomicInteger();
    worker.schedule(ran::incrementAndGet, 1, TimeUnit.SECONDS);
    worker.schedulePeriodically(ran::incrementAndGet, 1, 1, TimeUnit.SECONDS);
    worker.dispose();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> worker.schedule(ran::incrementAndGet))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    scheduler.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(worker.isDisposed()).isTrue();
    assertThat(ran).hasValue(0);
  }

  @Test
  @DisplayName("a task the scheduler refuses (it is disposed) is refused by the worker too, and the"
      + " worker does not keep it: immediate, delayed or periodic, on either scheduler")
  void refusedTasksLeaveTheWorker() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    WorkStealingScheduler pool = WorkStealingScheduler.create("refusing-worker", 1);
    for (Scheduler scheduler : List.of(clock, pool)) {
      TrackingWorker worker = (TrackingWorker) scheduler.createWorker();
      scheduler.dispose();
      List<Runnable> attempts = List.of(
          () -> worker.schedule(() -> { }),
          () -> worker.schedule(() -> { }, 1, TimeUnit.SECONDS),
          () -> worker.schedulePeriodically(() -> { }, 1, 1, TimeUnit.SECONDS));
      for (Runnable attempt : attempts) {
        org.assertj.core.api.Assertions.assertThatThrownBy(attempt::run).as("%s", scheduler)
            .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
      }
      assertThat(worker.trackedTasks()).as("%s", scheduler).isZero();
    }
  }

  @Test
  @DisplayName("4 threads scheduling on a worker of a disposed pool at once: each task is refused"
      + " (RejectedExecutionException) or, queued behind a refusal on another thread, disposed;"
      + " none is left pending in the worker")
  void tasksRacingARefusalAreRefusedOrDisposed() throws Exception {
    for (int round = 0; round < 50; round++) {
      WorkStealingScheduler pool = WorkStealingScheduler.create("refusing-race", 1);
      pool.dispose();
      TrackingWorker worker = (TrackingWorker) pool.createWorker();
      int threads = 4;
      int perThread = 500;
      java.util.Queue<Disposable> accepted = new java.util.concurrent.ConcurrentLinkedQueue<>();
      AtomicInteger ran = new AtomicInteger();
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      Thread[] senders = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        senders[t] = new Thread(() -> {
          try {
            start.await(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          for (int i = 0; i < perThread; i++) {
            try {
              accepted.add(worker.schedule(ran::incrementAndGet));
            } catch (java.util.concurrent.RejectedExecutionException refused) {
              // what the worker of a disposed pool answers
            }
          }
        });
        senders[t].start();
      }
      for (Thread s : senders) {
        s.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(s.isAlive()).as("a sender still scheduling after 30 s").isFalse();
      }
      assertThat(ran).as("round %d: tasks run by a disposed pool", round).hasValue(0);
      assertThat(accepted.stream().filter(d -> !d.isDisposed()).count())
          .as("round %d: of %d tasks taken without a refusal, those left pending", round,
              accepted.size())
          .isZero();
      assertThat(worker.trackedTasks()).as("round %d: tasks the worker keeps", round).isZero();
    }
  }

  @Test
  @DisplayName("under contention, tasks scheduled from many threads on the pool all run once and none is kept")
  void poolWorkerUnderContention() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("worker-test", 2);
    try {
      TrackingWorker worker = (TrackingWorker) pool.createWorker();
      int threads = 4;
      int perThread = 5_000;
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(threads * perThread);
      Thread[] senders = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        senders[t] = new Thread(() -> {
          for (int i = 0; i < perThread; i++) {
            worker.schedule(() -> {
              ran.incrementAndGet();
              done.countDown();
            });
          }
        });
        senders[t].start();
      }
      for (Thread s : senders) {
        s.join();
      }
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(ran).hasValue(threads * perThread);
      // a task leaves the set in its finally, just after its count: wait for the last ones
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (worker.trackedTasks() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(worker.trackedTasks()).isZero();
      worker.dispose();
    } finally {
      pool.dispose();
    }
  }

  @Test
  @DisplayName("a publishOn over a long stream on the deterministic scheduler delivers everything in order")
  void publishOnDeliversInOrder() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    StepVerifier.create(Flux.range(0, 1_000).publishOn(scheduler).collectList())
        .then(scheduler::runUntilIdle)
        .assertNext(list -> assertThat(list).hasSize(1_000).isSorted())
        .verifyComplete();
  }
  @Test
  @DisplayName("on a seeded scheduler, with or without run delays, a worker runs its tasks one at a"
      + " time in the order they fell due, as Reactor's workers do: delaySequence keeps every"
      + " element, in order")
  void seededWorkerKeepsOrder() {
    for (long seed = 0; seed < 20; seed++) {
      for (DeterministicScheduler scheduler : List.of(DeterministicScheduler.withSeed(seed),
          DeterministicScheduler.withRunDelays(seed, Duration.ofMillis(3)))) {
        Scheduler.Worker worker = scheduler.createWorker();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          int n = i;
          worker.schedule(() -> ran.add(n), i % 2 == 0 ? 0 : 1, TimeUnit.NANOSECONDS);
          worker.schedule(() -> ran.add(100 + n));
        }
        for (Duration delay : List.of(Duration.ZERO, Duration.ofSeconds(1))) {
          assertThat(scheduler.await(Flux.range(0, 50).delaySequence(delay, scheduler)
              .collectList(), Duration.ofMinutes(1)))
              .as("seed %d, %s, delay %s", seed, scheduler, delay)
              .isEqualTo(IntStream.range(0, 50).boxed().toList());
        }
        scheduler.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(ran.stream().filter(n -> n >= 100).toList()).as("seed %d", seed)
            .isEqualTo(IntStream.range(100, 120).boxed().toList());
        assertThat(ran.stream().filter(n -> n % 2 == 0 && n < 100).toList())
            .as("due at once, after the tasks before them: seed %d", seed)
            .isEqualTo(IntStream.range(0, 20).filter(n -> n % 2 == 0).boxed().toList());
      }
    }
  }

  @Test
  @DisplayName("on the pool, a worker never runs two of its tasks at once and runs delayed ones in"
      + " the order they fell due: delaySequence over 10,000 elements keeps every one, in order")
  void poolWorkerIsSerial() {
    WorkStealingScheduler pool = WorkStealingScheduler.create("serial-worker", 2);
    try {
      Scheduler.Worker worker = pool.createWorker();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      List<Integer> ran = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch done = new CountDownLatch(10_000);
      for (int i = 0; i < 10_000; i++) {
        int n = i;
        worker.schedule(() -> {
          if (running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
          }
          ran.add(n);
          running.decrementAndGet();
          done.countDown();
        });
      }
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(overlaps).hasValue(0);
      assertThat(ran).isEqualTo(IntStream.range(0, 10_000).boxed().toList());
      worker.dispose();
      for (int round = 0; round < 5; round++) {
        assertThat(Flux.range(0, 10_000).delaySequence(Duration.ofMillis(1), pool).collectList()
            .block(Duration.ofSeconds(30))).as("round %d", round)
            .isEqualTo(IntStream.range(0, 10_000).boxed().toList());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.dispose();
    }
  }
  @Test
  @DisplayName("on a deterministic scheduler with run delays (a busy pool), a worker's periodic task"
      + " skips the firings that come while its last run waits: no burst of runs at one instant")
  void deterministicWorkerPeriodicTaskSkipsFiringsWhileQueued() {
    DeterministicScheduler scheduler =
        DeterministicScheduler.withRunDelays(3, Duration.ofSeconds(10));
    Scheduler.Worker worker = scheduler.createWorker();
    List<Long> runs = new ArrayList<>();
    worker.schedulePeriodically(() -> runs.add(scheduler.now(TimeUnit.NANOSECONDS)), 1, 1,
        TimeUnit.SECONDS);
    scheduler.advanceTimeBy(Duration.ofSeconds(100));
    assertThat(runs).as("runs behind a wait of up to 10 s of a 1 s period").hasSizeBetween(10, 99)
        .doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("on the pool, a worker's periodic task skips a firing while its last run is still"
      + " queued or running, as the pool's own periodic tasks do: no backlog of firings piles up"
      + " behind a slow run")
  void poolWorkerPeriodicTaskSkipsFiringsWhileBusy() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("periodic-worker", 2);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch witnessed = new CountDownLatch(50);
    CountDownLatch markerRan = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger runsBeforeMarker = new AtomicInteger(-1);
    try {
      Scheduler.Worker worker = pool.createWorker();
      Disposable slow = worker.schedulePeriodically(() -> {
        if (runs.incrementAndGet() == 1) {
          entered.countDown();
          try {
            release.await(30, TimeUnit.SECONDS); // the first run outlasts many periods
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }, 1, 1, TimeUnit.MILLISECONDS);
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      // a witness on the same timer thread, scheduled later with the same period: once it fired
      // 50 times, the slow task's timer fired at least as often while its first run was held
      Disposable witness = pool.schedulePeriodicallyOnTimer(witnessed::countDown, 1, 1,
          TimeUnit.MILLISECONDS);
      assertThat(witnessed.await(30, TimeUnit.SECONDS)).isTrue();
      witness.dispose();
      // queued in the worker behind whatever those firings queued: it runs after them
      worker.schedule(() -> {
        runsBeforeMarker.set(runs.get());
        markerRan.countDown();
      });
      release.countDown();
      assertThat(markerRan.await(30, TimeUnit.SECONDS)).isTrue();
      slow.dispose();
      worker.dispose();
      assertThat(runsBeforeMarker).as("no firing was queued while the first run was held")
          .hasValue(1);
    } finally {
      release.countDown();
      pool.dispose();
    }
  }
  @Test
  @DisplayName("disposed gracefully, the pool still runs a worker's delayed task scheduled before,"
      + " when due, as it runs its own: on the timer thread, the pool taking no more tasks")
  void poolWorkerDelayedTaskRunsAfterGracefulDisposal() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("graceful-worker", 2);
    Scheduler.Worker worker = pool.createWorker();
    CountDownLatch ran = new CountDownLatch(2);
    // due once the pool has gone
    worker.schedule(ran::countDown, 200, TimeUnit.MILLISECONDS);
    worker.schedule(ran::countDown, 200, TimeUnit.MILLISECONDS);
    pool.disposeGracefully().block(Duration.ofSeconds(30));
    assertThat(pool.isDisposed()).isTrue();
    assertThat(ran.await(30, TimeUnit.SECONDS)).as("both delayed tasks ran").isTrue();
    // the latch opens inside the second task, which leaves the worker's set just after it
    TrackingWorker tracking = (TrackingWorker) worker;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (tracking.trackedTasks() != 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(tracking.trackedTasks()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> worker.schedule(() -> { }))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
  }
}

package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The work-stealing scheduler's periodic tasks schedule their next firing themselves, on the timer
 * thread, after each firing: a disposal that comes while a firing runs, a task that throws and a
 * {@code Flux.interval} cancelled must each leave the timer as it should.
 */
class PeriodicTaskDisposalTest {

  /** Waits until the timer thread has finished what it was running (it runs one task at a time). */
  private static void awaitTimerIdle(WorkStealingScheduler pool) throws InterruptedException {
    CountDownLatch probe = new CountDownLatch(1);
    pool.scheduleOnTimer(probe::countDown, 0, TimeUnit.NANOSECONDS);
    assertThat(probe.await(30, TimeUnit.SECONDS)).as("the timer thread ran the probe").isTrue();
  }

  @Test
  @DisplayName("a periodic task on the timer thread disposed while its firing runs (before the"
      + " firing schedules the next) never runs again and leaves no firing on the timer")
  void disposedWhileItsFiringRuns() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("periodic-dispose-in-run", 1);
    try {
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Disposable task = pool.schedulePeriodicallyOnTimer(() -> {
        runs.incrementAndGet();
        running.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, 0, 1, TimeUnit.MILLISECONDS);
      assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
      task.dispose();
      release.countDown();
      awaitTimerIdle(pool);
      assertThat(pool.timerQueueSize()).as("firings left on the timer").isZero();
      assertThat(runs).hasValue(1);
      assertThat(task.isDisposed()).isTrue();
    } finally {
      pool.dispose();
    }
  }

  @Test
  @DisplayName("a periodic task on the pool that throws at every run keeps its schedule, as on"
      + " Reactor's schedulers, until disposed")
  void aTaskThatThrowsKeepsFiring() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("periodic-throws", 1);
    try {
      CountDownLatch thrice = new CountDownLatch(3);
      Disposable task = pool.schedulePeriodically(() -> {
        thrice.countDown();
        throw new IllegalStateException("a bug in a periodic task");
      }, 0, 1, TimeUnit.MILLISECONDS);
      assertThat(thrice.await(30, TimeUnit.SECONDS)).as("it ran three times").isTrue();
      task.dispose();
      awaitTimerIdle(pool);
      assertThat(pool.timerQueueSize()).isZero();
    } finally {
      pool.dispose();
    }
  }

  @Test
  @DisplayName("a Flux.interval on the pool, cancelled by take(5), leaves no firing on the timer")
  void aCancelledIntervalLeavesNoFiring() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("periodic-interval", 2);
    try {
      assertThat(Flux.interval(Duration.ofMillis(1), pool).take(5).collectList()
          .block(Duration.ofSeconds(30))).containsExactly(0L, 1L, 2L, 3L, 4L);
      awaitTimerIdle(pool);
      assertThat(pool.timerQueueSize()).as("firings left on the timer").isZero();
    } finally {
      pool.dispose();
    }
  }

  @Test
  @DisplayName("a worker's periodic task stops when the worker is disposed: no run after, no"
      + " firing left on the timer")
  void aWorkersPeriodicTaskStopsWithTheWorker() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("periodic-worker", 1);
    try {
      reactor.core.scheduler.Scheduler.Worker worker = pool.createWorker();
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch twice = new CountDownLatch(2);
      worker.schedulePeriodically(() -> {
        runs.incrementAndGet();
        twice.countDown();
      }, 0, 1, TimeUnit.MILLISECONDS);
      assertThat(twice.await(30, TimeUnit.SECONDS)).isTrue();
      worker.dispose();
      awaitTimerIdle(pool);
      // a run handed to the worker's queue before the disposal may still end; none starts after
      CountDownLatch drained = new CountDownLatch(1);
      pool.schedule(drained::countDown);
      assertThat(drained.await(30, TimeUnit.SECONDS)).isTrue();
      int after = runs.get();
      awaitTimerIdle(pool);
      assertThat(pool.timerQueueSize()).as("firings left on the timer").isZero();
      assertThat(runs).hasValue(after);
    } finally {
      pool.dispose();
    }
  }

  @Test
  @DisplayName("an immediate dispose() of the pool disposes the handles of its periodic tasks, its"
      + " own and a worker's, fired or not yet: they will never fire again")
  void immediateDisposalDisposesPeriodicHandles() throws InterruptedException {
    periodicHandlesDisposedBy(WorkStealingScheduler::dispose);
  }

  @Test
  @DisplayName("disposeGracefully() disposes the handles of the pool's periodic tasks, its own and"
      + " a worker's, fired or not yet: they will never fire again")
  void gracefulDisposalDisposesPeriodicHandles() throws InterruptedException {
    periodicHandlesDisposedBy(pool -> pool.disposeGracefully().block(Duration.ofSeconds(30)));
  }

  private static void periodicHandlesDisposedBy(
      java.util.function.Consumer<WorkStealingScheduler> disposal) throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("periodic-handles", 1);
    try {
      CountDownLatch fired = new CountDownLatch(2);
      reactor.core.scheduler.Scheduler.Worker worker = pool.createWorker();
      Disposable own = pool.schedulePeriodically(fired::countDown, 0, 1, TimeUnit.DAYS);
      Disposable workers = worker.schedulePeriodically(fired::countDown, 0, 1, TimeUnit.DAYS);
      Disposable ownLater = pool.schedulePeriodically(() -> { }, 1, 1, TimeUnit.DAYS);
      Disposable workersLater = worker.schedulePeriodically(() -> { }, 1, 1, TimeUnit.DAYS);
      assertThat(fired.await(30, TimeUnit.SECONDS)).as("both fired once").isTrue();
      assertThat(java.util.List.of(own, workers, ownLater, workersLater))
          .noneMatch(Disposable::isDisposed);
      disposal.accept(pool);
      assertThat(pool.isDisposed()).isTrue();
      assertThat(own.isDisposed()).as("the pool's own periodic task").isTrue();
      assertThat(workers.isDisposed()).as("a worker's periodic task").isTrue();
      assertThat(ownLater.isDisposed()).as("the pool's own, not fired yet").isTrue();
      assertThat(workersLater.isDisposed()).as("a worker's, not fired yet").isTrue();
    } finally {
      pool.dispose();
    }
  }
}

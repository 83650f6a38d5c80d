package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The lifecycle of the toolkit's schedulers and their workers against Reactor's {@link Scheduler}
 * contract, with one of Reactor's own schedulers as the reference where it has one: what a
 * disposed worker or scheduler answers.
 */
class SchedulerLifecycleTest {

  @Test
  @DisplayName("a disposed worker refuses a task with RejectedExecutionException, now, delayed or"
      + " periodic, as Reactor's workers do, rather than dropping it behind a disposed handle: on"
      + " Reactor's parallel scheduler, the pool and the deterministic scheduler")
  void aDisposedWorkerRefusesTasks() {
    Scheduler reference = Schedulers.newParallel("reference", 1);
    WorkStealingScheduler pool = WorkStealingScheduler.create("disposed-worker", 1);
    DeterministicScheduler clock = DeterministicScheduler.create();
    try {
      for (Scheduler s : List.of(reference, pool, clock)) {
        Scheduler.Worker worker = s.createWorker();
        worker.dispose();
        AtomicInteger ran = new AtomicInteger();
        List<Runnable> attempts = List.of(
            () -> worker.schedule(ran::incrementAndGet),
            () -> worker.schedule(ran::incrementAndGet, 1, TimeUnit.MILLISECONDS),
            () -> worker.schedulePeriodically(ran::incrementAndGet, 1, 1, TimeUnit.MILLISECONDS));
        for (Runnable attempt : attempts) {
          assertThat(catchThrowable(attempt::run)).as("%s", s)
              .isInstanceOf(RejectedExecutionException.class);
        }
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(ran).as("%s", s).hasValue(0);
      }
    } finally {
      reference.dispose();
      pool.dispose();
    }
  }

  @Test
  @DisplayName("a Mono.delay on Schedulers.single(pool) after that scheduler was disposed fails with"
      + " RejectedExecutionException, as on Reactor's own schedulers, instead of never emitting")
  void aDelayOnADisposedWorkerSchedulerFails() {
    WorkStealingScheduler pool = WorkStealingScheduler.create("single-of-pool", 1);
    Scheduler reference = Schedulers.newParallel("reference", 1);
    try {
      for (Scheduler s : List.of(reference, pool)) {
        Scheduler single = Schedulers.single(s); // one worker of s
        single.dispose();
        StepVerifier.create(Mono.delay(Duration.ofMillis(1), single))
            .expectError(RejectedExecutionException.class)
            .verify(Duration.ofSeconds(10));
      }
    } finally {
      pool.dispose();
      reference.dispose();
    }
  }

  @Test
  @DisplayName("init() readies a live scheduler (a no-op: it takes tasks from its creation) and"
      + " throws IllegalStateException on a disposed one, immediately or gracefully, as Reactor's"
      + " schedulers do (Scheduler.init since 3.5), rather than leaving it disposed in silence")
  void initOnADisposedSchedulerThrows() {
    List<Scheduler> schedulers = List.of(Schedulers.newParallel("reference", 1),
        WorkStealingScheduler.create("init", 1), DeterministicScheduler.create(),
        WorkStealingScheduler.create("init-graceful", 1));
    try {
      for (Scheduler s : schedulers) {
        s.init();
        AtomicInteger ran = new AtomicInteger();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        s.schedule(() -> {
          ran.incrementAndGet();
          done.countDown();
        });
        if (s instanceof DeterministicScheduler clock) {
          clock.runUntilIdle();
        }
        assertThat(awaitQuietly(done)).as("%s ran a task after init()", s).isTrue();
        if (s.toString().contains("init-graceful")) {
          s.disposeGracefully().block(Duration.ofSeconds(10));
        } else {
          s.dispose();
        }
        assertThat(catchThrowable(s::init)).as("%s", s).isInstanceOf(IllegalStateException.class);
        assertThat(s.isDisposed()).as("%s", s).isTrue();
      }
    } finally {
      schedulers.forEach(Scheduler::dispose);
    }
  }

  private static boolean awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
          assertThatThrownBy(attempt::run).as("%s", s)
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
}

package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The handles ({@link Disposable}s) that the toolkit's schedulers and their workers return: a
 * one-shot task's says it is disposed once the task has run (or thrown), as the handles of
 * Reactor's own schedulers do ({@code SchedulerTask}, {@code WorkerTask}: finished counts as
 * disposed), and not before; a periodic task's only once disposed.
 */
class TaskHandlesTest {

  @Test
  @DisplayName("on the deterministic scheduler, a one-shot task's handle (now or delayed, its own or"
      + " a worker's) says it is disposed once the task ran or threw, not while it runs nor"
      + " before; a periodic task's (its own or a worker's) stays live until disposed")
  void deterministicHandles() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Scheduler.Worker worker = scheduler.createWorker();
    AtomicReference<Disposable> self = new AtomicReference<>();
    AtomicReference<Boolean> disposedWhileRunning = new AtomicReference<>();
    self.set(scheduler.schedule(() -> disposedWhileRunning.set(self.get().isDisposed())));
    List<Disposable> now = List.of(self.get(), worker.schedule(() -> { }));
    List<Disposable> later = List.of(scheduler.schedule(() -> { }, 1, TimeUnit.SECONDS),
        worker.schedule(() -> { }, 1, TimeUnit.SECONDS));
    List<Disposable> periodic = List.of(
        scheduler.schedulePeriodically(() -> { }, 0, 1, TimeUnit.SECONDS),
        worker.schedulePeriodically(() -> { }, 0, 1, TimeUnit.SECONDS));
    assertThat(List.of(now, later, periodic)).allSatisfy(handles ->
        assertThat(handles).noneMatch(Disposable::isDisposed));

    scheduler.runUntilIdle();

    assertThat(disposedWhileRunning.get()).isFalse();
    assertThat(now).allMatch(Disposable::isDisposed);
    assertThat(later).noneMatch(Disposable::isDisposed);
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(later).allMatch(Disposable::isDisposed);
    assertThat(periodic).noneMatch(Disposable::isDisposed);

    IllegalStateException boom = new IllegalStateException("boom");
    Disposable threw = scheduler.schedule(() -> {
      throw boom;
    });
    assertThatThrownBy(scheduler::runUntilIdle).isSameAs(boom);
    assertThat(threw.isDisposed()).isTrue();
    Disposable workerThrew = worker.schedule(() -> {
      throw boom;
    });
    assertThatThrownBy(scheduler::runUntilIdle).isSameAs(boom);
    assertThat(workerThrew.isDisposed()).isTrue();
    periodic.forEach(Disposable::dispose);
    assertThat(periodic).allMatch(Disposable::isDisposed);
  }

  @Test
  @DisplayName("on the work-stealing pool, a one-shot task's handle (now or delayed, its own or a"
      + " worker's) says it is disposed once the task ran, as on Reactor's single scheduler; a"
      + " periodic task's (its own or a worker's, which keeps firing) stays live until disposed")
  void poolHandles() throws Exception {
    Scheduler reactors = Schedulers.newSingle("reference");
    WorkStealingScheduler pool = WorkStealingScheduler.create("handles", 1);
    try {
      for (Scheduler s : List.of(reactors, pool)) {
        Scheduler.Worker worker = s.createWorker();
        assertThat(disposedOnceRun(s, task -> s.schedule(task))).as(s + " now").isTrue();
        assertThat(disposedOnceRun(s, task -> s.schedule(task, 1, TimeUnit.MILLISECONDS)))
            .as(s + " delayed").isTrue();
        assertThat(disposedOnceRun(s, task -> worker.schedule(task))).as(s + " worker now")
            .isTrue();
        assertThat(disposedOnceRun(s, task -> worker.schedule(task, 1, TimeUnit.MILLISECONDS)))
            .as(s + " worker delayed").isTrue();
        assertThat(disposedOnceRun(s,
            task -> s.schedulePeriodically(task, 0, 1, TimeUnit.HOURS)))
            .as(s + " periodic").isFalse();
        assertThat(disposedOnceRun(s,
            task -> worker.schedulePeriodically(task, 0, 1, TimeUnit.HOURS)))
            .as(s + " worker periodic").isFalse();
        worker.dispose();
      }
      CountDownLatch twice = new CountDownLatch(2);
      Disposable firing = pool.createWorker()
          .schedulePeriodically(twice::countDown, 1, 1, TimeUnit.MILLISECONDS);
      assertThat(twice.await(10, TimeUnit.SECONDS)).as("a worker's periodic task fires again")
          .isTrue();
      assertThat(firing.isDisposed()).isFalse();
      firing.dispose();
      assertThat(firing.isDisposed()).isTrue();
    } finally {
      reactors.dispose();
      pool.dispose();
    }
  }

  /**
   * Schedules a task with {@code scheduling} on a one-thread scheduler, and returns what its handle
   * says (disposed or not) to a task that the first one's run queues on the same thread: one that
   * runs once that run has ended. A periodic task's handle is disposed afterwards.
   */
  private static boolean disposedOnceRun(Scheduler oneThread,
      Function<Runnable, Disposable> scheduling) throws Exception {
    CompletableFuture<Disposable> handle = new CompletableFuture<>();
    CompletableFuture<Boolean> disposed = new CompletableFuture<>();
    handle.complete(scheduling.apply(() -> handle.thenAccept(
        h -> oneThread.schedule(() -> disposed.complete(h.isDisposed())))));
    try {
      return disposed.get(10, TimeUnit.SECONDS);
    } finally {
      handle.get().dispose();
    }
  }
}

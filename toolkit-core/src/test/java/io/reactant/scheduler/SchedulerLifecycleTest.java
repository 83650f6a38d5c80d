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

  @Test
  @DisplayName("on the pool, disposing a worker while one of its tasks runs lets that run end,"
      + " cancels its tasks queued behind it and its delayed one, and leaves another worker's"
      + " tasks and the pool's own to run")
  void disposingAWorkerCancelsOnlyItsOwnTasks() throws InterruptedException {
    // one thread: what the disposed worker's run would still do, it does before the tasks queued
    // after it on the pool
    WorkStealingScheduler pool = WorkStealingScheduler.create("worker-isolation", 1);
    try {
      Scheduler.Worker disposed = pool.createWorker();
      Scheduler.Worker other = pool.createWorker();
      java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch otherRan = new java.util.concurrent.CountDownLatch(3);
      AtomicInteger cancelledRan = new AtomicInteger();
      AtomicInteger firstEnded = new AtomicInteger();
      disposed.schedule(() -> {
        running.countDown();
        awaitQuietly(release);
        firstEnded.incrementAndGet();
      });
      assertThat(awaitQuietly(running)).isTrue();
      disposed.schedule(cancelledRan::incrementAndGet); // queued in the worker behind the first
      disposed.schedule(cancelledRan::incrementAndGet);
      disposed.schedule(cancelledRan::incrementAndGet, 1, TimeUnit.MILLISECONDS);
      other.schedule(otherRan::countDown);
      other.schedule(otherRan::countDown, 1, TimeUnit.MILLISECONDS);
      disposed.dispose();
      pool.schedule(otherRan::countDown);
      release.countDown();
      assertThat(awaitQuietly(otherRan)).as("the other worker's and the pool's tasks ran")
          .isTrue();
      // a probe behind the disposed worker's delayed task on the timer, then on the pool
      java.util.concurrent.CountDownLatch probe = new java.util.concurrent.CountDownLatch(1);
      pool.schedule(() -> pool.schedule(probe::countDown), 5, TimeUnit.MILLISECONDS);
      assertThat(awaitQuietly(probe)).isTrue();
      assertThat(firstEnded).as("the running task ended its run").hasValue(1);
      assertThat(cancelledRan).as("the disposed worker's pending tasks").hasValue(0);
      other.dispose();
    } finally {
      pool.dispose();
    }
  }

  @Test
  @DisplayName("on the pool, a task that throws leaves its thread alive: the next task runs on the"
      + " same thread of a one-thread pool, and so does a worker's next task after one of its"
      + " own threw")
  void aThrowingTaskKeepsItsThread() throws Exception {
    WorkStealingScheduler pool = WorkStealingScheduler.create("throwing", 1);
    Thread.UncaughtExceptionHandler quiet = (t, e) -> { };
    try {
      java.util.concurrent.CompletableFuture<Thread> first =
          new java.util.concurrent.CompletableFuture<>();
      java.util.concurrent.CompletableFuture<Thread> afterOwn =
          new java.util.concurrent.CompletableFuture<>();
      java.util.concurrent.CompletableFuture<Thread> afterWorkers =
          new java.util.concurrent.CompletableFuture<>();
      pool.schedule(() -> {
        Thread.currentThread().setUncaughtExceptionHandler(quiet); // the bug is expected
        first.complete(Thread.currentThread());
        throw new IllegalStateException("a bug in a task");
      });
      pool.schedule(() -> afterOwn.complete(Thread.currentThread()));
      Scheduler.Worker worker = pool.createWorker();
      worker.schedule(() -> {
        throw new IllegalStateException("a bug in a worker's task");
      });
      worker.schedule(() -> afterWorkers.complete(Thread.currentThread()));
      assertThat(afterOwn.get(10, TimeUnit.SECONDS)).isSameAs(first.get());
      assertThat(afterWorkers.get(10, TimeUnit.SECONDS)).isSameAs(first.get());
      worker.dispose();
    } finally {
      pool.dispose();
    }
  }

  @Test
  @DisplayName("a pool disposed at once, gracefully, gracefully twice, at once after gracefully or"
      + " gracefully after at once refuses schedule now, delayed and periodic and execute with"
      + " RejectedExecutionException, as Reactor's parallel scheduler does; every repeated disposal"
      + " completes, and the pool's threads end")
  void disposalsRefuseTasksAndRepeatQuietly() throws InterruptedException {
    java.util.Map<String, java.util.function.Consumer<Scheduler>> disposals =
        new java.util.LinkedHashMap<>();
    disposals.put("dispose", Scheduler::dispose);
    disposals.put("graceful", s -> s.disposeGracefully().block(Duration.ofSeconds(10)));
    disposals.put("graceful twice", s -> {
      s.disposeGracefully().block(Duration.ofSeconds(10));
      s.disposeGracefully().block(Duration.ofSeconds(10));
    });
    disposals.put("graceful then dispose", s -> {
      s.disposeGracefully().block(Duration.ofSeconds(10));
      s.dispose();
    });
    disposals.put("dispose then graceful", s -> {
      s.dispose();
      s.disposeGracefully().block(Duration.ofSeconds(10));
    });
    for (var disposal : disposals.entrySet()) {
      String name = "disposals-" + disposal.getKey().replace(' ', '-');
      for (Scheduler s : List.of(Schedulers.newParallel("reference"),
          WorkStealingScheduler.create(name, 1))) {
        s.schedule(() -> { }); // its thread started
        disposal.getValue().accept(s);
        assertThat(s.isDisposed()).as("%s %s", disposal.getKey(), s).isTrue();
        AtomicInteger ran = new AtomicInteger();
        List<Runnable> attempts = new java.util.ArrayList<>(List.of(
            () -> s.schedule(ran::incrementAndGet),
            () -> s.schedule(ran::incrementAndGet, 1, TimeUnit.MILLISECONDS),
            () -> s.schedulePeriodically(ran::incrementAndGet, 1, 1, TimeUnit.MILLISECONDS)));
        if (s instanceof java.util.concurrent.Executor executor) { // the pool's hot path
          attempts.add(() -> executor.execute(ran::incrementAndGet));
        }
        for (Runnable attempt : attempts) {
          assertThat(catchThrowable(attempt::run)).as("%s %s", disposal.getKey(), s)
              .isInstanceOf(RejectedExecutionException.class);
        }
        assertThat(ran).hasValue(0);
      }
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith(name + "-")) {
          t.join(TimeUnit.SECONDS.toMillis(30));
          assertThat(t.isAlive()).as("%s ended", t.getName()).isFalse();
        }
      }
    }
  }

  @Test
  @DisplayName("disposed gracefully, a delayed task scheduled before that throws when due, which"
      + " the timer thread runs itself (the pool takes no more tasks), reaches that thread's"
      + " uncaught exception handler, as a task that throws on the pool reaches its thread's,"
      + " instead of vanishing in the timer's future; the pool's own task and a worker's")
  void aThrowingTaskOnTheTimerThreadIsReported() throws Exception {
    WorkStealingScheduler pool = WorkStealingScheduler.create("timer-throws", 1);
    Scheduler.Worker worker = pool.createWorker();
    java.util.concurrent.CountDownLatch due = new java.util.concurrent.CountDownLatch(1);
    IllegalStateException own = new IllegalStateException("a bug in a delayed task");
    IllegalStateException workers = new IllegalStateException("a bug in a worker's delayed task");
    // due once the pool is gone: the timer thread waits for the latch, the tasks then fall due
    pool.scheduleOnTimer(() -> awaitQuietly(due), 0, TimeUnit.NANOSECONDS);
    pool.schedule(() -> {
      throw own;
    }, 1, TimeUnit.MILLISECONDS);
    worker.schedule(() -> {
      throw workers;
    }, 1, TimeUnit.MILLISECONDS);
    java.util.concurrent.BlockingQueue<Throwable> reported =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Thread timer = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("timer-throws-timer")).findFirst().orElseThrow();
    timer.setUncaughtExceptionHandler((t, e) -> reported.add(e));
    pool.disposeGracefully().block(Duration.ofSeconds(10));
    due.countDown();
    java.util.Set<Throwable> seen = new java.util.HashSet<>();
    for (int i = 0; i < 2; i++) {
      Throwable e = reported.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("report %d", i + 1).isNotNull();
      seen.add(e);
    }
    assertThat(seen).containsExactlyInAnyOrder(own, workers);
  }

  @Test
  @DisplayName("disposed gracefully while a worker's task runs, the pool still runs the worker's"
      + " tasks queued before, those behind one that throws too (the throw reaches the thread's"
      + " handler): the new run of the queue after the throw, submitted from a pool thread, is"
      + " still taken by the pool shutting down")
  void aThrowingWorkerTaskDuringAGracefulDisposalDropsNoTaskQueuedBefore() throws Exception {
    WorkStealingScheduler pool = WorkStealingScheduler.create("graceful-throw", 1);
    Scheduler.Worker worker = pool.createWorker();
    java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch ranBehind = new java.util.concurrent.CountDownLatch(2);
    java.util.concurrent.BlockingQueue<Throwable> reported =
        new java.util.concurrent.LinkedBlockingQueue<>();
    IllegalStateException bug = new IllegalStateException("a bug in a worker's task");
    worker.schedule(() -> {
      Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.add(e));
      running.countDown();
      awaitQuietly(release);
    });
    assertThat(awaitQuietly(running)).isTrue();
    worker.schedule(ranBehind::countDown);
    worker.schedule(() -> {
      throw bug;
    });
    worker.schedule(ranBehind::countDown);
    pool.disposeGracefully().block(Duration.ofSeconds(10));
    release.countDown();
    assertThat(ranBehind.await(10, TimeUnit.SECONDS)).as("both tasks around the throw ran")
        .isTrue();
    assertThat(reported.poll(10, TimeUnit.SECONDS)).isSameAs(bug);
  }

  @Test
  @DisplayName("a worker whose scheduler is disposed while one of the worker's tasks runs refuses a"
      + " task that task then gives it, as a worker of Reactor's parallel scheduler does, rather"
      + " than running it behind the running one on a disposed scheduler")
  void aWorkerRefusesTasksOnceItsSchedulerIsDisposedDuringItsRun() throws Exception {
    Scheduler reference = Schedulers.newParallel("reference", 1);
    WorkStealingScheduler pool = WorkStealingScheduler.create("disposed-during-run", 1);
    DeterministicScheduler clock = DeterministicScheduler.create();
    try {
      for (Scheduler s : List.of(reference, pool, clock)) {
        Scheduler.Worker worker = s.createWorker();
        AtomicInteger ran = new AtomicInteger();
        java.util.concurrent.CompletableFuture<Throwable> given =
            new java.util.concurrent.CompletableFuture<>();
        worker.schedule(() -> {
          s.dispose();
          given.complete(catchThrowable(() -> worker.schedule(ran::incrementAndGet)));
        });
        clock.runUntilIdle();
        assertThat(given.get(10, TimeUnit.SECONDS)).as("%s", s)
            .isInstanceOf(RejectedExecutionException.class);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(ran).as("%s", s).hasValue(0);
      }
    } finally {
      reference.dispose();
      pool.dispose();
      clock.dispose();
    }
  }
}

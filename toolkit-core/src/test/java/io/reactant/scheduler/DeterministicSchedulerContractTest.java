package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** The documented behaviour of {@link DeterministicScheduler}'s own methods. */
class DeterministicSchedulerContractTest {

  @Test
  @DisplayName("without a seed, ready tasks run in submission order, those they submit after;"
      + " runUntilIdle returns how many ran and does not move the clock")
  void fifoWithoutASeed() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> ran = new ArrayList<>();
    scheduler.execute(() -> {
      ran.add("a");
      scheduler.execute(() -> ran.add("e (submitted by a)"));
    });
    scheduler.schedule(() -> ran.add("b"));
    scheduler.schedule(() -> ran.add("c"), 0, TimeUnit.SECONDS);
    scheduler.createWorker().schedule(() -> ran.add("d"));
    scheduler.schedule(() -> ran.add("later"), 1, TimeUnit.NANOSECONDS);
    assertThat(scheduler.readyTasks()).isEqualTo(4);
    assertThat(scheduler.delayedTasks()).isEqualTo(1);

    assertThat(scheduler.runUntilIdle()).isEqualTo(5);
    assertThat(ran).containsExactly("a", "b", "c", "d", "e (submitted by a)");
    assertThat(scheduler.now(TimeUnit.NANOSECONDS)).isZero();
    assertThat(scheduler.executedTasks()).isEqualTo(5);
    assertThat(scheduler.runUntilIdle()).as("idle").isZero();
    assertThat(scheduler.delayedTasks()).isEqualTo(1);
  }

  @Test
  @DisplayName("await returns null for an empty Mono, rethrows a Mono's runtime exception as it"
      + " is, and wraps a checked one")
  void awaitResults() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    assertThat((Object) scheduler.await(Mono.empty())).isNull();
    assertThat(scheduler.await(Mono.just(1).publishOn(scheduler))).isEqualTo(1);
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    assertThatThrownBy(() -> scheduler.await(Mono.error(boom))).isSameAs(boom);
    Exception checked = new Exception("checked");
    assertThatThrownBy(() -> scheduler.await(Mono.error(checked)))
        .isInstanceOf(IllegalStateException.class).hasCause(checked);
  }

  @Test
  @DisplayName("bad arguments are refused: a negative maximum run delay, a period that is not"
      + " positive")
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> DeterministicScheduler.withRunDelays(1, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    assertThatThrownBy(() -> scheduler.schedulePeriodically(() -> { }, 0, 0, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(DeterministicScheduler.withRunDelays(1, Duration.ZERO).toString())
        .as("zero: no run delays").doesNotContain("run delays");
  }

  @Test
  @DisplayName("once disposed, it drops what was queued and refuses new tasks, as Reactor's"
      + " schedulers do, instead of running them")
  void disposedSchedulerRefusesTasks() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> ran = new ArrayList<>();
    scheduler.execute(() -> ran.add("queued"));
    scheduler.schedule(() -> ran.add("delayed"), 1, TimeUnit.SECONDS);

    scheduler.dispose();

    assertThat(scheduler.isDisposed()).isTrue();
    assertThat(scheduler.readyTasks()).isZero();
    assertThat(scheduler.delayedTasks()).isZero();
    assertThatThrownBy(() -> scheduler.execute(() -> ran.add("execute")))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("disposed");
    assertThatThrownBy(() -> scheduler.schedule(() -> ran.add("schedule")))
        .isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> scheduler.schedule(() -> ran.add("later"), 1, TimeUnit.SECONDS))
        .isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> scheduler.schedulePeriodically(() -> ran.add("every"), 0, 1,
        TimeUnit.SECONDS)).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> scheduler.createWorker().schedule(() -> ran.add("worker")))
        .isInstanceOf(RejectedExecutionException.class);
    scheduler.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(ran).isEmpty();
  }

  @Test
  @DisplayName("once disposed, the handles of the tasks it dropped say they are disposed: they will"
      + " never run (ready, delayed, periodic before and after their first run, a worker's)")
  void disposingDisposesTheHandlesOfTheDroppedTasks() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> ran = new ArrayList<>();
    Disposable done = scheduler.schedule(() -> ran.add("done"));
    Disposable ranOnce = scheduler.schedulePeriodically(() -> ran.add("every"), 1, 1,
        TimeUnit.SECONDS);
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("done", "every");
    Disposable ready = scheduler.schedule(() -> ran.add("ready"));
    Disposable delayed = scheduler.schedule(() -> ran.add("delayed"), 1, TimeUnit.SECONDS);
    Disposable periodic = scheduler.schedulePeriodically(() -> ran.add("periodic"), 0, 1,
        TimeUnit.SECONDS);
    Scheduler.Worker worker = scheduler.createWorker();
    Disposable workerNow = worker.schedule(() -> ran.add("worker now"));
    Disposable workerLater = worker.schedule(() -> ran.add("worker later"), 1, TimeUnit.SECONDS);
    assertThat(List.of(ready, delayed, periodic, ranOnce, workerNow, workerLater))
        .noneMatch(Disposable::isDisposed);

    scheduler.dispose();

    assertThat(List.of(ready, delayed, periodic, ranOnce, workerNow, workerLater))
        .allMatch(Disposable::isDisposed);
    scheduler.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("done", "every");
  }

  @Test
  @DisplayName("a task that throws: the exception reaches the test from the driving call, the task"
      + " counts as run, and the others stay queued for the next one, the clock where it stopped;"
      + " a task disposed before it ran is not counted as run")
  void throwingAndDisposedTasks() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> ran = new ArrayList<>();
    IllegalStateException boom = new IllegalStateException("boom");
    scheduler.schedule(() -> ran.add("cancelled")).dispose();
    scheduler.execute(() -> {
      throw boom;
    });
    scheduler.execute(() -> ran.add("after"));

    assertThatThrownBy(scheduler::runUntilIdle).isSameAs(boom);
    assertThat(scheduler.executedTasks()).as("the task that threw ran").isOne();
    assertThat(scheduler.readyTasks()).isOne();
    assertThat(scheduler.runUntilIdle()).isOne();
    assertThat(ran).containsExactly("after");
    assertThat(scheduler.executedTasks()).isEqualTo(2);

    scheduler.schedule(() -> {
      throw boom;
    }, 1, TimeUnit.SECONDS);
    scheduler.schedule(() -> ran.add("at 2 s"), 2, TimeUnit.SECONDS);
    assertThatThrownBy(() -> scheduler.advanceTimeBy(Duration.ofSeconds(5))).isSameAs(boom);
    assertThat(scheduler.now(TimeUnit.SECONDS)).as("stopped at the task that threw").isOne();
    scheduler.advanceTimeBy(Duration.ofSeconds(4));
    assertThat(ran).containsExactly("after", "at 2 s");
    assertThat(scheduler.executedTasks()).isEqualTo(4);
  }

  @Test
  @DisplayName("a task disposed before it runs (a cancelled timer) is no longer counted as ready"
      + " or delayed, and never runs")
  void disposedTasksAreNotCounted() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add("now")).dispose();
    scheduler.schedule(() -> ran.add("once"), 1, TimeUnit.SECONDS).dispose();
    scheduler.schedulePeriodically(() -> ran.add("every"), 1, 1, TimeUnit.SECONDS).dispose();
    scheduler.schedule(() -> ran.add("kept"), 2, TimeUnit.SECONDS);

    assertThat(scheduler.readyTasks()).isZero();
    assertThat(scheduler.delayedTasks()).isEqualTo(1);

    scheduler.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(ran).containsExactly("kept");
    assertThat(scheduler.delayedTasks()).isZero();
  }

  @Test
  @DisplayName("a periodic task with no initial delay is ready at once, as schedule(task) is:"
      + " runUntilIdle and await run its first execution without moving the clock")
  void periodicTaskWithoutInitialDelayIsReady() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<Long> ticks = new ArrayList<>();
    scheduler.schedulePeriodically(() -> ticks.add(scheduler.now(TimeUnit.SECONDS)), 0, 1,
        TimeUnit.SECONDS);

    assertThat(scheduler.readyTasks()).isEqualTo(1);
    scheduler.runUntilIdle();
    assertThat(ticks).containsExactly(0L);
    scheduler.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(ticks).containsExactly(0L, 1L, 2L);

    assertThat(scheduler.await(reactor.core.publisher.Flux.interval(Duration.ZERO,
        Duration.ofHours(1), scheduler).next())).isZero();
  }
  @Test
  @DisplayName("await(mono, within) moves the clock only as far as the mono needs, and gives up"
      + " at the limit even with a periodic task due for ever")
  void awaitWithinAdvancesAsFarAsNeeded() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<Long> ticks = new ArrayList<>();
    scheduler.schedulePeriodically(() -> ticks.add(scheduler.now(TimeUnit.SECONDS)), 1, 1,
        TimeUnit.SECONDS);

    assertThat(scheduler.await(Mono.delay(Duration.ofMillis(2_500), scheduler),
        Duration.ofMinutes(1))).isZero();
    assertThat(scheduler.now(TimeUnit.MILLISECONDS)).as("stopped where it completed")
        .isEqualTo(2_500);
    assertThat(ticks).containsExactly(1L, 2L);
    assertThat((Object) scheduler.await(Mono.empty(), Duration.ZERO)).isNull();

    assertThatThrownBy(() -> scheduler.await(Mono.never(), Duration.ofSeconds(10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not complete within PT10S");
    assertThat(scheduler.now(TimeUnit.MILLISECONDS)).isEqualTo(12_500);
    assertThat(ticks).hasSize(12);

    IllegalArgumentException boom = new IllegalArgumentException("boom");
    assertThatThrownBy(() -> scheduler.await(Mono.delay(Duration.ofSeconds(1), scheduler)
        .then(Mono.error(boom)), Duration.ofSeconds(5))).isSameAs(boom);
    assertThat(scheduler.now(TimeUnit.MILLISECONDS)).isEqualTo(13_500);
    assertThatThrownBy(() -> scheduler.await(Mono.just(1), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a task that drives the scheduler (runUntilIdle, advanceTimeBy, await) is refused:"
      + " the clock never moves while a task runs, nor back once the test's advance ends")
  void tasksCannotDriveTheScheduler() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> refused = new ArrayList<>();
    List<Long> seen = new ArrayList<>();
    scheduler.schedule(() -> {
      long before = scheduler.now(TimeUnit.MILLISECONDS);
      for (Runnable drive : List.<Runnable>of(
          () -> scheduler.advanceTimeBy(Duration.ofSeconds(10)),
          scheduler::runUntilIdle,
          () -> scheduler.await(Mono.just(1)))) {
        try {
          drive.run();
        } catch (IllegalStateException e) {
          refused.add(e.getMessage());
        }
      }
      seen.add(before);
      seen.add(scheduler.now(TimeUnit.MILLISECONDS));
    }, 500, TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> seen.add(scheduler.now(TimeUnit.MILLISECONDS)), 2,
        TimeUnit.SECONDS);

    scheduler.advanceTimeBy(Duration.ofSeconds(1));

    assertThat(refused).hasSize(3).allSatisfy(m -> assertThat(m)
        .contains("called from a task the scheduler is running"));
    assertThat(seen).as("the time the task saw did not move").containsExactly(500L, 500L);
    assertThat(scheduler.now(TimeUnit.MILLISECONDS)).isEqualTo(1_000);
    assertThat(scheduler.delayedTasks()).as("the task due at 2 s did not run early").isOne();
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(seen).containsExactly(500L, 500L, 2_000L);
  }

  @Test
  @DisplayName("one thread drives the scheduler at a time: another that tries while a task runs is"
      + " refused, instead of running tasks beside it")
  void oneDriverAtATime() throws Exception {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
    scheduler.execute(() -> {
      running.countDown();
      awaitLatch(release);
      ran.add("first");
    });
    scheduler.execute(() -> ran.add("second"));
    Thread driver = new Thread(scheduler::runUntilIdle, "the-driver");
    driver.start();
    try {
      assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(scheduler::runUntilIdle).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("while the-driver drives the scheduler");
      assertThatThrownBy(() -> scheduler.advanceTimeBy(Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> scheduler.await(Mono.just(1)))
          .isInstanceOf(IllegalStateException.class);
      assertThat(ran).as("nothing ran beside the driver's task").isEmpty();
    } finally {
      release.countDown();
      driver.join(30_000);
    }
    assertThat(ran).containsExactly("first", "second");
    assertThat(scheduler.runUntilIdle()).as("the driver is gone: another thread may drive")
        .isZero();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

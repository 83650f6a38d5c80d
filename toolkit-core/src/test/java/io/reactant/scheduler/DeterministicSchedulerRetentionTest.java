package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.TimerId;
import io.reactant.call.CallOptions;
import io.reactant.state.LongVar;
import io.reactant.state.Var;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * What a {@link DeterministicScheduler} keeps of a task that is disposed (a cancelled timer, a
 * bounded wait whose call was answered) or has run: not its {@code Runnable}, and not a place in
 * its queue for ever. A simulation on virtual time that makes a million calls with an hour's
 * bounded wait each, in less than an hour, must not hold a million answered calls.
 */
class DeterministicSchedulerRetentionTest {

  @Test
  @DisplayName("R22 delayed tasks disposed before they fall due leave the queue: 100,000 tasks"
      + " due in an hour, each disposed once the next is scheduled, never hold more than"
      + " PURGE_MIN places")
  void disposedDelayedTasksLeaveTheQueue() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Disposable previous = null;
    int most = 0;
    for (int i = 0; i < 100_000; i++) {
      Disposable next = scheduler.schedule(() -> { }, 1, TimeUnit.HOURS);
      if (previous != null) {
        previous.dispose();
      }
      previous = next;
      most = Math.max(most, scheduler.queuedDelayedTasks());
    }
    previous.dispose();

    assertThat(most).as("places held at most").isLessThanOrEqualTo(
        DeterministicScheduler.PURGE_MIN + 2);
    assertThat(scheduler.delayedTasks()).isZero();
    assertThat(scheduler.queuedDelayedTasks()).isLessThanOrEqualTo(DeterministicScheduler.PURGE_MIN + 1);
  }

  public interface Ticker {
    /** Cancels the timer set by the last call, if any, and sets one due in an hour. */
    Mono<Long> rearm();
  }

  static final class TickerActor extends Actor implements Ticker {
    private final Var<TimerId> last = newVar("last", null);
    private final LongVar rearmed = newLongVar("rearmed", 0);

    @Override
    public Mono<Long> rearm() {
      TimerId previous = last.get();
      if (previous != null) {
        cancelTimer(previous);
      }
      last.set(setTimer(Duration.ofHours(1), Actor::done));
      return Mono.just(rearmed.add(1));
    }
  }

  @Test
  @DisplayName("R22 R25 an actor system on virtual time keeps no answered call nor cancelled timer"
      + " in its scheduler: 20,000 calls with an hour's bounded wait, each re-arming a timer due"
      + " in an hour, in less than a second of virtual time")
  void answeredCallsAndCancelledTimersLeaveTheQueue() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("retention")
        .scheduler(scheduler).build())) {
      Ticker ticker = CallOptions.timeout(Duration.ofHours(1))
          .on(system.spawn(Ticker.class, TickerActor::new));
      int most = 0;
      for (int i = 1; i <= 20_000; i++) {
        assertThat(scheduler.await(ticker.rearm())).isEqualTo(i);
        most = Math.max(most, scheduler.queuedDelayedTasks());
      }

      assertThat(scheduler.delayedTasks()).as("the last timer").isOne();
      assertThat(most).as("places held at most").isLessThanOrEqualTo(
          DeterministicScheduler.PURGE_MIN + 3);
    }
  }

  @Test
  @DisplayName("R25 recurring tasks disposed after their first run leave the queue too, and those"
      + " still live keep running: 10,000 recurring tasks disposed among 10 live ones")
  void disposedRecurringTasksLeaveTheQueue() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    AtomicInteger liveRuns = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      scheduler.schedulePeriodically(liveRuns::incrementAndGet, 1, 1, TimeUnit.SECONDS);
    }
    for (int i = 0; i < 10_000; i++) {
      scheduler.schedulePeriodically(() -> { }, 0, 1, TimeUnit.HOURS).dispose();
      assertThat(scheduler.queuedDelayedTasks()).isLessThanOrEqualTo(
          10 + DeterministicScheduler.PURGE_MIN + 1);
    }
    scheduler.advanceTimeBy(Duration.ofSeconds(3));

    assertThat(liveRuns).as("the live ones ran at 1, 2 and 3 s").hasValue(30);
    assertThat(scheduler.delayedTasks()).isEqualTo(10);
  }

  @Test
  @DisplayName("R22 R25 a task disposed before it ran, a recurring task disposed after it ran, and a"
      + " task that ran are let go by the scheduler that keeps their handles' places")
  void disposedAndRunTasksAreLetGo() throws InterruptedException {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ReferenceQueue<Runnable> collected = new ReferenceQueue<>();
    WeakReference<Runnable> cancelled = schedule(scheduler, collected, false, true);
    WeakReference<Runnable> recurring = schedule(scheduler, collected, true, false);
    WeakReference<Runnable> ran = schedule(scheduler, collected, false, false);
    scheduler.advanceTimeBy(Duration.ofMinutes(1));
    handles.forEach(Disposable::dispose); // after the runs: the recurring task's successor waits

    for (int i = 0; i < 100 && (cancelled.get() != null || recurring.get() != null
        || ran.get() != null); i++) {
      System.gc();
      collected.remove(100);
    }
    assertThat(cancelled.get()).as("the task disposed before it ran").isNull();
    assertThat(recurring.get()).as("the recurring task disposed after it ran").isNull();
    assertThat(ran.get()).as("the task that ran").isNull();
    assertThat(handles).as("handles kept").hasSize(3);
  }

  /** The handles of the tasks {@link #schedule} made, kept for the whole test. */
  private final List<Disposable> handles = new ArrayList<>();

  /** Schedules a new task, keeps its handle, returns a weak reference to the task only. */
  private WeakReference<Runnable> schedule(DeterministicScheduler scheduler,
      ReferenceQueue<Runnable> queue, boolean recurring, boolean disposeNow) {
    Runnable task = new Runnable() {
      @Override
      public void run() {
      }
    };
    Disposable handle = recurring
        ? scheduler.schedulePeriodically(task, 1, 3600, TimeUnit.SECONDS)
        : scheduler.schedule(task, disposeNow ? 3600 : 1, TimeUnit.SECONDS);
    if (disposeNow) {
      handle.dispose();
    }
    handles.add(handle);
    return new WeakReference<>(task, queue);
  }
}

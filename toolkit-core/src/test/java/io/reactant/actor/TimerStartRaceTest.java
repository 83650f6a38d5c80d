package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The timers an initializer sets start once the actor exists (rule R25), and the actor exists, to
 * other threads, from its registration: a turn may run, on another thread, while they start.
 */
class TimerStartRaceTest {

  public interface Alarm {
    /** Cancels the second timer the initializer set. */
    Mono<Void> cancelSecond();

    /** What the timers' jobs added: 1 for the first, 10 for the second. */
    @Query
    Mono<Long> rung();
  }

  static final class AlarmActor extends Actor implements Alarm {
    private final LongVar rung = newLongVar("rung", 0);
    private final TimerId second;

    AlarmActor() {
      setTimer(Duration.ofHours(1), () -> {
        rung.add(1);
        return done();
      });
      second = setTimer(Duration.ofHours(1), () -> {
        rung.add(10);
        return done();
      });
    }

    @Override
    public Mono<Void> cancelSecond() {
      cancelTimer(second);
      return done();
    }

    @Override
    public Mono<Long> rung() {
      return Mono.just(rung.get());
    }
  }

  public interface Snooze {
    /** How many times the job of the timer its initializer set, then cancelled, ran. */
    @Query
    Mono<Long> rang();
  }

  static final class SnoozeActor extends Actor implements Snooze {
    private final LongVar rang = newLongVar("rang", 0);

    SnoozeActor() {
      TimerId now = setTimer(Duration.ZERO, () -> {
        rang.add(1);
        return done();
      });
      cancelTimer(now);
    }

    @Override
    public Mono<Long> rang() {
      return Mono.just(rang.get());
    }
  }

  /**
   * A deterministic scheduler that holds the thread scheduling its first delayed task until
   * {@link #release} opens: the spawning thread, between two timers it starts. Made {@code
   * after}, it holds that thread once the task is scheduled, not before.
   */
  static final class HoldingFirstDelay implements Scheduler, Executor {
    final DeterministicScheduler clock = DeterministicScheduler.create();
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean holding = new AtomicBoolean(true);
    private final boolean after;

    HoldingFirstDelay(boolean after) {
      this.after = after;
    }

    @Override
    public void execute(Runnable task) {
      clock.execute(task);
    }

    @Override
    public Disposable schedule(Runnable task) {
      return clock.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
      if (!after && delay > 0 && holding.compareAndSet(true, false)) {
        hold();
      }
      Disposable scheduled = clock.schedule(task, delay, unit);
      if (after && holding.compareAndSet(true, false)) {
        hold();
      }
      return scheduled;
    }

    private void hold() {
      held.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period,
        TimeUnit unit) {
      return clock.schedulePeriodically(task, initialDelay, period, unit);
    }

    @Override
    public long now(TimeUnit unit) {
      return clock.now(unit);
    }

    @Override
    public Worker createWorker() {
      return clock.createWorker();
    }
  }

  @Test
  @DisplayName("R25 R18 a timer its initializer set, cancelled by the actor's first turn, which"
      + " another thread ran as soon as the actor existed (while the spawn was still starting the"
      + " initializer's timers), never fires: the cancellation committed")
  void aCancellationByATurnRacingTheInitializersTimersHolds() throws InterruptedException {
    HoldingFirstDelay scheduler = new HoldingFirstDelay(false);
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("timer-start")
        .scheduler(scheduler).build());
    ActorId id = ActorId.of("alarm");
    AtomicReference<Throwable> spawnFailed = new AtomicReference<>();
    Thread spawner = new Thread(() -> {
      try {
        system.spawn(Alarm.class, id, AlarmActor::new);
      } catch (Throwable t) {
        spawnFailed.set(t);
      }
    }, "spawner");
    spawner.start();
    assertThat(scheduler.held.await(30, TimeUnit.SECONDS))
        .as("the spawn starts the first timer").isTrue();

    // the actor exists: its first turn runs here, while the spawn is between its two timers
    Alarm alarm = system.lookup(Alarm.class, id);
    assertThat(scheduler.clock.await(alarm.cancelSecond().thenReturn("cancelled")))
        .isEqualTo("cancelled");
    scheduler.release.countDown();
    spawner.join(30_000);
    assertThat(spawner.isAlive()).isFalse();
    assertThat(spawnFailed.get()).isNull();

    scheduler.clock.advanceTimeBy(Duration.ofHours(2));
    assertThat(alarm.rung().block(Duration.ofSeconds(10)))
        .as("only the first timer fired").isEqualTo(1L);
  }

  @Test
  @DisplayName("R25 R18 a timer its initializer set and then cancelled never fires, even when the"
      + " timer is due at once and another thread would take its firing while the spawn is still"
      + " starting the initializer's timers: the initializer's cancellation comes first")
  void aTimerTheInitializerCancelledNeverFires() throws InterruptedException {
    HoldingFirstDelay scheduler = new HoldingFirstDelay(true);
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("timer-cancelled")
        .scheduler(scheduler).build());
    ActorId id = ActorId.of("snooze");
    AtomicReference<Throwable> spawnFailed = new AtomicReference<>();
    Thread spawner = new Thread(() -> {
      try {
        system.spawn(Snooze.class, id, SnoozeActor::new);
      } catch (Throwable t) {
        spawnFailed.set(t);
      } finally {
        scheduler.held.countDown(); // a spawn that never scheduled the timer holds nothing
      }
    }, "spawner");
    spawner.start();
    assertThat(scheduler.held.await(30, TimeUnit.SECONDS))
        .as("the spawn scheduled the timer, or ended").isTrue();

    scheduler.clock.runUntilIdle(); // the firing, if due now, and whatever it queues
    scheduler.release.countDown();
    spawner.join(30_000);
    assertThat(spawner.isAlive()).isFalse();
    assertThat(spawnFailed.get()).isNull();
    scheduler.clock.advanceTimeBy(Duration.ofMinutes(1));

    Snooze snooze = system.lookup(Snooze.class, id);
    assertThat(snooze.rang().block(Duration.ofSeconds(10))).as("its job never ran").isZero();
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.timers()).isZero());
  }
}

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

  /**
   * A deterministic scheduler that holds the thread scheduling its first delayed task until
   * {@link #release} opens: the spawning thread, between two timers it starts.
   */
  static final class HoldingFirstDelay implements Scheduler, Executor {
    final DeterministicScheduler clock = DeterministicScheduler.create();
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean holding = new AtomicBoolean(true);

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
      if (delay > 0 && holding.compareAndSet(true, false)) {
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
      return clock.schedule(task, delay, unit);
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
    HoldingFirstDelay scheduler = new HoldingFirstDelay();
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
}

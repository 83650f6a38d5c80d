package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.actor.TimerId;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A periodic task whose period is shorter than what a firing costs the pool's timer thread (a
 * recurring timer of a nanosecond, a microsecond by mistake for a millisecond) falls behind its
 * schedule. Fired at a fixed rate with missed periods made up, as a {@code ScheduledThreadPoolExecutor}
 * does, it would stay due before every other delayed task, further behind the longer it ran, and
 * hold back every bounded wait and timer of the pool. A missed period is not made up instead:
 * the next firing is the next one still ahead.
 */
class PeriodicTaskCatchUpTest {

  @Test
  @DisplayName("R22 R25 a periodic task of a nanosecond on the work-stealing pool does not hold"
      + " back the other delayed tasks: a one-shot of a millisecond scheduled after 100,000 of its"
      + " runs still runs, and both stop when disposed")
  void aTinyPeriodDoesNotStarveTheTimer() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("tiny-period", 1);
    try {
      AtomicLong runs = new AtomicLong();
      CountDownLatch behind = new CountDownLatch(100_000);
      Disposable tiny = pool.schedulePeriodically(() -> {
        runs.incrementAndGet();
        behind.countDown();
      }, 1, 1, TimeUnit.NANOSECONDS);
      assertThat(behind.await(60, TimeUnit.SECONDS)).as("it runs").isTrue();
      CountDownLatch oneShot = new CountDownLatch(1);
      pool.schedule(oneShot::countDown, 1, TimeUnit.MILLISECONDS);
      assertThat(oneShot.await(10, TimeUnit.SECONDS)).as("the one-shot ran").isTrue();
      tiny.dispose();
      assertThat(tiny.isDisposed()).isTrue();
    } finally {
      pool.dispose();
    }
  }

  @Test
  @DisplayName("disposed gracefully, the work-stealing scheduler stops its periodic tasks at once,"
      + " its own and a worker's, whatever their period: its timer thread ends, not held until"
      + " their next firing")
  void gracefulDisposalStopsPeriodicTasks() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("periodic-stop", 1);
    CountDownLatch fired = new CountDownLatch(2);
    Disposable daily = pool.schedulePeriodically(fired::countDown, 0, 1, TimeUnit.DAYS);
    Disposable workers = pool.createWorker().schedulePeriodically(fired::countDown, 0, 1,
        TimeUnit.DAYS);
    assertThat(fired.await(30, TimeUnit.SECONDS)).as("both fired once").isTrue();
    Thread timer = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("periodic-stop-timer")).findFirst().orElseThrow();
    pool.disposeGracefully().block(Duration.ofSeconds(30));
    timer.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(timer.isAlive()).as("the timer thread ended").isFalse();
    assertThat(daily.isDisposed()).isTrue();
    workers.dispose();
  }

  @Test
  @DisplayName("a disposed periodic task leaves no firing on the timer, even when its first firing"
      + " ran, and scheduled the next, before the task recorded the first: 2,000 tasks due at once,"
      + " fired, then disposed, leave the timer's queue empty")
  void disposalCancelsTheFiringScheduledNext() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("periodic-race", 1);
    try {
      int n = 2_000;
      CountDownLatch fired = new CountDownLatch(n);
      java.util.List<Disposable> tasks = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        tasks.add(pool.schedulePeriodically(fired::countDown, 0, 1, TimeUnit.DAYS));
      }
      assertThat(fired.await(30, TimeUnit.SECONDS)).as("each fired once").isTrue();
      tasks.forEach(Disposable::dispose);
      assertThat(pool.timerQueueSize()).as("firings left on the timer").isZero();
    } finally {
      pool.dispose();
    }
  }

  public interface Ticker {
    Mono<TimerId> tickEvery(Duration interval);

    /** Answers after {@code delay}, on a timer of its own. */
    Mono<String> later(Duration delay);

    @Query
    Mono<Long> ticks();
  }

  static final class TickerActor extends Actor implements Ticker {
    private final io.reactant.state.LongVar ticks = newLongVar("ticks", 0L);

    @Override
    public Mono<TimerId> tickEvery(Duration interval) {
      return Mono.just(recurringTimer(interval, () -> {
        ticks.add(1);
        return done();
      }));
    }

    @Override
    public Mono<String> later(Duration delay) {
      reactor.core.publisher.Sinks.One<String> answer = reactor.core.publisher.Sinks.one();
      setTimer(delay, () -> {
        answer.tryEmitValue("on time");
        return done();
      });
      return await(answer.asMono());
    }

    @Override
    public Mono<Long> ticks() {
      return Mono.just(ticks.get());
    }
  }

  @Test
  @DisplayName("R22 R25 an actor's recurring timer of a nanosecond on the default pool keeps"
      + " ticking without holding back a bounded call's timeout or another timer")
  void aRecurringTimerOfANanosecondStarvesNothing() {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("tiny-timer")
        .parallelism(1).build())) {
      Ticker ticker = system.spawn(Ticker.class, TickerActor::new);
      ticker.tickEvery(Duration.ofNanos(1)).block(Duration.ofSeconds(30));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (ticker.ticks().block() < 20_000 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      Ticker other = system.spawn(Ticker.class, TickerActor::new);
      assertThat(other.later(Duration.ofMillis(1)).block(Duration.ofSeconds(10)))
          .isEqualTo("on time");
    }
  }
}

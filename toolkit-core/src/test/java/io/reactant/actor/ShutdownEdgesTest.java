package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Shutdowns at the edges of their timing: a grace period the scheduler cannot time, what may still
 * run once the shutdown's future completed, what a call answered at the end of the grace period
 * was awaiting, and a timer set during the grace period.
 */
class ShutdownEdgesTest {

  public interface Gate {
    /** Awaits {@code gate}, then answers what it gave. */
    Mono<String> pass(Mono<String> gate);
  }

  static final class GateActor extends Actor implements Gate {
    @Override
    public Mono<String> pass(Mono<String> gate) {
      return await(gate);
    }
  }

  public interface Lingerer {
    /** A oneway: awaits {@code gate}, then counts its continuation. */
    void linger(Mono<String> gate);

    /** A query that answers what {@code answer} gives, whenever it does. */
    @Query
    Mono<String> read(Mono<String> answer);
  }

  static final class LingererActor extends Actor implements Lingerer {
    private final AtomicInteger continuations;

    LingererActor(AtomicInteger continuations) {
      this.continuations = continuations;
    }

    @Override
    public void linger(Mono<String> gate) {
      await(gate).subscribe(g -> continuations.incrementAndGet());
    }

    @Override
    public Mono<String> read(Mono<String> answer) {
      return answer;
    }
  }

  /**
   * A deterministic scheduler whose executor, once {@link #inline} is set, runs what it is given at
   * once on the submitting thread: a pool thread that takes an actor the instant it is submitted.
   */
  static final class InlineOnDemand implements Scheduler, Executor {
    final DeterministicScheduler clock = DeterministicScheduler.create();
    final AtomicBoolean inline = new AtomicBoolean();

    @Override
    public void execute(Runnable task) {
      if (inline.get()) {
        task.run();
      } else {
        clock.execute(task);
      }
    }

    @Override
    public Disposable schedule(Runnable task) {
      return clock.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
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

    @Override
    public void dispose() {
      clock.dispose();
    }

    @Override
    public boolean isDisposed() {
      return clock.isDisposed();
    }
  }

  public interface Sleeper {
    /** Awaits a delay of {@code delay} on the system's clock, then answers "woke". */
    Mono<String> sleep(Duration delay);
  }

  static final class SleeperActor extends Actor implements Sleeper {
    private final LongVar sleeps = newLongVar("sleeps", 0);
    private final Scheduler clock;
    private final AtomicInteger cleanups;

    SleeperActor(Scheduler clock, AtomicInteger cleanups) {
      this.clock = clock;
      this.cleanups = cleanups;
    }

    @Override
    public Mono<String> sleep(Duration delay) {
      sleeps.add(1);
      // the cleanup reads and writes the actor's state: it runs in the actor's context
      return await(Mono.delay(delay, clock).doOnCancel(() -> {
        sleeps.add(100);
        cleanups.addAndGet((int) sleeps.get());
      })).map(t -> "woke");
    }
  }

  public interface Snoozer {
    /** Awaits {@code gate}, then sets a one-shot timer of a second and answers its id's value. */
    Mono<Long> snoozeAfter(Mono<String> gate);
  }

  static final class SnoozerActor extends Actor implements Snoozer {
    private final AtomicInteger rang;

    SnoozerActor(AtomicInteger rang) {
      this.rang = rang;
    }

    @Override
    public Mono<Long> snoozeAfter(Mono<String> gate) {
      return await(gate).map(g -> setTimer(Duration.ofSeconds(1), () -> {
        rang.incrementAndGet();
        return done();
      }).value());
    }
  }

  private static AtomicReference<Object> outcome(Mono<?> f) {
    AtomicReference<Object> result = new AtomicReference<>();
    f.subscribe(result::set, result::set, () -> result.compareAndSet(null, "completed"));
    return result;
  }

  @Test
  @DisplayName("R13 R22 a shutdown whose grace period the scheduler refuses to time (an application's"
      + " scheduler it disposed) ends the grace period at once: the suspended call is answered"
      + " with code 6 and the shutdown completes, rather than both waiting for ever")
  void aGracePeriodTheSchedulerRefusesEndsAtOnce() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Gate gate = system.spawn(Gate.class, GateActor::new);
    Sinks.One<String> never = Sinks.one();
    AtomicReference<Object> call = outcome(gate.pass(never.asMono()));
    scheduler.runUntilIdle();
    assertThat(call.get()).as("suspended at its await").isNull();
    scheduler.dispose(); // the application disposes its scheduler before it closes the system

    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofMinutes(1)));

    assertThat(call.get()).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
      assertThat(e.rejectMessage()).contains("shut down before the call replied");
    });
    assertThat(shutdown.get()).isEqualTo("completed");
  }

  @Test
  @DisplayName("R3 R13 once the shutdown's future completed, every actor has stopped: a oneway's"
      + " continuation (which the shutdown does not wait for), signalled by a source that ignores"
      + " the cancellation of its await, that a pool thread takes the instant the future completes"
      + " is dropped, not run as a turn after the end")
  void noTurnStartsOnceTheShutdownsFutureCompleted() {
    InlineOnDemand scheduler = new InlineOnDemand();
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("inline")
        .scheduler(scheduler).build());
    AtomicInteger continuations = new AtomicInteger();
    Lingerer lingerer = system.spawn(Lingerer.class, () -> new LingererActor(continuations));
    // the shutdown cancels what a oneway still awaits as it ends; this source ignores the cancel
    // and signals anyway, as Reactive Streams lets a source do for a while
    AtomicReference<Subscriber<? super String>> gate = new AtomicReference<>();
    AtomicInteger cancels = new AtomicInteger();
    lingerer.linger(Mono.from(s -> {
      gate.set(s);
      s.onSubscribe(new Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
          cancels.incrementAndGet();
        }
      });
    }));
    scheduler.clock.runUntilIdle(); // its first turn ran: the oneway is over, its await waits
    Sinks.One<String> answer = Sinks.one();
    AtomicReference<Object> query = outcome(lingerer.read(answer.asMono()));
    AtomicInteger continuationsAtTheEnd = new AtomicInteger(-1);
    AtomicInteger cancelsAtTheEnd = new AtomicInteger(-1);
    // the shutdown waits for the query only; as it ends, the oneway's await is signalled and its
    // actor taken at once, as a pool thread may take it
    system.shutdown(Duration.ofMinutes(1)).subscribe(null, null, () -> {
      cancelsAtTheEnd.set(cancels.get());
      scheduler.inline.set(true);
      gate.get().onNext("open");
      gate.get().onComplete();
      continuationsAtTheEnd.set(continuations.get());
    });

    answer.tryEmitValue("answered"); // the query answers on this thread, and ends the shutdown

    assertThat(query.get()).isEqualTo("answered");
    assertThat(continuationsAtTheEnd.get()).as("the shutdown ended").isNotNegative();
    assertThat(cancelsAtTheEnd.get()).as("the oneway's await, cancelled before the end").isOne();
    assertThat(continuationsAtTheEnd.get()).as("no turn ran after the shutdown's end").isZero();
    scheduler.inline.set(false);
    scheduler.clock.runUntilIdle();
    assertThat(continuations.get()).isZero();
  }

  @Test
  @DisplayName("R3 R13 a call still suspended at the end of the grace period is answered with code 6"
      + " and what it awaited is cancelled: a delay it waited for leaves the clock, rather than"
      + " holding the stopped actor (and its system) until due")
  void whatASuspendedCallAwaitedIsLetGoAtTheEndOfTheGracePeriod() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    AtomicInteger cleanups = new AtomicInteger();
    Sleeper sleeper = system.spawn(Sleeper.class, () -> new SleeperActor(scheduler, cleanups));
    AtomicReference<Object> call = outcome(sleeper.sleep(Duration.ofHours(1)));
    scheduler.runUntilIdle();
    assertThat(scheduler.delayedTasks()).as("the delay it awaits").isEqualTo(1);

    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    scheduler.advanceTimeBy(Duration.ofSeconds(10));

    assertThat(call.get()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(cleanups.get()).as("its await was cancelled, in the actor's context").isEqualTo(101);
    assertThat(scheduler.delayedTasks()).as("nothing left on the clock").isZero();
  }

  @Test
  @DisplayName("R25 R13 a timer set by a continuation that commits during the grace period never"
      + " starts: the shutdown cancelled the timers, and none starts after it began")
  void aTimerSetDuringTheGracePeriodNeverStarts() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    AtomicInteger rang = new AtomicInteger();
    Snoozer snoozer = system.spawn(Snoozer.class, () -> new SnoozerActor(rang));
    Sinks.One<String> gate = Sinks.one();
    AtomicReference<Object> call = outcome(snoozer.snoozeAfter(gate.asMono()));
    scheduler.runUntilIdle();
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofMinutes(1)));

    gate.tryEmitValue("open");
    scheduler.runUntilIdle();

    assertThat(call.get()).as("it committed within the grace period").isInstanceOf(Long.class);
    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.timers()).isZero());
    assertThat(scheduler.delayedTasks()).as("nothing on the clock").isZero();
    scheduler.advanceTimeBy(Duration.ofMinutes(2));
    assertThat(rang.get()).isZero();
  }
}

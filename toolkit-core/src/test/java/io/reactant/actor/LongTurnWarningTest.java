package io.reactant.actor;

import static io.reactant.actor.PoolSchedulingTest.awaitQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.PoolSchedulingTest.Ponger;
import io.reactant.actor.PoolSchedulingTest.PongerActor;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The long-turn warning: a turn that holds a pool thread past the system's threshold is reported
 * (logged with its thread's stack, and passed to the listener) once, while it still runs.
 */
class LongTurnWarningTest {

  /** One report of the watchdog, as the listener received it. */
  record Report(ActorId actor, Class<?> type, String method, Duration running, String thread) {
  }

  static class Recorder implements TurnListener {
    final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();

    @Override
    public void turnRunningLong(ActorId actor, Class<?> type, String method, Duration running,
        Thread thread) {
      reports.add(new Report(actor, type, method, running, thread.getName()));
    }
  }

  public interface Holder {
    /** Blocks its thread until {@code free} opens (what a turn must not do). */
    Mono<String> hold(CountDownLatch free);
  }

  static final class HolderActor extends Actor implements Holder {
    @Override
    public Mono<String> hold(CountDownLatch free) {
      return Mono.just(awaitQuietly(free, 120) ? "freed" : "timed out");
    }
  }

  public interface Scheduling {
    /** Sets a timer, due at once, whose job blocks its thread until {@code free} opens. */
    Mono<Void> holdInATimer(CountDownLatch free, boolean recurring);
  }

  static final class SchedulingActor extends Actor implements Scheduling {
    @Override
    public Mono<Void> holdInATimer(CountDownLatch free, boolean recurring) {
      java.util.function.Supplier<Mono<?>> job = () -> {
        awaitQuietly(free, 120);
        return Mono.empty();
      };
      if (recurring) {
        recurringTimer(Duration.ofMillis(1), job); // fires again once free opens, until closed
      } else {
        setTimer(Duration.ZERO, job);
      }
      return Mono.empty();
    }
  }

  private static ActorSystem watched(Recorder recorder, Duration threshold) {
    return ActorSystem.create(ActorSystemConfig.builder().name("reactant-watched").parallelism(2)
        .longTurnWarning(threshold).listener(recorder).build());
  }

  private static Report next(Recorder recorder, String what) throws InterruptedException {
    Report r = recorder.reports.poll(60, TimeUnit.SECONDS);
    assertThat(r).as(what).isNotNull();
    return r;
  }

  @Test
  @DisplayName("a turn that holds its pool thread past the long-turn warning is reported once,"
      + " with its actor, method and thread, while it still runs")
  void aLongTurnIsReportedOnceWhileItRuns() throws Exception {
    Recorder recorder = new Recorder();
    try (ActorSystem system = watched(recorder, Duration.ofMillis(50))) {
      Holder first = system.spawn(Holder.class, HolderActor::new);
      Holder second = system.spawn(Holder.class, HolderActor::new);
      CountDownLatch free = new CountDownLatch(1);
      try {
        Mono<String> firstHold = first.hold(free);
        Report r1 = next(recorder, "the first turn reported");
        assertThat(r1.actor()).isEqualTo(ActorRefs.idOf(first));
        assertThat(r1.type()).isEqualTo(Holder.class);
        assertThat(r1.method()).isEqualTo("hold");
        assertThat(r1.running()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(r1.thread()).startsWith("reactant-watched-");
        // the second turn holds the other thread: before it is reported, the watchdog has seen
        // the first one still running at several samples, without reporting it again
        Mono<String> secondHold = second.hold(free);
        Report r2 = next(recorder, "the second turn reported");
        assertThat(r2.actor()).isEqualTo(ActorRefs.idOf(second));
        assertThat(r2.thread()).startsWith("reactant-watched-").isNotEqualTo(r1.thread());
        assertThat(recorder.reports).isEmpty();
        free.countDown();
        assertThat(firstHold.block(Duration.ofSeconds(60))).isEqualTo("freed");
        assertThat(secondHold.block(Duration.ofSeconds(60))).isEqualTo("freed");
      } finally {
        free.countDown();
      }
    }
  }

  /** A recorder whose first report throws an {@link Error}, as a broken metrics library would. */
  static final class FailingFirst extends Recorder {
    final java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    final CountDownLatch threw = new CountDownLatch(1);

    @Override
    public void turnRunningLong(ActorId actor, Class<?> type, String method, Duration running,
        Thread thread) {
      if (calls.incrementAndGet() == 1) {
        threw.countDown();
        throw new NoClassDefFoundError("io/metrics/Missing (thrown by the test's listener)");
      }
      super.turnRunningLong(actor, type, method, running, thread);
    }
  }

  @Test
  @DisplayName("a listener whose long-turn report throws an Error stops neither the watchdog nor"
      + " the turn: the next long turn is reported and both calls answer")
  void anErrorOfTheListenersReportLeavesTheWatchdogWatching() throws Exception {
    FailingFirst recorder = new FailingFirst();
    try (ActorSystem system = watched(recorder, Duration.ofMillis(50))) {
      Holder first = system.spawn(Holder.class, HolderActor::new);
      Holder second = system.spawn(Holder.class, HolderActor::new);
      CountDownLatch freeFirst = new CountDownLatch(1);
      CountDownLatch freeSecond = new CountDownLatch(1);
      try {
        Mono<String> firstHold = first.hold(freeFirst);
        assertThat(recorder.threw.await(60, TimeUnit.SECONDS)).as("the first turn reported")
            .isTrue();
        // the report threw; the turn goes on and ends when freed
        freeFirst.countDown();
        assertThat(firstHold.block(Duration.ofSeconds(60))).isEqualTo("freed");
        Mono<String> secondHold = second.hold(freeSecond);
        Report r = next(recorder, "the next long turn reported after the listener's Error");
        assertThat(r.actor()).isEqualTo(ActorRefs.idOf(second));
        assertThat(recorder.calls).hasValue(2);
        freeSecond.countDown();
        assertThat(secondHold.block(Duration.ofSeconds(60))).isEqualTo("freed");
      } finally {
        freeFirst.countDown();
        freeSecond.countDown();
      }
    }
  }

  /**
   * A recorder that holds the end of one turn of an actor (its listener's {@code turnEnded}, after
   * the turn was counted and before its effects are released) until {@code go} opens.
   */
  static final class SlowEnd implements TurnListener {
    final Recorder recorder = new Recorder();
    final java.util.concurrent.atomic.AtomicReference<ActorId> armed =
        new java.util.concurrent.atomic.AtomicReference<>();
    final CountDownLatch go = new CountDownLatch(1);

    @Override
    public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long nanos) {
      if (armed.compareAndSet(actor, null)) {
        awaitQuietly(go, 120);
      }
    }

    @Override
    public void turnRunningLong(ActorId actor, Class<?> type, String method, Duration running,
        Thread thread) {
      recorder.turnRunningLong(actor, type, method, running, thread);
    }
  }

  @Test
  @DisplayName("a turn that follows, on the same thread, the long end of the actor's previous turn"
      + " is a turn of its own: it is reported when it holds its thread (it was taken for the end"
      + " already reported, whose count of ended turns it shares, and never reported)")
  void aTurnAfterALongEndOfTheLastOneIsReportedItself() throws Exception {
    SlowEnd listener = new SlowEnd();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder()
        .name("reactant-watched").parallelism(2).longTurnWarning(Duration.ofMillis(50))
        .listener(listener).build())) {
      Holder holder = system.spawn(Holder.class, HolderActor::new);
      CountDownLatch open = new CountDownLatch(0);
      CountDownLatch free = new CountDownLatch(1);
      try {
        listener.armed.set(ActorRefs.idOf(holder));
        Mono<String> quick = holder.hold(open); // its end holds the thread until go opens
        Report end = next(listener.recorder, "the long end of the quick turn reported");
        assertThat(end.actor()).isEqualTo(ActorRefs.idOf(holder));
        assertThat(end.method()).as("the end of a turn of hold").isEqualTo("hold");
        Mono<String> held = holder.hold(free); // queued while the actor still runs: same thread
        listener.go.countDown();
        assertThat(quick.block(Duration.ofSeconds(60))).isEqualTo("freed");
        Report r = next(listener.recorder, "the turn that holds its thread reported");
        assertThat(r.actor()).isEqualTo(ActorRefs.idOf(holder));
        assertThat(r.method()).isEqualTo("hold");
        free.countDown();
        assertThat(held.block(Duration.ofSeconds(60))).isEqualTo("freed");
      } finally {
        listener.go.countDown();
        free.countDown();
      }
    }
  }

  public interface Relay {
    /** Awaits a value, then answers in the continuation: two turns of this call. */
    Mono<String> relay();
  }

  static final class RelayActor extends Actor implements Relay {
    @Override
    public Mono<String> relay() {
      return await(Mono.just("relay")).map(v -> v + "ed");
    }
  }

  /** Holds the end of one turn of an actor, its {@code nth}, until {@code go} opens. */
  static final class SlowNthEnd implements TurnListener {
    final Recorder recorder = new Recorder();
    final java.util.concurrent.atomic.AtomicInteger ends =
        new java.util.concurrent.atomic.AtomicInteger();
    final CountDownLatch go = new CountDownLatch(1);
    final int nth;
    volatile ActorId actor;

    SlowNthEnd(int nth) {
      this.nth = nth;
    }

    @Override
    public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long nanos) {
      if (actor.equals(this.actor) && ends.incrementAndGet() == nth) {
        awaitQuietly(go, 120);
      }
    }

    @Override
    public void turnRunningLong(ActorId actor, Class<?> type, String method, Duration running,
        Thread thread) {
      recorder.turnRunningLong(actor, type, method, running, thread);
    }
  }

  @Test
  @DisplayName("R13 the long end of a continuation's turn after an await (what its listener, its"
      + " reply or its sends hold the thread for) is reported with the actor type and method of the"
      + " call it continues, not as \"a continuation\"")
  void theLongEndOfAContinuationNamesItsCallsMethod() throws Exception {
    // the first turn's end passes, the continuation's holds
    SlowNthEnd listener = new SlowNthEnd(2);
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder()
        .name("reactant-watched").parallelism(2).longTurnWarning(Duration.ofMillis(50))
        .listener(listener).build())) {
      Relay relay = system.spawn(Relay.class, RelayActor::new);
      listener.actor = ActorRefs.idOf(relay);
      try {
        Mono<String> relayed = relay.relay();
        Report r = next(listener.recorder, "the long end of the continuation reported");
        assertThat(r.actor()).isEqualTo(ActorRefs.idOf(relay));
        assertThat(r.type()).isEqualTo(Relay.class);
        assertThat(r.method()).isEqualTo("relay");
        listener.go.countDown();
        assertThat(relayed.block(Duration.ofSeconds(60))).isEqualTo("relayed");
      } finally {
        listener.go.countDown();
      }
    }
  }

  /**
   * The next report of a job, past any of the turn that set its timer: on a loaded machine, that
   * turn (its body, or its end, which starts the scheduler's timer thread) may itself take long.
   * The job's turn is reported all the same, even when it follows that end on the same thread.
   */
  private static Report nextOfAJob(Recorder recorder, String what) throws InterruptedException {
    Report r = next(recorder, what);
    while (r.method().equals("holdInATimer")) { // its body, or its end
      r = next(recorder, what);
    }
    return r;
  }

  @Test
  @DisplayName("R25 a timer's job that holds its thread is reported as the method \"timer\" (or"
      + " \"recurring timer\"), whatever the timer: not with its id, which would make a metric"
      + " tag of each timer")
  void aLongTimerJobIsReportedWithoutItsTimersId() throws Exception {
    Recorder recorder = new Recorder();
    try (ActorSystem system = watched(recorder, Duration.ofMillis(50))) {
      Scheduling first = system.spawn(Scheduling.class, SchedulingActor::new);
      Scheduling second = system.spawn(Scheduling.class, SchedulingActor::new);
      CountDownLatch free = new CountDownLatch(1);
      try {
        first.holdInATimer(free, false).block(Duration.ofSeconds(60));
        Report r1 = nextOfAJob(recorder, "the first timer's job reported");
        second.holdInATimer(free, true).block(Duration.ofSeconds(60));
        Report r2 = nextOfAJob(recorder, "the second timer's job reported");
        assertThat(r1.actor()).isEqualTo(ActorRefs.idOf(first));
        assertThat(r1.method()).isEqualTo("timer");
        assertThat(r2.actor()).isEqualTo(ActorRefs.idOf(second));
        assertThat(r2.method()).isEqualTo("recurring timer");
      } finally {
        free.countDown();
      }
    }
  }

  @Test
  @DisplayName("thousands of quick turns in a row on one thread never add up to a long turn: only"
      + " the turn blocked on the other thread is reported")
  void quickTurnsAreNotReported() throws Exception {
    Recorder recorder = new Recorder();
    try (ActorSystem system = watched(recorder, Duration.ofMillis(500))) {
      Holder holder = system.spawn(Holder.class, HolderActor::new);
      Ponger ponger = system.spawn(Ponger.class, PongerActor::new);
      CountDownLatch free = new CountDownLatch(1);
      try {
        Mono<String> held = holder.hold(free);
        // the ponger runs on the other thread, one quick turn after another, until the report
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long pings = 0;
        Report report;
        while ((report = recorder.reports.poll()) == null && System.nanoTime() < deadline) {
          try {
            ponger.ping().block(Duration.ofSeconds(20));
          } catch (IllegalStateException e) {
            throw new AssertionError("ping " + pings + " timed out\n" + PoolSchedulingTest.poolThreads(), e);
          }
          pings++;
        }
        assertThat(report).as("the held turn reported").isNotNull();
        assertThat(report.actor()).isEqualTo(ActorRefs.idOf(holder));
        assertThat(report.running()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(pings).isPositive();
        assertThat(recorder.reports).isEmpty();
        free.countDown();
        assertThat(held.block(Duration.ofSeconds(60))).isEqualTo("freed");
      } finally {
        free.countDown();
      }
    }
  }

  @Test
  @DisplayName("the long-turn warning defaults to 2 s, Duration.ZERO turns it off, and a negative"
      + " one is refused")
  void longTurnWarningSettings() {
    assertThat(ActorSystemConfig.defaults().longTurnWarning()).isEqualTo(Duration.ofSeconds(2));
    assertThat(ActorSystemConfig.builder().longTurnWarning(Duration.ZERO).build()
        .longTurnWarning()).isZero();
    assertThat(ActorSystemConfig.builder().longTurnWarning(Duration.ofMillis(300)).build()
        .toBuilder().build().longTurnWarning()).isEqualTo(Duration.ofMillis(300));
    assertThatThrownBy(() -> ActorSystemConfig.builder().longTurnWarning(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longTurnWarning");
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Rule R25 at its edges: timers of turns that commit at an await and then trap, cancellations
 * rolled back, timer ids that leak to other actors, queries, full mailboxes, and the time a turn
 * reads.
 */
class TimerEdgesTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Alarm {
    Mono<TimerId> every(Duration interval, String label);

    Mono<Void> cancel(TimerId timer);

    /** Cancels {@code timer}, then traps. */
    Mono<Void> cancelThenTrap(TimerId timer);

    /**
     * Sets a timer and cancels {@code cancelled}, awaits {@code pause} on {@code clock} (a commit
     * point), then sets another timer and traps.
     */
    Mono<Void> setAwaitThenTrap(Duration delay, TimerId cancelled, Duration pause,
        Scheduler clock);

    /** Sets a one-shot or recurring timer that logs {@code label}, after logging it was set. */
    Mono<TimerId> set(Duration delay, boolean recurring, String label);

    /** Reads the time twice in one turn. */
    Mono<List<Instant>> nowTwice();

    /** Reads the time twice, awaits {@code pause} on {@code clock}, and reads it twice again. */
    Mono<List<Instant>> nowTwiceAroundAnAwait(Duration pause, Scheduler clock);

    @Query
    Mono<List<Instant>> nowTwiceInAQuery();

    /** The two times its constructor read. */
    @Query
    Mono<List<Instant>> born();

    @Query
    Mono<Integer> setTimerInQuery();

    @Query
    Mono<Integer> cancelTimerInQuery(TimerId timer);

    @Query
    Mono<List<String>> log();
  }

  static final class AlarmActor extends Actor implements Alarm {
    private final Var<List<String>> log = newVar("log", List.of());
    private final List<Instant> born = List.of(timeNow(), timeNow());

    private Mono<Void> record(String entry) {
      List<String> next = new ArrayList<>(log.get());
      next.add(entry);
      log.set(List.copyOf(next));
      return done();
    }

    @Override
    public Mono<TimerId> every(Duration interval, String label) {
      return Mono.just(recurringTimer(interval, () -> record(label)));
    }

    @Override
    public Mono<TimerId> set(Duration delay, boolean recurring, String label) {
      record("set " + label);
      return Mono.just(recurring
          ? recurringTimer(delay, () -> record(label + " at " + timeNow()))
          : setTimer(delay, () -> record(label + " at " + timeNow())));
    }

    @Override
    public Mono<Void> cancel(TimerId timer) {
      cancelTimer(timer);
      return record("cancelled " + timer.value());
    }

    @Override
    public Mono<Void> cancelThenTrap(TimerId timer) {
      cancelTimer(timer);
      return trap("the cancellation is rolled back");
    }

    @Override
    public Mono<Void> setAwaitThenTrap(Duration delay, TimerId cancelled, Duration pause,
        Scheduler clock) {
      setTimer(delay, () -> record("set before the await"));
      cancelTimer(cancelled);
      return await(Mono.delay(pause, clock)).then(Mono.defer(() -> {
        setTimer(delay, () -> record("set after the await"));
        return trap("the continuation traps");
      }));
    }

    @Override
    public Mono<List<Instant>> nowTwice() {
      Instant first = timeNow();
      Instant second = timeNow();
      return Mono.just(List.of(first, second));
    }

    @Override
    public Mono<List<Instant>> nowTwiceAroundAnAwait(Duration pause, Scheduler clock) {
      Instant first = timeNow();
      Instant second = timeNow();
      return await(Mono.delay(pause, clock))
          .then(Mono.fromSupplier(() -> List.of(first, second, timeNow(), timeNow())));
    }

    @Override
    public Mono<List<Instant>> nowTwiceInAQuery() {
      return nowTwice();
    }

    @Override
    public Mono<List<Instant>> born() {
      return Mono.just(born);
    }

    @Override
    public Mono<Integer> setTimerInQuery() {
      setTimer(Duration.ofSeconds(1), () -> record("set by a query"));
      return Mono.just(1);
    }

    @Override
    public Mono<Integer> cancelTimerInQuery(TimerId timer) {
      cancelTimer(timer);
      return Mono.just(1);
    }

    @Override
    public Mono<List<String>> log() {
      return Mono.just(log.get());
    }
  }

  private Alarm spawn() {
    return system.spawn(Alarm.class, AlarmActor::new);
  }

  @Test
  @DisplayName("R25 R10 a cancellation in a turn that traps is rolled back: the timer keeps firing")
  void cancellationOfATrappedTurnIsRolledBack() {
    Alarm alarm = spawn();
    TimerId beat = scheduler.await(alarm.every(Duration.ofSeconds(1), "beat"));
    assertThatThrownBy(() -> scheduler.await(alarm.cancelThenTrap(beat)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    scheduler.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(alarm.log().block()).containsExactly("beat", "beat", "beat");
  }

  @Test
  @DisplayName("R25 R13 a turn commits at its await: the timer it set and the cancellation it made"
      + " before stand though its continuation traps; the timer set after never exists")
  void timersOfATurnThatCommittedAtAnAwaitThenTrapped() {
    Alarm alarm = spawn();
    TimerId beat = scheduler.await(alarm.every(Duration.ofSeconds(10), "beat"));
    Mono<Void> call = alarm.setAwaitThenTrap(Duration.ofSeconds(5), beat, Duration.ofSeconds(1),
        scheduler);
    assertThatThrownBy(() -> scheduler.await(call, Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    scheduler.advanceTimeBy(Duration.ofSeconds(30));
    assertThat(alarm.log().block()).containsExactly("set before the await");
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.timers()).isZero());
  }

  @Test
  @DisplayName("R25 a TimerId that leaks to another actor (in a message) cancels nothing there:"
      + " its owner's timer keeps firing, and the other's turn commits")
  void aLeakedTimerIdCancelsNothingElsewhere() {
    Alarm owner = spawn();
    Alarm other = spawn();
    TimerId beat = scheduler.await(owner.every(Duration.ofSeconds(1), "beat"));
    scheduler.await(other.cancel(beat));
    scheduler.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(owner.log().block()).containsExactly("beat", "beat");
    assertThat(other.log().block()).containsExactly("cancelled " + beat.value());
  }

  @Test
  @DisplayName("R25 cancelling a timer twice, in one turn or two, cancels it once and does nothing"
      + " more")
  void cancellingTwice() {
    Alarm alarm = spawn();
    TimerId beat = scheduler.await(alarm.every(Duration.ofSeconds(1), "beat"));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    scheduler.await(alarm.cancel(beat));
    scheduler.await(alarm.cancel(beat));
    scheduler.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(alarm.log().block()).containsExactly("beat", "cancelled " + beat.value(),
        "cancelled " + beat.value());
  }

  @Test
  @DisplayName("R25 R19 a query that sets or cancels a timer traps (code 5): no timer is set, and"
      + " a timer it would cancel keeps firing")
  void queriesCannotSetOrCancelTimers() {
    Alarm alarm = spawn();
    TimerId beat = scheduler.await(alarm.every(Duration.ofSeconds(1), "beat"));
    assertThatThrownBy(() -> alarm.setTimerInQuery().block())
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("cannot set a timer");
        });
    assertThatThrownBy(() -> alarm.cancelTimerInQuery(beat).block())
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("cannot cancel a timer");
        });
    scheduler.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(alarm.log().block()).containsExactly("beat", "beat");
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.timers()).isOne());
  }

  @Test
  @DisplayName("R25 R12a a timer that fires into a full bounded mailbox is queued, not lost: it"
      + " takes a place there, so a caller's call that comes next finds the mailbox full (code 2)")
  void aFiringIntoAFullMailboxIsQueued() {
    DeterministicScheduler ticks = DeterministicScheduler.create();
    TimersTest.HoldingScheduler held = new TimersTest.HoldingScheduler(ticks);
    try (ActorSystem bounded = ActorSystem.create(ActorSystemConfig.builder().name("bounded")
        .scheduler(held).mailboxCapacity(1).build())) {
      Alarm alarm = bounded.spawn(Alarm.class, AlarmActor::new);
      ticks.await(alarm.every(Duration.ofSeconds(1), "beat"));
      held.holding = true; // the actor gets no thread: what it is sent waits in its mailbox
      TimerId unknown = new TimerId(Long.MAX_VALUE);
      Mono<Void> first = alarm.cancel(unknown); // fills the mailbox
      ticks.advanceTimeBy(Duration.ofSeconds(1)); // the firing comes in over the capacity
      assertThat(bounded.mailboxDepth(ActorRefs.idOf(alarm))).isEqualTo(2);
      assertThatThrownBy(() -> ticks.await(alarm.cancel(unknown)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
      held.release();
      ticks.await(first);
      assertThat(alarm.log().block()).containsExactly("cancelled " + Long.MAX_VALUE, "beat");
    }
  }

  @Test
  @DisplayName("R25 R12 delays at their edges: a negative delay or a zero interval traps the turn"
      + " that asks (code 5; nothing it did stays); a zero delay fires without moving the clock;"
      + " one of 145 years fires when the clock gets there; an interval of Long.MAX_VALUE seconds"
      + " never fires and counts as active until cancelled")
  void delaysAtTheirEdges() {
    Alarm alarm = spawn();
    for (Mono<TimerId> refused : List.of(alarm.set(Duration.ofNanos(-1), false, "negative"),
        alarm.set(Duration.ZERO, true, "zero interval"),
        alarm.set(Duration.ofSeconds(-1), true, "negative interval"))) {
      assertThatThrownBy(() -> scheduler.await(refused))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("A timer's");
          });
    }
    assertThat(alarm.log().block()).as("the refused turns' writes rolled back").isEmpty();

    scheduler.await(alarm.set(Duration.ZERO, false, "now"));
    assertThat(alarm.log().block()).containsExactly("set now", "now at 1970-01-01T00:00:00Z");

    TimerId never = scheduler.await(alarm.set(Duration.ofSeconds(Long.MAX_VALUE), true, "never"));
    Duration years145 = Duration.ofDays(365L * 145);
    scheduler.await(alarm.set(years145, false, "late"));
    scheduler.advanceTimeBy(years145);
    assertThat(alarm.log().block()).containsExactly("set now", "now at 1970-01-01T00:00:00Z",
        "set never", "set late", "late at " + Instant.EPOCH.plus(years145));
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.timers()).as("the one for ever").isOne());
    scheduler.await(alarm.cancel(never));
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.timers()).isZero());
  }

  @Test
  @DisplayName("R25 a firing that would come past the end of the virtual clock (292 years) never"
      + " comes: a recurring timer of a century fires at 100 and 200 years, not at the end of"
      + " time, nor does a one-shot of 145 years set at 200 years; both stay active until"
      + " cancelled")
  void firingsPastTheEndOfTheClockNeverCome() {
    Alarm alarm = spawn();
    Duration century = Duration.ofDays(36_500);
    TimerId recurring = scheduler.await(alarm.set(century, true, "century"));
    scheduler.advanceTimeBy(century.multipliedBy(2));
    TimerId late = scheduler.await(alarm.set(Duration.ofDays(365L * 145), false, "late"));
    scheduler.advanceTimeBy(java.time.temporal.ChronoUnit.FOREVER.getDuration());
    assertThat(alarm.log().block()).containsExactly("set century",
        "century at " + Instant.EPOCH.plus(century),
        "century at " + Instant.EPOCH.plus(century.multipliedBy(2)), "set late");
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.timers()).isEqualTo(2));
    scheduler.await(alarm.cancel(recurring));
    scheduler.await(alarm.cancel(late));
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.timers()).isZero());
  }

  /** A scheduler whose clock moves a millisecond each time it is read. */
  static final class TickingScheduler extends TimersTest.DelegatingScheduler {
    private final AtomicLong reads = new AtomicLong();

    TickingScheduler(Scheduler delegate) {
      super(delegate);
    }

    @Override
    public long now(TimeUnit unit) {
      long millis = super.now(TimeUnit.MILLISECONDS) + reads.incrementAndGet();
      return unit.convert(millis, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  @DisplayName("R25 timeNow() is constant within a turn, as Motoko's Time.now() within a message's"
      + " execution, even on a clock that moves while the turn runs: in an update's turn, in the"
      + " continuation after an await (which reads later), in a query and in the constructor")
  void timeNowIsConstantWithinATurn() {
    DeterministicScheduler ticks = DeterministicScheduler.create();
    try (ActorSystem ticking = ActorSystem.create(ActorSystemConfig.builder().name("ticking")
        .scheduler(new TickingScheduler(ticks)).build())) {
      Alarm alarm = ticking.spawn(Alarm.class, AlarmActor::new);
      List<Instant> born = alarm.born().block();
      assertThat(born.get(1)).as("the constructor's two reads").isEqualTo(born.get(0));
      List<Instant> first = ticks.await(alarm.nowTwice());
      List<Instant> second = ticks.await(alarm.nowTwice());
      assertThat(first.get(1)).as("a turn's two reads").isEqualTo(first.get(0));
      assertThat(second.get(1)).isEqualTo(second.get(0));
      assertThat(second.get(0)).as("a later turn reads later").isAfter(first.get(0));
      List<Instant> query = alarm.nowTwiceInAQuery().block();
      assertThat(query.get(1)).as("a query's two reads").isEqualTo(query.get(0));
      List<Instant> around = ticks.await(
          alarm.nowTwiceAroundAnAwait(Duration.ofMillis(1), ticks), Duration.ofSeconds(1));
      assertThat(around.get(1)).isEqualTo(around.get(0));
      assertThat(around.get(3)).as("the continuation's two reads").isEqualTo(around.get(2));
      assertThat(around.get(2)).as("the continuation is a turn of its own, later")
          .isAfter(around.get(0));
    }
  }
}

package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.state.Var;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** {@link DeterministicScheduler#startingAt}: a virtual clock that starts at a given instant. */
class DeterministicSchedulerStartTest {

  private static final Instant START = Instant.parse("2026-12-07T09:30:00.000000123Z");

  public interface Diary {
    /** Notes the time now, and again in a timer {@code delay} later. */
    Mono<Void> noteNowAndIn(Duration delay);

    @Query
    Mono<List<Instant>> notes();
  }

  static final class DiaryActor extends Actor implements Diary {
    private final Var<List<Instant>> notes = newVar("notes", List.of(timeNow()));

    private Mono<Void> note() {
      List<Instant> next = new ArrayList<>(notes.get());
      next.add(timeNow());
      notes.set(List.copyOf(next));
      return done();
    }

    @Override
    public Mono<Void> noteNowAndIn(Duration delay) {
      setTimer(delay, this::note);
      return note();
    }

    @Override
    public Mono<List<Instant>> notes() {
      return Mono.just(notes.get());
    }
  }

  @Test
  @DisplayName("R25 a scheduler started at an instant reads it before the clock moves: an actor's"
      + " constructor and first turn read it, to the nanosecond, and a timer fires its delay later")
  void actorsReadTheStartInstant() {
    DeterministicScheduler scheduler = DeterministicScheduler.withSeed(42).startingAt(START);
    assertThat(scheduler.now(TimeUnit.NANOSECONDS))
        .isEqualTo(TimeUnit.SECONDS.toNanos(START.getEpochSecond()) + START.getNano());
    try (ActorSystem system = ActorSystem.create(
        ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Diary diary = system.spawn(Diary.class, DiaryActor::new);
      scheduler.await(diary.noteNowAndIn(Duration.ofHours(1)));
      scheduler.advanceTimeBy(Duration.ofHours(1));
      assertThat(diary.notes().block())
          .containsExactly(START, START, START.plus(Duration.ofHours(1)));
    }
  }

  @Test
  @DisplayName("a scheduler started at an instant keeps the seed and run delays of the one it was"
      + " made from: the same seed replays the same order of tasks and the same delays, shifted")
  void keepsTheSeedAndTheRunDelays() {
    assertThat(runs(DeterministicScheduler.withRunDelays(7, Duration.ofMillis(10))
        .startingAt(START), START))
        .isEqualTo(runs(DeterministicScheduler.withRunDelays(7, Duration.ofMillis(10)),
            Instant.EPOCH))
        .hasSize(20);
    assertThat(runs(DeterministicScheduler.create().startingAt(START), START))
        .as("without a seed, in submission order, at once")
        .isEqualTo(runs(DeterministicScheduler.create(), Instant.EPOCH))
        .startsWith("0 after PT0S", "1 after PT0S");
  }

  /** Runs 20 tasks given to run now, each noting its number and how long after start it ran. */
  private static List<String> runs(DeterministicScheduler scheduler, Instant start) {
    List<String> ran = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      scheduler.execute(() -> ran.add(n + " after " + Duration.between(start,
          Instant.EPOCH.plusNanos(scheduler.now(TimeUnit.NANOSECONDS)))));
    }
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    return ran;
  }

  @Test
  @DisplayName("a start instant must lie on the virtual clock: from the epoch to its end, Long"
      + " .MAX_VALUE nanoseconds later, both included; the scheduler it was made from is unchanged")
  void startsOnlyOnTheClock() {
    Instant end = Instant.EPOCH.plusNanos(Long.MAX_VALUE);
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    assertThat(scheduler.startingAt(Instant.EPOCH).now(TimeUnit.NANOSECONDS)).isZero();
    assertThat(scheduler.startingAt(end).now(TimeUnit.NANOSECONDS)).isEqualTo(Long.MAX_VALUE);
    for (Instant off : List.of(Instant.EPOCH.minusNanos(1), end.plusNanos(1), Instant.MAX)) {
      assertThatThrownBy(() -> scheduler.startingAt(off))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(off.toString())
          .hasMessageContaining("1970-01-01T00:00:00Z")
          .hasMessageContaining(end.toString());
    }
    assertThat(scheduler.now(TimeUnit.NANOSECONDS)).isZero();
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * R25 {@code timeNow()} is read anew by each turn wherever a thread reuses or resets a context:
 * consecutive turns of one actor and of two on the one thread that drives a {@link
 * DeterministicScheduler}, behind a clock that moves a millisecond at each read, so that a turn
 * that saw an earlier turn's instant shows as a reading that is not later than the one before.
 */
class TimeNowPerTurnTest {

  record Reading(String label, Instant at) {
  }

  /** Every reading, in the order made; outside any actor's state, so a trapped turn's stay. */
  private final List<Reading> readings = Collections.synchronizedList(new ArrayList<>());
  private final DeterministicScheduler ticks = DeterministicScheduler.create();
  private final ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("ticks")
      .scheduler(new TimerEdgesTest.TickingScheduler(ticks)).build());

  @AfterEach
  void close() {
    system.close();
    ticks.runUntilIdle();
  }

  public interface Clocked {
    /** Reads the time twice. */
    Mono<Void> note(String label);

    /** A oneway that reads the time twice. */
    void ping(String label);

    /** Reads the time twice, then traps. */
    Mono<Void> noteThenTrap(String label);

    /** Reads the time twice when its Mono is subscribed, not while the method runs. */
    Mono<Void> noteLazily(String label);

    /** Reads the time twice, awaits {@code other.note}, then reads it twice again. */
    Mono<Void> noteAroundAwait(String label, Clocked other);

    /** Sets a timer of no delay whose job reads the time twice. */
    Mono<Void> noteInATimer(String label);

    /** Reads the time twice, then spawns an actor whose constructor reads it twice. */
    Mono<Void> noteThenSpawn(String label);

    @Query
    Mono<Integer> noteInAQuery(String label);

    /** Reads the time twice, awaits {@code other.noteInAQuery}, then reads it twice again. */
    @CompositeQuery
    Mono<Integer> noteAroundAQueryAwait(String label, Clocked other);
  }

  final class ClockedActor extends Actor implements Clocked {
    ClockedActor(String label) {
      read(label);
    }

    private Mono<Void> read(String label) {
      readings.add(new Reading(label, timeNow()));
      readings.add(new Reading(label, timeNow()));
      return done();
    }

    @Override
    public Mono<Void> note(String label) {
      return read(label);
    }

    @Override
    public void ping(String label) {
      read(label);
    }

    @Override
    public Mono<Void> noteThenTrap(String label) {
      read(label);
      return trap("after reading the time");
    }

    @Override
    public Mono<Void> noteLazily(String label) {
      return Mono.defer(() -> read(label));
    }

    @Override
    public Mono<Void> noteAroundAwait(String label, Clocked other) {
      read(label + " before");
      return await(other.note(label + " callee")).then(Mono.defer(() -> read(label + " after")));
    }

    @Override
    public Mono<Void> noteInATimer(String label) {
      setTimer(Duration.ZERO, () -> read(label));
      return done();
    }

    @Override
    public Mono<Void> noteThenSpawn(String label) {
      read(label);
      return await(spawn(ActorClass.of(Clocked.class, ClockedActor::new), label + " child")).then();
    }

    @Override
    public Mono<Integer> noteInAQuery(String label) {
      return read(label).thenReturn(1);
    }

    @Override
    public Mono<Integer> noteAroundAQueryAwait(String label, Clocked other) {
      read(label + " before");
      return await(other.noteInAQuery(label + " callee"))
          .flatMap(n -> read(label + " after").thenReturn(n + 1));
    }
  }

  private Clocked spawn(String label) {
    return system.spawn(Clocked.class, () -> new ClockedActor(label));
  }

  @Test
  @DisplayName("R25 each turn of one actor and of two on one thread reads a fresh instant, constant"
      + " within it: updates, oneways, a trapped turn and the next, a lazily built result, the"
      + " continuation after an await, a timer's job, constructors in a row and inside a turn,"
      + " queries")
  void eachTurnReadsAFreshInstant() {
    Clocked a = spawn("a born");
    Clocked b = spawn("b born");
    ticks.await(a.note("a1"));
    ticks.await(b.note("b1"));
    ticks.await(a.note("a2"));
    a.note("a3");
    b.note("b2");
    a.ping("a4 oneway");
    b.ping("b3 oneway");
    ticks.runUntilIdle(); // the four turns back to back on this thread
    assertThatThrownBy(() -> ticks.await(a.noteThenTrap("a5 trapped")));
    ticks.await(a.note("a6 after the trap"));
    b.noteThenTrap("b4 trapped");
    a.note("a7 after b's trap");
    ticks.runUntilIdle();
    ticks.await(a.noteLazily("a8 lazily"));
    ticks.await(b.noteLazily("b5 lazily"));
    ticks.await(a.noteAroundAwait("a9", b));
    ticks.await(a.noteInATimer("a10 timer"));
    ticks.await(b.note("b6"));
    ticks.await(a.noteThenSpawn("a11"));
    spawn("c born");
    assertThat(a.noteInAQuery("a12 query").block()).isOne();
    assertThat(b.noteInAQuery("b7 query").block()).isOne();
    ticks.await(a.note("a13"));

    List<String> labels = new ArrayList<>();
    for (int i = 0; i < readings.size(); i += 2) {
      Reading first = readings.get(i);
      Reading second = readings.get(i + 1);
      assertThat(second).as("two reads in one turn").isEqualTo(first);
      if (i > 0) {
        assertThat(first.at()).as("%s after %s", first.label(), readings.get(i - 1).label())
            .isAfter(readings.get(i - 1).at());
      }
      labels.add(first.label());
    }
    assertThat(labels).as("every turn read (the mailboxes decide the order of a3 to b3)")
        .containsExactlyInAnyOrder("a born", "b born", "a1", "b1", "a2", "a3", "b2",
        "a4 oneway", "b3 oneway", "a5 trapped", "a6 after the trap", "b4 trapped",
        "a7 after b's trap", "a8 lazily", "b5 lazily", "a9 before", "a9 callee", "a9 after",
        "a10 timer", "b6", "a11", "a11 child", "c born", "a12 query", "b7 query", "a13");
  }

  @Test
  @DisplayName("R19 R25 a composite query reads one instant across its awaits, as it reads one"
      + " snapshot, while the query it awaits reads a later one")
  void aCompositeQueryReadsOneInstant() {
    Clocked a = spawn("a born");
    Clocked b = spawn("b born");
    assertThat(a.noteAroundAQueryAwait("cq", b).block()).isEqualTo(2);
    assertThat(readings).extracting(Reading::label).containsExactly("a born", "a born",
        "b born", "b born", "cq before", "cq before", "cq callee", "cq callee", "cq after",
        "cq after");
    assertThat(readings.get(8).at()).as("after its await").isEqualTo(readings.get(4).at());
    assertThat(readings.get(6).at()).as("the query it awaits").isAfter(readings.get(4).at());
  }
}

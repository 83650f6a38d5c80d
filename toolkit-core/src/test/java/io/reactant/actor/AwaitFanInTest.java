package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.internal.CallFuture;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Rule R13 through Reactor's combining operators: an await (or a Mono returned unawaited) of a
 * fan-in of call futures ({@code Mono.zip}, {@code zipWith}, {@code Mono.when}, a collected {@code
 * Flux.merge}, the races {@code Mono.firstWithValue} and {@code firstWithSignal}) through which a
 * cycle of calls closes back to the awaiting call.
 */
class AwaitFanInTest {

  /** The futures the branches await, by key. */
  static final ConcurrentHashMap<String, Mono<Long>> FUTURES = new ConcurrentHashMap<>();

  public interface Branch {
    /** Awaits the future kept under {@code key}. */
    Mono<Long> awaitKept(String key);

    /**
     * A zip of {@code next.awaitKept(key)} and 1, awaited ({@code awaits}) or returned unawaited.
     */
    Mono<Long> zipOn(Branch next, String key, boolean awaits);

    /** A map of {@code next.awaitKept(key)}, awaited ({@code awaits}) or returned unawaited. */
    Mono<Long> mapOn(Branch next, String key, boolean awaits);
  }

  static final class BranchActor extends Actor implements Branch {
    @Override
    public Mono<Long> awaitKept(String key) {
      return await(FUTURES.get(key));
    }

    @Override
    public Mono<Long> zipOn(Branch next, String key, boolean awaits) {
      Mono<Long> zipped = Mono.zip(next.awaitKept(key), Mono.just(1L), Long::sum);
      return awaits ? await(zipped) : zipped;
    }

    @Override
    public Mono<Long> mapOn(Branch next, String key, boolean awaits) {
      Mono<Long> mapped = next.awaitKept(key).map(v -> v + 1);
      return awaits ? await(mapped) : mapped;
    }
  }

  /** The combining operators, each over two call futures. */
  enum Shape {
    ZIP, ZIP_WITH, WHEN, MERGE_COLLECTED, FIRST_WITH_VALUE, FIRST_WITH_SIGNAL;

    Mono<Long> of(Mono<Long> x, Mono<Long> y) {
      return switch (this) {
        case ZIP -> Mono.zip(x, y, Long::sum);
        case ZIP_WITH -> x.zipWith(y, Long::sum);
        case WHEN -> Mono.when(x, y).thenReturn(0L);
        case MERGE_COLLECTED -> Flux.merge(x, y).collectList()
            .map(all -> all.stream().mapToLong(Long::longValue).sum());
        case FIRST_WITH_VALUE -> Mono.firstWithValue(x, y);
        case FIRST_WITH_SIGNAL -> Mono.firstWithSignal(x, y);
      };
    }

    boolean race() {
      return this == FIRST_WITH_VALUE || this == FIRST_WITH_SIGNAL;
    }

    /** What it answers when both sources answer {@code v}. */
    long answer(long v) {
      return switch (this) {
        case WHEN -> 0L;
        case FIRST_WITH_VALUE, FIRST_WITH_SIGNAL -> v;
        default -> 2 * v;
      };
    }
  }

  public interface FanIn {
    /**
     * Combines {@code b.awaitKept(kb)} and {@code c.awaitKept(kc)} as {@code shape} says, and
     * awaits the combination ({@code awaits}) or returns it unawaited.
     */
    Mono<Long> combine(Shape shape, boolean awaits, Branch b, String kb, Branch c, String kc);

    /** As {@link #combine}, with a {@code map} after the combination. */
    Mono<Long> combineMapped(Shape shape, boolean awaits, Branch b, String kb, Branch c,
        String kc);

    /**
     * A zip of a {@code cache} of {@code b.awaitKept(kb)} and 1, awaited ({@code awaits}) or
     * returned unawaited.
     */
    Mono<Long> zipCached(Branch b, String kb, boolean awaits);

    /** Combines the futures kept under {@code kb} and {@code kc}, as {@link #combine} does. */
    Mono<Long> combineKept(Shape shape, boolean awaits, String kb, String kc);

    /**
     * Awaits the future kept under {@code first}, flat-mapped to the one kept under {@code then}
     * (looked up once the first answered).
     */
    Mono<Long> thenKept(String first, String then);
  }

  static final class FanInActor extends Actor implements FanIn {
    @Override
    public Mono<Long> combine(Shape shape, boolean awaits, Branch b, String kb, Branch c,
        String kc) {
      Mono<Long> combined = shape.of(b.awaitKept(kb), c.awaitKept(kc));
      return awaits ? await(combined) : combined;
    }

    @Override
    public Mono<Long> combineMapped(Shape shape, boolean awaits, Branch b, String kb, Branch c,
        String kc) {
      Mono<Long> combined = shape.of(b.awaitKept(kb), c.awaitKept(kc)).map(v -> v + 1);
      return awaits ? await(combined) : combined;
    }

    @Override
    public Mono<Long> zipCached(Branch b, String kb, boolean awaits) {
      Mono<Long> zipped = Mono.zip(b.awaitKept(kb).cache(), Mono.just(1L), Long::sum);
      return awaits ? await(zipped) : zipped;
    }

    @Override
    public Mono<Long> combineKept(Shape shape, boolean awaits, String kb, String kc) {
      Mono<Long> combined = shape.of(FUTURES.get(kb), FUTURES.get(kc));
      return awaits ? await(combined) : combined;
    }

    @Override
    public Mono<Long> thenKept(String first, String then) {
      return await(FUTURES.get(first).flatMap(v -> FUTURES.get(then)));
    }
  }

  /** A fan-in's outcome once the scheduler is idle, and once a sink it may wait for answered 5. */
  private record Outcome(boolean doneAtOnce, String end) {
  }

  private static Outcome drive(DeterministicScheduler scheduler, Mono<Long> outer,
      Sinks.One<Long> sink) {
    Mono<Long> answered = outer.cache();
    answered.subscribe(v -> { }, e -> { });
    scheduler.runUntilIdle();
    boolean done = ((CallFuture<Long>) outer).isDone();
    sink.tryEmitValue(5L);
    scheduler.runUntilIdle();
    String end;
    try {
      end = "answered " + scheduler.await(answered);
    } catch (CallError e) {
      end = e.code() + ": " + e.rejectMessage();
    } catch (IllegalStateException e) {
      end = "left waiting";
    }
    return new Outcome(done, end);
  }

  private static final String DEADLOCK = "would deadlock (rule R13)";

  @Test
  @DisplayName("R13 an await of a zip, zipWith, when or collected merge of two calls, through one"
      + " or both of which a cycle closes back to the awaiting call, fails at once with the"
      + " deadlock error, whichever call runs first; returned unawaited, so does the call")
  void aFanInThroughWhichACycleClosesFails() {
    for (Shape shape : List.of(Shape.ZIP, Shape.ZIP_WITH, Shape.WHEN, Shape.MERGE_COLLECTED)) {
      for (boolean awaits : List.of(true, false)) {
        for (int closing = 1; closing <= 3; closing++) { // through b, through c, through both
          for (long seed = 1; seed <= 3; seed++) {
            DeterministicScheduler scheduler = DeterministicScheduler.withSeed(seed);
            try (ActorSystem system = TestSystems.on(scheduler)) {
              FUTURES.clear();
              Sinks.One<Long> sink = Sinks.one();
              FUTURES.put("sink", sink.asMono());
              FanIn a = system.spawn(FanIn.class, FanInActor::new);
              Branch b = system.spawn(Branch.class, BranchActor::new);
              Branch c = system.spawn(Branch.class, BranchActor::new);
              Mono<Long> outer = a.combine(shape, awaits, b, (closing & 1) != 0 ? "a" : "sink",
                  c, (closing & 2) != 0 ? "a" : "sink");
              FUTURES.put("a", outer);
              Outcome outcome = drive(scheduler, outer, sink);
              String as = shape + ", awaits " + awaits + ", closing " + closing + ", seed " + seed;
              assertThat(outcome.doneAtOnce()).as(as).isTrue();
              assertThat(outcome.end()).as(as).startsWith("CANISTER_ERROR").contains(DEADLOCK)
                  .contains(awaits ? "awaits a Mono that subscribed to the future of"
                      : "returned a Mono that subscribed to the future of");
            }
          }
        }
      }
    }
  }

  @Test
  @DisplayName("R13 a zip (Mono.zip, zipWith) one of whose two calls leads back counts as blocked"
      + " while the other is pending, though that one may answer empty and end the zip, empty,"
      + " first: the check cannot tell, and fails it at once with the deadlock error; a when,"
      + " which waits for an empty source as for any, is blocked for sure")
  void aZipThroughOneOfWhoseCallsACycleClosesFailsThoughTheOtherMayBeEmpty() {
    for (Shape shape : List.of(Shape.ZIP, Shape.ZIP_WITH, Shape.WHEN)) {
      for (boolean awaits : List.of(true, false)) {
        DeterministicScheduler scheduler = DeterministicScheduler.withSeed(5);
        try (ActorSystem system = TestSystems.on(scheduler)) {
          FUTURES.clear();
          Sinks.One<Long> sink = Sinks.one();
          FUTURES.put("sink", sink.asMono());
          FanIn a = system.spawn(FanIn.class, FanInActor::new);
          Branch b = system.spawn(Branch.class, BranchActor::new);
          Branch c = system.spawn(Branch.class, BranchActor::new);
          Mono<Long> outer = a.combine(shape, awaits, b, "a", c, "sink");
          FUTURES.put("a", outer);
          Mono<Long> answered = outer.cache();
          answered.subscribe(v -> { }, e -> { });
          scheduler.runUntilIdle();
          String as = shape + ", awaits " + awaits;
          assertThat(((CallFuture<Long>) outer).isDone()).as(as).isTrue();
          sink.tryEmitEmpty(); // c's call answers empty: too late, the zip failed already
          scheduler.runUntilIdle();
          assertThatThrownBy(() -> scheduler.await(answered)).as(as)
              .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
                  .contains(DEADLOCK));
        } finally {
          FUTURES.clear();
        }
      }
    }
  }

  @Test
  @DisplayName("R13 a zip, zipWith, when or collected merge of two calls sent before it, one of"
      + " which already awaits the zipping call's future, fails at once with the deadlock error,"
      + " awaited or returned unawaited, whichever call runs first")
  void aFanInOfCallsThatAlreadyLeadBackFails() {
    for (Shape shape : List.of(Shape.ZIP, Shape.ZIP_WITH, Shape.WHEN, Shape.MERGE_COLLECTED)) {
      for (boolean awaits : List.of(true, false)) {
        for (long seed = 1; seed <= 3; seed++) {
          DeterministicScheduler scheduler = DeterministicScheduler.withSeed(seed);
          try (ActorSystem system = TestSystems.on(scheduler)) {
            FUTURES.clear();
            Sinks.One<Long> sink = Sinks.one();
            FUTURES.put("sink", sink.asMono());
            FanIn a = system.spawn(FanIn.class, FanInActor::new);
            Branch b = system.spawn(Branch.class, BranchActor::new);
            Branch c = system.spawn(Branch.class, BranchActor::new);
            FUTURES.put("b", b.awaitKept("a"));
            FUTURES.put("c", c.awaitKept("sink"));
            Mono<Long> outer = a.combineKept(shape, awaits, "b", "c");
            FUTURES.put("a", outer);
            Outcome outcome = drive(scheduler, outer, sink);
            String as = shape + ", awaits " + awaits + ", seed " + seed;
            assertThat(outcome.doneAtOnce()).as(as).isTrue();
            assertThat(outcome.end()).as(as).contains(DEADLOCK);
          }
        }
      }
    }
  }

  @Test
  @DisplayName("R13 no false positive: a zip, zipWith, when, collected merge or race of calls none"
      + " of which leads back, awaited or returned unawaited, waits for them and answers their"
      + " values")
  void aFanInOfCallsThatDoNotLeadBackCompletes() {
    for (Shape shape : Shape.values()) {
      for (boolean awaits : List.of(true, false)) {
        for (long seed = 1; seed <= 2; seed++) {
          DeterministicScheduler scheduler = DeterministicScheduler.withSeed(seed);
          try (ActorSystem system = TestSystems.on(scheduler)) {
            FUTURES.clear();
            Sinks.One<Long> sink = Sinks.one();
            FUTURES.put("sink", sink.asMono());
            FanIn a = system.spawn(FanIn.class, FanInActor::new);
            Branch b = system.spawn(Branch.class, BranchActor::new);
            Branch c = system.spawn(Branch.class, BranchActor::new);
            // the second level too: b's and c's calls zip (or map) a call that waits for the sink
            FUTURES.put("b", b.zipOn(c, "sink", seed == 1));
            FUTURES.put("c", c.mapOn(b, "sink", seed == 2));
            Mono<Long> outer = a.combineKept(shape, awaits, "b", "c");
            FUTURES.put("a", outer);
            Outcome outcome = drive(scheduler, outer, sink);
            String as = shape + ", awaits " + awaits + ", seed " + seed;
            assertThat(outcome.doneAtOnce()).as(as).isFalse();
            assertThat(outcome.end()).as(as)
                .isEqualTo("answered " + shape.answer(6L));
          }
        }
      }
    }
  }

  @Test
  @DisplayName("R13 a race (firstWithValue, firstWithSignal) of two calls that both close a cycle"
      + " back to the awaiting call can only end after that call replies: its await fails at once"
      + " with the deadlock error, whichever call runs first")
  void aRaceOfTwoCallsThatBothLeadBackFails() {
    for (Shape shape : List.of(Shape.FIRST_WITH_VALUE, Shape.FIRST_WITH_SIGNAL)) {
      for (boolean before : List.of(false, true)) {
        for (long seed = 1; seed <= 4; seed++) {
          DeterministicScheduler scheduler = DeterministicScheduler.withSeed(seed);
          try (ActorSystem system = TestSystems.on(scheduler)) {
            FUTURES.clear();
            Sinks.One<Long> sink = Sinks.one();
            FanIn a = system.spawn(FanIn.class, FanInActor::new);
            Branch b = system.spawn(Branch.class, BranchActor::new);
            Branch c = system.spawn(Branch.class, BranchActor::new);
            Mono<Long> outer;
            if (before) { // the calls are sent (and may run) before the race subscribes to them
              FUTURES.put("b", b.awaitKept("a"));
              FUTURES.put("c", c.awaitKept("a"));
              outer = a.combineKept(shape, true, "b", "c");
            } else {
              outer = a.combine(shape, true, b, "a", c, "a");
            }
            FUTURES.put("a", outer);
            Outcome outcome = drive(scheduler, outer, sink);
            String as = shape + ", before " + before + ", seed " + seed;
            assertThat(outcome.doneAtOnce()).as(as).isTrue();
            assertThat(outcome.end()).as(as).startsWith("CANISTER_ERROR")
                .contains("awaits a Mono that subscribed to the future of Branch.awaitKept()")
                .contains(DEADLOCK);
          }
        }
      }
    }
  }

  @Test
  @DisplayName("R13 a race (firstWithValue, firstWithSignal) returned unawaited whose two calls"
      + " both close a cycle back to the returning call fails the call at once with the deadlock"
      + " error, not Reactor's error of a race whose sources all failed; so does a map of it,"
      + " returned or awaited")
  void aReturnedRaceOfTwoCallsThatBothLeadBackFails() {
    for (Shape shape : List.of(Shape.FIRST_WITH_VALUE, Shape.FIRST_WITH_SIGNAL)) {
      for (int form = 0; form < 4; form++) { // as is; sent before; mapped; mapped and awaited
        boolean mapped = form >= 2;
        boolean awaits = form == 3;
        for (long seed = 1; seed <= 3; seed++) {
          DeterministicScheduler scheduler = DeterministicScheduler.withSeed(seed);
          try (ActorSystem system = TestSystems.on(scheduler)) {
            FUTURES.clear();
            FanIn a = system.spawn(FanIn.class, FanInActor::new);
            Branch b = system.spawn(Branch.class, BranchActor::new);
            Branch c = system.spawn(Branch.class, BranchActor::new);
            Mono<Long> outer;
            if (form == 1) { // the calls are sent (and may run) before the race subscribes
              FUTURES.put("b", b.awaitKept("a"));
              FUTURES.put("c", c.awaitKept("a"));
              outer = a.combineKept(shape, false, "b", "c");
            } else {
              outer = mapped ? a.combineMapped(shape, awaits, b, "a", c, "a")
                  : a.combine(shape, false, b, "a", c, "a");
            }
            FUTURES.put("a", outer);
            Outcome outcome = drive(scheduler, outer, Sinks.one());
            String as = shape + ", form " + form + ", seed " + seed;
            assertThat(outcome.doneAtOnce()).as(as).isTrue();
            assertThat(outcome.end()).as(as).startsWith("CANISTER_ERROR")
                .contains(awaits ? "awaits a Mono that subscribed to the future of"
                    : "returned a Mono that subscribed to the future of")
                .contains(DEADLOCK).doesNotContain("All sources completed");
          }
        }
      }
    }
  }

  @Test
  @DisplayName("R13 a race (firstWithValue, firstWithSignal) of two calls only one of which closes"
      + " a cycle back to the awaiting call is no deadlock: the other call may still end it, and"
      + " its value answers the race, awaited or returned unawaited, whichever call runs first")
  void aRaceThroughOneOfWhoseCallsACycleClosesIsNoDeadlock() {
    for (Shape shape : List.of(Shape.FIRST_WITH_VALUE, Shape.FIRST_WITH_SIGNAL)) {
      for (boolean awaits : List.of(true, false)) {
        for (boolean before : List.of(false, true)) {
          for (int closing = 1; closing <= 2; closing++) {
            for (long seed = 1; seed <= 2; seed++) {
              DeterministicScheduler scheduler = DeterministicScheduler.withSeed(seed);
              try (ActorSystem system = TestSystems.on(scheduler)) {
                FUTURES.clear();
                Sinks.One<Long> sink = Sinks.one();
                FUTURES.put("sink", sink.asMono());
                FanIn a = system.spawn(FanIn.class, FanInActor::new);
                Branch b = system.spawn(Branch.class, BranchActor::new);
                Branch c = system.spawn(Branch.class, BranchActor::new);
                String kb = closing == 1 ? "a" : "sink";
                String kc = closing == 2 ? "a" : "sink";
                Mono<Long> outer;
                if (before) {
                  FUTURES.put("b", b.awaitKept(kb));
                  FUTURES.put("c", c.awaitKept(kc));
                  outer = a.combineKept(shape, awaits, "b", "c");
                } else if (seed == 2) { // a map of the race, which fails only if the race does
                  outer = a.combineMapped(shape, awaits, b, kb, c, kc);
                } else {
                  outer = a.combine(shape, awaits, b, kb, c, kc);
                }
                FUTURES.put("a", outer);
                Outcome outcome = drive(scheduler, outer, sink);
                String as = shape + ", awaits " + awaits + ", before " + before + ", closing "
                    + closing + ", seed " + seed;
                assertThat(outcome.doneAtOnce()).as(as).isFalse();
                assertThat(outcome.end()).as(as)
                    .isEqualTo(before || seed != 2 ? "answered 5" : "answered 6");
              }
            }
          }
        }
      }
    }
  }

  @Test
  @DisplayName("R13 R22 a cycle through a cache inside a zip is not found (Reactor's cache shows"
      + " neither its source to its subscribers nor its subscribers to its source): the zip,"
      + " awaited or returned unawaited, waits, and the caller's bounded wait ends it with code 6"
      + " at its timeout; the same zip of a call in no cycle answers")
  void aCycleThroughACacheInsideAZipEndsAtTheCallersTimeout() {
    for (boolean awaits : List.of(true, false)) {
      for (boolean cycle : List.of(true, false)) {
        DeterministicScheduler scheduler = DeterministicScheduler.withSeed(7);
        try (ActorSystem system = TestSystems.on(scheduler)) {
          FUTURES.clear();
          Sinks.One<Long> sink = Sinks.one();
          FUTURES.put("sink", sink.asMono());
          FanIn a = io.reactant.call.CallOptions.timeout(Duration.ofSeconds(5))
              .on(system.spawn(FanIn.class, FanInActor::new));
          Branch b = system.spawn(Branch.class, BranchActor::new);
          Mono<Long> outer = a.zipCached(b, cycle ? "a" : "sink", awaits);
          FUTURES.put("a", outer);
          Mono<Long> answered = outer.cache();
          answered.subscribe(v -> { }, e -> { });
          scheduler.advanceTimeBy(Duration.ofSeconds(4));
          String as = "awaits " + awaits + ", cycle " + cycle;
          assertThat(((CallFuture<Long>) outer).isDone()).as(as).isFalse();
          if (cycle) {
            scheduler.advanceTimeBy(Duration.ofSeconds(1));
            assertThatThrownBy(() -> scheduler.await(answered)).as(as)
                .isInstanceOfSatisfying(CallError.class, e -> {
                  assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
                  assertThat(e.rejectMessage()).contains("timed out after PT5S");
                });
          } else {
            sink.tryEmitValue(5L);
            assertThat(scheduler.await(answered)).as(as).isEqualTo(6L);
          }
        } finally {
          FUTURES.clear();
        }
      }
    }
  }

  @Test
  @DisplayName("R13 a cycle through two fan-ins (a zip of a call that awaits, or returns unawaited,"
      + " a zip or a map of a call awaiting the first zip's call) fails with the deadlock error"
      + " instead of hanging, awaited or returned unawaited, whichever call runs first")
  void aCycleThroughTwoLevelsOfFanInFails() {
    for (boolean zipInside : List.of(true, false)) {
      for (boolean innerAwaits : List.of(true, false)) {
        for (boolean outerAwaits : List.of(true, false)) {
          for (long seed = 1; seed <= 2; seed++) {
            DeterministicScheduler scheduler = DeterministicScheduler.withSeed(seed);
            try (ActorSystem system = TestSystems.on(scheduler)) {
              FUTURES.clear();
              Sinks.One<Long> sink = Sinks.one();
              FUTURES.put("sink", sink.asMono());
              FanIn a = system.spawn(FanIn.class, FanInActor::new);
              Branch b = system.spawn(Branch.class, BranchActor::new);
              Branch c = system.spawn(Branch.class, BranchActor::new);
              Branch d = system.spawn(Branch.class, BranchActor::new);
              // a's call zips b's and c's; b's waits for a zip (or a map) of d's, which awaits a's
              FUTURES.put("b", zipInside ? b.zipOn(d, "a", innerAwaits)
                  : b.mapOn(d, "a", innerAwaits));
              FUTURES.put("c", c.awaitKept("sink"));
              Mono<Long> outer = a.combineKept(Shape.ZIP, outerAwaits, "b", "c");
              FUTURES.put("a", outer);
              Outcome outcome = drive(scheduler, outer, sink);
              String as = "zip inside " + zipInside + ", inner awaits " + innerAwaits
                  + ", outer awaits " + outerAwaits + ", seed " + seed;
              assertThat(outcome.doneAtOnce()).as(as).isTrue();
              assertThat(outcome.end()).as(as).startsWith("CANISTER_ERROR").contains(DEADLOCK);
            }
          }
        }
      }
    }
  }

  @Test
  @DisplayName("R13 no false positive: a call found blocked only while the search assumed a race it"
      + " waits for blocked is not taken as blocked once that race turned out free (x races y's"
      + " call and a sink, y waits for x, z zips x's and y's calls, and a zip of z's call answers)")
  void aCallBlockedOnlyUnderAnAssumptionLaterFoundFalseIsNoDeadlock() {
    for (long seed = 0; seed <= 3; seed++) {
      DeterministicScheduler scheduler = seed == 0 ? DeterministicScheduler.create()
          : DeterministicScheduler.withSeed(seed);
      try (ActorSystem system = TestSystems.on(scheduler)) {
        FUTURES.clear();
        Sinks.One<Long> sink = Sinks.one();
        FUTURES.put("sink", sink.asMono());
        FUTURES.put("one", Mono.just(1L));
        FanIn x = system.spawn(FanIn.class, FanInActor::new);
        Branch y = system.spawn(Branch.class, BranchActor::new);
        Branch w = system.spawn(Branch.class, BranchActor::new);
        FanIn z = system.spawn(FanIn.class, FanInActor::new);
        FanIn a = system.spawn(FanIn.class, FanInActor::new);
        // x races y's call and the sink; y awaits a map of w's call, which awaits x's call
        FUTURES.put("x", x.combineKept(Shape.FIRST_WITH_SIGNAL, true, "y", "sink"));
        FUTURES.put("y", y.mapOn(w, "x", true));
        scheduler.runUntilIdle();
        // z zips x's call, then y's: its search meets y under x, then y again
        FUTURES.put("z", z.combineKept(Shape.ZIP, true, "x", "y"));
        scheduler.runUntilIdle();
        Mono<Long> outer = a.combineKept(Shape.ZIP, true, "z", "one");
        Outcome outcome = drive(scheduler, outer, sink);
        String as = "seed " + seed;
        assertThat(outcome.end()).as(as).isEqualTo("answered 12"); // x 5, y 6, z 11, a 12
        assertThat(outcome.doneAtOnce()).as(as).isFalse();
      } finally {
        FUTURES.clear();
      }
    }
  }

  @Test
  @DisplayName("R13 no false positive: a race (firstWithValue, firstWithSignal) one of whose calls"
      + " just answered a value, not yet delivered to the race, is not blocked by its other call"
      + " that leads back: a subscription made as the answer is delivered to a Mono that saw it"
      + " first, to the future of the call awaiting the race, waits for it and gets its value")
  void aRaceWhoseCallJustAnsweredIsNotBlockedByItsOtherCall() {
    for (Shape shape : List.of(Shape.FIRST_WITH_VALUE, Shape.FIRST_WITH_SIGNAL)) {
      for (long seed = 0; seed <= 2; seed++) {
        DeterministicScheduler scheduler = seed == 0 ? DeterministicScheduler.create()
            : DeterministicScheduler.withSeed(seed);
        try (ActorSystem system = TestSystems.on(scheduler)) {
          FUTURES.clear();
          Sinks.One<Long> sink = Sinks.one();
          FUTURES.put("sink", sink.asMono());
          Branch a = system.spawn(Branch.class, BranchActor::new);
          FanIn q = system.spawn(FanIn.class, FanInActor::new);
          Branch b = system.spawn(Branch.class, BranchActor::new);
          FanIn p = system.spawn(FanIn.class, FanInActor::new);
          FUTURES.put("a", a.awaitKept("sink"));
          scheduler.runUntilIdle();
          // q's await subscribes to a's future first, then to p's once a's answered
          Mono<Long> outer = q.thenKept("a", "p");
          FUTURES.put("q", outer);
          scheduler.runUntilIdle();
          FUTURES.put("b", b.awaitKept("q")); // b leads back to q
          scheduler.runUntilIdle();
          FUTURES.put("p", p.combineKept(shape, true, "a", "b")); // p races a's and b's calls
          Outcome outcome = drive(scheduler, outer, sink);
          String as = shape + ", seed " + seed;
          assertThat(outcome.end()).as(as).isEqualTo("answered 5");
          assertThat(outcome.doneAtOnce()).as(as).isFalse();
        } finally {
          FUTURES.clear();
        }
      }
    }
  }

  public interface Sender {
    /**
     * Sends, in this one turn, {@code n} fan-ins {@code fans[i].combine(shape, awaits, b, kb, c,
     * kc)} over two branches on different actors, each kept under {@code round-i} before the
     * commit hands them over: fan-in {@code i} has the shape {@code i % 6}, is awaited when {@code
     * i / 6} is even, and closes a cycle through no branch, through b or through both as {@code
     * (i / 12) % 3} says (0, 1, 2); a branch that closes none awaits {@code FUTURES["free"]}.
     */
    Mono<Void> send(List<FanIn> fans, List<Branch> branches, String round, int n);
  }

  public interface TwoLevelSender {
    /**
     * Sends, in this one turn, {@code n} fan-ins of two levels, each kept under {@code round-i}
     * before the commit hands them over: {@code fans[i].combineKept(ZIP, awaits, round-i-b,
     * "free")}, where {@code round-i-b} is a zip (or a map) of a call that awaits the fan-in's own
     * future if it closes a cycle, else {@code FUTURES["free"]}; fan-in {@code i} zips inside when
     * {@code i} is even, awaits inside when {@code (i / 2)} is even, awaits outside when {@code (i
     * / 4)} is even, and closes a cycle when {@code (i / 8)} is even.
     */
    Mono<Void> send(List<FanIn> fans, List<Branch> branches, String round, int n);
  }

  static final class TwoLevelSenderActor extends Actor implements TwoLevelSender {
    @Override
    public Mono<Void> send(List<FanIn> fans, List<Branch> branches, String round, int n) {
      for (int i = 0; i < n; i++) {
        String key = round + "-" + i;
        String inner = (i / 8) % 2 == 0 ? key : "free";
        Branch b = branches.get(i % branches.size());
        Branch next = branches.get((i + 1) % branches.size());
        boolean innerAwaits = (i / 2) % 2 == 0;
        FUTURES.put(key + "-b", i % 2 == 0 ? b.zipOn(next, inner, innerAwaits)
            : b.mapOn(next, inner, innerAwaits));
        FUTURES.put(key, fans.get(i % fans.size())
            .combineKept(Shape.ZIP, (i / 4) % 2 == 0, key + "-b", "free"));
      }
      return done();
    }
  }

  @Test
  @DisplayName("R13 cycles through two levels of fan-in under contention: on 4 threads, zips of"
      + " calls that await, or return unawaited, a zip or a map of a call awaiting the first zip's"
      + " call fail as deadlocks, and the same shapes in no cycle answer, none is left waiting")
  void twoLevelsOfFanInUnderContentionFailAsDeadlocksOrAnswer() {
    FUTURES.clear();
    FUTURES.put("free", Mono.just(1L));
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(4)
        .build())) {
      List<FanIn> fans = new ArrayList<>();
      List<Branch> branches = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        fans.add(system.spawn(FanIn.class, FanInActor::new));
        branches.add(system.spawn(Branch.class, BranchActor::new));
      }
      TwoLevelSender sender = system.spawn(TwoLevelSender.class, TwoLevelSenderActor::new);
      int rounds = 4;
      int n = 96; // each shape, in a cycle or not, six times
      for (int r = 0; r < rounds; r++) {
        String round = "r" + r;
        sender.send(fans, branches, round, n).block(Duration.ofSeconds(30));
        List<Mono<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int index = i;
          outcomes.add(FUTURES.get(round + "-" + i).map(v -> index + " answered " + v)
              .onErrorResume(CallError.class, e -> Mono.just(index + " " + e.code() + ": "
                  + e.rejectMessage())));
        }
        List<String> ends = Flux.merge(outcomes).collectList().block(Duration.ofSeconds(30));
        assertThat(ends).as("round %d", r).hasSize(n);
        for (String end : ends) {
          int i = Integer.parseInt(end.substring(0, end.indexOf(' ')));
          String as = "round " + r + ", fan-in " + i;
          if ((i / 8) % 2 == 0) {
            // the actor whose await closes the cycle last traps (code 5): the fan-in itself, or
            // the branch it zips, whose code-5 error the fan-in then throws on (code 4, R12a),
            // as the threads' timing decides
            assertThat(end).as(as).matches(i + " (" + RejectCode.CANISTER_ERROR + "|"
                + RejectCode.CANISTER_REJECT + "): (?s).*").contains(DEADLOCK);
          } else {
            assertThat(end).as(as).isEqualTo(i + " answered 3");
          }
        }
      }
    } finally {
      FUTURES.clear();
    }
  }

  static final class SenderActor extends Actor implements Sender {
    @Override
    public Mono<Void> send(List<FanIn> fans, List<Branch> branches, String round, int n) {
      for (int i = 0; i < n; i++) {
        String key = round + "-" + i;
        int closing = (i / 12) % 3;
        Branch b = branches.get(i % branches.size());
        Branch c = branches.get((i + 1) % branches.size());
        FUTURES.put(key, fans.get(i % fans.size()).combine(Shape.values()[i % 6], (i / 6) % 2 == 0,
            b, closing >= 1 ? key : "free", c, closing == 2 ? key : "free"));
      }
      return done();
    }
  }

  @Test
  @DisplayName("R13 fan-ins under contention: on 4 threads, zips, whens, collected merges and races"
      + " of calls on different actors, closing cycles through none, one or both of their calls"
      + " (both at once on two threads): each that can only end after its call replies fails as a"
      + " deadlock, a race that another call can still end and every fan-in in no cycle answer,"
      + " none is left waiting")
  void fanInsUnderContentionFailAsDeadlocksOrAnswer() {
    FUTURES.clear();
    FUTURES.put("free", Mono.just(1L));
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(4)
        .build())) {
      List<FanIn> fans = new ArrayList<>();
      List<Branch> branches = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        fans.add(system.spawn(FanIn.class, FanInActor::new));
        branches.add(system.spawn(Branch.class, BranchActor::new));
      }
      Sender sender = system.spawn(Sender.class, SenderActor::new);
      int rounds = 4;
      int n = 108; // each shape, awaited or not, closing through none, one or both, three times
      for (int r = 0; r < rounds; r++) {
        String round = "r" + r;
        sender.send(fans, branches, round, n).block(Duration.ofSeconds(30));
        List<Mono<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int index = i;
          outcomes.add(FUTURES.get(round + "-" + i).map(v -> index + " answered " + v)
              .onErrorResume(CallError.class, e -> Mono.just(index + " " + e.code() + ": "
                  + e.rejectMessage())));
        }
        List<String> ends = Flux.merge(outcomes).collectList().block(Duration.ofSeconds(30));
        assertThat(ends).as("round %d", r).hasSize(n);
        for (String end : ends) {
          int i = Integer.parseInt(end.substring(0, end.indexOf(' ')));
          Shape shape = Shape.values()[i % 6];
          int closing = (i / 12) % 3;
          String as = "round " + r + ", " + shape + ", closing " + closing;
          if (closing == 0 || closing == 1 && shape.race()) {
            assertThat(end).as(as).isEqualTo(i + " answered " + shape.answer(1L));
          } else {
            // code 5 where the fan-in's await closes the cycle, code 4 where a branch's does and
            // the fan-in throws on its error (R12a); both sources failing at once in a merge give
            // Reactor's composite of the two (a trap naming both)
            assertThat(end).as(as).matches(i + " (" + RejectCode.CANISTER_ERROR + "|"
                + RejectCode.CANISTER_REJECT + "): (?s).*").contains(DEADLOCK);
          }
        }
      }
    } finally {
      FUTURES.clear();
    }
  }
}

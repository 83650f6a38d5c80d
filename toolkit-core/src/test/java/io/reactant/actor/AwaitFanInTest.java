package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;
import io.reactant.internal.CallFuture;
import io.reactant.scheduler.DeterministicScheduler;
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

    /** Combines the futures kept under {@code kb} and {@code kc}, as {@link #combine} does. */
    Mono<Long> combineKept(Shape shape, boolean awaits, String kb, String kc);
  }

  static final class FanInActor extends Actor implements FanIn {
    @Override
    public Mono<Long> combine(Shape shape, boolean awaits, Branch b, String kb, Branch c,
        String kc) {
      Mono<Long> combined = shape.of(b.awaitKept(kb), c.awaitKept(kc));
      return awaits ? await(combined) : combined;
    }

    @Override
    public Mono<Long> combineKept(Shape shape, boolean awaits, String kb, String kc) {
      Mono<Long> combined = shape.of(FUTURES.get(kb), FUTURES.get(kc));
      return awaits ? await(combined) : combined;
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
}

package io.reactant.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.call.Computation;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/**
 * Every mutator of {@link Var}, {@link LongVar} and {@link TxMap}, in the combinations a turn can
 * make of them (repeated writes of one cell, a write then its restore to the committed value, null
 * values, removes of absent keys, writes from a {@code forEach}), is rolled back by every way a
 * turn can trap: an exception, a trap the actor caught, an {@code Error} thrown by the function
 * given to an {@code update} (a stack overflow, real or thrown, an out-of-memory error), an
 * overflowing {@code add}, and an error thrown from a {@code Mono} operator later in the turn
 * (rules R6, R12). The turn that follows reads the committed values, as the queries do.
 */
class TrapRollsBackEveryMutatorTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());

  @AfterEach
  void close() {
    system.close();
  }

  /** How the turn ends after its writes. */
  enum Ending {
    COMMIT,
    EXCEPTION,
    CAUGHT_TRAP,
    THROWN_STACK_OVERFLOW_IN_VAR_UPDATE,
    REAL_STACK_OVERFLOW_IN_VAR_UPDATE,
    OUT_OF_MEMORY_IN_MAP_UPDATE,
    ERROR_IN_LONG_UPDATE,
    OVERFLOWING_ADD,
    EXCEPTION_IN_A_LATER_OPERATOR,
    STACK_OVERFLOW_IN_A_LATER_OPERATOR,
    ERROR_SIGNAL
  }

  public interface Ledger {
    /** Writes every cell every way, then ends as told. */
    Mono<String> mutate(Ending ending);

    /** Writes every cell, commits at an await, writes again, then ends as told. */
    Mono<String> mutateAwaitMutate(Ending ending);

    /** Writes every cell inside an await* (no commit point), then ends as told. */
    Mono<String> mutateInAwaitStar(Ending ending);

    /** The state as a turn reads it. */
    Mono<String> read();

    @Query
    Mono<String> view();
  }

  static final class LedgerActor extends Actor implements Ledger {
    private final Var<@Nullable String> name = newVar("name", "n0");
    private final LongVar count = newLongVar("count", 10);
    private final TxMap<String, Integer> map = newMap("map");

    LedgerActor() {
      map.put("keep", 1);
      map.put("drop", 2);
    }

    private void writeEverything(String tag) {
      name.set(tag);
      name.set(null);
      name.set("n0"); // back to the committed value
      name.update(s -> s + tag);
      count.add(5);
      count.set(count.get());
      count.update(x -> x * 2);
      map.put("new" + tag, 3);
      map.remove("drop");
      map.remove("absent");
      map.update("keep", 0, x -> x + 10);
      map.put("keep", map.get("keep"));
      map.forEach((k, v) -> map.put(k + tag, v));
    }

    private Mono<String> end(Ending ending) {
      switch (ending) {
        case COMMIT:
          return Mono.just(state());
        case EXCEPTION:
          throw new IllegalStateException("an exception escapes the method");
        case CAUGHT_TRAP:
          try {
            trap("a trap the actor catches");
          } catch (RuntimeException caught) {
            return Mono.just("caught");
          }
          throw new AssertionError("unreachable");
        case THROWN_STACK_OVERFLOW_IN_VAR_UPDATE:
          name.update(s -> {
            throw new StackOverflowError("thrown");
          });
          break;
        case REAL_STACK_OVERFLOW_IN_VAR_UPDATE:
          name.update(LedgerActor::recurse);
          break;
        case OUT_OF_MEMORY_IN_MAP_UPDATE:
          map.update("keep", 0, v -> {
            throw new OutOfMemoryError("simulated");
          });
          break;
        case ERROR_IN_LONG_UPDATE:
          count.update(v -> {
            throw new AssertionError("an Error in the function");
          });
          break;
        case OVERFLOWING_ADD:
          count.add(Long.MAX_VALUE);
          break;
        case EXCEPTION_IN_A_LATER_OPERATOR:
          return Mono.just(1).map(x -> {
            name.set("late");
            count.add(1);
            throw new IllegalStateException("thrown by a later operator");
          });
        case STACK_OVERFLOW_IN_A_LATER_OPERATOR:
          return Mono.just(1).map(x -> {
            map.put("late", 1);
            throw new StackOverflowError("JVM-fatal: Reactor rethrows it");
          });
        case ERROR_SIGNAL:
          return Mono.error(new OutOfMemoryError("signalled, not thrown"));
        default:
          throw new AssertionError(ending);
      }
      throw new AssertionError("the update did not throw");
    }

    private static @Nullable String recurse(@Nullable String s) {
      return recurse(s == null ? "" : s) + "x";
    }

    @Override
    public Mono<String> mutate(Ending ending) {
      writeEverything("1");
      return end(ending);
    }

    @Override
    public Mono<String> mutateAwaitMutate(Ending ending) {
      writeEverything("1");
      return await(Mono.just(0)).flatMap(x -> {
        writeEverything("2");
        return end(ending);
      });
    }

    @Override
    public Mono<String> mutateInAwaitStar(Ending ending) {
      return awaitStar(Computation.of(() -> {
        writeEverything("1");
        return Mono.just(0);
      })).flatMap(x -> end(ending));
    }

    @Override
    public Mono<String> read() {
      return Mono.just(state());
    }

    @Override
    public Mono<String> view() {
      return Mono.just(state());
    }

    private String state() {
      return name.get() + "|" + count.get() + "|" + new TreeMap<>(map.snapshot());
    }
  }

  private static final String INITIAL = "n0|10|{drop=2, keep=1}";
  private static final String AFTER_ONE = "n01|30|{keep=11, keep1=11, new1=3, new11=3}";

  private void assertTraps(Mono<String> call) {
    assertThatThrownBy(() -> scheduler.await(call))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
  }

  @ParameterizedTest
  @EnumSource(value = Ending.class, mode = EnumSource.Mode.EXCLUDE, names = "COMMIT")
  @DisplayName("R6 R12 a trap, an Error included, rolls back every mutator's writes of the turn;"
      + " the next turn and queries read the committed values")
  void aTrapRollsBackEveryMutator(Ending ending) {
    Ledger ledger = system.spawn(Ledger.class, LedgerActor::new);

    assertTraps(ledger.mutate(ending));

    assertThat(ledger.view().block()).isEqualTo(INITIAL);
    assertThat(scheduler.await(ledger.read())).isEqualTo(INITIAL);
    assertThat(scheduler.await(ledger.mutate(Ending.COMMIT))).isEqualTo(AFTER_ONE);
    assertThat(ledger.view().block()).isEqualTo(AFTER_ONE);
  }

  @ParameterizedTest
  @EnumSource(value = Ending.class, mode = EnumSource.Mode.EXCLUDE, names = "COMMIT")
  @DisplayName("R7 R12 a trap after an await rolls back to the await's commit point, not further:"
      + " the writes before it stay, those after it go")
  void aTrapAfterAnAwaitRollsBackToIt(Ending ending) {
    Ledger ledger = system.spawn(Ledger.class, LedgerActor::new);

    assertTraps(ledger.mutateAwaitMutate(ending));

    assertThat(ledger.view().block()).isEqualTo(AFTER_ONE);
    assertThat(scheduler.await(ledger.read())).isEqualTo(AFTER_ONE);
  }

  @ParameterizedTest
  @EnumSource(value = Ending.class, mode = EnumSource.Mode.EXCLUDE, names = "COMMIT")
  @DisplayName("R15 R12 an await* is no commit point: a trap after it rolls back the writes made"
      + " inside it")
  void aTrapAfterAnAwaitStarRollsBackItsWrites(Ending ending) {
    Ledger ledger = system.spawn(Ledger.class, LedgerActor::new);

    assertTraps(ledger.mutateInAwaitStar(ending));

    assertThat(ledger.view().block()).isEqualTo(INITIAL);
    assertThat(scheduler.await(ledger.read())).isEqualTo(INITIAL);
  }
}

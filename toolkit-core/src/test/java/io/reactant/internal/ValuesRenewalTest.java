package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.actor.UniformReaders;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import io.reactant.state.TxMap;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * An actor's slot values live in one array that its commits replace by a copy every
 * {@link StateStore#COMMITS_PER_VALUES} commits (so that writes store into a young object). The
 * commit count is set by a test hook, so that a chosen commit, or every commit, renews the array.
 */
class ValuesRenewalTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());

  @AfterEach
  void close() {
    system.close();
  }

  public interface Cells {
    /**
     * Sets the commit count to {@code commitCount} if it is not negative (before any write of the
     * turn), writes {@code value} to cell {@code a}, then traps if asked.
     */
    Mono<Void> writeA(long commitCount, String value, boolean trap);

    Mono<Void> writeB(String value);

    /** The identity of the values array, as the turn sees it. */
    Mono<Object[]> valuesArray();

    @Query
    Mono<List<Object>> all();
  }

  static final class CellsActor extends Actor implements Cells {
    private final Var<String> a = newVar("a", "a0");
    private final LongVar n = newLongVar("n", 7);
    private final Var<String> b = newVar("b", "b0");
    private final TxMap<String, Integer> map = newMap("map");
    private final Var<String> untouched = newVar("untouched", "u0");

    CellsActor() {
      map.put("k", 1); // written by the initializer: committed before the first turn
    }

    @Override
    public Mono<Void> writeA(long commitCount, String value, boolean trap) {
      if (commitCount >= 0) {
        cell().commitCountForTest(commitCount);
      }
      a.set(value);
      n.add(1);
      map.put(value, value.length());
      return trap ? trap("on purpose") : done();
    }

    @Override
    public Mono<Void> writeB(String value) {
      b.set(value);
      return done();
    }

    @Override
    public Mono<Object[]> valuesArray() {
      return Mono.just(cell().valuesForTest());
    }

    @Override
    public Mono<List<Object>> all() {
      return Mono.just(List.of(a.get(), n.get(), b.get(), map.snapshot(), untouched.get()));
    }

    private static ActorCell cell() {
      return ((TurnContext) Contexts.current()).cell;
    }
  }

  @Test
  @DisplayName("R6 R12 R19 a renewal of the values array keeps committed values, and the old array is never written again")
  void renewalKeepsCommittedValuesAndFreezesTheOldArray() {
    Cells cells = system.spawn(Cells.class, CellsActor::new);
    Object[] first = scheduler.await(cells.valuesArray());
    assertThat(first).hasSize(2 * 5); // exactly the declared slots, two fields each
    scheduler.await(cells.writeB("b1")); // b's newest value moves to its second field
    assertThat(scheduler.await(cells.valuesArray())).isSameAs(first);

    // the commit that makes the count a multiple of the period renews the array
    scheduler.await(cells.writeA(StateStore.COMMITS_PER_VALUES - 1, "a1", false));
    Object[] second = scheduler.await(cells.valuesArray());
    assertThat(second).isNotSameAs(first).containsExactly(first);
    Object[] frozen = first.clone();
    assertThat(scheduler.await(cells.all()))
        .containsExactly("a1", 8L, "b1", Map.of("k", 1, "a1", 2), "u0");

    // writes, a rollback and commits after the renewal touch the copy only
    assertThatThrownBy(() -> scheduler.await(cells.writeA(-1, "a2", true)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThat(scheduler.await(cells.all()))
        .containsExactly("a1", 8L, "b1", Map.of("k", 1, "a1", 2), "u0");
    scheduler.await(cells.writeB("b2"));
    scheduler.await(cells.writeA(-1, "a3", false));
    assertThat(scheduler.await(cells.all()))
        .containsExactly("a3", 9L, "b2", Map.of("k", 1, "a1", 2, "a3", 2), "u0");
    assertThat(first).containsExactly(frozen);
    assertThat(scheduler.await(cells.valuesArray())).isSameAs(second);
  }

  @Test
  @DisplayName("R6 a turn that traps never renews the values array; the next commit at a period does")
  void onlyACommitThatPublishesWritesRenews() {
    Cells cells = system.spawn(Cells.class, CellsActor::new);
    Object[] first = scheduler.await(cells.valuesArray());
    assertThatThrownBy(() -> scheduler.await(cells.writeA(StateStore.COMMITS_PER_VALUES - 1, "x", true)))
        .isInstanceOf(CallError.class);
    assertThat(scheduler.await(cells.valuesArray())).isSameAs(first);
    scheduler.await(cells.writeA(-1, "a1", false)); // the count is now the period
    assertThat(scheduler.await(cells.valuesArray())).isNotSameAs(first);
    assertThat(scheduler.await(cells.all()))
        .containsExactly("a1", 8L, "b0", Map.of("k", 1, "a1", 2), "u0");
  }

  /** 24 cells (16 {@code Var}, 8 {@code LongVar}) that always hold one value after a commit. */
  public interface Uniform {
    /**
     * Moves the commit count to one before the next renewal, writes {@code -1} to every cell, then
     * {@code value}, or traps after the {@code -1}s: every committed turn renews the array.
     */
    Mono<Void> setRenewing(long value, boolean trap);

    @Query
    Mono<long[]> values();
  }

  static final class UniformActor extends Actor implements Uniform {
    private final List<Var<Long>> cells = new ArrayList<>();
    private final List<LongVar> longCells = new ArrayList<>();
    private long renewals;

    UniformActor() {
      for (int i = 0; i < 16; i++) {
        cells.add(newVar("cell" + i, 0L));
        if (i % 2 == 0) {
          longCells.add(newLongVar("long" + i, 0L));
        }
      }
    }

    @Override
    public Mono<Void> setRenewing(long value, boolean trap) {
      renewals++;
      ((TurnContext) Contexts.current()).cell
          .commitCountForTest(renewals * StateStore.COMMITS_PER_VALUES - 1);
      write(-1L);
      if (trap) {
        return trap("rolled back on purpose");
      }
      write(value);
      return done();
    }

    private void write(long value) {
      cells.forEach(c -> c.set(value));
      longCells.forEach(c -> c.set(value));
    }

    @Override
    public Mono<long[]> values() {
      long[] out = new long[24];
      for (int i = 0; i < 16; i++) {
        out[i] = cells.get(i).get();
      }
      for (int i = 0; i < 8; i++) {
        out[16 + i] = longCells.get(i).get();
      }
      return Mono.just(out);
    }
  }

  @Test
  @DisplayName("R19 R12 contention: 3 readers never see a tentative, rolled-back or mixed value while every commit renews the values array")
  void queriesStayConsistentWhileEveryCommitRenews() throws Exception {
    try (ActorSystem pool = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Uniform uniform = pool.spawn(Uniform.class, UniformActor::new);
      UniformReaders readers = new UniformReaders(3, 3000, () -> uniform.values().block());
      long committed = UniformReaders.writeAll(20_000, 4, uniform::setRenewing);
      readers.stop();
      assertThat(readers.wrong).hasValue(0);
      assertThat(readers.queries.get()).isGreaterThanOrEqualTo(3000);
      long expected = committed;
      assertThat(uniform.values().block()).hasSize(24).containsOnly(expected);
    }
  }

  /** An actor declaring {@code count} cells, each initialized to its position. */
  public interface Many {
    @Query
    Mono<List<Long>> all();
  }

  static final class ManyActor extends Actor implements Many {
    private final List<Var<Long>> cells = new ArrayList<>();

    ManyActor(int count) {
      for (int i = 0; i < count; i++) {
        cells.add(newVar("cell" + i, (long) i));
      }
    }

    @Override
    public Mono<List<Long>> all() {
      return Mono.just(cells.stream().map(Var::get).toList());
    }
  }

  @Test
  @DisplayName("R6 declaring 0, 1, 3 or 1,000 cells keeps every initial value (the array grows while the actor is constructed)")
  void declarationsGrowTheArray() {
    for (int count : new int[] {0, 1, 3, 1000}) {
      Many many = system.spawn(Many.class, () -> new ManyActor(count));
      List<Long> expected = new ArrayList<>();
      for (long i = 0; i < count; i++) {
        expected.add(i);
      }
      assertThat(scheduler.await(many.all())).isEqualTo(expected);
    }
  }
}

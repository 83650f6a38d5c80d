package io.reactant.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/**
 * Seeded random turns against a model of the rules: writes are tentative and read back by their
 * own turn (R6), an await commits what came before it (R7, R13), a trap rolls back to the last
 * commit point (R12), and a query reads the last committed values (R19). Half the cells are
 * {@link Var}s, half {@link LongVar}s; a {@link TxMap} of a few keys takes puts and removes.
 */
class StateModelTest {

  private static final int CELLS = 12;
  private static final int SET = 0;
  private static final int GET = 1;
  private static final int AWAIT = 2;
  private static final int PUT = 3;
  private static final int REMOVE = 4;
  private static final int LOOKUP = 5;
  private static final int KEYS = 8;

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());

  @AfterEach
  void close() {
    system.close();
  }

  public interface Cells {
    /**
     * Runs {@code ops} ({kind, cell or key, value}) in order, awaiting a completed future at
     * each AWAIT, then traps if asked; returns the values read by the GETs and LOOKUPs (-1 for an
     * absent key) and the previous values PUT and REMOVE return (-1 for none).
     */
    Mono<List<Long>> run(List<long[]> ops, boolean trap);

    @Query
    Mono<List<Long>> all();

    @Query
    Mono<Map<Integer, Long>> map();
  }

  /** Its cells alternate between {@code Var<Long>} (even indexes) and {@code LongVar} (odd). */
  static final class CellsActor extends Actor implements Cells {
    private final List<Var<Long>> vars = new ArrayList<>();
    private final List<LongVar> longs = new ArrayList<>();
    private final TxMap<Integer, Long> map = newMap("map");

    CellsActor() {
      for (int i = 0; i < CELLS / 2; i++) {
        vars.add(newVar("cell" + (2 * i), 0L));
        longs.add(newLongVar("cell" + (2 * i + 1), 0L));
      }
    }

    private void set(int cell, long value) {
      if (cell % 2 == 0) {
        vars.get(cell / 2).set(value);
      } else {
        longs.get(cell / 2).set(value);
      }
    }

    private long get(int cell) {
      return cell % 2 == 0 ? vars.get(cell / 2).get() : longs.get(cell / 2).get();
    }

    @Override
    public Mono<List<Long>> run(List<long[]> ops, boolean trap) {
      return step(ops, 0, new ArrayList<>(), trap);
    }

    private Mono<List<Long>> step(List<long[]> ops, int from, List<Long> reads, boolean trap) {
      for (int i = from; i < ops.size(); i++) {
        long[] op = ops.get(i);
        int cell = (int) op[1];
        switch ((int) op[0]) {
          case SET -> set(cell, op[2]);
          case GET -> reads.add(get(cell));
          case PUT -> reads.add(orAbsent(map.put(cell, op[2])));
          case REMOVE -> reads.add(orAbsent(map.remove(cell)));
          case LOOKUP -> reads.add(orAbsent(map.get(cell)));
          case AWAIT -> {
            int next = i + 1;
            return await(Mono.just(0L)).flatMap(x -> step(ops, next, reads, trap));
          }
          default -> throw new IllegalArgumentException("op " + op[0]);
        }
      }
      return trap ? trap("rolled back on purpose") : Mono.just(reads);
    }

    private static long orAbsent(Long value) {
      return value == null ? -1 : value;
    }

    @Override
    public Mono<Map<Integer, Long>> map() {
      return Mono.just(map.snapshot());
    }

    @Override
    public Mono<List<Long>> all() {
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < CELLS; i++) {
        out.add(get(i));
      }
      return Mono.just(out);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 20261122})
  @DisplayName("R6 R7 R12 R13 R19 seeded random turns of writes, reads, map puts and removes, awaits and"
      + " traps agree with a model")
  void randomTurnsAgreeWithTheModel(long seed) {
    Random random = new Random(seed);
    Cells cells = system.spawn(Cells.class, CellsActor::new);
    long[] committed = new long[CELLS];
    Map<Integer, Long> committedMap = new HashMap<>();
    for (int turn = 0; turn < 500; turn++) {
      long[] tentative = committed.clone();
      Map<Integer, Long> tentativeMap = new HashMap<>(committedMap);
      List<long[]> ops = new ArrayList<>();
      List<Long> expectedReads = new ArrayList<>();
      int length = random.nextInt(20);
      for (int k = 0; k < length; k++) {
        int kind = random.nextInt(10) < 5 ? SET : random.nextInt(10) < 8 ? GET : AWAIT;
        if (kind != AWAIT && random.nextBoolean()) {
          kind = random.nextInt(10) < 5 ? PUT : random.nextInt(10) < 6 ? REMOVE : LOOKUP;
        }
        int cell = random.nextInt(kind >= PUT ? KEYS : CELLS);
        long value = random.nextInt(1000);
        ops.add(new long[] {kind, cell, value});
        switch (kind) {
          case SET -> tentative[cell] = value;
          case GET -> expectedReads.add(tentative[cell]);
          case PUT -> expectedReads.add(tentativeMap.getOrDefault(cell, -1L));
          case REMOVE -> expectedReads.add(tentativeMap.getOrDefault(cell, -1L));
          case LOOKUP -> expectedReads.add(tentativeMap.getOrDefault(cell, -1L));
          default -> {
            committed = tentative.clone(); // an await is a commit point
            committedMap = new HashMap<>(tentativeMap);
          }
        }
        if (kind == PUT) {
          tentativeMap.put(cell, value);
        } else if (kind == REMOVE) {
          tentativeMap.remove(cell);
        }
      }
      boolean trap = random.nextInt(4) == 0;
      Mono<List<Long>> call = cells.run(ops, trap);
      if (trap) {
        assertThatThrownBy(() -> scheduler.await(call))
            .isInstanceOfSatisfying(CallError.class,
                e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
      } else {
        assertThat(scheduler.await(call)).as("reads of turn %d", turn).isEqualTo(expectedReads);
        committed = tentative;
        committedMap = tentativeMap;
      }
      assertThat(cells.all().block()).as("committed state after turn %d", turn)
          .containsExactlyElementsOf(Arrays.stream(committed).boxed().toList());
      assertThat(cells.map().block()).as("committed map after turn %d", turn)
          .isEqualTo(committedMap);
    }
  }
}

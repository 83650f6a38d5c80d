package io.reactant.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.error.IsolationException;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Actors with many cells: past sixteen, the initializer checks names against a set rather than by
 * walking the cells declared, and every cell keeps its own committed and tentative values.
 */
class ManyCellsTest {

  private static final int CELLS = 40;

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());

  @AfterEach
  void close() {
    system.close();
  }

  public interface Cells {
    /** Adds {@code i + 1} to cell {@code i} for each cell, then traps if told to. */
    Mono<Void> bumpAll(boolean trap);

    Mono<String> read();

    @Query
    Mono<String> view();
  }

  /** Cell {@code i} is a {@code Var}, a {@code LongVar} or a {@code TxMap}, by {@code i % 3}. */
  static class CellsActor extends Actor implements Cells {
    static final AtomicReference<List<Object>> LEAKED = new AtomicReference<>();
    private final List<Object> cells = new ArrayList<>();

    CellsActor(String duplicate) {
      for (int i = 0; i < CELLS; i++) {
        String name = "c" + i;
        cells.add(switch (i % 3) {
          case 0 -> newVar(name, (long) i);
          case 1 -> newLongVar(name, i);
          default -> {
            TxMap<String, Long> m = newMap(name);
            m.put("v", (long) i);
            yield m;
          }
        });
      }
      if (duplicate != null) {
        newLongVar(duplicate, 0);
      }
      LEAKED.set(cells);
    }

    @SuppressWarnings("unchecked")
    @Override
    public Mono<Void> bumpAll(boolean trap) {
      for (int i = 0; i < CELLS; i++) {
        long delta = i + 1;
        Object c = cells.get(i);
        if (c instanceof Var<?> v) {
          ((Var<Long>) v).update(x -> x + delta);
        } else if (c instanceof LongVar l) {
          l.add(delta);
        } else {
          ((TxMap<String, Long>) c).update("v", 0L, x -> x + delta);
        }
      }
      return trap ? trap("after writing every cell") : done();
    }

    @Override
    public Mono<String> read() {
      return Mono.just(state());
    }

    @Override
    public Mono<String> view() {
      return Mono.just(state());
    }

    @SuppressWarnings("unchecked")
    private String state() {
      StringBuilder sb = new StringBuilder();
      for (Object c : cells) {
        long value = c instanceof Var<?> v ? ((Var<Long>) v).get()
            : c instanceof LongVar l ? l.get() : ((TxMap<String, Long>) c).get("v");
        sb.append(value).append(' ');
      }
      return sb.toString().trim();
    }
  }

  private static String expected(int bumps) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < CELLS; i++) {
      sb.append(i + (long) bumps * (i + 1)).append(' ');
    }
    return sb.toString().trim();
  }

  @Test
  @DisplayName("R1 a name declared twice is refused past the sixteen cells whose names are checked by"
      + " a walk: a duplicate of the first, of the seventeenth and of the last cell fails the spawn")
  void duplicateNamesAreRefusedPastSixteenCells() {
    for (String duplicate : new String[] {"c0", "c16", "c17", "c39"}) {
      assertThatThrownBy(() -> system.spawn(Cells.class, () -> new CellsActor(duplicate)))
          .as(duplicate)
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage())
                .contains("already declares a state cell named '" + duplicate + "'");
          });
    }
    Cells fine = system.spawn(Cells.class, () -> new CellsActor("c40"));
    assertThat(fine.view().block()).isEqualTo(expected(0));
    assertThat(system.actorCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("R6 R12 R19 forty cells of three kinds each commit their own write, a trap rolls back"
      + " all of them, and a query reads each one's committed value")
  void manyCellsCommitAndRollBackTogether() {
    Cells cells = system.spawn(Cells.class, () -> new CellsActor(null));
    scheduler.await(cells.bumpAll(false));
    assertThatThrownBy(() -> scheduler.await(cells.bumpAll(true))).isInstanceOf(CallError.class);
    scheduler.await(cells.bumpAll(false));

    assertThat(cells.view().block()).isEqualTo(expected(2));
    assertThat(scheduler.await(cells.read())).isEqualTo(expected(2));
  }

  @Test
  @DisplayName("R1 a cell's toString, which debuggers and loggers call from anywhere, names the cell"
      + " and its actor outside any turn, without reading the value (which stays refused there)")
  void aCellsToStringWorksOutsideItsActor() {
    Cells cells = system.spawn(Cells.class, () -> new CellsActor(null));
    List<Object> leaked = CellsActor.LEAKED.get();
    String actor = "of actor ";

    assertThat(leaked.get(0).toString()).startsWith("Var[c0 " + actor).endsWith("(Cells)]");
    assertThat(leaked.get(1).toString()).startsWith("LongVar[c1 " + actor);
    assertThat(leaked.get(2).toString()).startsWith("TxMap[c2 " + actor);
    assertThatThrownBy(((LongVar) leaked.get(1))::get).isInstanceOf(IsolationException.class);
    assertThat(cells.view().block()).isEqualTo(expected(0));
  }
}

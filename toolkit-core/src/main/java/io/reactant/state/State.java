package io.reactant.state;

import io.reactant.internal.ActorCell;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The transactional state holder of one actor: declares its cells. Actors use it through
 * {@code Actor.newVar}, {@code Actor.newLongVar} and {@code Actor.newMap}.
 *
 * <p>Cells are declared while the actor is constructed, each with a name unique within the actor
 * (names will key persisted state). Declaring one later fails with an
 * {@link IllegalStateException}.
 */
public final class State {

  private final ActorCell cell;

  private State(ActorCell cell) {
    this.cell = cell;
  }

  /**
   * Returns the state holder of an actor's cell; used by {@code Actor}. It is public only because
   * {@code Actor} is in another package: an actor's own code cannot use it, since the cell it takes
   * is bound to the actor by {@code Actor}'s constructor and never handed out.
   */
  public static State of(ActorCell cell) {
    return new State(Objects.requireNonNull(cell, "cell"));
  }

  /** Declares a transactional variable with an initial value. Values should be immutable. */
  public <T extends @Nullable Object> Var<T> var(String name, T initial) {
    return new Var<>(cell, name, initial);
  }

  /** Declares a transactional {@code long} variable with an initial value. */
  public LongVar longVar(String name, long initial) {
    return new LongVar(cell, name, initial);
  }

  /** Declares a transactional map, initially empty. Keys and values should be immutable. */
  public <K, V> TxMap<K, V> map(String name) {
    return new TxMap<>(cell, name);
  }
}

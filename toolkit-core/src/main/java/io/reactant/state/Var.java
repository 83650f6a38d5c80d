package io.reactant.state;

import io.reactant.internal.ActorCell;
import io.reactant.internal.Slot;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A transactional variable of an actor's state.
 *
 * <p>Inside a turn, writes are tentative: the turn reads its own writes, nobody else sees them, and
 * they become permanent at the turn's commit point or are rolled back by a trap (rules R6, R12).
 * Inside a query, reads see the committed value and writes are discarded when the query ends (rule
 * R19).
 *
 * <p>What the cell protects is the reference it holds: {@link #set}, {@link #update} and a trap's
 * rollback replace or restore that reference, and a query reads the reference committed last. The
 * object it refers to is neither copied nor watched: changed in place, it is changed for everyone
 * at once, so a trap does not undo the change, and a query, which runs on its caller's thread at
 * the same time as a turn, may see it before the turn commits, or half made. Store immutable
 * values (records of immutable fields, {@code List.of}, {@code Map.copyOf}, a
 * {@link TxMap#snapshot}) and replace them to change them.
 *
 * <p>Thread-safety: only the owning actor's turns and queries may read or write it; any other
 * access throws {@link io.reactant.error.IsolationException} at once (rule R1).
 *
 * @param <T> the type of the value; null is a value like any other when {@code T} admits it
 *     ({@code Var<@Nullable String>})
 */
public final class Var<T extends @Nullable Object> extends Slot {

  Var(ActorCell owner, String name, T initial) {
    super(owner, name, initial);
  }

  /** Returns the value visible to the current turn or query. */
  @SuppressWarnings("unchecked")
  public T get() {
    return (T) readValue();
  }

  /** Sets the value, tentatively until the current turn's commit point. */
  public void set(T value) {
    writeValue(value);
  }

  /** Replaces the value with {@code f(value)} and returns the new value. */
  public T update(UnaryOperator<T> f) {
    T next = f.apply(get());
    set(next);
    return next;
  }

  @Override
  public String toString() {
    return "Var[" + name() + " of " + ownerDescription() + "]";
  }
}

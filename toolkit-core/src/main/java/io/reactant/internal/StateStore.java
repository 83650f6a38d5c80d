package io.reactant.internal;

import io.reactant.error.IsolationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The transactional state of one actor: its declared slots, the committed snapshot and the
 * tentative writes of the current turn.
 *
 * <p>The committed snapshot is an immutable array replaced as a whole at each commit that wrote
 * something, so a query that pinned a snapshot reads a consistent committed state without any
 * lock while turns go on (rule R19). Values must be immutable for that to hold.
 */
final class StateStore {

  private static final Object[] NONE = new Object[0];

  final ActorCell cell;
  /** Names declared so far and the initial values; both dropped when construction ends. */
  private @Nullable Set<String> names = new HashSet<>();
  private @Nullable List<@Nullable Object> initial = new ArrayList<>();
  private volatile @Nullable Object[] committed = NONE;
  /** The slots the current turn wrote, most recent first (a list linked through the slots). */
  private @Nullable Slot dirty;

  StateStore(ActorCell cell) {
    this.cell = cell;
  }

  /** Declares a slot; only while the actor is being constructed. */
  Slot declare(String name, @Nullable Object initialValue) {
    Objects.requireNonNull(name, "name");
    ExecutionContext c = Contexts.current();
    List<@Nullable Object> init = initial;
    Set<String> declared = names;
    if (init == null || declared == null || !(c instanceof InitContext ic) || ic.cell != cell) {
      throw new IllegalStateException("State of " + cell + " is declared while the actor is"
          + " constructed (in a field initializer or the constructor), not later");
    }
    if (!declared.add(name)) {
      throw new IllegalArgumentException(cell + " already declares a state cell named '" + name + "'");
    }
    Slot slot = new Slot(this, init.size(), name);
    init.add(initialValue);
    return slot;
  }

  /** Ends construction: the initial values become the first committed snapshot. */
  void seal() {
    List<@Nullable Object> init = Objects.requireNonNull(initial);
    committed = init.isEmpty() ? NONE : init.toArray();
    initial = null;
    names = null;
  }

  @Nullable Object[] snapshot() {
    return committed;
  }

  @Nullable Object read(Slot s) {
    ExecutionContext c = Contexts.current();
    if (c == cell.turn) {
      return s.dirty ? s.tentative : committed[s.index];
    }
    if (c instanceof QueryContext q && q.cell == cell) {
      return q.read(s);
    }
    if (c instanceof InitContext ic && ic.cell == cell) {
      return Objects.requireNonNull(initial).get(s.index);
    }
    throw outside(s, c, "read");
  }

  void write(Slot s, @Nullable Object value) {
    ExecutionContext c = Contexts.current();
    if (c == cell.turn) {
      if (!s.dirty) {
        s.dirty = true;
        s.nextDirty = dirty;
        dirty = s;
      }
      s.tentative = value;
      return;
    }
    if (c instanceof QueryContext q && q.cell == cell) {
      q.write(s, value);
      return;
    }
    if (c instanceof InitContext ic && ic.cell == cell) {
      Objects.requireNonNull(initial).set(s.index, value);
      return;
    }
    throw outside(s, c, "written");
  }

  /** Publishes the current turn's writes as the new committed snapshot. */
  void commit() {
    Slot s = dirty;
    if (s == null) {
      return;
    }
    @Nullable Object[] next = committed.clone();
    while (s != null) {
      next[s.index] = s.tentative;
      Slot following = s.nextDirty;
      s.tentative = null;
      s.dirty = false;
      s.nextDirty = null;
      s = following;
    }
    dirty = null;
    committed = next;
  }

  /** Discards the current turn's writes. */
  void rollback() {
    Slot s = dirty;
    while (s != null) {
      Slot following = s.nextDirty;
      s.tentative = null;
      s.dirty = false;
      s.nextDirty = null;
      s = following;
    }
    dirty = null;
  }

  private IsolationException outside(Slot s, @Nullable ExecutionContext c, String verb) {
    String where = c == null ? "outside any actor" : "in " + c.describe();
    return new IsolationException("State '" + s.name + "' of " + cell + " was " + verb + " " + where
        + " on thread " + Thread.currentThread().getName()
        + ": an actor's state is reachable only inside its own turns (rule R1)."
        + " Use await(...) to continue in a turn after asynchronous work.");
  }
}

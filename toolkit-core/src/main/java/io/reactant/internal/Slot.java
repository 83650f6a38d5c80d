package io.reactant.internal;

import org.jspecify.annotations.Nullable;

/**
 * One transactional cell of an actor's state. Its committed value lives in the actor's committed
 * snapshot; its tentative value lives here while a turn has written it and not yet committed.
 * The tentative fields are touched only by the thread executing the owner's current turn.
 */
public final class Slot {

  final StateStore store;
  final int index;
  final String name;
  @Nullable Object tentative;
  boolean dirty;
  /** The next slot written by the current turn: the turn's write set is a list through slots. */
  @Nullable Slot nextDirty;

  Slot(StateStore store, int index, String name) {
    this.store = store;
    this.index = index;
    this.name = name;
  }

  /** Reads the value visible to the current context (rule R1 checks included). */
  public @Nullable Object read() {
    return store.read(this);
  }

  /** Writes a tentative value in the current context (rule R1 checks included). */
  public void write(@Nullable Object value) {
    store.write(this, value);
  }

  public String name() {
    return name;
  }

  public String ownerDescription() {
    return store.cell.toString();
  }
}

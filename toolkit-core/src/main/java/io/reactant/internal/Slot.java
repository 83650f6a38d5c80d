package io.reactant.internal;

import org.jspecify.annotations.Nullable;

/**
 * One transactional cell of an actor's state: its committed value, and its tentative value while
 * the current turn has written it and not committed yet. The fields are touched only through the
 * owner's {@link StateStore}: the tentative ones by the thread executing the owner's turn, the
 * committed one by that thread's commits and read by queries (see {@link StateStore}).
 */
public final class Slot {

  /** Ends the list of the slots a turn wrote; a slot is written by the turn iff its link is set. */
  static final Slot END = new Slot();

  private final @Nullable StateStore owner;
  /** The position of the slot in its owner, from 0 in declaration order. */
  final int index;
  final String name;
  /** The slot declared before this one, or null for the first. */
  final @Nullable Slot previous;
  @Nullable Object committed;
  @Nullable Object tentative;
  /** The next slot written by the current turn ({@link #END} for the last), null if unwritten. */
  @Nullable Slot nextDirty;

  Slot(StateStore owner, int index, String name, @Nullable Slot previous) {
    this.owner = owner;
    this.index = index;
    this.name = name;
    this.previous = previous;
  }

  private Slot() {
    this.owner = null;
    this.index = -1;
    this.name = "end";
    this.previous = null;
  }

  /** Drops the tentative values of a turn's list of written slots ({@code head} may be null). */
  static void discard(@Nullable Slot head) {
    Slot s = head;
    while (s != null && s != END) {
      Slot following = s.nextDirty;
      s.tentative = null;
      s.nextDirty = null;
      s = following;
    }
  }

  /** Reads the value visible to the current context (rule R1 checks included). */
  public @Nullable Object read() {
    return owner().read(this);
  }

  /** Writes a tentative value in the current context (rule R1 checks included). */
  public void write(@Nullable Object value) {
    owner().write(this, value);
  }

  public String name() {
    return name;
  }

  public String ownerDescription() {
    return owner().toString();
  }

  private StateStore owner() {
    return java.util.Objects.requireNonNull(owner);
  }
}

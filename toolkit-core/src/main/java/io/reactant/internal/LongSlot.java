package io.reactant.internal;

import org.jspecify.annotations.Nullable;

/**
 * A transactional cell holding a {@code long} in two primitive fields, with the same windows,
 * stamps and guarantees as {@link Slot} (whose two entries in the owner's values array it leaves
 * null). Writing it stores a primitive: no boxing, and no garbage collector's write barrier.
 *
 * <p>Queries read it from the committed copy like any slot (the value boxed there once per
 * commit); the executing thread reads and writes the fields directly.
 */
public abstract class LongSlot extends Slot {

  private long first;
  private long second;

  /** Declares the slot of {@code owner} with its initial value (see {@link Slot#Slot}). */
  protected LongSlot(ActorCell owner, String name, long initialValue) {
    super(owner, name, null);
    first = initialValue; // the mark of a new slot names the first field
  }

  /** The newest value: the tentative one if the open window wrote it, else the committed one. */
  final long newestLong() {
    return newestInSecond() ? second : first;
  }

  /** Writes a tentative value in the window stamped {@code open}; see {@link Slot#write}. */
  final boolean writeLong(int open, long value) {
    int before = mark();
    int m = stamp(open);
    storeLong(m, value);
    return m != before;
  }

  /** Sets the committed value; only while no window is open. */
  final void initializeLong(long value) {
    storeLong(mark(), value);
  }

  /** Stores into the field that mark {@code m} says is newest. */
  private void storeLong(int m, long value) {
    if (inSecond(m)) {
      second = value;
    } else {
      first = value;
    }
  }

  @Override
  final Object committedValue(@Nullable Object[] values, boolean inSecond) {
    return inSecond ? second : first;
  }

  /** Returns the value visible to the current context (rule R1 checks included). */
  protected final long readLongValue() {
    return owner().readLong(this);
  }

  /** Writes a tentative value in the current context (rule R1 checks included). */
  protected final void writeLongValue(long value) {
    owner().writeLong(this, value);
  }
}

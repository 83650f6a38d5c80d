package io.reactant.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One transactional cell of an actor's state ({@code Var} and {@code TxMap} are slots): its
 * committed value, and its tentative value while the current turn has written it and not
 * committed yet.
 *
 * <p>The values live in two fields, and a mark says which one holds the newest value and which
 * commit window wrote it (a <em>stamp</em>, 31 bits of the owner's commit count, see
 * {@link StateStore}). The first write of a window stamps the slot with the open window and points
 * the mark at the other field; later writes of that window store into that field. A slot stamped
 * with the open window is tentative: its committed value is in the other field. Any other stamp
 * means the newest field holds the committed value. So a commit does not touch the slots at all:
 * advancing the owner's commit count closes the window, which makes every slot it stamped
 * committed at once. A write costs one reference store (plus, for the first write of a window,
 * one int store), and nothing keeps a list of what a turn wrote.
 *
 * <p>The two fields are not in the slot but in its owner's values array, at {@code 2 * index} and
 * {@code 2 * index + 1} (see {@link StateStore#values}): the owner renews that array from time to
 * time, so that it stays a young object and a write stores into it without G1's fence (see
 * {@link TurnContext}); the slot itself, referenced by the actor, grows old. Every method that
 * touches a value takes the array the caller read.
 *
 * <p>The price: after a commit, the field that is no longer newest keeps the value the slot held
 * before until the slot is written again (the write overwrites it, and a rollback of that write
 * clears it), so a replaced value stays reachable that long.
 *
 * <p>The fields are touched only through the owner's {@link StateStore}: written by the thread
 * executing the owner's turns, read by that thread and by queries as {@link StateStore} describes.
 * A slot is declared by constructing it, only while its actor is being constructed.
 *
 * <p>The class is public, with protected constructors and accessors, only so that the cells of
 * {@code io.reactant.state} can be slots themselves: a {@code Var} write is then one call into
 * its own final methods, with no object in between. Its public and protected methods are final,
 * and a subclass elsewhere could not be constructed: that takes the actor's cell, which no public
 * API hands out.
 */
public abstract class Slot {

  /** The stamps are the low 31 bits of a commit count; the mark keeps the stamp above one bit. */
  static final int STAMP_MASK = 0x7FFF_FFFF;

  private static final VarHandle MARK;

  static {
    try {
      MARK = MethodHandles.lookup().findVarHandle(Slot.class, "mark", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final StateStore owner;
  final String name;
  /** The slot declared before this one, or null for the first. */
  final @Nullable Slot previous;
  /** The position of the slot in its owner, from 0 in declaration order. */
  private final int index;
  /** The stamp of the window that last wrote the slot, shifted left by one; the low bit set when the second field holds the newest value. */
  private int mark;

  /**
   * Declares a slot of {@code owner}, with its initial value.
   *
   * @throws IllegalStateException when the actor is not being constructed on this thread
   * @throws IllegalArgumentException when the actor already declares a slot of that name
   */
  protected Slot(ActorCell owner, String name, @Nullable Object initialValue) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Slot last = owner.lastSlotBeforeDeclaring(name);
    this.owner = owner;
    this.index = last == null ? 0 : last.index + 1;
    this.name = name;
    this.previous = last;
    this.mark = owner.closedStamp() << 1;
    owner.declared(this, initialValue); // into the first field, which the mark names
  }

  /** The position of the slot in its owner, from 0 in declaration order. */
  final int index() {
    return index;
  }

  /** The position in the owner's values array of the field that mark {@code m} (its low bit) names. */
  private int field(int m) {
    return index << 1 | (m & 1);
  }

  /**
   * The newest value in {@code values}: the tentative one if the open window wrote the slot, else
   * the committed one. The executing thread only (or the initializer's).
   */
  final @Nullable Object newest(@Nullable Object[] values) {
    return values[field(mark)];
  }

  /** Sets the committed value; only while no window is open (the owner is constructed or initialized). */
  final void initialize(@Nullable Object[] values, @Nullable Object value) {
    values[field(mark)] = value;
  }

  /**
   * Writes a tentative value into {@code values} in the window stamped {@code open}; returns
   * whether this was the window's first write of the slot. The executing thread only.
   */
  final boolean write(int open, @Nullable Object[] values, @Nullable Object value) {
    int before = mark;
    int m = stamp(open);
    values[field(m)] = value;
    return m != before;
  }

  /**
   * Reads the committed value from {@code values} as of the window stamped {@code open} being the
   * open one, from any thread; a caller that is not the executing thread must check afterwards
   * that the window is still the same, as {@link StateStore#pinSnapshot} does.
   */
  final @Nullable Object committed(int open, @Nullable Object[] values) {
    int m = (int) MARK.getAcquire(this);
    boolean tentative = (m >>> 1) == open;
    return committedValue(values, ((m & 1) == 0) == tentative);
  }

  /**
   * Returns the value in the second field ({@code true}) or the first, from {@code values}; for a
   * query's copy of the committed values. A slot that keeps its values in fields of its own
   * ({@link LongSlot}) overrides it.
   */
  @Nullable Object committedValue(@Nullable Object[] values, boolean second) {
    return values[field(second ? 1 : 0)];
  }

  /** Whether the second field holds the newest value; the executing thread only. */
  final boolean newestInSecond() {
    return inSecond(mark);
  }

  /** The mark (see {@link #stamp}); the executing thread only. */
  final int mark() {
    return mark;
  }

  /**
   * Stamps the slot with the open window {@code open} if this is the window's first write of it
   * (pointing the mark at the other field), and returns the mark: the write then stores into the
   * field it names ({@link #write}, or a slot that keeps its values itself: {@link LongSlot}). The
   * mark changes only at a window's first write. The executing thread only.
   */
  final int stamp(int open) {
    int m = mark;
    if ((m >>> 1) != open) {
      m = open << 1 | (~m & 1);
      mark = m; // a reader reads the other field, which the open window never writes
    }
    return m;
  }

  /** Whether mark {@code m} names the second field as the newest. */
  static boolean inSecond(int m) {
    return (m & 1) != 0;
  }

  final StateStore owner() {
    return owner;
  }

  /**
   * Drops the tentative value of the window stamped {@code open} from {@code values}, if the
   * window wrote the slot, and restamps it {@code closed}. The executing thread only; concurrent
   * readers keep reading the committed field, which this does not touch.
   */
  final void discard(int open, int closed, @Nullable Object[] values) {
    int m = mark;
    if ((m >>> 1) == open) {
      mark = closed << 1 | (~m & 1);
      values[field(m)] = null; // the tentative field, no longer the newest
    }
  }

  /** Restamps the slot {@code closed} without changing which field is newest (stamps wrapped). */
  final void restamp(int closed) {
    mark = closed << 1 | (mark & 1);
  }

  /** Returns the value visible to the current context (rule R1 checks included). */
  protected final @Nullable Object readValue() {
    return owner.read(this);
  }

  /** Writes a tentative value in the current context (rule R1 checks included). */
  protected final void writeValue(@Nullable Object value) {
    owner.write(this, value);
  }

  /** Returns the name the cell was declared with. */
  public final String name() {
    return name;
  }

  /** Describes the actor that owns the cell, for messages. */
  protected final String ownerDescription() {
    return owner.toString();
  }
}

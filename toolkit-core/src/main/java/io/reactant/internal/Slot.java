package io.reactant.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One transactional cell of an actor's state ({@code Var} and {@code TxMap} are slots): its
 * committed value, and its tentative value while the current turn has written it and not
 * committed yet.
 *
 * <p>The two values live in two fields, and a bit says which one is committed: a turn writes the
 * other one, and a commit flips the bit (and clears the field that now holds the old value). So a
 * commit stores no reference to a new value, which under a card-marking collector (G1) costs a
 * memory fence per store into an old object: writing a cell costs one such store, not three.
 *
 * <p>The fields are touched only through the owner's {@link StateStore}: the tentative value and
 * the bit by the thread executing the owner's turns, the committed value read by queries as
 * {@link StateStore} describes. A slot is declared by constructing it, only while its actor is
 * being constructed.
 */
public abstract class Slot {

  /** Ends the list of the slots a turn wrote; a slot is written by the turn iff its link is set. */
  static final Slot END = new End();

  private final @Nullable StateStore owner;
  final String name;
  /** The slot declared before this one, or null for the first. */
  final @Nullable Slot previous;
  /** The position of the slot in its owner (from 0 in declaration order), shifted left by one; the low bit set when {@link #b} holds the committed value. */
  private int meta;
  private @Nullable Object a;
  private @Nullable Object b;
  /** The next slot written by the current turn ({@link #END} for the last), null if unwritten. */
  @Nullable Slot nextDirty;

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
    this.meta = (last == null ? 0 : last.index() + 1) << 1;
    this.name = name;
    this.previous = last;
    this.a = initialValue;
    owner.declared(this);
  }

  private Slot() {
    this.owner = null;
    this.meta = -2;
    this.name = "end";
    this.previous = null;
  }

  /** The position of the slot in its owner, from 0 in declaration order. */
  final int index() {
    return meta >>> 1;
  }

  final @Nullable Object committed() {
    return (meta & 1) == 0 ? a : b;
  }

  /** Sets the committed value; only while the owner is constructed (nobody else sees it yet). */
  final void initialize(@Nullable Object value) {
    if ((meta & 1) == 0) {
      a = value;
    } else {
      b = value;
    }
  }

  final @Nullable Object tentative() {
    return (meta & 1) == 0 ? b : a;
  }

  final void tentative(@Nullable Object value) {
    if ((meta & 1) == 0) {
      b = value;
    } else {
      a = value;
    }
  }

  /** Makes the tentative value the committed one, and forgets the old committed value. */
  final void commit() {
    int m = meta ^ 1;
    meta = m;
    if ((m & 1) == 0) {
      b = null;
    } else {
      a = null;
    }
  }

  /** Drops the tentative values of a turn's list of written slots ({@code head} may be null). */
  static void discard(@Nullable Slot head) {
    Slot s = head;
    while (s != null && s != END) {
      Slot following = s.nextDirty;
      s.tentative(null);
      s.nextDirty = null;
      s = following;
    }
  }

  /** Returns the value visible to the current context (rule R1 checks included). */
  protected final @Nullable Object readValue() {
    return owner().read(this);
  }

  /** Writes a tentative value in the current context (rule R1 checks included). */
  protected final void writeValue(@Nullable Object value) {
    owner().write(this, value);
  }

  /** Returns the name the cell was declared with. */
  public final String name() {
    return name;
  }

  /** Describes the actor that owns the cell, for messages. */
  protected final String ownerDescription() {
    return owner().toString();
  }

  private StateStore owner() {
    return Objects.requireNonNull(owner);
  }

  private static final class End extends Slot {
  }
}

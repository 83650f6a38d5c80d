package io.reactant.state;

import io.reactant.internal.ActorCell;
import io.reactant.internal.LongSlot;
import java.util.function.LongUnaryOperator;

/**
 * A transactional {@code long} variable of an actor's state: a counter, a balance, a sequence
 * number. It behaves as a {@link Var} does (writes tentative until the turn's commit point, rolled
 * back by a trap, queries read the committed value and their writes are discarded; rules R6, R12,
 * R19), but stores the primitive: a write neither boxes the value nor, on the G1 collector, pays
 * the memory fence of its write barrier (a reference stored into a long-lived object), so it costs
 * a few nanoseconds, a {@code Var<Long>} write several more.
 *
 * <p>Thread-safety: only the owning actor's turns and queries may read or write it; any other
 * access throws {@link io.reactant.error.IsolationException} at once (rule R1).
 */
public final class LongVar extends LongSlot {

  LongVar(ActorCell owner, String name, long initial) {
    super(owner, name, initial);
  }

  /** Returns the value visible to the current turn or query. */
  public long get() {
    return readLongValue();
  }

  /** Sets the value, tentatively until the current turn's commit point. */
  public void set(long value) {
    writeLongValue(value);
  }

  /**
   * Adds {@code delta} and returns the new value.
   *
   * @throws ArithmeticException if the sum overflows a {@code long}, as {@link Math#addExact} does:
   *     unless the turn catches it, it traps, and the turn is rolled back (rule R12), as Motoko's
   *     fixed-width arithmetic traps. For wrapping arithmetic, {@code update(v -> v + delta)}.
   */
  public long add(long delta) {
    long value = readLongValue();
    long next = value + delta;
    if (((value ^ next) & (delta ^ next)) < 0) {
      throw new ArithmeticException("LongVar '" + name() + "' of " + ownerDescription()
          + ": adding " + delta + " to " + value + " overflows a long");
    }
    writeLongValue(next);
    return next;
  }

  /** Replaces the value with {@code f(value)} and returns the new value. */
  public long update(LongUnaryOperator f) {
    long next = f.applyAsLong(readLongValue());
    writeLongValue(next);
    return next;
  }

  @Override
  public String toString() {
    return "LongVar[" + name() + " of " + ownerDescription() + "]";
  }
}

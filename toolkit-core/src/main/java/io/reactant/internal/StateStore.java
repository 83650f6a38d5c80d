package io.reactant.internal;

import io.reactant.error.IsolationException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * The transactional state of one actor: its declared slots, their committed values and the
 * tentative writes of the current turn.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Only the context of the turn the actor is executing ({@link #turnOnThisThread}) reads tentative
 *       values and writes; its writes are published together at {@link #commit} or dropped by
 *       {@link #rollback} (rules R6, R12). Any other context but the actor's own queries and
 *       initializer gets an {@link IsolationException} (rule R1).</li>
 *   <li>A commit costs what the turn wrote: the committed values live in the slots, and a commit
 *       flips, in each slot the turn wrote, which of its two value fields is the committed one
 *       (see {@link Slot}); nothing is copied or allocated.</li>
 *   <li>A query ({@link #pinSnapshot}, any thread, no lock) sees the state of one commit, never a
 *       mix of two (rule R19): the commit is bracketed by a version counter (odd while it
 *       writes), and a reader copies the values between two equal, even readings of the counter.
 *       The copy is shared by every query until the next commit. Values must be immutable for this
 *       to hold.</li>
 * </ul>
 *
 * <p>A layer of the actor's single object ({@link ActorCell} extends it), so that an idle actor
 * stays small.
 */
@SuppressWarnings("serial")
abstract class StateStore extends Mailbox {

  private static final VarHandle VERSION;
  private static final VarHandle PUBLISHED;
  private static final int SPINS_BEFORE_YIELD = 64;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      VERSION = lookup.findVarHandle(StateStore.class, "version", long.class);
      PUBLISHED = lookup.findVarHandle(StateStore.class, "published", Snapshot.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The declared slots, the last declared first (its index + 1 is the count). */
  private @Nullable Slot slots;
  /** Even between commits, odd while a commit writes the committed values (never wraps). */
  @SuppressWarnings("unused") // through VERSION
  private volatile long version;
  /** The last snapshot a query copied, shared until the next commit. */
  @SuppressWarnings("unused") // through PUBLISHED
  private volatile @Nullable Snapshot published;

  /**
   * Checks that a slot named {@code name} may be declared now (the actor is being constructed on
   * this thread, and declares no slot of that name yet) and returns the last slot declared.
   */
  final @Nullable Slot lastSlotBeforeDeclaring(String name) {
    if (!(Contexts.current() instanceof InitContext ic) || ic.cell != this) {
      throw new IllegalStateException("State of " + this + " is declared while the actor is"
          + " constructed (in a field initializer or the constructor), not later");
    }
    Slot last = slots;
    if (!ic.declareName(name, last)) {
      throw new IllegalArgumentException(this + " already declares a state cell named '" + name + "'");
    }
    return last;
  }

  /** Adds a slot that {@link #lastSlotBeforeDeclaring} allowed. */
  final void declared(Slot slot) {
    slots = slot;
  }

  /**
   * Returns the context of the turn of this actor that the current thread executes, or null if it
   * executes none (a turn context is bound to one actor and current on one thread only).
   */
  final @Nullable TurnContext turnOnThisThread() {
    return turnIn(Contexts.current());
  }

  /** Returns {@code c} if it is the context of a turn of this actor, else null. */
  final @Nullable TurnContext turnIn(@Nullable ExecutionContext c) {
    return c instanceof TurnContext t && t.cell == this ? t : null;
  }

  final @Nullable Object read(Slot s) {
    ExecutionContext c = Contexts.current();
    if (turnIn(c) != null) {
      return s.nextDirty != null ? s.tentative() : s.committed();
    }
    if (c instanceof QueryContext q && q.cell == this) {
      return q.read(s);
    }
    if (c instanceof InitContext ic && ic.cell == this) {
      return s.committed();
    }
    throw outside(s, c, "read");
  }

  final void write(Slot s, @Nullable Object value) {
    ExecutionContext c = Contexts.current();
    TurnContext t = turnIn(c);
    if (t != null) {
      if (s.nextDirty == null) {
        // joins the write set after its first slot: links between slots, one store in the context
        Slot first = t.written;
        if (first == null) {
          s.nextDirty = Slot.END;
          t.written = s;
        } else {
          s.nextDirty = first.nextDirty;
          first.nextDirty = s;
        }
      }
      s.tentative(value);
      return;
    }
    if (c instanceof QueryContext q && q.cell == this) {
      q.write(s, value);
      return;
    }
    if (c instanceof InitContext ic && ic.cell == this) {
      s.initialize(value); // not visible to anyone before the actor is registered
      return;
    }
    throw outside(s, c, "written");
  }

  /** Publishes the writes of turn {@code t} as the committed state; the executing thread only. */
  final void commit(TurnContext t) {
    Slot s = t.written;
    if (s == null) {
      return;
    }
    t.written = null;
    long v = (long) VERSION.get(this);
    VERSION.setOpaque(this, v + 1);
    VarHandle.releaseFence(); // the odd version is visible before any value it brackets
    while (s != Slot.END) {
      s.commit();
      Slot following = s.nextDirty;
      s.nextDirty = null;
      s = following;
    }
    VERSION.setRelease(this, v + 2);
  }

  /** Discards the writes of turn {@code t}; the executing thread only. */
  final void rollback(TurnContext t) {
    Slot.discard(t.written);
    t.written = null;
  }

  /**
   * Returns the committed values of one commit, indexed by {@link Slot#index}; any thread, no lock.
   * It waits (spinning, then yielding) only while a commit is writing, which takes as long as
   * storing the values that turn wrote.
   */
  final @Nullable Object[] pinSnapshot() {
    for (int attempt = 1; ; attempt++) {
      long v = (long) VERSION.getAcquire(this);
      if ((v & 1) == 0) {
        Snapshot p = (Snapshot) PUBLISHED.getAcquire(this);
        if (p != null && p.version == v) {
          return p.values;
        }
        Slot last = slots;
        @Nullable Object[] values = new Object[last == null ? 0 : last.index() + 1];
        for (Slot s = last; s != null; s = s.previous) {
          values[s.index()] = s.committed();
        }
        VarHandle.acquireFence(); // the values are read before the version is read again
        if ((long) VERSION.getOpaque(this) == v) {
          PUBLISHED.setRelease(this, new Snapshot(v, values));
          return values;
        }
      }
      if (attempt % SPINS_BEFORE_YIELD == 0) {
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
  }

  private IsolationException outside(Slot s, @Nullable ExecutionContext c, String verb) {
    String where = c == null ? "outside any actor" : "in " + c.describe();
    return new IsolationException("State '" + s.name + "' of " + this + " was " + verb + " " + where
        + " on thread " + Thread.currentThread().getName()
        + ": an actor's state is reachable only inside its own turns (rule R1)."
        + " Use await(...) to continue in a turn after asynchronous work.");
  }

  /** The committed values of one commit, as a query copied them. */
  private record Snapshot(long version, @Nullable Object[] values) {
  }
}

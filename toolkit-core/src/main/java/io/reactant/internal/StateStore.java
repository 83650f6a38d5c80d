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
   * The thread executing a turn of this actor while that turn's context is the thread's current
   * one, else null (kept by {@link Contexts#enter}). A state access compares it with the running
   * thread: that is the whole rule R1 check of a turn's access, one load and one comparison.
   *
   * <p>Only that thread writes it. Another thread may read any value, but never itself: it
   * cleared the field before, in its own program order, whenever it had set it.
   */
  private @Nullable Thread runner;
  /**
   * The slots the current turn wrote, the most recent first, ending with {@link Slot#END}; null if
   * none. Kept here rather than in the turn's context because a slot and its actor are allocated
   * together: linking one to the other is a store within one heap region, which a card-marking
   * collector filters at once. The executing thread only.
   */
  private @Nullable Slot written;

  /** Marks {@code thread} as executing a turn of this actor in its current context, or none (null). */
  final void runner(@Nullable Thread thread) {
    runner = thread;
  }

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
    if (runner == Thread.currentThread()) {
      return s.nextDirty != null ? s.tentative() : s.committed();
    }
    ExecutionContext c = Contexts.current();
    if (c instanceof QueryContext q && q.cell == this) {
      return q.read(s);
    }
    if (c instanceof InitContext ic && ic.cell == this) {
      return s.committed();
    }
    throw outside(s, c, "read");
  }

  final void write(Slot s, @Nullable Object value) {
    if (runner == Thread.currentThread()) {
      if (s.nextDirty == null) {
        Slot head = written;
        s.nextDirty = head == null ? Slot.END : head;
        written = s;
      }
      s.tentative(value);
      return;
    }
    ExecutionContext c = Contexts.current();
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

  /** Publishes the writes of the current turn as the committed state; the executing thread only. */
  final void commit() {
    Slot s = written;
    if (s == null) {
      return;
    }
    written = null;
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

  /** Discards the writes of the current turn, if any are left; the executing thread only. */
  final void rollback() {
    Slot s = written;
    if (s != null) {
      written = null;
      Slot.discard(s);
    }
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

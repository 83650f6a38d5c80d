package io.reactant.internal;

import io.reactant.actor.ActorId;
import io.reactant.actor.Caller;
import io.reactant.error.IsolationException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
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
 *   <li>A commit costs the same whatever the turn wrote: the writes between two commit points form
 *       a <em>window</em>, numbered by the count of commits so far, and each slot the window writes
 *       is stamped with that number (see {@link Slot}). A commit that follows writes advances the
 *       count, one store, which closes the window and makes all of its writes the committed values
 *       at once; nothing is copied, allocated or walked, except that one commit in
 *       {@value #COMMITS_PER_VALUES} copies the values array (see {@link #values}). A rollback
 *       walks the declared slots and drops the tentative values of those the window stamped, so a
 *       trap costs in proportion to the number of slots the actor declares.</li>
 *   <li>A query ({@link #pinSnapshot}, any thread, no lock, never waiting) sees the state of one
 *       commit, never a mix of two nor a tentative value (rule R19): a turn never writes a slot's
 *       committed field, only the other one, so a reader picks the committed field by the slot's
 *       stamp and checks that the commit count did not move while it copied. The copy is shared by
 *       every query until the next commit. Values must be immutable for this to hold.</li>
 * </ul>
 *
 * <p>A layer of the actor's single object ({@link ActorCell} extends it), so that an idle actor
 * stays small.
 */
@SuppressWarnings("serial")
abstract class StateStore extends CellHeader {

  private static final VarHandle VERSION;
  private static final VarHandle PUBLISHED;
  private static final VarHandle VALUES;
  /** The values array of an actor that declares no slot (never written: it has no element). */
  private static final @Nullable Object[] NO_VALUES = new Object[0];
  /** The values array is replaced by a copy once every this many commits (a power of 2). */
  static final int COMMITS_PER_VALUES = 4096;
  /** Mask of the open stamp: every slot is restamped when it opens a multiple of 2^30. */
  private static final int RESTAMP_PERIOD = Slot.STAMP_MASK >>> 1;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      VERSION = lookup.findVarHandle(StateStore.class, "version", long.class);
      PUBLISHED = lookup.findVarHandle(StateStore.class, "published", Snapshot.class);
      VALUES = lookup.findVarHandle(StateStore.class, "values", Object[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The declared slots, the last declared first (its index + 1 is the count). */
  private @Nullable Slot slots;
  /**
   * The two value fields of every declared slot: slot {@code i}'s at {@code 2 * i} and
   * {@code 2 * i + 1} ({@link LongSlot}s leave theirs null). The executing thread writes the
   * elements and replaces the array; queries read it with acquire.
   *
   * <p>Every {@value #COMMITS_PER_VALUES} commits, {@link #commit} replaces the array by a copy,
   * so that a busy actor's writes store into a young object: G1 fences every reference store into
   * an old one (see {@link TurnContext}), and the actor's cell and slots, which live as long as
   * the actor, grow old. The copy is made between two windows, and the array it replaces is never
   * written again: a query that read the old array after the commit reads that commit's values
   * from it (the writes of the next window go to the copy), and a query pinned on an earlier
   * commit fails its check and retries, as it would without the copy.
   */
  private @Nullable Object[] values = NO_VALUES;
  /**
   * The number of commits that published writes (never wraps); its low 31 bits stamp the slots
   * written by the last of them, and the next number stamps the open window's writes. Written by
   * the executing thread only, read by queries.
   */
  @SuppressWarnings("unused") // through VERSION
  private volatile long version;
  /** The last snapshot a query copied, shared until the next commit. */
  @SuppressWarnings("unused") // through PUBLISHED
  private volatile @Nullable Snapshot published;
  /**
   * The id ({@link Thread#getId}) of the thread executing a turn of this actor while that turn's
   * context is the thread's current one, else 0 (kept by {@link Contexts#enter}). A state access
   * compares it with the running thread's: that is the whole rule R1 check of a turn's access, two
   * loads and one comparison.
   *
   * <p>Only that thread writes it. Another thread may read any value, but never its own id: it
   * cleared the field before, in its own program order, whenever it had set it. (An id, not the
   * {@code Thread}: the field is set and cleared at every turn, and a reference stored into a
   * long-lived, old object costs a fence; see {@link TurnContext}.)
   */
  private long runner;
  /** Whether the open window wrote any slot; the executing thread only. */
  private boolean wrote;

  StateStore(ActorId id, Class<?> type, Caller creator, int capacity) {
    super(id, type, creator, capacity);
  }

  /**
   * Marks the thread of id {@code threadId} as executing a turn of this actor in its current
   * context, or none (0).
   */
  final void runner(long threadId) {
    runner = threadId;
  }

  /**
   * Whether the current thread executes a turn of this actor in its current context: the whole
   * rule R1 check of a turn's state access (see {@link #runner}).
   */
  private boolean runsOnThisThread() {
    return runner == Thread.currentThread().getId();
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

  /**
   * Adds a slot that {@link #lastSlotBeforeDeclaring} allowed, with {@code initialValue} in its
   * first field.
   */
  final void declared(Slot slot, @Nullable Object initialValue) {
    slots = slot;
    int first = slot.index() << 1;
    @Nullable Object[] v = values;
    if (first + 2 > v.length) {
      values = v = Arrays.copyOf(v, Math.max(2, v.length << 1)); // trimmed by declarationsEnded
    }
    v[first] = initialValue;
  }

  /** Trims the values array to the declared slots, once the actor is constructed. */
  final void declarationsEnded() {
    Slot last = slots;
    int length = last == null ? 0 : (last.index() + 1) << 1;
    if (values.length != length) {
      values = Arrays.copyOf(values, length);
    }
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

  /** The stamp of the last commit's writes: no slot stamped with it is tentative. */
  final int closedStamp() {
    return (int) (long) VERSION.get(this) & Slot.STAMP_MASK;
  }

  /** The stamp of the open window; the executing thread only. */
  private int openWindow() {
    return openStamp((long) VERSION.get(this));
  }

  private static int openStamp(long version) {
    return (int) (version + 1) & Slot.STAMP_MASK;
  }

  final @Nullable Object read(Slot s) {
    if (runsOnThisThread()) {
      return s.newest(values);
    }
    ExecutionContext c = Contexts.current();
    if (c instanceof InitContext ic && ic.cell == this) {
      return s.newest(values); // no window is open while the actor is constructed or initialized
    }
    return readByQuery(s, c);
  }

  /** {@link #read} for a {@code long} slot: the turn reads its field, without boxing. */
  final long readLong(LongSlot s) {
    if (runsOnThisThread()) {
      return s.newestLong();
    }
    ExecutionContext c = Contexts.current();
    if (c instanceof InitContext ic && ic.cell == this) {
      return s.newestLong();
    }
    return (Long) java.util.Objects.requireNonNull(readByQuery(s, c));
  }

  /** A read in context {@code c} by one of the actor's queries; anyone else is refused (R1). */
  private @Nullable Object readByQuery(Slot s, @Nullable ExecutionContext c) {
    if (c instanceof QueryContext q && q.cell == this) {
      return q.read(s);
    }
    throw outside(s, c, "read");
  }

  final void write(Slot s, @Nullable Object value) {
    if (runsOnThisThread()) {
      if (s.write(openWindow(), values, value)) {
        wrote = true;
      }
      return;
    }
    ExecutionContext c = Contexts.current();
    if (c instanceof InitContext ic && ic.cell == this) {
      s.initialize(values, value); // not visible to anyone before the actor is registered
      return;
    }
    writeByQuery(s, value, c);
  }

  /** {@link #write} for a {@code long} slot: the turn stores into its field, without boxing. */
  final void writeLong(LongSlot s, long value) {
    if (runsOnThisThread()) {
      if (s.writeLong(openWindow(), value)) {
        wrote = true;
      }
      return;
    }
    ExecutionContext c = Contexts.current();
    if (c instanceof InitContext ic && ic.cell == this) {
      s.initializeLong(value);
      return;
    }
    writeByQuery(s, value, c);
  }

  /**
   * A write in context {@code c} by one of the actor's queries (kept by the query, discarded when
   * it ends, rule R19); anyone else is refused (rule R1).
   */
  private void writeByQuery(Slot s, @Nullable Object value, @Nullable ExecutionContext c) {
    if (c instanceof QueryContext q && q.cell == this) {
      q.write(s, value);
      return;
    }
    throw outside(s, c, "written");
  }

  /** Publishes the writes of the current turn as the committed state; the executing thread only. */
  final void commit() {
    if (!wrote) {
      return;
    }
    wrote = false;
    long v = (long) VERSION.get(this) + 1;
    VERSION.setRelease(this, v);
    // the new count is visible before any write of the next window (a reader that copies such a
    // write sees the count moved)
    VarHandle.storeStoreFence();
    if ((v & (COMMITS_PER_VALUES - 1)) == 0) {
      // between two windows: the next window's writes go to a young copy (see the field)
      VALUES.setRelease(this, values.clone());
    }
    if ((openStamp(v) & RESTAMP_PERIOD) == 0) {
      // stamps are 31 bits, so a slot last written 2^31 windows ago would look written by the
      // open one: every 2^30 windows, every slot is restamped with the window just closed, so no
      // stamp is ever more than 2^30 + 1 windows old
      int closed = (int) v & Slot.STAMP_MASK;
      for (Slot s = slots; s != null; s = s.previous) {
        s.restamp(closed);
      }
    }
  }

  /** Discards the writes of the current turn, if any are left; the executing thread only. */
  final void rollback() {
    if (!wrote) {
      return;
    }
    wrote = false;
    long v = (long) VERSION.get(this);
    int open = openStamp(v);
    int closed = (int) v & Slot.STAMP_MASK;
    @Nullable Object[] fields = values;
    for (Slot s = slots; s != null; s = s.previous) {
      s.discard(open, closed, fields);
    }
  }

  /**
   * Returns the committed values of one commit, indexed by {@link Slot#index}; any thread, no lock.
   * It never waits: it retries only if a commit happened while it copied.
   */
  final @Nullable Object[] pinSnapshot() {
    for (;;) {
      long v = (long) VERSION.getAcquire(this);
      Snapshot p = (Snapshot) PUBLISHED.getAcquire(this);
      if (p != null && p.version == v) {
        return p.values;
      }
      int open = openStamp(v);
      // the array that took the writes of commit v, or the copy made at v (the same values), or
      // a later one (then the count moved, and the check below fails)
      @Nullable Object[] fields = (Object[]) VALUES.getAcquire(this);
      Slot last = slots;
      @Nullable Object[] copy = new Object[last == null ? 0 : last.index() + 1];
      for (Slot s = last; s != null; s = s.previous) {
        copy[s.index()] = s.committed(open, fields);
      }
      VarHandle.acquireFence(); // the values are read before the count is read again
      if ((long) VERSION.getOpaque(this) == v) {
        PUBLISHED.setRelease(this, new Snapshot(v, copy));
        return copy;
      }
    }
  }

  /** The values array, for a test: the executing thread only. */
  final @Nullable Object[] valuesForTest() {
    return values;
  }

  /** Sets the commit count, so that a test can reach the wrap of the stamps; no write may be pending. */
  final void commitCountForTest(long count) {
    VERSION.setRelease(this, count);
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

package io.reactant.internal;

import io.reactant.actor.ActorId;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The actors of one system by id, in the order they were added: a registry that only grows (an
 * actor that stops keeps its entry, so that its id stays taken).
 *
 * <p>Cells are appended to fixed-size chunks, in order; an open-addressing index of {@code long}s
 * maps each id's hash to a position. Nothing is allocated per actor (a {@code ConcurrentHashMap}
 * allocates a 32-byte entry per key), the index holds no references, so the collector never scans
 * or tracks it, and the chunks are written in order, so a million new actors dirty a few thousand
 * cards rather than one card per actor, as a hash table of references would (a spawn then costs
 * twice as much: G1 spends it on remembered sets).
 *
 * <p>Thread-safety: lookups, {@link #size()} and iteration take no lock and never block. Inserts
 * hold the registry's lock, so they are serialized; growing the index rebuilds it under that lock
 * while lookups go on in the old one. A cell found by a lookup is seen fully initialized (its
 * index slot is written with release and read with acquire semantics, after the cell). An insert
 * that returned is seen by every lookup and iteration that starts after it. Iteration goes in the
 * order actors were added; it sees every actor present when it started and no later one.
 */
final class ActorRegistry implements Iterable<ActorCell> {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int INITIAL_CAPACITY = 16;
  private static final int CHUNK_BITS = 8;
  private static final int CHUNK_MASK = (1 << CHUNK_BITS) - 1;
  /** Fibonacci hashing: spreads ids whose hashes are consecutive, as generated ids' are. */
  private static final int GOLDEN = 0x9E3779B9;

  /** The largest index: 2^30 slots (8 GB), so at most 805,306,368 actors. */
  private static final int MAX_CAPACITY = 1 << 30;

  private final Object insertLock = new Object();
  /** The length of the largest index; a power of two. */
  private final int maxCapacity;
  private volatile Table table = new Table(INITIAL_CAPACITY);
  /** The number of cells, and the position of the next; written under {@link #insertLock} only. */
  private volatile int size;

  ActorRegistry() {
    this(MAX_CAPACITY);
  }

  /** A registry whose index grows to {@code maxCapacity} slots at most (tests use small ones). */
  ActorRegistry(int maxCapacity) {
    if (Integer.bitCount(maxCapacity) != 1 || maxCapacity < INITIAL_CAPACITY
        || maxCapacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("Not a power of two from " + INITIAL_CAPACITY + " to "
          + MAX_CAPACITY + ": " + maxCapacity);
    }
    this.maxCapacity = maxCapacity;
  }

  /** One generation of the index, and the chunks it points into. */
  private static final class Table {
    /**
     * {@code hash << 32 | position + 1} per taken slot, 0 for an empty one. At most three quarters
     * of the slots are taken, so a probe always ends at an empty one.
     */
    final long[] slots;
    /**
     * The chunks of cells, created as positions reach them; enough for every position this index
     * can hold. A new generation shares the chunks of the old one.
     */
    final ActorCell[][] chunks;
    final int mask;
    /** {@code 32 - log2(length)}: the home slot is the top bits of the multiplied hash. */
    final int shift;

    Table(int length) {
      slots = new long[length];
      chunks = new ActorCell[Math.max(1, length >>> CHUNK_BITS)][];
      mask = length - 1;
      shift = Integer.numberOfLeadingZeros(length) + 1;
    }

    int home(int hash) {
      return (hash * GOLDEN) >>> shift;
    }

    ActorCell cell(int position) {
      return chunks[position >>> CHUNK_BITS][position & CHUNK_MASK];
    }
  }

  /** Returns the actor with this id, or null if there is none. */
  @Nullable ActorCell get(ActorId id) {
    int hash = id.hashCode();
    Table t = table;
    for (int i = t.home(hash); ; i = (i + 1) & t.mask) {
      long slot = (long) SLOT.getAcquire(t.slots, i);
      if (slot == 0) {
        return null;
      }
      if ((int) (slot >>> 32) == hash) {
        ActorCell c = t.cell((int) slot - 1);
        if (c.id.equals(id)) {
          return c;
        }
      }
    }
  }

  boolean contains(ActorId id) {
    return get(id) != null;
  }

  /**
   * Adds the cell under its id unless the id is taken: returns the actor that has it, else null.
   *
   * @param limit the most actors the registry may hold after the add, 0 for no limit but its own
   * @throws CallError of code 2 when {@code limit} actors are registered already
   * @throws IllegalStateException when the registry is full (three quarters of its largest index)
   */
  @Nullable ActorCell putIfAbsent(ActorCell cell, int limit) {
    int hash = cell.id.hashCode();
    synchronized (insertLock) {
      Table t = table;
      int i = t.home(hash);
      for (long slot; (slot = t.slots[i]) != 0; i = (i + 1) & t.mask) { // only the lock writes
        if ((int) (slot >>> 32) == hash) {
          ActorCell c = t.cell((int) slot - 1);
          if (c.id.equals(cell.id)) {
            return c;
          }
        }
      }
      int position = size;
      if (limit > 0 && position >= limit) {
        throw atLimit(cell, limit);
      }
      boolean full = position + 1 > threshold(t.slots.length);
      if (full && t.slots.length == maxCapacity) {
        throw new IllegalStateException("An actor system holds at most "
            + threshold(maxCapacity) + " actors; it cannot create " + cell.id);
      }
      ActorCell[] chunk = t.chunks[position >>> CHUNK_BITS];
      if (chunk == null) {
        chunk = new ActorCell[CHUNK_MASK + 1];
        t.chunks[position >>> CHUNK_BITS] = chunk;
      }
      chunk[position & CHUNK_MASK] = cell;
      SLOT.setRelease(t.slots, i, (long) hash << 32 | position + 1L);
      size = position + 1;
      if (full) {
        table = grown(t);
      }
      return null;
    }
  }

  /**
   * For a registry at {@code limit} actors: returns the actor that has {@code cell}'s id, else
   * refuses the cell. Under the insert lock, so an actor whose insert completed before is found,
   * and a refusal is right at the moment it is made (actors are never removed).
   *
   * @throws CallError of code 2 when no actor has the id
   */
  ActorCell existingAtLimit(ActorCell cell, int limit) {
    synchronized (insertLock) {
      ActorCell existing = get(cell.id);
      if (existing == null) {
        throw atLimit(cell, limit);
      }
      return existing;
    }
  }

  /** The refusal of an actor past the system's limit (rule R12a: code 2, nothing created). */
  static CallError atLimit(ActorCell cell, int limit) {
    // a message for whoever called, a client over HTTP too: no setting's name
    return new CallError(RejectCode.SYS_TRANSIENT, "The actor system is full (" + limit
        + " actors): the actor '" + cell.id + "' was not created");
  }

  /** How many actors an index of {@code length} slots holds before it grows: three quarters. */
  private static int threshold(int length) {
    return length - (length >>> 2);
  }

  /** How many actors there are. */
  int size() {
    return size;
  }

  /** Iterates over the actors in the order they were added (see the class comment). */
  @Override
  public Iterator<ActorCell> iterator() {
    int count = size;
    return new Cells(table, count); // read after `size`: it has the chunks of every position below
  }

  /** An index twice as large over the same chunks; the old one stays valid for readers. */
  private static Table grown(Table old) {
    Table t = new Table(old.slots.length << 1);
    System.arraycopy(old.chunks, 0, t.chunks, 0, old.chunks.length);
    for (long slot : old.slots) {
      if (slot != 0) {
        int i = t.home((int) (slot >>> 32));
        while (t.slots[i] != 0) {
          i = (i + 1) & t.mask;
        }
        t.slots[i] = slot;
      }
    }
    return t; // published by the volatile write of `table`
  }

  /** Walks the positions below the size read when the walk started. */
  private static final class Cells implements Iterator<ActorCell> {
    private final Table table;
    private final int count;
    private int position;

    Cells(Table table, int count) {
      this.table = table;
      this.count = count;
    }

    @Override
    public boolean hasNext() {
      return position < count;
    }

    @Override
    public ActorCell next() {
      if (position >= count) {
        throw new NoSuchElementException();
      }
      return table.cell(position++);
    }
  }
}

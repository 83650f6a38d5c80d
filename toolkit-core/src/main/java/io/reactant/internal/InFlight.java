package io.reactant.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The count of a system's calls in flight (queued and not answered), which an orderly shutdown
 * waits to reach zero.
 *
 * <p>Every call is counted once when queued and once when it finishes, usually on two different
 * threads, so one shared counter would bounce between the cores at every message. Each pool thread
 * ({@link HandOffThread}) therefore gets a counter of its own, created on its first use and only
 * ever written by that thread: a plain read and a release store, no atomic instruction. Any other
 * thread (callers outside the system, the timer thread) updates a shared {@link LongAdder}. A
 * thread's own counter may go negative (it finishes calls that others queued); the sum is what
 * counts.
 *
 * <p>{@link #sum} is exact when no update runs concurrently and every update has become visible.
 * A pool thread's update is a store that another core may see a little later, so a thread that
 * updates and then reads {@code closed} may miss a shutdown that sets {@code closed} and then
 * reads a sum without that update. Neither miss loses a call: a call counted too late for a
 * shutdown is answered by its stopped actor with code 2 (it did not run), as one sent just after
 * the shutdown would be; a finish that neither side sees as the last is caught by the shutdown's
 * periodic recheck ({@code ActorRuntime.shutdown}).
 */
final class InFlight {

  /** The counter of one pool thread for one system. */
  private static final class ThreadCount {
    private static final VarHandle COUNT;

    static {
      try {
        COUNT = MethodHandles.lookup().findVarHandle(ThreadCount.class, "count", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final InFlight owner;
    /** The thread that updates it; null for the frozen total of threads that ended. */
    final @Nullable Thread thread;
    @SuppressWarnings("unused") // through COUNT
    private volatile long count;

    ThreadCount(InFlight owner, @Nullable Thread thread, long count) {
      this.owner = owner;
      this.thread = thread;
      this.count = count;
    }

    /** Whether nobody will update it again (its thread ended, or it is a frozen total). */
    boolean retired() {
      Thread t = thread;
      return t == null || !t.isAlive();
    }

    /** Its own thread only: a plain read and a release store (no other thread writes it). */
    void add(long delta) {
      COUNT.setRelease(this, (long) COUNT.get(this) + delta);
    }

    long get() {
      return (long) COUNT.getAcquire(this);
    }
  }

  private final LongAdder shared = new LongAdder();
  /**
   * The counters of the pool threads that use this system. A pool replaces threads that idled
   * too long; when a new thread registers, the counters of the threads that ended are folded into
   * one frozen total in the same new array, so a concurrent {@link #sum} reads either the old
   * array or the new one: it never counts them twice nor misses them.
   */
  private volatile ThreadCount[] threads = new ThreadCount[0];

  void increment() {
    add(1L);
  }

  void decrement() {
    add(-1L);
  }

  private void add(long delta) {
    if (Thread.currentThread() instanceof HandOffThread t) {
      ThreadCount own = own(t);
      if (own != null) {
        own.add(delta);
        return;
      }
    }
    shared.add(delta);
  }

  /** The thread's counter for this system; null when it already counts for another system. */
  private @Nullable ThreadCount own(HandOffThread t) {
    Object c = t.inFlight();
    if (c instanceof ThreadCount own && own.owner == this) {
      return own;
    }
    if (c != null) {
      return null; // a pool shared by two systems: the other one keeps the thread's slot
    }
    ThreadCount own = new ThreadCount(this, t, 0);
    synchronized (this) {
      ThreadCount[] a = threads;
      ThreadCount[] b = new ThreadCount[a.length + 2];
      int n = 0;
      long retired = 0;
      for (ThreadCount other : a) {
        if (other.retired()) {
          retired += other.get(); // final: its thread ended (which happens-before isAlive() == false)
        } else {
          b[n++] = other;
        }
      }
      if (retired != 0) {
        b[n++] = new ThreadCount(this, null, retired);
      }
      b[n++] = own;
      threads = Arrays.copyOf(b, n);
    }
    t.inFlight(own);
    return own;
  }

  /** The number of calls in flight (see the class comment for its guarantee). */
  long sum() {
    long s = shared.sum();
    for (ThreadCount c : threads) {
      s += c.get();
    }
    return s;
  }
}

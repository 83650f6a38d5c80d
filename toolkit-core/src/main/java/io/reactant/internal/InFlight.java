package io.reactant.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The count of a system's calls in flight (counted and not finished), which an orderly shutdown
 * waits to reach zero.
 *
 * <p>Every call is counted once when it enters the count (its callee takes it out of the mailbox)
 * and once when it finishes, by pool threads that all run calls at the same time, so one shared
 * counter would bounce between the cores at every message.
 * Each pool thread ({@link HandOffThread}) therefore gets counters of its own, created on its
 * first use and only ever written by that thread: a plain read and a release store, no atomic
 * instruction. Any other thread (that of a scheduler other than the work-stealing pool, the
 * timer thread that ends a shutdown) updates shared {@link LongAdder}s. The counters only grow: one counts calls that entered, the other calls that
 * finished.
 *
 * <p>{@link #sum} reads every finish counter, then every entry counter. Since the counters only
 * grow and a call's finish follows its entry, every finish it reads comes with its entry, so it
 * never counts fewer calls than were in flight when it began, however the updates interleave
 * with the reading (one net counter per thread would not do: reading a thread's count before a
 * call entered there, and another's after that call finished there, shows one call too few).
 * What it cannot see is a pool thread's update that has not reached its core yet: a thread that
 * updates and then reads {@code closed} may miss a shutdown that sets {@code closed} and then
 * reads the counters without that update. Neither miss loses a call: a call counted too late for
 * a shutdown is answered by its stopped actor with code 2 (it did not run), as one sent just after
 * the shutdown would be; a finish that neither side sees as the last is caught by the shutdown's
 * periodic recheck ({@code ActorRuntime.shutdown}). Updates of the shared counters are atomic:
 * a shutdown, which sets {@code closed} and then reads them, and the last finish, which updates
 * them and then reads {@code closed}, cannot both miss the other, so a system whose calls were
 * only ever counted there needs no recheck ({@link #countsOnPoolThreads}).
 */
final class InFlight {

  /** The counters of one pool thread for one system. */
  private static final class ThreadCount {
    private static final VarHandle ENTERED;
    private static final VarHandle FINISHED;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        ENTERED = lookup.findVarHandle(ThreadCount.class, "entered", long.class);
        FINISHED = lookup.findVarHandle(ThreadCount.class, "finished", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final InFlight owner;
    /** The thread that updates it; null for the frozen totals of threads that ended. */
    final @Nullable Thread thread;
    @SuppressWarnings("unused") // through ENTERED
    private volatile long entered;
    @SuppressWarnings("unused") // through FINISHED
    private volatile long finished;

    ThreadCount(InFlight owner, @Nullable Thread thread, long entered, long finished) {
      this.owner = owner;
      this.thread = thread;
      this.entered = entered;
      this.finished = finished;
    }

    /** Whether nobody will update it again (its thread ended, or it is a frozen total). */
    boolean retired() {
      Thread t = thread;
      return t == null || !t.isAlive();
    }

    /** Its own thread only: a plain read and a release store (no other thread writes it). */
    void enter() {
      ENTERED.setRelease(this, (long) ENTERED.get(this) + 1);
    }

    /** Its own thread only, like {@link #enter}. */
    void finish() {
      FINISHED.setRelease(this, (long) FINISHED.get(this) + 1);
    }

    long entered() {
      return (long) ENTERED.getAcquire(this);
    }

    long finished() {
      return (long) FINISHED.getAcquire(this);
    }
  }

  private final LongAdder sharedEntered = new LongAdder();
  private final LongAdder sharedFinished = new LongAdder();
  /**
   * The counters of the pool threads that use this system. A pool replaces threads that idled
   * too long; when a new thread registers, the counters of the threads that ended are folded into
   * frozen totals in the same new array, so a reading sees the old array or the new one, whose
   * totals are the same: it never counts them twice nor misses them.
   */
  private volatile ThreadCount[] threads = new ThreadCount[0];

  void increment() {
    ThreadCount own = own();
    if (own != null) {
      own.enter();
    } else {
      sharedEntered.increment();
    }
  }

  void decrement() {
    ThreadCount own = own();
    if (own != null) {
      own.finish();
    } else {
      sharedFinished.increment();
    }
  }

  /** The current thread's counters for this system; null when it uses the shared ones. */
  private @Nullable ThreadCount own() {
    if (!(Thread.currentThread() instanceof HandOffThread t)) {
      return null;
    }
    Object c = t.inFlight();
    if (c instanceof ThreadCount own && own.owner == this) {
      return own;
    }
    if (c != null) {
      return null; // a pool shared by two systems: the other one keeps the thread's slot
    }
    ThreadCount own = new ThreadCount(this, t, 0, 0);
    synchronized (this) {
      ThreadCount[] a = threads;
      ThreadCount[] b = new ThreadCount[a.length + 2];
      int n = 0;
      long entered = 0;
      long finished = 0;
      for (ThreadCount other : a) {
        if (other.retired()) {
          // final: its thread ended (which happens-before isAlive() == false)
          entered += other.entered();
          finished += other.finished();
        } else {
          b[n++] = other;
        }
      }
      if (entered != 0 || finished != 0) {
        b[n++] = new ThreadCount(this, null, entered, finished);
      }
      b[n++] = own;
      threads = Arrays.copyOf(b, n);
    }
    t.inFlight(own);
    return own;
  }

  /**
   * Whether a pool thread has counted calls on counters of its own (plain stores: it and a
   * shutdown may each miss the other's update). Once true, it stays true.
   */
  boolean countsOnPoolThreads() {
    return threads.length > 0;
  }

  /**
   * Whether no call was in flight at the instant this reading began (see the class comment);
   * under traffic it may say false for a call that finished meanwhile, never true too early.
   */
  boolean isZero() {
    return sum() == 0;
  }

  /**
   * The number of calls in flight, at least as many as were at the instant the reading began:
   * the finishes are read before the entries, and a call's finish follows its entry (the mailbox
   * orders them), so every finish read has its entry read too.
   */
  long sum() {
    long finished = sharedFinished.sum();
    for (ThreadCount c : threads) {
      finished += c.finished();
    }
    long entered = sharedEntered.sum();
    // the array read again: a finish read above may be of a call that entered on a thread that
    // registered since
    for (ThreadCount c : threads) {
      entered += c.entered();
    }
    return entered - finished;
  }
}

package io.reactant.internal;

import io.reactant.actor.Caller;
import io.reactant.actor.ContextPropagation;
import io.reactant.error.Trap;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The context of one query execution: a pinned committed snapshot of the actor plus the query's
 * own writes, which are discarded when it ends (rule R19). A composite query keeps this context
 * across its awaits.
 *
 * <p>A composite query's code runs one part at a time, as a turn does (rule R2): its first part
 * ({@link #hold} to {@link #release}) and the continuations of its awaits ({@link #run}), whose
 * futures may signal on several threads at once. A continuation signalled on another thread
 * while a part runs is queued and run by the thread running that part, once it ends; one
 * signalled on that thread, during the part (an await of a query, which answers at once), runs
 * at once, nested in it, as before.
 */
final class QueryContext extends ExecutionContext {

  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<QueryContext> PARTS =
      AtomicIntegerFieldUpdater.newUpdater(QueryContext.class, "parts");

  final @Nullable Object[] snapshot;
  final boolean composite;
  /**
   * When a composite query began ({@link System#nanoTime}; 0 for other queries): a query made
   * before it was not made by it, and is never its to adopt (see {@code
   * ActorRuntime.QueryReply#subscribedBy}).
   */
  final long began;
  final Caller caller;
  final MethodInfo method;
  private final boolean inspection;
  private @Nullable IdentityHashMap<Slot, @Nullable Object> writes;
  /**
   * The answer of a composite query, given once its Mono is subscribed: a part in which the Mono
   * ended answers it when the part ends (see {@code ActorRuntime.QueryReply}).
   */
  ActorRuntime.@Nullable QueryReply reply;
  /** The parts running or queued (a composite query's only, see the class comment). */
  private volatile int parts;
  private @Nullable ConcurrentLinkedQueue<Runnable> queued;
  /**
   * The thread running a part, null between parts. Only that thread ever finds itself here: it
   * clears the field before it lets another thread take over.
   */
  private volatile @Nullable Thread running;
  /**
   * The queries this composite query made that had not answered when their first part returned,
   * null while there is none: each is cancelled when this query ends, if it has not answered by
   * then (see {@link #endChildren}). Guarded by this.
   */
  private @Nullable Set<ActorRuntime.QueryReply> children;
  /**
   * Whether this query ended: a query it makes from now on is cancelled at once. Guarded by this.
   */
  private boolean over;
  /**
   * The context of the query's caller, restored around each later part of a composite query (see
   * {@code io.reactant.actor.ContextPropagation}); null for none. Written before the first part.
   */
  @Nullable Object carried;

  QueryContext(ActorCell cell, MethodInfo method, Caller caller, boolean inspection) {
    super(cell);
    this.snapshot = cell.pinSnapshot();
    this.composite = !inspection && method.kind == MethodInfo.Kind.COMPOSITE_QUERY;
    this.began = composite ? System.nanoTime() : 0;
    this.caller = caller;
    this.method = method;
    this.inspection = inspection;
  }

  @Nullable Object read(Slot s) {
    IdentityHashMap<Slot, @Nullable Object> w = writes;
    if (w != null && w.containsKey(s)) {
      return w.get(s);
    }
    return snapshot[s.index()];
  }

  void write(Slot s, @Nullable Object value) {
    IdentityHashMap<Slot, @Nullable Object> w = writes;
    if (w == null) {
      w = new IdentityHashMap<>();
      writes = w;
    }
    w.put(s, value);
  }

  /** Marks the query's first part as running on this thread (before it runs). */
  void hold() {
    queued = new ConcurrentLinkedQueue<>();
    PARTS.getAndIncrement(this);
    running = Thread.currentThread();
  }

  /** Ends the first part (see {@link #hold}), then runs the parts queued meanwhile. */
  void release() {
    drain();
  }

  /**
   * Runs {@code part} in this query's context: at once if no other part runs or if it comes
   * during a part on this thread (nested in it), else once the running part ends, by its thread.
   */
  void run(Runnable part) {
    ConcurrentLinkedQueue<Runnable> q = queued;
    Thread current = Thread.currentThread();
    if (q == null || running == current) { // not serialized (not held), or nested in a part
      runPart(part);
      return;
    }
    q.offer(part); // before it is counted: a count seen by the running thread has its part queued
    if (PARTS.getAndIncrement(this) == 0) {
      running = current;
      runPart(java.util.Objects.requireNonNull(q.poll()));
      drain();
    }
  }

  /** Ends the running part, then runs the parts queued, one per part counted, till none is left. */
  private void drain() {
    ConcurrentLinkedQueue<Runnable> q = java.util.Objects.requireNonNull(queued);
    for (;;) {
      running = null; // before another thread can take over
      if (PARTS.decrementAndGet(this) == 0) {
        return;
      }
      running = Thread.currentThread();
      runPart(java.util.Objects.requireNonNull(q.poll()));
    }
  }

  private void runPart(Runnable part) {
    Object c = carried;
    ContextPropagation.@Nullable Scope restored = null;
    ExecutionContext previous = Contexts.enter(this);
    try {
      if (c != null) {
        try {
          restored = Objects.requireNonNull(cell).runtime.restoreCarried(c, this);
        } catch (Trap failed) {
          unrestored(failed);
          return; // the part does not run without its context
        }
      }
      part.run();
    } catch (Throwable t) {
      // the query's own code failed outside Reactor's signals (an error its operators rethrow, as
      // they do JVM-fatal ones): it traps, as a turn would. That must not stop the parts queued
      // behind it (nor lose them)
      ActorRuntime.QueryReply r = reply;
      if (r == null || !r.threw(t)) {
        Operators.onErrorDropped(t, Context.empty());
      }
    } finally {
      // the query's context is left first: what the answer's subscribers run is not the query's.
      // A part nested in another (an await of a query that answered at once) leaves it to that
      // part, which answers once it has left the query's context in turn
      Contexts.restore(previous);
      ActorRuntime.QueryReply r = reply;
      try {
        if (r != null && previous != this) {
          r.answerIfEnded(); // the query's Mono ended in this part: answered after its cleanup
        }
      } finally {
        if (restored != null) {
          Objects.requireNonNull(cell).runtime.closeCarried(restored, this);
        }
      }
    }
  }

  /**
   * A part could not run, the restore of its caller's context having failed: the query traps with
   * that failure (unless it was answered already), and its {@code Mono}, which waited for what the
   * part would have signalled (or was to be cancelled by it), is cancelled, without that context:
   * nothing of the query runs after its answer, and its cancellation hooks do run.
   */
  private void unrestored(Trap failed) {
    ActorRuntime.QueryReply r = reply;
    boolean trapped = r != null && r.threw(failed);
    boolean cancelled = r != null && r.cancel();
    if (!trapped && (r == null || cancelled)) {
      // the query answered already (cut short): the failure is told nowhere else. A signal that
      // comes after the cancellation is dropped, as it would be
      Operators.onErrorDropped(failed, Context.empty());
    }
  }

  /**
   * Takes {@code child}, a query this composite query made that did not answer in its first part,
   * as one of its children: cancelled if this query ends first (at once if it has ended).
   */
  void adopt(ActorRuntime.QueryReply child) {
    synchronized (this) {
      if (!over) {
        Set<ActorRuntime.QueryReply> c = children;
        if (c == null) {
          c = Collections.newSetFromMap(new IdentityHashMap<>());
          children = c;
        }
        c.add(child);
        return;
      }
    }
    child.parentEnded(this);
  }

  /** {@code child} answered (or was cut short) by itself: it is no longer this query's concern. */
  void forget(ActorRuntime.QueryReply child) {
    synchronized (this) {
      Set<ActorRuntime.QueryReply> c = children;
      if (c != null) {
        c.remove(child);
      }
    }
  }

  /**
   * This query ended (answered, failed, timed out or cancelled): the queries it made that have not
   * answered yet are cancelled, as is any it makes from now on (rules R19, R22). Any thread;
   * idempotent.
   */
  void endChildren() {
    Set<ActorRuntime.QueryReply> ended;
    synchronized (this) {
      over = true;
      ended = children;
      children = null;
    }
    if (ended != null) {
      for (ActorRuntime.QueryReply child : ended) {
        child.parentEnded(this);
      }
    }
  }

  /** As {@link #describe}: failures that name the query (a restore that failed) read it. */
  @Override
  public String toString() {
    return describe();
  }

  @Override
  String describe() {
    if (inspection) {
      return "the ingress inspection of " + cell + " for " + method;
    }
    return (composite ? "the composite query " : "the query ") + method + " of " + cell;
  }
}

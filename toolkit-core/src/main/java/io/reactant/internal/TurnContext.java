package io.reactant.internal;

import java.util.ArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The context of the turn an actor is executing: the call it runs for, its outbox of tentative
 * effects, the awaits it ends on, and the trap, if any, that ends it.
 *
 * <p>A context belongs to a thread, not to an actor: a thread reuses its own for the turns it
 * runs (an idle actor holds none), bound to the actor while it runs one of its turns. A turn that
 * starts on a thread whose context is in use by a turn further up the same stack (a scheduler that
 * runs tasks inline) gets a fresh one.
 *
 * <p>A pool thread ({@link ContextCarrier}) replaces its context with a new one every {@link
 * #TURNS_PER_CONTEXT} turns, so that the context is almost always a young object. Every turn
 * stores references to new objects in it (the call, the messages it sends, its awaits), and with
 * G1, the default collector, storing a reference into an old object from another heap region
 * costs a full memory fence in the write barrier (through JDK 25), where a store into a young
 * object costs a few instructions: a reused context that had been promoted paid four or five
 * fences per request-response between two actors (see docs/architecture.md).
 */
final class TurnContext extends ExecutionContext {

  private static final ThreadLocal<TurnContext> OWN =
      ThreadLocal.withInitial(() -> new TurnContext(Thread.currentThread()));
  /** Lists up to this size keep their array between turns. */
  private static final int KEEP_CAPACITY = 1024;
  /**
   * How many turns a pool thread runs with one context before it takes a new one: often enough
   * that a context rarely lives through a young collection (with 10 M turns per second, 4,096
   * turns last half a millisecond), rarely enough that the allocation costs nothing measurable.
   */
  static final int TURNS_PER_CONTEXT = 4096;

  /**
   * The call the turn runs for, from its start until the context is released, the end of the turn
   * included (read racily by the {@link Watchdog}, which names its method).
   */
  @Nullable Call call;
  final ArrayList<Outgoing> outbox = new ArrayList<>();
  final ArrayList<AwaitSubscriber<?>> awaits = new ArrayList<>();
  @Nullable Throwable trap;
  /** Cycles refunded with the reply of the call whose await this turn continues; 0 otherwise. */
  long refunded;
  /** The only thread on which the context is ever current. */
  final Thread thread;
  /**
   * Whether this context is current on its thread, for the context a {@link ContextCarrier}
   * reuses (see {@link Contexts#enter}); that thread only.
   */
  boolean entered;

  private TurnContext(Thread thread) {
    super(null);
    this.thread = thread;
  }

  /** Returns a new context for {@code thread} to keep (see {@link ContextCarrier}). */
  static TurnContext newForThread(Thread thread) {
    return new TurnContext(thread);
  }

  /** Returns a context for a turn of {@code owner} on the current thread, bound to it. */
  static TurnContext acquire(ActorCell owner) {
    Thread thread = Thread.currentThread();
    TurnContext t = thread instanceof ContextCarrier c ? carried(c) : OWN.get();
    if (t.cell != null) {
      t = new TurnContext(thread); // the thread's own is in use further up the stack
    }
    t.cell = owner;
    return t;
  }

  /** The context {@code thread} reuses, replaced every {@link #TURNS_PER_CONTEXT} turns. */
  private static TurnContext carried(ContextCarrier thread) {
    TurnContext t = thread.turnContext;
    if (++thread.turnsOnContext >= TURNS_PER_CONTEXT && t.cell == null) {
      thread.turnsOnContext = 0;
      t = new TurnContext(thread);
      thread.turnContext = t; // the old one is neither bound nor current: it is dropped
    }
    return t;
  }

  /** Unbinds the context once its turn has ended and its effects were released. */
  void release() {
    ActorCell c = cell;
    if (c != null) {
      c.rollback(); // nothing is left unless the end of the turn failed half-way
    }
    if (!outbox.isEmpty() || !awaits.isEmpty()) {
      // the end of the turn failed half-way: its effects must not leak into the thread's next turn,
      // and the awaits it never activated must not link its call (a false R13 deadlock later)
      for (int i = 0, n = awaits.size(); i < n; i++) {
        awaits.get(i).dropIfNeverActivated();
      }
      clearOutbox();
      clearAwaits();
    }
    cell = null;
    call = null;
    trap = null;
    raised = null;
  }

  /**
   * Empties the outbox once its effects are released or revoked. A thread keeps its context for
   * good, so after a turn that sent many messages the list gives its large array back.
   */
  void clearOutbox() {
    int n = outbox.size();
    outbox.clear();
    if (n > KEEP_CAPACITY) {
      outbox.trimToSize();
    }
  }

  /** Empties the list of awaits once they are activated or discarded (see {@link #clearOutbox}). */
  void clearAwaits() {
    int n = awaits.size();
    awaits.clear();
    if (n > KEEP_CAPACITY) {
      awaits.trimToSize();
    }
  }

  void begin(@Nullable Call c) {
    call = c;
    trap = null;
    raised = null;
    refunded = 0;
    time = TIME_UNREAD; // each turn reads the clock anew, a continuation after an await too
  }

  void trap(Throwable t) {
    if (trap == null) {
      trap = t;
    }
  }

  @Override
  String describe() {
    Call c = call;
    return "a turn of " + cell + (c == null ? "" : " executing " + c.method);
  }
}

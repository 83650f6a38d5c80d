package io.reactant.internal;

import io.reactant.actor.ActorClass;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorInfo;
import io.reactant.actor.Caller;
import io.reactant.actor.TurnListener;
import io.reactant.error.IsolationException;
import io.reactant.error.RejectCode;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The runtime side of one actor: its instance, state, mailbox and turn machinery.
 *
 * <p>A cell is scheduled on the shared executor only while its mailbox holds envelopes; each run
 * executes up to a batch of envelopes, one turn at a time, then yields the thread. An idle cell
 * holds no thread. {@link #enqueue} may be called from any thread; everything else runs on the
 * thread executing the cell, one run at a time (the status flag's compare-and-set orders runs).
 */
public final class ActorCell implements Runnable {

  private static final Logger LOG = Loggers.getLogger(ActorCell.class);
  private static final int IDLE = 0;
  private static final int SCHEDULED = 1;

  final ActorRuntime runtime;
  final ActorId id;
  final Class<?> type;
  final Caller self;
  final Caller creator;
  final StateStore state;
  final TurnContext turn;
  private final Mailbox mailbox = new Mailbox();
  private final AtomicInteger status = new AtomicInteger();
  private final AtomicInteger depth = new AtomicInteger();
  private final ConcurrentHashMap<Class<?>, Object> selfRefs = new ConcurrentHashMap<>(2);
  private @Nullable Object instance;
  volatile boolean stopped;
  private long turns;
  private long traps;

  ActorCell(ActorRuntime runtime, ActorId id, Class<?> type, Caller creator) {
    this.runtime = runtime;
    this.id = id;
    this.type = type;
    this.self = Caller.actor(id);
    this.creator = creator;
    this.state = new StateStore(this);
    this.turn = new TurnContext(this);
  }

  // ---- for the public API (io.reactant.actor.Actor and io.reactant.state)

  /**
   * Returns the cell of the actor whose constructor is running on this thread, binding the new
   * instance to it.
   *
   * @throws IllegalStateException when no actor is being spawned on this thread
   */
  public static ActorCell bindConstructing() {
    if (Contexts.current() instanceof InitContext ic && !ic.bound) {
      ic.bound = true;
      return ic.cell;
    }
    throw new IllegalStateException("Actors are created by ActorSystem.spawn (or an ActorClass),"
        + " never with 'new' directly: a caller holds a reference, never the object (rule R1)");
  }

  public ActorId id() {
    return id;
  }

  public Caller creator() {
    return creator;
  }

  /** Declares a transactional slot; only while the actor is being constructed. */
  public Slot declare(String name, @Nullable Object initialValue) {
    return state.declare(name, initialValue);
  }

  /** Returns the caller of the message being executed (rule R21). */
  public Caller caller() {
    ExecutionContext c = Contexts.current();
    if (c == turn) {
      Call call = turn.call;
      if (call != null) {
        return call.caller;
      }
    } else if (c instanceof QueryContext q && q.cell == this) {
      return q.caller;
    }
    throw new IsolationException("The caller of " + this + " is known only inside one of its"
        + " turns or queries (rule R17)");
  }

  /** Returns a reference to this actor as the given interface, for self calls (rule R5). */
  public <I> I self(Class<I> iface) {
    return iface.cast(selfRefs.computeIfAbsent(iface, t -> runtime.lookup(t, id)));
  }

  public <I> I lookup(Class<I> iface, ActorId target) {
    return runtime.lookup(iface, target);
  }

  /** The {@code await} and {@code await?} operators of this actor (rules R13, R14). */
  public <T> Mono<T> await(Mono<T> future, boolean ifReady) {
    return new AwaitMono<>(this, future, ifReady);
  }

  public <I, P> Mono<I> spawn(ActorClass<I, P> actorClass, P argument) {
    return runtime.spawn(actorClass, argument);
  }

  // ---- mailbox and scheduling

  /** Queues an envelope and schedules the actor if it was idle. Any thread; never blocks. */
  void enqueue(Envelope e) {
    depth.incrementAndGet();
    mailbox.offer(e);
    if (status.get() == IDLE && status.compareAndSet(IDLE, SCHEDULED)) {
      runtime.execute(this);
    }
  }

  /** Queues an envelope produced by the runtime itself (a continuation, a late signal). */
  void enqueueSystem(Envelope e) {
    enqueue(e);
  }

  /** Returns the number of envelopes waiting in the mailbox. */
  public int mailboxDepth() {
    return depth.get();
  }

  @Override
  public void run() {
    int budget = runtime.turnsPerScheduling;
    Envelope e;
    while ((e = mailbox.poll()) != null) {
      depth.decrementAndGet();
      try {
        e.execute(this);
      } catch (Throwable t) {
        LOG.error("Unexpected failure in the runtime while executing " + e + " on " + this, t);
      }
      if (--budget == 0) {
        break;
      }
    }
    status.set(IDLE);
    if (!mailbox.isEmpty() && status.compareAndSet(IDLE, SCHEDULED)) {
      runtime.execute(this);
    }
  }

  // ---- turns

  void executeCall(Call call) {
    runTurn(call, () -> {
      Object result = call.method.invoke(instance(), call.args);
      if (result != null) {
        ((Mono<?>) result).subscribe(call);
      } else if (call.method.kind == MethodInfo.Kind.ONEWAY) {
        call.terminated = true;
      } else {
        throw new NullPointerException(call.method + " returned null instead of a Mono");
      }
    });
  }

  /** Runs {@code body} as one turn of this actor on behalf of {@code call}, then ends the turn. */
  void runTurn(@Nullable Call call, TurnBody body) {
    TurnListener listener = runtime.listener;
    long start = listener == null ? 0L : System.nanoTime();
    TurnContext t = turn;
    t.begin(call);
    ExecutionContext previous = Contexts.enter(t);
    try {
      body.run();
    } catch (Throwable ex) {
      t.trap(ex);
    } finally {
      Contexts.restore(previous);
    }
    boolean committed = finishTurn(t);
    turns++;
    if (!committed) {
      traps++;
    }
    if (listener != null) {
      try {
        listener.turnEnded(id, type,
            committed ? TurnListener.Outcome.COMMITTED : TurnListener.Outcome.TRAPPED,
            System.nanoTime() - start);
      } catch (RuntimeException e) {
        LOG.warn("A TurnListener failed", e);
      }
    }
  }

  /**
   * Ends a turn at its commit point: a trap rolls back the state and revokes the outbox; anything
   * else commits the state, releases the outbox in order, then answers the caller if the method
   * produced its result, and finally subscribes to the futures the turn awaits.
   *
   * @return whether the turn committed
   */
  private boolean finishTurn(TurnContext t) {
    Call call = t.call;
    t.call = null;
    Throwable trap = t.trap;
    t.trap = null;
    if (trap == null && call != null) {
      trap = call.trapSignalled();
    }
    ArrayList<Outgoing> outbox = t.outbox;
    ArrayList<AwaitSubscriber<?>> awaits = t.awaits;
    if (trap != null) {
      state.rollback();
      for (int i = 0, n = outbox.size(); i < n; i++) {
        outbox.get(i).revoke();
      }
      outbox.clear();
      for (int i = 0, n = awaits.size(); i < n; i++) {
        awaits.get(i).discard();
      }
      awaits.clear();
      if (call != null) {
        call.cancelUpstream();
        if (!call.replied) {
          call.replyTrapped(trap);
        }
      } else {
        LOG.warn(this + " trapped in a turn that answers no call", trap);
      }
      return false;
    }
    state.commit();
    if (!outbox.isEmpty()) {
      Outgoing[] released = outbox.toArray(new Outgoing[0]);
      outbox.clear();
      for (Outgoing o : released) {
        o.release();
      }
    }
    if (call != null && call.terminated && !call.replied) {
      call.replyCommitted();
    }
    if (!awaits.isEmpty()) {
      AwaitSubscriber<?>[] activated = awaits.toArray(new AwaitSubscriber<?>[0]);
      awaits.clear();
      for (AwaitSubscriber<?> a : activated) {
        a.activate();
      }
    }
    return true;
  }

  /** Returns a monitoring snapshot of this actor. */
  ActorInfo info() {
    return new ActorInfo(id, type, depth.get(), turns, traps);
  }

  Object instance() {
    Object i = instance;
    if (i == null) {
      throw new IllegalStateException(this + " is not initialized");
    }
    return i;
  }

  void initialized(Object i) {
    instance = i;
  }

  @Override
  public String toString() {
    return "actor " + id + " (" + type.getSimpleName() + ")";
  }

  /** A turn's body; it may throw anything, which is a trap. */
  @FunctionalInterface
  interface TurnBody {
    void run() throws Throwable;
  }
}

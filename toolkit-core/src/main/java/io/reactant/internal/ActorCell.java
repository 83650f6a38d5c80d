package io.reactant.internal;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorClass;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorInfo;
import io.reactant.actor.Caller;
import io.reactant.actor.ContextPropagation;
import io.reactant.actor.IngressMessage;
import io.reactant.actor.TimerId;
import io.reactant.actor.TurnListener;
import io.reactant.error.IsolationException;
import io.reactant.error.RejectCode;
import io.reactant.error.Trap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The runtime side of one actor: its instance, state ({@link StateStore}), mailbox
 * ({@link Mailbox}), cycles balance, timers and turn machinery, in one object.
 *
 * <p>A cell is scheduled on the shared executor only while its mailbox holds envelopes; each run
 * executes up to a batch of envelopes, one turn at a time, then yields the thread. An idle cell
 * holds no thread. {@link #reserve}, {@link #enqueueReserved} and {@link #enqueueSystem} may be
 * called from any thread; everything else runs on the thread executing the cell, one run at a
 * time (the mailbox's compare-and-sets order runs: see {@link Mailbox}).
 *
 * <p>An idle actor is kept small: what only some actors use (self references, timers, suspended
 * calls, a cycles balance, the trap count) lives in a part created on first use, and the turn
 * context belongs to the thread running the turn. The ingress inspection hook, which senders read
 * at every ingress call, is in the header instead (see {@link CellHeader#inspector}).
 */
@SuppressWarnings("serial")
public final class ActorCell extends StateStore {

  private static final Logger LOG = Loggers.getLogger(ActorCell.class);
  /**
   * Hand-offs in a row after which a pool thread runs a task of another thread's queue, if one
   * waits (see {@link #parked}).
   */
  private static final int MAX_HAND_OFFS = 1024;
  /** Hand-offs in a row between two checks for tasks waiting for the thread (see {@link #parked}). */
  private static final int WAITING_CHECK_INTERVAL = 8;
  /**
   * The value of a hand-off slot while its thread runs a task (not an actor) taken from another
   * thread's queue: neither empty (an actor's run nested in the task does not open it) nor open (an
   * actor the task wakes is submitted).
   */
  private static final Object SLOT_CLOSED = new Object();
  /**
   * Batches in a row that an actor runs on its thread, nothing waiting in that thread's queue,
   * after which it takes a task waiting in another thread's queue (see {@link #takeWaitingTask}).
   */
  private static final int KEPT_BATCHES_BETWEEN_TAKES = 32;
  /** What {@link #takeWaitingTask} found: nothing, an actor (parked in the slot), another task (run). */
  private static final int TAKEN_NOTHING = 0;
  private static final int TAKEN_ACTOR = 1;
  private static final int TAKEN_TASK = 2;
  /**
   * Actor runs on a pool thread between two admissions of a task waiting in the pool's submission
   * queues into that thread's own queue (see {@link ActorPool}); a power of two.
   */
  private static final int RUNS_BETWEEN_ADMISSIONS = 16;

  private static final VarHandle PRODUCED;
  private static final VarHandle CONSUMED;
  private static final VarHandle BALANCE;
  private static final VarHandle LAZY;
  private static final VarHandle SELF_REFS;
  private static final VarHandle TIMERS;
  private static final VarHandle SUSPENDED;
  private static final VarHandle FIRST_SUSPENDED;
  private static final VarHandle FIRST_LINGERING;
  /**
   * How many suspensions an actor records in one {@link SuspendedCalls} holder before it takes a
   * new one (see {@link #suspended}).
   */
  private static final int SUSPENSIONS_PER_HOLDER = 1024;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PRODUCED = lookup.findVarHandle(ActorCell.class, "produced", int.class);
      CONSUMED = lookup.findVarHandle(ActorCell.class, "consumed", int.class);
      LAZY = lookup.findVarHandle(ActorCell.class, "lazy", Extras.class);
      BALANCE = lookup.findVarHandle(Extras.class, "balance", long.class);
      SELF_REFS = lookup.findVarHandle(Extras.class, "selfRefs", ConcurrentHashMap.class);
      TIMERS = lookup.findVarHandle(Extras.class, "timers", ConcurrentHashMap.class);
      SUSPENDED = lookup.findVarHandle(Extras.class, "suspended", SuspendedCalls.class);
      FIRST_SUSPENDED = lookup.findVarHandle(SuspendedCalls.class, "first", Call.class);
      FIRST_LINGERING = lookup.findVarHandle(SuspendedCalls.class, "lingering", Call.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final ActorRuntime runtime;
  /**
   * Envelopes counted into the mailbox and envelopes the consumer started (modulo 2^32): their
   * difference is the envelopes waiting, besides those still in the inbox. A bounded mailbox
   * counts an envelope in when it is offered (every sender updates {@code produced}, atomically,
   * to check the capacity); an unbounded one when the consumer takes it out of the inbox, so that
   * its senders do no atomic update besides the push itself (see {@link #taken}). The consumer alone
   * writes {@code consumed}, with plain release stores.
   */
  @SuppressWarnings("unused") // through PRODUCED
  private volatile int produced;
  @SuppressWarnings("unused") // through CONSUMED
  private volatile int consumed;
  /** What most actors never need, created on first use: an idle actor stays small. */
  private volatile @Nullable Extras lazy;
  private @Nullable Object instance;
  /**
   * Whether the run abandons the envelopes it takes instead of executing them: set together with
   * {@link #stopped} (see {@link #markStopped}). The executing thread reads it before every
   * envelope; it lies among the fields that thread writes, not in the header, whose line senders
   * may be writing.
   */
  private volatile boolean abandonQueued;
  /** Whether a shutdown queued its {@link Stop} envelope in the actor (see {@link #stop}). */
  private volatile boolean stopQueued;
  /** Written by the executing thread only; monitoring reads it without synchronisation. */
  private long turns;
  /** See {@link Mailbox#batch()}; the consumer only. */
  private @Nullable Batch batch;

  /**
   * The head of an actor's list of suspended calls, in an object of its own so that it can be
   * replaced by a young one: each call that awaits is stored as the head, and the actor's {@link
   * Extras} soon is an old object (why that matters: {@link TurnContext}).
   */
  private static final class SuspendedCalls {
    @SuppressWarnings("unused") // through FIRST_SUSPENDED
    @Nullable Call first;
    /**
     * The newest of the lingering calls (see {@link #linger}), linked through their own links;
     * written by the executing thread with release semantics, its emptiness read by the end of a
     * shutdown ({@link #stopAtTheEnd}).
     */
    @SuppressWarnings("unused") // through FIRST_LINGERING
    @Nullable Call lingering;
  }

  /** The parts of a cell that only some actors use; each map is created on first use too. */
  private static final class Extras {
    /** The committed cycles balance; refunds and top-ups add to it from any thread. */
    @SuppressWarnings("unused") // through BALANCE
    volatile long balance;
    /** The current turn's change to the balance, not committed yet; the executing thread only. */
    long balanceDelta;
    volatile @Nullable ConcurrentHashMap<Class<?>, Object> selfRefs;
    volatile @Nullable ConcurrentHashMap<TimerId, Disposable> timers;
    /**
     * The holder of the newest of the calls suspended at an await, which are linked through the
     * calls themselves (see {@link #suspended(Call)}); created on first use and replaced now and
     * then; the executing thread writes it with release semantics.
     */
    @SuppressWarnings("unused") // through SUSPENDED
    @Nullable SuspendedCalls suspended;
    /** Suspensions recorded in the current holder; the executing thread only. */
    int suspensionsInHolder;
    volatile @Nullable ActorProxy jobTarget;
    volatile @Nullable Caller self;
    /** Written by the executing thread only; monitoring reads it without synchronisation. */
    long traps;
  }

  private Extras extras() {
    Extras e = lazy;
    if (e == null) {
      e = new Extras();
      if (!LAZY.compareAndSet(this, null, e)) {
        e = java.util.Objects.requireNonNull(lazy);
      }
    }
    return e;
  }

  /** Returns the map behind {@code handle} in {@code e}, creating it on first use; any thread. */
  @SuppressWarnings("unchecked")
  private static <K, V> ConcurrentHashMap<K, V> map(Extras e, VarHandle handle) {
    ConcurrentHashMap<K, V> m = (ConcurrentHashMap<K, V>) handle.getVolatile(e);
    if (m == null) {
      m = new ConcurrentHashMap<>(2);
      if (!handle.compareAndSet(e, null, m)) {
        m = (ConcurrentHashMap<K, V>) handle.getVolatile(e);
      }
    }
    return m;
  }

  /** Returns the map behind {@code handle} if the actor has created it, else null. */
  @SuppressWarnings("unchecked")
  private <K, V> @Nullable ConcurrentHashMap<K, V> mapIfCreated(VarHandle handle) {
    Extras e = lazy;
    return e == null ? null : (ConcurrentHashMap<K, V>) handle.getVolatile(e);
  }

  ActorCell(ActorRuntime runtime, ActorId id, Class<?> type, Caller creator, int capacity,
      long initialBalance) {
    super(id, type, creator, capacity);
    this.runtime = runtime;
    if (initialBalance != 0) {
      extras().balance = initialBalance;
    }
  }

  // ---- for the public API (io.reactant.actor.Actor and io.reactant.state)

  /** Reads an actor's cell field: null for an object whose {@code Actor} constructor never ran. */
  private static volatile @Nullable Function<Object, @Nullable ActorCell> cellOfActor;

  /**
   * The one hand-off between {@code Actor} and the runtime, made by {@code Actor}'s static
   * initializer, which runs before any actor object exists (an allocation without a constructor
   * initializes the class too): it gives the reader of an actor's cell field ({@link #isBound}),
   * and takes the one {@link Binder}, with which its constructor binds each new instance. Public
   * only because {@code Actor} is in another package: any other caller is refused, so that no code
   * can take {@code Actor}'s place by calling it first (a reader of its own would let the factory
   * check take an earlier actor for a proxy), nor get a binder (which would bind any object to the
   * actor being spawned).
   *
   * @throws IllegalCallerException if the caller is not {@code Actor}
   * @throws IllegalStateException on a second call
   */
  public static synchronized Binder actors(Function<Object, @Nullable ActorCell> reader) {
    Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .getCallerClass();
    if (caller != Actor.class) {
      throw new IllegalCallerException("Only Actor binds actors, not " + caller);
    }
    if (cellOfActor != null) {
      throw new IllegalStateException("Actor's reader is installed already");
    }
    cellOfActor = Objects.requireNonNull(reader, "reader");
    return new Binder();
  }

  /** Binds new actor objects to their actors: {@code Actor}'s only, see {@link #actors}. */
  public static final class Binder {

    private Binder() {
    }

    /**
     * Returns the cell of the actor whose constructor is running on this thread, binding the new
     * {@code instance} to it: the factory must return that very instance (rule R1: two actors
     * never share one object).
     *
     * @throws IllegalStateException when no actor is being spawned on this thread
     */
    public ActorCell bind(Object instance) {
      if (Contexts.current() instanceof InitContext ic && ic.bound == null) {
        ic.bound = Objects.requireNonNull(instance, "instance");
        return ic.cell;
      }
      throw new IllegalStateException("Actors are created by ActorSystem.spawn (or an"
          + " ActorClass), never with 'new' directly: a caller holds a reference, never the"
          + " object (rule R1)");
    }
  }

  /**
   * Whether {@code actor}'s {@code Actor} constructor ran, binding it to an actor: false for a
   * proxy allocated without running a constructor, as Spring's subclass proxies are (rule R1).
   */
  static boolean isBound(Object actor) {
    Function<Object, @Nullable ActorCell> reader = Objects.requireNonNull(cellOfActor);
    return reader.apply(actor) != null;
  }

  public ActorId id() {
    return id;
  }

  /** This actor as a caller, for the messages it sends. */
  Caller self() {
    Extras e = extras();
    Caller c = e.self;
    if (c == null) {
      c = Caller.actor(id);
      e.self = c;
    }
    return c;
  }

  public Caller creator() {
    return creator;
  }

  /** Installs the actor's ingress inspection hook (rule R26); only while it is constructed. */
  public void inspector(Predicate<IngressMessage> hook) {
    if (!(Contexts.current() instanceof InitContext ic) || ic.cell != this) {
      throw new IllegalStateException("The inspection hook of " + this + " is installed at construction");
    }
    inspector = Objects.requireNonNull(hook, "hook");
  }

  /** Returns the caller of the message being executed (rule R21). */
  public Caller caller() {
    ExecutionContext c = Contexts.current();
    TurnContext t = turnIn(c);
    if (t != null && t.call != null) {
      return t.call.caller;
    }
    if (c instanceof QueryContext q && q.cell == this) {
      return q.caller;
    }
    throw outsideTurnOrQuery("The caller of");
  }

  private IsolationException outsideTurnOrQuery(String what) {
    return new IsolationException(what + " " + this + " is known only inside one of its turns or"
        + " queries (rule R17)");
  }

  /** Returns a reference to this actor as the given interface, for self calls (rule R5). */
  /**
   * A reference to this actor. Only in its own turns, queries and initializer: a call through a
   * reference taken elsewhere (a late callback on a foreign thread) would be an ingress call, not
   * this actor's (rules R17, R21).
   */
  /**
   * Records {@code trap} as raised in the current context, if any, so that it traps even if the
   * actor's code catches it (see {@code ExecutionContext.raised}), and returns it to throw.
   */
  public static Trap raiseInCurrentContext(Trap trap) {
    ExecutionContext c = Contexts.current();
    return c == null ? trap : c.raise(trap);
  }

  public <I> I self(Class<I> iface) {
    requireOwnContext("self()");
    ConcurrentHashMap<Class<?>, Object> refs = map(extras(), SELF_REFS);
    return iface.cast(refs.computeIfAbsent(iface, t -> runtime.lookup(t, id)));
  }

  /** A reference to another actor; only in this actor's own contexts, as {@link #self}. */
  public <I> I lookup(Class<I> iface, ActorId target) {
    requireOwnContext("actorOf()");
    return runtime.lookup(iface, target);
  }

  /**
   * Throws unless the current thread runs a turn, query or initializer of this actor.
   *
   * @throws IsolationException naming {@code what} was used where
   */
  private void requireOwnContext(String what) {
    ExecutionContext c = Contexts.current();
    if (c == null || c.cell != this) {
      throw new IsolationException("Only " + this + " itself can use its " + what + ", inside its"
          + " turns (rule R17); it was called " + (c == null ? "outside any actor" : "in "
          + c.describe()));
    }
  }

  /** The {@code await} and {@code await?} operators of this actor (rules R13, R14). */
  public <T> Mono<T> await(Mono<T> future, boolean ifReady) {
    return new AwaitMono<>(this, future, ifReady);
  }

  /**
   * Creates an actor-class instance as an effect of this actor's current turn (its initializer
   * and queries trap in {@link ActorRuntime#spawn}). Anywhere else (a late callback on a foreign
   * thread, another actor's turn) it is refused: the runtime would create the instance outside
   * any turn, with an anonymous creator or another actor as creator (rules R17, R21).
   */
  public <I, P> Mono<I> spawn(ActorClass<I, P> actorClass, P argument) {
    requireOwnContext("spawn()");
    return runtime.spawn(actorClass, argument);
  }

  // ---- cycles (rule R22)

  /** Returns the committed balance; any thread (the system's view, not the actor's). */
  public long committedBalance() {
    Extras e = lazy;
    return e == null ? 0 : (long) BALANCE.getVolatile(e);
  }

  /**
   * Returns the balance as the actor sees it: with the current turn's tentative changes in its
   * turns, the committed one in its queries and initializer.
   *
   * @throws IsolationException anywhere else (rule R1: a leaked reference to the actor's
   *     method reads nothing outside its turns)
   */
  public long balance() {
    ExecutionContext c = Contexts.current();
    TurnContext t = turnIn(c);
    if (t != null) {
      Extras e = lazy;
      return e == null ? 0 : balanceInTurn(e);
    }
    if (c != null && c.cell == this) {
      return committedBalance(); // its own query or initializer
    }
    throw outsideTurnOrQuery("The cycles balance of");
  }

  /** Returns the cycles attached to the current call and not accepted yet (none in a query). */
  public long cyclesAvailable() {
    ExecutionContext c = Contexts.current();
    TurnContext t = turnIn(c);
    if (t != null && t.call != null) {
      return t.call.availableCycles();
    }
    if (c instanceof QueryContext q && q.cell == this) {
      return 0;
    }
    throw outsideTurnOrQuery("The cycles available to");
  }

  /** Moves up to {@code max} of the current call's cycles into the balance, tentatively. */
  public long acceptCycles(long max) {
    Call call = requireTurn("accept cycles").call;
    if (call == null) {
      throw outsideTurnOrQuery("The cycles available to");
    }
    long taken = call.accept(max);
    if (taken != 0) {
      extras().balanceDelta += taken;
    }
    return taken;
  }

  /**
   * Returns the cycles refunded with the reply of the last call the current call awaited: the
   * await whose continuation this turn is (user code runs only in a call's first turn, where
   * nothing was awaited yet, and in the continuations of its awaits).
   */
  public long cyclesRefunded() {
    return requireTurn("read refunded cycles").refunded;
  }

  /** Takes {@code amount} from the balance for a send, tentatively; traps when it is short. */
  void debit(long amount, String purpose) {
    Extras e = lazy;
    long view = e == null ? 0 : balanceInTurn(e);
    if (view < amount) {
      throw new Trap(this + " is out of cycles: " + purpose + " needs " + amount + ", balance is "
          + view + " (rule R22)");
    }
    if (amount != 0) {
      Objects.requireNonNull(e).balanceDelta -= amount;
    }
  }

  /**
   * The balance as the current turn sees it, saturated at {@link Long#MAX_VALUE} as the commit
   * will saturate it ({@link #addToBalance}): cycles accepted past it do not wrap it negative.
   */
  private static long balanceInTurn(Extras e) {
    return saturatedSum((long) BALANCE.getVolatile(e), e.balanceDelta);
  }

  /** {@code balance + delta}, or {@link Long#MAX_VALUE} when a positive delta would pass it. */
  private static long saturatedSum(long balance, long delta) {
    long sum = balance + delta;
    return delta > 0 && sum < balance ? Long.MAX_VALUE : sum;
  }

  /** Adds committed cycles (a refund); any thread. Saturates at {@link Long#MAX_VALUE}. */
  void credit(long amount) {
    addToBalance(extras(), amount);
  }

  /**
   * Adds {@code delta} to the committed balance, saturating at {@link Long#MAX_VALUE}: cycles
   * accepted or refunded past it are lost rather than wrapping the balance negative (a top-up
   * past it is refused instead, {@link #topUp}). Any thread.
   */
  private static void addToBalance(Extras e, long delta) {
    long b;
    do {
      b = (long) BALANCE.getVolatile(e);
    } while (!BALANCE.weakCompareAndSet(e, b, saturatedSum(b, delta)));
  }

  /**
   * Adds committed cycles from outside the system (a top-up, not negative); any thread.
   *
   * @return false, adding nothing, when the balance would pass {@link Long#MAX_VALUE}
   */
  boolean topUp(long amount) {
    Extras e = extras();
    long b;
    do {
      b = (long) BALANCE.getVolatile(e);
      if (b > Long.MAX_VALUE - amount) {
        return false;
      }
    } while (!BALANCE.weakCompareAndSet(e, b, b + amount));
    return true;
  }

  // ---- timers (rule R25)

  /**
   * The time of the system's scheduler ({@code Actor.timeNow()}); any thread. Inside a turn,
   * query or initializer of this actor, the time it read first: constant within it, as Motoko's
   * {@code Time.now()} within one message's execution.
   */
  public java.time.Instant timeNow() {
    ExecutionContext c = Contexts.current();
    if (c == null || c.cell != this) {
      return runtime.timeNow();
    }
    long t = c.time;
    if (t == ExecutionContext.TIME_UNREAD) {
      t = runtime.timeNanos();
      c.time = t;
    }
    return java.time.Instant.EPOCH.plusNanos(t);
  }

  /** Sets a one-shot or recurring timer; takes effect when the current turn commits. */
  public TimerId setTimer(Duration delay, boolean recurring, Supplier<? extends @Nullable Mono<?>> job) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(job, "job");
    if (delay.isNegative() || (recurring && delay.isZero())) {
      throw new IllegalArgumentException("A timer's " + (recurring ? "interval must be positive" : "delay cannot be negative") + ": " + delay);
    }
    TimerId timerId = runtime.newTimerId();
    ContextPropagation p = runtime.propagation;
    Object carried = null;
    if (p != null) {
      // refused first, where no timer can be set: that refusal traps whatever the capture does
      refuseEffectOutside(Contexts.current(), "set a timer");
      // its firings carry the context of the turn that set it (the sender's, restored for it)
      carried = p.capture();
    }
    effect("set a timer", new TimerRequest(this, timerId, delay, recurring, job, carried));
    return timerId;
  }

  /** Cancels a timer when the current turn commits; an unknown or expired timer is ignored. */
  public void cancelTimer(TimerId timerId) {
    Objects.requireNonNull(timerId, "timerId");
    effect("cancel a timer", new TimerCancel(this, timerId));
  }

  private void effect(String what, Outgoing effect) {
    ExecutionContext c = Contexts.current();
    TurnContext t = turnIn(c);
    if (t != null) {
      t.outbox.add(effect);
    } else if (c instanceof InitContext ic && ic.cell == this) {
      ic.effect(effect);
    } else {
      refuseEffectOutside(c, what);
    }
  }

  /**
   * Refuses {@code what}, an effect, unless {@code c} is this actor's turn or initializer: a trap
   * raised in its own query (caught, it still traps), else an {@link IsolationException}.
   */
  private void refuseEffectOutside(@Nullable ExecutionContext c, String what) {
    if (turnIn(c) != null || (c instanceof InitContext ic && ic.cell == this)) {
      return;
    }
    if (c != null && c.cell == this) {
      throw c.raise(new Trap(c.describe() + " cannot " + what + " (rule R19)"));
    }
    throw new IsolationException("Only " + this + " itself can " + what + ", inside its turns");
  }

  void startTimer(TimerId timerId, Duration delay, boolean recurring,
      Supplier<? extends @Nullable Mono<?>> job, @Nullable Object carried) {
    if (stopped || runtime.isShutdown()) {
      return;
    }
    scheduleTimer(timerId, reserveTimer(timerId), delay, recurring, job, carried);
  }

  /**
   * Registers a timer before it is scheduled, under a handle its scheduling fills: it may fire
   * before the scheduling call returns, and a cancellation before the scheduler's handle is
   * attached disposes that handle when it comes. An initializer's timers are registered so before
   * the actor exists (see {@code InitContext.reserveEffects}): a turn that another thread runs as
   * soon as it exists, before they are scheduled, may cancel them.
   */
  Disposable.Swap reserveTimer(TimerId timerId) {
    Disposable.Swap handle = Disposables.swap();
    map(extras(), TIMERS).put(timerId, handle);
    return handle;
  }

  /** Schedules a timer registered under {@code handle} ({@link #reserveTimer}), unless cancelled. */
  void scheduleTimer(TimerId timerId, Disposable.Swap handle, Duration delay, boolean recurring,
      Supplier<? extends @Nullable Mono<?>> job, @Nullable Object carried) {
    ConcurrentHashMap<TimerId, Disposable> timers = map(extras(), TIMERS);
    if (timers.get(timerId) != handle) {
      return; // cancelled (by a committed turn, or the shutdown) before it could be scheduled
    }
    if (stopped || runtime.isShutdown()) { // a shutdown's cancelTimers may have missed it
      timers.remove(timerId, handle);
      return;
    }
    // "timer" for listeners (a metric's tag, the same for every timer), "timer 7" for messages
    String kind = recurring ? "recurring timer" : "timer";
    MethodInfo firings = MethodInfo.job(kind, kind + " " + timerId.value());
    // a recurring timer's firing that still waits in the mailbox covers the next ones: firings do
    // not pile up behind a busy actor. The flag is cleared as the firing leaves the mailbox, before
    // its turn: a turn that traps before the job runs (on its fee) must not stop the timer
    AtomicBoolean waiting = recurring ? new AtomicBoolean() : null;
    // as a firing leaves the mailbox: whether its timer still exists. A cancellation that committed
    // while the firing waited there (a one-shot's entry stays until then) drops its job
    BooleanSupplier taken = waiting == null
        ? () -> timers.remove(timerId, handle)
        : () -> {
          waiting.set(false);
          return timers.get(timerId) == handle;
        };
    Runnable fire = () -> {
      if (!stopped && !runtime.isShutdown() && (waiting == null || waiting.compareAndSet(false, true))) {
        Call firing = Call.job(this, firings, job, taken, carried);
        firing.cell = this;
        enqueueSystem(firing);
      } else if (waiting == null) {
        timers.remove(timerId, handle); // a one-shot that fires into a shutdown
      }
    };
    Disposable scheduled = recurring
        ? runtime.schedulePeriodically(fire, delay)
        : runtime.schedule(fire, delay);
    handle.replace(scheduled);
    if (scheduled == ActorRuntime.REFUSED) {
      timers.remove(timerId, handle); // the scheduler refused it: it never fires (rule R25)
    }
  }

  void stopTimer(TimerId timerId) {
    ConcurrentHashMap<TimerId, Disposable> timers = mapIfCreated(TIMERS);
    Disposable d = timers == null ? null : timers.remove(timerId);
    if (d != null) {
      d.dispose();
    }
  }

  void cancelTimers() {
    ConcurrentHashMap<TimerId, Disposable> timers = mapIfCreated(TIMERS);
    if (timers != null) {
      for (TimerId t : timers.keySet()) {
        stopTimer(t);
      }
    }
  }

  ActorProxy jobTarget() {
    Extras e = extras();
    ActorProxy p = e.jobTarget;
    if (p == null) {
      p = new ActorProxy(runtime, type, id, Caller.anonymous(), io.reactant.call.CallOptions.none());
      e.jobTarget = p;
    }
    return p;
  }

  // ---- mailbox and scheduling

  /**
   * Takes a place in the mailbox for a call a caller sends, unless the mailbox is full (code 2,
   * rule R12a); the call must then be queued with {@link #enqueueReserved}. Apart from the push, so
   * that the caller can do what must come before the call can run (start its bounded wait) only
   * once the call is sure to be queued: a call refused here never had a bounded wait, whose code 6
   * could win over the refusal's code 2. Any thread; never blocks.
   *
   * @return whether the mailbox has room for the call (it is counted in)
   */
  boolean reserve() {
    int cap = capacity;
    if (cap > 0) {
      // counted in only if there is room: a refused sender never touches the count, so a burst
      // of refusals cannot make a mailbox with room look full to the next sender
      int p;
      do {
        p = (int) PRODUCED.getVolatile(this);
        if (p - (int) CONSUMED.getAcquire(this) >= cap) {
          return false;
        }
      } while (!PRODUCED.weakCompareAndSet(this, p, p + 1));
    }
    return true;
  }

  /** Gives back the place {@link #reserve} took for a call that will not be queued. Any thread. */
  void unreserve() {
    if (capacity > 0) {
      PRODUCED.getAndAdd(this, -1);
    }
  }

  /** Queues a call for which {@link #reserve} took a place. Any thread; never blocks. */
  void enqueueReserved(Call call) {
    if (enqueue(call)) {
      schedule();
    }
  }

  /** Queues an envelope of the runtime itself (a continuation, a late signal, a timer firing). */
  void enqueueSystem(Envelope e) {
    if (queueSystem(e)) {
      schedule();
    }
  }

  /**
   * Queues a runtime envelope (never refused; counted in a bounded mailbox) without scheduling.
   *
   * @return whether the actor was idle: the caller must schedule it
   */
  private boolean queueSystem(Envelope e) {
    if (capacity > 0) {
      PRODUCED.getAndAdd(this, 1);
    }
    return enqueue(e);
  }

  /**
   * Makes the actor runnable, once the push of an envelope found it idle. On a pool thread that is
   * running another actor of the same system with its hand-off slot empty, the actor is parked in
   * that slot and run by the same thread next (no other thread is woken); anywhere else it is
   * submitted to the executor.
   */
  private void schedule() {
    if (Thread.currentThread() instanceof HandOffThread h && h.handOff() == runtime) {
      h.handOff(this);
    } else {
      runtime.execute(this);
    }
  }

  @Override
  @Nullable Batch batch() {
    return batch;
  }

  @Override
  void batch(@Nullable Batch b) {
    batch = b;
  }

  int capacity() {
    return capacity;
  }

  /** Overrides the mailbox capacity; only before the cell is registered. */
  void capacity(int value) {
    capacity = value;
  }

  @Override
  void taken(int count) {
    if (capacity == 0) {
      // the consumer is the only writer of produced in an unbounded mailbox: no atomic update
      PRODUCED.setRelease(this, (int) PRODUCED.get(this) + count);
    }
  }

  /**
   * Whether the mailbox holds envelopes not started yet; any thread. Exact as of some instant
   * during the call for envelopes queued before it: the inbox is read before the counts, and an
   * envelope leaves the inbox only after it is counted in.
   */
  boolean hasWaitingEnvelopes() {
    return inboxHoldsEnvelopes() || countedWaiting() > 0;
  }

  private int countedWaiting() {
    int started = (int) CONSUMED.getVolatile(this);
    return Math.max(0, (int) PRODUCED.getVolatile(this) - started);
  }

  /**
   * Whether the actor has work under way: a message waiting, a run scheduled or under way, or a
   * call suspended at an await; any thread, a hint while messages move.
   */
  public boolean isBusy() {
    return !isIdle() || firstSuspended() != null;
  }

  /**
   * Returns the number of envelopes waiting in the mailbox: exact for a bounded mailbox; for an
   * unbounded one, those its actor took out of the inbox plus a count of the inbox, which moves
   * while it is read (a walk along the waiting envelopes: it costs in proportion to them, which
   * keeps the senders' path free of any count).
   */
  public int mailboxDepth() {
    if (capacity > 0) {
      return countedWaiting();
    }
    int inInbox = countInbox();
    return countedWaiting() + inInbox;
  }

  /**
   * Runs the actor: executes its envelopes, one turn at a time, then gives the thread back. On a
   * pool thread with a hand-off slot ({@link HandOffThread}), an actor woken by this one and
   * parked in the slot runs next on the same thread, unless other tasks wait for the thread (then
   * it goes to the pool like any task). A parked actor never waits behind more than the rest of
   * the envelope that woke it: before this actor starts another envelope, the parked one is
   * submitted to the pool, where another thread can take it. Every {@link
   * #RUNS_BETWEEN_ADMISSIONS}th run on a thread first moves a task submitted from outside the pool
   * into that thread's queue ({@link ActorPool#admitSubmission}).
   */
  @Override
  public void run() {
    Thread thread = Thread.currentThread();
    HandOffThread h = thread instanceof HandOffThread c && c.handOff() == null ? c : null;
    if (h == null) {
      drain(null); // not a pool thread, or nested in another actor's run: no hand-off
      return;
    }
    h.handOff(runtime);
    if ((h.countRun() & (RUNS_BETWEEN_ADMISSIONS - 1)) == 0) {
      admitSubmission(h); // a task from outside the pool queues behind this thread's tasks
    }
    try {
      ActorCell c = this;
      int handOffs = 0;
      do {
        c.drain(h);
        c = c.parked(h, ++handOffs);
      } while (c != null);
    } finally {
      Object parked = h.handOff();
      h.handOff(null);
      if (parked instanceof ActorCell p) {
        runtime.execute(p);
      }
    }
  }

  /**
   * Takes the actor parked in the hand-off slot, to run it next on this thread; submits it to the
   * pool instead when other tasks wait for this thread. Whether they do is asked at the first
   * hand-off and then at every {@link #WAITING_CHECK_INTERVAL}th (asking reads the pool's shared
   * queues, a few percent of a ping-pong's round trip), so a waiting task sits behind at most that
   * many hand-offs, each a run of at most one batch of turns while it waits. After every {@link
   * #MAX_HAND_OFFS} hand-offs in a row it takes a task waiting in another thread's queue, if any
   * ({@link #takeWaitingTask}): that thread may be busy for long (a long turn), and going back to
   * the pool would not help, since a pool thread runs its own queue (where the parked actor would
   * go) before it steals. An actor taken continues the chain; the parked one goes to the pool.
   */
  private @Nullable ActorCell parked(HandOffThread h, int handOffs) {
    if (!(h.handOff() instanceof ActorCell p)) {
      return null;
    }
    if (handOffs % WAITING_CHECK_INTERVAL == 1 && othersWaiting()) {
      h.handOff(runtime);
      runtime.execute(p);
      return null;
    }
    if (handOffs % MAX_HAND_OFFS == 0) {
      h.renewSlot(); // a run can go on with hand-offs for long: keep the slot's holder young
      int taken = takeWaitingTask(h);
      if (taken == TAKEN_TASK) {
        return null; // p went to the pool, the task ran: the chain ends here
      }
      if (taken == TAKEN_ACTOR) {
        p = (ActorCell) h.handOff(); // p went to the pool, the actor taken is next
      }
    }
    h.handOff(runtime);
    return p;
  }

  /**
   * Takes one task waiting in another thread's queue, if any: for an actor that has kept its
   * thread for {@link #KEPT_BATCHES_BETWEEN_TAKES} batches in a row (nothing waited in this
   * thread's queue), and for a chain of hand-offs every {@link #MAX_HAND_OFFS}. The other thread
   * may be stuck in a long turn with that task behind it, while this thread would otherwise stay
   * with its own actors for as long as they have messages. The actor parked in the slot, if any,
   * goes to the pool first. An actor taken is parked in the slot in its place, to run on this
   * thread as soon as the running actor gives it back (not nested: its own run could be long). Any
   * other task runs at once, nested, with the slot closed while it runs: the task may hold the
   * thread for long, or block it, so an actor it wakes must not sit in the slot, where no other
   * thread can reach it; with the slot closed it goes to the pool. (An actor woken by such a task
   * and parked in the slot, while the task then blocked the thread until that actor ran, was a
   * deadlock.)
   *
   * @return {@link #TAKEN_ACTOR}, {@link #TAKEN_TASK}, or {@link #TAKEN_NOTHING}
   */
  private int takeWaitingTask(HandOffThread h) {
    ForkJoinTask<?> taken = pollTask(); // this thread's queue is empty: one of another's
    if (taken == null) {
      return TAKEN_NOTHING;
    }
    submitParked(h);
    if (taken instanceof ActorCell other) {
      h.handOff(other);
      return TAKEN_ACTOR;
    }
    h.handOff(SLOT_CLOSED);
    try {
      taken.quietlyInvoke();
    } catch (Throwable t) {
      // a task of the pool that throws must not cost this thread's actors their run
      LOG.error("A task taken from another thread's queue failed", t);
    } finally {
      h.handOff(runtime);
    }
    return TAKEN_TASK;
  }

  /** Submits the actor parked in the slot, if any, to the pool; the slot stays open. */
  private void submitParked(HandOffThread h) {
    if (h.handOff() instanceof ActorCell parked) {
      h.handOff(runtime);
      runtime.execute(parked);
    }
  }

  /** See {@link ActorPool#admitSubmission}; out of line, to keep {@link #run} small. */
  private static void admitSubmission(HandOffThread h) {
    if (h.getPool() instanceof ActorPool pool) {
      pool.admitSubmission();
    }
  }

  /** Whether tasks other than the running actor wait for this pool thread. */
  private static boolean othersWaiting() {
    if (ForkJoinTask.getQueuedTaskCount() > 0) {
      return true;
    }
    java.util.concurrent.ForkJoinPool pool = ForkJoinTask.getPool();
    return pool != null && pool.hasQueuedSubmissions();
  }

  /**
   * Executes envelopes until the mailbox is empty or the batch ({@code turnsPerScheduling}) is
   * done, then marks the actor idle. On a pool thread ({@code h != null}) a finished batch starts
   * another one when no other task waits for the thread, instead of resubmitting the actor (which
   * would wake another thread); every {@link #KEPT_BATCHES_BETWEEN_TAKES} such batches it looks
   * for a task waiting in another thread's queue ({@link #takeWaitingTask}). An envelope that
   * arrives just as the actor goes idle is executed by the same run if the batch has room left;
   * only an actor that used up its batch while other tasks wait is resubmitted.
   */
  private void drain(@Nullable HandOffThread h) {
    for (;;) {
      try {
        drainBatches(h);
        return;
      } catch (Throwable t) {
        // every envelope runs under its own guard: this is the runtime failing between envelopes
        // (or in that guard). The task must not end exceptionally: the pool would never run this
        // actor again, and every call it holds would wait forever.
        LOG.error("The runtime failed between two envelopes of " + this
            + "; the actor goes on with the next one", t);
        if (!releaseAfterFailure() || runtime.submit(this)) {
          return; // idle, or back to the pool; refused, this run goes on with the next envelope
        }
      }
    }
  }

  private void drainBatches(@Nullable HandOffThread h) {
    int budget = runtime.turnsPerScheduling;
    int keptBatches = 0;
    for (;;) {
      Envelope e;
      while ((e = dequeue()) != null || (budget > 1 && awaitNextEnvelope(h))) {
        if (e == null) {
          continue;
        }
        if (h != null) {
          // this actor has more to do: the woken one must not wait for it (checked here, before
          // each envelope, rather than after the one that woke it: an envelope arriving just
          // after such a check would otherwise start with the woken actor still in the slot)
          submitParked(h);
        }
        if (e instanceof Call call) {
          call.starting(); // in flight before it leaves the mailbox's count (see Call.starting)
        }
        // the consumer is the only writer of consumed: a release store, no atomic update
        CONSUMED.setRelease(this, (int) CONSUMED.get(this) + 1);
        try {
          if (abandonQueued) {
            e.abandon(RejectCode.SYS_TRANSIENT, "The actor system '" + runtime.config().name()
                + "' shut down before " + id + " handled the call");
          } else {
            e.execute(this);
          }
        } catch (Throwable t) {
          LOG.error("Unexpected failure in the runtime while executing " + e + " on " + this, t);
        }
        if (--budget == 0) {
          if (h == null || othersWaiting()
              || (++keptBatches % KEPT_BATCHES_BETWEEN_TAKES == 0
                  && takeWaitingTask(h) == TAKEN_ACTOR)) {
            break;
          }
          budget = runtime.turnsPerScheduling; // nobody else waits for this thread: keep it
        }
      }
      if (tryIdle()) {
        if (runtime.isShutdown()) {
          // a shutdown may wait for this mailbox, whose last envelope may end no call (the
          // continuation of one answered already): the idle compare-and-set, then the flag
          runtime.mailboxEmptied();
        }
        return; // idle: the next push onto its inbox schedules it again
      }
      if (budget == 0) {
        if (runtime.submit(this)) {
          return; // the batch is used up and others wait: back to the pool
        }
        // the executor refused the actor: this thread goes on with it (running it nested here
        // instead would nest one run per batch, as deep as the mailbox is long)
        budget = runtime.turnsPerScheduling;
      }
      // an envelope arrived as the actor went idle: this run goes on with it
    }
  }

  /**
   * Before giving its thread back, an actor whose mailbox just ran empty watches it for a few
   * microseconds, if that thread has nothing else to do (no queued task, no actor parked in its
   * hand-off slot): the next message of a caller waiting on a reply usually follows within that
   * time, and is then run without parking and waking a thread.
   *
   * @return whether the mailbox holds an envelope again
   */
  private boolean awaitNextEnvelope(@Nullable HandOffThread h) {
    long spins = runtime.idleSpins;
    if (spins == 0 || h == null || h.handOff() instanceof ActorCell || othersWaiting()) {
      return false;
    }
    for (long i = 1; i <= spins; i++) {
      if (!isMailboxEmpty()) {
        return true;
      }
      if ((i & 31) == 0 && othersWaiting()) {
        return false; // other actors wait for this thread
      }
      Thread.onSpinWait();
    }
    return false;
  }

  // ---- turns

  void executeCall(Call call) {
    if (runtime.isShutdown()) {
      call.abandon(RejectCode.SYS_TRANSIENT, "The actor system '" + runtime.config().name()
          + "' is shutting down: " + id + " does not start new calls");
      return;
    }
    call.started = true;
    runTurn(call, call);
  }

  /**
   * A late signal of {@code call}, which has replied already (see {@link Call.LateSignal}): no
   * turn runs; its execution is over, as a turn ending it would have marked.
   */
  void signalledAfterReply(Call call) {
    call.terminated = true;
    ended(call, false);
  }

  /**
   * Runs {@code body} as one turn of this actor on behalf of {@code call}, then ends the turn. The
   * context {@code call} carries, if any (see {@link io.reactant.actor.ContextPropagation}), is
   * restored on this thread from before the turn to after its end (its commit, its reply): every
   * turn of a call, its continuations' included, runs in the context of the call's sender.
   */
  void runTurn(@Nullable Call call, TurnBody body) {
    Object carried;
    if (call instanceof Call.Carrying c && (carried = c.carried) != null) {
      runCarried(call, carried, body);
    } else {
      turn(call, body);
    }
  }

  /**
   * Runs a turn of {@code call} in {@code carried}, its sender's context, then puts back the
   * thread's own. A restore that fails traps the turn before its body (rule R12): it does not run
   * without its context. Apart from {@link #turn}, whose size matters to the JIT's inlining.
   */
  private void runCarried(Call call, Object carried, TurnBody body) {
    ContextPropagation.Scope restored;
    try {
      restored = runtime.restoreCarried(carried, call);
    } catch (Trap failed) {
      turn(call, () -> {
        throw failed;
      });
      return;
    }
    try {
      turn(call, body);
    } finally {
      runtime.closeCarried(restored, this);
    }
  }

  /** Runs {@code body} as one turn of this actor on behalf of {@code call}, then ends the turn. */
  private void turn(@Nullable Call call, TurnBody body) {
    long start = runtime.listener == null ? 0L : System.nanoTime();
    TurnContext t = TurnContext.acquire(this);
    t.begin(call);
    ExecutionContext previous = Contexts.enter(t);
    try {
      long fee = runtime.turnFee;
      if (fee > 0) {
        debit(fee, "the turn fee");
      }
      body.run();
    } catch (Throwable ex) {
      t.trap(ex);
    } finally {
      Contexts.restore(previous);
    }
    try {
      finishTurn(t, start);
    } finally {
      t.release();
    }
  }

  /**
   * Counts the turn and tells the listener, before any of its effects is released, so that whoever
   * sees its reply also sees it counted.
   */
  private void ended(boolean committed, long start) {
    turns++;
    if (!committed) {
      extras().traps++;
    }
    TurnListener listener = runtime.listener;
    if (listener != null) {
      try {
        listener.turnEnded(id, type,
            committed ? TurnListener.Outcome.COMMITTED : TurnListener.Outcome.TRAPPED,
            System.nanoTime() - start);
      } catch (Throwable e) {
        // an Error too: thrown here, it left the turn half-ended (no reply, no release)
        runtime.listenerFailed(e);
      }
    }
  }

  /**
   * Ends a turn at its commit point: a trap rolls back the state and balance and revokes the
   * outbox; anything else commits the state and balance, releases the outbox in order, then
   * answers the caller if the method produced its result, and finally subscribes to the futures
   * the turn awaits.
   */
  private void finishTurn(TurnContext t, long start) {
    Call call = t.call; // left in the context until it is released: the watchdog names the call
    Throwable trap = t.trap;
    t.trap = null;
    if (trap == null) {
      trap = t.raised; // a trap the actor's code caught still traps
    }
    if (trap == null && call != null) {
      trap = call.trapSignalled();
    }
    ArrayList<Outgoing> outbox = t.outbox;
    ArrayList<AwaitSubscriber<?>> awaits = t.awaits;
    long messageFee = runtime.messageFee;
    int sends;
    if (trap == null && messageFee > 0 && !outbox.isEmpty() && (sends = messages(outbox)) > 0) {
      try {
        if (messageFee > Long.MAX_VALUE / sends) {
          // more than any balance: neither wrapped negative (a credit) nor saturated (which a
          // balance of Long.MAX_VALUE would pay)
          throw new Trap(this + " is out of cycles: sending " + sends + " messages needs "
              + sends + " x " + messageFee + ", more than any balance (rule R22)");
        }
        debit(messageFee * sends, "sending " + sends + " messages");
      } catch (Trap outOfCycles) {
        trap = outOfCycles;
      }
    }
    Extras extras = lazy;
    if (trap != null) {
      cancelInTurn(t, call, false); // before the rollback and the revocations, which cover it
      rollback();
      if (extras != null) {
        extras.balanceDelta = 0;
      }
      if (call != null) {
        call.rollbackAccepted();
      }
      ended(false, start);
      for (int i = 0, n = outbox.size(); i < n; i++) {
        Outgoing.revoke(outbox.get(i));
      }
      t.clearOutbox();
      t.clearAwaits(); // discarded by cancelInTurn
      if (call != null) {
        if (!call.replied) {
          call.replyTrapped(trap);
        }
        ended(call, false); // this turn's awaits were discarded; earlier turns' may still wait
      } else {
        LOG.warn(this + " trapped in a turn that answers no call", trap);
      }
      return;
    }
    commit();
    if (call != null) {
      call.commitAccepted();
    }
    if (extras != null && extras.balanceDelta != 0) {
      addToBalance(extras, extras.balanceDelta);
      extras.balanceDelta = 0;
    }
    ended(true, start);
    // releasing and activating run outside the turn: they cannot add to this turn's lists
    int refused = 0;
    for (int i = 0, n = outbox.size(); i < n; i++) {
      if (!Outgoing.release(outbox.get(i))) {
        refused++;
      }
    }
    t.clearOutbox();
    if (refused > 0 && messageFee > 0) {
      // a message refused before it could be made (a full mailbox, no such actor) costs nothing
      // beyond the turn (rule R22): its fee comes back before the reply and the continuations
      credit(messageFee * refused);
    }
    if (call != null) {
      if (call.replied) {
        // answered already: from outside (a shutdown), or a oneway's or an answered call's
        // continuation; what it left awaiting keeps it among the lingering calls
        ended(call, !awaits.isEmpty());
      } else if (call.terminated) {
        call.replyCommitted();
        ended(call, !awaits.isEmpty());
      } else {
        suspended(call);
      }
    }
    for (int i = 0, n = awaits.size(); i < n; i++) {
      awaits.get(i).activate();
    }
    t.clearAwaits();
  }

  /**
   * The messages among a turn's effects, which pay the message fee: its calls, queries and actor
   * creations. Setting or cancelling a timer is no message (rule R25: only its firings are, and
   * their turns pay the turn fee).
   */
  private static int messages(ArrayList<Outgoing> outbox) {
    int n = 0;
    for (int i = 0, size = outbox.size(); i < size; i++) {
      Object effect = outbox.get(i);
      if (!(effect instanceof TimerRequest) && !(effect instanceof TimerCancel)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Cancels what the method's {@code Mono} of a trapped call still waits for (its pending awaits,
   * the other branches of a {@code zip}), then discards every await the turn registered (one a
   * oneway subscribed itself, which no cancellation of the method's {@code Mono} reaches, cancels
   * the {@code Mono} it evaluated in the turn), all inside the trapped turn, with its context
   * current again: code that the cancellation runs ({@code doFinally}, {@code doOnCancel})
   * belongs to that turn, so its writes are rolled back and its sends and awaits dropped with the
   * turn's own (rules R10, R12), as when the trap reaches that code as an error. Outside the turn,
   * a send there would leave at once as an ingress call. The trap path, and the end of a shutdown
   * for the calls it answers and the lingering ones ({@link #cancelAbandoned}), which also cancels
   * ({@code left}) the awaits of the call still pending that the method's {@code Mono} does not
   * reach (ones the method subscribed itself, a oneway's): a trap leaves those of the call's earlier
   * turns, which committed, to the continuations they await.
   */
  private void cancelInTurn(TurnContext t, @Nullable Call call, boolean left) {
    boolean cancel = call != null && call.hasUpstreamToCancel();
    ArrayList<AwaitSubscriber<?>> awaits = t.awaits;
    if (!cancel && !left && awaits.isEmpty()) {
      return;
    }
    ExecutionContext previous = Contexts.enter(t); // t.call is still the call
    try {
      if (cancel) {
        try {
          call.cancelUpstream();
        } catch (Throwable e) {
          LOG.warn("Cancelling " + call + " on " + this + " failed", e);
        }
      }
      if (left && call != null) {
        // after the method's Mono, whose cancellation reaches the awaits it is made of first
        call.cancelPendingAwaits(e ->
            LOG.warn("Cancelling an await of " + call + " on " + this + " failed", e));
      }
      // by index, the size read again: cleanup may register awaits, discarded with the others
      for (int i = 0; i < awaits.size(); i++) {
        try {
          awaits.get(i).discard();
        } catch (Throwable e) {
          LOG.warn("Cancelling an await of " + (call != null ? call : "a turn") + " on " + this
              + " failed", e);
        }
      }
    } finally {
      Contexts.restore(previous);
    }
  }

  /**
   * A call of this actor is suspended on an await after a turn committed: it joins the actor's
   * list of suspended calls, which a shutdown has the actor answer (once, not at each of its
   * turns; see {@link #stop}).
   *
   * <p>The list is doubly linked through the calls themselves, and only the executing thread
   * links and unlinks: no lock, no atomic update, no allocation. A monitoring snapshot
   * ({@link #info}) walks it from another thread, following the next links, which are published
   * with release semantics; unlinking a call leaves that call's own next link as it was, so a walk
   * standing on it still reaches every call after it. The price: a call that something else keeps
   * reachable after it ended (a future a caller cached) keeps the calls suspended before it
   * reachable too, until it is collected.
   */
  void suspended(Call call) {
    if (call.suspended) {
      return;
    }
    call.suspended = true;
    SuspendedCalls list = suspendedCallsToWrite();
    Call head = (Call) FIRST_SUSPENDED.get(list);
    call.previousSuspended(null);
    call.nextSuspended(head);
    if (head != null) {
      head.previousSuspended(call);
    }
    FIRST_SUSPENDED.setRelease(list, call);
  }

  /**
   * The holder of the suspended calls' head, for a suspension; the executing thread only. Every
   * {@link #SUSPENSIONS_PER_HOLDER} suspensions the head moves to a new holder, published with
   * release semantics after the head was copied into it, so that the holder stays young.
   */
  private SuspendedCalls suspendedCallsToWrite() {
    Extras e = extras();
    SuspendedCalls list = (SuspendedCalls) SUSPENDED.get(e);
    if (list == null || ++e.suspensionsInHolder >= SUSPENSIONS_PER_HOLDER) {
      e.suspensionsInHolder = 0;
      SuspendedCalls renewed = new SuspendedCalls();
      if (list != null) {
        renewed.first = (Call) FIRST_SUSPENDED.get(list);
        renewed.lingering = (Call) FIRST_LINGERING.get(list);
      }
      SUSPENDED.setRelease(e, renewed);
      list = renewed;
    }
    return list;
  }

  /**
   * The newest suspended call, from which a walk along the next links reaches all of them; any
   * thread. A walk from another thread than the executing one sees every call suspended before it
   * began and not resumed since, and may see some resumed meanwhile; it always ends, since every
   * next link points to a call suspended earlier.
   */
  private @Nullable Call firstSuspended() {
    Extras e = lazy;
    SuspendedCalls list = e == null ? null : (SuspendedCalls) SUSPENDED.getAcquire(e);
    return list == null ? null : (Call) FIRST_SUSPENDED.getAcquire(list);
  }

  /**
   * The execution of a call of this actor has ended (replied, trapped or answered otherwise): it
   * leaves the list of suspended calls if it was in it. The executing thread only.
   */
  private void resumed(Call call) {
    if (!call.suspended) {
      return;
    }
    call.suspended = false;
    if (isLingering(call)) {
      unlinkLingering(call);
      return;
    }
    Call previous = call.previousSuspended();
    Call next = call.nextSuspended();
    if (previous == null) {
      // the call is the head: a holder exists (the call's suspension used it)
      FIRST_SUSPENDED.setRelease((SuspendedCalls) SUSPENDED.get(extras()), next);
    } else {
      previous.nextSuspended(next);
    }
    if (next != null) {
      next.previousSuspended(previous);
    }
    call.previousSuspended(null);
  }

  /**
   * The execution of {@code call} is over (answered: replied, trapped, or from outside), at the end
   * of one of its turns; {@code awaited} says whether that turn registered awaits. It leaves the
   * suspended calls; if an await it made is still pending (one the method subscribed itself, a
   * oneway's, which no reply ends), it stays among the lingering calls, so that the end of a
   * shutdown cancels that await ({@link #linger}). A call that never suspended and did not await
   * in this turn has nothing pending: one check, no work. The executing thread only.
   */
  private void ended(Call call, boolean awaited) {
    if (!call.suspended && !awaited) {
      return;
    }
    if (call.awaitsPending()) {
      linger(call);
    } else {
      resumed(call);
    }
  }

  /**
   * A call answered already whose awaits may still be pending (see {@link #ended}) joins the
   * actor's list of lingering calls, leaving the suspended ones if it was among them: the end of a
   * shutdown cancels what they await ({@link #abandonSuspended}), as it does for the suspended
   * calls it answers, but answers nothing, and no shutdown waits for them. It leaves the list at
   * the end of a turn of the call in which none of its awaits is pending any more, or when an
   * await of it is cancelled outside its turns ({@link #awaitLeft}); the call stays {@code
   * suspended} (in one list or the other) meanwhile. The list is doubly linked through links of
   * its own ({@code Call.nextLingering}), apart from the suspended calls', which a monitoring walk
   * follows from another thread: a call that moves never leads that walk here. The executing
   * thread only, which alone walks it; its head is published for {@link #stopAtTheEnd}.
   */
  private void linger(Call call) {
    if (call.suspended) {
      if (isLingering(call)) {
        return;
      }
      resumed(call);
    }
    call.suspended = true;
    SuspendedCalls list = suspendedCallsToWrite();
    Call head = (Call) FIRST_LINGERING.get(list);
    call.previousLingering(null);
    call.nextLingering(head);
    if (head != null) {
      head.previousLingering(call);
    }
    FIRST_LINGERING.setRelease(list, call);
  }

  /** Whether {@code call}, listed ({@code suspended}), is a lingering one; the executing thread. */
  private boolean isLingering(Call call) {
    if (call.previousLingering() != null) {
      return true;
    }
    Extras e = lazy;
    SuspendedCalls list = e == null ? null : (SuspendedCalls) SUSPENDED.get(e);
    return list != null && FIRST_LINGERING.get(list) == call;
  }

  private void unlinkLingering(Call call) {
    Call previous = call.previousLingering();
    Call next = call.nextLingering();
    if (previous == null) {
      FIRST_LINGERING.setRelease((SuspendedCalls) SUSPENDED.get(extras()), next);
    } else {
      previous.nextLingering(next);
    }
    if (next != null) {
      next.previousLingering(previous);
    }
    call.previousLingering(null);
    call.nextLingering(null);
  }

  /** The newest lingering call; any thread (a hint, but for the executing thread). */
  private @Nullable Call firstLingering() {
    Extras e = lazy;
    SuspendedCalls list = e == null ? null : (SuspendedCalls) SUSPENDED.getAcquire(e);
    return list == null ? null : (Call) FIRST_LINGERING.getAcquire(list);
  }

  /**
   * How many lingering calls the actor holds (see {@link #linger}): exact on the executing thread,
   * or on a quiet actor; for tests.
   */
  int lingeringCalls() {
    int n = 0;
    for (Call c = firstLingering(); c != null; c = c.nextLingering()) {
      n++;
    }
    return n;
  }

  /**
   * An await of {@code call} was cancelled outside the call's own turns (on the executing thread:
   * by another turn of the actor, or the link's drop after a cancel on another thread): a
   * lingering call with nothing left pending leaves the list.
   */
  void awaitLeft(Call call) {
    if (call.suspended && isLingering(call) && !call.awaitsPending()) {
      resumed(call);
    }
  }

  /**
   * Marks the actor stopped: senders look it up again, timers no longer fire, and the run abandons
   * the envelopes it takes from now on. Any thread.
   */
  void markStopped() {
    abandonQueued = true;
    stopped = true;
  }

  /**
   * Stops the actor at the end of a shutdown: its timers are cancelled, every call still suspended
   * is answered with code 6 (it may have committed at its awaits), and what is left in the mailbox
   * is answered as the cell drains it.
   *
   * <p>Only the actor's own thread answers its calls (so that a call ends, and its future is
   * settled, with plain stores: see {@code Call.finish}): this queues a {@link Stop} envelope.
   * If the actor is idle, this thread takes it (as a pool thread would) and drains it at once, so
   * its suspended calls are answered before this returns; a running actor answers them when its
   * run reaches the envelope. An actor stuck in a turn answers neither its queued calls nor its
   * suspended ones.
   */
  void stop(String reason) {
    markStopped();
    stopQueued = true;
    cancelTimers();
    if (queueSystem(new Stop(this, reason))) {
      run(); // the actor was idle: this thread takes it, as a pool thread would
    }
  }

  /**
   * At the end of a shutdown that ended before its grace period did (every call it waited for was
   * answered), or after the grace period's {@link #stop}: marks the actor stopped and, if it has
   * lingering calls (answered, with awaits still pending: see {@link #linger}) or is busy (a turn
   * running, which may leave one), stops it as {@link #stop} does, so that what they await is
   * cancelled too. Marked stopped first, then read: a turn that starts after the mark never runs
   * (the drain reads the mark before each envelope), and one that started before it keeps the
   * actor busy until after its end (the mailbox's idle mark comes after the turn's links), so
   * either this sees the actor busy, or it sees the lingering calls the turn left. Any thread.
   */
  void stopAtTheEnd(String reason) {
    markStopped();
    VarHandle.fullFence(); // the mark before the reads (a Dekker handshake with the drain's read)
    if (!stopQueued && (!isIdle() || firstLingering() != null)) {
      stop(reason);
    }
  }

  /**
   * Cancels what every lingering call still awaits (see {@link #linger}), then what the method's
   * {@code Mono} of every call suspended at an await still waits for, answering the call with code
   * 6; the executing thread only. In this order, so that the cleanup the cancellations run is over
   * before the answer of the last call can end the shutdown.
   */
  private void abandonSuspended(String reason) {
    Call c;
    while ((c = firstLingering()) != null) {
      resumed(c);
      cancelAbandoned(c); // answered already: nothing to answer
    }
    while ((c = firstSuspended()) != null) {
      resumed(c);
      cancelAbandoned(c);
      c.abandon(RejectCode.SYS_UNKNOWN, reason); // a call answered already ignores it
    }
  }

  /**
   * Cancels what the method's {@code Mono} of {@code call}, which the end of a shutdown answers,
   * still waits for (its pending awaits: a delay, a sink, another actor's reply), so that nothing
   * it waited for holds the stopped actor, or keeps working for a caller answered already. As for
   * a trapped call ({@link #cancelInTurn}), the cancellation runs with a turn context of the actor
   * current, but a turn that changes nothing: code it runs ({@code doFinally}, {@code doOnCancel})
   * may read the state, and its writes are rolled back, its sends revoked, its awaits dropped. No
   * turn is counted, charged or told to the listener. The context the call carried from its
   * sender ({@link ContextPropagation}) is restored around it, as around every turn of the call
   * (one that fails is logged, and the cleanup runs without it, as a trapped turn's does). It
   * runs on the thread that ends the grace period when the actor is idle then (see {@link #stop}:
   * the grace timer's, the thread calling {@code shutdown} when the scheduler refuses that timer,
   * the watchdog's when the scheduler dropped it), not on the application's scheduler.
   */
  private void cancelAbandoned(Call call) {
    if (!call.hasUpstreamToCancel() && !call.awaitsPending()) {
      return;
    }
    Object carried;
    if (call instanceof Call.Carrying c && (carried = c.carried) != null) {
      ContextPropagation.Scope restored;
      try {
        restored = runtime.restoreCarried(carried, call);
      } catch (Trap failed) {
        // as a turn whose restore fails traps, and its cleanup runs without the context: what
        // the call awaited must still be let go
        LOG.warn("The cleanup of " + call + " on " + this + " at the end of the shutdown runs"
            + " without the context it carries", failed);
        cancelAbandonedInContext(call);
        return;
      }
      try {
        cancelAbandonedInContext(call);
      } finally {
        runtime.closeCarried(restored, this);
      }
    } else {
      cancelAbandonedInContext(call);
    }
  }

  /** {@link #cancelAbandoned}, in the context the call carries, if any, restored. */
  private void cancelAbandonedInContext(Call call) {
    TurnContext t = TurnContext.acquire(this);
    t.begin(call);
    try {
      cancelInTurn(t, call, true);
      ArrayList<Outgoing> outbox = t.outbox;
      for (int i = 0, n = outbox.size(); i < n; i++) {
        Outgoing.revoke(outbox.get(i));
      }
      t.clearOutbox();
      t.clearAwaits(); // discarded by cancelInTurn
      Extras e = lazy;
      if (e != null) {
        e.balanceDelta = 0; // cycles the cleanup accepted or attached
      }
      call.rollbackAccepted();
    } finally {
      t.release(); // rolls back what the cleanup wrote
    }
  }

  /**
   * The end of a shutdown, delivered to the stopped actor: what its lingering calls await is
   * cancelled, and its suspended calls are answered.
   */
  private static final class Stop extends Envelope {
    private final ActorCell cell;
    private final String reason;

    Stop(ActorCell cell, String reason) {
      this.cell = cell;
      this.reason = reason;
    }

    @Override
    void execute(ActorCell c) {
      cell.abandonSuspended(reason); // not reached: a stopped actor's drain abandons envelopes
    }

    @Override
    void abandon(RejectCode code, String message) {
      cell.abandonSuspended(reason); // the actor is stopped: this is how its drain hands it out
    }
  }

  Object instance() {
    Object i = instance;
    if (i == null) {
      throw new IllegalStateException(this + " is not initialized");
    }
    return i;
  }

  void initialized(Object i) {
    declarationsEnded();
    instance = i;
  }

  private TurnContext requireTurn(String what) {
    TurnContext t = turnOnThisThread();
    if (t == null) {
      throw new IsolationException(this + " can " + what + " only inside one of its turns (rule R17)");
    }
    return t;
  }

  /** Returns a monitoring snapshot of this actor. */
  ActorInfo info() {
    return info(mailboxDepth());
  }

  /** Returns a monitoring snapshot of this actor with a mailbox depth its caller just read. */
  ActorInfo info(int mailboxDepth) {
    Extras e = lazy;
    ConcurrentHashMap<TimerId, Disposable> timers = mapIfCreated(TIMERS);
    int suspended = 0;
    for (Call c = firstSuspended(); c != null; c = c.nextSuspended()) {
      suspended++;
    }
    return new ActorInfo(id, type, mailboxDepth, turns, e == null ? 0 : e.traps,
        e == null ? 0 : (long) BALANCE.getVolatile(e), timers == null ? 0 : timers.size(),
        suspended);
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

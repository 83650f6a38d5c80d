package io.reactant.internal;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorClass;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorInfo;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Caller;
import io.reactant.actor.ContextPropagation;
import io.reactant.actor.IngressMessage;
import io.reactant.actor.MailboxCapacity;
import io.reactant.actor.TimerId;
import io.reactant.actor.TurnListener;
import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.ReactantException;
import io.reactant.error.RejectCode;
import io.reactant.error.Trap;
import io.reactant.error.TrapSite;
import io.reactant.scheduler.WorkStealingScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;

/**
 * The implementation of {@link ActorSystem}: the registry of actors, message delivery, query
 * execution and actor creation.
 */
public final class ActorRuntime implements ActorSystem {

  private static final Logger LOG = Loggers.getLogger(ActorRuntime.class);
  /** The prefix of generated ids for an interface: its simple name, decapitalized, and a dash. */
  private static final ClassValue<String> ID_PREFIXES = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      String name = type.getSimpleName();
      return (name.isEmpty() ? "actor" : Character.toLowerCase(name.charAt(0)) + name.substring(1))
          + "-";
    }
  };
  private static final int NO_DECLARED_CAPACITY = Integer.MIN_VALUE;
  /**
   * Delays from this one on (146 years) are waits that never end: a longer one does not fit in the
   * {@code long} of nanoseconds a scheduler counts in (with its clock added), and a delay the
   * runtime could not schedule would fail a turn's commit half-way (a timer or a bounded wait of
   * {@code ChronoUnit.FOREVER}, rules R22, R25).
   */
  private static final Duration NEVER_DUE = Duration.ofNanos(Long.MAX_VALUE / 2);
  /**
   * The handle {@link #schedule} and {@link #schedulePeriodically} answer for a task the scheduler
   * refused: the task never runs. (A handle that says it is disposed may also be that of a task
   * that already ran.)
   */
  static final Disposable REFUSED = new Disposable() {
    @Override
    public void dispose() {
    }

    @Override
    public boolean isDisposed() {
      return true;
    }
  };
  /** How often a waiting shutdown checks again whether the calls in flight are done. */
  private static final Duration DRAIN_CHECK_INTERVAL = Duration.ofMillis(5);
  /** The {@code @MailboxCapacity} of each actor class, read once per class. */
  private static final ClassValue<Integer> DECLARED_CAPACITY = new ClassValue<>() {
    @Override
    protected Integer computeValue(Class<?> type) {
      MailboxCapacity capacity = type.getAnnotation(MailboxCapacity.class);
      return capacity == null ? NO_DECLARED_CAPACITY : capacity.value();
    }
  };

  private final ActorSystemConfig config;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  /**
   * The delays that end a wait, on a scheduler the application supplied, which it may dispose
   * before they run (see {@link #scheduleWait}); null on the system's own pool.
   */
  private final @Nullable GuardedDelays guardedDelays;
  private final Executor executor;
  final int turnsPerScheduling;
  /** How many times an actor re-checks its empty mailbox before giving its thread back. */
  final long idleSpins;
  final @Nullable TurnListener listener;
  /** Carries callers' thread-local context into their messages' turns; null for none. */
  final @Nullable ContextPropagation propagation;
  final long turnFee;
  final long messageFee;
  /** Turns running longer than this are reported by the {@link Watchdog}; 0 for none. */
  final long longTurnNanos;
  private final @Nullable Duration defaultTimeout;
  private final ActorRegistry cells = new ActorRegistry();
  private final ConcurrentHashMap<Class<?>, Function<ActorId, ?>> activators = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong timerIds = new AtomicLong();
  /** The latest time {@link #timeNow} answered, in nanoseconds since the epoch. */
  private final AtomicLong latestTime = new AtomicLong(Long.MIN_VALUE);
  /**
   * Calls taken out of a mailbox and not yet answered; one counter per pool thread, since every
   * call updates it. Calls still queued are in their mailbox's count instead (see {@link #drained}).
   */
  private final InFlight inFlight = new InFlight();
  /**
   * The queries still waiting for their {@code Mono} once their first part returned (see {@link
   * QueryReply#pending}): a shutdown waits for them as for the calls in flight, and ends those left
   * when its grace period is over. Queries answered in their first part never enter it.
   */
  private final Set<QueryReply> pendingQueries = ConcurrentHashMap.newKeySet();
  /**
   * The actors whose mailboxes held envelopes when the shutdown began (null before), and how many
   * of them, from the start, were since seen empty: see {@link #drained}.
   */
  private volatile ActorCell @Nullable [] draining;
  private volatile int seenEmpty;
  private volatile boolean closed;
  private volatile @Nullable CallFuture<Void> terminated;
  /**
   * Whether the shutdown is ending ({@link #terminate}): set once, before the actors are stopped
   * and before {@link #terminated} completes, which it precedes.
   */
  private final java.util.concurrent.atomic.AtomicBoolean ending =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile @Nullable Disposable graceTimer;
  /** The grace period of the shutdown in effect (null before it began); see {@link #closeWait}. */
  private volatile @Nullable Duration gracePeriod;
  /** Rechecks the count of calls in flight while a shutdown waits (see {@link #shutdown}). */
  private volatile @Nullable Disposable drainCheck;

  /**
   * The interface methods, and kinds of timers of an interface's actors, whose oneway trap was
   * warned of (see {@link #onewayTrapped}).
   */
  private final Set<String> trapsWarned = ConcurrentHashMap.newKeySet();
  /** Whether a failure of the listener was logged as a warning (see {@link #listenerFailed}). */
  private final java.util.concurrent.atomic.AtomicBoolean listenerFailureLogged =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** The systems this JVM (this class's loader) created, to number them: see {@link #serial}. */
  private static final AtomicLong SYSTEMS = new AtomicLong();

  /** This system's number among those this JVM created: see {@link #serial()}. */
  private final long serial = SYSTEMS.incrementAndGet();

  private ActorRuntime(ActorSystemConfig config) {
    this.config = config;
    Scheduler s = config.scheduler();
    if (s == null) {
      this.scheduler = WorkStealingScheduler.create(config.name(), config.parallelism());
      this.ownsScheduler = true;
    } else {
      this.scheduler = s;
      this.ownsScheduler = false;
    }
    this.guardedDelays = ownsScheduler ? null : new GuardedDelays(scheduler);
    Scheduler target = this.scheduler;
    this.executor = target instanceof Executor e ? e : target::schedule;
    this.turnsPerScheduling = config.turnsPerScheduling();
    this.idleSpins = config.idleSpins();
    this.listener = config.hasListener() ? config.listener() : null;
    this.propagation = config.contextPropagation().orElse(null);
    this.turnFee = config.turnFee();
    this.messageFee = config.messageFee();
    this.defaultTimeout = config.defaultCallTimeout().orElse(null);
    // a threshold of centuries (past what a long counts in nanoseconds) is never reached: off
    Duration longTurn = config.longTurnWarning();
    this.longTurnNanos = longTurn.compareTo(NEVER_DUE) >= 0 ? 0 : longTurn.toNanos();
    if (target instanceof WorkStealingScheduler) {
      Watchdog.watch(this); // last: the watchdog reads the fields above
    }
  }

  static {
    // Reactor's block() fails at once on a thread it knows as non-blocking: the pool's threads
    // are; so is any thread while it runs a turn (a test's thread driving a deterministic
    // scheduler, a caller running a refused actor), where block() would otherwise wait for a
    // reply that only this thread could produce, for ever
    Schedulers.registerNonBlockingThreadPredicate(
        t -> t == Thread.currentThread() && Contexts.current() instanceof TurnContext);
  }

  /** Starts an actor system with the given configuration. */
  public static ActorSystem start(ActorSystemConfig config) {
    return new ActorRuntime(Objects.requireNonNull(config, "config"));
  }

  /**
   * Runs {@code task} on the executor, or on this thread if the executor refuses it (it shut down
   * with the system, or a scheduler the application supplied is saturated). Run here, it runs
   * outside whatever context this thread is in (an actor woken inside a turn of another, which
   * emitted to a sink it awaits): what it runs is no part of that turn or query (rules R17, R21).
   */
  void execute(Runnable task) {
    if (!submit(task)) {
      Contexts.runOutside(task);
    }
  }

  /**
   * Hands {@code task} to the executor.
   *
   * @return false if the executor refused it: the caller still owns the task
   */
  boolean submit(Runnable task) {
    try {
      executor.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * Schedules a delayed task on the system's scheduler. Once the system has shut down and the
   * scheduler it owns refuses new tasks, the task is moot (a call sent then is refused before its
   * bounded wait could start, and timers no longer start): returns {@link #REFUSED}, as for any
   * task the scheduler refuses. Delays scheduled before still run when due (see {@link
   * #terminate}).
   */
  Disposable schedule(Runnable task, Duration delay) {
    return schedule(task, delay, null, null);
  }

  /**
   * Schedules a delayed task that ends a wait (a shutdown's grace period, a call's or a query's
   * bounded wait; rule R22) as {@link #schedule} does. On a scheduler the application supplied,
   * which it may dispose after it accepted the task (and which then drops it), {@code
   * schedulerGone} runs instead once the watchdog sees it disposed (see {@link GuardedDelays}), so
   * that the wait still ends. On the system's own pool, which only its shutdown disposes,
   * gracefully, it is {@link #schedule}.
   */
  Disposable scheduleWait(Runnable task, Runnable schedulerGone, Duration delay) {
    return schedule(task, delay, guardedDelays, schedulerGone);
  }

  /**
   * {@link #schedule}, through {@code guarded} with {@code schedulerGone} when it is not null
   * ({@link #scheduleWait}): one place for a delay that never falls due and for a refusal.
   */
  private Disposable schedule(Runnable task, Duration delay, @Nullable GuardedDelays guarded,
      @Nullable Runnable schedulerGone) {
    if (!fallsDue(delay)) {
      return Disposables.single(); // never due: nothing to schedule, only a handle to dispose
    }
    try {
      long nanos = delay.toNanos();
      return guarded == null || schedulerGone == null
          ? scheduler.schedule(task, nanos, TimeUnit.NANOSECONDS)
          : guarded.schedule(task, schedulerGone, nanos);
    } catch (RejectedExecutionException e) {
      return REFUSED;
    }
  }

  /** The delays {@link #scheduleWait} keeps (tests); 0 on the system's own pool. */
  int guardedDelays() {
    GuardedDelays g = guardedDelays;
    return g == null ? 0 : g.size();
  }

  /**
   * Whether a delay of {@code delay} ever falls due: one of 146 years or more never does, and is
   * never scheduled ({@link #NEVER_DUE}).
   */
  static boolean fallsDue(Duration delay) {
    return delay.compareTo(NEVER_DUE) < 0;
  }

  /**
   * The time of the system's scheduler, as an instant since the epoch. A virtual clock
   * ({@code DeterministicScheduler}, Reactor's {@code VirtualTimeScheduler}) counts milliseconds
   * and nanoseconds on one clock since the epoch: its nanoseconds are kept. A real scheduler's
   * nanoseconds are Reactor's default, {@code System.nanoTime()}, counted from an arbitrary origin
   * (the instant they gave was hours after 1970): its milliseconds, the wall clock, are used.
   * It never goes back, as Motoko's {@code Time.now()}: a clock stepped back (the wall clock set
   * back by NTP) reads as the latest time read until it passes it again.
   */
  java.time.Instant timeNow() {
    return java.time.Instant.EPOCH.plusNanos(timeNanos());
  }

  /** {@link #timeNow} in nanoseconds since the epoch. */
  long timeNanos() {
    long millis = scheduler.now(TimeUnit.MILLISECONDS);
    long nanos = scheduler.now(TimeUnit.NANOSECONDS);
    long beyond = nanos - TimeUnit.MILLISECONDS.toNanos(millis);
    long now = beyond >= 0 && beyond < 1_000_000 ? nanos : TimeUnit.MILLISECONDS.toNanos(millis);
    for (;;) {
      long last = latestTime.get();
      if (now <= last) {
        return last;
      }
      if (latestTime.compareAndSet(last, now)) {
        return now;
      }
    }
  }

  Disposable schedulePeriodically(Runnable task, Duration interval) {
    if (interval.compareTo(NEVER_DUE) >= 0) {
      return Disposables.single(); // its first firing is never due
    }
    long nanos = interval.toNanos();
    try {
      return scheduler.schedulePeriodically(task, nanos, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return REFUSED;
    }
  }

  TimerId newTimerId() {
    return new TimerId(timerIds.incrementAndGet());
  }

  @Override
  public boolean isShutdown() {
    return closed;
  }

  /** A call enters the count of calls in flight (see {@link Call#queued}). */
  void callCounted() {
    inFlight.increment();
  }

  void callFinished() {
    inFlight.decrement();
    if (closed) {
      terminateIfDrained();
    }
  }

  /**
   * An actor went idle once the system was closed: the mailbox a shutdown waits for may have run
   * empty with no call finishing after it (its last envelope was a continuation of a call answered
   * already, or an await's unlinking).
   */
  void mailboxEmptied() {
    terminateIfDrained();
  }

  /**
   * The calls taken out of a mailbox and not answered yet: what a shutdown waits for besides the
   * mailboxes. Pool threads count with plain stores, so a reading from another thread may lag
   * behind calls whose answers it has not observed.
   */
  long callsInFlight() {
    return inFlight.sum();
  }

  @Nullable ActorCell find(ActorId id) {
    return cells.get(id);
  }

  // ---- ActorSystem

  /**
   * Returns this system's number among the systems this JVM created, from 1: unique while the JVM
   * runs, unlike a system's name, it tells apart the actors of one id of two systems of one name
   * when they call a third system (rule R21, {@link Caller#foreignActor}).
   */
  public long serial() {
    return serial;
  }

  @Override
  public ActorSystemConfig config() {
    return config;
  }

  @Override
  public <I> I spawn(Class<I> type, Supplier<? extends I> factory) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(factory, "factory");
    refuseDirectSpawn(type);
    requireOpen();
    return lookup(type, createWithGeneratedId(type, factory, Caller.anonymous()).id);
  }

  @Override
  public <I> I spawn(Class<I> type, ActorId id, Supplier<? extends I> factory) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(factory, "factory");
    refuseDirectSpawn(id);
    requireOpen();
    createCell(type, id, factory, Caller.anonymous(), OnTaken.REFUSE);
    return lookup(type, id);
  }

  /**
   * Traps when called inside an actor: {@code what} is the interface of an actor spawned with a
   * generated id, or the id (described only then: nothing is built on the way to a spawn).
   */
  private static void refuseDirectSpawn(Object what) {
    ExecutionContext c = Contexts.current();
    if (c != null) {
      String spawned = what instanceof Class<?> type ? "a " + type.getSimpleName() : what.toString();
      throw c.raise(new Trap(c.describe() + " cannot spawn " + spawned + " directly: inside an"
          + " actor, create actors with spawn(ActorClass, argument), a tentative effect of the turn"
          + " (rules R18, R20)"));
    }
  }

  @Override
  public <I> I spawnIfAbsent(Class<I> type, ActorId id, Supplier<? extends I> factory) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(factory, "factory");
    // inside an actor it traps whatever it would find: a turn's outcome must not depend on a race
    // with another creator of the id (rules R6, R20)
    refuseDirectSpawn(id);
    ActorCell cell = cells.get(id);
    if (cell == null) {
      requireOpen();
      // initializers cannot send messages, so the instance built by a thread that loses the race
      // has had no effect and is simply dropped
      cell = Objects.requireNonNull(createCell(type, id, factory, Caller.anonymous(),
          OnTaken.RETURN_EXISTING));
    }
    Object instance = cell.instance();
    if (!type.isInstance(instance)) {
      // a reference of type to it could only fail with code 3 (rules R1, R20): refused as a taken
      // id is refused by spawn, whoever created it, before or in a race with this one
      throw new IllegalArgumentException("An actor with id '" + id + "' already exists, of class "
          + instance.getClass().getName() + ", which does not implement " + type.getName());
    }
    return lookup(type, id);
  }

  @Override
  public <I> void registerVirtual(Class<I> type, Function<ActorId, ? extends I> factory) {
    refuseInsideActors("registerVirtual", "register virtual actors");
    Objects.requireNonNull(factory, "factory");
    MethodTable.of(Objects.requireNonNull(type, "type"));
    if (activators.putIfAbsent(type, factory) != null) {
      throw new IllegalArgumentException(type.getName() + " already has a virtual actor factory");
    }
  }

  /**
   * Returns the live actor a reference names, activating it first when its type is virtual and it
   * does not exist yet; null when there is no such actor.
   *
   * @throws CallError of code 5 when the activated actor's initializer traps
   */
  private @Nullable ActorCell resolveOrActivate(ActorProxy target) {
    return resolveOrActivate(target, null);
  }

  /**
   * As {@link #resolveOrActivate(ActorProxy)}; an actor it activates is first offered to {@code
   * admission}, once initialized and before it is registered: a reject it answers is thrown, and
   * nothing is created (see {@link #admit}).
   */
  private @Nullable ActorCell resolveOrActivate(ActorProxy target,
      @Nullable Function<ActorCell, @Nullable CallError> admission) {
    ActorCell cell = target.resolve();
    if (cell != null || closed) {
      return cell;
    }
    return buildVirtual(target, OnTaken.RETURN_EXISTING, admission);
  }

  /**
   * Builds the actor {@code target} names with its virtual type's factory, outside any turn, and
   * registers it as {@link #createCell} does with {@code onTaken}, or never
   * ({@link OnTaken#UNREGISTERED}); null when the type is not virtual.
   *
   * @throws CallError of code 5 when the initializer traps, of code 1 when the factory does not
   *     build an actor of the type
   */
  private @Nullable ActorCell buildVirtual(ActorProxy target, OnTaken onTaken,
      @Nullable Function<ActorCell, @Nullable CallError> admission) {
    Function<ActorId, ?> factory = activators.get(target.type());
    if (factory == null) {
      return null;
    }
    ExecutionContext previous = Contexts.enter(null); // activation is not part of any turn
    try {
      return createCell(target.type(), target.id, () -> factory.apply(target.id), Caller.anonymous(),
          onTaken, admission);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw factoryFailed(target, e);
    } finally {
      Contexts.restore(previous);
    }
  }

  /**
   * Traps when called inside an actor's turn, query, inspection or initializer: {@code method} of
   * the system is the host's. It takes effect at once, outside the turn, so no rollback would undo
   * it (rules R6, R17).
   */
  private static void refuseInsideActors(String method, String what) {
    ExecutionContext context = Contexts.current();
    if (context != null) {
      throw context.raise(new Trap(context.describe() + " cannot " + what + ": ActorSystem."
          + method + " is the host's, outside any turn, and no rollback would undo it (rules R6,"
          + " R17)"));
    }
  }

  /**
   * For a query to an id that has no actor, of a virtual type: the actor in its initial state, as
   * its factory builds it, but never registered (null when the type is not virtual). A query is a
   * read, and a read creates nothing (rule R19): no activation, no place against
   * {@link ActorSystemConfig#maxActors()}, no timer of its initializer. The query answers what a
   * first query right after an activation would (an update racing it is not lost: it activates
   * the actor that counts, and the query is answered as if it came before).
   *
   * @throws CallError of code 5 when the initializer traps, of code 1 when the factory does not
   *     build an actor of the type
   */
  private @Nullable ActorCell unactivated(ActorProxy target) {
    return buildVirtual(target, OnTaken.UNREGISTERED, null);
  }

  /**
   * The reject (code 1) for a virtual type's factory that did not build an actor of its type, for
   * an activation and for a query's unregistered instance alike.
   */
  private static CallError factoryFailed(ActorProxy target, RuntimeException e) {
    return new CallError(RejectCode.SYS_FATAL, "Cannot activate the virtual actor '" + target.id
        + "': " + e.getMessage(), e);
  }

  @Override
  public <I, P> Mono<I> spawn(ActorClass<I, P> actorClass, P argument) {
    Objects.requireNonNull(actorClass, "actorClass");
    ExecutionContext c = Contexts.current();
    if (c != null && !(c instanceof TurnContext)) {
      // before any capture: a creation refused here traps whatever the capture would do
      throw c.raise(new Trap(c.describe() + " cannot create actors (rules R18, R19)"));
    }
    ContextPropagation p = propagation;
    Object carried;
    try {
      carried = p == null ? null : p.capture();
    } catch (Throwable e) { // an Error too: it must not leave a message half-made
      if (c != null) {
        throw e; // in a turn, as any exception of its code: it traps
      }
      CallFuture<I> failed = new CallFuture<>(actorClass);
      failed.fail(captureFailed("the creation of a " + actorClass.type().getSimpleName(), e));
      return failed;
    }
    if (c instanceof TurnContext t) {
      SpawnRequest<I, P> request =
          new SpawnRequest<>(this, actorClass, argument, callerOf(t.cell), carried);
      t.outbox.add(request);
      return request.future;
    }
    CallFuture<I> future = new CallFuture<>(actorClass);
    if (closed) {
      future.fail(shutDown());
    } else {
      execute(() -> instantiate(actorClass, argument, Caller.anonymous(), future, carried));
    }
    return future;
  }

  @Override
  public <I> I lookup(Class<I> type, ActorId id) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    return proxy(type, id, Caller.anonymous(), CallOptions.none());
  }

  @Override
  public void topUp(ActorId id, long cycles) {
    Objects.requireNonNull(id, "id");
    ExecutionContext context = Contexts.current();
    if (context != null) {
      // committed at once, outside the turn's rollback: an actor holding the system would mint
      // cycles, which only move between actors with calls (rule R22)
      throw context.raise(new Trap(context.describe() + " cannot top up cycles: ActorSystem.topUp is the"
          + " host's, outside any turn (rule R22); an actor receives cycles attached to a call"));
    }
    if (cycles < 0) {
      throw new IllegalArgumentException("A top-up cannot be negative, was " + cycles);
    }
    ActorCell c = cells.get(id);
    if (c == null) {
      throw new CallError(RejectCode.DESTINATION_INVALID, "No actor '" + id + "'");
    }
    if (!c.topUp(cycles)) {
      throw new IllegalArgumentException("A top-up of " + cycles + " cycles would take the balance"
          + " of " + id + " (" + c.committedBalance() + ") past " + Long.MAX_VALUE);
    }
  }

  @Override
  public long cyclesBalance(ActorId id) {
    ActorCell c = cells.get(Objects.requireNonNull(id, "id"));
    if (c == null) {
      throw new CallError(RejectCode.DESTINATION_INVALID, "No actor '" + id + "'");
    }
    return c.committedBalance();
  }

  @Override
  public boolean contains(ActorId id) {
    return cells.contains(Objects.requireNonNull(id, "id"));
  }

  @Override
  public Set<ActorId> actorIds() {
    // a HashSet, not Set.copyOf: its open addressing clusters on sequential generated ids (5-8x
    // slower with a million of them)
    Set<ActorId> ids = new HashSet<>(Math.max(16, (int) (cells.size() / 0.75f) + 1));
    for (ActorCell c : cells) {
      ids.add(c.id);
    }
    return Collections.unmodifiableSet(ids);
  }

  @Override
  public int actorCount() {
    return cells.size();
  }

  @Override
  public List<ActorInfo> actors() {
    List<ActorInfo> list = new ArrayList<>(cells.size());
    for (ActorCell c : cells) {
      list.add(c.info());
    }
    return list;
  }

  @Override
  public List<ActorInfo> busiestActors(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, but was " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    // the `limit` deepest so far, shallowest on top: an idle system allocates `limit` entries
    PriorityQueue<Ranked> kept = new PriorityQueue<>(Comparator.comparingInt(Ranked::depth));
    for (ActorCell c : cells) {
      int depth = c.mailboxDepth();
      if (kept.size() < limit) {
        kept.add(new Ranked(c, depth));
      } else if (depth > kept.element().depth()) {
        kept.remove();
        kept.add(new Ranked(c, depth));
      }
    }
    List<Ranked> ranked = new ArrayList<>(kept);
    ranked.sort(Comparator.comparingInt(Ranked::depth).reversed()
        .thenComparing(r -> r.cell().id.value()));
    List<ActorInfo> infos = new ArrayList<>(ranked.size());
    for (Ranked r : ranked) {
      infos.add(r.cell().info(r.depth())); // the depth it was ranked by: the order holds
    }
    return infos;
  }

  /** An actor and the depth of its mailbox when {@link #busiestActors} read it. */
  private record Ranked(ActorCell cell, int depth) {
  }

  @Override
  public Optional<ActorInfo> actor(ActorId id) {
    ActorCell c = cells.get(Objects.requireNonNull(id, "id"));
    return c == null ? Optional.empty() : Optional.of(c.info());
  }

  @Override
  public long queuedMessages() {
    long sum = 0;
    for (ActorCell c : cells) {
      sum += c.mailboxDepth();
    }
    return sum;
  }

  @Override
  public int busyActors() {
    int busy = 0;
    for (ActorCell c : cells) {
      if (c.isBusy()) {
        busy++;
      }
    }
    return busy;
  }

  @Override
  public int deepestMailbox() {
    int max = 0;
    for (ActorCell c : cells) {
      max = Math.max(max, c.mailboxDepth());
    }
    return max;
  }

  @Override
  public Executor executor() {
    return this::execute;
  }

  @Override
  public long poolWakeUps() {
    return scheduler instanceof WorkStealingScheduler pool ? pool.stalledWakeUps() : 0;
  }

  @Override
  public int mailboxDepth(ActorId id) {
    ActorCell c = cells.get(Objects.requireNonNull(id, "id"));
    return c == null ? 0 : c.mailboxDepth();
  }

  @Override
  public Mono<Void> shutdown(Duration gracePeriod) {
    // besides no rollback undoing it, the shutdown would wait for the very turn that called it
    refuseInsideActors("shutdown", "shut the system down");
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("A shutdown's grace period cannot be negative, was "
          + gracePeriod);
    }
    CallFuture<Void> done;
    synchronized (this) {
      CallFuture<Void> existing = terminated;
      if (existing != null) {
        return existing;
      }
      done = new CallFuture<>(this);
      this.gracePeriod = gracePeriod;
      terminated = done;
      closed = true;
    }
    List<ActorCell> queued = new ArrayList<>();
    for (ActorCell c : cells) {
      c.cancelTimers();
      if (c.hasWaitingEnvelopes()) {
        queued.add(c);
      }
    }
    draining = queued.toArray(new ActorCell[0]);
    if (drained()) {
      terminate();
      return done;
    }
    Disposable grace = scheduleWait(this::expire, this::expire, gracePeriod);
    if (grace == REFUSED) {
      // the scheduler cannot time the grace period (one the application supplied and disposed or
      // saturated): it ends now, as a bounded wait the scheduler refuses does (rule R22), rather
      // than the suspended calls and the shutdown's future waiting for ever
      expire();
      return done;
    }
    graceTimer = grace;
    // the call that finishes last (callFinished) or the actor whose mailbox runs empty last
    // (mailboxEmptied) normally ends the shutdown, but a pool thread counts with plain stores, so
    // it and this thread may each miss the other's update: the count is checked again at short
    // intervals until it reaches zero. Only then: on the system's pool (whose threads may count
    // calls, the first ones after this reading too), or once a pool thread counted calls for this
    // system (one that ran an actor whose executor refused it); a call counted on the shared
    // atomic counters (a deterministic scheduler's, on virtual time, which a recheck would poll)
    // is seen by this thread or sees it closed
    Disposable check = scheduler instanceof WorkStealingScheduler || inFlight.countsOnPoolThreads()
        ? schedulePeriodically(this::terminateIfDrained, DRAIN_CHECK_INTERVAL)
        : Disposables.disposed();
    drainCheck = check;
    if (ending.get()) { // ending meanwhile, perhaps before it could see the timers
      grace.dispose();
      check.dispose();
    } else {
      terminateIfDrained();
    }
    return done;
  }

  private void terminateIfDrained() {
    if (drained()) {
      terminate();
    }
  }

  /**
   * Whether every call a shutdown waits for is answered: the mailboxes that held envelopes when it
   * began are empty, and no call taken out of a mailbox is still in flight. The mailboxes are read
   * first: a call is counted in flight before it leaves its mailbox's count (see
   * {@code Call.starting}), so a call that moves between the two during the reading is seen in one
   * of them. An actor's mailbox seen empty is not read again: once the system is closed, only
   * the continuations of calls in flight (counted already) and calls whose senders raced the
   * shutdown (answered with code 2 by the stopped actor, as before) can enter it. Any thread.
   */
  private boolean drained() {
    ActorCell[] queued = draining;
    if (queued == null) {
      return false;
    }
    int seen = seenEmpty;
    int i = seen;
    while (i < queued.length && !queued[i].hasWaitingEnvelopes()) {
      i++;
    }
    if (i > seen) {
      seenEmpty = i; // racy on purpose: a lower value written by another thread only reads again
    }
    return i == queued.length && inFlight.isZero() && pendingQueries.isEmpty();
  }

  /** The grace period is over: answer what is still running and stop every actor. */
  private void expire() {
    String reason = stopReason();
    for (ActorCell c : cells) {
      c.stop(reason);
    }
    endPendingQueries(true);
    terminate();
  }

  private String stopReason() {
    return "The actor system '" + config.name() + "' shut down before the call replied;"
        + " what it committed at earlier awaits stays";
  }

  /**
   * Ends the queries still waiting (see {@link #pendingQueries}): with code 6 at the end of the
   * grace period, as the calls suspended then, else (one whose first part outlasted the shutdown)
   * with code 2. The queries no composite query made come first: a composite query's end ends the
   * queries it made with it (see {@link QueryContext#endChildren}), so that none of them answers a
   * composite query that could still catch its error and answer.
   */
  private void endPendingQueries(boolean graceOver) {
    for (QueryReply q : pendingQueries) {
      if (q.isRoot()) {
        q.shutDown(graceOver);
      }
    }
    for (QueryReply q : pendingQueries) {
      q.shutDown(graceOver);
    }
  }

  /** Whether the shutdown has ended (its future completed). Any thread. */
  private boolean isTerminated() {
    CallFuture<Void> done = terminated;
    return done != null && done.isSettled();
  }

  private void terminate() {
    CallFuture<Void> done = terminated;
    if (done == null || !ending.compareAndSet(false, true)) {
      return;
    }
    Watchdog.unwatch(this);
    Disposable g = graceTimer;
    if (g != null) {
      g.dispose();
    }
    Disposable check = drainCheck;
    if (check != null) {
      check.dispose();
    }
    // stopped before the future completes: whoever it tells that the shutdown is over (close(),
    // a host's next step) must not see a turn start after it, as a oneway's continuation, which
    // the shutdown does not wait for, would if its actor were taken meanwhile
    // the awaits that oneways, and calls answered already, left pending are cancelled by their
    // stopped actors, here for the idle ones (see ActorCell.stopAtTheEnd), before the future
    // completes, as the end of the grace period does for the suspended calls
    String reason = stopReason();
    for (ActorCell c : cells) {
      c.stopAtTheEnd(reason);
    }
    done.complete(null);
    endPendingQueries(false); // those whose first part ended as the shutdown did (see pending)
    if (ownsScheduler) {
      // gracefully: the bounded waits still pending (their callees never answered: an actor stuck
      // in a turn) must still end their calls with code 6 when due, rule R22; a forceful dispose
      // dropped them, and their callers waited for ever
      scheduler.disposeGracefully().subscribe();
    }
  }

  @Override
  public void close() {
    Mono<Void> done = shutdown(config.shutdownGracePeriod());
    if (ownsScheduler && Contexts.current() == null && !Schedulers.isInNonBlockingThread()) {
      Duration wait = closeWait();
      if (wait == null) {
        done.block();
      } else {
        done.block(wait);
      }
    }
  }

  /**
   * How long {@link #close} waits for the shutdown: the grace period of the shutdown in effect
   * (an earlier {@code shutdown(grace)}'s, which may be longer than the configured one, else the
   * configured one), which its timer ends, plus a margin for a slow timer thread; null, no bound,
   * for a grace period of centuries (past what a long counts in nanoseconds). Once the shutdown
   * began.
   */
  @Nullable Duration closeWait() {
    Duration grace = gracePeriod;
    if (grace == null) {
      grace = config.shutdownGracePeriod();
    }
    return grace.compareTo(NEVER_DUE) >= 0 ? null : grace.plusSeconds(30);
  }

  // ---- creation

  <I> I proxy(Class<I> type, ActorId id, Caller ingressCaller, CallOptions options) {
    return proxy(type, id, ingressCaller, options, null);
  }

  <I> I proxy(Class<I> type, ActorId id, Caller ingressCaller, CallOptions options,
      @Nullable ActorCell cyclesPayer) {
    ActorProxy handler = new ActorProxy(this, type, id, ingressCaller, options, cyclesPayer);
    return type.cast(ProxyConstructors.newProxy(type, handler));
  }

  /**
   * Creates an instance of {@code actorClass} for {@code future}, its initializer run in {@code
   * carried}, the context of the spawn's caller, if not null (a restore that fails fails the
   * creation with code 5, as a trap of the initializer does).
   */
  <I, P> void instantiate(ActorClass<I, P> actorClass, P argument, Caller creator,
      CallFuture<I> future, @Nullable Object carried) {
    if (carried == null) {
      instantiate(actorClass, argument, creator, future);
      return;
    }
    String what = "the creation of a " + actorClass.type().getSimpleName();
    ContextPropagation.Scope restored;
    try {
      restored = restoreCarried(carried, what);
    } catch (Trap e) {
      future.fail(new CallError(RejectCode.CANISTER_ERROR, e.getMessage(), e));
      return;
    }
    try {
      instantiate(actorClass, argument, creator, future);
    } finally {
      closeCarried(restored, what);
    }
  }

  private <I, P> void instantiate(ActorClass<I, P> actorClass, P argument, Caller creator,
      CallFuture<I> future) {
    Class<I> type = actorClass.type();
    try {
      requireOpen();
      ActorCell cell = createWithGeneratedId(type, () -> actorClass.newInstance(argument), creator);
      future.complete(lookup(type, cell.id));
    } catch (CallError e) {
      future.fail(e);
    } catch (RuntimeException e) {
      future.fail(new CallError(RejectCode.SYS_FATAL, "Cannot create a " + type.getSimpleName()
          + ": " + e.getMessage(), e));
    }
  }

  /** What {@link #createCell} does when the id is taken. */
  private enum OnTaken {
    /** Throws {@link IllegalArgumentException}. */
    REFUSE,
    /** Returns the actor that has the id. */
    RETURN_EXISTING,
    /** Returns null (the caller tries another id). */
    RETURN_NULL,
    /**
     * Never registers the actor, so its id being taken does not matter: a query's throw-away
     * instance of a virtual actor (see {@link #unactivated}), not counted against {@link
     * ActorSystemConfig#maxActors()}, whose initializer's effects (timers) are never released.
     */
    UNREGISTERED
  }

  /**
   * Creates an actor under the next generated id ({@code counter-3}). The id is not looked up
   * first: a generated id can be taken only by an actor spawned under a chosen id of the same
   * form, and then the actor is built again under the next one (its first instance, whose
   * initializer could have no effect, is dropped).
   */
  private ActorCell createWithGeneratedId(Class<?> type, Supplier<?> factory, Caller creator) {
    String prefix = ID_PREFIXES.get(type);
    while (true) {
      ActorCell cell = createCell(type, ActorId.of(prefix, ids.incrementAndGet()), factory, creator,
          OnTaken.RETURN_NULL);
      if (cell != null) {
        return cell;
      }
    }
  }

  private @Nullable ActorCell createCell(Class<?> type, ActorId id, Supplier<?> factory,
      Caller creator, OnTaken onTaken) {
    return createCell(type, id, factory, creator, onTaken, null);
  }

  /**
   * As {@link #createCell(Class, ActorId, Supplier, Caller, OnTaken)}; a new actor is offered to
   * {@code admission}, if any, once initialized and before it is registered: a reject it answers
   * is thrown, and the actor is dropped.
   */
  private @Nullable ActorCell createCell(Class<?> type, ActorId id, Supplier<?> factory,
      Caller creator, OnTaken onTaken,
      @Nullable Function<ActorCell, @Nullable CallError> admission) {
    MethodTable.of(type);
    if (onTaken == OnTaken.RETURN_EXISTING) {
      ActorCell existing = cells.get(id);
      if (existing != null) {
        return existing;
      }
    }
    ActorCell cell = new ActorCell(this, id, type, creator, config.mailboxCapacity(),
        config.initialBalance());
    int limit = config.maxActors();
    if (limit > 0 && onTaken != OnTaken.UNREGISTERED && cells.size() >= limit) {
      // before its initializer runs; the id may have been taken meanwhile (by the actor that a
      // concurrent first call activated): that one is answered, not refused
      return taken(cells.existingAtLimit(cell, limit), id, onTaken);
    }
    InitContext init = InitContext.acquire(cell);
    try {
      return initializeAndRegister(cell, init, factory, onTaken, admission);
    } finally {
      init.release();
    }
  }

  /**
   * Runs the initializer of {@code cell} under {@code init} and registers the actor, then starts
   * the initializer's effects: see {@link #createCell}.
   */
  private @Nullable ActorCell initializeAndRegister(ActorCell cell, InitContext init,
      Supplier<?> factory, OnTaken onTaken,
      @Nullable Function<ActorCell, @Nullable CallError> admission) {
    initialize(cell, init, factory);
    if (onTaken == OnTaken.UNREGISTERED) {
      return cell; // it never exists: its initializer's effects are dropped with it
    }
    if (admission != null) {
      CallError refusal = admission.apply(cell);
      if (refusal != null) {
        throw refusal; // before it exists: the actor and its initializer's effects are dropped
      }
    }
    // its timers are registered first: once it is, a turn may cancel them on another thread
    // before they start (a creation refused below drops them with the actor)
    init.reserveEffects();
    // one lookup: a duplicate id is found here, after its (effect-free) initializer ran
    ActorCell existing = cells.putIfAbsent(cell, config.maxActors());
    if (existing != null) {
      return taken(existing, cell.id, onTaken);
    }
    if (closed) {
      // a shutdown began while the actor was created (its creation found the system open): its
      // passes over the actors may have missed it, and it may have ended already. The actor is
      // stopped here, with the timers its initializer reserved, and the creation refused as one
      // made after the shutdown began. Of the insert above and the shutdown's write of closed
      // (both volatile), one sees the other: read open here, the shutdown's passes that follow
      // see the actor
      cell.markStopped();
      cell.cancelTimers();
      throw shutDown();
    }
    init.releaseEffects();
    return cell;
  }

  /**
   * Runs the initializer of {@code cell} under {@code init}: the cell then holds the new instance
   * and its initial committed state (see {@link #createCell}).
   */
  private void initialize(ActorCell cell, InitContext init, Supplier<?> factory) {
    ActorId id = cell.id;
    Class<?> type = cell.type;
    ExecutionContext previous = Contexts.enter(init);
    Object instance;
    try {
      instance = factory.get();
      init.throwIfRaised(); // the initializer caught a trap: it still traps
    } catch (Throwable thrown) {
      Throwable t = init.raised != null ? init.raised : thrown; // a trap it caught comes first
      // a Trap says why in its own words; another exception is named (as in Call.describeTrap)
      String why = t instanceof Trap ? t.getMessage()
          : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
      throw RuntimeErrors.trapped(id, type, TrapSite.INITIALIZER,
          id + " trapped in its initializer: " + why, t);
    } finally {
      Contexts.restore(previous);
    }
    if (!(instance instanceof Actor) || !returnsTheBoundInstance(init.bound, instance)) {
      throw new IllegalArgumentException("The factory of " + id + " must construct and return a"
          + " new actor (a subclass of " + Actor.class.getName() + "), the one it constructed,"
          + " but returned " + instance);
    }
    ActorProxy.requireActorType(type, instance.getClass());
    int capacity = DECLARED_CAPACITY.get(instance.getClass());
    if (capacity != NO_DECLARED_CAPACITY && capacity != config.mailboxCapacity()) {
      if (capacity < 0) {
        throw new IllegalArgumentException("@MailboxCapacity of " + instance.getClass().getName()
            + " cannot be negative");
      }
      cell.capacity(capacity);
    }
    cell.initialized(instance);
  }

  /**
   * Whether a factory returned the instance whose constructor bound it to the new actor, or a
   * proxy of that instance: an object of a subclass of its class, such as the subclass Spring
   * makes to apply advice to a bean, which delegates to the instance and whose {@code Actor}
   * constructor never ran (else it would have been refused as a second binding). An object whose
   * {@code Actor} constructor ran, of the bound instance's class or of a subclass (one built for an
   * earlier actor, returned beside the new one), is refused: two actors would run their turns on
   * it, racing for its plain fields (rule R1).
   */
  private static boolean returnsTheBoundInstance(@Nullable Object bound, Object instance) {
    return bound == instance || bound != null && instance.getClass() != bound.getClass()
        && bound.getClass().isInstance(instance) && !ActorCell.isBound(instance);
  }

  /** What creating an actor under {@code id} answers when {@code existing} has that id. */
  private static @Nullable ActorCell taken(ActorCell existing, ActorId id, OnTaken onTaken) {
    switch (onTaken) {
      case RETURN_EXISTING:
        return existing;
      case RETURN_NULL:
        return null;
      default:
        throw new IllegalArgumentException("An actor with id '" + id + "' already exists");
    }
  }

  private void requireOpen() {
    if (closed) {
      throw shutDown();
    }
  }

  private CallError shutDown() {
    return new CallError(RejectCode.SYS_TRANSIENT, shutDownMessage());
  }

  String shutDownMessage() {
    return "The actor system '" + config.name() + "' is shut down";
  }

  // ---- messaging

  /** Sends a call through a reference, according to the current thread's context. */
  @Nullable Object send(ActorProxy target, MethodInfo method, Object[] args) {
    ExecutionContext c = Contexts.current();
    if (c == null) {
      return ingress(target, method, args);
    }
    if (c instanceof TurnContext t) {
      ActorCell sender = t.cell;
      Caller caller = callerOf(sender);
      if (method.kind.isQuery()) {
        QueryCall q = new QueryCall(this, target, method, args, caller);
        t.outbox.add(q);
        return q.future;
      }
      ContextPropagation p = propagation;
      // the turn's thread holds the context restored for the turn: it flows on with the call.
      // Captured before any cycles are taken: a capture that throws, caught by the turn's code,
      // has made no call and taken nothing (rule R22)
      Object carried = p == null ? null : p.capture();
      // a reference's cycles are attached only by the actor that applied them (rule R22): one
      // received in a message, or made elsewhere, cannot spend this actor's cycles
      long cycles = target.options.attachedCycles();
      if (cycles > 0) {
        if (target.cyclesPayer != sender) {
          cycles = 0;
        } else {
          try {
            sender.debit(cycles, "attaching cycles to " + method);
          } catch (Trap outOfCycles) {
            throw t.raise(outOfCycles);
          }
        }
      }
      Call call = Call.create(target, method, args, caller, sender, cycles, carried);
      t.outbox.add(call);
      return call.reply;
    }
    if (c instanceof QueryContext q) {
      if (!q.composite) {
        throw q.raise(new Trap(c.describe() + " cannot send messages (rule R19): it called "
            + method + " on " + target.id));
      }
      if (!method.kind.isQuery()) {
        throw q.raise(new Trap(c.describe() + " can only call query methods, not the update "
            + method + " on " + target.id + " (rule R19)"));
      }
      CallFuture<Object> future = new CallFuture<>(method);
      executeQuery(target, method, args, callerOf(q.cell), future, q);
      return future;
    }
    throw c.raise(new Trap(c.describe() + " cannot send messages (rule R18): it called " + method
        + " on " + target.id));
  }

  /**
   * The caller that a call (or the creation of an actor) made by {@code sender} carries to an actor
   * of this system: the sender itself if it belongs to this system, else, since an id names an
   * actor of one system only, the foreign actor of that id and that system (its {@link #serial},
   * not only its name): it must not pass for this system's actor of that id, for a principal, or
   * for an actor of another system of the same name (rule R21).
   */
  private Caller callerOf(ActorCell sender) {
    return sender.runtime == this ? sender.self() : Caller.foreignActor(sender.runtime, sender.id);
  }

  /**
   * Restores {@code carried}, a context {@link #propagation} captured, on this thread for a turn
   * (or a part of a composite query) of {@code owner}, a call or a query. A failure is a trap of
   * that turn (rule R12), whose message says so: the turn does not run without its context.
   */
  ContextPropagation.Scope restoreCarried(Object carried, Object owner) {
    ContextPropagation p = Objects.requireNonNull(propagation);
    try {
      return Objects.requireNonNull(p.restore(carried), "the restored context's scope");
    } catch (Throwable e) { // an Error too: it must not leave a message half-made
      throw new Trap("Restoring the context that " + owner + " carries failed (the"
          + " ContextPropagation threw " + e + ")", e);
    }
  }

  /**
   * Closes the scope of a context restored for a turn, a composite query's part or an initializer
   * of {@code owner}, after it; a failure, an {@link Error} too, is logged here, once, as a
   * warning (what ran is over: nothing of it can be undone), and goes no further: a composite
   * query's part must not leave the parts queued behind it unrun.
   */
  void closeCarried(ContextPropagation.Scope restored, Object owner) {
    try {
      restored.close();
    } catch (Throwable e) {
      LOG.warn("Closing the context restored for " + owner + " failed: the thread may keep some"
          + " of it", e);
    }
  }

  @Nullable Duration defaultTimeout() {
    return defaultTimeout;
  }

  private @Nullable Object ingress(ActorProxy target, MethodInfo method, Object[] args) {
    requireNoCycles(target, method);
    if (method.kind.isQuery()) {
      CallFuture<Object> future = new CallFuture<>(method);
      executeQuery(target, method, args, target.ingressCaller, future);
      return future;
    }
    Call call;
    try {
      call = ingressCall(target, method, args);
    } catch (CallError uncaptured) {
      return refuseUncaptured(target, method, uncaptured);
    }
    admitOrRefuse(call, target, method, args);
    return call.reply;
  }

  /**
   * An ingress call, carrying its sender's context if the system propagates one.
   *
   * @throws CallError the refusal, code 5, of a call whose context capture threw
   */
  private Call ingressCall(ActorProxy target, MethodInfo method, Object[] args) {
    ContextPropagation p = propagation;
    if (p == null) {
      return Call.create(target, method, args, target.ingressCaller, null, 0);
    }
    Object carried;
    try {
      carried = p.capture();
    } catch (Throwable e) { // an Error too: it must not leave a message half-made
      throw captureFailed("the call of " + method + " on " + target.id, e);
    }
    return Call.create(target, method, args, target.ingressCaller, null, 0, carried);
  }

  /**
   * Refuses an ingress call whose sender's context could not be captured, with code 5, as a
   * message refused before it was queued: its future fails (a oneway has none), the listener is
   * told.
   */
  private @Nullable CallFuture<Object> refuseUncaptured(ActorProxy target, MethodInfo method,
      CallError refusal) {
    Runnable tell = () -> rejected(target.id, target.type(), method.name, refusal.code());
    if (method.kind == MethodInfo.Kind.ONEWAY) {
      tell.run();
      return null;
    }
    CallFuture<Object> future = new CallFuture<>(method);
    future.fail(refusal, tell);
    return future;
  }

  /** The refusal, code 5, of a message whose sender's context could not be captured. */
  private static CallError captureFailed(String what, Throwable e) {
    return new CallError(RejectCode.CANISTER_ERROR, "Capturing the context of " + what
        + " failed (the ContextPropagation threw " + e + ")", e);
  }

  /** Refuses a reference that attaches cycles to an ingress call: only an actor can (rule R22). */
  private static void requireNoCycles(ActorProxy target, MethodInfo method) {
    if (target.options.attachedCycles() > 0) {
      throw new IllegalArgumentException("Only an actor can attach cycles to a call (rule R22):"
          + " the ingress call to " + method + " on " + target.id + " comes from outside the system");
    }
  }

  /**
   * Sends a oneway from outside the system as {@link #send} does, but throws the reject that
   * refuses it before it is queued (see {@code ActorRefs.sendOneway}).
   */
  void sendIngressOneway(ActorProxy target, MethodInfo method, Object[] args) {
    if (method.kind != MethodInfo.Kind.ONEWAY) {
      throw new IllegalArgumentException(method + " is not a oneway: call it through the reference");
    }
    ExecutionContext c = Contexts.current();
    if (c != null) {
      throw new IllegalStateException(c.describe() + " sends " + method + " as an actor, not as an"
          + " ingress call: call it through the reference (it is queued when the turn commits)");
    }
    requireNoCycles(target, method);
    Call call;
    try {
      call = ingressCall(target, method, args);
    } catch (CallError uncaptured) {
      rejected(target.id, target.type(), method.name, uncaptured.code());
      throw uncaptured;
    }
    CallError refusal = admitOrRefuse(call, target, method, args);
    if (refusal != null) {
      throw refusal;
    }
  }

  /**
   * Queues an ingress update call ({@link #admit}), or answers it with the reject that refuses it.
   *
   * @return that reject, or null once the call is queued
   */
  private @Nullable CallError admitOrRefuse(Call call, ActorProxy target, MethodInfo method,
      Object[] args) {
    CallError refusal = admit(call, target, method, args);
    if (refusal != null) {
      call.refuse(refusal);
    }
    return refusal;
  }

  /**
   * Queues an ingress update call: activates its actor if need be, has the actor inspect it (rule
   * R26), and puts it in the mailbox.
   *
   * @return the reject that refuses it, which the caller answers it with, or null once it is queued
   */
  private @Nullable CallError admit(Call call, ActorProxy target, MethodInfo method,
      Object[] args) {
    if (closed) {
      return shutDown(); // before any inspection runs: a closed system's actors take no call
    }
    ActorCell cell = target.resolve();
    ActorCell inspected = null;
    if (cell == null) {
      // a virtual actor not activated yet is inspected before it is registered: a call its
      // inspection refuses creates nothing (rule R26)
      ActorCell[] offered = new ActorCell[1];
      try {
        cell = resolveOrActivate(target, created -> {
          offered[0] = created;
          Predicate<IngressMessage> check = created.inspector;
          return check == null ? null : inspect(created, target.type(), check, method, args,
              target.ingressCaller);
        });
      } catch (CallError refusedOrTrapped) {
        return refusedOrTrapped;
      }
      if (cell == null) {
        return enqueue(call); // no such actor, or the system is closed
      }
      inspected = offered[0];
    }
    // before the inspection: an actor of another type runs nothing of a call it cannot take
    CallError foreign = notOfType(cell, target, method);
    if (foreign != null) {
      return foreign;
    }
    // the field, not an accessor: a method returning a Predicate is not inlined while this class's
    // loader has not resolved Predicate itself, which no actor without an inspector makes it do
    Predicate<IngressMessage> inspector = cell.inspector;
    if (inspector != null && cell != inspected) { // an activation that lost a race: inspect now
      CallError refusal = inspect(cell, target.type(), inspector, method, args,
          target.ingressCaller);
      if (refusal != null) {
        return refusal;
      }
    }
    return enqueue(call, cell);
  }

  /**
   * The refusal of {@code method}, called through {@code target}, a reference of one type, on
   * {@code cell}, an actor whose class does not implement that type (code 3, as a method the actor
   * does not have: rules R1, R23), which names the actor as data ({@link
   * CallError#actorOfAnotherType()}); null when it does.
   */
  private static @Nullable CallError notOfType(ActorCell cell, ActorProxy target,
      MethodInfo method) {
    if (cell.type == target.type() || method.isImplementedBy(cell.instance())) {
      return null;
    }
    return RuntimeErrors.ofAnotherType(cell.id, cell + " has no method " + method);
  }

  /**
   * Runs an actor's ingress inspection (rule R26) in a query context: it reads committed state,
   * its writes are discarded, and it cannot send.
   *
   * @return the reject that refuses the call, or null to accept it
   */
  private @Nullable CallError inspect(ActorCell cell, Class<?> type,
      Predicate<IngressMessage> inspector, MethodInfo method, Object[] args, Caller caller) {
    QueryContext context = new QueryContext(cell, method, caller, true);
    ExecutionContext previous = Contexts.enter(context);
    try {
      IngressMessage message = new IngressMessage(caller, method.name, Arrays.asList(args));
      boolean accepted = inspector.test(message);
      context.throwIfRaised(); // the inspection caught a trap: it still traps
      if (accepted) {
        return null;
      }
      return new CallError(RejectCode.CANISTER_REJECT, cell.id + " refused the ingress call to "
          + method + " from " + caller + " (rule R26)");
    } catch (Throwable t) {
      Trap raised = context.raised; // a trap the inspection caught comes first, whatever it threw
      Throwable failure = raised != null ? raised : t;
      if (failure instanceof CallError e) {
        return Call.asReject(e);
      }
      return RuntimeErrors.trapped(cell.id, type, "the ingress inspection of " + method,
          Call.describeTrap(cell.id, method, failure) + " (in its ingress inspection)", failure);
    } finally {
      Contexts.restore(previous);
    }
  }

  /**
   * Puts a committed (or ingress) call in its target's mailbox, or answers it with a clean reject.
   *
   * @return whether it was queued
   */
  boolean deliver(Call call) {
    CallError refusal = enqueue(call);
    if (refusal != null) {
      call.refuse(refusal);
      return false;
    }
    return true;
  }

  /**
   * Puts a call in its target's mailbox, activating the target if need be.
   *
   * @return the clean reject that refuses it, which the caller answers it with, or null once queued
   */
  private @Nullable CallError enqueue(Call call) {
    if (closed) {
      return shutDown();
    }
    ActorCell cell;
    try {
      cell = resolveOrActivate(call.target);
    } catch (CallError trapped) {
      return trapped;
    }
    if (cell == null) {
      return new CallError(RejectCode.DESTINATION_INVALID, "No actor '" + call.target.id + "'");
    }
    return enqueue(call, cell);
  }

  /** As {@link #enqueue(Call)}, to {@code cell}, the live actor its reference names. */
  private @Nullable CallError enqueue(Call call, ActorCell cell) {
    if (closed) {
      return shutDown();
    }
    CallError foreign = notOfType(cell, call.target, call.method);
    if (foreign != null) {
      return foreign;
    }
    if (!cell.reserve()) {
      // refused before its bounded wait starts: code 2, never the code 6 of a wait that ran out
      // first (rule R12a)
      return new CallError(RejectCode.SYS_TRANSIENT, "The mailbox of " + cell + " is full"
          + " (capacity " + cell.capacity() + "): try again later");
    }
    call.cell = cell;
    // its bounded wait starts before it can run: a fast callee may finish it before the push
    // returns
    if (!call.queued()) {
      // a bound that can never run: refused, clean, rather than left waiting unbounded (R22)
      cell.unreserve();
      return new CallError(RejectCode.SYS_TRANSIENT, closed
          ? shutDownMessage() + ": the bounded wait of the call to " + call.method + " on "
              + call.target.id + " could not start, and it was not queued"
          : "The scheduler of the actor system '" + config.name() + "' refused the bounded wait"
              + " of the call to " + call.method + " on " + call.target.id + ": it was not queued");
    }
    cell.enqueueReserved(call);
    return null;
  }

  /**
   * Executes a query at once on the current thread, against the target's committed snapshot
   * (rule R19), and completes {@code future} with its result, once the query's context is left:
   * what the future's subscribers run then is not the query's code (rules R17, R21). Once the
   * system is closed, it answers code 2 instead, as for an update: an ingress query, and one sent
   * by a turn that runs during the shutdown's grace period. A query still unanswered when its
   * first part has run waits at most the target's bounded wait (its {@code CallOptions} timeout,
   * else the system's default one), then fails with code 6 and is cancelled (rule R22; see {@link
   * QueryReply#bound}); bounded or not, a shutdown waits for it as for a call, and cuts it short
   * with code 6 at the end of its grace period (see {@link QueryReply#pending}).
   *
   * @return whether the query ran: false if it was refused before (a closed system, no such actor
   *     or method, an initializer that trapped), a message that could not be made (rule R22)
   */
  boolean executeQuery(ActorProxy target, MethodInfo method, Object[] args, Caller caller,
      CallFuture<Object> future) {
    return executeQuery(target, method, args, caller, future, null);
  }

  /**
   * As {@link #executeQuery(ActorProxy, MethodInfo, Object[], Caller, CallFuture)}, for a query
   * that the composite query {@code parent} makes (null for any other): one still unanswered when
   * its first part has run is cancelled when {@code parent} ends first, as at its own bound, so
   * that the bound and the end of a composite query reach what it waits for (rules R19, R22).
   */
  private boolean executeQuery(ActorProxy target, MethodInfo method, Object[] args, Caller caller,
      CallFuture<Object> future, @Nullable QueryContext parent) {
    if (closed) {
      refuseQuery(target, method, future, shutDown());
      return false;
    }
    ActorCell cell;
    try {
      cell = target.resolve();
      if (cell == null) {
        cell = unactivated(target); // reads create nothing
      }
    } catch (CallError trapped) {
      refuseQuery(target, method, future, trapped);
      return false;
    }
    if (cell == null) {
      refuseQuery(target, method, future,
          new CallError(RejectCode.DESTINATION_INVALID, "No actor '" + target.id + "'"));
      return false;
    }
    CallError foreign = notOfType(cell, target, method);
    if (foreign != null) {
      refuseQuery(target, method, future, foreign);
      return false;
    }
    QueryContext query = new QueryContext(cell, method, caller, false);
    if (query.composite) {
      ContextPropagation p = propagation;
      if (p != null) {
        // its first part runs on this thread, in the caller's context: the later parts restore it
        try {
          query.carried = p.capture();
        } catch (Throwable e) { // an Error too: it must not leave a message half-made
          // a query made in a turn runs at its commit, whose other effects must still be released
          refuseQuery(target, method, future,
              captureFailed("the composite query " + method + " on " + target.id, e));
          return false;
        }
      }
      query.hold(); // its awaits' continuations wait for this first part (see QueryContext)
    }
    // the future is answered once the query's context is left: what its subscribers run then (a
    // flatMap of the caller's awaited Mono) is not the query's code (rules R17, R19, R21)
    Object value = null;
    Throwable failure = null;
    QueryReply reply = null;
    ExecutionContext previous = Contexts.enter(query);
    try {
      Object result = method.invoke(cell.instance(), args);
      query.throwIfRaised(); // the query caught a trap: it still traps
      Fuseable.ScalarCallable<?> scalar = ScalarMonos.scalar(result);
      if (scalar != null) {
        // Mono.just, Mono.empty, Mono.error: the outcome is known without subscribing
        value = scalar.call();
      } else if (result != null) {
        reply = new QueryReply(this, query, target.type(), method, future, parent);
        if (query.composite) {
          query.reply = reply; // its later parts answer it when they end (QueryContext.runPart)
        }
        ((Mono<?>) result).subscribe(reply);
      } else {
        throw new NullPointerException(method + " returned null instead of a Mono");
      }
    } catch (Throwable t) {
      Trap raised = query.raised; // a trap the query caught comes first, whatever it threw
      failure = raised != null ? raised : Exceptions.unwrap(t);
    } finally {
      Contexts.restore(previous);
    }
    try {
      if (failure != null) {
        queryFailed(cell, target.type(), method, future, failure);
      } else if (reply == null) {
        future.complete(value);
      } else {
        reply.answerIfEnded(); // after what the Mono ran once it ended (a doFinally)
      }
    } finally {
      if (query.composite) {
        query.release();
      }
    }
    if (reply != null && !future.isDone()) {
      if (parent != null) {
        parent.adopt(reply);
        if (future.isDone()) {
          parent.forget(reply); // answered meanwhile on another thread, maybe before adopted
        }
      }
      reply.pending();
      if (parent == null) {
        future.answers(reply); // a composite query's chain may yet subscribe to it, and adopt it
      }
      if (target.timesOut && !future.isDone()) {
        reply.bound(Objects.requireNonNull(target.timeout));
      }
    } else if (query.composite) {
      query.endChildren(); // answered in its first part: what it made and left running ends too
    }
    return true;
  }

  /**
   * Fails a query's future with a reject the runtime chose before running it (no such actor or
   * method, a failed activation, a closed system), telling the listener as for any failed call.
   */
  private void refuseQuery(ActorProxy target, MethodInfo method, CallFuture<Object> future,
      CallError refusal) {
    future.fail(refusal, () -> rejected(target.id, target.type(), method.name, refusal.code()));
  }

  /**
   * Fails a query's future: code 4 for a {@link CallError} it let escape, else code 5; {@code type}
   * is the interface of the reference it was called through.
   */
  private void queryFailed(ActorCell cell, Class<?> type, MethodInfo method,
      CallFuture<Object> future, Throwable t) {
    if (t instanceof CallError ce) {
      future.fail(Call.asReject(ce),
          () -> rejected(cell.id, type, method.name, RejectCode.CANISTER_REJECT));
    } else {
      future.fail(RuntimeErrors.trapped(cell.id, type, method.displayName,
              Call.describeTrap(cell.id, method, t), t),
          () -> rejected(cell.id, type, method.name, RejectCode.CANISTER_ERROR));
    }
  }

  /**
   * Tells the listener that a call to {@code actor} through a reference of interface {@code type}
   * failed with {@code code}.
   */
  void rejected(ActorId actor, Class<?> type, String method, RejectCode code) {
    TurnListener l = listener;
    if (l != null) {
      try {
        l.callRejected(actor, type, method, code);
      } catch (Throwable e) { // an Error too: it would stop a reply or a turn's end half-way
        listenerFailed(e);
      }
    }
  }

  /**
   * The listener threw: its first failure is logged as a warning with its stack, the others at
   * debug level (a listener that fails at every turn would flood the log from the hot path).
   * Thread-safe: one warning, whichever thread fails first.
   */
  void listenerFailed(Throwable e) {
    if (listenerFailureLogged.compareAndSet(false, true)) {
      LOG.warn("The TurnListener " + listener + " of the actor system '" + config.name()
          + "' failed; its further failures are logged at debug level", e);
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("The TurnListener " + listener + " failed again", e);
    }
  }

  /**
   * A oneway, or a timer's job, trapped: nobody hears of it. On an exception that is not the
   * toolkit's (a {@code NullPointerException}: a bug) it is logged as a warning with its stack,
   * naming the actor and the method (or timer), the first time a method of that interface (or a
   * timer of that kind of its actors) traps so; its later traps at debug level, so that a
   * recurring timer that traps at every firing, or a client sending a oneway again and again,
   * cannot flood the log. The actor's own {@link Trap} and the toolkit's traps go to debug level,
   * as other failed oneways do.
   */
  void onewayTrapped(Call call, Throwable trap) {
    if (trap instanceof ReactantException) {
      onewayFailed(call, trap);
      return;
    }
    boolean job = call.method.method == null;
    String what = Call.describeTrap(call.target.id, call.method, trap)
        + (job ? " (a timer's job: nobody hears of it)"
            : " (a oneway: its caller never hears of it)");
    // one key per interface method, or per kind of timer of an interface: never per actor or
    // timer, which would keep one for each
    if (trapsWarned.add(call.target.type().getName() + "." + call.method.name)) {
      LOG.warn(what + "; its later traps of this kind are logged at debug level", trap);
    } else if (LOG.isDebugEnabled()) {
      LOG.debug(what, trap);
    }
  }

  void onewayFailed(Call call, Throwable error) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("Oneway " + call + " failed (its caller never sees it)", error);
    }
  }

  @Override
  public String toString() {
    return "ActorSystem[" + config.name() + "#" + serial + ", " + cells.size() + " actors]";
  }

  /**
   * Answers a query: its value, a reject (code 4) or a trap (code 5). A query's {@code Mono} that
   * ends inside a part of the query (its first part, or a continuation of a composite query's
   * await) is answered when that part ends and its thread has left the query's context (a part
   * nested in another leaves it to that one), after the callbacks Reactor runs once the {@code
   * Mono} ended ({@code doFinally}, {@code doAfterTerminate}): an exception such a callback throws,
   * which Reactor drops instead of signalling it, fails the query with code 5, as it traps a
   * call's turn (rule R12), as does an error a part throws instead of signalling it (one Reactor's
   * operators rethrow, as they do JVM-fatal ones), which would otherwise leave the query
   * unanswered. Dropped anywhere else (on a foreign thread), it is logged, as Reactor does. A
   * query's Mono that ends outside its parts is answered at once.
   */
  static final class QueryReply implements CoreSubscriber<Object> {

    /**
     * The key of a composite query's {@link QueryContext} in the Reactor context of its answer's
     * subscriptions, which every subscription of its chain inherits (see {@link #subscribedBy}).
     */
    static final Object ANSWERING = new Object() {
      @Override
      public String toString() {
        return "reactant.answeringQuery";
      }
    };
    private static final AtomicReferenceFieldUpdater<QueryReply, QueryContext> PARENT =
        AtomicReferenceFieldUpdater.newUpdater(QueryReply.class, QueryContext.class, "parent");

    private final ActorRuntime runtime;
    private final QueryContext query;
    /** The interface of the reference the query was called through, for the listener. */
    private final Class<?> type;
    private final MethodInfo method;
    private final CallFuture<Object> future;
    /**
     * The composite query that made this one, which cancels it if it ends first; or null. Set
     * once: at its making, or when a composite query's chain subscribes to a query made outside
     * it (see {@link #subscribedBy}).
     */
    private volatile @Nullable QueryContext parent;
    /** The subscription to the query's Mono, which the bounded wait cancels when it runs out. */
    private volatile @Nullable Subscription upstream;
    /** The task that ends the bounded wait (see {@link #bound}), disposed once answered. */
    private volatile @Nullable Disposable timeout;
    private @Nullable Object value;
    private @Nullable Throwable error;
    /**
     * An exception an operator dropped during a part of the query, or that a part threw: it traps
     * the query.
     */
    private @Nullable Throwable dropped;
    private volatile boolean ended;
    /** Whether the shutdown knows the query as still waiting (see {@link #pending}). */
    private volatile boolean registered;
    /**
     * When the query's method had returned its {@code Mono} ({@link System#nanoTime}), for one no
     * composite query made in its parts (0 for those): a composite query that began after that
     * did not make it (see {@link #subscribedBy}).
     */
    private final long made;

    QueryReply(ActorRuntime runtime, QueryContext query, Class<?> type, MethodInfo method,
        CallFuture<Object> future, @Nullable QueryContext parent) {
      this.runtime = runtime;
      this.query = query;
      this.type = type;
      this.method = method;
      this.future = future;
      this.parent = parent;
      this.made = parent == null ? System.nanoTime() : 0;
    }

    @Override
    public void onSubscribe(Subscription s) {
      upstream = s;
      s.request(Long.MAX_VALUE);
    }

    /**
     * Bounds the wait for the query's answer (rule R22), from the end of its first part: a
     * query's synchronous code runs on its caller's thread, which waits for it whatever the bound.
     * When {@code wait} runs out before the answer, the query's future fails with code 6 ({@code
     * SYS_UNKNOWN}), told to the listener once, as a call's timeout is; the query is then
     * cancelled, in its context (serialized with its parts, as a part): what its {@code Mono}
     * still waits for (a timer, another query, a sink) is let go, and the query holds its actor's
     * snapshot no longer. Its later end, value or error, answers nothing and is not told. A query
     * changes nothing (rule R19): there is no state to undo, unlike a call, whose callee may still
     * commit after its timeout. A bound the scheduler refuses (the system shut down while the
     * query's first part ran, and its pool with it) would never run: the query is then answered
     * with code 2 at once and cancelled the same way, as one that came after the shutdown is.
     */
    void bound(Duration wait) {
      Disposable task = runtime.scheduleWait(() -> expire(wait), () -> schedulerGone(wait), wait);
      if (task == REFUSED) {
        if (runtime.isShutdown()) {
          shutDown(false);
        } else {
          cutShort(new CallError(RejectCode.SYS_TRANSIENT, "The scheduler of the actor system '"
              + runtime.config.name() + "' refused the bounded wait of the query " + method
              + " on " + query.cell.id + ": it was cancelled, and a query changes nothing"));
        }
        return;
      }
      timeout = task;
      // of this and finished() on another thread, at least one sees the other's write (both
      // volatile): finished() runs once the future is claimed, before it is done, so the claim is
      // what this reads (a query ended meanwhile, by a shutdown or its parent's end, whose
      // finished() read no task yet, left it pending till due)
      if (future.isSettled()) {
        task.dispose(); // answered meanwhile, on another thread, maybe before the task was known
      }
    }

    /**
     * The query still waits for its {@code Mono} after its first part: the shutdown waits for it
     * from now on, as for a call in flight, until it ends (see {@link #finished}). One whose first
     * part outlasted the end of the shutdown is ended at once (see {@link #shutDown}). Only
     * queries still waiting come here: one answered in its first part costs the shutdown nothing.
     */
    void pending() {
      registered = true;
      runtime.pendingQueries.add(this);
      // of this and finished() on another thread, at least one sees the other's write (both
      // volatile): a query answered meanwhile is taken out here, or there. Taken out here, it
      // may be the last thing a shutdown that began meanwhile and saw it listed waits for: that
      // shutdown is told, as finished() tells it (which ran before the query was listed, or
      // removed it before it was in)
      if (future.isSettled()) {
        runtime.pendingQueries.remove(this);
        if (runtime.isShutdown()) {
          runtime.terminateIfDrained();
        }
      } else if (runtime.isTerminated()) {
        shutDown(false); // else the end of the shutdown sees it (it ends after it ended)
      }
    }

    /** Whether no composite query made this one. */
    boolean isRoot() {
      return parent == null;
    }

    /**
     * The shutdown ended the query before it answered: code 6 at the end of the grace period, as
     * a call suspended then gets, or code 2 if its first part outlasted the shutdown; told to the
     * listener once, cancelled as at its bound (it changed nothing, rule R19).
     */
    void shutDown(boolean graceOver) {
      cutShort(graceOver
          ? new CallError(RejectCode.SYS_UNKNOWN, "The actor system '" + runtime.config.name()
              + "' shut down before the query " + method + " on " + query.cell.id + " replied:"
              + " it was cancelled, and a query changes nothing")
          : new CallError(RejectCode.SYS_TRANSIENT, runtime.shutDownMessage() + ": the query "
              + method + " on " + query.cell.id + " was cancelled before it answered, and a"
              + " query changes nothing"));
    }

    private void schedulerGone(Duration wait) {
      cutShort(new CallError(RejectCode.SYS_UNKNOWN, "The query " + method + " on "
          + query.cell.id + " could no longer be bounded to " + wait + ": the scheduler of the"
          + " actor system '" + runtime.config.name() + "' was disposed before it fell due; it"
          + " was cancelled, and a query changes nothing (rule R22)"));
    }

    private void expire(Duration wait) {
      cutShort(new CallError(RejectCode.SYS_UNKNOWN, "The query " + method + " on "
          + query.cell.id + " timed out after " + wait + ": it was cancelled, and a query changes"
          + " nothing (rule R22)"));
    }

    /**
     * Fails the query with {@code error}, told to the listener, unless it was answered first, and
     * cancels it in its context (see {@link #bound}) and the queries it made that still run, all
     * before the error reaches its subscribers: a caller that sees it no longer has a query of
     * this chain holding what it waited for, unless a part of the query that runs on another
     * thread at that moment delays the query's own cancellation to its end.
     */
    private boolean cutShort(CallError error) {
      return future.fail(error, () -> {
        runtime.rejected(query.cell.id, type, method.name, error.code());
        query.run(() -> cancel());
        finished();
      });
    }

    /**
     * Cancels the subscription to the query's {@code Mono}, if it has one, once only: in a part of
     * the query (see {@link QueryContext#run}), which serializes it (a plain query's parts are
     * not serialized, but its only cancellation is {@link #cutShort}'s, run once).
     *
     * @return whether it cancelled it now
     */
    boolean cancel() {
      Subscription s = upstream;
      Subscription cancelled = Operators.cancelledSubscription();
      if (s == null || s == cancelled) {
        return false;
      }
      upstream = cancelled;
      s.cancel();
      return true;
    }

    /**
     * The query's caller no longer wants its answer (see {@code ActorRefs#cancelQuery}): it is
     * cancelled as at its bound, with code 6, told to the listener (rules R19, R22).
     *
     * @return whether it was cancelled now: false if it had answered or ended already
     */
    boolean cancelledByCaller() {
      return !future.isSettled() && cutShort(new CallError(RejectCode.SYS_UNKNOWN, "The query "
          + method + " on " + query.cell.id + " was cancelled by its caller before it answered,"
          + " and a query changes nothing (rules R19, R22)"));
    }

    /**
     * The composite query {@code ended} that made this query ended before it answered: this one
     * is cancelled as at its bound, with code 6, told to the listener (rules R19, R22).
     */
    void parentEnded(QueryContext ended) {
      if (!future.isDone()) {
        cutShort(new CallError(RejectCode.SYS_UNKNOWN, "The query " + method + " on "
            + query.cell.id + " was cancelled: " + ended.describe() + ", which made it, ended"
            + " before it answered, and a query changes nothing (rules R19, R22)"));
      }
    }

    /**
     * The query was answered or cut short: its bound is let go, its parent forgets it, and the
     * queries it made that are still running are cancelled.
     */
    private void finished() {
      Disposable t = timeout;
      if (t != null) {
        t.dispose();
      }
      if (registered) {
        runtime.pendingQueries.remove(this);
        if (runtime.isShutdown()) {
          runtime.terminateIfDrained(); // the shutdown may have waited for this query last
        }
      }
      QueryContext p = parent;
      if (p != null) {
        p.forget(this);
      }
      if (query.composite) {
        query.endChildren();
      }
    }

    @Override
    public void onNext(Object o) {
      value = o;
    }

    @Override
    public void onError(Throwable t) {
      error = t;
      ended();
    }

    @Override
    public void onComplete() {
      ended();
    }

    /** Answers now outside the query's parts; inside one, when it ends ({@link #answerIfEnded}). */
    private void ended() {
      ended = true;
      if (Contexts.current() != query) {
        answerIfEnded();
      }
    }

    /**
     * The context the reply gives the query's {@code Mono}: Reactor's local hook for the errors
     * its operators drop (made when asked, as operators ask on errors).
     */
    @Override
    public Context currentContext() {
      Consumer<Throwable> hook = this::dropped;
      return query.composite
          ? Context.of(Call.ON_ERROR_DROPPED, hook, ANSWERING, query)
          : Context.of(Call.ON_ERROR_DROPPED, hook);
    }

    /**
     * A subscriber with Reactor context {@code context} subscribed to this query's future, which
     * no composite query made. If the subscription belongs to the chain of a composite query's
     * answer ({@link #ANSWERING}: this query was made outside that query's parts, on a thread its
     * {@code Mono} moved to, and so went out as an ingress query), that query adopts this one: its
     * end cancels this one, as for the queries it makes in its parts (rules R19, R22). Only the
     * first such subscription counts. Not a query made before that composite query began (handed
     * to it, as an argument, say): it did not make it, and whoever did may wait for it too. Any
     * thread.
     */
    void subscribedBy(Context context) {
      if (parent != null || future.isSettled()
          || !(context.getOrDefault(ANSWERING, null) instanceof QueryContext p) || p == query
          || made - p.began < 0 || !PARENT.compareAndSet(this, null, p)) {
        return;
      }
      p.adopt(this);
      // of this and finished() on another thread, at least one sees the other's write (both
      // volatile): a query answered meanwhile is forgotten here, or there
      if (future.isSettled()) {
        p.forget(this);
      }
    }

    @Override
    public String toString() {
      return method.toString();
    }

    /**
     * An error an operator of the query's Mono dropped: a trap of the query if thrown during one
     * of its parts, on its thread, before it was answered (a {@link CallError}, a reject, comes
     * too late to be the answer and is not a trap); elsewhere what Reactor does without the hook.
     */
    private void dropped(Throwable e) {
      if (Contexts.current() == query && !(e instanceof CallError) && !future.isDone()) {
        if (dropped == null) {
          dropped = e;
        }
      } else {
        Operators.onErrorDropped(e, Context.empty());
      }
    }

    /**
     * A part of the query threw {@code t} instead of signalling it (an error Reactor's operators
     * rethrow, as they do JVM-fatal ones): the query traps, answered when the part ends.
     *
     * @return false if the query was answered already (the error is then only logged)
     */
    boolean threw(Throwable t) {
      if (future.isDone()) {
        return false;
      }
      if (dropped == null) {
        dropped = t;
      }
      ended = true;
      return true;
    }

    /**
     * Answers the query if its Mono ended: a trap it raised or caught comes first, then an error an
     * operator dropped or a part threw, then the Mono's own outcome. Only the first answer counts.
     */
    void answerIfEnded() {
      if (!ended || future.isDone()) {
        return;
      }
      Trap raised = query.raised;
      Throwable failure = raised != null ? raised : dropped != null ? dropped : error;
      if (failure != null) {
        runtime.queryFailed(query.cell, type, method, future, failure);
      } else {
        future.complete(value);
      }
      finished();
    }
  }
}

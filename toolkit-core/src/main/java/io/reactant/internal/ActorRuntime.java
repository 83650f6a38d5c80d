package io.reactant.internal;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorClass;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorInfo;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Caller;
import io.reactant.actor.TurnListener;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.error.Trap;
import io.reactant.scheduler.WorkStealingScheduler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The implementation of {@link ActorSystem}: the registry of actors, message delivery, query
 * execution and actor creation.
 */
public final class ActorRuntime implements ActorSystem {

  private static final Logger LOG = Loggers.getLogger(ActorRuntime.class);

  private final ActorSystemConfig config;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final Executor executor;
  final int turnsPerScheduling;
  final @Nullable TurnListener listener;
  private final ConcurrentHashMap<ActorId, ActorCell> cells = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean closed;

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
    Scheduler target = this.scheduler;
    this.executor = target instanceof Executor e ? e : target::schedule;
    this.turnsPerScheduling = config.turnsPerScheduling();
    this.listener = config.hasListener() ? config.listener() : null;
  }

  /** Starts an actor system with the given configuration. */
  public static ActorSystem start(ActorSystemConfig config) {
    return new ActorRuntime(Objects.requireNonNull(config, "config"));
  }

  void execute(Runnable task) {
    executor.execute(task);
  }

  @Nullable ActorCell find(ActorId id) {
    return cells.get(id);
  }

  // ---- ActorSystem

  @Override
  public ActorSystemConfig config() {
    return config;
  }

  @Override
  public <I> I spawn(Class<I> type, Supplier<? extends I> factory) {
    return spawn(type, newId(type), factory);
  }

  @Override
  public <I> I spawn(Class<I> type, ActorId id, Supplier<? extends I> factory) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(factory, "factory");
    ExecutionContext c = Contexts.current();
    if (c != null) {
      throw new Trap(c.describe() + " cannot spawn " + id + " directly: inside an actor, create"
          + " actors with spawn(ActorClass, argument), a tentative effect of the turn (rules R18, R20)");
    }
    requireOpen();
    createCell(type, id, factory, Caller.anonymous(), false);
    return proxy(type, id, Caller.anonymous());
  }

  @Override
  public <I> I spawnIfAbsent(Class<I> type, ActorId id, Supplier<? extends I> factory) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(factory, "factory");
    if (!cells.containsKey(id)) {
      ExecutionContext c = Contexts.current();
      if (c != null) {
        throw new Trap(c.describe() + " cannot spawn " + id + " directly (rules R18, R20)");
      }
      requireOpen();
      // initializers cannot send messages, so the instance built by a thread that loses the race
      // has had no effect and is simply dropped
      createCell(type, id, factory, Caller.anonymous(), true);
    }
    return proxy(type, id, Caller.anonymous());
  }

  @Override
  public <I, P> Mono<I> spawn(ActorClass<I, P> actorClass, P argument) {
    Objects.requireNonNull(actorClass, "actorClass");
    ExecutionContext c = Contexts.current();
    if (c instanceof TurnContext t) {
      SpawnRequest<I, P> request = new SpawnRequest<>(this, actorClass, argument, t.cell.self);
      t.outbox.add(request);
      return request.future;
    }
    if (c != null) {
      throw new Trap(c.describe() + " cannot create actors (rules R18, R19)");
    }
    CallFuture<I> future = new CallFuture<>(null, "new " + actorClass.type().getSimpleName());
    if (closed) {
      future.fail(shutDown());
    } else {
      execute(() -> instantiate(actorClass, argument, Caller.anonymous(), future));
    }
    return future;
  }

  @Override
  public <I> I lookup(Class<I> type, ActorId id) {
    return proxy(type, id, Caller.anonymous());
  }

  @Override
  public boolean contains(ActorId id) {
    return cells.containsKey(id);
  }

  @Override
  public Set<ActorId> actorIds() {
    return Set.copyOf(cells.keySet());
  }

  @Override
  public List<ActorInfo> actors() {
    List<ActorInfo> list = new ArrayList<>(cells.size());
    for (ActorCell c : cells.values()) {
      list.add(c.info());
    }
    return list;
  }

  @Override
  public int mailboxDepth(ActorId id) {
    ActorCell c = cells.get(id);
    return c == null ? 0 : c.mailboxDepth();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ownsScheduler) {
      scheduler.dispose();
    }
  }

  // ---- creation

  <I> I proxy(Class<I> type, ActorId id, Caller ingressCaller) {
    ActorProxy handler = new ActorProxy(this, type, id, ingressCaller);
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  <I, P> void instantiate(ActorClass<I, P> actorClass, P argument, Caller creator, CallFuture<I> future) {
    Class<I> type = actorClass.type();
    ActorId id = newId(type);
    try {
      requireOpen();
      createCell(type, id, () -> actorClass.newInstance(argument), creator, false);
      future.complete(proxy(type, id, Caller.anonymous()));
    } catch (CallError e) {
      future.fail(e);
    } catch (RuntimeException e) {
      future.fail(new CallError(RejectCode.SYS_FATAL, "Cannot create a " + type.getSimpleName()
          + ": " + e.getMessage(), e));
    }
  }

  private ActorCell createCell(Class<?> type, ActorId id, Supplier<?> factory, Caller creator,
      boolean ifAbsent) {
    MethodTable.of(type);
    ActorCell existing = cells.get(id);
    if (existing != null) {
      if (ifAbsent) {
        return existing;
      }
      throw new IllegalArgumentException("An actor with id '" + id + "' already exists");
    }
    ActorCell cell = new ActorCell(this, id, type, creator);
    InitContext init = new InitContext(cell);
    ExecutionContext previous = Contexts.enter(init);
    Object instance;
    try {
      instance = factory.get();
    } catch (Throwable t) {
      throw new CallError(RejectCode.CANISTER_ERROR, id + " trapped in its initializer: "
          + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()), t);
    } finally {
      Contexts.restore(previous);
    }
    if (!(instance instanceof Actor) || !init.bound) {
      throw new IllegalArgumentException("The factory of " + id + " must construct and return a"
          + " new actor (a subclass of " + Actor.class.getName() + "), but returned " + instance);
    }
    if (!type.isInstance(instance)) {
      throw new IllegalArgumentException(instance.getClass().getName() + " does not implement "
          + type.getName());
    }
    cell.state.seal();
    cell.initialized(instance);
    existing = cells.putIfAbsent(id, cell);
    if (existing != null) {
      if (ifAbsent) {
        return existing;
      }
      throw new IllegalArgumentException("An actor with id '" + id + "' already exists");
    }
    return cell;
  }

  private ActorId newId(Class<?> type) {
    String base = type.getSimpleName();
    base = base.isEmpty() ? "actor" : Character.toLowerCase(base.charAt(0)) + base.substring(1);
    ActorId id;
    do {
      id = ActorId.of(base + "-" + ids.incrementAndGet());
    } while (cells.containsKey(id));
    return id;
  }

  private void requireOpen() {
    if (closed) {
      throw shutDown();
    }
  }

  private CallError shutDown() {
    return new CallError(RejectCode.SYS_TRANSIENT, "The actor system '" + config.name()
        + "' is shut down");
  }

  // ---- messaging

  /** Sends a call through a reference, according to the current thread's context. */
  @Nullable Object send(ActorProxy target, MethodInfo method, Object[] args) {
    ExecutionContext c = Contexts.current();
    if (c == null) {
      return ingress(target, method, args);
    }
    if (c instanceof TurnContext t) {
      Caller caller = t.cell.self;
      if (method.kind.isQuery()) {
        QueryCall q = new QueryCall(this, target, method, args, caller);
        t.outbox.add(q);
        return q.future;
      }
      Call call = new Call(this, target, method, args, caller);
      t.outbox.add(call);
      return call.reply;
    }
    if (c instanceof QueryContext q) {
      if (!q.composite) {
        throw new Trap(c.describe() + " cannot send messages (rule R19): it called " + method
            + " on " + target.id);
      }
      if (!method.kind.isQuery()) {
        throw new Trap(c.describe() + " can only call query methods, not the update " + method
            + " on " + target.id + " (rule R19)");
      }
      CallFuture<Object> future = new CallFuture<>(null, target.id + "." + method.method.getName());
      executeQuery(target, method, args, q.cell.self, future);
      return future;
    }
    throw new Trap(c.describe() + " cannot send messages (rule R18): it called " + method + " on "
        + target.id);
  }

  private @Nullable Object ingress(ActorProxy target, MethodInfo method, Object[] args) {
    if (method.kind.isQuery()) {
      CallFuture<Object> future = new CallFuture<>(null, target.id + "." + method.method.getName());
      if (closed) {
        future.fail(shutDown());
      } else {
        executeQuery(target, method, args, target.ingressCaller, future);
      }
      return future;
    }
    Call call = new Call(this, target, method, args, target.ingressCaller);
    deliver(call);
    return call.reply;
  }

  /** Puts a committed (or ingress) call in its target's mailbox, or answers it with a clean reject. */
  void deliver(Call call) {
    if (closed) {
      call.abandon(RejectCode.SYS_TRANSIENT, shutDown().rejectMessage());
      return;
    }
    ActorCell cell = call.target.resolve();
    if (cell == null) {
      call.abandon(RejectCode.DESTINATION_INVALID, "No actor '" + call.target.id + "'");
      return;
    }
    if (cell.type != call.target.type && !call.method.declaringType().isInstance(cell.instance())) {
      call.abandon(RejectCode.DESTINATION_INVALID, cell + " has no method " + call.method);
      return;
    }
    call.cell = cell;
    cell.enqueue(call);
  }

  /**
   * Executes a query at once on the current thread, against the target's committed snapshot
   * (rule R19), and completes {@code future} with its result.
   */
  void executeQuery(ActorProxy target, MethodInfo method, Object[] args, Caller caller,
      CallFuture<Object> future) {
    ActorCell cell = target.resolve();
    if (cell == null) {
      future.fail(new CallError(RejectCode.DESTINATION_INVALID, "No actor '" + target.id + "'"));
      return;
    }
    if (cell.type != target.type && !method.declaringType().isInstance(cell.instance())) {
      future.fail(new CallError(RejectCode.DESTINATION_INVALID, cell + " has no method " + method));
      return;
    }
    QueryContext query = new QueryContext(cell, method, caller);
    QueryReply reply = new QueryReply(this, cell, method, future);
    ExecutionContext previous = Contexts.enter(query);
    try {
      Object result = method.invoke(cell.instance(), args);
      if (result == null) {
        throw new NullPointerException(method + " returned null instead of a Mono");
      }
      ((Mono<?>) result).subscribe(reply);
    } catch (Throwable t) {
      reply.onError(t);
    } finally {
      Contexts.restore(previous);
    }
  }

  /** Tells the listener that a call to {@code actor} failed with {@code code}. */
  void rejected(ActorId actor, MethodInfo method, RejectCode code) {
    TurnListener l = listener;
    if (l != null) {
      try {
        l.callRejected(actor, method.method.getName(), code);
      } catch (RuntimeException e) {
        LOG.warn("A TurnListener failed", e);
      }
    }
  }

  void onewayFailed(Call call, Throwable error) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("Oneway " + call + " failed (its caller never sees it)", error);
    }
  }

  @Override
  public String toString() {
    return "ActorSystem[" + config.name() + ", " + cells.size() + " actors]";
  }

  /** Answers a query: its value, a reject (code 4) or a trap (code 5). */
  private static final class QueryReply implements CoreSubscriber<Object> {
    private final ActorRuntime runtime;
    private final ActorCell cell;
    private final MethodInfo method;
    private final CallFuture<Object> future;
    private @Nullable Object value;

    QueryReply(ActorRuntime runtime, ActorCell cell, MethodInfo method, CallFuture<Object> future) {
      this.runtime = runtime;
      this.cell = cell;
      this.method = method;
      this.future = future;
    }

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Object o) {
      value = o;
    }

    @Override
    public void onError(Throwable t) {
      if (t instanceof CallError ce) {
        runtime.rejected(cell.id, method, RejectCode.CANISTER_REJECT);
        future.fail(Call.asReject(ce));
      } else {
        runtime.rejected(cell.id, method, RejectCode.CANISTER_ERROR);
        future.fail(new CallError(RejectCode.CANISTER_ERROR, Call.describeTrap(cell.id, method, t), t));
      }
    }

    @Override
    public void onComplete() {
      future.complete(value);
    }
  }
}

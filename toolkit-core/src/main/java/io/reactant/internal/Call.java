package io.reactant.internal;

import io.reactant.actor.ActorId;
import io.reactant.actor.Caller;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.error.Trap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One call of an update or oneway method (or a job of the runtime, such as a timer firing): the
 * message (target, method, arguments, caller, attached cycles, bounded wait), its reply future,
 * and, once the callee executes it, the state of that execution.
 *
 * <p>The call subscribes to the {@code Mono} the method returns. Its terminal signal is recorded
 * during a turn of the callee for this call; the turn's end then commits (or, for a trap, rolls
 * back) and answers the caller. A signal that arrives on another thread (asynchronous work that
 * did not go through {@code await}) is carried into the callee's mailbox as a late signal and
 * handled in a turn of its own.
 *
 * <p>A call finishes exactly once (replied or abandoned): then its unaccepted cycles go back to
 * the sender, its timeout timer is cancelled and, if it was taken out of the mailbox, the system's
 * count of calls in flight drops.
 */
class Call extends Envelope
    implements Outgoing, Fuseable.ConditionalSubscriber<Object>, ActorCell.TurnBody {

  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<Call> FINISHED =
      AtomicIntegerFieldUpdater.newUpdater(Call.class, "finished");
  private static final int DONE = 1;
  private static final int COUNTED = 2;
  /**
   * Reactor's key ({@code Hooks.KEY_ON_ERROR_DROPPED}, not public) under which a subscriber's
   * context may carry its own hook for the errors that operators drop (a call's, a query's reply).
   */
  static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";
  private static final VarHandle AWAITING;
  private static final VarHandle NEXT_SUSPENDED;
  private static final VarHandle UPSTREAM;
  private static final VarHandle EXTRAS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      AWAITING = lookup.findVarHandle(Call.class, "awaiting", Object.class);
      NEXT_SUSPENDED = lookup.findVarHandle(Extras.class, "nextSuspended", Call.class);
      UPSTREAM = lookup.findVarHandle(Call.class, "upstream", Subscription.class);
      EXTRAS = lookup.findVarHandle(Call.class, "extras", Extras.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final ActorProxy target;
  final MethodInfo method;
  final Object[] args;
  final Caller caller;
  final @Nullable CallFuture<Object> reply;
  @Nullable ActorCell cell;
  /**
   * The parts of the call that a call to an idle actor, answered at once, never uses (see {@link
   * Extras}); null until one of them is needed. Set by the sender before it sends the call, or by
   * the callee's thread, with release semantics: another thread that walks suspended
   * calls reads it with acquire semantics.
   */
  private @Nullable Extras extras;
  private @Nullable Subscription upstream;
  private @Nullable Object value;
  /**
   * The awaits on which this call's execution is suspended, for await-cycle detection (of call
   * futures not complete, and of other {@code Mono}s that are not scalar, which end a walk):
   * null, one {@link AwaitSubscriber}, or {@link Links} of two or more (a turn may await several
   * at once, as {@code Mono.zip(await(x), await(y))} does, or a fan-out). Written by the callee's
   * thread only, each holder a new one, with release semantics, and read by any thread with
   * acquire semantics: a walk of the chain sees every link that a message carried to the walking
   * actor. An await of a call future publishes its link before its walk, with a full fence in
   * between ({@code AwaitMono.awaitInTurn}): of two awaits closing one cycle on two threads at
   * once, at least one walk sees the other's link. No fence, and no walk, is needed for a call
   * the awaiting turn sent itself: it runs, and awaits, only after the turn's commit hands it to
   * its actor, which the link precedes, and until then it awaits nothing. An await that was
   * delivered or cancelled (from any thread) is a dead link: the walk skips it, and the callee's
   * thread drops it later. Declared after the other references, so that they keep the offsets
   * they had before it came back from the extras (the JVM lays references out in declaration
   * order): with it between the extras and the subscription, ingress with 64 calls in flight ran
   * 5-10 % slower in paired forks, a matter of placement only (the forty-fourth session).
   */
  @SuppressWarnings("unused") // through AWAITING
  private @Nullable Object awaiting;
  /** {@link #COUNTED} once counted in flight (see {@link #starting}), then {@link #DONE} as well. */
  private volatile int finished;
  /** The callee started executing it. */
  boolean started;
  /** The method's Mono terminated (recorded in a turn of this call). */
  boolean terminated;
  boolean replied;
  /**
   * Whether the callee holds it in its list of suspended calls, or in its list of lingering ones
   * (answered, with awaits still pending: see {@code ActorCell.linger}); written and read by the
   * callee's thread only.
   */
  boolean suspended;

  /**
   * A call through {@code target}, answered by {@code reply} (null for a oneway); its bounded wait
   * is the reference's ({@code target.timeout}). Kept small, one per message: no field that the
   * target or the cell already holds, and what most calls never use apart ({@link Extras}), so
   * that a plain call takes 64 bytes, a cache line's worth, with compressed references (pinned by
   * {@code CallLayoutTest}).
   *
   * @param sender the actor that sends the call, to refund its cycles; null for ingress calls
   */
  private Call(ActorProxy target, MethodInfo method, Object[] args, Caller caller,
      @Nullable ActorCell sender, long cycles, @Nullable CallFuture<Object> reply) {
    this.target = target;
    this.method = method;
    this.args = args;
    this.caller = caller;
    if (cycles > 0 && sender != null) {
      Extras x = new Extras();
      x.cycles = new AttachedCycles(sender, cycles);
      this.extras = x; // published with the call
    }
    if (reply != null) {
      reply.answers(this);
    }
    this.reply = reply;
  }

  /**
   * A call through {@code target} with its future (none for a oneway), for its sender to send.
   *
   * <p>The future is allocated first, so that it lies just before the call in memory rather than
   * after it. The callee's thread completes the future right after it has read and written the
   * call, all on lines the sender wrote last; in this order unawaited calls run 11-17 % faster (the
   * twenty-second session in docs/benchmarks-history.md; why this order and not the other is not
   * known). Placement is a matter of speed only: nothing depends on it.
   *
   * @param sender the actor that sends the call, to refund its cycles; null for ingress calls
   */
  static Call create(ActorProxy target, MethodInfo method, Object[] args, Caller caller,
      @Nullable ActorCell sender, long cycles) {
    CallFuture<Object> reply =
        method.kind == MethodInfo.Kind.ONEWAY ? null : new CallFuture<>(method);
    return new Call(target, method, args, caller, sender, cycles, reply);
  }

  /**
   * As {@link #create}, for a call that carries {@code carried}, its sender's context (see {@code
   * io.reactant.actor.ContextPropagation}): a {@link Carrying} call, unless it is null. Calls of a
   * system without context propagation are plain ones, which lack the field (64 bytes, not 72).
   */
  static Call create(ActorProxy target, MethodInfo method, Object[] args, Caller caller,
      @Nullable ActorCell sender, long cycles, @Nullable Object carried) {
    if (carried == null) {
      return create(target, method, args, caller, sender, cycles);
    }
    CallFuture<Object> reply =
        method.kind == MethodInfo.Kind.ONEWAY ? null : new CallFuture<>(method);
    return new Carrying(target, method, args, caller, sender, cycles, reply, carried);
  }

  /**
   * A job the runtime runs as a turn of {@code cell} (a timer firing): a oneway from itself.
   * {@code taken}, if not null, runs as the job leaves the mailbox (executed or abandoned), before
   * its turn and whatever that turn's fate (a turn that traps before the body, on a turn fee it
   * cannot pay, still took the job); when it answers false (the timer was cancelled while the
   * firing waited), the job is dropped without a turn.
   */
  static Call job(ActorCell cell, MethodInfo job, Supplier<? extends @Nullable Mono<?>> body,
      @Nullable BooleanSupplier taken, @Nullable Object carried) {
    return new Job(cell, job, body, taken, carried);
  }

  /**
   * A call that carries its sender's thread-local context, captured when it was made (by its
   * sender, before it is queued), which the callee restores around each of its turns (see {@code
   * ActorCell.runTurn}); null for a timer's job set in a turn that had none.
   */
  static class Carrying extends Call {
    final @Nullable Object carried;

    private Carrying(ActorProxy target, MethodInfo method, Object[] args, Caller caller,
        @Nullable ActorCell sender, long cycles, @Nullable CallFuture<Object> reply,
        @Nullable Object carried) {
      super(target, method, args, caller, sender, cycles, reply);
      this.carried = carried;
    }
  }

  /**
   * The awaits this call is suspended on: null, an {@link AwaitSubscriber}, or {@link Links} of
   * two or more.
   */
  @Nullable Object awaiting() {
    return AWAITING.getAcquire(this);
  }

  /**
   * The call's {@link Extras}, made if it has none yet: by its sender before it sends the call, or
   * by its callee's thread (the only threads that write them: see {@link Extras}).
   */
  private Extras extras() {
    Extras x = extras;
    if (x == null) {
      x = new Extras();
      EXTRAS.setRelease(this, x);
    }
    return x;
  }

  private @Nullable AttachedCycles cycles() {
    Extras x = extras;
    return x == null ? null : x.cycles;
  }

  /** The method's error; by the callee's thread (or by the sender, before it sends the call). */
  private @Nullable Throwable error() {
    Extras x = extras;
    return x == null ? null : x.error;
  }

  private void error(Throwable e) {
    extras().error = e;
  }

  /** The previous neighbour in the callee's list of suspended calls; the callee's thread only. */
  @Nullable Call previousSuspended() {
    Extras x = extras;
    return x == null ? null : x.previousSuspended;
  }

  void previousSuspended(@Nullable Call c) {
    if (c != null || extras != null) {
      extras().previousSuspended = c;
    }
  }

  /**
   * Two or more awaits of a call: the first {@code size} elements of {@code items}. Neither those
   * elements nor the size of a holder ever change: a new await is written past them, in the same
   * array while it has room, and published in a new holder, so that a walk on another thread reads
   * a consistent list without a lock, and a fan-out of n awaits costs amortised O(1) per await.
   * Links of awaits delivered or cancelled stay (the walk skips them: {@link
   * AwaitSubscriber#pending}) until half of them are, or the array is full: then the pending ones
   * are copied to a new holder.
   */
  static final class Links {
    final AwaitSubscriber<?>[] items;
    final int size;
    /** How many were unlinked (a cancel on another thread is not counted). Callee's thread. */
    int dead;
    /**
     * The elements before it are known not to be pending (a hint: written by the callee's thread,
     * read by any; a stale value is smaller, never wrong).
     */
    int from;

    Links(AwaitSubscriber<?>[] items, int size) {
      this.items = items;
      this.size = size;
    }
  }

  /** Links an await of this call's turn (on the callee's thread). */
  void linkAwait(AwaitSubscriber<?> await) {
    Object links = AWAITING.get(this);
    Object next;
    if (links == null || links instanceof AwaitSubscriber<?> one && !one.pending()) {
      next = await;
    } else if (links instanceof AwaitSubscriber<?> one) {
      AwaitSubscriber<?>[] items = new AwaitSubscriber<?>[4];
      items[0] = one;
      items[1] = await;
      next = new Links(items, 2);
    } else {
      Links many = (Links) links;
      if (many.size < many.items.length) {
        many.items[many.size] = await; // past what any holder published shows
        Links more = new Links(many.items, many.size + 1);
        more.dead = many.dead;
        more.from = many.from;
        next = more;
      } else {
        next = pendingOf(many, await);
      }
    }
    AWAITING.setRelease(this, next);
  }

  /**
   * Unlinks an await that was delivered, discarded or cancelled (on the callee's thread). Returns
   * whether the call had other links: then it may still wait for them.
   */
  boolean unlinkAwait(AwaitSubscriber<?> await) {
    Object links = AWAITING.get(this);
    if (links == await) {
      AWAITING.setRelease(this, null);
      return false;
    }
    if (links instanceof Links many) {
      if (++many.dead * 2 > many.size) {
        AWAITING.setRelease(this, pendingOf(many, null));
      }
      return true;
    }
    return links != null;
  }

  /**
   * The links still pending, plus {@code added} if not null: null, a single await, or new {@link
   * Links} with room to grow.
   */
  private static @Nullable Object pendingOf(Links many, @Nullable AwaitSubscriber<?> added) {
    AwaitSubscriber<?>[] kept = new AwaitSubscriber<?>[many.size + 1];
    int n = 0;
    for (int i = 0; i < many.size; i++) {
      AwaitSubscriber<?> a = many.items[i];
      if (a.pending()) {
        kept[n++] = a;
      }
    }
    if (added != null) {
      kept[n++] = added;
    }
    return n == 0 ? null : n == 1 ? kept[0]
        : new Links(Arrays.copyOf(kept, Math.max(4, 2 * n)), n);
  }

  /**
   * The neighbours in the callee's list of lingering calls (answered, with awaits they made still
   * pending: see {@code ActorCell.linger}); the callee's thread only, which alone walks that list.
   */
  @Nullable Call previousLingering() {
    Extras x = extras;
    return x == null ? null : x.previousLingering;
  }

  void previousLingering(@Nullable Call c) {
    if (c != null || extras != null) {
      extras().previousLingering = c;
    }
  }

  @Nullable Call nextLingering() {
    Extras x = extras;
    return x == null ? null : x.nextLingering;
  }

  void nextLingering(@Nullable Call c) {
    if (c != null || extras != null) {
      extras().nextLingering = c;
    }
  }

  /**
   * Whether an await this call made may still wait for its future (registered or active, not
   * signalled, delivered nor cancelled): its links hold every await of a {@code Mono} that is not
   * scalar, and of a call future not complete when awaited (see {@code AwaitMono.awaitInTurn}). On
   * the callee's thread; an await may signal on another thread meanwhile, and its continuation
   * then comes.
   */
  boolean awaitsPending() {
    Object links = AWAITING.get(this);
    if (links instanceof AwaitSubscriber<?> one) {
      return one.pending();
    }
    if (links instanceof Links many) {
      for (int i = many.from; i < many.size; i++) {
        if (many.items[i].pending()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Cancels every await of this call still pending ({@link #awaitsPending}), as its subscriber's
   * cancellation would: its future forgets it, the {@code Mono} it subscribed to is cancelled. On
   * the callee's thread, in a turn context of the callee (the end of a shutdown: see {@code
   * ActorCell.cancelAbandoned}); {@code failed} gets what a cancellation throws, and the others
   * are cancelled all the same.
   */
  void cancelPendingAwaits(Consumer<Throwable> failed) {
    Object links = AWAITING.get(this);
    if (links instanceof AwaitSubscriber<?> one) {
      cancelPending(one, failed);
    } else if (links instanceof Links many) {
      // the holder's elements below its size never change: a cancellation that unlinks an await
      // publishes a new holder, or counts a dead link in this one
      for (int i = many.from; i < many.size; i++) {
        cancelPending(many.items[i], failed);
      }
    }
  }

  private static void cancelPending(AwaitSubscriber<?> await, Consumer<Throwable> failed) {
    if (await.pending()) {
      try {
        await.cancel();
      } catch (Throwable e) {
        failed.accept(e);
      }
    }
  }

  @Nullable Call nextSuspended() {
    Extras x = (Extras) EXTRAS.getAcquire(this);
    return x == null ? null : (Call) NEXT_SUSPENDED.getAcquire(x);
  }

  void nextSuspended(@Nullable Call next) {
    if (next != null || extras != null) {
      NEXT_SUSPENDED.setRelease(extras(), next);
    }
  }

  // ---- the outbox side

  @Override
  public void release() {
    send();
  }

  /**
   * Puts the call in its callee's mailbox, or answers it with the clean reject that refuses it.
   *
   * @return whether it was queued
   */
  boolean send() {
    return target.runtime.deliver(this);
  }

  @Override
  public void revoke() {
    // the sender's rollback restores the cycles it attached: nothing to refund
    AttachedCycles c = cycles();
    if (c != null) {
      c.available = 0;
    }
    CallFuture<Object> r = reply;
    if (r != null) {
      failReply(r, new CallError(RejectCode.SYS_FATAL, "The call to " + method + " on "
          + target.id + " was revoked: the turn that sent it trapped (rule R10)"));
    } else {
      rejected(RejectCode.SYS_FATAL);
    }
  }

  /**
   * The call is about to enter the callee's mailbox: start its bounded wait, if it has one. It is
   * not counted in flight yet (see {@link #starting}): its sender does no atomic update for the
   * count.
   *
   * @return false if the scheduler refused the bounded wait's timer (the application disposed
   *     it, or the system's pool went with a shutdown): the call must then not be queued, for it
   *     would wait without its bound (rule R22)
   */
  boolean queued() {
    Duration t = target.timeout;
    CallFuture<Object> r = reply;
    if (t != null && r != null) {
      Disposable timer = target.runtime.scheduleWait(this::expire, this::schedulerGone, t);
      if (timer == ActorRuntime.REFUSED) {
        return false;
      }
      extras().timeoutTimer = timer;
    }
    return true;
  }

  /**
   * The callee's thread takes the call out of the mailbox: from now on it is counted in flight, by
   * that thread on its own counter. It is counted before the mailbox's count of queued envelopes
   * drops (a shutdown reads the mailboxes first, then the calls in flight, so it never misses a
   * call in between) and before the callee checks for a shutdown (which either sees the count or
   * is seen).
   */
  void starting() {
    FINISHED.lazySet(this, COUNTED); // nobody else can finish a call that has not started
    target.runtime.callCounted();
  }

  private void expire() {
    timedOut(new CallError(RejectCode.SYS_UNKNOWN, "The call to " + method + " on " + target.id
        + " timed out after " + target.timeout + ": it may or may not have run (rule R22)"));
  }

  /**
   * The application disposed its scheduler after it accepted the bounded wait's timer, which it
   * then dropped: the call ends as at its bound (see {@code ActorRuntime.scheduleWait}).
   */
  private void schedulerGone() {
    timedOut(new CallError(RejectCode.SYS_UNKNOWN, "The bounded wait (" + target.timeout
        + ") of the call to " + method + " on " + target.id + " could no longer be timed: the"
        + " scheduler of the actor system '" + target.runtime.config().name() + "' was disposed"
        + " before it fell due; the call may or may not have run (rule R22)"));
  }

  private void timedOut(CallError error) {
    CallFuture<Object> r = reply;
    if (r != null) {
      AttachedCycles c = cycles();
      r.fail(error, () -> {
        if (c != null) {
          // no refund comes with this reject, whenever the late reply lands (rule R22): the
          // unaccepted cycles go back to the sender's balance then, unreported
          c.timedOut = true;
        }
        rejected(error.code());
      });
    }
  }

  /**
   * The body of the call's first turn: runs the method (or job) on the callee's instance and
   * subscribes to the {@code Mono} it returns. A {@link CallError} the method throws is an
   * explicit reject, as if it had returned {@code Mono.error} of it (rule R11): the turn commits;
   * any other exception escapes, and the turn traps (rule R12).
   */
  @Override
  public void run() throws Throwable {
    ActorCell c = java.util.Objects.requireNonNull(cell);
    Object result;
    try {
      result = invoke(c);
    } catch (CallError thrown) {
      error(thrown);
      terminated = true;
      return;
    }
    Fuseable.ScalarCallable<?> scalar = ScalarMonos.scalar(result);
    if (scalar != null) {
      // Mono.just, Mono.empty, Mono.error: the outcome is known without subscribing (the
      // contract of ScalarCallable), which saves a subscription object and four signals
      try {
        value = scalar.call();
      } catch (Throwable t) {
        error(Exceptions.unwrap(t));
      }
      terminated = true;
    } else if (result != null) {
      ((Mono<?>) result).subscribe(this);
    } else if (method.kind == MethodInfo.Kind.ONEWAY) {
      terminated = true;
    } else {
      throw new NullPointerException(method + " returned null instead of a Mono");
    }
  }

  /** Invokes the method on the callee's instance; returns its Mono, or null for a oneway. */
  @Nullable Object invoke(ActorCell c) throws Throwable {
    return method.invoke(c.instance(), args);
  }

  // ---- the mailbox side

  @Override
  void execute(ActorCell c) {
    c.executeCall(this);
  }

  @Override
  void abandon(RejectCode code, String message) {
    abandon(code, message, null);
  }

  /**
   * As {@link #abandon(RejectCode, String)}, keeping {@code cause} (the exception of a trap that
   * refused the call: its target's initializer's, or its inspection's) as the reject's cause, as a
   * trapped turn's reply does, for the process's logs.
   */
  void abandon(RejectCode code, String message, @Nullable Throwable cause) {
    answerAbandoned(code, message, cause, null);
  }

  /**
   * Answers the call, before it ran, with {@code refusal}, a reject the runtime chose (its
   * target's initializer trapped, or its ingress inspection refused it or trapped, or its target
   * is of another type than its reference): as {@link #abandon(RejectCode, String, Throwable)},
   * keeping the site of a trap, and the actor of another type that the call's reference named
   * ({@link CallError#actorOfAnotherType()}, rule R23). Only for the calls a sender queues ({@link
   * ActorRuntime#deliver}, an ingress call): a timer's job, which its own actor queues, is never
   * refused so, and keeps its override of {@code abandon}.
   */
  void refuse(CallError refusal) {
    // the runtime's own error is kept as it is (one a constructor cannot make: a trap's site, an
    // actor of another type); an application's subclass, which carries neither, is copied
    answerAbandoned(refusal.code(), refusal.rejectMessage(), refusal.getCause(),
        refusal.getClass() == CallError.class ? refusal : null);
  }

  /**
   * Answers the call with {@code code} (code 6 once it started), as {@code made} if given and
   * of that code, else as a new error of {@code message} and {@code cause}.
   */
  private void answerAbandoned(RejectCode code, String message, @Nullable Throwable cause,
      @Nullable CallError made) {
    RejectCode actual = started ? RejectCode.SYS_UNKNOWN : code;
    // a oneway answered already (it committed or trapped, and the continuation of an await it left
    // running, or a late signal, is dropped) did not fail now: its future would ignore this
    boolean answered = replied;
    replied = true;
    boolean counted = finish();
    CallFuture<Object> r = reply;
    try {
      if (r != null) {
        failReply(r, made != null && made.code() == actual
            ? made : new CallError(actual, message, cause));
      } else if (!answered) {
        rejected(actual);
      }
    } finally {
      leaveInFlight(counted);
    }
  }

  // ---- the method's Mono

  @Override
  public void onSubscribe(Subscription s) {
    upstream = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(Object v) {
    value = v;
  }

  /**
   * As {@link #onNext}. The call is a {@code ConditionalSubscriber} only so that Reactor's
   * operators ({@code map}, {@code filter}, ...) find the interface they test every subscriber
   * for: a test that fails costs a scan of the class's supertypes on JDK 17 to 22 (see {@link
   * ScalarMonos}). Never cast a call to another interface (see {@link Outgoing}).
   */
  @Override
  public boolean tryOnNext(Object v) {
    onNext(v);
    return true;
  }

  /**
   * Records the error in a turn of this call on this thread; from anywhere else it travels to the
   * callee's thread in a {@link LateSignal}, which stores it there ({@link Extras} has no other
   * writer).
   */
  @Override
  public void onError(Throwable t) {
    ActorCell c = cell;
    TurnContext turn = c == null ? null : c.turnOnThisThread();
    if (turn != null && turn.call == this) {
      error(t);
      terminated = true;
    } else if (c != null) {
      c.enqueueSystem(new LateSignal(this, t));
    } else {
      error(t);
    }
  }

  /**
   * The Reactor context the call gives the method's Mono. It carries Reactor's local hook for the
   * errors that operators drop because they cannot signal them (an exception thrown by a {@code
   * doFinally}, {@code doAfterTerminate} or {@code doOnCancel} callback, or by the cleanup of a
   * {@code using}), so that such an exception thrown in a turn of the callee traps that turn, as
   * any other exception the actor's code lets escape does (rule R12), instead of being logged
   * while the turn commits. The hook names this call, so that it never traps a turn of another
   * actor, nor one of another call of the same actor, that the Mono's signal happens to run in (a
   * turn that emitted to a sink the Mono waits on, rule R12): it is made when an operator asks,
   * which operators do on errors, not on every signal.
   */
  @Override
  public Context currentContext() {
    return Context.of(ON_ERROR_DROPPED, new Dropped(this));
  }

  /**
   * The hook of {@link #currentContext}: one object, as the lambda it replaces was, that also
   * names the call, so that a call future subscribed on the behalf of the method's Mono (through
   * any wrapper, at once or later) can check that it is not the call's own deadlock (rule R13, see
   * {@code CallFuture.check}).
   */
  static final class Dropped implements Consumer<Throwable> {
    final Call call;

    Dropped(Call call) {
      this.call = call;
    }

    @Override
    public void accept(Throwable e) {
      call.dropped(e);
    }
  }

  /**
   * The subscription to the method's Mono while the call waits for it to end (the method returned
   * a Mono that is not scalar and has not ended), else null: for await-cycle detection, which
   * reads it on any thread (a stale answer is null or a subscription that has ended, which the
   * walk treats as no wait). A call future's own subscription, when the method returned one
   * unawaited, is a link as an await's is; any other may wait for call futures through its
   * operators.
   */
  @Nullable Subscription waitsFor() {
    return terminated ? null : upstream;
  }

  /**
   * An error an operator of the method's Mono dropped: a trap of the callee's turn for this call
   * running on this thread, if any (a {@link CallError}, a reject, comes too late to be the reply
   * and is not a trap); elsewhere (a late signal on another thread, in a turn of another actor or
   * of another call of this one) what Reactor does without the hook.
   */
  private void dropped(Throwable e) {
    ActorCell c = cell;
    TurnContext t = c == null ? null : c.turnOnThisThread();
    if (t != null && t.call == this && !(e instanceof CallError)) {
      t.trap(e);
    } else {
      Operators.onErrorDropped(e, Context.empty());
    }
  }

  @Override
  public void onComplete() {
    terminal();
  }

  private void terminal() {
    ActorCell c = cell;
    TurnContext t = c == null ? null : c.turnOnThisThread();
    if (t != null && t.call == this) {
      terminated = true;
    } else if (c != null) {
      c.enqueueSystem(new LateSignal(this, null));
    }
  }

  /** Whether the method's Mono ended with an error that is a trap (not a {@link CallError}). */
  @Nullable Throwable trapSignalled() {
    Throwable e = error();
    return terminated && e != null && !(e instanceof CallError) ? e : null;
  }

  /**
   * Fails this call, found to wait (through the Mono its method returned unawaited) for a race
   * each of whose sources can only end after it replies (rule R13): its subscription to that Mono
   * is cancelled and it ends with {@code deadlock}, as an await of the race would, instead of the
   * error the race would make of its sources' errors. Nothing if the Mono ended already or was
   * taken by another search (two searches closing the cycle on two threads at once may both find
   * it): the compare-and-set on the subscription makes it once only. A signal of the Mono racing
   * this on another thread (it may still signal after the cancel) ends the call with the one or
   * the other outcome, as a late signal does. On the failure path of the searches only. Returns
   * whether it failed the call (not if the Mono has given no subscription yet, or ended).
   */
  boolean failReturned(Trap deadlock) {
    Subscription s = upstream;
    Subscription taken = Operators.cancelledSubscription();
    if (s == null || s == taken || terminated || !UPSTREAM.compareAndSet(this, s, taken)) {
      return false;
    }
    s.cancel();
    onError(deadlock);
    return true;
  }

  /** Whether the method's Mono was subscribed to and has not ended: something to cancel. */
  boolean hasUpstreamToCancel() {
    return upstream != null && !terminated;
  }

  /** Cancels the method's Mono if it has not ended (the call trapped). */
  void cancelUpstream() {
    Subscription s = upstream;
    if (s != null && !terminated) {
      s.cancel();
    }
  }

  // ---- cycles, in the callee's turns

  long availableCycles() {
    AttachedCycles c = cycles();
    return c == null ? 0 : c.available - c.acceptedInTurn;
  }

  long accept(long max) {
    AttachedCycles c = cycles();
    if (c == null) {
      return 0;
    }
    long take = Math.min(Math.max(0, max), availableCycles());
    c.acceptedInTurn += take;
    return take;
  }

  void commitAccepted() {
    AttachedCycles c = cycles();
    if (c != null) {
      c.available -= c.acceptedInTurn;
      c.acceptedInTurn = 0;
    }
  }

  void rollbackAccepted() {
    AttachedCycles c = cycles();
    if (c != null) {
      c.acceptedInTurn = 0;
    }
  }

  /** Whether the call carries cycles its sender attached (rule R22). */
  boolean carriesCycles() {
    return cycles() != null;
  }

  /**
   * The cycles refunded to the sender with the outcome of the call's future (0 until it replied,
   * if none, or if its bounded wait ran out first: a code 6 brings no refund, rule R22).
   */
  long refunded() {
    AttachedCycles c = cycles();
    return c == null || c.timedOut ? 0 : c.refunded;
  }

  // ---- replies

  /**
   * Tells the listener that the call failed with {@code code}: when its future fails (once, see
   * {@link #failReply}), or, for a oneway, which has none, when it fails. A job of the runtime is
   * not a call and overrides it to tell nothing.
   */
  void rejected(RejectCode code) {
    target.runtime.rejected(target.id, target.type(), method.name, code);
  }

  /** Fails the call's future with {@code error}; the listener hears its first failure only. */
  private void failReply(CallFuture<Object> r, CallError error) {
    r.fail(error, () -> rejected(error.code()));
  }

  /** Answers the caller after a commit: the value, or a reject (code 4, rule R12a). */
  void replyCommitted() {
    replied = true;
    boolean counted = finish();
    CallFuture<Object> r = reply;
    Throwable e = error();
    try {
      if (r == null) {
        if (e != null) {
          target.runtime.onewayFailed(this, e);
          rejected(RejectCode.CANISTER_REJECT);
        }
      } else if (e instanceof CallError ce) {
        failReply(r, asReject(ce));
      } else if (answeredAlone()) {
        r.completeAlone(value);
      } else {
        r.complete(value);
      }
    } finally {
      leaveInFlight(counted);
    }
  }

  /** Answers the caller after a trap: code 5, with a message that says why (rule R12). */
  void replyTrapped(Throwable trap) {
    replied = true;
    boolean counted = finish();
    CallFuture<Object> r = reply;
    try {
      if (r == null) {
        target.runtime.onewayTrapped(this, trap);
        rejected(RejectCode.CANISTER_ERROR);
      } else {
        failReply(r, RuntimeErrors.trapped(target.id, target.type(), method.displayName,
            describeTrap(target.id, method, trap), trap));
      }
    } finally {
      leaveInFlight(counted);
    }
  }

  /**
   * Ends the call once, before its reply is published: refunds the unaccepted cycles to the
   * sender and cancels the bounded wait. It leaves the count of calls in flight only after its
   * reply is published ({@link #leaveInFlight}), so that a shutdown, which ends when that count is
   * zero, never ends before every caller was answered.
   *
   * <p>A call is reachable by one thread at a time only: its sender before it is queued, its
   * callee's thread after (a shutdown, too, has the callee's thread answer the calls suspended at
   * an await: see {@code ActorCell.stop}). So it is ended with a plain store: on the path of every
   * message, this saves the callee a locked instruction on a line its sender just wrote.
   */
  private boolean finish() {
    int f = finished;
    if ((f & DONE) != 0) {
      return false;
    }
    FINISHED.lazySet(this, f | DONE);
    Extras x = extras;
    if (x == null) {
      return (f & COUNTED) != 0;
    }
    Disposable t = x.timeoutTimer;
    if (t != null) {
      t.dispose();
    }
    AttachedCycles cy = x.cycles;
    if (cy != null && cy.available > 0) {
      long refund = cy.available;
      cy.available = 0;
      cy.refunded = refund;
      cy.sender.credit(refund);
    }
    return (f & COUNTED) != 0;
  }

  /**
   * Leaves the count of calls in flight, if {@link #finish} said this call was in it: called once
   * the reply is published.
   */
  private void leaveInFlight(boolean counted) {
    if (counted) {
      target.runtime.callFinished();
    }
  }

  /**
   * Whether the callee's thread is the only one that can settle the call's future: it has no
   * bounded wait (whose timer may fail the future from another thread). Once false, it stays false.
   */
  private boolean answeredAlone() {
    Extras x = extras;
    return x == null || x.timeoutTimer == null;
  }

  /**
   * The error a caller sees when its callee let {@code e} escape: code 4 with the same message,
   * whatever code {@code e} had (rule R12a).
   */
  static CallError asReject(CallError e) {
    return e.code() == RejectCode.CANISTER_REJECT
        ? e
        : new CallError(RejectCode.CANISTER_REJECT, e.rejectMessage(), e);
  }

  /** The message of a code-5 reject: which actor trapped, in which method, and why (rule R12). */
  static String describeTrap(ActorId actor, MethodInfo method, Throwable trap) {
    return actor + " trapped in " + method + ": " + describe(trap);
  }

  /**
   * What a trap says: its message, after its class's simple name unless it is a {@link
   * io.reactant.error.Trap}; a Reactor composite of several errors (two sources of a {@code merge}
   * failing at once) says what each of them says, not only "Multiple exceptions".
   */
  private static String describe(Throwable trap) {
    if (trap instanceof io.reactant.error.Trap) {
      return String.valueOf(trap.getMessage());
    }
    String what = trap.getClass().getSimpleName()
        + (trap.getMessage() == null ? "" : ": " + trap.getMessage());
    if (!Exceptions.isMultiple(trap)) {
      return what;
    }
    StringBuilder each = new StringBuilder(what).append(" (");
    List<Throwable> errors = Exceptions.unwrapMultiple(trap);
    for (int i = 0; i < errors.size(); i++) {
      each.append(i == 0 ? "" : "; ").append(describe(errors.get(i)));
    }
    return each.append(')').toString();
  }

  @Override
  public String toString() {
    String name = method.method == null ? method.displayName : method.name; // a job: which one
    return "Call[" + target.id + "." + name + " from " + caller + "]";
  }

  /**
   * A job of the runtime run as a oneway turn of the cell (a timer firing), not a method, with the
   * context of the turn that set the timer, if any.
   */
  private static final class Job extends Carrying {
    private final Supplier<? extends @Nullable Mono<?>> body;
    private final @Nullable BooleanSupplier taken;

    Job(ActorCell cell, MethodInfo job, Supplier<? extends @Nullable Mono<?>> body,
        @Nullable BooleanSupplier taken, @Nullable Object carried) {
      super(cell.jobTarget(), job, new Object[0], cell.self(), null, 0, null, carried);
      this.body = body;
      this.taken = taken;
    }

    @Override
    void execute(ActorCell c) {
      if (taken == null || taken.getAsBoolean()) {
        super.execute(c);
      } else {
        // its timer was cancelled while it waited: no turn (the abandonment tells nobody)
        super.abandon(RejectCode.SYS_TRANSIENT, "The timer was cancelled", null);
      }
    }

    @Override
    void abandon(RejectCode code, String message, @Nullable Throwable cause) {
      if (taken != null) {
        taken.getAsBoolean();
      }
      super.abandon(code, message, cause);
    }

    /**
     * Runs the job; a job that returns null instead of a {@code Mono} traps, as a method that does
     * ({@link Call#run}): a null is not taken for "done", the job is not a oneway's void.
     */
    @Override
    Object invoke(ActorCell c) {
      Mono<?> job = body.get();
      if (job == null) {
        throw new NullPointerException("The job of " + method + " returned null instead of a Mono");
      }
      return job;
    }

    @Override
    void rejected(RejectCode code) {
      // a timer's firing, not a call: its trap is a trapped turn (turnEnded), not a failed call
    }
  }

  /**
   * A terminal signal of the method's Mono that arrived outside a turn of this call. The first
   * one ends the call in a turn of its own; one that arrives once the call has replied (a source
   * that signalled as {@link #failReturned} cancelled it, on another thread, or after the call
   * trapped) has nothing left to end and runs no turn: no fee, no {@code turnEnded}. It carries
   * the error of an {@code onError}, stored in the call by the turn it runs.
   */
  static final class LateSignal extends Envelope {
    private final Call call;
    private final @Nullable Throwable error;

    LateSignal(Call call, @Nullable Throwable error) {
      this.call = call;
      this.error = error;
    }

    @Override
    void execute(ActorCell c) {
      if (call.replied) {
        c.signalledAfterReply(call);
      } else {
        c.runTurn(call, () -> {
          if (error != null) {
            call.error(error);
          }
          call.terminated = true;
        });
      }
    }

    @Override
    void abandon(RejectCode code, String message) {
      call.abandon(code, message);
    }
  }

  /**
   * The parts of a call that a call to an idle actor, answered at once, never uses: kept apart so
   * that the call, which the sender writes and the callee's thread reads on another core, takes
   * 64 bytes, a cache line's worth (one sender's calls lie back to back: each message moves one
   * line's worth between the cores, not the 1.25 of an 80-byte call; oneways to 1,000 actors ran
   * 1.1-1.4x as fast in paired forks: "The forty-fourth session" in docs/benchmarks-history.md).
   * Made at most once per call, by the sender before it sends the call (attached cycles, a bounded
   * wait) or by the callee's thread (an error, a suspension): an error signalled on another thread
   * travels in its {@link LateSignal} and is stored by the callee's thread. The awaits a call is
   * suspended on stay in the call ({@code awaiting}): await-cycle walks read them along chains of
   * calls, one load per call.
   */
  private static final class Extras {
    /** The cycles the sender attached (rule R22); set before the call is sent, or never. */
    @Nullable AttachedCycles cycles;
    /** The timer of the call's bounded wait, started before it is queued ({@link #queued}). */
    volatile @Nullable Disposable timeoutTimer;
    /** The error the method's Mono ended with, or that the method threw; the callee's thread. */
    @Nullable Throwable error;
    /**
     * The neighbours in the callee's list of suspended calls (see {@code ActorCell.suspended}):
     * linked and unlinked by the callee's thread only; the next link is published with release
     * semantics for a shutdown that walks the list from another thread.
     */
    @SuppressWarnings("unused") // through NEXT_SUSPENDED
    @Nullable Call nextSuspended;
    @Nullable Call previousSuspended;
    /**
     * The neighbours in the callee's list of lingering calls (see {@code ActorCell.linger}): apart
     * from the suspended calls' links, which a walk from another thread follows, so that a call
     * moving from that list to this one never leads such a walk astray. The callee's thread only.
     */
    @Nullable Call nextLingering;
    @Nullable Call previousLingering;
  }

  /** The cycles an actor attached to a call, and what became of them (rule R22). */
  private static final class AttachedCycles {
    /** The actor that attached them, to which the unaccepted ones go back. */
    final ActorCell sender;
    /** Attached and not accepted (committed) by the callee yet. */
    long available;
    /** Accepted by the callee in its current turn, not committed yet. */
    long acceptedInTurn;
    /**
     * Refunded to the sender with the reply. Written before the reply completes the future and
     * read by the continuation that the reply wakes: the future orders the two (a volatile field
     * would cost a fence per call).
     */
    long refunded;
    /**
     * The bounded wait ran out before the reply: the future failed with code 6, and the refund
     * that the late reply brings is not reported with it. Written before the future signals (as
     * {@link #refunded} is), read after.
     */
    boolean timedOut;

    AttachedCycles(ActorCell sender, long available) {
      this.sender = sender;
      this.available = available;
    }
  }
}

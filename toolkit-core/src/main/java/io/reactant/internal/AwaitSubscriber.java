package io.reactant.internal;

import io.reactant.error.RejectCode;
import io.reactant.error.Trap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * One {@code await} of a turn (rule R13): registered during the turn, activated (subscribed to its
 * future: a call future after the turn committed, any other {@code Mono} at once, inside the turn;
 * see {@link AwaitMono}), and, when the future signals, queued in the actor's mailbox as a
 * continuation that delivers the signal downstream inside a new turn (queued after the awaiting
 * turn committed and sent its messages, even when the signal comes during it: rule R13).
 *
 * <p>It is its own envelope, so the continuation allocates nothing more. It is also the subscription
 * its downstream gets, one that refuses fusion (see {@link AwaitMono}).
 */
final class AwaitSubscriber<T> extends Envelope
    implements CoreSubscriber<T>, UnfusedSubscription<T>, ActorCell.TurnBody, CallFuture.Waiter {

  private static final int REGISTERED = 0;
  /** Subscribed inside its turn (not a call future): a signal is held until the commit. */
  private static final int EVALUATING = 1;
  private static final int ACTIVE = 2;
  /** Signalled while its turn still ran: queued once the turn committed and sent its messages. */
  private static final int HELD = 3;
  private static final int SIGNALLED = 4;
  private static final int DELIVERED = 5;
  private static final int CANCELLED = 6;

  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<AwaitSubscriber> STATE =
      AtomicIntegerFieldUpdater.newUpdater(AwaitSubscriber.class, "state");
  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<AwaitSubscriber, OnBehalf> WRAPPED =
      AtomicReferenceFieldUpdater.newUpdater(AwaitSubscriber.class, OnBehalf.class, "wrapped");

  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<AwaitSubscriber, Subscription> UPSTREAM =
      AtomicReferenceFieldUpdater.newUpdater(AwaitSubscriber.class, Subscription.class,
          "upstream");

  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<AwaitSubscriber, Refunds> REFUNDS =
      AtomicReferenceFieldUpdater.newUpdater(AwaitSubscriber.class, Refunds.class, "refunds");

  private final ActorCell cell;
  private final @Nullable Call call;
  private final Mono<? extends T> source;
  private final CoreSubscriber<? super T> actual;
  private volatile int state;
  /**
   * Whether its call links it (see {@code Call.linkAwait}): an await of a call future not yet
   * complete, or of a {@code Mono} that is not scalar. Written and read on the actor's thread.
   */
  boolean linked;
  /**
   * Whether its activation looks for the subscriptions to call futures, made on the behalf of
   * awaits of other {@code Mono}s, that this await closes a cycle through (see {@link
   * #failWrappedCycles}): set when the check of this await met such an await. Actor's thread.
   */
  boolean scanWrapped;
  /**
   * The subscriptions to call futures made on this await's behalf (a {@code Mono} that is not a
   * call future subscribing to some, through any wrapper), the latest first. Any thread.
   */
  private volatile @Nullable OnBehalf wrapped;

  /**
   * One subscription made on an await's behalf, and the ones made before it: {@code size} in all,
   * the list being rebuilt with the pending ones only once it reaches {@code limit}.
   */
  private static final class OnBehalf {
    /** The least {@link #limit}: a short list is never rebuilt. */
    static final int MIN_LIMIT = 16;

    final CallFuture.Inner<?> inner;
    final @Nullable OnBehalf next;
    final int size;
    final int limit;

    OnBehalf(CallFuture.Inner<?> inner, @Nullable OnBehalf next, int size, int limit) {
      this.inner = inner;
      this.next = next;
      this.size = size;
      this.limit = limit;
    }
  }
  private volatile @Nullable Subscription upstream;
  private @Nullable T value;
  private @Nullable Throwable error;
  /**
   * The cycles refunded with the replies of the call futures that the awaited {@code Mono} (not a
   * call future itself) received, for {@code cyclesRefunded()} in the continuation (rule R22); null
   * until one came.
   */
  private volatile @Nullable Refunds refunds;

  /**
   * The refunds an await's subscriptions received: each call's once, however many of them
   * received its reply (a {@code zip} of a future with itself, a {@code retry}). Guarded by itself.
   */
  private static final class Refunds {
    final java.util.Set<Call> calls =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    long sum;
    /**
     * The awaited {@code Mono} signalled: a reply that comes later (to a subscription that
     * outlived a race, say) is not counted, whether it lands before the continuation runs or not.
     */
    boolean closed;
  }

  /**
   * The refunds counted when the awaited {@code Mono} signalled (null if none had come), which the
   * continuation reports: written before the signal, which publishes it to the continuation.
   */
  private @Nullable Refunds signalledRefunds;
  /** See {@link #currentContext}. */
  private @Nullable Context context;
  /**
   * The trap that ends this await (its future can only complete after its call replies: rule R13),
   * set before the signal that queues the continuation, which raises it (see {@link #deadlocked}).
   */
  private @Nullable Trap deadlock;

  AwaitSubscriber(ActorCell cell, @Nullable Call call, Mono<? extends T> source,
      CoreSubscriber<? super T> actual) {
    this.cell = cell;
    this.call = call;
    this.source = source;
    this.actual = actual;
  }

  /**
   * Subscribes to the awaited {@code Mono} (not a call future) inside the turn that awaits it. A
   * signal it gives before that turn committed (at once, or from another thread) is held until
   * {@link #activate}: the continuation is queued behind the messages the turn sends (rule R13),
   * and never if the turn traps ({@link #discard}).
   */
  void evaluateInTurn() {
    if (STATE.compareAndSet(this, REGISTERED, EVALUATING)) {
      source.subscribe(this);
    }
  }

  /**
   * After the turn that awaited committed and released its messages: subscribes to the awaited
   * call future, or lets an await evaluated in the turn signal, queueing the continuation of a
   * signal it held. Once only.
   */
  void activate() {
    if (STATE.compareAndSet(this, REGISTERED, ACTIVE)) {
      if (source instanceof CallFuture<?> f) {
        f.await(this); // no Reactor subscription in between: nothing to request or wrap
        Call c = call;
        Call target = f.call();
        if (scanWrapped && c != null && target != null && pending()) {
          failWrappedCycles(c, target);
        }
      } else {
        source.subscribe(this);
      }
    } else if (!STATE.compareAndSet(this, EVALUATING, ACTIVE)
        && STATE.compareAndSet(this, HELD, SIGNALLED)) {
      cell.enqueueSystem(this);
    }
  }

  /**
   * The key of the await itself in the context of its subscriptions (of a {@code Mono} evaluated in
   * the turn, at once or later, through any wrapper), so that a call future subscribed on its
   * behalf refuses a subscription that would deadlock and records the others (rule R13, see
   * {@code CallFuture.check}), and reports the refund its reply brings (rule R22, see {@link
   * #refundReceived}).
   */
  static final Object AWAIT = new Object() {
    @Override
    public String toString() {
      return "reactant.await";
    }
  };

  /**
   * The downstream's context, as Reactor's operators pass it upstream (a {@code contextWrite}
   * after the await, and the hook through which the method's call traps the turn on an error an
   * operator of the awaited {@code Mono} drops in it, rule R12), plus the await ({@link #AWAIT}).
   * Made when first asked (an await of a call future subscribes with no Reactor subscriber, and
   * its future asks only when a signal fails or its call carries cycles), then kept: a race
   * between two threads asking builds two equal contexts.
   */
  @Override
  public Context currentContext() {
    Context made = context;
    if (made == null) {
      made = actual.currentContext().put(AWAIT, this);
      context = made;
    }
    return made;
  }

  /** The await whose subscription carries {@code context}, or null. */
  static @Nullable AwaitSubscriber<?> of(Context context) {
    return context.getOrDefault(AWAIT, null) instanceof AwaitSubscriber<?> a ? a : null;
  }

  /**
   * A call future subscribed on this await's behalf delivers the reply of {@code call}, with the
   * cycles it refunded (any thread, before the awaited {@code Mono} can signal on that reply): they
   * are counted once per call, however many subscriptions receive its reply.
   */
  void refundReceived(Call call) {
    long cycles = call.refunded();
    if (cycles <= 0) {
      return;
    }
    Refunds r = refunds;
    if (r == null && !REFUNDS.compareAndSet(this, null, r = new Refunds())) {
      r = java.util.Objects.requireNonNull(refunds);
    }
    synchronized (r) {
      if (!r.closed && r.calls.add(call)) {
        long sum = r.sum + cycles;
        r.sum = sum < 0 ? Long.MAX_VALUE : sum;
      }
    }
  }

  /**
   * Reports the refunds this await delivers to the await, if any, whose awaited {@code Mono}
   * subscribed to this one ({@code await(Mono.defer(() -> await(f)))}): that {@code Mono} received
   * the replies too, through this await, and the enclosing await's continuation reports their
   * refunds as well (rule R22), each call's once. Before the signal goes downstream, so before the
   * enclosing await can signal; only for an await that delivers a refund (the cheap path stays).
   */
  private void refundsToEnclosingAwait() {
    AwaitSubscriber<?> outer = of(actual.currentContext());
    if (outer == null || outer == this) {
      return;
    }
    if (source instanceof CallFuture<?> f) {
      Call awaited = f.call();
      if (awaited != null) {
        outer.refundReceived(awaited);
      }
      return;
    }
    Refunds r = signalledRefunds;
    if (r == null) {
      return;
    }
    Call[] calls;
    synchronized (r) {
      calls = r.calls.toArray(new Call[0]);
    }
    for (Call c : calls) {
      outer.refundReceived(c);
    }
  }

  /**
   * The awaited {@code Mono} (not a call future) signalled its end: the refunds counted so far are
   * the ones its continuation reports (rule R22), a reply racing this on another thread being
   * counted before or not at all.
   */
  private void closeRefunds() {
    Refunds r = refunds;
    if (r != null) {
      synchronized (r) {
        r.closed = true;
      }
      signalledRefunds = r;
    }
  }

  /** The sum of the refunds counted by {@link #refundReceived} before the signal. */
  private long refunds() {
    Refunds r = signalledRefunds;
    if (r == null) {
      return 0;
    }
    synchronized (r) {
      return r.sum;
    }
  }

  /** How many subscriptions made on this await's behalf it keeps (for tests). */
  int onBehalfKept() {
    int n = 0;
    for (OnBehalf b = wrapped; b != null; b = b.next) {
      n++;
    }
    return n;
  }

  /** The call that awaits, if any. */
  @Nullable Call call() {
    return call;
  }

  /**
   * Records a subscription to a call future made on this await's behalf (any thread). The ones
   * over (answered or cancelled) at the head of the list are dropped: a sequence of them (a
   * {@code concatMap}) keeps a short list. Once the list has doubled since it was last rebuilt, it
   * is rebuilt with the pending ones only, so that a long fan-out ({@code flatMap}) whose latest
   * subscription is always pending keeps a list as long as the calls it has pending at once, not
   * one as long as all it made, at an amortised O(1) per subscription.
   */
  void subscribedOnBehalf(CallFuture.Inner<?> inner) {
    for (;;) {
      OnBehalf a = wrapped;
      OnBehalf kept = a;
      while (kept != null && kept.inner.over()) {
        kept = kept.next;
      }
      OnBehalf b;
      if (kept == null) {
        b = new OnBehalf(inner, null, 1, OnBehalf.MIN_LIMIT);
      } else if (kept.size + 1 < kept.limit) {
        b = new OnBehalf(inner, kept, kept.size + 1, kept.limit);
      } else {
        b = pendingOf(kept, inner);
      }
      if (WRAPPED.compareAndSet(this, a, b)) {
        return;
      }
    }
  }

  /** A new list of the pending subscriptions of {@code list}, in order, {@code added} first. */
  private static OnBehalf pendingOf(OnBehalf list, CallFuture.Inner<?> added) {
    CallFuture.Inner<?>[] pending = new CallFuture.Inner<?>[list.size];
    int n = 0;
    for (OnBehalf b = list; b != null; b = b.next) {
      if (!b.inner.over()) {
        pending[n++] = b.inner;
      }
    }
    int limit = Math.max(OnBehalf.MIN_LIMIT, 2 * (n + 1));
    OnBehalf rebuilt = null;
    for (int i = n - 1; i >= 0; i--) {
      rebuilt = new OnBehalf(pending[i], rebuilt, n - i, limit);
    }
    return new OnBehalf(added, rebuilt, n + 1, limit);
  }

  /**
   * After {@code current} linked an await of {@code target}'s future (outside any turn, once the
   * awaiting turn committed), or subscribed to that future as the Mono its method returned ({@code
   * CallFuture.subscribe}, outside the turn's context): fails each subscription made on the behalf
   * of an await of a call that {@code target} waits for, directly or through the calls it awaits,
   * or of the Mono such a call returned unawaited (see {@link #visitReturned}), whose future can
   * now only complete after that call replies (rule R13). The awaiting call's await was no
   * deadlock (the check found no cycle), but it may close one through such a subscription, made
   * before: the subscription gets the error it would have got had the cycle been closed when it
   * was made (see {@code CallFuture.check}), not a trap, since the {@code Mono} may not need that
   * future. Visits at most a few thousand calls.
   */
  static void failWrappedCycles(Call current, Call target) {
    java.util.ArrayDeque<Call> next = new java.util.ArrayDeque<>();
    java.util.Set<Call> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    next.add(target);
    int budget = 10_000;
    while (!next.isEmpty() && --budget >= 0) {
      Call x = next.poll();
      // a call whose future is settled replied, though its subscribers may not be told yet: what
      // waits for it is not blocked by it (as in AwaitMono.leadsBack)
      if (x == current || !seen.add(x) || x.reply != null && x.reply.isSettled()) {
        continue;
      }
      Object links = x.awaiting();
      if (links instanceof AwaitSubscriber<?> one && one.pending()) {
        one.visit(next);
      } else if (links instanceof Call.Links several) {
        for (int i = 0, n = several.size; i < n; i++) {
          several.items[i].visit(next);
        }
      } else {
        visitReturned(x, next);
      }
    }
  }

  /**
   * One step of {@link #failWrappedCycles}: from a call that awaits nothing, through the Mono its
   * method returned unawaited, if it still waits for it. A call future returned as is leads on to
   * its call; any other Mono is searched, through what Reactor's {@link Scannable} operators show
   * of their sources and inner subscriptions (a {@code map}, a {@code flatMap}, a {@code zip}, a
   * race), for its subscriptions to call futures, and each one whose future can now only complete
   * after the call replies gets the error it would have got had the cycle been closed when it was
   * made (see {@code CallFuture.check}). Visits at most a few hundred operators.
   */
  private static void visitReturned(Call x, java.util.ArrayDeque<Call> next) {
    Subscription returned = x.waitsFor();
    if (returned == null) {
      return;
    }
    if (returned instanceof CallFuture.Inner<?> inner) {
      Call awaited = inner.pendingCall();
      if (awaited != null) {
        next.add(awaited);
      }
      return;
    }
    java.util.ArrayDeque<Object> operators = new java.util.ArrayDeque<>();
    java.util.Set<Object> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    operators.add(returned);
    int budget = 256;
    while (!operators.isEmpty() && --budget >= 0) {
      Object o = operators.poll();
      if (!seen.add(o)) {
        continue;
      }
      if (o instanceof CallFuture.Inner<?> inner) {
        if (inner.madeFor(x)) { // not a subscription shared with others (a cache's, say)
          inner.failIfDeadlocked(x, true, null);
          Call awaited = inner.pendingCall();
          if (awaited != null) {
            next.add(awaited); // a cycle may go on through it (a map of a map)
          }
        }
        continue;
      }
      if (!(o instanceof Scannable operator)) {
        continue; // an await's own subscription (its link is walked apart), or another library's
      }
      try {
        Object parent = operator.scanUnsafe(Scannable.Attr.PARENT);
        if (parent != null) {
          operators.add(parent);
        }
        operator.inners().forEach(operators::add);
      } catch (RuntimeException e) {
        // an operator (another library's) that fails when scanned, read from another thread: the
        // search is best effort and runs as a turn commits, which must not fail; it goes on
        // without what this operator would have shown
      }
    }
  }

  /**
   * The call whose future the Mono that {@code x}'s method returned unawaited ({@code returned},
   * its subscription) waits for and can only end after: a chain of {@link
   * ReactorOperators#PASS_THROUGH_SUBSCRIBERS} operators down to a pending subscription to a call
   * future made on {@code x}'s behalf ({@code b.g().map(f)}); else null (another operator, another
   * library's, or a subscription shared with others, such as a {@code cache}'s). Any thread: a
   * stale read answers null or a subscription that has ended, which ends the walk (no cycle).
   */
  static @Nullable Call soleCallWaitedFor(Call x, Subscription returned) {
    Object o = returned;
    for (int depth = 0; depth < 16 && o != null; depth++) {
      if (o instanceof CallFuture.Inner<?> inner) {
        return inner.madeFor(x) ? inner.pendingCall() : null;
      }
      if (!ReactorOperators.PASS_THROUGH_SUBSCRIBERS.contains(o.getClass().getName())) {
        return null;
      }
      o = ReactorOperators.scan(o, Scannable.Attr.PARENT);
    }
    return null;
  }

  /** One step of {@link #failWrappedCycles}: from this await of a call waiting. */
  private void visit(java.util.ArrayDeque<Call> next) {
    if (!pending()) {
      return;
    }
    Call awaited = awaitedCall();
    if (awaited != null) {
      next.add(awaited);
      return;
    }
    Call c = call;
    if (c == null) {
      return;
    }
    for (OnBehalf b = wrapped; b != null; b = b.next) {
      b.inner.failIfDeadlocked(c, false, this);
    }
    failIfSoleCallDeadlocked(c);
  }

  /**
   * After this await (of a {@code Mono} that is not a call future) of {@code c} was evaluated, or
   * when a later await may close a cycle through it (see {@link #failWrappedCycles}): if the
   * awaited {@code Mono} can only end after one call future does ({@code f.cache()}, a {@code map}
   * of it: {@link ReactorOperators#PASS_THROUGH_MONOS} down to that future) and that future can
   * only complete after {@code c} replies, the await gets the error (rule R13) instead of waiting
   * for ever, as a subscription made on its behalf would, though the subscription to the future is
   * shared (a {@code cache}'s, whoever it was made for): this await's own subscription to the
   * {@code Mono} is cancelled, the shared one left to the others. Nothing if the await signalled
   * already. Once only (see {@link #failBlocked}): two searches may run it at once.
   */
  void failIfSoleCallDeadlocked(Call c) {
    if (!pending() || source instanceof CallFuture<?>) {
      return;
    }
    Object o = source;
    Call sole = null;
    for (int depth = 0; depth < 16 && o != null && sole == null; depth++) {
      if (o instanceof CallFuture.Inner<?> inner) {
        o = inner.future(); // a share's subscription to a call future
      }
      if (o instanceof CallFuture<?> f) {
        if (f.isDone()) {
          return;
        }
        sole = f.call();
      } else if (ReactorOperators.PASS_THROUGH_MONOS.contains(o.getClass().getName())) {
        o = ReactorOperators.scan(o, Scannable.Attr.PARENT);
      } else {
        return;
      }
    }
    if (sole == null || AwaitMono.sentInCurrentTurn(sole)) {
      return; // a call this turn sent has not run: it awaits nothing yet
    }
    java.lang.invoke.VarHandle.fullFence(); // after the link of this await, as an await's walk
    if (AwaitMono.wouldDeadlockThroughReturned(c, sole)) {
      failBlocked(c, sole);
    }
  }

  /**
   * The subscription this await got from the awaited {@code Mono} (not a call future), if it got
   * one: the bottom of that Mono's chain of operators, for the searches of rule R13. Any thread.
   */
  @Nullable Subscription upstream() {
    return upstream;
  }

  /**
   * Fails this await (of a {@code Mono} that is not a call future) of {@code c}, found to wait for
   * a race each of whose sources can only end after {@code c} replies, one of them a subscription
   * to {@code update}'s future, or for {@code update}'s future alone through a shared subscription
   * (see {@link #failIfSoleCallDeadlocked}), rule R13: its own subscription to the {@code Mono} is
   * cancelled and it gets the error a subscription made on its behalf would, not the error the
   * race would make of its sources' errors. Nothing if the await signalled already. Once only: the
   * searches of two awaits closing the cycle on two threads at once may both find it, and the
   * first to take the subscription fails the await. A signal of the {@code Mono} racing this on
   * another thread (it may still signal after the cancel) is told apart by the compare-and-set of
   * {@link #ended}: the continuation is queued once, with the one or the other outcome.
   */
  void failBlocked(Call c, Call update) {
    Subscription s = upstream;
    Subscription taken = reactor.core.publisher.Operators.cancelledSubscription();
    if (s == null || s == taken || !pending() || !UPSTREAM.compareAndSet(this, s, taken)) {
      return;
    }
    s.cancel();
    onError(CallFuture.wrappedDeadlock(c, update));
  }

  /** The outcome of an awaited call future (see {@link CallFuture#await}). */
  @Override
  @SuppressWarnings("unchecked")
  public void signal(@Nullable Object v, @Nullable Throwable e) {
    value = (T) v;
    error = e;
    signalled();
  }

  /**
   * Drops an await that its turn registered but never activated (the end of the turn failed
   * half-way): its call does not wait on it. One already activated is left alone.
   */
  void dropIfNeverActivated() {
    if (STATE.compareAndSet(this, REGISTERED, CANCELLED)) {
      forgetAwaited();
    }
  }

  /**
   * Drops an await whose turn trapped: the await never happened. A source subscribed inside the
   * turn is cancelled (if the method's cancellation did not reach it already).
   */
  void discard() {
    state = CANCELLED;
    forgetAwaited();
    Subscription s = upstream;
    if (s != null) {
      s.cancel();
    }
  }

  /**
   * The call no longer waits on this await's future (for await-cycle detection; on the actor's
   * thread only: a cancel from another thread leaves the link, which {@link #pending} makes dead,
   * for the actor's thread to drop at its next change of the links). Returns whether the call had
   * other links.
   */
  private boolean forgetAwaited() {
    Call c = call;
    if (c != null && linked) {
      linked = false;
      return c.unlinkAwait(this);
    }
    return false;
  }

  /** Whether the await still waits for its future: registered or active, not yet signalled. */
  boolean pending() {
    return state <= ACTIVE;
  }

  /** The call whose future this await waits for, or null if its source is not a call future. */
  @Nullable Call awaitedCall() {
    return source instanceof CallFuture<?> f ? f.call() : null;
  }

  @Override
  public void onSubscribe(Subscription s) {
    upstream = s;
    if (state == CANCELLED) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(T t) {
    value = t;
  }

  @Override
  public void onError(Throwable t) {
    error = t;
    closeRefunds();
    ended();
  }

  @Override
  public void onComplete() {
    closeRefunds();
    ended();
  }

  /**
   * The awaited {@code Mono} (not a call future) signalled its end, or {@link #failBlocked} failed
   * the await as deadlocked (rule R13), which may race that signal on another thread: whichever
   * takes the state with a compare-and-set queues the continuation, once (an envelope pushed twice
   * would link to itself, and the mailbox would lose it). The other's value or error may still
   * land in its field before the continuation reads it: the await then delivers one or the other,
   * either an outcome the race allows. A signal that comes while the awaiting turn still runs is
   * held until its commit, by a compare-and-set that a trap's {@link #discard} or the commit's
   * {@link #activate} may beat.
   */
  private void ended() {
    int s = state;
    if (s == ACTIVE) {
      if (STATE.compareAndSet(this, ACTIVE, SIGNALLED)) {
        cell.enqueueSystem(this);
      } // else failed as deadlocked, signalled, or cancelled meanwhile
    } else if (s == EVALUATING && !STATE.compareAndSet(this, EVALUATING, HELD)) {
      ended(); // the turn ended meanwhile (or the other signal was held first)
    }
  }

  /**
   * The awaited call future signalled (once: a future hands its outcome to each waiter once). A
   * plain check and store, not a compare-and-set: the other writers are a cancel, and a cancel that
   * races the signal may let it through, as Reactive Streams allows (signals may follow a cancel),
   * and {@link #deadlocked}, which leaves the future before it takes the state, so that the two
   * never both see the await active; the store is published to the actor's thread by the
   * mailbox's push. (An await of a call future is subscribed, so signalled, only once active,
   * after its turn committed.)
   */
  private void signalled() {
    int s = state;
    if (s == ACTIVE) {
      STATE.lazySet(this, SIGNALLED);
      cell.enqueueSystem(this);
    } else if (s == EVALUATING && !STATE.compareAndSet(this, EVALUATING, HELD)) {
      signalled(); // the turn ended meanwhile: activated (signal now) or discarded (drop it)
    }
  }

  @Override
  void execute(ActorCell c) {
    if (state != SIGNALLED) {
      return; // cancelled meanwhile
    }
    c.runTurn(call, this);
  }

  /** The body of the continuation turn: delivers the future's signal downstream. */
  @Override
  public void run() {
    // the actor's thread alone moves a signalled await on (abandon is the other envelope path, on
    // the same thread); a cancel racing this check is one that came too late, as in signalled()
    if (state != SIGNALLED) {
      return;
    }
    STATE.lazySet(this, DELIVERED);
    boolean others = forgetAwaited();
    TurnContext turn = cell.turnOnThisThread();
    long refunded = 0;
    if (source instanceof CallFuture<?> f) {
      Call awaited = f.call();
      if (awaited != null) {
        refunded = awaited.refunded();
      }
    } else {
      refunded = refunds(); // those of the replies the awaited Mono received
    }
    if (turn != null) {
      turn.refunded = refunded;
    }
    if (refunded > 0) {
      refundsToEnclosingAwait();
    }
    Trap d = deadlock;
    if (d != null) {
      actual.onError(turn != null ? turn.raise(d) : d);
      return;
    }
    Throwable e = error;
    if (e != null) {
      actual.onError(e);
    } else {
      T v = value;
      if (v != null) {
        value = null;
        actual.onNext(v);
      }
      actual.onComplete();
    }
    Call c = call;
    if (others && c != null && !c.terminated && c.awaiting() != null) {
      // the call still waits for other futures: if each of them now leads back to it, it can no
      // longer complete (the future just delivered may have been its only way out); the awaits
      // registered since it was delivered were checked as they were
      AwaitMono.failIfBlocked(c);
    }
  }

  /**
   * Ends an await whose future, as found after the await began, can only complete after its own
   * call replies (rule R13): its continuation is queued, and traps with {@code trap} (which the
   * actor's code cannot catch), as an await that would deadlock traps when it begins. Nothing if
   * the future signalled meanwhile (its reply, on another thread, racing the search that found the
   * cycle) or the await was cancelled. The await leaves its future first: that removal, a
   * compare-and-set against the future's hand-off of its outcome, decides between the two, so
   * that the continuation is queued once, while the signal itself stays a plain check and store.
   */
  void deadlocked(Trap trap) {
    if (state != ACTIVE || !(source instanceof CallFuture<?> f) || !f.remove(this)) {
      return; // signalled (or being signalled) by its future, or cancelled
    }
    // no signal can come now; a cancel racing this may still win
    deadlock = trap; // read by the continuation, which the mailbox's push publishes it to
    if (STATE.compareAndSet(this, ACTIVE, SIGNALLED)) {
      cell.enqueueSystem(this);
    }
  }

  @Override
  void abandon(RejectCode code, String message) {
    if (STATE.compareAndSet(this, SIGNALLED, CANCELLED) && call != null) {
      call.abandon(code, message);
    }
  }

  /** The link of an await cancelled outside its actor's turns, dropped on the actor's thread. */
  private static final class Unlink extends Envelope {
    private final AwaitSubscriber<?> await;

    Unlink(AwaitSubscriber<?> await) {
      this.await = await;
    }

    @Override
    void execute(ActorCell c) {
      Call call = await.call;
      if (call != null && await.linked && !call.replied) {
        if (await.forgetAwaited() && !call.terminated && call.awaiting() != null) {
          AwaitMono.failIfBlocked(call);
        }
      } else if (call != null && await.linked) {
        await.forgetAwaited();
        c.awaitLeft(call); // a lingering call with nothing left to await leaves its list
      }
    }

    @Override
    void abandon(RejectCode code, String message) {
      // the actor stopped: its calls are answered, nothing waits on the link
    }
  }

  @Override
  public void request(long n) {
    // a Mono delivers at most one value, and only in the continuation turn
  }

  @Override
  public void cancel() {
    int was = state;
    state = CANCELLED;
    if (cell.turnOnThisThread() != null) {
      forgetAwaited(); // on the actor's thread (a race lost in a turn): the link goes at once
      Call c = call;
      if (c != null && c.replied) {
        cell.awaitLeft(c); // a lingering call with nothing left to await leaves its list
      }
    } else if (call != null && (was == ACTIVE || was == EVALUATING)) {
      // elsewhere (a timeout's timer): the actor's thread drops the link and checks whether its
      // call, still waiting for other awaits, is now blocked by them (see run)
      cell.enqueueSystem(new Unlink(this));
    }
    if (source instanceof CallFuture<?> f) {
      f.remove(this);
    }
    Subscription s = upstream;
    if (s != null) {
      s.cancel();
    }
  }
}

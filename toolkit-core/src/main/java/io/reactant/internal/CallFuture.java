package io.reactant.internal;

import io.reactant.error.Trap;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The future of a call: a hot, memoized {@link Mono} completed once by the runtime (rule R3).
 *
 * <p>The message is sent whether or not anybody subscribes. Every subscriber, however late, sees
 * the same value or the same error; subscribing never sends the message again. Completion may
 * happen on any thread and is delivered to the subscribers present on that thread; later
 * subscribers are answered on their own thread.
 *
 * @param <T> the type of the result
 */
public final class CallFuture<T> extends Mono<T> {

  /** Completed: subscribers are answered at once. */
  private static final Object TERMINATED = new Object();
  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<CallFuture, Object> SUBSCRIBERS =
      AtomicReferenceFieldUpdater.newUpdater(CallFuture.class, Object.class, "subscribers");

  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<CallFuture, Object> OUTCOME =
      AtomicReferenceFieldUpdater.newUpdater(CallFuture.class, Object.class, "outcome");
  /** The outcome of a future completed empty (see {@link #outcome}). */
  private static final Object EMPTY = new Object();

  /**
   * What the future answers: the {@link Call} (see {@link #call}), or for other futures what
   * {@code toString} describes (lazily: no string per call). One field: one per update call. Not
   * final: a call's future is created before its call ({@link Call#create}) and pointed at it
   * before the call is sent, which publishes both.
   */
  private Object subject;
  /**
   * The outcome, chosen once (the claim: see {@link #isSettled}): null until then, then the value,
   * {@link #EMPTY} for an empty completion, or a {@link Failure} for an error. One field for the
   * claim, the value and the error, so that a future takes 24 bytes, not 32 (with compressed
   * references): one per update call, allocated by its sender.
   */
  private volatile @Nullable Object outcome;
  /**
   * null (no subscriber yet: left at its default, so that creating a future writes no volatile
   * field, which would cost a fence), one {@link Waiter} (the usual case: no array), a
   * {@code Waiter[]} of two or more, or {@link #TERMINATED}.
   */
  private volatile @Nullable Object subscribers;

  /** The outcome of a failed future (see {@link #outcome}): the error, kept apart from values. */
  private static final class Failure {
    final Throwable error;

    Failure(Throwable error) {
      this.error = error;
    }
  }

  /** A future answering {@code subject} (until {@link #answers} points it at a call). */
  CallFuture(Object subject) {
    this.subject = subject;
  }

  /**
   * Who waits for a future's outcome: a Reactor subscriber's inner subscription, or the runtime's
   * own await (registered without a Reactor subscription, see {@link #await}). {@link #publish}
   * tells these two apart by class before it tests for this interface.
   */
  interface Waiter {
    /** Delivers the outcome: {@code e} if not null, else {@code v} (null: empty). */
    void signal(@Nullable Object v, @Nullable Throwable e);

    Context currentContext();
  }

  /** Makes the future answer {@code call}; before the call is sent, by its sender only. */
  void answers(Call call) {
    subject = call;
  }

  /**
   * Makes the future of a query still waiting for its {@code Mono}, which no composite query made,
   * answer {@code query}: a subscription from a composite query's chain adopts it (see {@code
   * QueryReply.subscribedBy}). By the thread that ran the query's first part; another thread that
   * subscribes meanwhile may still read the method, and not adopt it.
   */
  void answers(ActorRuntime.QueryReply query) {
    subject = query;
  }

  /**
   * Cancels the query this future answers, which no composite query made, if it still waits for
   * its {@code Mono} (see {@code io.reactant.actor.ActorRefs#cancelQuery}).
   *
   * @return whether it was cancelled now: false for any other future
   */
  public boolean cancelQuery() {
    return subject instanceof ActorRuntime.QueryReply query && query.cancelledByCaller();
  }

  /** The call this future answers, if it answers a call (used to detect await cycles). */
  @Nullable Call call() {
    return subject instanceof Call c ? c : null;
  }

  /** Returns whether the future is complete, with a value or an error. */
  public boolean isDone() {
    return subscribers == TERMINATED;
  }

  /**
   * Whether the future's outcome was chosen: true from the moment a completion wins, before its
   * subscribers are signalled (and before {@link #isDone}), which it precedes. Any thread.
   */
  boolean isSettled() {
    return outcome != null;
  }

  /** The value of a future completed with one; null if it is not, or completed empty or failed. */
  private @Nullable Object value() {
    Object o = outcome;
    return o == EMPTY || o instanceof Failure ? null : o;
  }

  /** The error of a failed future, else null. */
  private @Nullable Throwable error() {
    return outcome instanceof Failure f ? f.error : null;
  }

  /** Completes the future with a value (or empty for null). Only the first completion counts. */
  boolean complete(@Nullable T v) {
    return settle(v, null, null);
  }

  /** Fails the future. Only the first completion counts. */
  boolean fail(Throwable e) {
    return settle(null, e, null);
  }

  /**
   * Fails the future and, if this completion is the first, runs {@code beforeSignal} before any
   * subscriber (present or late) can see the error.
   */
  boolean fail(Throwable e, Runnable beforeSignal) {
    return settle(null, e, beforeSignal);
  }

  /**
   * Completes the future with a value, for a caller that knows no other thread can complete or
   * fail it (nor could have): the claim is a plain store instead of a compare-and-set. Subscribers
   * may still arrive concurrently, as always. Returns false if the future was completed already.
   */
  boolean completeAlone(@Nullable T v) {
    if (outcome != null) {
      return false;
    }
    OUTCOME.lazySet(this, v == null ? EMPTY : v);
    publish(v, null, null);
    return true;
  }

  private boolean settle(@Nullable T v, @Nullable Throwable e, @Nullable Runnable beforeSignal) {
    if (outcome != null) {
      return false; // settled already: no holder made for an error that lost
    }
    Object chosen = e != null ? new Failure(e) : v == null ? EMPTY : v;
    if (!OUTCOME.compareAndSet(this, null, chosen)) {
      return false;
    }
    publish(v, e, beforeSignal);
    return true;
  }

  /**
   * Signals the subscribers present of the outcome just claimed ({@code v} or {@code e}); later
   * subscribers read it from {@link #outcome}, which the swap of the subscribers publishes.
   */
  private void publish(@Nullable T v, @Nullable Throwable e, @Nullable Runnable beforeSignal) {
    if (beforeSignal != null) {
      beforeSignal.run();
    }
    Object waiting = SUBSCRIBERS.getAndSet(this, TERMINATED);
    // the two kinds of waiter are told apart by their classes, not tested for the Waiter
    // interface: Reactor casts a subscription to Subscription, and on JDK 17 to 22 a class checked
    // against two interfaces in turn scans its supertypes at each check and rewrites the
    // one-entry cache the JVM keeps in the class (JDK-8180450; see Outgoing)
    if (waiting instanceof AwaitSubscriber<?> await) {
      signal(await, v, e);
    } else if (waiting instanceof Inner<?> inner) {
      signal(inner, v, e);
    } else if (waiting instanceof Waiter w) {
      signal(w, v, e);
    } else if (waiting instanceof Waiter[] all) {
      for (Waiter w : all) {
        signal(w, v, e);
      }
    }
  }

  private static void signal(Waiter w, @Nullable Object v, @Nullable Throwable e) {
    try {
      w.signal(v, e);
    } catch (Throwable failure) {
      // a subscriber's failure must not stop the others, nor the turn completing this future
      Operators.onErrorDropped(failure, w.currentContext());
    }
  }

  /**
   * Subscribes a Reactor subscriber (the runtime's own awaits register a {@link Waiter} instead).
   * A composite query's await of a future of an update call is refused with a {@link Trap}: the
   * query would wait behind that update (rule R19). The check reads the subscriber's Reactor
   * context, which names the awaiting query for every subscription made on the await's behalf:
   * of the future itself or through wrappers ({@code map}, {@code then}, {@code cache}, {@code
   * Mono.from}, {@code Mono.delay(d).then(f)}), at once or later on another thread. A query that
   * returns such a future as its result, or subscribes to it after an await's signal, awaits
   * nothing: it is answered when the future completes, as before. An update's await subscribing
   * through a wrapper to a future that can only complete after its call replies gets an error
   * (rule R13; see {@link #check}), and so does the Mono a method returns unawaited (a map of the
   * future, or the future itself, which its call subscribes to directly).
   *
   * <p>Such a subscription is a link of the call that waits for it, published before it is
   * checked, with a full fence in between, as an await's link is ({@code AwaitMono}): of a
   * subscription and an await (or two subscriptions) closing one cycle on two threads at once, at
   * least one check sees the other's link. A future of a call the current turn sent (still in its
   * outbox) needs neither fence nor check: that call has not run, so awaits nothing yet, and runs
   * only after the turn's commit, which the link precedes.
   */
  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    // a call subscribing to the future its method returns is no query's await, nor a composite
    // query's chain: its context, made when asked (Call.currentContext), is not read
    AwaitSubscriber<?> behalf = null;
    Call waiting = null; // the call that waits for this subscription, checked once it is linked
    boolean asIs = false; // the future returned as is by the method of that call
    if (subject instanceof Call update) {
      if (actual instanceof Call returning) {
        if (!isDone()) {
          waiting = returning;
          asIs = true;
        }
      } else {
        Object checked = check(update, actual);
        if (checked == REFUSED) {
          return;
        }
        if (checked instanceof AwaitSubscriber<?> w) {
          behalf = w;
          waiting = w.call();
        } else if (checked instanceof Call returned) {
          waiting = returned;
        }
      }
    } else if (subject instanceof ActorRuntime.QueryReply query && !(actual instanceof Call)) {
      query.subscribedBy(actual.currentContext()); // a composite query's chain adopts it
    }
    Inner<T> inner = new Inner<>(actual, this);
    if (subject instanceof Call c && c.carriesCycles()) {
      // subscribed on an await's behalf (f.map(g), a zip): the refund its reply brings is that
      // await's to report (rule R22)
      inner.refundTo = AwaitSubscriber.of(actual.currentContext());
    }
    actual.onSubscribe(inner); // a returning call's link (Call.waitsFor) from now on
    if (add(inner)) {
      if (inner.isCancelled()) {
        remove(inner);
        return;
      }
      if (behalf != null) {
        behalf.subscribedOnBehalf(inner); // a later await may close a cycle through it
      }
      if (waiting != null) {
        checkLinked(inner, waiting, asIs, behalf);
      }
    } else {
      inner.signal(value(), error());
    }
  }

  /**
   * Checks a subscription once it is linked (see {@link #subscribe}): fails it if its future can
   * only complete after {@code waiting} replies (rule R13). A future returned as is whose walk
   * met a Mono another call returned unawaited may close a cycle through a subscription of that
   * Mono, which the walk cannot see through ({@code f.map(g)}): such subscriptions get the error,
   * as after an await's activation, outside the turn of the returning call (their operators are
   * no code of that turn). So may a subscription made on an await's or a returned Mono's behalf,
   * through an earlier await of a cache of one call future, whose await then gets the error.
   */
  private void checkLinked(Inner<T> inner, Call waiting, boolean asIs,
      @Nullable AwaitSubscriber<?> behalf) {
    Call update = (Call) subject;
    if (AwaitMono.sentInCurrentTurn(update)) {
      return;
    }
    VarHandle.fullFence();
    if (!asIs) {
      inner.failIfDeadlocked(waiting, behalf == null, behalf);
      if (!inner.over() && AwaitMono.walk(waiting, update) == AwaitMono.OPEN_THROUGH_MONO) {
        // it may close a cycle through an await, made before, of a Mono that waits for one call
        // future through a shared subscription (a cache of it), which the check above does not
        // search: as for a future returned as is
        Contexts.runOutside(() -> AwaitSubscriber.failWrappedCycles(waiting, update));
      }
      return;
    }
    int found = AwaitMono.walk(waiting, update);
    if (found == AwaitMono.CYCLE) {
      inner.fail(returnedDeadlock(waiting, update));
    } else if (found == AwaitMono.OPEN_THROUGH_MONO) {
      Contexts.runOutside(() -> AwaitSubscriber.failWrappedCycles(waiting, update));
    }
  }

  /**
   * Whether a subscription made on an await's behalf is refused ({@link #REFUSED}, and {@code
   * actual} told why), else the call whose wait it is a link of, to check once it is linked: the
   * await of an update on whose behalf it is made, or the call on whose behalf of the Mono its
   * method returned unawaited it is made, if any. A composite query's await of an update's future
   * is refused at once (rule R19). An update's await of a future that can only complete after its
   * own call replies (rule R13), subscribed through a wrapper ({@code Mono.defer}, {@code map},
   * {@code Mono.delay(d).then(f)}, ...) of the awaited {@code Mono}, which the await's own check of
   * a call future cannot see, is failed once linked (see {@link #checkLinked}): not a trap of the
   * awaiting turn, only an error of this subscription (a {@link Trap}, an ordinary exception
   * until it escapes the method): the wrapper may not need this future (a race with a timer, a
   * fallback), and a trap cannot be caught. So is one made on the behalf of the Mono a method
   * returned unawaited ({@code f.map(g)}): a later cycle through it is found by a walk of that
   * Mono's operators (see {@code AwaitSubscriber.failWrappedCycles}), which needs no record of
   * the subscription.
   */
  private @Nullable Object check(Call update, CoreSubscriber<? super T> actual) {
    Context context = actual.currentContext();
    if (context.getOrDefault(QueryAwaitSubscriber.AWAITING_QUERY, null) instanceof QueryContext q) {
      Trap trap = new Trap("The query " + q.method + " of " + q.cell + " cannot wait for the"
          + " update " + update.method + " of " + update.target.id + " (rule R19): a composite"
          + " query awaits queries only");
      // the query traps even if it catches the error, on whatever thread the await subscribed:
      // the error signal below orders the record before the query's end
      q.raise(trap);
      Operators.error(actual, trap);
      return REFUSED;
    }
    if (isDone()) {
      return null;
    }
    AwaitSubscriber<?> w = AwaitSubscriber.of(context);
    if (w != null) {
      return w.call() == null ? null : w;
    }
    return context.getOrDefault(Call.ON_ERROR_DROPPED, null) instanceof Call.Dropped d
        ? d.call : null;
  }

  /** What {@link #check} answers for a subscription it refused. */
  private static final Object REFUSED = new Object();

  /**
   * The error of a subscription made on the await's behalf of {@code awaiting} to the future of
   * {@code update}, which can only complete after {@code awaiting} replies (rule R13).
   */
  static Trap wrappedDeadlock(Call awaiting, Call update) {
    ActorCell at = awaiting.cell; // the actor, as a direct await's error names it
    return new Trap((at != null ? at : awaiting.target.id) + " awaits a Mono that subscribed to"
        + " the future of " + update.method + " on " + update.target.id + ", which can only"
        + " complete after the current call to " + awaiting.method + " replies: the await would"
        + " deadlock (rule R13)");
  }

  /**
   * The error of a subscription made on the behalf of the Mono that the method of {@code waiting}
   * returned (unawaited), to the future of {@code update}, which can only complete after {@code
   * waiting} replies (rule R13).
   */
  static Trap returnedDeadlock(Call waiting, Call update) {
    ActorCell at = waiting.cell;
    return new Trap((at != null ? at : waiting.target.id) + " returned a Mono that subscribed to"
        + " the future of " + update.method + " on " + update.target.id + ", which can only"
        + " complete after the current call to " + waiting.method + " replies: the call would"
        + " deadlock (rule R13)");
  }

  /**
   * Registers the runtime's own waiter (an await's continuation) without a Reactor subscription:
   * it is signalled once with the outcome, at once if the future is already complete. The waiter
   * may leave with {@link #remove} (or simply ignore a signal it no longer wants).
   */
  void await(Waiter w) {
    if (!add(w)) {
      w.signal(value(), error());
    }
  }

  private boolean add(Waiter w) {
    for (;;) {
      Object a = subscribers;
      if (a == TERMINATED) {
        return false;
      }
      Object b;
      if (a == null) {
        b = w;
      } else if (a instanceof Waiter[] all) {
        int n = all.length;
        Waiter[] more = new Waiter[n + 1];
        System.arraycopy(all, 0, more, 0, n);
        more[n] = w;
        b = more;
      } else {
        b = new Waiter[] {(Waiter) a, w};
      }
      if (SUBSCRIBERS.compareAndSet(this, a, b)) {
        return true;
      }
    }
  }

  /**
   * Forgets a waiter that no longer wants the outcome; nothing if it is not registered. Returns
   * whether it was.
   */
  boolean remove(Waiter w) {
    for (;;) {
      Object a = subscribers;
      @Nullable Object b;
      if (a == w) {
        b = null;
      } else if (a instanceof Waiter[] all) {
        int n = all.length;
        int j = -1;
        for (int i = 0; i < n; i++) {
          if (all[i] == w) {
            j = i;
            break;
          }
        }
        if (j < 0) {
          return false;
        }
        if (n == 2) {
          b = all[1 - j];
        } else {
          Waiter[] fewer = new Waiter[n - 1];
          System.arraycopy(all, 0, fewer, 0, j);
          System.arraycopy(all, j + 1, fewer, j, n - j - 1);
          b = fewer;
        }
      } else {
        return false;
      }
      if (SUBSCRIBERS.compareAndSet(this, a, b)) {
        return true;
      }
    }
  }

  @Override
  public String toString() {
    return "CallFuture[" + subject + (isDone() ? ", done]" : "]");
  }

  /** A Reactor subscriber's subscription to the future. */
  static final class Inner<T> extends Operators.MonoSubscriber<T, T> implements Waiter {

    private final CallFuture<T> parent;
    /** The await to which this subscription reports the refund of the call's reply, if any. */
    @Nullable AwaitSubscriber<?> refundTo;
    /** Failed as a deadlock (see {@link #fail}): over, though its future may still complete. */
    private volatile boolean failed;

    Inner(CoreSubscriber<? super T> actual, CallFuture<T> parent) {
      super(actual);
      this.parent = parent;
    }

    /** The future this subscription is to. */
    CallFuture<T> future() {
      return parent;
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void signal(@Nullable Object v, @Nullable Throwable e) {
      if (isCancelled()) {
        return;
      }
      AwaitSubscriber<?> await = refundTo;
      Call c = parent.call();
      if (await != null && c != null) {
        await.refundReceived(c);
      }
      if (e != null) {
        actual.onError(e);
      } else if (v != null) {
        complete((T) v);
      } else {
        actual.onComplete();
      }
    }

    @Override
    public void cancel() {
      super.cancel();
      parent.remove(this);
    }

    /**
     * Whether the subscription is over: its future completed, it was cancelled, or it was failed
     * as a deadlock (rule R13).
     */
    boolean over() {
      return failed || isCancelled() || parent.isDone();
    }

    /**
     * Whether this subscription is over with a value its subscriber has or is about to get: its
     * future completed with one, perhaps not yet delivered (a subscriber signalled before it may
     * run code that searches the race this subscription feeds, rule R13). Any thread.
     */
    boolean gaveValue() {
      return !failed && parent.isDone() && parent.value() != null;
    }

    /**
     * Fails this subscription with {@code error} (rule R13), unless it was cancelled or its future
     * signalled meanwhile.
     */
    void fail(Trap error) {
      if (!isCancelled() && parent.remove(this)) {
        failed = true;
        actual.onError(error);
      }
    }

    /**
     * Whether this subscription was made on the behalf of the Mono that the method of {@code call}
     * returned: its context names that call, and no await.
     */
    boolean madeFor(Call call) {
      Context context = actual.currentContext();
      return context.getOrDefault(Call.ON_ERROR_DROPPED, null) instanceof Call.Dropped d
          && d.call == call && AwaitSubscriber.of(context) == null;
    }

    /** The call whose future this subscription waits for, or null if it is over or answers none. */
    @Nullable Call pendingCall() {
      return over() ? null : parent.call();
    }

    /**
     * Fails this subscription, made on the behalf of an await of {@code awaiting} ({@code behalf}),
     * or ({@code returned}) of the Mono its method returned unawaited, if its future can now only
     * complete after {@code awaiting} replies (rule R13): as {@link #check} would have refused it
     * had the cycle been closed when it was made. Nothing if the future completed or the
     * subscription was cancelled meanwhile. A subscription that feeds a race ({@code
     * Mono.firstWithValue}, {@code firstWithSignal}) whose other sources still pending can only
     * end after {@code awaiting} replies too, in an await of the race (or of a {@code map} of it,
     * see {@link #endsOnlyThrough}), fails that await instead, and in a race returned unawaited
     * (or a map of it), the returning call (the race would make its own error of its sources'
     * ones); one that feeds a {@code
     * firstWithSignal} another source of which may still end it is not failed: its error would
     * win a race that can still end otherwise (a {@code firstWithValue} drops a source that
     * fails and waits for the others).
     */
    void failIfDeadlocked(Call awaiting, boolean returned, @Nullable AwaitSubscriber<?> behalf) {
      Call update = parent.call();
      if (update == null || isCancelled() || parent.isDone()
          || !AwaitMono.wouldDeadlockThroughReturned(awaiting, update) || shared()) {
        return;
      }
      Object race = raceFed();
      if (race != null) {
        Object downstream = ReactorOperators.scan(race, Scannable.Attr.ACTUAL);
        Object coordinator = behalf != null && downstream == behalf ? behalf.upstream()
            : downstream instanceof Call c ? c.waitsFor()
            : ReactorOperators.scan(downstream, Scannable.Attr.PARENT);
        boolean blocked = AwaitMono.blockedBy(awaiting, coordinator) != null;
        if (blocked) {
          Object top = endsOnlyThrough(downstream);
          if (behalf != null && top == behalf) {
            behalf.failBlocked(awaiting, update);
            return;
          }
          if (returned && top == awaiting
              && awaiting.failReturned(returnedDeadlock(awaiting, update))) {
            return;
          }
        }
        if (!blocked && ReactorOperators.SIGNAL_RACE_INNER.equals(race.getClass().getName())) {
          return;
        }
      }
      fail(returned ? returnedDeadlock(awaiting, update) : wrappedDeadlock(awaiting, update));
    }

    /**
     * The subscriber that {@code downstream} (a race's, see {@link #failIfDeadlocked}) leads to
     * through {@link ReactorOperators#PASS_THROUGH_SUBSCRIBERS} ({@code map}, {@code filter}, ...),
     * which end only once their source has: an await or a call that can only end after the race
     * does, else another operator. On the failure path only.
     */
    private static @Nullable Object endsOnlyThrough(@Nullable Object downstream) {
      Object o = downstream;
      for (int depth = 0; depth < 16 && o != null; depth++) {
        if (!ReactorOperators.PASS_THROUGH_SUBSCRIBERS.contains(o.getClass().getName())) {
          return o;
        }
        o = ReactorOperators.scan(o, Scannable.Attr.ACTUAL);
      }
      return null;
    }

    /**
     * The inner subscriber of the race ({@code Mono.firstWithValue}, {@code firstWithSignal}) this
     * subscription feeds, through the operators between, if any. On the failure path only.
     */
    private @Nullable Object raceFed() {
      Object o = actual;
      for (int depth = 0; depth < 16 && o != null; depth++) {
        String name = o.getClass().getName();
        if (ReactorOperators.SIGNAL_RACE_INNER.equals(name)
            || ReactorOperators.VALUE_RACE_INNER.equals(name)) {
          return o;
        }
        o = ReactorOperators.scan(o, Scannable.Attr.ACTUAL);
      }
      return null;
    }

    /**
     * Whether this subscription feeds an operator that shares what it receives with other
     * subscribers, now or later ({@link ReactorOperators#SHARING_SUBSCRIBERS}: a {@code cache}, a
     * {@code share}), through the operators between (their {@link Scannable.Attr#ACTUAL}). Such a
     * subscription is never failed as a deadlock: the error would be kept and answered to every
     * subscriber, those in no cycle too, though its future may still complete (the awaiting call
     * handles its error and replies). An await of the cache itself gets the error instead, its own
     * subscription cancelled ({@code AwaitSubscriber.failIfSoleCallDeadlocked}). On the failure
     * path only.
     */
    private boolean shared() {
      Object o = actual;
      for (int depth = 0; depth < 16 && o != null; depth++) {
        if (ReactorOperators.SHARING_SUBSCRIBERS.contains(o.getClass().getName())) {
          return true;
        }
        o = ReactorOperators.scan(o, Scannable.Attr.ACTUAL);
      }
      return false;
    }
  }
}

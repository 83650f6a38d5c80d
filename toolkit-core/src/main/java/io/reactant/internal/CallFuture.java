package io.reactant.internal;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

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

  @SuppressWarnings("rawtypes")
  private static final Inner[] EMPTY = new Inner[0];
  @SuppressWarnings("rawtypes")
  private static final Inner[] TERMINATED = new Inner[0];
  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<CallFuture, Inner[]> SUBSCRIBERS =
      AtomicReferenceFieldUpdater.newUpdater(CallFuture.class, Inner[].class, "subscribers");

  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<CallFuture> CLAIMED =
      AtomicIntegerFieldUpdater.newUpdater(CallFuture.class, "claimed");

  private final @Nullable Call call;
  /** What the future answers, for toString only (described lazily: no string per call). */
  private final Object subject;
  private volatile int claimed;
  @SuppressWarnings("unchecked")
  private volatile Inner<T>[] subscribers = EMPTY;
  private @Nullable T value;
  private @Nullable Throwable error;

  CallFuture(@Nullable Call call, Object subject) {
    this.call = call;
    this.subject = subject;
  }

  /** The call this future answers, if it answers a call (used to detect await cycles). */
  @Nullable Call call() {
    return call;
  }

  /** Returns whether the future is complete, with a value or an error. */
  public boolean isDone() {
    return subscribers == TERMINATED;
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

  @SuppressWarnings("unchecked")
  private boolean settle(@Nullable T v, @Nullable Throwable e, @Nullable Runnable beforeSignal) {
    if (claimed != 0 || !CLAIMED.compareAndSet(this, 0, 1)) {
      return false;
    }
    value = v;
    error = e;
    if (beforeSignal != null) {
      beforeSignal.run();
    }
    Inner<T>[] inners = SUBSCRIBERS.getAndSet(this, TERMINATED);
    for (Inner<T> inner : inners) {
      try {
        inner.signal(v, e);
      } catch (Throwable failure) {
        // a subscriber's failure must not stop the others, nor the turn completing this future
        Operators.onErrorDropped(failure, inner.actual().currentContext());
      }
    }
    return true;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    Inner<T> inner = new Inner<>(actual, this);
    actual.onSubscribe(inner);
    if (add(inner)) {
      if (inner.isCancelled()) {
        remove(inner);
      }
    } else {
      inner.signal(value, error);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array of inner subscribers
  private boolean add(Inner<T> inner) {
    for (;;) {
      Inner<T>[] a = subscribers;
      if (a == TERMINATED) {
        return false;
      }
      int n = a.length;
      Inner<T>[] b = new Inner[n + 1];
      System.arraycopy(a, 0, b, 0, n);
      b[n] = inner;
      if (SUBSCRIBERS.compareAndSet(this, a, b)) {
        return true;
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array of inner subscribers
  private void remove(Inner<T> inner) {
    for (;;) {
      Inner<T>[] a = subscribers;
      int n = a.length;
      if (n == 0) {
        return;
      }
      int j = -1;
      for (int i = 0; i < n; i++) {
        if (a[i] == inner) {
          j = i;
          break;
        }
      }
      if (j < 0) {
        return;
      }
      Inner<T>[] b;
      if (n == 1) {
        b = EMPTY;
      } else {
        b = new Inner[n - 1];
        System.arraycopy(a, 0, b, 0, j);
        System.arraycopy(a, j + 1, b, j, n - j - 1);
      }
      if (SUBSCRIBERS.compareAndSet(this, a, b)) {
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "CallFuture[" + subject + (isDone() ? ", done]" : "]");
  }

  private static final class Inner<T> extends Operators.MonoSubscriber<T, T> {

    private final CallFuture<T> parent;

    Inner(CoreSubscriber<? super T> actual, CallFuture<T> parent) {
      super(actual);
      this.parent = parent;
    }

    void signal(@Nullable T v, @Nullable Throwable e) {
      if (isCancelled()) {
        return;
      }
      if (e != null) {
        actual.onError(e);
      } else if (v != null) {
        complete(v);
      } else {
        actual.onComplete();
      }
    }

    @Override
    public void cancel() {
      super.cancel();
      parent.remove(this);
    }
  }
}

package io.reactant.internal;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * An await inside a composite query: no commit, no mailbox; the signal is delivered downstream
 * inside the same query context (its own writes persist across the await, rule R19). It is also
 * the subscription its downstream gets, one that refuses fusion (see {@link AwaitMono}).
 */
final class QueryAwaitSubscriber<T> implements CoreSubscriber<T>, UnfusedSubscription<T> {

  private final QueryContext query;
  private final CoreSubscriber<? super T> actual;
  private volatile Subscription upstream = reactor.core.publisher.Operators.emptySubscription();

  QueryAwaitSubscriber(QueryContext query, CoreSubscriber<? super T> actual) {
    this.query = query;
    this.actual = actual;
  }

  @Override
  public void onSubscribe(Subscription s) {
    upstream = s;
    actual.onSubscribe(this);
  }

  @Override
  public void onNext(T t) {
    deliver(t, null, false);
  }

  @Override
  public void onError(Throwable t) {
    deliver(null, t, false);
  }

  @Override
  public void onComplete() {
    deliver(null, null, true);
  }

  /**
   * Passes a signal downstream in the query's context. What the query does with it is not part of
   * the await (even when the signal comes while the await is still subscribing): a future the
   * query then returns is not refused as an awaited update (see {@code CallFuture.subscribe}).
   */
  private void deliver(@Nullable T value, @Nullable Throwable error, boolean complete) {
    boolean subscribing = query.subscribingAwait;
    query.subscribingAwait = false;
    ExecutionContext previous = Contexts.enter(query);
    try {
      if (error != null) {
        actual.onError(error);
      } else if (complete) {
        actual.onComplete();
      } else {
        actual.onNext(java.util.Objects.requireNonNull(value));
      }
    } finally {
      Contexts.restore(previous);
      query.subscribingAwait = subscribing;
    }
  }

  @Override
  public void request(long n) {
    upstream.request(n);
  }

  @Override
  public void cancel() {
    upstream.cancel();
  }
}

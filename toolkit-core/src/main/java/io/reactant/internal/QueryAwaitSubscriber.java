package io.reactant.internal;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * An await inside a composite query: no commit, no mailbox; the signal is delivered downstream
 * inside the same query context (its own writes persist across the await, rule R19), as a part of
 * the query that never runs at once with another (see {@link QueryContext#run}). It is also
 * the subscription its downstream gets, one that refuses fusion (see {@link AwaitMono}).
 *
 * <p>Its Reactor {@link Context} names the query under {@link #AWAITING_QUERY}, so that whatever
 * subscribes to a call future on the await's behalf (the await itself, or a wrapper such as {@code
 * then}, {@code cache} or {@code Mono.delay(d).then(f)}, at once or later on another thread) is
 * seen by the future, which refuses an update's (see {@code CallFuture.subscribe}). What the
 * query does with the signal downstream is not part of the await: its subscriptions carry the
 * downstream's context.
 */
final class QueryAwaitSubscriber<T> implements CoreSubscriber<T>, UnfusedSubscription<T> {

  /** The key of the awaiting {@link QueryContext} in the context of an await's subscriptions. */
  static final Object AWAITING_QUERY = new Object() {
    @Override
    public String toString() {
      return "reactant.awaitingQuery";
    }
  };

  private final QueryContext query;
  private final CoreSubscriber<? super T> actual;
  private final Context context;
  private volatile Subscription upstream = reactor.core.publisher.Operators.emptySubscription();

  QueryAwaitSubscriber(QueryContext query, CoreSubscriber<? super T> actual) {
    this.query = query;
    this.actual = actual;
    this.context = actual.currentContext().put(AWAITING_QUERY, query);
  }

  @Override
  public Context currentContext() {
    return context;
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
   * Passes a signal downstream in the query's context, as a part of the query that runs when no
   * other part of it does (see {@link QueryContext#run}).
   */
  private void deliver(@Nullable T value, @Nullable Throwable error, boolean complete) {
    query.run(() -> {
      if (error != null) {
        actual.onError(error);
      } else if (complete) {
        actual.onComplete();
      } else {
        actual.onNext(java.util.Objects.requireNonNull(value));
      }
    });
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

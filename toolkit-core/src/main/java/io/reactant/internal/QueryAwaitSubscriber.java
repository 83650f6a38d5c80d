package io.reactant.internal;

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
    ExecutionContext previous = Contexts.enter(query);
    try {
      actual.onNext(t);
    } finally {
      Contexts.restore(previous);
    }
  }

  @Override
  public void onError(Throwable t) {
    ExecutionContext previous = Contexts.enter(query);
    try {
      actual.onError(t);
    } finally {
      Contexts.restore(previous);
    }
  }

  @Override
  public void onComplete() {
    ExecutionContext previous = Contexts.enter(query);
    try {
      actual.onComplete();
    } finally {
      Contexts.restore(previous);
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

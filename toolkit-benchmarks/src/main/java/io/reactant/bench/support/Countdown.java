package io.reactant.bench.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import scala.Function1;
import scala.util.Try;

/**
 * The one way every benchmark waits for a batch of asynchronous completions, whatever the system
 * under test: {@link #reset} arms it for {@code n} completions, each completion calls
 * {@link #countDown}, and the benchmark thread {@link #await}s the last one.
 *
 * <p>The waiter spins for {@link #SPIN_NANOS} (system property {@code bench.spinNanos}, default
 * 20 us), then parks; the last completion unparks it. Using the same waiter for Reactant, Pekko,
 * plain Reactor and the hand-off floor keeps the caller's side identical in every row.
 *
 * <p>It is also a Reactor subscriber (subscribe it to any number of {@code Mono}s: each terminal
 * signal counts one) and hands out a Scala callback for Pekko's futures ({@link #scalaCallback}),
 * run inline on the completing thread. The first error is kept and rethrown by {@link #await}, so
 * a benchmark that goes wrong fails instead of measuring an error path.
 *
 * <p>Thread-safety: {@code countDown} from any thread; {@code reset} and {@code await} from the
 * benchmark thread only.
 */
public final class Countdown implements CoreSubscriber<Object> {

  /** How long {@link #await} spins before it parks. */
  public static final long SPIN_NANOS = Long.getLong("bench.spinNanos", 20_000L);
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final AtomicInteger remaining = new AtomicInteger();
  private final Function1<Try<Object>, Object> scalaCallback = t -> {
    if (t.isFailure()) {
      fail(t.failed().get());
    }
    countDown();
    return null;
  };
  private volatile Thread waiter;
  private volatile Throwable error;

  /** Arms the countdown for {@code n} completions, to be awaited by the current thread. */
  public Countdown reset(int n) {
    waiter = Thread.currentThread();
    remaining.set(n);
    return this;
  }

  /** Counts one completion; the last one wakes the waiter. Any thread. */
  public void countDown() {
    if (remaining.decrementAndGet() == 0) {
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /** Records a failure (the first one wins); {@link #await} will rethrow it. */
  public void fail(Throwable t) {
    if (error == null) {
      error = t;
    }
  }

  /** Waits until every completion of the current batch happened: spin, then park. */
  public void await() {
    AtomicInteger r = remaining;
    if (r.get() > 0) {
      long start = System.nanoTime();
      int spins = 0;
      while (r.get() > 0) {
        if ((++spins & 63) == 0) {
          long waited = System.nanoTime() - start;
          if (waited > SPIN_NANOS) {
            parkUntilDone(start);
            break;
          }
        }
        Thread.onSpinWait();
      }
    }
    Throwable e = error;
    if (e != null) {
      error = null;
      throw new IllegalStateException("a call of the benchmark failed: " + e, e);
    }
  }

  private void parkUntilDone(long start) {
    while (remaining.get() > 0) {
      LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
      if (System.nanoTime() - start > TIMEOUT_NANOS) {
        fail(new TimeoutException(remaining.get() + " completions still missing after 60 s"));
        return;
      }
    }
  }

  /** A Scala {@code Try => Unit} callback counting one completion, for {@code onComplete}. */
  @SuppressWarnings("unchecked")
  public <T> Function1<Try<T>, Object> scalaCallback() {
    return (Function1<Try<T>, Object>) (Function1<?, ?>) scalaCallback;
  }

  // ---- Reactor: a reusable subscriber, each terminal signal counts one completion

  @Override
  public void onSubscribe(Subscription s) {
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(Object o) {
    // the value does not matter
  }

  @Override
  public void onError(Throwable t) {
    fail(t);
    countDown();
  }

  @Override
  public void onComplete() {
    countDown();
  }
}

package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/** The call future's bookkeeping of who waits: Reactor subscribers and the runtime's awaits. */
class CallFutureTest {

  /** A runtime waiter that counts its signals. */
  static final class CountingWaiter implements CallFuture.Waiter {
    final AtomicInteger signals = new AtomicInteger();
    volatile @Nullable Object value;
    volatile @Nullable Throwable error;

    @Override
    public void signal(@Nullable Object v, @Nullable Throwable e) {
      value = v;
      error = e;
      signals.incrementAndGet();
    }

    @Override
    public Context currentContext() {
      return Context.empty();
    }
  }

  @Test
  @DisplayName("R3 one waiter, several waiters and late waiters all see the value exactly once")
  void everyWaiterSeesTheValueOnce() {
    CallFuture<Object> one = new CallFuture<>("one");
    CountingWaiter single = new CountingWaiter();
    one.await(single);
    one.complete("v");
    assertThat(single.signals).hasValue(1);
    assertThat(single.value).isEqualTo("v");

    CallFuture<Object> many = new CallFuture<>("many");
    List<CountingWaiter> waiters = new ArrayList<>();
    AtomicInteger reactorSignals = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      CountingWaiter w = new CountingWaiter();
      waiters.add(w);
      many.await(w);
      many.subscribe(v -> reactorSignals.incrementAndGet());
    }
    many.complete("w");
    CountingWaiter late = new CountingWaiter();
    many.await(late);
    waiters.add(late);
    for (CountingWaiter w : waiters) {
      assertThat(w.signals).hasValue(1);
      assertThat(w.value).isEqualTo("w");
    }
    assertThat(reactorSignals).hasValue(3);
  }

  @Test
  @DisplayName("R3 a future completed by its only completer (no compare-and-set) answers earlier and"
      + " later waiters once and refuses any later completion or failure")
  void completionByTheOnlyCompleter() {
    CallFuture<Object> f = new CallFuture<>("alone");
    CountingWaiter early = new CountingWaiter();
    f.await(early);
    assertThat(f.completeAlone("v")).isTrue();
    assertThat(f.completeAlone("w")).isFalse();
    assertThat(f.complete("x")).isFalse();
    assertThat(f.fail(new IllegalStateException("late"))).isFalse();
    CountingWaiter late = new CountingWaiter();
    f.await(late);
    assertThat(early.signals).hasValue(1);
    assertThat(early.value).isEqualTo("v");
    assertThat(late.signals).hasValue(1);
    assertThat(late.value).isEqualTo("v");
    assertThat(f.block()).isEqualTo("v");

    CallFuture<Object> failed = new CallFuture<>("failed first");
    assertThat(failed.fail(new IllegalStateException("first"))).isTrue();
    assertThat(failed.completeAlone("v")).isFalse();
  }

  @Test
  @DisplayName("R3 a future's outcome is told apart from its value: a Throwable completed as a value"
      + " is a value, an empty completion is empty, an error is an error, for every subscriber")
  void outcomesAreToldApart() {
    IllegalStateException asValue = new IllegalStateException("a value");
    CallFuture<Object> valued = new CallFuture<>("valued");
    CountingWaiter early = new CountingWaiter();
    valued.await(early);
    assertThat(valued.complete(asValue)).isTrue();
    CountingWaiter late = new CountingWaiter();
    valued.await(late);
    assertThat(early.value).isSameAs(asValue);
    assertThat(early.error).isNull();
    assertThat(late.value).isSameAs(asValue);
    assertThat(late.error).isNull();
    StepVerifier.create(valued).expectNext(asValue).verifyComplete();

    CallFuture<Object> empty = new CallFuture<>("empty");
    assertThat(empty.completeAlone(null)).isTrue();
    assertThat(empty.isSettled()).isTrue();
    assertThat(empty.fail(new IllegalStateException("late"))).isFalse();
    StepVerifier.create(empty).verifyComplete();

    IllegalStateException failure = new IllegalStateException("an error");
    CallFuture<Object> failed = new CallFuture<>("failed");
    assertThat(failed.fail(failure)).isTrue();
    assertThat(failed.complete("late")).isFalse();
    CountingWaiter afterwards = new CountingWaiter();
    failed.await(afterwards);
    assertThat(afterwards.error).isSameAs(failure);
    assertThat(afterwards.value).isNull();
    StepVerifier.create(failed).verifyErrorSatisfies(e -> assertThat(e).isSameAs(failure));
  }

  @Test
  @DisplayName("R3 a removed waiter or a cancelled subscriber is not signalled; the others are")
  void removedWaitersAreNotSignalled() {
    CallFuture<Object> f = new CallFuture<>("f");
    CountingWaiter a = new CountingWaiter();
    CountingWaiter b = new CountingWaiter();
    CountingWaiter c = new CountingWaiter();
    f.await(a);
    f.await(b);
    AtomicInteger reactorSignals = new AtomicInteger();
    Disposable cancelled = f.subscribe(v -> reactorSignals.incrementAndGet());
    f.await(c);
    f.remove(b);
    cancelled.dispose();
    f.remove(new CountingWaiter()); // not registered: nothing happens
    f.complete("x");
    assertThat(a.signals).hasValue(1);
    assertThat(b.signals).hasValue(0);
    assertThat(c.signals).hasValue(1);
    assertThat(reactorSignals).hasValue(0);
  }

  @Test
  @DisplayName("R3 8 threads adding and removing 10k waiters while the future completes (claimed by"
      + " a compare-and-set, or by a plain store for its only completer): each kept waiter is"
      + " signalled exactly once, no removed one is")
  void concurrentWaitersAndCompletion() throws Exception {
    for (int round = 0; round < 40; round++) {
      boolean alone = round % 2 == 1;
      CallFuture<Object> f = new CallFuture<>("contended");
      int threads = 8;
      int perThread = 1_250;
      List<CountingWaiter> kept = new ArrayList<>();
      List<CountingWaiter> removed = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<CountingWaiter> mineKept = new ArrayList<>();
        List<CountingWaiter> mineRemoved = new ArrayList<>();
        Thread worker = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          for (int i = 0; i < perThread; i++) {
            CountingWaiter w = new CountingWaiter();
            f.await(w);
            if (i % 2 == 0) {
              f.remove(w);
              mineRemoved.add(w);
            } else {
              mineKept.add(w);
            }
          }
          synchronized (kept) {
            kept.addAll(mineKept);
            removed.addAll(mineRemoved);
          }
        });
        workers.add(worker);
        worker.start();
      }
      start.countDown();
      Thread completer = new Thread(() -> {
        if (alone) {
          f.completeAlone("done");
        } else {
          f.complete("done");
        }
      });
      completer.start();
      for (Thread w : workers) {
        w.join();
      }
      completer.join();
      assertThat(kept).hasSize(threads * perThread / 2);
      for (CountingWaiter w : kept) {
        assertThat(w.signals).hasValue(1);
      }
      for (CountingWaiter w : removed) {
        // removed before completion: never signalled; removed after: signalled once, as a waiter
        // that came too late to leave
        assertThat(w.signals.get()).isBetween(0, 1);
      }
      assertThat(f.isDone()).isTrue();
    }
  }
}

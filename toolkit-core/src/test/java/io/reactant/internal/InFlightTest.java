package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The count of calls in flight that an orderly shutdown waits on. */
class InFlightTest {

  /** A pool thread as the default scheduler makes them (with a slot for its own count). */
  static final class PoolThread extends HandOffThread {
    PoolThread(ForkJoinPool pool) {
      super(pool);
    }
  }

  @Test
  @DisplayName("R3 4 pool threads and 4 plain threads counting 400k calls, each queued on one kind"
      + " of thread and finished on the other, for two systems sharing the pool: both sums end at 0")
  void countsAreExactAcrossThreadsAndSystems() throws Exception {
    ForkJoinPool pool = new ForkJoinPool(4, PoolThread::new, null, true);
    try {
      InFlight first = new InFlight();
      InFlight second = new InFlight(); // shares the pool: counts through its shared counter
      int perTask = 50_000;
      List<ForkJoinTask<?>> onPool = new ArrayList<>();
      List<Thread> plain = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        onPool.add(pool.submit(() -> {
          for (int k = 0; k < perTask; k++) {
            first.increment();
            second.decrement();
          }
        }));
        Thread t = new Thread(() -> {
          for (int k = 0; k < perTask; k++) {
            first.decrement();
            second.increment();
          }
        });
        plain.add(t);
        t.start();
      }
      for (ForkJoinTask<?> task : onPool) {
        task.get(30, TimeUnit.SECONDS);
      }
      for (Thread t : plain) {
        t.join();
      }
      assertThat(first.sum()).isZero();
      assertThat(second.sum()).isZero();
      first.increment();
      assertThat(first.sum()).isEqualTo(1L);
      pool.submit(first::decrement).get(30, TimeUnit.SECONDS);
      assertThat(first.sum()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("R3 a call counted by a pool thread that has ended since is still counted until it"
      + " finishes on a thread of a new pool")
  void countsOfEndedThreadsAreKept() throws Exception {
    InFlight count = new InFlight();
    for (int i = 0; i < 5; i++) {
      ForkJoinPool before = new ForkJoinPool(1, PoolThread::new, null, true);
      before.submit(count::increment).get(30, TimeUnit.SECONDS);
      before.shutdown();
      assertThat(before.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(count.sum()).isEqualTo(1L);
      ForkJoinPool after = new ForkJoinPool(1, PoolThread::new, null, true);
      after.submit(count::decrement).get(30, TimeUnit.SECONDS);
      assertThat(count.sum()).isZero();
      after.shutdown();
      assertThat(after.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}

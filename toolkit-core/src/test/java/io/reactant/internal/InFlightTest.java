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
}

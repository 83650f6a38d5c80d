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

  @Test
  @DisplayName("R13 while one call stays in flight, no reading reports zero, however 400k other calls"
      + " entering on pool threads and finishing on plain threads interleave with it")
  void neverReadsZeroWhileACallIsInFlight() throws Exception {
    ForkJoinPool pool = new ForkJoinPool(2, PoolThread::new, null, true);
    InFlight count = new InFlight();
    count.increment(); // the call that stays in flight
    // a synchronous hand-off keeps at most a call or two in flight besides the one that stays
    java.util.concurrent.SynchronousQueue<Object> handedOver = new java.util.concurrent.SynchronousQueue<>();
    Object token = new Object();
    int perTask = 100_000;
    try {
      List<ForkJoinTask<?>> entering = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        entering.add(pool.submit(() -> {
          for (int k = 0; k < perTask; k++) {
            count.increment();
            try {
              handedOver.put(token); // the call goes to another thread, which finishes it
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        }));
      }
      List<Thread> finishing = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Thread t = new Thread(() -> {
          try {
            for (int k = 0; k < perTask; k++) {
              handedOver.take();
              count.decrement();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        finishing.add(t);
        t.start();
      }
      long readings = 0;
      long wrongZeros = 0;
      while (finishing.stream().anyMatch(Thread::isAlive) || readings < 10_000) {
        if (count.isZero()) {
          wrongZeros++;
        }
        readings++;
      }
      for (ForkJoinTask<?> task : entering) {
        task.get(30, TimeUnit.SECONDS);
      }
      for (Thread t : finishing) {
        t.join();
      }
      assertThat(wrongZeros).as("zero readings out of %d", readings).isZero();
      assertThat(count.sum()).isEqualTo(1L);
      count.decrement();
      assertThat(count.isZero()).isTrue();
      assertThat(count.sum()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }
}

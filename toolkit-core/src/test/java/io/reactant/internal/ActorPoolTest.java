package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The watchdog's side of the pool: {@link ActorPool#wakeIfStalled} and its count. */
class ActorPoolTest {

  @Test
  void aPoolLeavingATaskWaitingWithAThreadIdleAtTwoLooksIsWokenAndCounted() {
    // a factory that makes no thread: a submitted task waits with no thread running, the state in
    // which JDK 17 strands a task (there with a thread idle, here with none started). Only one
    // wake: JDK 17's pool goes on counting a thread it failed to start as active.
    ActorPool pool = new ActorPool(2, p -> null);
    try {
      AtomicInteger ran = new AtomicInteger();
      pool.execute(ran::incrementAndGet);
      assertThat(pool.hasQueuedSubmissions()).isTrue();

      assertThat(pool.wakeIfStalled()).as("first look: maybe a moment").isFalse();
      assertThat(pool.wakeUps()).isZero();
      assertThat(pool.wakeIfStalled()).as("second look: stalled").isTrue();
      assertThat(pool.wakeUps()).isEqualTo(1);
      assertThat(pool.hasQueuedSubmissions()).as("the task is not lost").isTrue();

      assertThat(pool.wakeIfStalled()).as("a wake starts the count of looks again").isFalse();
      assertThat(pool.wakeUps()).isEqualTo(1);
      assertThat(ran).as("no thread could run it").hasValue(0);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aPoolThatRunsItsTasksIsNeverWoken() throws InterruptedException {
    ActorPool pool = new ActorPool(2, ForkJoinPool.defaultForkJoinWorkerThreadFactory);
    try {
      for (int round = 0; round < 100; round++) {
        CountDownLatch done = new CountDownLatch(1);
        pool.execute(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.awaitQuiescence(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.wakeIfStalled()).isFalse();
        assertThat(pool.wakeIfStalled()).isFalse();
      }
      assertThat(pool.wakeUps()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }
}

package io.reactant.bench.support;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The physical floor of a request-response to another thread: a lock-free queue hands a task to
 * one consumer thread, which runs it and signals the caller back. No actor, no future, no
 * transaction: what is left is the cost of the hand-off itself (queue node, cache-line transfer,
 * and a thread wake-up whenever a side had to park).
 *
 * <p>The consumer spins for {@link Countdown#SPIN_NANOS} when its queue is empty, then parks until
 * a producer unparks it; the caller waits with the same {@link Countdown} as every other row.
 */
public final class HandOffFloor implements AutoCloseable {

  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final Thread consumer;
  private volatile boolean parked;
  private volatile boolean closed;

  public HandOffFloor(String name) {
    consumer = new Thread(this::consume, name);
    consumer.setDaemon(true);
    consumer.start();
  }

  /** Hands a task to the consumer thread. Any thread. */
  public void submit(Runnable task) {
    queue.offer(task);
    if (parked) {
      LockSupport.unpark(consumer);
    }
  }

  private void consume() {
    ConcurrentLinkedQueue<Runnable> q = queue;
    while (!closed) {
      Runnable task = q.poll();
      if (task != null) {
        task.run();
        continue;
      }
      long start = System.nanoTime();
      int spins = 0;
      while ((task = q.poll()) == null) {
        if ((++spins & 63) == 0 && System.nanoTime() - start > Countdown.SPIN_NANOS) {
          parked = true;
          if (q.isEmpty() && !closed) {
            LockSupport.park(this);
          }
          parked = false;
          start = System.nanoTime();
        }
        if (closed) {
          return;
        }
        Thread.onSpinWait();
      }
      task.run();
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(consumer);
    try {
      consumer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

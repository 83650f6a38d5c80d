package io.reactant.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The work-stealing pool behind {@code WorkStealingScheduler}: a {@link ForkJoinPool} in FIFO
 * mode that lets the runtime admit waiting submissions into a busy thread's own queue.
 *
 * <p>A pool thread runs the tasks of its own queue, one after another, for as long as there are
 * any, and looks at the pool's submission queues (where tasks from outside the pool wait: ingress
 * calls, timers firing, anything a non-pool thread schedules) only when its own queue is empty.
 * Actors that keep sending each other messages keep every thread's queue non-empty, so without
 * admission an ingress call could wait for as long as that traffic lasts. The runtime calls
 * {@link #admitSubmission} from time to time on each thread (see {@code ActorCell.run}): a
 * waiting submission then queues behind the tasks of that thread like any of them.
 */
public final class ActorPool extends ForkJoinPool {

  /** A pool of {@code parallelism} threads made by {@code factory}, in FIFO mode. */
  public ActorPool(int parallelism, ForkJoinWorkerThreadFactory factory) {
    super(parallelism, factory, null, true);
  }

  /**
   * Moves one task waiting in the submission queues, if any, to the end of the calling pool
   * thread's own queue. Only from a thread of this pool.
   *
   * @return whether a task was moved
   */
  boolean admitSubmission() {
    ForkJoinTask<?> task = pollSubmission();
    if (task == null) {
      return false;
    }
    task.fork(); // the current thread's queue: this is one of the pool's threads
    return true;
  }
}

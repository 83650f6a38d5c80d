package io.reactant.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;

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

  /** Whether the last {@link #wakeIfStalled} saw tasks waiting with a thread idle; watchdog only. */
  private boolean stallSeen;
  /** The pool's count of steals at that look; watchdog only. */
  private long stealsSeen;
  /** How many times {@link #wakeIfStalled} woke the pool; written by the watchdog only. */
  private volatile long wakeUps;

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

  /**
   * Wakes an idle thread if the pool has left tasks waiting with a thread idle at this call and at
   * the one before ({@link Watchdog}, every tick), with no thread finishing a run of tasks in
   * between (a busy pool passes through such moments all the time; a stall stays in one). On JDK
   * 17 a thread that runs out of work goes idle without looking at the queues again while another
   * thread is busy, and a task submitted in that instant wakes no one: it waits for the busy
   * thread, however long that one's task runs (a turn that blocks), with a thread idle. Waking:
   * every waiting submission is taken out and submitted again from this thread, into a submission
   * queue that is then empty, which wakes an idle thread (that thread also takes tasks left in
   * other threads' queues); with no submission waiting, an empty task does the waking. A check
   * that finds nothing costs a few reads; a needless wake costs one resubmission. The watchdog's
   * thread only.
   *
   * @return whether it woke the pool
   */
  boolean wakeIfStalled() {
    boolean waiting = getActiveThreadCount() < getParallelism()
        && (hasQueuedSubmissions() || getQueuedTaskCount() > 0);
    // a thread adds to the count of steals each time it finishes a run of tasks it took from a
    // queue: unchanged, no thread got to any queued work between the two looks
    long steals = waiting ? getStealCount() : 0;
    if (!waiting || !stallSeen || steals != stealsSeen) {
      stallSeen = waiting; // tasks wait with a thread idle: a moment, or a stall if it lasts
      stealsSeen = steals;
      return false;
    }
    stallSeen = false;
    wakeUps = wakeUps + 1; // one writer
    List<ForkJoinTask<?>> waitingTasks = new ArrayList<>();
    for (ForkJoinTask<?> t; (t = pollSubmission()) != null; ) {
      waitingTasks.add(t);
    }
    if (waitingTasks.isEmpty()) {
      waitingTasks.add(ForkJoinTask.adapt(() -> { })); // only wakes a thread
    }
    for (ForkJoinTask<?> t : waitingTasks) {
      try {
        execute(t);
      } catch (RejectedExecutionException e) {
        t.quietlyInvoke(); // shut down meanwhile: run here rather than lose an actor's run
      }
    }
    return true;
  }

  /** How many times {@link #wakeIfStalled} found the pool stalled and woke it; any thread. */
  public long wakeUps() {
    return wakeUps;
  }
}

package io.reactant.scheduler;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link Scheduler.Worker} that hands its tasks to a scheduler and cancels those still pending
 * when disposed; once disposed (or its scheduler is), it refuses tasks with a {@link
 * RejectedExecutionException}, as Reactor's workers do. Its tasks run one at a time, in the order
 * they fell due, as on Reactor's workers (operators such as {@code delaySequence} rely on it): a
 * task due now waits in the worker's queue until the one before it has run, whatever order or
 * number of threads the scheduler runs its own tasks in. It holds a task only until the task has run (a one-shot) or is disposed, so a
 * long-lived worker (a {@code publishOn}'s, a {@code delayElements}') does not grow. Thread-safe.
 */
final class TrackingWorker implements Scheduler.Worker, Runnable {

  private final Scheduler scheduler;
  private final Disposable.Composite tasks = Disposables.composite();
  /** The tasks due, in the order they fell due, run one at a time by {@link #run}. */
  private final Queue<Task> due = new ConcurrentLinkedQueue<>();
  /** Work in progress: non-zero while a run of the queue is scheduled or running. */
  private final AtomicInteger wip = new AtomicInteger();

  TrackingWorker(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public Disposable schedule(Runnable task) {
    Task t = new Task(task, false);
    if (scheduler.isDisposed() || !tasks.add(t)) {
      throw disposed();
    }
    try {
      enqueue(t, false);
    } catch (RuntimeException e) { // the scheduler refused the run: so does the worker
      t.dispose();
      throw e;
    }
    return t;
  }

  /**
   * Queues {@code task} in the worker when due. A task due now is queued at once, behind the
   * worker's earlier ones; a later one is queued by the scheduler's timer, in time order (on the
   * deterministic scheduler, tasks due at the same time are taken in the order they were given,
   * seeded or not; on the pool, its timer thread queues them itself, rather than the pool's
   * threads racing). Once the pool is {@linkplain WorkStealingScheduler#disposeGracefully()
   * disposed gracefully}, its timer thread runs a task scheduled before when it falls due, as it
   * runs the pool's own.
   */
  @Override
  public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
    if (delay <= 0) {
      return schedule(task);
    }
    Task t = new Task(task, false);
    if (scheduler.isDisposed() || !tasks.add(t)) {
      throw disposed();
    }
    Runnable queue = () -> enqueue(t, true);
    try {
      return t.scheduled(scheduler instanceof WorkStealingScheduler pool
          ? pool.scheduleOnTimer(queue, delay, unit)
          : scheduler instanceof DeterministicScheduler clock
              ? clock.schedule(queue, delay, unit, true)
              : scheduler.schedule(queue, delay, unit));
    } catch (RuntimeException e) { // the scheduler refused it: so does the worker
      t.dispose();
      throw e;
    }
  }

  /**
   * Queues {@code task} in the worker every {@code period} after {@code initialDelay}, as {@link
   * #schedule(Runnable, long, TimeUnit)} queues a delayed task. A firing that comes while the
   * task's last run is still queued or running is skipped, as on {@link WorkStealingScheduler}'s
   * own periodic tasks: a run slower than the period, or a busy scheduler, leaves no backlog of
   * runs queued behind it.
   */
  @Override
  public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
    Task t = new Task(task, true);
    if (scheduler.isDisposed() || !tasks.add(t)) {
      throw disposed();
    }
    Runnable queue = () -> {
      if (t.claim()) {
        try {
          enqueue(t, true);
        } catch (RuntimeException e) { // not queued: the next firing may try again
          t.unclaim();
          throw e;
        }
      }
    };
    try {
      return t.scheduled(scheduler instanceof WorkStealingScheduler pool
          ? pool.schedulePeriodicallyOnTimer(queue, initialDelay, period, unit)
          : scheduler instanceof DeterministicScheduler clock
              ? clock.schedulePeriodically(queue, initialDelay, period, unit, true)
              : scheduler.schedulePeriodically(queue, initialDelay, period, unit));
    } catch (RuntimeException e) { // refused, or a period that is not positive
      t.dispose();
      throw e;
    }
  }

  /**
   * Queues a task that is due; schedules a run of the queue unless one is on its way. {@code
   * fellDue}: a delayed task queued by the scheduler's timer, which runs the queue itself when the
   * pool refuses the run because it was disposed gracefully (its timer thread still runs the
   * delayed tasks scheduled before: see {@link WorkStealingScheduler#disposeGracefully()}).
   */
  private void enqueue(Task t, boolean fellDue) {
    due.offer(t);
    if (wip.getAndIncrement() == 0) {
      try {
        scheduler.schedule(this);
      } catch (RejectedExecutionException e) {
        if (fellDue && scheduler instanceof WorkStealingScheduler) {
          run(); // on the timer thread, which ends only after the delayed tasks scheduled before
          return;
        }
        refused(t);
        throw e;
      } catch (RuntimeException e) {
        refused(t);
        throw e;
      }
    }
  }

  /**
   * The scheduler refused the run of the queue that queueing {@code t} asked for: {@code t} is
   * refused with it (its caller throws), and so is every task that other threads queued meanwhile
   * counting on that run (they saw it on its way, and their {@code schedule} returned): each is
   * disposed, as the scheduler's disposal drops its pending tasks, so that none is left pending in
   * the worker, never to run (they were, and the worker kept them). Works off the count as {@link
   * #run} does, so that a task queued while this runs is either disposed here or asks for a run of
   * its own. {@code t} is null when no task of the caller's is to be refused (a run that
   * resumed after a failure).
   */
  private void refused(@Nullable Task t) {
    if (t != null) {
      due.remove(t);
    }
    int missed = 1;
    for (;;) {
      Task other;
      while ((other = due.poll()) != null) {
        other.dispose();
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /** Runs the tasks due, one at a time, in order. */
  @Override
  public void run() {
    int missed = 1;
    for (;;) {
      Task t;
      while ((t = due.poll()) != null) {
        try {
          t.run();
        } catch (RuntimeException | Error e) {
          resumeAfterFailure();
          throw e;
        }
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /**
   * A task threw out of {@link #run} (a deterministic scheduler lets it reach the test): the tasks
   * still due run in a new run of the queue, after it.
   */
  private void resumeAfterFailure() {
    wip.set(0);
    if (!due.isEmpty() && wip.getAndIncrement() == 0) {
      try {
        scheduler.schedule(this);
      } catch (RuntimeException refused) {
        refused(null); // the scheduler is gone: so are the tasks
      }
    }
  }

  /**
   * What a task given to the worker once it is disposed meets, as on Reactor's workers: a task
   * dropped behind a handle already disposed would leave its caller waiting for ever (a {@code
   * Mono.delay} on {@code Schedulers.single(pool)} disposed), where Reactor's operators turn the
   * refusal into an error. Its scheduler's disposal is checked too, and not only by the
   * scheduler's refusal of the worker's run: a task given while the worker's run is under way
   * (from one of its own tasks) joins that run without asking the scheduler, and would run on a
   * scheduler disposed meanwhile, where Reactor's worker refuses it.
   */
  private RejectedExecutionException disposed() {
    return new RejectedExecutionException(scheduler.isDisposed()
        ? "The worker's scheduler is disposed: it takes no more tasks"
        : "The worker is disposed: it takes no more tasks");
  }

  /**
   * Cancels the worker's pending tasks (its own only: the scheduler and its other workers go on);
   * a task that is running ends its run. From then on the worker refuses tasks with a {@link
   * RejectedExecutionException}.
   */
  @Override
  public void dispose() {
    tasks.dispose();
  }

  @Override
  public boolean isDisposed() {
    return tasks.isDisposed();
  }

  /** The tasks the worker holds (pending one-shots and periodic tasks), for tests. */
  int trackedTasks() {
    return tasks.size();
  }

  /**
   * A task of the worker: leaves the worker's set once it has run (a one-shot) or when disposed.
   * It may run before the scheduler's handle is attached ({@link #scheduled}); a dispose that
   * comes before that handle still cancels it (a {@link Disposable.Swap} disposes a handle set
   * after it was disposed).
   */
  private final class Task implements Runnable, Disposable {
    private final Runnable task;
    private final boolean periodic;
    private final Disposable.Swap handle = Disposables.swap();
    /** A periodic task's: true from the firing that queued it until that run ends. */
    private final AtomicBoolean queued = new AtomicBoolean();

    Task(Runnable task, boolean periodic) {
      this.task = task;
      this.periodic = periodic;
    }

    Disposable scheduled(Disposable scheduled) {
      handle.replace(scheduled);
      return this;
    }

    /** Whether this periodic task's firing may queue it: its last run has ended. */
    boolean claim() {
      return queued.compareAndSet(false, true);
    }

    void unclaim() {
      queued.set(false);
    }

    @Override
    public void run() {
      if (handle.isDisposed()) {
        unclaim();
        return;
      }
      try {
        task.run();
      } finally {
        if (periodic) {
          unclaim();
        } else {
          handle.replace(null); // it has run: done, without cancelling the scheduler's handle
          dispose();
        }
      }
    }

    @Override
    public void dispose() {
      handle.dispose();
      tasks.remove(this);
    }

    /**
     * Disposed; or a periodic task whose firings the scheduler stopped (a disposal of the pool,
     * immediate or graceful, disposes its periodic tasks); or the deterministic scheduler it was
     * given to was disposed: that one drops its tasks, so this one will never run. (A pool
     * disposed gracefully still runs the delayed one-shots given to it before.) A one-shot's
     * delayed handle is not asked: it ends when the task is queued in the worker, not when it ran.
     */
    @Override
    public boolean isDisposed() {
      if (handle.isDisposed()) {
        return true;
      }
      if (periodic) {
        Disposable firings = handle.get();
        if (firings != null && firings.isDisposed()) {
          return true;
        }
      }
      return scheduler instanceof DeterministicScheduler clock && clock.isDisposed();
    }
  }
}

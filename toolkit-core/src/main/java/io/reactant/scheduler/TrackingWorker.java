package io.reactant.scheduler;

import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link Scheduler.Worker} that hands its tasks to a scheduler and cancels those still pending
 * when disposed. It holds a task only until the task has run (a one-shot) or is disposed, so a
 * long-lived worker (a {@code publishOn}'s, a {@code delayElements}') does not grow. Thread-safe.
 */
final class TrackingWorker implements Scheduler.Worker {

  private final Scheduler scheduler;
  private final Disposable.Composite tasks = Disposables.composite();

  TrackingWorker(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public Disposable schedule(Runnable task) {
    Task t = new Task(task, false);
    return tasks.add(t) ? t.scheduled(scheduler.schedule(t)) : Disposables.disposed();
  }

  @Override
  public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
    Task t = new Task(task, false);
    return tasks.add(t) ? t.scheduled(scheduler.schedule(t, delay, unit)) : Disposables.disposed();
  }

  @Override
  public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
    Task t = new Task(task, true);
    return tasks.add(t)
        ? t.scheduled(scheduler.schedulePeriodically(t, initialDelay, period, unit))
        : Disposables.disposed();
  }

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

    Task(Runnable task, boolean periodic) {
      this.task = task;
      this.periodic = periodic;
    }

    Disposable scheduled(Disposable scheduled) {
      handle.replace(scheduled);
      return this;
    }

    @Override
    public void run() {
      if (handle.isDisposed()) {
        return;
      }
      try {
        task.run();
      } finally {
        if (!periodic) {
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

    @Override
    public boolean isDisposed() {
      return handle.isDisposed();
    }
  }
}

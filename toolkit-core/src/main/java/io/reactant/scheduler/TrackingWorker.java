package io.reactant.scheduler;

import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link Scheduler.Worker} that hands its tasks to a scheduler and cancels all of them when
 * disposed. Thread-safe.
 */
final class TrackingWorker implements Scheduler.Worker {

  private final Scheduler scheduler;
  private final Disposable.Composite tasks = Disposables.composite();

  TrackingWorker(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public Disposable schedule(Runnable task) {
    return track(scheduler.schedule(task));
  }

  @Override
  public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
    return track(scheduler.schedule(task, delay, unit));
  }

  @Override
  public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
    return track(scheduler.schedulePeriodically(task, initialDelay, period, unit));
  }

  private Disposable track(Disposable d) {
    if (!tasks.add(d)) {
      d.dispose();
    }
    return d;
  }

  @Override
  public void dispose() {
    tasks.dispose();
  }

  @Override
  public boolean isDisposed() {
    return tasks.isDisposed();
  }
}

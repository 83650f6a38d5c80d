package io.reactant.internal;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * An actor's timer as its map of timers holds it: registered before it is scheduled, so that a
 * timer that fires at once (on another thread, before the scheduling call even returns) finds its
 * entry to remove, and a cancellation that comes before the scheduler's {@code Disposable} exists
 * still cancels it.
 *
 * <p>Thread-safe: {@link #dispose} and {@link #scheduled} may race; whichever runs second disposes
 * the scheduled task, so a disposed handle never leaves its task scheduled.
 */
final class TimerHandle implements Disposable {

  private volatile @Nullable Disposable scheduled;
  private volatile boolean disposed;

  /** Attaches the scheduler's handle of the task; disposes it at once if this was disposed. */
  void scheduled(Disposable task) {
    scheduled = task;
    if (disposed) {
      task.dispose();
    }
  }

  @Override
  public void dispose() {
    disposed = true;
    Disposable task = scheduled;
    if (task != null) {
      task.dispose();
    }
  }

  @Override
  public boolean isDisposed() {
    return disposed;
  }
}

package io.reactant.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The delayed tasks that end a wait, scheduled on a scheduler the application supplied (a system
 * does not own it, so the application may dispose it at any time): a shutdown's grace period, a
 * call's or a query's bounded wait. A scheduler disposed after it accepted such a task drops it
 * silently (Reactor's do, as {@code WorkStealingScheduler.dispose} and a
 * {@code DeterministicScheduler} do), and whoever waits for it would wait for ever. So each task
 * is kept here until it runs or is disposed, with a fallback; while any is kept, the {@link
 * Watchdog} looks at the scheduler every tick, and once it finds it disposed runs the fallback of
 * every task still kept, on its own thread: every such wait ends, within a tick of the disposal.
 *
 * <p>Only these waits pay for it, and only on an application's scheduler: a system's own pool is
 * disposed by its shutdown alone, gracefully (its delayed tasks still run), and actors' timers
 * (rule R25), which no caller waits for, are not kept. A plain call or turn never comes here.
 */
final class GuardedDelays {

  private static final Logger LOG = Loggers.getLogger(GuardedDelays.class);

  private final Scheduler scheduler;
  private final Set<Delay> pending = ConcurrentHashMap.newKeySet();
  /** Whether the watchdog looks at this (from before it is told to until it lets it go). */
  private final AtomicBoolean watched = new AtomicBoolean();

  GuardedDelays(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Schedules {@code task} after {@code nanos}; if the scheduler is disposed before it runs,
   * {@code fallback} runs instead (once, on the watchdog's thread). Disposing the handle cancels
   * both.
   *
   * @throws RejectedExecutionException as the scheduler's {@code schedule}
   */
  Disposable schedule(Runnable task, Runnable fallback, long nanos) {
    Delay d = new Delay(task, fallback);
    pending.add(d);
    try {
      d.scheduled(scheduler.schedule(d, nanos, TimeUnit.NANOSECONDS));
    } catch (RuntimeException e) {
      pending.remove(d);
      throw e;
    }
    if (!watched.get() && watched.compareAndSet(false, true)) {
      Watchdog.watch(this);
    }
    return d;
  }

  /** Whether the watchdog is to look at this: see {@link #check}. */
  boolean needsWatching() {
    return watched.get();
  }

  /** How many tasks are kept (tests). */
  int size() {
    return pending.size();
  }

  /**
   * The watchdog's look: if the scheduler is disposed, runs the fallback of every task kept.
   *
   * @return whether the watchdog should look again (some task is still kept)
   */
  boolean check() {
    if (scheduler.isDisposed()) {
      for (Delay d : pending) {
        d.fallBack();
      }
    }
    if (!pending.isEmpty()) {
      return true;
    }
    watched.set(false);
    // a task kept meanwhile saw it watched and did not ask: keep watching for it
    return !pending.isEmpty() && watched.compareAndSet(false, true);
  }

  /** One kept task, and its handle: it runs, falls back or is disposed, once. */
  private final class Delay implements Runnable, Disposable {
    private static final AtomicIntegerFieldUpdater<Delay> DONE =
        AtomicIntegerFieldUpdater.newUpdater(Delay.class, "done");

    private final Runnable task;
    private final Runnable fallback;
    private volatile int done;
    private volatile @Nullable Disposable scheduled;

    Delay(Runnable task, Runnable fallback) {
      this.task = task;
      this.fallback = fallback;
    }

    void scheduled(Disposable handle) {
      scheduled = handle;
      if (done != 0) {
        handle.dispose(); // ended before its handle was known: it leaves the scheduler's queue
      }
    }

    private boolean claim() {
      if (done == 0 && DONE.compareAndSet(this, 0, 1)) {
        pending.remove(this);
        return true;
      }
      return false;
    }

    @Override
    public void run() {
      if (claim()) {
        task.run();
      }
    }

    void fallBack() {
      if (claim()) {
        try {
          fallback.run();
        } catch (RuntimeException | Error e) {
          LOG.warn("Ending a wait whose timer a disposed scheduler dropped failed", e);
        }
      }
    }

    @Override
    public void dispose() {
      if (claim()) {
        Disposable s = scheduled;
        if (s != null) {
          s.dispose();
        }
      }
    }

    @Override
    public boolean isDisposed() {
      return done != 0;
    }
  }
}

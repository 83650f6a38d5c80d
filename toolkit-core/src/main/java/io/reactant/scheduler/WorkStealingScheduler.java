package io.reactant.scheduler;

import io.reactant.internal.ActorPool;
import io.reactant.internal.ContextCarrier;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.core.scheduler.Scheduler;

/**
 * The default scheduler of an actor system: a work-stealing {@link ForkJoinPool} in FIFO mode,
 * plus one timer thread that hands delayed tasks to the pool.
 *
 * <p>A pool thread runs its own queue before it looks at tasks submitted from outside the pool;
 * the runtime moves such a task into a busy thread's queue from time to time, so that actors
 * messaging each other without pause do not starve ingress calls and timers
 * ({@link ActorPool}).
 *
 * <p>Its threads are marked {@link NonBlocking}, so Reactor's {@code block()} inside a turn fails
 * at once instead of stalling a pool thread (use {@code await} instead). It is also an
 * {@link Executor}; the runtime uses {@link #execute} on its hot path, without allocating a
 * {@link Disposable} per task. Each thread carries a one-actor hand-off slot
 * ({@link io.reactant.internal.HandOffThread}) that the runtime uses to keep an actor it wakes up
 * on the waking thread. Thread-safe.
 */
public final class WorkStealingScheduler implements Scheduler, Executor {

  private final String name;
  private final ActorPool pool;
  private final ScheduledThreadPoolExecutor timer;
  /** The periodic tasks not disposed: a graceful disposal stops them. */
  private final java.util.Set<Task> periodics = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private WorkStealingScheduler(String name, int parallelism) {
    this.name = name;
    AtomicInteger counter = new AtomicInteger();
    this.pool = new ActorPool(parallelism,
        p -> new WorkerThread(p, name + "-" + counter.incrementAndGet()));
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name + "-timer");
      t.setDaemon(true);
      return t;
    });
    this.timer.setRemoveOnCancelPolicy(true);
  }

  /** The most threads a pool holds: {@link ForkJoinPool}'s limit. */
  public static final int MAX_PARALLELISM = 32767;

  /**
   * Returns a new scheduler with {@code parallelism} threads (1 to
   * {@value #MAX_PARALLELISM}), named after {@code name}.
   */
  public static WorkStealingScheduler create(String name, int parallelism) {
    Objects.requireNonNull(name, "name");
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("parallelism must be between 1 and "
          + MAX_PARALLELISM + ", was " + parallelism);
    }
    return new WorkStealingScheduler(name, parallelism);
  }

  @Override
  public void execute(Runnable task) {
    if (task instanceof ForkJoinTask<?> t) {
      pool.execute(t); // an actor is its own task: no wrapper per scheduling
    } else {
      pool.execute(task);
    }
  }

  @Override
  public Disposable schedule(Runnable task) {
    Task t = new Task(task);
    pool.execute(t);
    return t;
  }

  @Override
  public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
    Task t = new Task(task);
    t.timer = timer.schedule(() -> handOver(t), delay, unit);
    return t;
  }

  /**
   * Runs {@code task} on the timer thread itself when due, not on the pool: what a worker's delayed
   * tasks do, which only queue themselves in their worker ({@link TrackingWorker}), so that they
   * are queued in the order they fell due. {@code task} must be short and never block.
   */
  Disposable scheduleOnTimer(Runnable task, long delay, TimeUnit unit) {
    Task t = new Task(task, false, true);
    t.timer = timer.schedule(t, delay, unit);
    return t;
  }

  /** How many delayed tasks and firings the timer holds (tests). */
  int timerQueueSize() {
    return timer.getQueue().size();
  }

  /** As {@link #scheduleOnTimer}, every {@code period} (see {@link #schedulePeriodically}). */
  Disposable schedulePeriodicallyOnTimer(Runnable task, long initialDelay, long period,
      TimeUnit unit) {
    return periodically(task, initialDelay, period, unit, true);
  }

  /**
   * Runs {@code task} every {@code period} after {@code initialDelay}, at a fixed rate. Its runs
   * never overlap, as on Reactor's schedulers (a {@code Flux.interval}'s {@code onNext} must be
   * serial): a firing that comes while the last run is still queued or running is skipped. A
   * period missed (the timer thread fell behind, as it does for a period shorter than what a
   * firing costs it) is not made up: the next firing is the next one still ahead, so a periodic
   * task never holds back the other delayed tasks, whose time comes first.
   *
   * @throws IllegalArgumentException if {@code period} is not positive
   */
  @Override
  public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
    return periodically(task, initialDelay, period, unit, false);
  }

  private Disposable periodically(Runnable task, long initialDelay, long period, TimeUnit unit,
      boolean onTimer) {
    Objects.requireNonNull(task, "task");
    long p = unit.toNanos(period);
    if (p <= 0) {
      throw new IllegalArgumentException("period must be positive: " + period + " " + unit);
    }
    Task t = new Task(task, true, onTimer);
    new Periodic(t, p, onTimer).start(Math.max(0, unit.toNanos(initialDelay)));
    return t;
  }

  /**
   * The firings of a periodic task: each one schedules the next on the timer thread, due a period
   * after the last was due, or, if that is past already, at the next multiple of the period still
   * ahead. (A {@code ScheduledThreadPoolExecutor}'s fixed rate makes missed periods up: a task
   * that fell behind its schedule stays due before every other delayed task, further behind the
   * longer it runs, and none of them runs any more.)
   */
  private final class Periodic implements Runnable {
    private final Task task;
    private final long period;
    /** Whether the task runs on the timer thread, not on the pool. */
    private final boolean onTimer;
    /** When the next firing is due, on {@link System#nanoTime}'s clock; the timer thread's. */
    private long due;

    Periodic(Task task, long period, boolean onTimer) {
      this.task = task;
      this.period = period;
      this.onTimer = onTimer;
    }

    /** Schedules the first firing; refused once the scheduler is disposed. */
    void start(long delay) {
      due = System.nanoTime() + delay;
      task.periodics = periodics;
      periodics.add(task);
      try {
        // under the lock: the first firing may run, and schedule the second, before the first's
        // future is recorded, which must not then replace the second's (a disposal would cancel
        // a firing already over, and the timer thread would wait a period for the other)
        synchronized (this) {
          task.schedule(timer.schedule(this, delay, TimeUnit.NANOSECONDS));
        }
      } catch (RejectedExecutionException e) {
        periodics.remove(task);
        throw e;
      }
    }

    @Override
    public void run() {
      if (task.isDisposed()) {
        return;
      }
      if (onTimer) {
        task.run();
      } else {
        handOver(task);
      }
      long now = System.nanoTime();
      long next = due + period;
      if (next - now <= 0) { // behind: the periods missed are not made up
        next += ((now - next) / period + 1) * period;
      }
      due = next;
      try {
        synchronized (this) {
          task.schedule(timer.schedule(this, next - now, TimeUnit.NANOSECONDS));
        }
      } catch (RejectedExecutionException e) {
        task.dispose(); // the timer shut down: periodic tasks stop
      }
    }
  }

  /**
   * Hands a delayed task that fell due to the pool; once the pool has shut down ({@link
   * #disposeGracefully}), the timer thread runs it itself. A periodic task whose last run has not
   * ended is not handed over again.
   */
  private void handOver(Task t) {
    if (t.periodic && !t.claim()) {
      return;
    }
    try {
      pool.execute(t);
    } catch (RejectedExecutionException e) {
      try {
        t.run();
      } catch (Throwable failure) {
        report(failure);
      }
    }
  }

  /**
   * Hands what a task threw on the timer thread to that thread's uncaught exception handler, as
   * the pool hands what a task throws on one of its threads to that thread's: the timer's future
   * would keep it where nobody looks.
   */
  private static void report(Throwable failure) {
    Thread here = Thread.currentThread();
    here.getUncaughtExceptionHandler().uncaughtException(here, failure);
  }

  @Override
  public Worker createWorker() {
    return new TrackingWorker(this);
  }

  /**
   * Does nothing on a live scheduler, which takes tasks from its creation; throws on a disposed
   * one, which never takes tasks again, as Reactor's own schedulers do.
   *
   * @throws IllegalStateException if the scheduler is disposed
   */
  @Override
  public void init() {
    if (isDisposed()) {
      throw new IllegalStateException("Initializing a disposed scheduler is not permitted: "
          + this);
    }
  }

  @Override
  public boolean isDisposed() {
    return pool.isShutdown();
  }

  /**
   * Disposes the scheduler at once: new tasks are refused, the delayed tasks not yet due are
   * dropped (their handles stay as they were, as on Reactor's schedulers), and periodic tasks
   * stop, their handles (and those of the workers' periodic tasks) disposed, as {@link
   * #disposeGracefully} disposes them; the tasks already handed to the pool still run.
   */
  @Override
  public void dispose() {
    timer.shutdownNow();
    stopPeriodics();
    pool.shutdown();
  }

  /**
   * Disposes every periodic task not disposed yet; after the timer's shutdown, which refuses the
   * firings of one started meanwhile (that one disposes itself, or its start throws).
   */
  private void stopPeriodics() {
    for (Task t : periodics) {
      t.dispose();
    }
  }

  /**
   * Disposes the scheduler, but lets what is already scheduled run: new tasks are refused at once
   * ({@link #isDisposed()} is true), the pool runs the tasks submitted before and its threads then
   * end, periodic tasks stop, and each delayed task already scheduled still runs when it falls due,
   * on the timer thread (the pool no longer takes tasks), which ends after the last of them. What
   * an actor system that owns its scheduler does when its shutdown ends: a call's bounded wait
   * whose callee never answered (stuck in a turn) must still end that call with code 6 when due
   * (rule R22); {@link #dispose} would drop it, and the caller would wait for ever.
   *
   * @return a {@code Mono} that starts the disposal when subscribed and completes once it has
   *     started (the threads end on their own)
   */
  @Override
  public Mono<Void> disposeGracefully() {
    return Mono.fromRunnable(() -> {
      timer.shutdown(); // delayed one-shot tasks still run when due; periodic ones stop
      stopPeriodics();
      pool.shutdown();
    });
  }

  /** Returns the number of threads of the pool. */
  public int parallelism() {
    return pool.getParallelism();
  }

  /**
   * Returns how many times the runtime's watchdog found this pool with tasks waiting and a thread
   * idle, at two looks 10 ms apart with no thread finishing a run of tasks in between, and woke a
   * thread. JDK 17's {@code ForkJoinPool} can leave a
   * task submitted while its last other thread is busy waiting for that thread (a lost wake-up);
   * later JDKs look again before a thread parks, so there it should stay 0. Each wake-up means
   * some task waited 10 to 20 ms longer than it needed to.
   */
  public long stalledWakeUps() {
    return pool.wakeUps();
  }

  @Override
  public String toString() {
    return "WorkStealingScheduler[" + name + ", parallelism=" + pool.getParallelism() + "]";
  }

  /**
   * A task and its handle. A one-shot's handle says it is disposed once the task has run (or
   * thrown), as the handles of Reactor's schedulers do once their task has finished; a periodic
   * task's stays live until disposed.
   */
  private static final class Task implements Runnable, Disposable {
    private static final AtomicIntegerFieldUpdater<Task> HANDED =
        AtomicIntegerFieldUpdater.newUpdater(Task.class, "handed");

    private final Runnable delegate;
    /** Whether it runs more than once: a periodic task, run by the pool or the timer thread. */
    final boolean periodic;
    /**
     * Whether the timer thread runs it, not the pool: what it throws is reported there ({@link
     * #report}), and a periodic one keeps firing, as on the pool.
     */
    private final boolean onTimer;
    private volatile boolean disposed;
    /** A periodic task's: 1 from its hand-over to the pool until its run ends. */
    private volatile int handed;
    volatile java.util.concurrent.@Nullable Future<?> timer;
    /** A periodic task's: the scheduler's set of periodic tasks, which it leaves when disposed. */
    java.util.@Nullable Set<Task> periodics;

    Task(Runnable delegate) {
      this(delegate, false, false);
    }

    Task(Runnable delegate, boolean periodic, boolean onTimer) {
      this.delegate = delegate;
      this.periodic = periodic;
      this.onTimer = onTimer;
    }

    /** Whether this periodic task may be handed over: its last run has ended. */
    boolean claim() {
      return HANDED.compareAndSet(this, 0, 1);
    }

    @Override
    public void run() {
      try {
        if (!disposed) {
          delegate.run();
        }
      } catch (Throwable failure) {
        if (!onTimer) {
          throw failure; // the pool reports it
        }
        report(failure);
      } finally {
        if (periodic) {
          handed = 0;
        } else {
          disposed = true; // it has run: done, without cancelling anything
        }
      }
    }

    /**
     * Records {@code f}, the firing a periodic task scheduled next, and cancels it if the task was
     * disposed meanwhile (its {@link #dispose} may have cancelled the one before).
     */
    void schedule(java.util.concurrent.Future<?> f) {
      timer = f;
      if (disposed) {
        f.cancel(false);
      }
    }

    @Override
    public void dispose() {
      disposed = true;
      java.util.concurrent.Future<?> f = timer;
      if (f != null) {
        f.cancel(false);
      }
      java.util.Set<Task> set = periodics;
      if (set != null) {
        set.remove(this);
      }
    }

    @Override
    public boolean isDisposed() {
      return disposed;
    }
  }

  private static final class WorkerThread extends ContextCarrier implements NonBlocking {

    WorkerThread(ForkJoinPool pool, String name) {
      super(pool);
      setName(name);
      setDaemon(true);
    }
  }
}

package io.reactant.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A deterministic, single-threaded scheduler with virtual time, for tests.
 *
 * <p>Nothing runs until the test drives it: {@link #runUntilIdle()} runs the ready tasks on the
 * calling thread, and {@link #advanceTimeBy(Duration)} moves the virtual clock forward, running
 * the delayed tasks that fall due in order. No wall-clock time is involved, so time-dependent
 * behaviour is tested without sleeping.
 *
 * <p>Created {@link #withSeed(long) with a seed}, it picks the next task at random among the ready
 * ones, and delayed tasks that fall due at the same instant (a call's bounded wait and the timer
 * its callee awaits before it answers) in an order drawn from the seed too: each seed is one
 * interleaving of the actors, and the same seed replays it exactly. Without a seed
 * ({@link #create()}) it runs tasks in the order they were submitted, and delayed ones due at the
 * same instant in that order too. The tasks of one of its {@linkplain #createWorker() workers}
 * (a {@code publishOn}'s, a {@code delaySequence}'s) still run one at a time, in the order they
 * fell due (those due at the same instant in the order they were given), as on Reactor's workers.
 *
 * <p>Created {@link #withRunDelays(long, Duration) with run delays}, it also makes every task
 * submitted to run now wait a time drawn from the seed, as on a busy pool, while delayed tasks
 * (timers, timeouts) still run when due: turns run late, calls time out, and late replies land
 * after their callers gave up. Such tasks run only as {@link #advanceTimeBy} reaches them, or
 * {@link #await(Mono, Duration)}, which moves the clock until the call is answered.
 *
 * <p>It runs what is scheduled on it: the turns of a system configured with it, their timers and
 * bounded waits, and the Reactor operators given it as their scheduler. An operator left on its
 * default scheduler is not: {@code Mono.delay(d)}, {@code timeout(d)} or {@code delayElement(d)}
 * without a scheduler waits on Reactor's parallel scheduler, on the wall clock, and moving the
 * virtual clock does not end it ({@link #await(Mono, Duration)} then gives up at its bound). Give
 * such an operator this scheduler ({@code Mono.delay(d, scheduler)}, the scheduler passed to the
 * actor's constructor), or wait with the actor's timers ({@link
 * io.reactant.actor.Actor#setTimer}), which run on it.
 *
 * <p>Tasks may be submitted from any thread (until {@link #dispose()}, after which they are refused
 * with a {@link java.util.concurrent.RejectedExecutionException}, as Reactor's schedulers refuse
 * them); they run only on the thread that drives the scheduler. So never {@code block()} on the
 * result of an update call of a system on this scheduler: the blocked thread would be the only one
 * that could run the call, and it waits for ever. Read results with {@link #await(Mono)}, which
 * runs the scheduler until it is idle, without moving the clock, or with
 * {@link #await(Mono, Duration)}, which also moves the clock, as far as the call needs (queries,
 * which answer on the caller's thread from committed state, may block). Inside a turn,
 * {@code block()} fails at once, as on the pool: the turn traps.
 *
 * <p>One thread drives the scheduler at a time, and only from outside its tasks: {@link
 * #runUntilIdle}, {@link #advanceTimeBy} and {@link #await} throw {@link IllegalStateException}
 * when called from a task the scheduler runs (a turn, which then traps; a subscriber's callback)
 * or while another thread drives it. So the clock never moves while a task runs, and no turn runs
 * inside another.
 *
 * <pre>{@code
 * DeterministicScheduler scheduler = DeterministicScheduler.withSeed(42);
 * ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());
 * Counter counter = system.spawn(Counter.class, CounterActor::new);
 * assertThat(scheduler.await(counter.bump())).isEqualTo(1L);
 * }</pre>
 */
public final class DeterministicScheduler implements Scheduler, Executor {

  private static final int MAX_TASKS_PER_RUN = 50_000_000;
  /**
   * The clock's last instant, {@link Long#MAX_VALUE} nanoseconds (292 years): the clock moves up
   * to it, but no task falls due there. A task whose time would come there or later (a delay or
   * the next firing of a period too long for the clock) never runs: it is not queued.
   */
  private static final long END_OF_TIME = Long.MAX_VALUE;
  /**
   * Disposed delayed tasks may hold this many places in the queue, or as many as the live ones if
   * more, before the queue is purged of them (see {@link #taskDisposed}).
   */
  static final int PURGE_MIN = 64;

  private final Object lock = new Object();
  /** The seed it was created with, null for none: {@link #startingAt} gives it on. */
  private final @Nullable Long seed;
  private final @Nullable Random random;
  /**
   * Draws the order of delayed tasks due at the same instant, apart from {@link #random} so that
   * drawing them leaves the picks among ready tasks as they were; null without a seed.
   */
  private final @Nullable Random ties;
  /** The longest wait of a task submitted to run now, 0 for none (see {@link #withRunDelays}). */
  private final long maxRunDelayNanos;
  private final ArrayList<Runnable> ready = new ArrayList<>();
  private final PriorityQueue<Timed> timed = new PriorityQueue<>();
  private long nowNanos;
  private long sequence;
  private long executed;
  /** Tasks disposed since the last purge of {@link #timed}, some perhaps no longer in it. */
  private int disposedSincePurge;
  /** The thread running {@link #runUntilIdle}, {@link #advanceTimeBy} or {@link #await}. */
  private @Nullable Thread driver;
  private volatile boolean disposed;

  private DeterministicScheduler(@Nullable Long seed, long maxRunDelayNanos) {
    this(seed, maxRunDelayNanos, 0);
  }

  private DeterministicScheduler(@Nullable Long seed, long maxRunDelayNanos, long startNanos) {
    this.seed = seed;
    this.nowNanos = startNanos;
    this.random = seed == null ? null : new Random(seed);
    this.ties = seed == null ? null : new Random(seed * 0x9E3779B97F4A7C15L + 1);
    this.maxRunDelayNanos = maxRunDelayNanos;
  }

  /**
   * Returns a new scheduler that runs ready tasks in submission order, and delayed tasks due at the
   * same instant in the order they were submitted.
   */
  public static DeterministicScheduler create() {
    return new DeterministicScheduler(null, 0);
  }

  /**
   * Returns a new scheduler that runs ready tasks in an order drawn from the seed, and delayed
   * tasks due at the same instant in an order drawn from it too (a worker's in the order given).
   */
  public static DeterministicScheduler withSeed(long seed) {
    return new DeterministicScheduler(seed, 0);
  }

  /**
   * Returns a new scheduler that, besides picking ready tasks in an order drawn from the seed,
   * makes each task submitted to run now wait a virtual time drawn from the seed, from 0 to
   * {@code maxDelay}; tasks submitted with a delay run when due, as with the other schedulers. A
   * {@code maxDelay} past what a {@code long} counts in nanoseconds (292 years) stands for that.
   *
   * @throws IllegalArgumentException if {@code maxDelay} is negative
   */
  public static DeterministicScheduler withRunDelays(long seed, Duration maxDelay) {
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maxDelay must not be negative: " + maxDelay);
    }
    // at most one less than a long's largest: the draw's bound, one more, must still be a long
    return new DeterministicScheduler(seed, Math.min(nanos(maxDelay), Long.MAX_VALUE - 1));
  }

  /**
   * Returns a new scheduler configured as this one (its seed, its run delays) whose virtual clock
   * starts at {@code start} instead of the epoch: what runs on it, an actor's {@link
   * io.reactant.actor.Actor#timeNow() timeNow()} (its constructor's too) and {@code now}, reads
   * {@code start}, to the nanosecond, until the clock moves, and delays count from it. A seed
   * draws the same order of tasks, and the same run delays, as from the epoch. Nothing of this
   * scheduler is carried over (its tasks, its clock); it is left as it was.
   *
   * <pre>{@code
   * DeterministicScheduler scheduler = DeterministicScheduler.withSeed(42)
   *     .startingAt(Instant.parse("2026-12-07T09:30:00Z"));
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code start} is not on the clock, which counts
   *     nanoseconds since the epoch in a {@code long}: before 1970-01-01T00:00:00Z or after
   *     2262-04-11T23:47:16.854775807Z, the end of time (see {@link #advanceTimeBy})
   */
  public DeterministicScheduler startingAt(Instant start) {
    Objects.requireNonNull(start, "start");
    Instant end = Instant.EPOCH.plusNanos(END_OF_TIME);
    if (start.isBefore(Instant.EPOCH) || start.isAfter(end)) {
      throw new IllegalArgumentException("A DeterministicScheduler's clock counts nanoseconds from "
          + Instant.EPOCH + " to " + end + ": it cannot start at " + start);
    }
    return new DeterministicScheduler(seed, maxRunDelayNanos,
        nanos(Duration.between(Instant.EPOCH, start)));
  }

  /**
   * Queues a task to run when the test drives the scheduler.
   *
   * @throws java.util.concurrent.RejectedExecutionException once the scheduler is disposed
   */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    synchronized (lock) {
      requireNotDisposed();
      long at = runAt();
      if (at == nowNanos) {
        ready.add(task);
      } else {
        timed.add(new Timed(this, task, at, 0, sequence++, tie(false)));
      }
    }
  }

  /** Refuses a task once the scheduler is disposed, as Reactor's schedulers do. Under the lock. */
  private void requireNotDisposed() {
    if (disposed) {
      throw Exceptions.failWithRejected("The DeterministicScheduler is disposed");
    }
  }

  /**
   * The rank of a delayed task among those due at the same instant, before its submission order:
   * drawn from the seed, or 0 without one and for a worker's tasks, which keep the order they
   * were given. Under the lock.
   */
  private long tie(boolean inOrder) {
    Random r = ties;
    return r == null || inOrder ? 0 : r.nextLong();
  }

  /**
   * When a task submitted to run now runs: now, or after a wait drawn from the seed; now too if
   * that wait would reach the {@linkplain #END_OF_TIME end of time}. Under the lock.
   */
  private long runAt() {
    Random r = random;
    long wait = maxRunDelayNanos == 0 || r == null ? 0 : r.nextLong(maxRunDelayNanos + 1);
    long at = later(nowNanos, wait);
    return at == END_OF_TIME ? nowNanos : at;
  }

  @Override
  public Disposable schedule(Runnable task) {
    return schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
    return schedule(task, delay, unit, false);
  }

  /**
   * As {@link #schedule(Runnable, long, TimeUnit)}; {@code inOrder}, it runs after the tasks given
   * so before it that fall due at the same instant, also on a seeded scheduler: what a worker's
   * delayed tasks need ({@link TrackingWorker}).
   */
  Disposable schedule(Runnable task, long delay, TimeUnit unit, boolean inOrder) {
    Objects.requireNonNull(task, "task");
    synchronized (lock) {
      requireNotDisposed();
      long at = delay <= 0 ? runAt() : later(nowNanos, unit.toNanos(delay));
      Timed t = new Timed(this, task, at, 0, sequence++, tie(inOrder), inOrder);
      queue(t, delay > 0);
      return t;
    }
  }

  @Override
  public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
    return schedulePeriodically(task, initialDelay, period, unit, false);
  }

  /** As {@link #schedulePeriodically(Runnable, long, long, TimeUnit)}, {@code inOrder} as above. */
  Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit,
      boolean inOrder) {
    Objects.requireNonNull(task, "task");
    if (period <= 0) {
      throw new IllegalArgumentException("period must be positive");
    }
    synchronized (lock) {
      requireNotDisposed();
      // no initial delay: the first execution is ready at once (or waits a run delay), as a task
      // given to schedule(task) is; the next ones are due a period after it
      long at = initialDelay <= 0 ? runAt() : later(nowNanos, unit.toNanos(initialDelay));
      Timed t = new Timed(this, task, at, unit.toNanos(period), sequence++, tie(inOrder), inOrder);
      if (queue(t, initialDelay > 0)) {
        queue(t.following(sequence++, tie(inOrder)), true);
      }
      return t;
    }
  }

  /**
   * Queues {@code t}: ready if due now, delayed if due later, nowhere if it is {@code delayed}
   * (given a delay) to the {@linkplain #END_OF_TIME end of time}, which never comes (also when the
   * clock is there). Under the lock.
   *
   * @return whether it was ready
   */
  private boolean queue(Timed t, boolean delayed) {
    if (delayed && t.at == END_OF_TIME) {
      return false;
    }
    if (t.at == nowNanos) {
      ready.add(t);
      return true;
    }
    timed.add(t);
    return false;
  }

  @Override
  public long now(TimeUnit unit) {
    synchronized (lock) {
      return unit.convert(nowNanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Runs ready tasks, including those they submit, until none is left. Does not move the clock.
   * A task that throws ends the call with its exception; the tasks not run yet stay queued for the
   * next call (so does {@link #advanceTimeBy}, its clock at that task's time, and {@link #await}).
   *
   * @return the number of tasks run
   * @throws IllegalStateException if the tasks never stop submitting new ones (a livelock), if
   *     called from a task the scheduler runs, or while another thread drives it
   */
  public int runUntilIdle() {
    enterDriver("runUntilIdle()");
    try {
      return drain();
    } finally {
      leaveDriver();
    }
  }

  /**
   * Makes the calling thread the one driving the scheduler until {@link #leaveDriver}: the test's.
   * A task the scheduler runs (a turn, a subscriber's callback) that tried to drive it would run
   * other tasks, other actors' turns among them, inside itself, and move the clock while it runs;
   * a second thread driving at the same time would run tasks beside the first one's.
   */
  private void enterDriver(String method) {
    synchronized (lock) {
      Thread d = driver;
      if (d == Thread.currentThread()) {
        throw new IllegalStateException("DeterministicScheduler." + method + " called from a task"
            + " the scheduler is running (a turn, a callback): only the test drives the scheduler,"
            + " between tasks; an actor awaits a result with await, never drives the clock");
      }
      if (d != null) {
        throw new IllegalStateException("DeterministicScheduler." + method + " called while "
            + d.getName() + " drives the scheduler: one thread drives it at a time");
      }
      driver = Thread.currentThread();
    }
  }

  private void leaveDriver() {
    synchronized (lock) {
      driver = null;
    }
  }

  /** Runs ready tasks until none is left (see {@link #runUntilIdle}), as the driver. */
  private int drain() {
    int count = 0;
    for (;;) {
      Runnable next;
      synchronized (lock) {
        if (ready.isEmpty()) {
          return count;
        }
        int index = random == null ? 0 : random.nextInt(ready.size());
        next = index == ready.size() - 1 ? ready.remove(index) : removeAt(index);
      }
      if (next instanceof Timed t && t.isDisposed()) {
        continue; // cancelled before it ran: it never runs, and is not counted as run
      }
      try {
        next.run();
      } finally {
        executed++; // a task that threw ran too
        count++;
      }
      if (count >= MAX_TASKS_PER_RUN) {
        throw new IllegalStateException("The scheduler did not become idle after " + count
            + " tasks: something keeps scheduling work (a livelock?)");
      }
    }
  }

  private Runnable removeAt(int index) {
    if (random == null) {
      return ready.remove(index);
    }
    // order of the remaining tasks does not matter when picking at random: swap-remove in O(1)
    Runnable r = ready.get(index);
    ready.set(index, ready.remove(ready.size() - 1));
    return r;
  }

  /**
   * Moves the virtual clock forward by {@code duration}, running every task that falls due on the
   * way at its due time (and everything they make ready), in time order. The clock counts
   * nanoseconds in a {@code long}: moved past that (292 years), it stops at the end of time. No
   * task falls due there: a one-shot delay that would reach it from when it was given, or a
   * recurring task's next firing that would, never comes (its handle stays live until disposed),
   * as on a clock that never gets there. (Reactor's {@code VirtualTimeScheduler} adds such a delay
   * to its clock unchecked: it wraps into the past, and the task runs at the next move.)
   *
   * @throws IllegalStateException if called from a task the scheduler runs, or while another
   *     thread drives it
   */
  public void advanceTimeBy(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("Time only moves forward: " + duration);
    }
    enterDriver("advanceTimeBy(Duration)");
    try {
      advance(duration, () -> false);
    } finally {
      leaveDriver();
    }
  }

  /**
   * Moves the clock forward by {@code duration} as the driver (see {@link #advanceTimeBy}), or only
   * up to the first time at which {@code stop} holds once the scheduler is idle.
   */
  private void advance(Duration duration, BooleanSupplier stop) {
    long target;
    synchronized (lock) {
      target = later(nowNanos, nanos(duration));
    }
    drain();
    for (;;) {
      if (stop.getAsBoolean()) {
        return;
      }
      synchronized (lock) {
        Timed next = timed.peek();
        if (next == null || next.at > target) {
          nowNanos = target;
          return;
        }
        timed.poll();
        nowNanos = Math.max(nowNanos, next.at);
        if (!next.isDisposed()) {
          ready.add(next);
          if (next.period > 0) { // a firing at the end of time never comes: queue drops it
            queue(next.following(sequence++, tie(next.inOrder)), true);
          }
        }
      }
      drain();
    }
  }

  /**
   * Subscribes to {@code mono}, runs the scheduler until it is idle and returns the result.
   *
   * @return the value, or null if the mono completed empty
   * @throws IllegalStateException if the mono did not complete once the scheduler was idle, if
   *     called from a task the scheduler runs, or while another thread drives it
   * @throws RuntimeException the error the mono failed with
   */
  public <T> @Nullable T await(Mono<T> mono) {
    enterDriver("await(Mono)");
    try {
      return awaitDriving(mono, null);
    } finally {
      leaveDriver();
    }
  }

  /**
   * Subscribes to {@code mono} and drives the scheduler until it completes, moving the clock as
   * far as {@code within} if it must: runs the ready tasks, then, as {@link #advanceTimeBy} does,
   * each delayed task when due, in time order, and stops as soon as the mono has completed and
   * the scheduler is idle, the clock where it got to. For what takes virtual time to answer: a call
   * that waits for a timer or a timeout, any call on a scheduler {@link #withRunDelays with run
   * delays}. A recurring timer cannot keep it going for ever: it gives up at {@code within}.
   *
   * <pre>{@code
   * assertThat(scheduler.await(counter.bump(), Duration.ofMinutes(1))).isEqualTo(1L);
   * }</pre>
   *
   * @return the value, or null if the mono completed empty
   * @throws IllegalStateException if the mono did not complete within {@code within} of virtual
   *     time (the clock then moved by all of it), if called from a task the scheduler runs, or
   *     while another thread drives it
   * @throws IllegalArgumentException if {@code within} is negative
   * @throws RuntimeException the error the mono failed with
   */
  public <T> @Nullable T await(Mono<T> mono, Duration within) {
    Objects.requireNonNull(within, "within");
    if (within.isNegative()) {
      throw new IllegalArgumentException("Time only moves forward: " + within);
    }
    enterDriver("await(Mono, Duration)");
    try {
      return awaitDriving(mono, within);
    } finally {
      leaveDriver();
    }
  }

  /** Awaits {@code mono} as the driver: running until idle, or for at most {@code within}. */
  private <T> @Nullable T awaitDriving(Mono<T> mono, @Nullable Duration within) {
    AtomicReference<@Nullable T> value = new AtomicReference<>();
    AtomicReference<@Nullable Throwable> error = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    Disposable d = mono.subscribe(value::set, e -> {
      error.set(e);
      done.set(true);
    }, () -> done.set(true));
    if (within == null) {
      drain();
    } else {
      advance(within, done::get);
    }
    if (!done.get()) {
      d.dispose();
      Duration now = Duration.ofNanos(now(TimeUnit.NANOSECONDS));
      throw new IllegalStateException((within == null
          ? "The Mono did not complete: the scheduler is idle at virtual time " + now
              + " (advance the time?)"
          : "The Mono did not complete within " + within + " of virtual time: it is now " + now)
          + ". Only what runs on this scheduler moves with its clock: a Mono.delay(d) without a"
          + " scheduler (or a timeout(d), a delayElement(d)) waits on Reactor's parallel"
          + " scheduler, on the wall clock; give it this scheduler, or use an actor's timer");
    }
    Throwable e = error.get();
    if (e instanceof RuntimeException re) {
      throw re;
    }
    if (e instanceof Error err) {
      throw err;
    }
    if (e != null) {
      throw new IllegalStateException(e);
    }
    return value.get();
  }

  /** {@code duration} in nanoseconds, saturated: one too long for a {@code long} is the longest. */
  private static long nanos(Duration duration) {
    return duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0
        ? Long.MAX_VALUE
        : duration.toNanos();
  }

  /**
   * The virtual time {@code wait} nanoseconds after {@code at}, saturated: a delay too long for a
   * {@code long} (a timer of centuries) is due at the {@linkplain #END_OF_TIME end of time}, which
   * never comes; never at once, as an overflow would make it.
   */
  private static long later(long at, long wait) {
    long due = at + wait;
    return ((at ^ due) & (wait ^ due)) < 0 ? Long.MAX_VALUE : due;
  }

  /**
   * Returns the number of tasks ready to run now. A task disposed before it ran (a cancelled
   * timer's) is not counted: it will never run.
   */
  public int readyTasks() {
    synchronized (lock) {
      return live(ready);
    }
  }

  /**
   * Returns the number of delayed tasks not yet due, such as the actors' timers that have not
   * fired. A task disposed before it fell due (a cancelled timer's) is not counted: it will never
   * run; nor is one whose time would come at or past the end of time ({@link #advanceTimeBy}).
   */
  public int delayedTasks() {
    synchronized (lock) {
      return live(timed);
    }
  }

  /** The places the queue of delayed tasks holds, disposed tasks not purged yet included. */
  int queuedDelayedTasks() {
    synchronized (lock) {
      return timed.size();
    }
  }

  /** Counts the tasks that are not disposed. Under the lock. */
  private static int live(java.util.Collection<? extends Runnable> tasks) {
    int n = 0;
    for (Runnable t : tasks) {
      if (!(t instanceof Timed timed) || !timed.isDisposed()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Returns the number of tasks run since creation, those that threw included; a task disposed
   * before it ran is not counted.
   */
  public long executedTasks() {
    return executed;
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
    return disposed;
  }

  /**
   * Drops every queued and delayed task, whose handles ({@link Disposable}s it returned, a
   * periodic task's too) then say they are disposed: they will never run. Tasks submitted
   * afterwards are refused.
   */
  @Override
  public void dispose() {
    synchronized (lock) {
      disposed = true;
      disposeAll(ready);
      disposeAll(timed);
      ready.clear();
      timed.clear();
    }
  }

  /**
   * A task was disposed (any thread): once the disposed tasks since the last purge are more than
   * {@link #PURGE_MIN} and more than half the delayed queue, the queue drops every disposed task.
   * A disposed task that waits for its time holds no more than its place (it let go of its {@code
   * Runnable}); the purge bounds the places: at most as many as the live tasks, or {@link
   * #PURGE_MIN}. Each purge costs a pass over the queue, paid for by the disposals since the last
   * one (at least half the queue's size), so a disposal costs O(1) amortized, where removing each
   * from the priority queue would cost a search of it. A count too high (a task disposed after it
   * ran, or while ready) only makes a purge come early.
   */
  private void taskDisposed() {
    synchronized (lock) {
      if (disposed) {
        return; // dispose() is clearing the queues (and iterating over them)
      }
      int n = ++disposedSincePurge;
      if (n > PURGE_MIN && n > timed.size() / 2) {
        timed.removeIf(Timed::isDisposed);
        disposedSincePurge = 0;
      }
    }
  }

  /** Disposes the handles of {@code tasks}, a periodic task's first one too. Under the lock. */
  private static void disposeAll(java.util.Collection<? extends Runnable> tasks) {
    for (Runnable r : tasks) {
      if (r instanceof Timed t) {
        t.dispose();
        Timed first = t.first;
        if (first != null) {
          first.dispose(); // the handle schedulePeriodically returned
        }
      }
    }
  }

  @Override
  public String toString() {
    return "DeterministicScheduler[" + (random == null ? "fifo" : "seeded")
        + (maxRunDelayNanos == 0 ? "" : ", run delays up to " + Duration.ofNanos(maxRunDelayNanos))
        + ", now="
        + Duration.ofNanos(now(TimeUnit.NANOSECONDS)) + "]";
  }

  private static final class Timed implements Runnable, Disposable, Comparable<Timed> {
    private final DeterministicScheduler owner;
    /**
     * The task, until it is disposed or (a one-shot) has run: a handle kept, or a disposed task
     * that waits in the queue for its time, holds no more than itself. Null in the later runs of
     * a periodic task, which read their first's ({@link #task()}).
     */
    private volatile @Nullable Runnable task;
    final long at;
    final long period;
    final long seq;
    /** Its rank among the tasks due at the same instant, before {@link #seq} (see {@link #tie}). */
    final long tie;
    /** Whether it keeps the order it was given in among the tasks due at the same instant. */
    final boolean inOrder;
    final @Nullable Timed first;
    private volatile boolean disposed;

    Timed(DeterministicScheduler owner, Runnable task, long at, long period, long seq, long tie) {
      this(owner, task, at, period, seq, tie, false, null);
    }

    Timed(DeterministicScheduler owner, Runnable task, long at, long period, long seq, long tie,
        boolean inOrder) {
      this(owner, task, at, period, seq, tie, inOrder, null);
    }

    private Timed(DeterministicScheduler owner, @Nullable Runnable task, long at, long period,
        long seq, long tie, boolean inOrder, @Nullable Timed first) {
      this.owner = owner;
      this.task = task;
      this.at = at;
      this.period = period;
      this.seq = seq;
      this.tie = tie;
      this.inOrder = inOrder;
      this.first = first;
    }

    Timed following(long nextSeq, long nextTie) {
      return new Timed(owner, null, later(at, period), period, nextSeq, nextTie, inOrder,
          first == null ? this : first);
    }

    /** The task to run: a periodic task's later runs share their first's. */
    private @Nullable Runnable task() {
      Timed f = first;
      return f == null ? task : f.task;
    }

    /**
     * Runs the task unless disposed. A one-shot's handle then says it is disposed, also when the
     * task threw, as the handles of Reactor's schedulers do once their task has finished: it will
     * not run again. A periodic task's stays live until disposed.
     */
    @Override
    public void run() {
      Runnable t = task();
      if (t == null || isDisposed()) {
        return;
      }
      try {
        t.run();
      } finally {
        if (period == 0) {
          disposed = true;
          task = null; // it has run: a handle kept holds no more than itself
        }
      }
    }

    @Override
    public int compareTo(Timed o) {
      int c = Long.compare(at, o.at);
      if (c == 0) {
        c = Long.compare(tie, o.tie);
      }
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public void dispose() {
      if (disposed) {
        return;
      }
      disposed = true;
      task = null;
      owner.taskDisposed();
    }

    /**
     * Whether it will never run (again): disposed, its periodic task's first handle disposed, or
     * its scheduler disposed (which drops the queued tasks, and never ran those that fall due at
     * the end of time and were never queued).
     */
    @Override
    public boolean isDisposed() {
      return disposed || (first != null && first.disposed) || owner.disposed;
    }
  }

}

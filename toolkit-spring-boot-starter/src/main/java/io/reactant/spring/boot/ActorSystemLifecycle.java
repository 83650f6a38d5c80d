package io.reactant.spring.boot;

import io.reactant.actor.ActorInfo;
import io.reactant.actor.ActorSystem;
import io.reactant.scheduler.DeterministicScheduler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Stops the actor system in order when the application shuts down: it first lets the work under
 * way run, for at most the grace period, until no actor has a message queued, a turn running or a
 * call suspended at an await ({@link ActorSystem#busyActors}), the calls that work sends included;
 * then it shuts the system down ({@link ActorSystem#shutdown}) with what is left of the period
 * (none, when the work outlived it): new calls fail with reject code 2 ({@code SYS_TRANSIENT}),
 * calls still queued are answered with code 2 without running, calls suspended at an await that
 * outlive the period are answered with code 6. No call is dropped silently.
 *
 * <p>On a virtual clock (a test's {@link DeterministicScheduler}, or Reactor's
 * {@code VirtualTimeScheduler}) it drives the scheduler instead of waiting in real time, which
 * would wait for the whole bound: the grace period is virtual time, and the shutdown returns at
 * once when nothing is under way.
 *
 * <p>It stops after the web server ({@link #PHASE}), so that the HTTP requests in flight are
 * answered while the actors still run.
 *
 * <p>A shut-down system cannot start again: the lifecycle is not pauseable (a context's
 * {@code pause()} leaves the actors running, so that {@code restart()} finds them serving), and
 * {@link #start} after a {@link #stop} throws rather than leave a closed system behind beans that
 * would answer every call with code 2.
 */
public final class ActorSystemLifecycle implements SmartLifecycle {

  /** The phase: after the web server's graceful shutdown and stop. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Log LOG = LogFactory.getLog(ActorSystemLifecycle.class);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** The longest wait counted (73 years): nanosecond deadlines stay comparable. */
  private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 4);

  private final ActorSystem system;

  private final Duration gracePeriod;
  private volatile boolean running;
  private volatile boolean stopped;

  public ActorSystemLifecycle(ActorSystem system, Duration gracePeriod) {
    this.system = Objects.requireNonNull(system, "system");
    this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod");
  }

  /**
   * Marks the system running.
   *
   * @throws IllegalStateException if the lifecycle was stopped: the system is shut down for good
   */
  @Override
  public void start() {
    if (stopped) {
      throw new IllegalStateException("The actor system '" + system.config().name() + "' was shut"
          + " down when the application stopped; it cannot start again: start a new application"
          + " context");
    }
    running = true;
  }

  /** Not pauseable: stopping shuts the system down for good, and a paused context restarts. */
  @Override
  public boolean isPauseable() {
    return false;
  }

  /**
   * Waits until no actor has work under way (a queued message, a running turn, a call suspended at
   * an await), or the grace period ends, then shuts the system down with the rest of the period
   * and waits for the shutdown to complete.
   */
  @Override
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    stopped = true;
    VirtualClock clock = VirtualClock.of(system.config().scheduler());
    if (clock != null) {
      stopDriving(clock);
      return;
    }
    long grace = graceNanos();
    long deadline = System.nanoTime() + grace;
    // one pass over the actors per poll, allocating nothing per actor: not a snapshot of each.
    // Not only the queued messages: a turn under way, or a call suspended at an await, may still
    // send calls, which the shutdown would refuse
    int busy = system.busyActors();
    while (busy > 0 && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(POLL_NANOS);
      busy = system.busyActors();
    }
    if (busy > 0) {
      long queued = system.queuedMessages();
      List<ActorInfo> busiest = system.busiestActors(10);
      LOG.warn("The actor system '" + system.config().name() + "' shuts down after its grace period"
          + " of " + gracePeriod + " with " + busy + " actor(s) still at work and " + queued
          + " message(s) still queued; the queued ones are answered with reject code 2 instead of"
          + " running, the calls suspended at an await with code 6. The fullest mailboxes: "
          + busiest.stream().filter(a -> a.mailboxDepth() > 0)
              .map(a -> a.id() + " (" + a.mailboxDepth() + ")").toList());
    }
    Duration rest = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    system.shutdown(rest).block(rest.plusSeconds(30));
    system.close();
  }

  /** The grace period in nanoseconds: one of centuries waits as long as a long can count. */
  private long graceNanos() {
    return gracePeriod.compareTo(LONGEST) >= 0 ? LONGEST.toNanos() : gracePeriod.toNanos();
  }

  /**
   * The shutdown of a system on a virtual clock (a test's {@link DeterministicScheduler}, or
   * Reactor's {@code VirtualTimeScheduler}), whose tasks run only when a thread drives it: waiting
   * in real time would only wait for the whole bound. It drives the scheduler on this thread
   * instead, its grace period in virtual time, as {@link #stop} waits on a pool: runs what is
   * ready, moves the clock while an actor has work under way and a task may still be due (so that
   * a call suspended at an await of a timer may still send its calls, which the shutdown would
   * refuse), then shuts the system down with the rest of the period and moves the clock until the
   * shutdown completes (so it ends at once when nothing is under way). The clock moves in steps of
   * at least 5 ms, each no longer than the time waited so far: a wait ends at most that much after
   * the work under way did. If it cannot drive the scheduler (another thread is driving it), it
   * shuts the system down without waiting: driving the scheduler completes it.
   */
  private void stopDriving(VirtualClock clock) {
    long grace = graceNanos();
    try {
      clock.runReady();
      long start = clock.nanos();
      long waited = 0;
      while (waited < grace && system.busyActors() > 0 && clock.mayHaveDueTasks()) {
        clock.advanceBy(virtualStep(waited, grace));
        long now = clock.nanos() - start;
        if (now == waited) {
          break; // the clock is at the end of time
        }
        waited = now;
      }
      Duration rest = Duration.ofNanos(Math.max(0, grace - waited));
      clock.await(system.shutdown(rest), rest);
    } catch (RuntimeException e) {
      // driven by another thread, or a shutdown that does not end (a grace period of centuries)
      LOG.warn("The actor system '" + system.config().name() + "' runs on a virtual clock that its"
          + " shutdown could not drive to the end; it is shut down without waiting", e);
      system.shutdown(gracePeriod);
    }
    system.close();
  }

  /**
   * The next step of a virtual clock driven for at most {@code limit} after {@code waited} so far:
   * at least 5 ms, at most the time waited (a wait ends at most that much after what it waits
   * for), never past the limit.
   */
  private static long virtualStep(long waited, long limit) {
    return Math.min(Math.max(POLL_NANOS, waited), limit - waited);
  }

  /** A scheduler whose time moves only when a thread drives it. */
  private interface VirtualClock {

    /** The clock of {@code scheduler}, if it is a virtual one; else null. */
    static @Nullable VirtualClock of(@Nullable Scheduler scheduler) {
      if (scheduler instanceof DeterministicScheduler deterministic) {
        return new Deterministic(deterministic);
      }
      return scheduler == null ? null : ReactorVirtualTime.of(scheduler);
    }

    /** Runs the tasks that are due. */
    void runReady();

    /** Whether a delayed task may still fall due (false only when it knows there is none). */
    boolean mayHaveDueTasks();

    long nanos();

    /** Moves the clock, running the tasks that fall due. */
    void advanceBy(long nanos);

    /**
     * Moves the clock until {@code done} completes, at most {@code within}.
     *
     * @throws RuntimeException if it does not complete within it
     */
    void await(Mono<Void> done, Duration within);
  }

  private record Deterministic(DeterministicScheduler scheduler) implements VirtualClock {

    @Override
    public void runReady() {
      scheduler.runUntilIdle();
    }

    @Override
    public boolean mayHaveDueTasks() {
      return scheduler.delayedTasks() > 0;
    }

    @Override
    public long nanos() {
      return scheduler.now(TimeUnit.NANOSECONDS);
    }

    @Override
    public void advanceBy(long nanos) {
      scheduler.advanceTimeBy(Duration.ofNanos(nanos));
    }

    @Override
    public void await(Mono<Void> done, Duration within) {
      scheduler.await(done, within);
    }
  }

  /**
   * Reactor's {@code VirtualTimeScheduler} (of reactor-test, which the starter does not depend
   * on: driven through reflection). It does not tell whether a task is still due, so the clock
   * moves while work is under way, up to the grace period.
   */
  private record ReactorVirtualTime(Scheduler scheduler, Method advanceTime, Method advanceTimeBy)
      implements VirtualClock {

    static @Nullable VirtualClock of(Scheduler scheduler) {
      for (Class<?> c = scheduler.getClass(); c != null; c = c.getSuperclass()) {
        if (c.getName().equals("reactor.test.scheduler.VirtualTimeScheduler")) {
          try {
            return new ReactorVirtualTime(scheduler, c.getMethod("advanceTime"),
                c.getMethod("advanceTimeBy", Duration.class));
          } catch (NoSuchMethodException e) {
            return null; // another version: waited for as a real scheduler
          }
        }
      }
      return null;
    }

    @Override
    public void runReady() {
      invoke(advanceTime);
    }

    @Override
    public boolean mayHaveDueTasks() {
      return true;
    }

    @Override
    public long nanos() {
      return scheduler.now(TimeUnit.NANOSECONDS);
    }

    @Override
    public void advanceBy(long nanos) {
      invoke(advanceTimeBy, Duration.ofNanos(nanos));
    }

    @Override
    public void await(Mono<Void> done, Duration within) {
      CompletableFuture<Void> ended = done.toFuture();
      long limit = within.toNanos();
      long waited = 0;
      runReady();
      while (!ended.isDone() && waited < limit) {
        long step = virtualStep(waited, limit);
        advanceBy(step);
        waited += step;
      }
      runReady();
      if (!ended.isDone()) {
        throw new IllegalStateException("The shutdown did not end within " + within
            + " of virtual time");
      }
      ended.join(); // a shutdown that failed throws
    }

    private void invoke(Method method, Object... args) {
      try {
        method.invoke(scheduler, args);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
      }
    }
  }

  /** Returns how long the shutdown lets queued messages and suspended calls run. */
  public Duration gracePeriod() {
    return gracePeriod;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}

package io.reactant.spring.boot;

import io.reactant.actor.ActorInfo;
import io.reactant.actor.ActorSystem;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the actor system in order when the application shuts down: it first lets the work under
 * way run, for at most the grace period, until no actor has a message queued, a turn running or a
 * call suspended at an await ({@link ActorSystem#busyActors}), the calls that work sends included;
 * then it shuts the system down ({@link ActorSystem#shutdown}) with what is left of the period
 * (none, when the work outlived it): new calls fail with reject code 2 ({@code SYS_TRANSIENT}),
 * calls still queued are answered with code 2 without running, calls suspended at an await that
 * outlive the period are answered with code 6. No call is dropped silently.
 *
 * <p>On a {@link DeterministicScheduler} (a test's) it drives the scheduler instead of waiting in
 * real time, which would wait for the whole bound: the grace period is virtual time, and the
 * shutdown returns at once when nothing is under way.
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
    if (system.config().scheduler() instanceof DeterministicScheduler scheduler) {
      stopDriving(scheduler);
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
   * The shutdown of a system on a {@link DeterministicScheduler} (a test's), whose tasks run only
   * when a thread drives it: waiting in real time would only wait for the whole bound. It drives
   * the scheduler on this thread instead, its grace period in virtual time, as {@link #stop} waits
   * on a pool: runs what is ready, moves the clock while an actor has work under way and a task is
   * still due (so that a call suspended at an await of a timer may still send its calls, which the
   * shutdown would refuse), then shuts the system down with the rest of the period and moves the
   * clock until the shutdown completes (so it ends at once when nothing is under way). The clock
   * moves in steps of at least 5 ms, each no longer than the time waited so far: a wait ends at
   * most that much after the work under way did. If it cannot drive the scheduler (another thread
   * is driving it), it shuts the system down without waiting: driving the scheduler completes it.
   */
  private void stopDriving(DeterministicScheduler scheduler) {
    long grace = graceNanos();
    try {
      scheduler.runUntilIdle();
      long start = scheduler.now(TimeUnit.NANOSECONDS);
      long waited = 0;
      while (waited < grace && system.busyActors() > 0 && scheduler.delayedTasks() > 0) {
        scheduler.advanceTimeBy(Duration.ofNanos(Math.min(Math.max(POLL_NANOS, waited),
            grace - waited)));
        long now = scheduler.now(TimeUnit.NANOSECONDS) - start;
        if (now == waited) {
          break; // the clock is at the end of time
        }
        waited = now;
      }
      Duration rest = Duration.ofNanos(Math.max(0, grace - waited));
      scheduler.await(system.shutdown(rest), rest);
    } catch (RuntimeException e) {
      // driven by another thread, or a shutdown that does not end (a grace period of centuries)
      LOG.warn("The actor system '" + system.config().name() + "' runs on a DeterministicScheduler"
          + " that its shutdown could not drive to the end; it is shut down without waiting", e);
      system.shutdown(gracePeriod);
    }
    system.close();
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

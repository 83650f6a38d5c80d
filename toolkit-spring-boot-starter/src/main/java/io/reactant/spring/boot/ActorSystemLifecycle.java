package io.reactant.spring.boot;

import io.reactant.actor.ActorInfo;
import io.reactant.actor.ActorSystem;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the actor system in order when the application shuts down: it lets the messages already
 * queued in the actors' mailboxes run, for at most a grace period, then closes the system, after
 * which every new call fails with reject code 2 ({@code SYS_TRANSIENT}).
 *
 * <p>It stops after the web server ({@link #PHASE}), so that the HTTP requests in flight are
 * answered while the actors still run. Messages still queued when the grace period ends are
 * reported in a warning with the actors that hold them: the core runtime cannot yet answer them
 * with a reject when it closes.
 */
public final class ActorSystemLifecycle implements SmartLifecycle {

  /** The phase: after the web server's graceful shutdown and stop. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Log LOG = LogFactory.getLog(ActorSystemLifecycle.class);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final ActorSystem system;
  private final Duration gracePeriod;
  private volatile boolean running;

  public ActorSystemLifecycle(ActorSystem system, Duration gracePeriod) {
    this.system = Objects.requireNonNull(system, "system");
    this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod");
  }

  @Override
  public void start() {
    running = true;
  }

  /**
   * Waits until no actor has a queued message, or the grace period ends, then closes the system.
   */
  @Override
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    long deadline = System.nanoTime() + gracePeriod.toNanos();
    List<ActorInfo> busy = busyActors();
    while (!busy.isEmpty() && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(POLL_NANOS);
      busy = busyActors();
    }
    system.close();
    if (!busy.isEmpty()) {
      int queued = busy.stream().mapToInt(ActorInfo::mailboxDepth).sum();
      LOG.warn("The actor system '" + system.config().name() + "' closed after its grace period of "
          + gracePeriod + " with " + queued + " message(s) still queued in " + busy.size()
          + " actor(s), which will not run: " + busy.stream().limit(10)
              .map(a -> a.id() + " (" + a.mailboxDepth() + ")").toList());
    }
  }

  private List<ActorInfo> busyActors() {
    return system.actors().stream().filter(a -> a.mailboxDepth() > 0).toList();
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

package io.reactant.internal;

import io.reactant.actor.TurnListener;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The runtime's watchdog: one daemon thread ({@value #THREAD_NAME}) for the whole JVM, running
 * while at least one actor system runs on a work-stealing pool (or a wait is timed on a scheduler
 * an application supplied, see below), that looks at the pools' threads every {@value
 * #TICK_MILLIS} ms (as a Pekko scheduler ticks) and does three things.
 *
 * <p><b>It wakes a pool that left work waiting.</b> On JDK 17 a pool thread that runs out of tasks
 * goes idle without looking at the queues again when another thread of the pool is busy, trusting
 * that one to find what arrives meanwhile; a task submitted in that instant found no idle thread to
 * wake, so it waits until the busy thread is done. A busy thread in a long turn (or a turn that
 * blocks) then strands an unrelated actor while a thread sits idle (later JDKs look again before
 * they park). A pool seen at two ticks in a row with tasks queued and a thread idle, and no thread
 * finishing a run of tasks in between, is woken ({@link ActorPool#wakeIfStalled}), so such a task
 * waits at most two ticks.
 *
 * <p><b>It reports long turns.</b> A turn of an actor whose system sets a long-turn warning
 * ({@code ActorSystemConfig.longTurnWarning}) that is still running that long after the watchdog
 * first saw it is logged once, with its thread's stack, and passed to the system's
 * {@link TurnListener#turnRunningLong}: a turn that blocks (I/O, a lock, a latch) keeps one of the
 * pool's few threads from every other actor, and the report names it. Turns are looked at every
 * quarter of the smallest threshold (within {@value #TICK_MILLIS} ms and 1 s), so a long turn is
 * reported between its threshold and its threshold plus a quarter. Turns that run on other
 * schedulers' threads (a {@code DeterministicScheduler}, Reactor's schedulers) are not watched.
 *
 * <p><b>It ends waits whose timer a disposed scheduler dropped.</b> While a system on a scheduler
 * the application supplied has a grace period or a bounded wait timed on it ({@link
 * GuardedDelays}), the watchdog runs, whatever the scheduler, and looks at it every tick: once it
 * is disposed, those waits end on the watchdog's thread (rule R22). It holds such a system while
 * one of them is pending: a virtual clock abandoned undisposed with a bounded wait pending keeps
 * its system reachable, and the watchdog ticking, until the JVM ends.
 *
 * <p>The turns pay nothing for either: the pool threads register themselves when they start
 * ({@link ContextCarrier}), and the watchdog reads, without synchronization, what a turn writes
 * anyway: its thread's turn context, the actor that context is bound to, the call the turn runs
 * for, which stays in the context through the end of the turn (so the report of a long end names
 * the method of the call it ends, a continuation's after an await included), and the thread's
 * count of turns run with that context, which every turn moves on as it starts. The same context,
 * actor and count in two samples is the same turn; the actor's count of ended turns would not do,
 * as a turn is counted before its effects are released, so that the end of one and the next turn
 * of the same actor on the same thread, of the same call, would share it. A stale reading only
 * delays a report by a sample.
 */
final class Watchdog {

  static final String THREAD_NAME = "reactant-watchdog";
  private static final long TICK_MILLIS = 10;
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
  private static final long MAX_TURN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Logger LOG = Loggers.getLogger(Watchdog.class);

  /** The pool threads alive; added and removed by the threads themselves. */
  private static final Set<ContextCarrier> THREADS = ConcurrentHashMap.newKeySet();
  /** The systems running on a work-stealing pool. */
  private static final Set<ActorRuntime> SYSTEMS = ConcurrentHashMap.newKeySet();
  /** The delays on applications' schedulers to look after (see {@link GuardedDelays}). */
  private static final Set<GuardedDelays> GUARDED = ConcurrentHashMap.newKeySet();
  /** The watchdog's thread, while one runs; guarded by the class. */
  private static @Nullable Thread watchdog;

  private Watchdog() {
  }

  static void threadStarted(ContextCarrier thread) {
    THREADS.add(thread);
  }

  static void threadEnded(ContextCarrier thread) {
    THREADS.remove(thread);
  }

  /** Watches {@code runtime}, which runs on a work-stealing pool, until {@link #unwatch}. */
  static void watch(ActorRuntime runtime) {
    synchronized (Watchdog.class) {
      SYSTEMS.add(runtime);
      start();
    }
  }

  /**
   * Looks at {@code delays} every tick until its {@link GuardedDelays#check} says it need not.
   */
  static void watch(GuardedDelays delays) {
    synchronized (Watchdog.class) {
      GUARDED.add(delays);
      start();
    }
  }

  /** Starts the watchdog's thread unless it runs; with the class's lock held. */
  private static void start() {
    if (watchdog == null) {
      Thread t = new Thread(Watchdog::run, THREAD_NAME);
      t.setDaemon(true);
      watchdog = t;
      t.start();
    }
  }

  /** Stops watching {@code runtime}; the thread ends with the last system watched. */
  static void unwatch(ActorRuntime runtime) {
    SYSTEMS.remove(runtime);
  }

  private static void run() {
    Map<ContextCarrier, Observation> seen = new HashMap<>();
    long nextTurnSample = System.nanoTime();
    for (;;) {
      synchronized (Watchdog.class) {
        if (SYSTEMS.isEmpty() && GUARDED.isEmpty()) {
          watchdog = null;
          return;
        }
      }
      LockSupport.parkNanos(TICK_NANOS);
      try {
        checkGuarded();
        wakeStalledPools();
        long now = System.nanoTime();
        long interval = turnSampleInterval();
        if (interval > 0 && now - nextTurnSample >= 0) {
          sampleTurns(seen, now);
          nextTurnSample = now + interval;
        }
      } catch (RuntimeException | Error e) {
        // the watchdog must outlive anything a report or a listener throws
        LOG.warn("The runtime's watchdog failed to look at the pool threads", e);
      }
    }
  }

  /** Ends the waits whose scheduler was disposed; lets go of what needs no more looking at. */
  private static void checkGuarded() {
    for (GuardedDelays d : GUARDED) {
      boolean again;
      try {
        again = d.check();
      } catch (RuntimeException | Error e) {
        LOG.warn("The runtime's watchdog failed to end waits on a disposed scheduler", e);
        again = true;
      }
      if (!again) {
        GUARDED.remove(d);
        if (d.needsWatching()) {
          GUARDED.add(d); // a delay came in between: it did not ask, as it saw it watched
        }
      }
    }
  }

  /** Lets every pool with threads alive check whether it left work waiting. */
  private static void wakeStalledPools() {
    Map<ActorPool, Boolean> pools = new IdentityHashMap<>(4);
    for (ContextCarrier thread : THREADS) {
      if (thread.getPool() instanceof ActorPool pool && pools.put(pool, Boolean.TRUE) == null) {
        pool.wakeIfStalled();
      }
    }
  }

  /**
   * A quarter of the smallest long-turn threshold of the systems watched, within a tick and a
   * second; 0 when no system asks for reports.
   */
  private static long turnSampleInterval() {
    long smallest = Long.MAX_VALUE;
    for (ActorRuntime r : SYSTEMS) {
      if (r.longTurnNanos > 0) {
        smallest = Math.min(smallest, r.longTurnNanos);
      }
    }
    if (smallest == Long.MAX_VALUE) {
      return 0;
    }
    return Math.max(TICK_NANOS, Math.min(MAX_TURN_INTERVAL_NANOS, smallest / 4));
  }

  /**
   * Looks at every pool thread once at time {@code now}: a thread found in the same turn as at an
   * earlier sample, for at least its system's threshold, is reported (once per turn).
   */
  private static void sampleTurns(Map<ContextCarrier, Observation> seen, long now) {
    seen.keySet().retainAll(THREADS);
    for (ContextCarrier thread : THREADS) {
      TurnContext t = thread.turnContext;
      ActorCell cell = t.cell;
      if (cell == null || cell.runtime.longTurnNanos <= 0 || !SYSTEMS.contains(cell.runtime)) {
        seen.remove(thread);
        continue;
      }
      // the call before the count: a turn starts by counting, then sets its call, so on a CPU that
      // keeps the order of loads (x86) a call read here belongs to the turn counted below or to
      // one before it; read after the count, it could be the next turn's
      Call call = t.call;
      int turn = thread.turnsOnContext;
      Observation o = seen.get(thread);
      if (o == null || o.context != t || o.turn != turn || o.cell != cell) {
        seen.put(thread, new Observation(t, turn, cell, now));
      } else if (!o.reported && now - o.since >= cell.runtime.longTurnNanos) {
        o.reported = true;
        report(thread, cell, call, now - o.since);
      }
    }
  }

  private static void report(Thread thread, ActorCell cell, @Nullable Call call, long runningNanos) {
    // the listener's name is the same for every timer's job, the message's names the timer; a
    // turn runs for a call from its start to its end, so "a continuation" is a reading of a
    // context being released (no turn runs for none)
    String method = call == null ? "a continuation" : call.method.name;
    String described = call == null || call.method.method != null ? method
        : call.method.displayName;
    long millis = TimeUnit.NANOSECONDS.toMillis(runningNanos);
    String message = "A turn of " + described + " on " + cell + " has held pool thread "
        + thread.getName() + " for at least " + millis + " ms: a turn must not block its thread."
        + " Await blocking work run on Reactor's Schedulers.boundedElastic() instead (README,"
        + " \"Blocking work\"). The thread's stack when it was seen:";
    ThreadStack stack = new ThreadStack(thread.getName());
    stack.setStackTrace(thread.getStackTrace());
    LOG.warn(message, stack);
    TurnListener listener = cell.runtime.listener;
    if (listener != null) {
      try {
        listener.turnRunningLong(cell.id, cell.type, method, Duration.ofNanos(runningNanos),
            thread);
      } catch (Throwable e) {
        cell.runtime.listenerFailed(e);
      }
    }
  }

  /**
   * What the watchdog last saw on one thread: the {@code turn}-th turn run with its turn context,
   * a turn of {@code cell}, first seen at {@code since}.
   */
  private static final class Observation {
    final TurnContext context;
    final int turn;
    final ActorCell cell;
    final long since;
    boolean reported;

    Observation(TurnContext context, int turn, ActorCell cell, long since) {
      this.context = context;
      this.turn = turn;
      this.cell = cell;
      this.since = since;
    }
  }

  /** Carries a pool thread's stack into the log (it is not an error of the watchdog's own). */
  private static final class ThreadStack extends Throwable {
    private static final long serialVersionUID = 1L;

    ThreadStack(String threadName) {
      super("the stack of " + threadName, null, false, true);
    }
  }
}

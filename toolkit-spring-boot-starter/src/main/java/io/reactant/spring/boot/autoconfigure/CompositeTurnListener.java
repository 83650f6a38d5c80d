package io.reactant.spring.boot.autoconfigure;

import io.reactant.actor.ActorId;
import io.reactant.actor.TurnListener;
import io.reactant.error.RejectCode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells several listeners, in order, of every turn, failed call and long turn. A listener that
 * throws, an {@link Error} too (as the runtime takes one from a listener it tells: a {@code
 * NoClassDefFoundError} of a metrics library, say), is skipped for that event (the listeners after
 * it are still told) and logged: its first failure as a warning, the others at debug level.
 */
final class CompositeTurnListener implements TurnListener {

  private static final Log LOG = LogFactory.getLog(CompositeTurnListener.class);

  private final TurnListener[] listeners;
  /** The listeners whose failure was logged as a warning. */
  private final Set<TurnListener> warned = ConcurrentHashMap.newKeySet();

  CompositeTurnListener(List<TurnListener> listeners) {
    this.listeners = listeners.toArray(new TurnListener[0]);
  }

  @Override
  public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
    for (TurnListener l : listeners) {
      try {
        l.turnEnded(actor, type, outcome, durationNanos);
      } catch (Throwable e) { // an Error too: it would skip the listeners after it
        failed(l, e);
      }
    }
  }

  @Override
  public void callRejected(ActorId actor, Class<?> type, String method, RejectCode code) {
    tellEach(l -> l.callRejected(actor, type, method, code));
  }

  @Override
  public void callRejected(ActorId actor, String method, RejectCode code) {
    tellEach(l -> l.callRejected(actor, method, code));
  }

  @Override
  public void turnRunningLong(ActorId actor, Class<?> type, String method, Duration running,
      Thread thread) {
    tellEach(l -> l.turnRunningLong(actor, type, method, running, thread));
  }

  /** For the rarer events: the per-turn one loops by hand, without a capturing lambda. */
  private void tellEach(Consumer<TurnListener> event) {
    for (TurnListener l : listeners) {
      try {
        event.accept(l);
      } catch (Throwable e) { // an Error too: it would skip the listeners after it
        failed(l, e);
      }
    }
  }

  /**
   * A listener threw: its first failure is logged as a warning with its stack, the others at debug
   * level (one that fails at every turn would flood the log from the hot path).
   */
  private void failed(TurnListener listener, Throwable e) {
    if (warned.add(listener)) {
      LOG.warn("The TurnListener " + listener + " failed; its further failures are logged at"
          + " debug level", e);
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("The TurnListener " + listener + " failed again", e);
    }
  }
}

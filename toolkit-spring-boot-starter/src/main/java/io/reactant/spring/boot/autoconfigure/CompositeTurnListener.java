package io.reactant.spring.boot.autoconfigure;

import io.reactant.actor.ActorId;
import io.reactant.actor.TurnListener;
import io.reactant.error.RejectCode;
import java.time.Duration;
import java.util.List;

/** Tells several listeners, in order, of every turn, failed call and long turn. */
final class CompositeTurnListener implements TurnListener {

  private final TurnListener[] listeners;

  CompositeTurnListener(List<TurnListener> listeners) {
    this.listeners = listeners.toArray(new TurnListener[0]);
  }

  @Override
  public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
    for (TurnListener l : listeners) {
      l.turnEnded(actor, type, outcome, durationNanos);
    }
  }

  @Override
  public void callRejected(ActorId actor, String method, RejectCode code) {
    for (TurnListener l : listeners) {
      l.callRejected(actor, method, code);
    }
  }

  @Override
  public void turnRunningLong(ActorId actor, Class<?> type, String method, Duration running,
      Thread thread) {
    for (TurnListener l : listeners) {
      l.turnRunningLong(actor, type, method, running, thread);
    }
  }
}

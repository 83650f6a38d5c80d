package io.reactant.actor;

import io.reactant.error.RejectCode;

/**
 * Receives an event for every turn that ends and every call that fails, for metrics.
 *
 * <p>Callbacks run on the thread that executed the turn (or rejected the call), synchronously, on
 * the hot path: keep them short, non-blocking and thread-safe, and never call actors from them.
 * An exception thrown by a listener is logged and ignored.
 */
public interface TurnListener {

  /** What ended a turn. */
  enum Outcome {
    /** The turn reached a commit point: its state changes and sends are permanent. */
    COMMITTED,
    /** The turn trapped: its state changes were rolled back and its sends revoked. */
    TRAPPED
  }

  /**
   * Called after each turn of an update method (including continuations after an await).
   *
   * @param actor the actor
   * @param type the actor's interface
   * @param outcome committed or trapped
   * @param durationNanos the time the turn took, in nanoseconds
   */
  default void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
  }

  /**
   * Called when a call's future fails, with the code its caller sees.
   *
   * @param actor the callee
   * @param method the method's name
   * @param code the reject code
   */
  default void callRejected(ActorId actor, String method, RejectCode code) {
  }
}

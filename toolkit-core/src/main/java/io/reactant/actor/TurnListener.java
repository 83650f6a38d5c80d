package io.reactant.actor;

import io.reactant.error.RejectCode;
import java.time.Duration;

/**
 * Receives an event for every turn that ends and every call that fails, for metrics, and one for
 * each turn that holds a pool thread for long.
 *
 * <p>Callbacks run on the thread that executed the turn (or rejected the call), synchronously, on
 * the hot path (except {@link #turnRunningLong}): keep them short, non-blocking and thread-safe,
 * and never call actors from them. Anything thrown by a listener (an {@link Error} too, such as
 * a {@code NoClassDefFoundError} of a metrics library) is logged and ignored: the first as a
 * warning with its stack, the others at debug level.
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
   * Called after each turn: of an update or a oneway, of a continuation after an await, or of a
   * timer's job (queries and inspections are not turns).
   *
   * @param actor the actor
   * @param type the actor's interface
   * @param outcome committed or trapped
   * @param durationNanos the time the turn took, in nanoseconds
   */
  default void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
  }

  /**
   * Called when a call's future fails, with the code its caller sees: refused before it ran (2 for
   * a closed system or a full mailbox, 3 for no such actor or method; an actor that cannot be
   * activated, or an ingress inspection that refuses, gives its own code), rejected or trapped by
   * the callee (4, 5), timed out or still running when a shutdown ended (6), or revoked because
   * the turn that sent it trapped (1). A query is reported alike, and also when it is cancelled
   * before it answered: because the composite query that made it ended first (6), because its
   * caller cancelled it ({@link ActorRefs#cancelQuery}, 6), or because the shutdown took away the
   * timer that its bounded wait needed (2).
   * A oneway that fails so is reported too, once, with the code its caller would have seen (it has
   * no future, and its caller never learns it); a oneway that committed is not, whatever becomes
   * of the awaits it left running. A timer's job is not a call and is never reported.
   *
   * @param actor the callee
   * @param method the method's name
   * @param code the reject code
   */
  default void callRejected(ActorId actor, String method, RejectCode code) {
  }

  /**
   * Called when a call's future fails, as {@link #callRejected(ActorId, String, RejectCode)} says,
   * with the interface of the reference the call went through, which declares the method (the
   * actor's own interface, unless the reference is of another interface the actor implements; a
   * call to an actor that does not exist has one too). The runtime calls this one; by default it
   * calls the other, so a listener overrides either.
   *
   * @param actor the callee
   * @param type the interface of the reference the call went through
   * @param method the method's name
   * @param code the reject code
   */
  default void callRejected(ActorId actor, Class<?> type, String method, RejectCode code) {
    callRejected(actor, method, code);
  }

  /**
   * Called once for a turn that has held a pool thread for at least the system's
   * {@link ActorSystemConfig#longTurnWarning()}, while it still runs (it is also logged, with the
   * thread's stack). Unlike the other callbacks, it runs on the runtime's watchdog thread, not on
   * the thread of the turn; keep it short there too, since that thread also wakes pools that left
   * work waiting.
   *
   * @param actor the actor
   * @param type the actor's interface
   * @param method the method of the call whose turn it is, for the whole turn: its end (telling
   *     the listeners, releasing its sends, answering its caller) and a continuation after an
   *     await included; "timer" or "recurring timer" for a timer's job, whichever the timer ("a
   *     continuation" only for a turn the watchdog read as its context was being released)
   * @param running how long the watchdog has seen the turn running (at least the threshold)
   * @param thread the pool thread the turn holds
   */
  default void turnRunningLong(ActorId actor, Class<?> type, String method, Duration running,
      Thread thread) {
  }
}

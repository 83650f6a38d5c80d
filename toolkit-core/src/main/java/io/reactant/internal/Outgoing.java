package io.reactant.internal;

/**
 * A tentative effect of a turn on the world outside the actor: a message send, a query call, an
 * actor creation. It is held in the turn's outbox, released in order when the turn commits
 * (rules R4, R6) and revoked when the turn traps (rule R10).
 */
interface Outgoing {

  /** Makes the effect happen. Called once, at the commit of the turn that made it, in order. */
  void release();

  /** Cancels the effect: the turn that made it trapped. */
  void revoke();
}

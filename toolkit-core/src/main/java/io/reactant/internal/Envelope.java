package io.reactant.internal;

import org.jspecify.annotations.Nullable;

/**
 * Something an actor's mailbox holds: a call, a continuation after an await, a late signal. The
 * envelope is its own queue node (the mailbox is intrusive), so enqueuing allocates nothing.
 * An envelope is enqueued at most once.
 */
abstract class Envelope {

  /** The next envelope in the mailbox (see {@link Mailbox}: published by its atomic operations). */
  @Nullable Envelope next;

  /** Executes this envelope as one turn of {@code cell}, on the cell's executing thread. */
  abstract void execute(ActorCell cell);

  /**
   * Answers the envelope without executing it, because the actor stopped or the system closed.
   * Clean: nothing of the actor ran.
   */
  abstract void abandon(io.reactant.error.RejectCode code, String message);
}

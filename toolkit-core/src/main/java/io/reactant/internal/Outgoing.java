package io.reactant.internal;

/**
 * A tentative effect of a turn on the world outside the actor: a message send, a query call, an
 * actor creation. It is held in the turn's outbox, released in order when the turn commits
 * (rules R4, R6) and revoked when the turn traps (rule R10).
 *
 * <p>Hold effects as {@code Outgoing} but hand them to {@link #release(Object)} and
 * {@link #revoke(Object)} as objects: a send (a {@link Call}, nearly every effect) is told apart
 * by its class, so that a {@code Call} is never cast to this interface. On JDK 17 to 22 a class
 * remembers only the last interface it was successfully checked against; a {@code Call} is also
 * checked against Reactor's {@code ConditionalSubscriber} (by {@code map}, {@code filter} and the
 * like, when it subscribes to the {@code Mono} a method returns), and alternating the two would
 * make every check scan the class's supertypes and rewrite that shared memory (JDK-8180450).
 */
interface Outgoing {

  /** Makes the effect happen. Called once, at the commit of the turn that made it, in order. */
  void release();

  /** Cancels the effect: the turn that made it trapped. */
  void revoke();

  /**
   * Releases {@code effect}, an {@code Outgoing} (see the class comment for why an object).
   *
   * @return false if it was a message refused before it could be made (a call no mailbox took, a
   *     query to no actor, a call or an actor creation after the system shut down): its sender
   *     gets its message fee back (rule R22)
   */
  static boolean release(Object effect) {
    if (effect instanceof Call call) {
      return call.send();
    }
    if (effect instanceof QueryCall query) {
      return query.send();
    }
    if (effect instanceof SpawnRequest<?, ?> spawn) {
      return spawn.send();
    }
    ((Outgoing) effect).release();
    return true;
  }

  /** Revokes {@code effect}, an {@code Outgoing} (see the class comment for why an object). */
  static void revoke(Object effect) {
    if (effect instanceof Call call) {
      call.revoke();
    } else {
      ((Outgoing) effect).revoke();
    }
  }
}

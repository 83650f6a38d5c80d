package io.reactant.actor;

/**
 * A snapshot of one live actor, for monitoring (for example an Actuator endpoint). The counters
 * are read without synchronisation and may lag behind by a few turns.
 *
 * @param id the actor's id
 * @param type the actor's interface
 * @param mailboxDepth messages waiting in its mailbox
 * @param turns turns executed since it was created
 * @param traps turns that trapped and rolled back
 * @param balance its committed cycles balance
 * @param timers its active timers
 * @param suspendedCalls calls it is executing that are suspended at an {@code await}: started,
 *     not answered yet, each waiting for a future (what a shutdown answers with code 6 if they
 *     outlive its grace period); not a oneway, nor a call answered already, whose await is still
 *     pending (which a shutdown cancels at its end, waiting for nothing)
 */
public record ActorInfo(ActorId id, Class<?> type, int mailboxDepth, long turns, long traps,
    long balance, int timers, int suspendedCalls) {
}

package io.reactant.internal;

import org.jspecify.annotations.Nullable;

/**
 * A pool thread with a one-actor hand-off slot: while an actor runs on it, an actor that the
 * running one wakes up (by sending it a message, or by answering a call it awaits) can be parked
 * in the slot instead of being submitted to the pool, and is then run by this same thread as soon
 * as the running actor gives the thread back. A ping-pong, or a chain of awaits, thus stays on one
 * thread without waking another one per message.
 *
 * <p>The slot is only read and written by its own thread. Its value is {@code null} when no actor
 * runs on the thread (nothing may be parked), the running actor's runtime when the slot is open
 * and empty, or the parked {@link ActorCell}. {@link ActorCell} is the only user; it guarantees
 * that a parked actor is run or submitted to the pool before the running actor's envelope is
 * followed by another one of its own (see {@code ActorCell.run}).
 */
public interface HandOffCarrier {

  @Nullable Object handOff();

  void handOff(@Nullable Object slot);
}

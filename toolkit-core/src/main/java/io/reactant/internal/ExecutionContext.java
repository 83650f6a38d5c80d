package io.reactant.internal;

import io.reactant.error.Trap;
import org.jspecify.annotations.Nullable;

/**
 * What the current thread is executing on behalf of an actor: one of its turns, a query, or its
 * initializer. The thread's current context decides what state access and messaging mean
 * (rules R1, R17, R18, R19).
 */
public abstract class ExecutionContext {

  /**
   * The actor; fixed for a query, bound per turn for a {@link TurnContext} and per creation for an
   * {@link InitContext} (null in between, when the context is never current).
   */
  ActorCell cell;

  /**
   * The first trap the toolkit raised in this context (a send or spawn the context may not make, a
   * deadlocking await, cycles that run out, {@code Actor.trap}): it ends the turn, query or
   * initializer as a trap even if the actor's code catches it, as a trap cannot be caught (rules
   * R12, R18, R19, R22). Written and read by the thread running the context, and for a composite
   * query by the thread on which a wrapper in one of its awaits subscribes to an update's future:
   * that write happens before the error it signals to the await, and so before the query's end.
   */
  @Nullable Trap raised;

  /** {@link #time} before the context read the clock. */
  static final long TIME_UNREAD = Long.MIN_VALUE;

  /**
   * The time this turn, query or initializer reads ({@code Actor.timeNow()}), in nanoseconds
   * since the epoch: read from the system's clock the first time it asks, then the same for the
   * rest of it, as Motoko's {@code Time.now()} is constant within one message's execution. A
   * composite query keeps its context, and so its time, across its awaits, as it keeps its
   * snapshot; a turn's context, reused by its thread, is reset at each turn ({@code
   * TurnContext.begin}), an initializer's as it is released ({@code TimeNowPerTurnTest}).
   */
  long time = TIME_UNREAD;

  ExecutionContext(@Nullable ActorCell cell) {
    this.cell = cell;
  }

  /**
   * Throws the trap raised in this context, if any: code that caught it ended normally, and the
   * context still traps.
   */
  void throwIfRaised() {
    Trap r = raised;
    if (r != null) {
      throw r;
    }
  }

  /** Records {@code trap} as raised in this context (the first one counts) and returns it. */
  Trap raise(Trap trap) {
    if (raised == null) {
      raised = trap;
    }
    return trap;
  }

  /** Describes the context for error messages. */
  abstract String describe();
}

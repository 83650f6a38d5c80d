package io.reactant.internal;

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

  ExecutionContext(@Nullable ActorCell cell) {
    this.cell = cell;
  }

  /** Describes the context for error messages. */
  abstract String describe();
}

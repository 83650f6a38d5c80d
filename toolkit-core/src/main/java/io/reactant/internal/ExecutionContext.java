package io.reactant.internal;

/**
 * What the current thread is executing on behalf of an actor: one of its turns, a query, or its
 * initializer. The thread's current context decides what state access and messaging mean
 * (rules R1, R17, R18, R19).
 */
public abstract class ExecutionContext {

  final ActorCell cell;

  ExecutionContext(ActorCell cell) {
    this.cell = cell;
  }

  /** Describes the context for error messages. */
  abstract String describe();
}

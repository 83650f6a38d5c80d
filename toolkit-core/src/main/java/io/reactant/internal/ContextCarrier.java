package io.reactant.internal;

import org.jspecify.annotations.Nullable;

/**
 * A thread that keeps the runtime's per-thread data in fields: its current
 * {@link ExecutionContext}, and the {@link TurnContext} it reuses for the turns it runs, so the
 * runtime does not pay for a thread-local lookup on its own worker threads.
 */
public interface ContextCarrier {

  @Nullable ExecutionContext reactantContext();

  void reactantContext(@Nullable ExecutionContext context);

  /** Returns this thread's turn context, always the same one (see {@link TurnContext#newForThread}). */
  TurnContext reactantTurnContext();
}

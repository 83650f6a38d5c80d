package io.reactant.internal;

import org.jspecify.annotations.Nullable;

/**
 * A thread that stores its current {@link ExecutionContext} in a field, so the runtime does not
 * pay for a thread-local lookup on its own worker threads.
 */
public interface ContextCarrier {

  @Nullable ExecutionContext reactantContext();

  void reactantContext(@Nullable ExecutionContext context);
}

package io.reactant.internal;

import org.jspecify.annotations.Nullable;
import reactor.core.Fuseable;

/**
 * A subscription that is a {@link Fuseable.QueueSubscription}, as the subscribers of a
 * {@link Fuseable} publisher expect, and refuses every fusion mode: {@link #requestFusion} answers
 * {@link Fuseable#NONE}, so signals arrive through {@code onNext} and the queue methods are never
 * used (they hold nothing). What an {@link AwaitMono} that suspends gives its subscriber.
 */
interface UnfusedSubscription<T> extends Fuseable.QueueSubscription<T> {

  @Override
  default int requestFusion(int requestedMode) {
    return Fuseable.NONE;
  }

  @Override
  default @Nullable T poll() {
    return null;
  }

  @Override
  default int size() {
    return 0;
  }

  @Override
  default boolean isEmpty() {
    return true;
  }

  @Override
  default void clear() {
  }
}

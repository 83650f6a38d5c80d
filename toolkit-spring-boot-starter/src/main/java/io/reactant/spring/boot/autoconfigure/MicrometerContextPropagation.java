package io.reactant.spring.boot.autoconfigure;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.reactant.actor.ContextPropagation;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ContextPropagation} over Micrometer's context-propagation library: captures every
 * thread-local value its registry's accessors read ({@code captureAll}) and sets them on the
 * actor's thread for the turn ({@code setThreadLocals}), clearing there the values the sender
 * did not have, so that a turn never sees what its thread held before; closing the scope puts back
 * what the thread held. While the registry has no accessor, it captures nothing. Thread-safe.
 */
final class MicrometerContextPropagation implements ContextPropagation {

  private final ContextRegistry registry;
  private final ContextSnapshotFactory snapshots;

  MicrometerContextPropagation(ContextRegistry registry) {
    this.registry = registry;
    this.snapshots =
        ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
  }

  @Override
  public @Nullable Object capture() {
    if (registry.getThreadLocalAccessors().isEmpty()) {
      return null; // nothing could be carried: the message carries nothing, and costs nothing
    }
    return snapshots.captureAll();
  }

  @Override
  public Scope restore(Object snapshot) {
    return ((io.micrometer.context.ContextSnapshot) snapshot).setThreadLocals()::close;
  }

  @Override
  public String toString() {
    return "MicrometerContextPropagation";
  }
}

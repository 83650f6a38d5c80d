package io.reactant.spring.boot.autoconfigure;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.reactant.actor.ContextPropagation;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ContextPropagation} over Micrometer's context-propagation library: captures every
 * thread-local value its registry's accessors read ({@code captureAll}) and sets them on the
 * actor's thread for the turn ({@code setThreadLocals}), clearing there the values the sender
 * did not have, so that a turn never sees what its thread held before; closing the scope puts back
 * what the thread held. While the registry has no accessor, it captures nothing. Thread-safe.
 *
 * <p>A sender that holds no value (no current observation, span or registered value) carries one
 * shared empty snapshot, not one per message, whose restore still clears: a turn of its message
 * runs with every accessor's value cleared and each one reset when the turn ends, as Micrometer's
 * empty snapshot does, whatever thread runs it (a pool thread, or a caller's thread that holds a
 * trace, when a scheduler runs the turn inline). On a thread that holds no value either (a pool
 * thread between turns), that restore allocates nothing: it resets each accessor
 * ({@code setValue()}) and, at the scope's close, restores each one in reverse order
 * ({@code restore()}), the calls Micrometer's clearing scope makes there, without its map of
 * previous values (an accessor registered during the turn is restored too, where Micrometer's
 * scope would leave it). A thread that holds a value takes Micrometer's own clearing restore.
 */
final class MicrometerContextPropagation implements ContextPropagation {

  private final ContextRegistry registry;
  private final ContextSnapshotFactory snapshots;
  /** The snapshot of a sender that holds no value, carried by every such message. */
  private final ContextSnapshot empty;
  /** Closes the restore of {@link #empty} on a thread that held no value. */
  private final Scope resetAll = this::restoreAll;

  MicrometerContextPropagation(ContextRegistry registry) {
    this.registry = registry;
    this.snapshots =
        ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
    // captured from no context: empty, and it clears the registry's accessors when restored
    this.empty = snapshots.captureFrom();
  }

  @Override
  public @Nullable Object capture() {
    List<ThreadLocalAccessor<?>> accessors = registry.getThreadLocalAccessors();
    if (accessors.isEmpty()) {
      return null; // nothing could be carried: the message carries nothing, and costs nothing
    }
    return holdsNone(accessors) ? empty : snapshots.captureAll();
  }

  @Override
  public Scope restore(Object snapshot) {
    if (snapshot == empty) {
      List<ThreadLocalAccessor<?>> accessors = registry.getThreadLocalAccessors();
      if (holdsNone(accessors)) {
        for (int i = 0; i < accessors.size(); i++) {
          accessors.get(i).setValue();
        }
        return resetAll;
      }
      // the thread holds a value: Micrometer's clearing restore, which puts it back at the close
      return empty.setThreadLocals()::close;
    }
    return ((ContextSnapshot) snapshot).setThreadLocals()::close;
  }

  private static boolean holdsNone(List<ThreadLocalAccessor<?>> accessors) {
    for (int i = 0; i < accessors.size(); i++) {
      if (accessors.get(i).getValue() != null) {
        return false;
      }
    }
    return true;
  }

  private void restoreAll() {
    List<ThreadLocalAccessor<?>> accessors = registry.getThreadLocalAccessors();
    for (int i = accessors.size() - 1; i >= 0; i--) {
      accessors.get(i).restore();
    }
  }

  @Override
  public String toString() {
    return "MicrometerContextPropagation";
  }
}

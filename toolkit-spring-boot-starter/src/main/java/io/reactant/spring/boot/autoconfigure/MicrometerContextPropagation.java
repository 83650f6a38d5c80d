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
 * thread between turns), that restore allocates nothing while the registry's accessors stay the
 * same: it resets each accessor ({@code setValue()}) and, at the scope's close, restores each one
 * it reset that is still registered, in the registry's reverse order ({@code restore()}), the calls
 * Micrometer's clearing scope makes there, without its map of previous values; an accessor
 * registered during the turn is left as it is, as Micrometer's scope leaves it. A thread that holds
 * a value takes Micrometer's own clearing restore.
 */
final class MicrometerContextPropagation implements ContextPropagation {

  private final ContextRegistry registry;
  private final ContextSnapshotFactory snapshots;
  /** The snapshot of a sender that holds no value, carried by every such message. */
  private final ContextSnapshot empty;
  /**
   * The accessors that a restore of {@link #empty} on a thread holding no value resets, as the
   * registry had them when last read; made again when they change.
   */
  private volatile Reset reset = new Reset(new ThreadLocalAccessor<?>[0]);

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
        Reset resets = reset;
        if (!resets.isOf(accessors)) {
          resets = new Reset(accessors.toArray(new ThreadLocalAccessor<?>[0]));
          reset = resets;
        }
        for (ThreadLocalAccessor<?> accessor : resets.accessors) {
          accessor.setValue();
        }
        return resets;
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

  /**
   * The scope of a restore of {@link #empty} on a thread that held no value: its close restores
   * ({@code restore()}) each of the registry's accessors, in reverse order, that the restore reset
   * (by key, as Micrometer's scope does), and no accessor registered since. Immutable.
   */
  private final class Reset implements Scope {

    final ThreadLocalAccessor<?>[] accessors;

    Reset(ThreadLocalAccessor<?>[] accessors) {
      this.accessors = accessors;
    }

    /** Whether these are the registry's accessors {@code now}, in its order. */
    boolean isOf(List<ThreadLocalAccessor<?>> now) {
      if (now.size() != accessors.length) {
        return false;
      }
      for (int i = 0; i < accessors.length; i++) {
        if (now.get(i) != accessors[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void close() {
      List<ThreadLocalAccessor<?>> now = registry.getThreadLocalAccessors();
      for (int i = now.size() - 1; i >= 0; i--) {
        ThreadLocalAccessor<?> accessor = now.get(i);
        if (wasReset(accessor.key())) {
          accessor.restore();
        }
      }
    }

    private boolean wasReset(Object key) {
      for (ThreadLocalAccessor<?> accessor : accessors) {
        if (accessor.key().equals(key)) {
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public String toString() {
    return "MicrometerContextPropagation";
  }
}

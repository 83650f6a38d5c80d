package io.reactant.bench.support;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.reactant.actor.ContextPropagation;
import java.util.List;

/**
 * The {@link ContextPropagation}s the benchmarks compare: none, one over a plain thread-local,
 * and one over Micrometer's {@link ContextRegistry} with one accessor (as the starter's, over a
 * registry of its own), each with a value set on the calling thread so that every message carries
 * one; and that last one with no value set (as the starter's where no observation is current).
 */
public final class Propagations {

  /** The thread-local both carry: a stand-in for a trace. */
  public static final ThreadLocal<String> TRACE = new ThreadLocal<>();

  private Propagations() {
  }

  /**
   * The propagation named {@code kind} ({@code none}, {@code threadLocal}, {@code micrometer},
   * {@code micrometerIdle}), or null for none; sets {@link #TRACE} on the calling thread for
   * {@code threadLocal} and {@code micrometer}, and clears it for {@code micrometerIdle}.
   */
  public static ContextPropagation of(String kind) {
    switch (kind) {
      case "none":
        return null;
      case "threadLocal":
        TRACE.set("trace");
        return new ThreadLocalPropagation();
      case "micrometer":
        TRACE.set("trace");
        ContextRegistry registry = new ContextRegistry();
        registry.registerThreadLocalAccessor("bench.trace", TRACE);
        return new MicrometerPropagation(registry);
      case "micrometerIdle":
        TRACE.remove();
        ContextRegistry idle = new ContextRegistry();
        idle.registerThreadLocalAccessor("bench.trace", TRACE);
        return new MicrometerPropagation(idle);
      default:
        throw new IllegalArgumentException("no propagation " + kind);
    }
  }

  /** Carries {@link #TRACE}: its value is the snapshot (a boxed marker when absent). */
  private static final class ThreadLocalPropagation implements ContextPropagation {
    private static final Object NONE = new Object();

    @Override
    public Object capture() {
      String value = TRACE.get();
      return value == null ? NONE : value;
    }

    @Override
    public Scope restore(Object snapshot) {
      String previous = TRACE.get();
      TRACE.set(snapshot == NONE ? null : (String) snapshot);
      return () -> TRACE.set(previous);
    }
  }

  /**
   * As the starter's: {@code captureAll}, {@code setThreadLocals} clearing what is missing; a
   * sender holding no value carries one shared empty snapshot, whose restore on a thread holding
   * none resets and restores each accessor without allocating (an accessor registered during the
   * turn is left as it is).
   */
  private static final class MicrometerPropagation implements ContextPropagation {
    private final ContextRegistry registry;
    private final ContextSnapshotFactory snapshots;
    private final ContextSnapshot empty;
    private volatile Reset reset = new Reset(new ThreadLocalAccessor<?>[0]);

    MicrometerPropagation(ContextRegistry registry) {
      this.registry = registry;
      this.snapshots =
          ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
      this.empty = snapshots.captureFrom();
    }

    @Override
    public Object capture() {
      List<ThreadLocalAccessor<?>> accessors = registry.getThreadLocalAccessors();
      if (accessors.isEmpty()) {
        return null;
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

    /** Restores, in the registry's reverse order, the accessors it reset and no other. */
    private final class Reset implements Scope {
      final ThreadLocalAccessor<?>[] accessors;

      Reset(ThreadLocalAccessor<?>[] accessors) {
        this.accessors = accessors;
      }

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
  }
}

package io.reactant.bench.support;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.reactant.actor.ContextPropagation;

/**
 * The {@link ContextPropagation}s the benchmarks compare: none, one over a plain thread-local,
 * and one over Micrometer's {@link ContextRegistry} with one accessor (as the starter's, over a
 * registry of its own), each with a value set on the calling thread so that every message carries
 * one.
 */
public final class Propagations {

  /** The thread-local both carry: a stand-in for a trace. */
  public static final ThreadLocal<String> TRACE = new ThreadLocal<>();

  private Propagations() {
  }

  /**
   * The propagation named {@code kind} ({@code none}, {@code threadLocal}, {@code micrometer}), or
   * null for none; sets {@link #TRACE} on the calling thread for the others.
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

  /** As the starter's: {@code captureAll}, {@code setThreadLocals} clearing what is missing. */
  private static final class MicrometerPropagation implements ContextPropagation {
    private final ContextRegistry registry;
    private final ContextSnapshotFactory snapshots;

    MicrometerPropagation(ContextRegistry registry) {
      this.registry = registry;
      this.snapshots =
          ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
    }

    @Override
    public Object capture() {
      if (registry.getThreadLocalAccessors().isEmpty()) {
        return null;
      }
      return snapshots.captureAll();
    }

    @Override
    public Scope restore(Object snapshot) {
      return ((ContextSnapshot) snapshot).setThreadLocals()::close;
    }
  }
}

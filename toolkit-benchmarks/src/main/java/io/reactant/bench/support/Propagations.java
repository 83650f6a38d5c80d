package io.reactant.bench.support;

import io.micrometer.context.ContextRegistry;
import io.reactant.actor.ContextPropagation;
import io.reactant.context.MicrometerContextPropagation;

/**
 * The {@link ContextPropagation}s the benchmarks compare: none, one over a plain thread-local,
 * and toolkit-core's {@link MicrometerContextPropagation} (the starter's) over a {@link
 * ContextRegistry} of its own with one accessor, each with a value set on the calling thread so
 * that every message carries one; and that last one with no value set (as the starter's where no
 * observation is current).
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
        return MicrometerContextPropagation.create(registry);
      case "micrometerIdle":
        TRACE.remove();
        ContextRegistry idle = new ContextRegistry();
        idle.registerThreadLocalAccessor("bench.trace", TRACE);
        return MicrometerContextPropagation.create(idle);
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
}

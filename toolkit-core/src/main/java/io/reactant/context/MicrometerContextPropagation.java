package io.reactant.context;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.reactant.actor.ContextPropagation;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ContextPropagation} over Micrometer's {@code context-propagation} library: carries every
 * thread-local value a {@link ContextRegistry}'s accessors read (Micrometer Tracing's current
 * observation and span, and through them the {@code traceId} in the logging MDC; any {@link
 * ThreadLocalAccessor} the application registers) from the thread that sends a message into the
 * turns that run it. The Spring Boot starter sets one over the global registry; an application
 * that builds its own system sets one so:
 *
 * <pre>{@code
 * ActorSystem system = ActorSystem.create(ActorSystemConfig.builder()
 *     .contextPropagation(MicrometerContextPropagation.create())
 *     .build());
 * }</pre>
 *
 * <p>{@code io.micrometer:context-propagation} is an optional dependency of toolkit-core: add it
 * to the application's (Micrometer Tracing and Spring Boot's observability support bring it).
 * Nothing else of toolkit-core loads this class or the library's.
 *
 * <p>Its guarantees, for each message (see {@link ContextPropagation} for where the runtime
 * captures and restores):
 *
 * <ul>
 *   <li><b>What is captured:</b> on the sender's thread, the value of each accessor the registry
 *       holds at that moment ({@code captureAll}); the registry is read at every capture, so an
 *       accessor registered later counts from then on. While the registry holds no accessor,
 *       nothing is captured and the message carries nothing.
 *   <li><b>What a turn sees:</b> exactly the sender's values: each accessor that had one is set to
 *       it ({@code setThreadLocals}), and each one that had none is cleared ({@code setValue()}),
 *       so a turn never sees what its thread held before, whatever thread runs it (a pool thread,
 *       or a caller's thread that holds a trace of its own, when a scheduler runs the turn inline).
 *   <li><b>What the thread holds after:</b> what it held before the turn, each accessor put back
 *       ({@code restore}) in the registry's reverse order, whatever the turn set; an accessor
 *       registered during the turn is left as it is, as Micrometer's own scope leaves it.
 *   <li><b>Thread-safety:</b> one instance serves every sender and actor thread of a system, or of
 *       several, concurrently.
 * </ul>
 *
 * <p><b>Cost</b> (docs/benchmarks.md, {@code IngressRequestResponseBench.reactant_64}, one
 * accessor, allocation per call beside 192 B with no propagation): a sender that holds a value
 * costs a snapshot per message and its restore per turn, +432 B a call; a sender that holds none
 * (an untraced request, a thread outside any) carries one shared empty snapshot, not one per
 * message, whose restore on a thread holding no value either (a pool thread between turns)
 * resets and restores each accessor without allocating, +40 B a call (where a fresh empty
 * snapshot cost +320 B). With no accessor registered it costs a read of the registry per message
 * and nothing per turn. Each accessor adds to each snapshot and restore (Micrometer's observation
 * accessor opens the observation's scope at each restore, a tracer's handler its span's).
 */
public final class MicrometerContextPropagation implements ContextPropagation {

  private final ContextRegistry registry;
  private final ContextSnapshotFactory snapshots;
  /** The snapshot of a sender that holds no value, carried by every such message. */
  private final ContextSnapshot empty;
  /**
   * The accessors that a restore of {@link #empty} on a thread holding no value resets, as the
   * registry had them when last read; made again when they change.
   */
  private volatile Reset reset = new Reset(new ThreadLocalAccessor<?>[0]);

  private MicrometerContextPropagation(ContextRegistry registry) {
    this.registry = registry;
    this.snapshots =
        ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
    // captured from no context: empty, and it clears the registry's accessors when restored
    this.empty = snapshots.captureFrom();
  }

  /**
   * A new propagation over Micrometer's global registry ({@link ContextRegistry#getInstance()}):
   * the accessors found through {@link java.util.ServiceLoader} (Micrometer Tracing's observation
   * accessor among them) and any the application registers there, before or after this call.
   */
  public static ContextPropagation create() {
    return new MicrometerContextPropagation(ContextRegistry.getInstance());
  }

  /**
   * A new propagation over {@code registry}: it carries the values of the accessors {@code
   * registry} holds at each capture, and of no other.
   *
   * @param registry the accessors to carry the values of, for example one of a test's own
   */
  public static ContextPropagation create(ContextRegistry registry) {
    return new MicrometerContextPropagation(Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public @Nullable Object capture() {
    List<ThreadLocalAccessor<?>> accessors = registry.getThreadLocalAccessors();
    if (accessors.isEmpty()) {
      return null; // nothing could be carried: the message carries nothing, and costs nothing
    }
    return holdsNone(accessors) ? empty : snapshots.captureAll();
  }

  /**
   * Sets the snapshot's values on this thread, clearing the others. A sender that held no value
   * carries the shared empty snapshot; on a thread that holds no value either, its restore
   * resets each accessor ({@code setValue()}) and, at the scope's close, restores each one it
   * reset that is still registered, in the registry's reverse order ({@code restore()}): the
   * calls Micrometer's clearing scope makes there, without its map of previous values. A thread
   * that holds a value takes Micrometer's own clearing restore.
   */
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

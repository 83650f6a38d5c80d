package io.reactant.spring.boot.actuate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.reactant.actor.ActorId;
import io.reactant.actor.TurnListener;
import io.reactant.error.RejectCode;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Records the turns and failed calls of an actor system in Micrometer.
 *
 * <ul>
 *   <li>{@code reactant.turns}, a timer tagged with the actor {@code type} (its declared name,
 *       see {@code ActorBeanRegistrar.typeName}; the interface's simple name by default) and the
 *       {@code outcome} ({@code committed} or {@code trapped}): its count is the
 *       number of turns, commits and traps, its time the turn duration;
 *   <li>{@code reactant.rejects}, a counter tagged with the actor {@code type} (named as for
 *       {@code reactant.turns}: the interface of the reference the call went through, the
 *       actor's own unless the reference is of another interface it implements), the
 *       {@code method}, the reject {@code code} and its name ({@code reject}), for every call
 *       whose future failed and every oneway that failed so (see
 *       {@link TurnListener#callRejected(ActorId, Class, String, RejectCode)}). Unlike the turn
 *       timers, these counters appear with their first event: at zero for every method and code
 *       of every type, they would be many series for little;
 *   <li>{@code reactant.turns.long}, a counter tagged with the actor {@code type} and the
 *       {@code method}, for every turn that held a pool thread past the system's long-turn
 *       warning (almost always a turn that blocks its thread).
 * </ul>
 *
 * <p>It runs on the actors' threads, on the hot path: meters are looked up once per tag set.
 */
public final class MicrometerTurnListener implements TurnListener {

  /** The name of the turn timer. */
  public static final String TURNS = "reactant.turns";
  /** The name of the reject counter. */
  public static final String REJECTS = "reactant.rejects";
  /** The name of the long-turn counter. */
  public static final String LONG_TURNS = "reactant.turns.long";
  /** The {@code type} tag of a failed call told without its type. */
  public static final String UNKNOWN_TYPE = "unknown";

  private final MeterRegistry registry;
  private final Function<Class<?>, String> typeNames;
  private final ConcurrentMap<TurnKey, Timer> turnTimers = new ConcurrentHashMap<>();
  private final ConcurrentMap<RejectKey, Counter> rejectCounters = new ConcurrentHashMap<>();

  /** A listener that tags each actor type with its interface's simple name. */
  public MicrometerTurnListener(MeterRegistry registry) {
    this(registry, Class::getSimpleName);
  }

  /**
   * A listener that tags each actor type with the name {@code typeNames} gives it (called once
   * per meter, not per turn or failed call).
   */
  public MicrometerTurnListener(MeterRegistry registry, Function<Class<?>, String> typeNames) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.typeNames = Objects.requireNonNull(typeNames, "typeNames");
  }

  /**
   * Registers the turn timers of {@code type}, both outcomes, at zero: they are there before its
   * first turn (a dashboard's trap rate has a series before the first trap). The auto-configuration
   * does it for every declared type. Thread-safe; registering a type twice changes nothing.
   */
  public void registerType(Class<?> type) {
    for (Outcome outcome : Outcome.values()) {
      turnTimers.computeIfAbsent(new TurnKey(type, outcome), this::turnTimer);
    }
  }

  @Override
  public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
    turnTimers.computeIfAbsent(new TurnKey(type, outcome), this::turnTimer)
        .record(durationNanos, TimeUnit.NANOSECONDS);
  }

  private Timer turnTimer(TurnKey k) {
    return Timer.builder(TURNS)
        .description("Turns executed by actors, by outcome")
        .tag("type", typeNames.apply(k.type()))
        .tag("outcome", k.outcome().name().toLowerCase(Locale.ROOT))
        .register(registry);
  }

  @Override
  public void callRejected(ActorId actor, Class<?> type, String method, RejectCode code) {
    rejectCounters.computeIfAbsent(new RejectKey(type, method, code), this::rejectCounter)
        .increment();
  }

  /**
   * Counts a failed call of an unknown type ({@code type} tag {@value #UNKNOWN_TYPE}): the runtime
   * calls {@link #callRejected(ActorId, Class, String, RejectCode)} instead, so only a listener of
   * the application's that passes this event on without its type calls this one.
   */
  @Override
  public void callRejected(ActorId actor, String method, RejectCode code) {
    rejectCounters.computeIfAbsent(new RejectKey(null, method, code), this::rejectCounter)
        .increment();
  }

  private Counter rejectCounter(RejectKey k) {
    Class<?> type = k.type();
    return Counter.builder(REJECTS)
        .description("Failed calls, oneways included, by reject code")
        .tag("type", type == null ? UNKNOWN_TYPE : typeNames.apply(type))
        .tag("method", k.method())
        .tag("code", Integer.toString(k.code().code()))
        .tag("reject", k.code().name())
        .register(registry);
  }

  @Override
  public void turnRunningLong(ActorId actor, Class<?> type, String method, Duration running,
      Thread thread) {
    Counter.builder(LONG_TURNS)
        .description("Turns that held a pool thread past the long-turn warning")
        .tag("type", typeNames.apply(type))
        .tag("method", method)
        .register(registry) // rare: looked up each time rather than cached
        .increment();
  }

  private record TurnKey(Class<?> type, Outcome outcome) {
  }

  private record RejectKey(@Nullable Class<?> type, String method, RejectCode code) {
  }
}

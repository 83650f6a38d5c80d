package io.reactant.actor;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * The configuration of an {@link ActorSystem}, an immutable value built with {@link #builder()}.
 *
 * <pre>{@code
 * ActorSystem system = ActorSystem.create(ActorSystemConfig.builder()
 *     .name("bank")
 *     .parallelism(4)
 *     .build());
 * }</pre>
 */
public final class ActorSystemConfig {

  private static final TurnListener NO_LISTENER = new TurnListener() {
  };
  private static final ActorSystemConfig DEFAULTS = builder().build();

  private final String name;
  private final @Nullable Scheduler scheduler;
  private final int parallelism;
  private final int turnsPerScheduling;
  private final TurnListener listener;

  private ActorSystemConfig(Builder b) {
    this.name = b.name;
    this.scheduler = b.scheduler;
    this.parallelism = b.parallelism;
    this.turnsPerScheduling = b.turnsPerScheduling;
    this.listener = b.listener;
  }

  /** Returns the default configuration. */
  public static ActorSystemConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialized with this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.scheduler = scheduler;
    b.parallelism = parallelism;
    b.turnsPerScheduling = turnsPerScheduling;
    b.listener = listener;
    return b;
  }

  /** Name of the system, used in thread names and error messages. */
  public String name() {
    return name;
  }

  /**
   * Scheduler the actors' turns run on, or null for a work-stealing pool owned (and shut down) by
   * the system.
   */
  public @Nullable Scheduler scheduler() {
    return scheduler;
  }

  /** Number of threads of the pool the system creates when no scheduler is given. */
  public int parallelism() {
    return parallelism;
  }

  /**
   * Maximum number of turns an actor executes each time it gets a thread, before it yields the
   * thread to other actors (a fairness knob).
   */
  public int turnsPerScheduling() {
    return turnsPerScheduling;
  }

  /** Listener told of every turn and every failed call; a no-op by default. */
  public TurnListener listener() {
    return listener;
  }

  /** Returns whether a listener other than the default no-op one is configured. */
  public boolean hasListener() {
    return listener != NO_LISTENER;
  }

  @Override
  public String toString() {
    return "ActorSystemConfig[name=" + name + ", scheduler=" + scheduler + ", parallelism="
        + parallelism + ", turnsPerScheduling=" + turnsPerScheduling + "]";
  }

  /** Builds an {@link ActorSystemConfig}. Not thread-safe. */
  public static final class Builder {

    private String name = "reactant";
    private @Nullable Scheduler scheduler;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private int turnsPerScheduling = 32;
    private TurnListener listener = NO_LISTENER;

    private Builder() {
    }

    /** Tells {@code listener} of every turn and failed call (for metrics). */
    public Builder listener(TurnListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * Runs the turns on this scheduler (and takes time from it), for example a
     * {@link io.reactant.scheduler.DeterministicScheduler} in tests. The system does not dispose
     * of it on close.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    public Builder parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    public Builder turnsPerScheduling(int turns) {
      if (turns < 1) {
        throw new IllegalArgumentException("turnsPerScheduling must be at least 1, was " + turns);
      }
      this.turnsPerScheduling = turns;
      return this;
    }

    public ActorSystemConfig build() {
      return new ActorSystemConfig(this);
    }
  }
}

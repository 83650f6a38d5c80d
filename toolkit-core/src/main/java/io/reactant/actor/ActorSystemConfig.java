package io.reactant.actor;

import io.reactant.scheduler.WorkStealingScheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
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
  private final int idleSpins;
  private final TurnListener listener;
  private final int mailboxCapacity;
  private final int maxActors;
  private final @Nullable Duration defaultCallTimeout;
  private final long turnFee;
  private final long messageFee;
  private final long initialBalance;
  private final Duration shutdownGracePeriod;
  private final Duration longTurnWarning;
  private final @Nullable ContextPropagation contextPropagation;

  private ActorSystemConfig(Builder b) {
    this.name = b.name;
    this.scheduler = b.scheduler;
    this.parallelism = b.parallelism;
    this.turnsPerScheduling = b.turnsPerScheduling;
    this.idleSpins = b.idleSpins;
    this.listener = b.listener;
    this.mailboxCapacity = b.mailboxCapacity;
    this.maxActors = b.maxActors;
    this.defaultCallTimeout = b.defaultCallTimeout;
    this.turnFee = b.turnFee;
    this.messageFee = b.messageFee;
    this.initialBalance = b.initialBalance;
    this.shutdownGracePeriod = b.shutdownGracePeriod;
    this.longTurnWarning = b.longTurnWarning;
    this.contextPropagation = b.contextPropagation;
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
    b.idleSpins = idleSpins;
    b.listener = listener;
    b.mailboxCapacity = mailboxCapacity;
    b.maxActors = maxActors;
    b.defaultCallTimeout = defaultCallTimeout;
    b.turnFee = turnFee;
    b.messageFee = messageFee;
    b.initialBalance = initialBalance;
    b.shutdownGracePeriod = shutdownGracePeriod;
    b.longTurnWarning = longTurnWarning;
    b.contextPropagation = contextPropagation;
    return b;
  }

  /** Name of the system, used in thread names and error messages. Default {@code "reactant"}. */
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

  /**
   * Number of threads of the pool the system creates when no scheduler is given, from 1 to
   * {@value WorkStealingScheduler#MAX_PARALLELISM}. Default: one per available processor
   * ({@link Runtime#availableProcessors()}, read when the builder is made).
   */
  public int parallelism() {
    return parallelism;
  }

  /**
   * Maximum number of turns an actor executes each time it gets a thread, before it yields the
   * thread to other actors (a fairness knob). Default 32.
   */
  public int turnsPerScheduling() {
    return turnsPerScheduling;
  }

  /**
   * How many times an actor whose mailbox ran empty re-checks it (a few microseconds of spinning,
   * {@code Thread.onSpinWait}) before giving its pool thread back, when that thread has nothing else
   * queued: a caller waiting on a reply usually sends its next call within that time, which then
   * runs without parking and waking a thread. 0 disables it (for example on machines where idle CPU
   * must stay idle). Only the work-stealing pool spins; other schedulers never do. Default 256.
   */
  public int idleSpins() {
    return idleSpins;
  }

  /** Listener told of every turn and every failed call; a no-op by default. */
  public TurnListener listener() {
    return listener;
  }

  /**
   * What carries callers' thread-local context (traces, MDC) into the turns of their messages;
   * empty by default (nothing is carried).
   */
  public Optional<ContextPropagation> contextPropagation() {
    return Optional.ofNullable(contextPropagation);
  }

  /** Returns whether a listener other than the default no-op one is configured. */
  public boolean hasListener() {
    return listener != NO_LISTENER;
  }

  /**
   * Maximum number of messages waiting in each actor's mailbox, 0 for unbounded (the default). A
   * call that finds the mailbox full fails with code 2. Continuations of the actor's own awaits are
   * never refused.
   */
  public int mailboxCapacity() {
    return mailboxCapacity;
  }

  /**
   * Maximum number of actors the system holds, 0 for no bound but the registry's own (the
   * default). Actors are never removed, so an id that activates a virtual actor, or a spawn, past
   * the bound fails with code 2 ({@code SYS_TRANSIENT}) and creates nothing: a call that would
   * activate a virtual actor answers it, {@link ActorSystem#spawn(Class, java.util.function.Supplier)}
   * and its kin throw it, and the future of an actor class's spawn fails with it. An id that
   * exists is answered as below the bound. A guard against callers that name ever new ids of a
   * virtual actor type.
   */
  public int maxActors() {
    return maxActors;
  }

  /**
   * Bounded wait applied to calls (queries included) made without an explicit timeout; empty (the
   * default) for unbounded waits, as on the Internet Computer.
   */
  public Optional<Duration> defaultCallTimeout() {
    return Optional.ofNullable(defaultCallTimeout);
  }

  /** Cycles each turn costs its actor (0 by default: no cost accounting). */
  public long turnFee() {
    return turnFee;
  }

  /**
   * Cycles each message sent (a call, a query call, an actor creation) costs the sending turn, on
   * top of the turn fee (0 by default). Setting or cancelling a timer sends no message. A call or
   * query call refused at the turn's commit, before it could be made (a full mailbox, no such
   * actor, the system shut down), costs nothing: its fee comes back to the sender (rule R22); so
   * does an actor creation refused there because the system shut down.
   */
  public long messageFee() {
    return messageFee;
  }

  /** Cycles balance each new actor starts with (0 by default). */
  public long initialBalance() {
    return initialBalance;
  }

  /**
   * Time that {@link ActorSystem#close()} gives calls already running to finish before it answers
   * them with code 6. Default 10 s (the Spring Boot starter's {@code reactant.shutdown-grace-period}
   * defaults to 30 s).
   */
  public Duration shutdownGracePeriod() {
    return shutdownGracePeriod;
  }

  /**
   * How long a turn may hold a thread of the work-stealing pool before it is reported: logged once
   * as a warning with the thread's stack, and passed to {@link TurnListener#turnRunningLong}. A
   * turn that runs this long is almost always blocked (I/O, a lock, a latch), which keeps a pool
   * thread from every other actor. {@link Duration#ZERO} turns the reports off, and so does a
   * threshold of a century or more, never reached. Default 2 s. Turns that run on another
   * scheduler's threads are not watched.
   */
  public Duration longTurnWarning() {
    return longTurnWarning;
  }

  @Override
  public String toString() {
    return "ActorSystemConfig[name=" + name + ", scheduler=" + scheduler + ", parallelism="
        + parallelism + ", turnsPerScheduling=" + turnsPerScheduling + ", idleSpins=" + idleSpins
        + ", mailboxCapacity="
        + mailboxCapacity + ", maxActors=" + maxActors + ", defaultCallTimeout=" + defaultCallTimeout + ", turnFee=" + turnFee
        + ", messageFee=" + messageFee + ", initialBalance=" + initialBalance
        + ", shutdownGracePeriod=" + shutdownGracePeriod + ", longTurnWarning=" + longTurnWarning
        + ", contextPropagation=" + contextPropagation + "]";
  }

  /** Builds an {@link ActorSystemConfig}. Not thread-safe. */
  public static final class Builder {

    private String name = "reactant";
    private @Nullable Scheduler scheduler;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private int turnsPerScheduling = 32;
    private int idleSpins = 256;
    private TurnListener listener = NO_LISTENER;
    private int mailboxCapacity;
    private int maxActors;
    private @Nullable Duration defaultCallTimeout;
    private long turnFee;
    private long messageFee;
    private long initialBalance;
    private Duration shutdownGracePeriod = Duration.ofSeconds(10);
    private Duration longTurnWarning = Duration.ofSeconds(2);
    private @Nullable ContextPropagation contextPropagation;

    private Builder() {
    }

    /** Bounds every actor's mailbox (0 for unbounded); see {@link #mailboxCapacity()}. */
    public Builder mailboxCapacity(int capacity) {
      if (capacity < 0) {
        throw new IllegalArgumentException("mailboxCapacity cannot be negative, was " + capacity);
      }
      this.mailboxCapacity = capacity;
      return this;
    }

    /** Bounds the number of actors the system holds (0: no bound of its own); see {@link #maxActors()}. */
    public Builder maxActors(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxActors cannot be negative, was " + max);
      }
      this.maxActors = max;
      return this;
    }

    /** Applies a bounded wait to calls without an explicit timeout; null for unbounded waits. */
    public Builder defaultCallTimeout(@Nullable Duration timeout) {
      if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
        throw new IllegalArgumentException("defaultCallTimeout must be positive, was " + timeout);
      }
      this.defaultCallTimeout = timeout;
      return this;
    }

    /** Sets the cycles a turn costs and the cycles each message sent costs. */
    public Builder fees(long turnFee, long messageFee) {
      if (turnFee < 0 || messageFee < 0) {
        throw new IllegalArgumentException("fees cannot be negative: turnFee=" + turnFee
            + ", messageFee=" + messageFee);
      }
      this.turnFee = turnFee;
      this.messageFee = messageFee;
      return this;
    }

    /** Sets the cycles balance each new actor starts with. */
    public Builder initialBalance(long cycles) {
      if (cycles < 0) {
        throw new IllegalArgumentException("initialBalance cannot be negative, was " + cycles);
      }
      this.initialBalance = cycles;
      return this;
    }

    /** Sets the time running calls get to finish when the system closes. */
    public Builder shutdownGracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGracePeriod cannot be negative, was " + grace);
      }
      this.shutdownGracePeriod = grace;
      return this;
    }

    /**
     * Sets how long a turn may hold a pool thread before it is reported ({@link Duration#ZERO}:
     * never); see {@link ActorSystemConfig#longTurnWarning()}.
     */
    public Builder longTurnWarning(Duration threshold) {
      Objects.requireNonNull(threshold, "threshold");
      if (threshold.isNegative()) {
        throw new IllegalArgumentException("longTurnWarning cannot be negative, was " + threshold);
      }
      this.longTurnWarning = threshold;
      return this;
    }

    /** Sets how many times an idle actor re-checks its mailbox; see {@link ActorSystemConfig#idleSpins()}. */
    public Builder idleSpins(int spins) {
      if (spins < 0) {
        throw new IllegalArgumentException("idleSpins cannot be negative, was " + spins);
      }
      this.idleSpins = spins;
      return this;
    }

    /** Tells {@code listener} of every turn and failed call (for metrics). */
    public Builder listener(TurnListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Carries each caller's thread-local context into the turns that run its message (see {@link
     * ContextPropagation} for when it captures and restores); null, the default, carries none.
     */
    public Builder contextPropagation(@Nullable ContextPropagation propagation) {
      this.contextPropagation = propagation;
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
      if (parallelism > WorkStealingScheduler.MAX_PARALLELISM) {
        throw new IllegalArgumentException("parallelism must be at most "
            + WorkStealingScheduler.MAX_PARALLELISM + ", was " + parallelism);
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

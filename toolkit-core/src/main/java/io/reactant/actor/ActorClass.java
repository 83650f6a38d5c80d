package io.reactant.actor;

import java.util.Objects;
import java.util.function.Function;

/**
 * An actor class (rule R20): a factory of actors of one interface, each instance with its own
 * state and mailbox. Creating an instance is asynchronous and returns a future of a reference to
 * the new actor; the instance can learn who created it with {@link Actor#creator()}.
 *
 * <pre>{@code
 * static final ActorClass<Counter, Long> COUNTERS = ActorClass.of(Counter.class, CounterActor::new);
 *
 * Mono<Counter> c1 = system.spawn(COUNTERS, 1L);      // from outside
 * Mono<Counter> c2 = spawn(COUNTERS, 2L);             // inside an actor: tentative until commit
 * }</pre>
 *
 * @param <I> the actor interface
 * @param <P> the type of the constructor argument
 */
public final class ActorClass<I, P> {

  private final Class<I> type;
  private final Function<? super P, ? extends I> constructor;

  private ActorClass(Class<I> type, Function<? super P, ? extends I> constructor) {
    this.type = type;
    this.constructor = constructor;
  }

  /**
   * Returns the actor class of the given interface whose instances the constructor builds (a
   * subclass of {@link Actor}, typically a constructor reference).
   */
  public static <I, P> ActorClass<I, P> of(Class<I> type, Function<? super P, ? extends I> constructor) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(constructor, "constructor");
    if (!type.isInterface()) {
      throw new IllegalArgumentException("An actor type must be an interface: " + type.getName());
    }
    return new ActorClass<>(type, constructor);
  }

  /** Returns the actor interface of the instances. */
  public Class<I> type() {
    return type;
  }

  /**
   * Runs the constructor. Only the runtime calls it, while it spawns an instance; called
   * anywhere else, the actor's constructor fails.
   */
  public I newInstance(P argument) {
    return constructor.apply(argument);
  }

  @Override
  public String toString() {
    return "ActorClass[" + type.getSimpleName() + "]";
  }
}

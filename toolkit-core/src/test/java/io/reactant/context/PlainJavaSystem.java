package io.reactant.context;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * An application of toolkit-core that names no class of {@code io.reactant.context}: it creates a
 * system, calls an actor twice and shuts the system down. {@link MicrometerAbsentTest} runs it
 * where Micrometer's context-propagation library is not on the class path.
 */
public final class PlainJavaSystem implements Supplier<String> {

  public interface Counter {
    Mono<Long> bump();
  }

  static final class CounterActor extends Actor implements Counter {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Long> bump() {
      count.update(c -> c + 1);
      return Mono.just(count.get());
    }
  }

  /** What the run saw: the counter's last answer and whether the system had a propagation. */
  @Override
  public String get() {
    try (ActorSystem system = ActorSystem.create()) {
      Counter counter = system.spawn(Counter.class, CounterActor::new);
      counter.bump().block(Duration.ofSeconds(10));
      Long second = counter.bump().block(Duration.ofSeconds(10));
      return "bumped to " + second + ", propagation "
          + system.config().contextPropagation().isPresent();
    }
  }
}

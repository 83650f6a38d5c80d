package io.reactant.internal;

import io.reactant.actor.Actor;
import io.reactant.state.LongVar;
import reactor.core.publisher.Mono;

/** A counter actor for the runtime's tests: each call answers the count after it. */
public interface LongCounter {
  Mono<Long> bump();

  /** The actor behind {@link LongCounter}. */
  final class Impl extends Actor implements LongCounter {
    private final LongVar count = newLongVar("count", 0L);

    @Override
    public Mono<Long> bump() {
      return Mono.just(count.add(1));
    }
  }
}

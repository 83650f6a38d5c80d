package io.reactant.sample.counter;

import io.reactant.actor.Query;
import reactor.core.publisher.Mono;

/** A counter, the actor of Motoko's {@code Counter} example. */
public interface Counter {

  /** Adds one. */
  Mono<Void> inc();

  /** Reads the committed value, without waiting behind queued updates. */
  @Query
  Mono<Long> read();

  /** Adds one and returns the new value, in one atomic turn. */
  Mono<Long> bump();
}

package io.reactant.sample.counter;

import io.reactant.actor.Actor;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.state.LongVar;
import reactor.core.publisher.Mono;

/** A counter per name: a virtual actor, created by the first update to its name. */
@ActorBean(activation = Activation.VIRTUAL)
final class CounterActor extends Actor implements Counter {

  private final LongVar count = newLongVar("count", 0);

  @Override
  public Mono<Void> inc() {
    count.add(1);
    return done();
  }

  @Override
  public Mono<Long> read() {
    return Mono.just(count.get());
  }

  @Override
  public Mono<Long> bump() {
    return Mono.just(count.add(1));
  }
}

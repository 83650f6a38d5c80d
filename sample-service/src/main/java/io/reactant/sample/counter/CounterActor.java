package io.reactant.sample.counter;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.IngressMessage;
import io.reactant.error.CallError;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.state.LongVar;
import reactor.core.publisher.Mono;

/**
 * A counter per name: a virtual actor, created by the first update to its id,
 * {@value CounterNames#ID_PREFIX} and its name.
 *
 * <p>Its inspection (rule R26) refuses, with code 4, an ingress update to an id that is not
 * {@value CounterNames#ID_PREFIX} and a valid name ({@link CounterNames}), and one that would
 * create a counter past {@code sample.counters.max} ({@link CounterQuota}): the generic endpoint
 * ({@code /actors/Counter/{id}/...}) reaches the type without the controller's checks, and a call
 * that the inspection of a counter not created yet refuses creates nothing. Queries are not
 * inspected; a query to an id never bumped answers 0 and creates nothing (rule R19).
 */
@ActorBean(activation = Activation.VIRTUAL)
final class CounterActor extends Actor implements Counter {

  private final CounterQuota quota;
  private final LongVar count = newLongVar("count", 0);

  CounterActor(CounterQuota quota) {
    this.quota = quota;
  }

  @Override
  protected boolean inspect(IngressMessage message) {
    ActorId id = actorId();
    if (quota.holds(id)) {
      return true; // checked when it was admitted
    }
    String problem = CounterNames.problemOfId(id.value());
    if (problem != null) {
      throw CallError.reject(problem);
    }
    if (!quota.admit(id)) {
      throw CallError.reject(quota.fullMessage());
    }
    return true;
  }

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

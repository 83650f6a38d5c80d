package io.reactant.sample.atomicity;

import io.reactant.actor.Actor;
import io.reactant.spring.boot.ActorBean;
import io.reactant.state.Var;
import reactor.core.publisher.Mono;

/** The seed's {@code Atomicity} actor, line by line. */
@ActorBean
final class AtomicityActor extends Actor implements Atomicity {

  private final Var<Integer> s = newVar("s", 0);
  private final Var<Boolean> pinged = newVar("pinged", false);

  @Override
  public Mono<Void> ping() {
    pinged.set(true);
    return done();
  }

  @Override
  public Mono<Void> atomic() {
    s.set(1);
    self(Atomicity.class).ping();     // tentative: revoked by the trap below
    s.set(divideByZero());            // trap! s stays 0, pinged stays false
    return done();
  }

  @Override
  public Mono<Void> nonAtomic() {
    s.set(1);
    Mono<Void> f = self(Atomicity.class).ping();  // sent at the next commit point
    s.set(2);
    return await(f)                                // commit point: s = 2 and the ping are permanent
        .then(Mono.fromRunnable(() -> s.set(3)))   // a new turn
        .then(await(f))                            // commit point again: s = 3 is permanent
        .then(Mono.fromRunnable(() -> s.set(divideByZero())));  // trap! rolls back to s = 3
  }

  @Override
  public Mono<AtomicityState> reset() {
    s.set(0);
    pinged.set(false);
    return Mono.just(new AtomicityState(0, false));
  }

  @Override
  public Mono<AtomicityState> read() {
    return Mono.just(new AtomicityState(s.get(), pinged.get()));
  }

  private static int divideByZero() {
    int zero = 0;
    return 0 / zero;
  }
}

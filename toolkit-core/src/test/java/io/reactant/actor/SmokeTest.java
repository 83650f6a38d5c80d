package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.state.Var;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class SmokeTest {

  public interface Atomicity {
    Mono<Void> ping();
    Mono<Void> atomic();
    Mono<Void> nonAtomic();
    @Query Mono<String> show();
  }

  static final class AtomicityActor extends Actor implements Atomicity {
    final Var<Integer> s = state().var("s", 0);
    final Var<Boolean> pinged = state().var("pinged", false);

    public Mono<Void> ping() { pinged.set(true); return done(); }
    public Mono<Void> atomic() {
      s.set(1);
      self(Atomicity.class).ping();
      int zero = 0;
      s.set(1 / zero);
      return done();
    }
    public Mono<Void> nonAtomic() {
      s.set(1);
      Mono<Void> f = self(Atomicity.class).ping();
      s.set(2);
      return await(f)
          .then(Mono.fromRunnable(() -> s.set(3)))
          .then(await(f))
          .then(Mono.fromCallable(() -> 1 / (s.get() - 3)))
          .then();
    }
    public Mono<String> show() { return Mono.just("s=" + s.get() + " pinged=" + pinged.get()); }
  }

  @Test
  void atomicity() {
    try (ActorSystem system = ActorSystem.create()) {
      Atomicity a = system.spawn(Atomicity.class, AtomicityActor::new);
      assertThatThrownBy(() -> a.atomic().block()).isInstanceOf(CallError.class).hasMessageContaining("5 CANISTER_ERROR");
      assertThat(a.show().block()).isEqualTo("s=0 pinged=false");
      Atomicity b = system.spawn(Atomicity.class, AtomicityActor::new);
      assertThatThrownBy(() -> b.nonAtomic().block()).isInstanceOf(CallError.class).hasMessageContaining("ArithmeticException");
      assertThat(b.show().block()).isEqualTo("s=3 pinged=true");
    }
  }
}

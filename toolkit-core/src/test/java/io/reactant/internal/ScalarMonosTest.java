package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class ScalarMonosTest {

  @Test
  @DisplayName("Reactor's scalar Monos are recognised and read without subscribing")
  void recognisesReactorsScalarSources() throws Exception {
    assertThat(ScalarMonos.scalar(Mono.just(3)).call()).isEqualTo(3);
    assertThat(ScalarMonos.scalar(Mono.justOrEmpty(null)).call()).isNull();
    assertThat(ScalarMonos.scalar(Mono.empty())).isNotNull();
    assertThat(ScalarMonos.scalar(Mono.error(new IllegalStateException("e")))).isNotNull();
    assertThat(ScalarMonos.scalar(Mono.error(() -> new IllegalStateException("e")))).isNotNull();
  }

  @Test
  @DisplayName("every other Mono (and null) is left to be subscribed to")
  void leavesEveryOtherMonoToASubscription() {
    List<Mono<?>> others = List.of(Mono.fromSupplier(() -> 1), Mono.just(1).map(x -> x + 1),
        Mono.defer(() -> Mono.just(1)), Flux.just(1, 2).next(), Mono.fromCallable(() -> 1),
        new CallFuture<>("a future"));
    for (Mono<?> other : others) {
      assertThat(ScalarMonos.scalar(other)).as(other.toString()).isNull();
    }
    assertThat(ScalarMonos.scalar(null)).isNull();
  }

  @Test
  @DisplayName("whatever it recognises is a ScalarCallable: the exact-class test never answers wrongly")
  void recognisedMeansScalarCallable() {
    List<Mono<?>> all = List.of(Mono.just(1), Mono.empty(), Mono.error(new RuntimeException()),
        Mono.error(RuntimeException::new), Mono.fromSupplier(() -> 1), Mono.just(1).filter(x -> true));
    for (Mono<?> m : all) {
      assertThat(ScalarMonos.scalar(m) != null).as(m.toString())
          .isEqualTo(m instanceof Fuseable.ScalarCallable);
    }
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.state.Var;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The teaser of the README, compiled and run as it is printed there. */
class ReadmeTeaserTest {

  // --8<-- [start:teaser]
  public interface Counter {
    Mono<Void> inc();

    @Query
    Mono<Long> read();

    Mono<Long> bump();
  }

  static final class CounterActor extends Actor implements Counter {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Void> inc() {
      count.update(c -> c + 1);
      return done();
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(count.get());
    }

    @Override
    public Mono<Long> bump() {
      count.update(c -> c + 1);
      return Mono.just(count.get());
    }
  }
  // --8<-- [end:teaser]

  @Test
  @DisplayName("the README teaser runs: spawn, bump, inc, read")
  void readmeTeaserRuns() {
    // --8<-- [start:usage]
    try (ActorSystem system = ActorSystem.create()) {
      Counter counter = system.spawn(Counter.class, CounterActor::new);
      long first = counter.bump().block();        // 1: an ingress call, awaited
      counter.inc().block();                      // 2
      long now = counter.read().block();          // a query: committed state, at once
      // --8<-- [end:usage]
      assertThat(first).isEqualTo(1L);
      assertThat(now).isEqualTo(2L);
    }
  }
}

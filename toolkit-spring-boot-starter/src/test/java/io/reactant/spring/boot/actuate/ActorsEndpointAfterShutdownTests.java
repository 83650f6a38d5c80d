package io.reactant.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystem;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.TestActors.CounterActor;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The operator's view of an actor system that the application shut down while it keeps serving
 * (the actuator's server outlives it, or the application shuts it down on purpose).
 */
class ActorsEndpointAfterShutdownTests {

  @Test
  @DisplayName("after the actor system's shutdown the actors endpoint still reads its actors as"
      + " they were left, listed and by id: no failure, so no 500 (health's OUT_OF_SERVICE is"
      + " ReactantHealthContributorAutoConfigurationTests')")
  void theOperatorsViewsReadAShutSystem() {
    ActorSystem system = ActorSystem.create();
    Counter counter = system.spawn(Counter.class, ActorId.of("left"), CounterActor::new);
    assertThat(counter.bump().block(Duration.ofSeconds(20))).isEqualTo(1L);
    system.close();
    ActorsEndpoint endpoint = new ActorsEndpoint(system);
    ActorsEndpoint.ActorsDescriptor all = endpoint.actors(null);
    assertThat(all.count()).isEqualTo(1);
    assertThat(all.actors()).extracting(ActorsEndpoint.ActorDescriptor::id).containsExactly("left");
    assertThat(endpoint.actor("left")).extracting(ActorsEndpoint.ActorDescriptor::turns)
        .isEqualTo(1L);
  }
}

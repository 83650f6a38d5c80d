package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How long {@code close()} waits for the shutdown on the system's own pool: for the grace period
 * of the shutdown in effect, not for the configured one when an earlier {@code shutdown(grace)}
 * set another (it would throw, its wait over, while that shutdown still rightly waits).
 */
class CloseWaitTest {

  @Test
  @DisplayName("close() after an earlier, longer shutdown(grace) waits for that grace period (plus"
      + " the margin), not for the configured, shorter one")
  void closeWaitsForTheGracePeriodInEffect() {
    ActorRuntime system = (ActorRuntime) ActorSystem.create(ActorSystemConfig.builder()
        .name("close-wait").parallelism(1).shutdownGracePeriod(Duration.ofSeconds(1)).build());
    system.shutdown(Duration.ofHours(2)).block(Duration.ofSeconds(10)); // nothing to wait for
    assertThat(system.closeWait()).isEqualTo(Duration.ofHours(2).plusSeconds(30));
    system.close(); // returns at once: that shutdown is over
  }

  @Test
  @DisplayName("close() after an earlier shutdown whose grace period is centuries long waits without"
      + " a bound, as for such a configured grace period")
  void closeAfterAShutdownOfCenturiesWaitsWithoutABound() {
    ActorRuntime system = (ActorRuntime) ActorSystem.create(ActorSystemConfig.builder()
        .name("close-wait-centuries").parallelism(1).build());
    system.shutdown(Duration.ofDays(365L * 200)).block(Duration.ofSeconds(10));
    assertThat(system.closeWait()).isNull();
    system.close();
  }

  @Test
  @DisplayName("close() with no earlier shutdown waits for the configured grace period plus the"
      + " margin")
  void closeWaitsForTheConfiguredGracePeriod() {
    ActorRuntime system = (ActorRuntime) ActorSystem.create(ActorSystemConfig.builder()
        .name("close-wait-configured").parallelism(1).shutdownGracePeriod(Duration.ofSeconds(3))
        .build());
    system.close();
    assertThat(system.closeWait()).isEqualTo(Duration.ofSeconds(33));
  }
}

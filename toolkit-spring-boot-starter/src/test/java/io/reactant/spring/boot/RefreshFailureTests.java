package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorSystem;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.TestActors.GreeterConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A context whose refresh fails after the actor system was made, its actors created: the system
 * is shut down and its pool's threads end; nothing is left running.
 */
class RefreshFailureTests {

  /** A bound on the wait for the threads to end, not a measure of speed. */
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

  static final AtomicReference<ActorSystem> SYSTEM = new AtomicReference<>();

  @Configuration(proxyBeanMethods = false)
  @Import({ GreeterConfiguration.class, CounterActor.class })
  static class Actors {

    @Bean
    FailingStart failingStart(ActorSystem system,
        @Value("${test.failing-phase}") int phase) {
      return new FailingStart(system, phase);
    }
  }

  /** Fails the start of the context: after every singleton, before or after the actors' start. */
  static final class FailingStart implements SmartLifecycle {

    private final int phase;

    FailingStart(ActorSystem system, int phase) {
      SYSTEM.set(system);
      this.phase = phase;
    }

    @Override
    public void start() {
      throw new IllegalStateException("this start fails");
    }

    @Override
    public void stop() {
    }

    @Override
    public boolean isRunning() {
      return false;
    }

    @Override
    public int getPhase() {
      return phase;
    }
  }

  @ParameterizedTest(name = "a start failing at phase {0}")
  @ValueSource(ints = { Integer.MIN_VALUE, ActorSystemLifecycle.PHASE + 1, Integer.MAX_VALUE })
  @DisplayName("a context whose start fails, before or after the actor system's lifecycle started,"
      + " shuts the actor system down and leaves none of its threads running")
  void aFailedStartLeavesNoThreadOfTheSystem(int phase) {
    String name = "refresh-fails-" + (phase == Integer.MIN_VALUE ? "first"
        : phase == Integer.MAX_VALUE ? "last" : "after-actors");
    SYSTEM.set(null);
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class))
        .withUserConfiguration(Actors.class)
        .withPropertyValues("reactant.name=" + name, "test.failing-phase=" + phase)
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).hasStackTraceContaining("this start fails");
        });
    ActorSystem system = SYSTEM.get();
    assertThat(system).as("the system the failed context made").isNotNull();
    assertThat(system.actorCount()).as("actors the startup created").isPositive();
    assertThat(system.isShutdown()).as("the system after the failed start").isTrue();
    long deadline = System.nanoTime() + WAIT_NANOS;
    List<String> left = threadsOf(name);
    while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
      left = threadsOf(name);
    }
    assertThat(left).as("threads of the system still alive 20 s after the failure").isEmpty();
  }

  private static List<String> threadsOf(String system) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(n -> n.startsWith(system + "-")).toList();
  }
}

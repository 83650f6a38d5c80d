package io.reactant.internal;

import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.scheduler.DeterministicScheduler;

/** Runtimes for the tests of this package that reach into the runtime's internals. */
final class TestRuntimes {

  private TestRuntimes() {
  }

  /** A system named {@code name} whose actors run only when the test drives {@code clock}. */
  static ActorRuntime onClock(DeterministicScheduler clock, String name) {
    return (ActorRuntime) ActorSystem.create(
        ActorSystemConfig.builder().name(name).scheduler(clock).build());
  }
}

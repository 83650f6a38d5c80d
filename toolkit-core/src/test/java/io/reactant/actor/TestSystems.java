package io.reactant.actor;

import io.reactant.scheduler.DeterministicScheduler;

/** Actor systems for tests. */
final class TestSystems {

  private TestSystems() {
  }

  /** A system driven by {@code scheduler}: nothing runs until the test drives it. */
  static ActorSystem on(DeterministicScheduler scheduler) {
    return ActorSystem.create(ActorSystemConfig.builder().name("test").scheduler(scheduler).build());
  }
}

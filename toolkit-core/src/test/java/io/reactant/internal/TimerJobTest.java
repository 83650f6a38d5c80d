package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.ActorRefs;
import io.reactant.scheduler.DeterministicScheduler;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A timer's firing as the runtime runs it: a job, not a method (rule R25). What its turn does is
 * tested through the public API in {@code actor/TimersTest}; here, what its trap says.
 */
class TimerJobTest {

  @Test
  @DisplayName("R25 R12 a timer's job that returns null traps with a message naming its timer, as"
      + " a method's null names the method; a job's Mono is run as it is")
  void aNullJobNamesItsTimer() throws Throwable {
    DeterministicScheduler clock = DeterministicScheduler.create();
    try (ActorRuntime system = TestRuntimes.onClock(clock, "timer-job")) {
      LongCounter counter = system.spawn(LongCounter.class, LongCounter.Impl::new);
      clock.runUntilIdle();
      ActorCell cell = system.find(ActorRefs.idOf(counter));
      assertThat(cell).isNotNull();

      Call once = Call.job(cell, MethodInfo.job("timer", "timer 7"), () -> null, null, null);
      assertThatThrownBy(() -> once.invoke(cell)).isInstanceOf(NullPointerException.class)
          .hasMessage("The job of timer 7 returned null instead of a Mono");
      Call every = Call.job(cell, MethodInfo.job("recurring timer", "recurring timer 8"),
          () -> null, null, null);
      assertThatThrownBy(() -> every.invoke(cell)).isInstanceOf(NullPointerException.class)
          .hasMessage("The job of recurring timer 8 returned null instead of a Mono");
      Mono<Void> done = Mono.empty();
      assertThat(Call.job(cell, MethodInfo.job("timer", "timer 9"), () -> done, null, null)
          .invoke(cell))
          .isSameAs(done);
    }
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Shutdowns at the edges of their timing: a grace period the scheduler cannot time, and what may
 * still run once the shutdown's future completed.
 */
class ShutdownEdgesTest {

  public interface Gate {
    /** Awaits {@code gate}, then answers what it gave. */
    Mono<String> pass(Mono<String> gate);
  }

  static final class GateActor extends Actor implements Gate {
    @Override
    public Mono<String> pass(Mono<String> gate) {
      return await(gate);
    }
  }

  private static AtomicReference<Object> outcome(Mono<?> f) {
    AtomicReference<Object> result = new AtomicReference<>();
    f.subscribe(result::set, result::set, () -> result.compareAndSet(null, "completed"));
    return result;
  }

  @Test
  @DisplayName("R13 R22 a shutdown whose grace period the scheduler refuses to time (an application's"
      + " scheduler it disposed) ends the grace period at once: the suspended call is answered"
      + " with code 6 and the shutdown completes, rather than both waiting for ever")
  void aGracePeriodTheSchedulerRefusesEndsAtOnce() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Gate gate = system.spawn(Gate.class, GateActor::new);
    Sinks.One<String> never = Sinks.one();
    AtomicReference<Object> call = outcome(gate.pass(never.asMono()));
    scheduler.runUntilIdle();
    assertThat(call.get()).as("suspended at its await").isNull();
    scheduler.dispose(); // the application disposes its scheduler before it closes the system

    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofMinutes(1)));

    assertThat(call.get()).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
      assertThat(e.rejectMessage()).contains("shut down before the call replied");
    });
    assertThat(shutdown.get()).isEqualTo("completed");
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.call.CallOptions;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rules R22, R25: a timer or a bounded wait longer than a {@code long} of nanoseconds (292
 * years, {@code ChronoUnit.FOREVER}) is a wait that never ends, not a failure of the runtime.
 */
class LongDurationsTest {

  private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Patient {
    Mono<String> timerThenSend(Patient other);

    Mono<Long> waitForever(Patient other);

    Mono<Long> bump();

    @Query
    Mono<Long> count();
  }

  static final class PatientActor extends Actor implements Patient {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<String> timerThenSend(Patient other) {
      setTimer(FOREVER, () -> Mono.fromRunnable(() -> count.set(-1L)));
      other.bump();
      return Mono.just("set");
    }

    @Override
    public Mono<Long> waitForever(Patient other) {
      return await(CallOptions.timeout(FOREVER).on(other).bump());
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(count.update(c -> c + 1));
    }

    @Override
    public Mono<Long> count() {
      return Mono.just(count.get());
    }
  }

  @Test
  @DisplayName("R25 R6 a timer set for ever never fires, and the turn that set it commits and answers")
  void timerForEver() {
    Patient a = system.spawn(Patient.class, PatientActor::new);
    Patient b = system.spawn(Patient.class, PatientActor::new);
    assertThat(scheduler.await(a.timerThenSend(b))).isEqualTo("set");
    assertThat(b.count().block()).as("the send after the timer was delivered").isEqualTo(1L);
    assertThat(scheduler.await(b.bump())).as("later turns are unaffected").isEqualTo(2L);
    scheduler.advanceTimeBy(Duration.ofDays(365L * 100));
    assertThat(a.count().block()).isZero();
  }

  @Test
  @DisplayName("R22 a call bounded by a wait for ever is answered, and later turns are unaffected")
  void timeoutForEver() {
    Patient a = system.spawn(Patient.class, PatientActor::new);
    Patient b = system.spawn(Patient.class, PatientActor::new);
    assertThat(scheduler.await(a.waitForever(b))).isEqualTo(1L);
    assertThat(scheduler.await(a.bump())).isEqualTo(1L);
    assertThat(scheduler.await(b.bump())).isEqualTo(2L);
  }
}

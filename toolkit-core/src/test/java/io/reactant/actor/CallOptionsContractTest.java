package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** What {@link CallOptions} promises of the references it makes (rule R22). */
class CallOptionsContractTest {

  public interface Slow {
    /** Answers after {@code seconds} of virtual time. */
    Mono<String> work(long seconds);
  }

  static final class SlowActor extends Actor implements Slow {
    private final DeterministicScheduler clock;

    SlowActor(DeterministicScheduler clock) {
      this.clock = clock;
    }

    @Override
    public Mono<String> work(long seconds) {
      return await(Mono.delay(Duration.ofSeconds(seconds), clock)).thenReturn("done");
    }
  }

  private static void isCodeSix(Throwable e) {
    assertThat(e).isInstanceOfSatisfying(CallError.class,
        ce -> assertThat(ce.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
  }

  @Test
  @DisplayName("R22 on() replaces the options a reference had: a bounded reference given"
      + " none() waits unbounded again, and the original keeps its bound")
  void onReplacesTheOptions() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Slow slow = system.spawn(Slow.class, () -> new SlowActor(scheduler));
      Slow bounded = CallOptions.timeout(Duration.ofSeconds(1)).on(slow);
      Slow unbounded = CallOptions.none().on(bounded);

      Mono<String> fromBounded = bounded.work(5);
      Mono<String> fromUnbounded = unbounded.work(5);
      scheduler.advanceTimeBy(Duration.ofSeconds(5));
      assertThatThrownBy(() -> scheduler.await(fromBounded))
          .satisfies(CallOptionsContractTest::isCodeSix);
      assertThat(scheduler.await(fromUnbounded)).isEqualTo("done");
      assertThat(unbounded).as("references compare by actor and type").isEqualTo(bounded);
    }
  }

  @Test
  @DisplayName("R22 the system's default timeout bounds calls without a timeout of their own,"
      + " none() included; an explicit timeout, longer or shorter, replaces it")
  void explicitTimeoutsReplaceTheDefault() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .defaultCallTimeout(Duration.ofSeconds(3)).build())) {
      Slow slow = system.spawn(Slow.class, () -> new SlowActor(scheduler));

      Mono<String> plain = slow.work(5);
      Mono<String> none = CallOptions.none().on(slow).work(5);
      Mono<String> longer = CallOptions.timeout(Duration.ofSeconds(10)).on(slow).work(5);
      Mono<String> shorter = CallOptions.timeout(Duration.ofSeconds(1)).on(slow).work(2);
      scheduler.advanceTimeBy(Duration.ofSeconds(5));

      assertThatThrownBy(() -> scheduler.await(plain)).satisfies(CallOptionsContractTest::isCodeSix);
      assertThatThrownBy(() -> scheduler.await(none)).satisfies(CallOptionsContractTest::isCodeSix);
      assertThat(scheduler.await(longer)).isEqualTo("done");
      assertThatThrownBy(() -> scheduler.await(shorter))
          .satisfies(CallOptionsContractTest::isCodeSix);
    }
  }
}

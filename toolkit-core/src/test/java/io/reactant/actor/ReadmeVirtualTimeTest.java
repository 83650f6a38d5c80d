package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The README's "Testing with virtual time" snippet, run as it is printed there. */
class ReadmeVirtualTimeTest {

  public interface Slow {
    /** Answers after two seconds of virtual time. */
    Mono<Long> work();

    /** The time the actor reads now. */
    Mono<Instant> now();
  }

  static final class SlowActor extends Actor implements Slow {
    private final DeterministicScheduler clock;

    SlowActor(DeterministicScheduler clock) {
      this.clock = clock;
    }

    @Override
    public Mono<Long> work() {
      return await(Mono.delay(Duration.ofSeconds(2), clock));
    }

    @Override
    public Mono<Instant> now() {
      return Mono.just(timeNow());
    }
  }

  @Test
  @DisplayName("R22 the README's virtual-time snippet: a bounded call fails with code 6 once the"
      + " clock passes its timeout, and await(mono, within) moves the clock until a call answers")
  void readmeVirtualTimeSnippetRuns() {
    DeterministicScheduler scheduler = DeterministicScheduler.withSeed(42); // one interleaving
    ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());
    Slow slow = system.spawn(Slow.class, () -> new SlowActor(scheduler));
    Mono<Long> f = CallOptions.timeout(Duration.ofSeconds(1)).on(slow).work();
    scheduler.advanceTimeBy(Duration.ofSeconds(1)); // code 6, no sleeping
    assertThatThrownBy(() -> scheduler.await(f))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
    Duration before = Duration.ofMillis(scheduler.now(java.util.concurrent.TimeUnit.MILLISECONDS));

    assertThat(scheduler.await(slow.work(), Duration.ofMinutes(5))).isZero();

    Duration after = Duration.ofMillis(scheduler.now(java.util.concurrent.TimeUnit.MILLISECONDS));
    assertThat(after.minus(before)).as("the clock stopped where the call was answered")
        .isLessThanOrEqualTo(Duration.ofSeconds(2));
    system.close();
    scheduler.runUntilIdle();
  }

  @Test
  @DisplayName("R25 the README's dated clock: a scheduler started at an instant is read by timeNow()"
      + " until time moves, and a call's two seconds count from it")
  void readmeDatedClockSnippetRuns() {
    DeterministicScheduler dated = DeterministicScheduler.withSeed(42)
        .startingAt(Instant.parse("2026-12-07T09:30:00Z"));  // timeNow() reads it until time moves
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(dated).build())) {
      Slow slow = system.spawn(Slow.class, () -> new SlowActor(dated));
      assertThat(dated.await(slow.now())).isEqualTo(Instant.parse("2026-12-07T09:30:00Z"));
      dated.await(slow.work(), Duration.ofMinutes(5));
      assertThat(dated.await(slow.now())).isEqualTo(Instant.parse("2026-12-07T09:30:02Z"));
    }
  }
}

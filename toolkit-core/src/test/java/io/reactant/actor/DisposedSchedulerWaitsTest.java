package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.scheduler.WorkStealingScheduler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Waits timed on a scheduler the application supplied and then disposed, after the scheduler
 * accepted their timers (which a disposed scheduler drops silently): a shutdown's grace period, a
 * call's and a query's bounded wait. Every one still ends (the runtime's watchdog sees the
 * scheduler disposed), rather than its caller waiting for ever. The blocks below bound how long
 * the test waits for that; the watchdog looks every 10 ms.
 */
class DisposedSchedulerWaitsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  public interface Waiter {
    /** Awaits {@code gate}, then answers what it gave. */
    Mono<String> pass(Mono<String> gate);

    /** A query that answers what {@code answer} gives, whenever it does. */
    @Query
    Mono<String> read(Mono<String> answer);
  }

  static final class WaiterActor extends Actor implements Waiter {
    private final CountDownLatch running;

    WaiterActor() {
      this(new CountDownLatch(0));
    }

    /** Counts {@code running} down as a call of {@link #pass} starts. */
    WaiterActor(CountDownLatch running) {
      this.running = running;
    }

    @Override
    public Mono<String> pass(Mono<String> gate) {
      running.countDown();
      return await(gate);
    }

    @Override
    public Mono<String> read(Mono<String> answer) {
      return answer;
    }
  }

  @Test
  @DisplayName("R22 a shutdown whose grace timer the application's scheduler accepted and then"
      + " dropped as it was disposed still ends: the suspended call is answered with code 6 and"
      + " the shutdown's future completes")
  void aGracePeriodDroppedByADisposedSchedulerStillEnds() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Waiter waiter = system.spawn(Waiter.class, WaiterActor::new);
    Mono<String> call = waiter.pass(Sinks.<String>one().asMono()).cache();
    call.subscribe(v -> { }, e -> { });
    scheduler.runUntilIdle();
    Mono<Void> shutdown = system.shutdown(Duration.ofMinutes(1)); // its timer is accepted
    scheduler.dispose(); // and dropped

    shutdown.block(PATIENCE);
    assertThatThrownBy(() -> call.block(PATIENCE)).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
      assertThat(e.rejectMessage()).contains("shut down before the call replied");
    });
  }

  @Test
  @DisplayName("R22 a bounded call whose timer the application's scheduler accepted and then dropped"
      + " as it was disposed ends with code 6, saying the scheduler was disposed")
  void aBoundedCallDroppedByADisposedSchedulerStillEnds() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Waiter waiter = system.spawn(Waiter.class, WaiterActor::new);
    Mono<String> call = CallOptions.timeout(Duration.ofHours(1)).on(waiter)
        .pass(Sinks.<String>one().asMono()).cache();
    call.subscribe(v -> { }, e -> { });
    scheduler.runUntilIdle();
    scheduler.dispose();

    assertThatThrownBy(() -> call.block(PATIENCE)).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
      assertThat(e.rejectMessage()).contains("could no longer be timed", "disposed");
    });
  }

  @Test
  @DisplayName("R19 R22 a bounded query whose timer the application's scheduler accepted and then"
      + " dropped as it was disposed ends with code 6")
  void aBoundedQueryDroppedByADisposedSchedulerStillEnds() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Waiter waiter = system.spawn(Waiter.class, WaiterActor::new);
    scheduler.runUntilIdle();
    Mono<String> query = CallOptions.timeout(Duration.ofHours(1)).on(waiter)
        .read(Sinks.<String>one().asMono()).cache();
    query.subscribe(v -> { }, e -> { });
    scheduler.runUntilIdle();
    scheduler.dispose();

    assertThatThrownBy(() -> query.block(PATIENCE)).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
      assertThat(e.rejectMessage()).contains("disposed");
    });
  }

  @Test
  @DisplayName("R22 a bounded call on a work-stealing pool the application shares and disposes (its"
      + " timer thread shut down at once) while the call waits ends with code 6")
  void aBoundedCallOnASharedPoolDisposedWhileItWaitsEnds() throws InterruptedException {
    WorkStealingScheduler pool = WorkStealingScheduler.create("disposed-while-waiting", 1);
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(pool).build());
    CountDownLatch running = new CountDownLatch(1);
    Waiter waiter = system.spawn(Waiter.class, () -> new WaiterActor(running));
    Mono<String> call = CallOptions.timeout(Duration.ofHours(1)).on(waiter)
        .pass(Sinks.<String>one().asMono()).cache();
    call.subscribe(v -> { }, e -> { });
    assertThat(running.await(20, TimeUnit.SECONDS)).as("the call runs, its bound timed").isTrue();
    pool.dispose();

    assertThatThrownBy(() -> call.block(PATIENCE)).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
      assertThat(e.rejectMessage()).contains("disposed");
    });
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A spawn whose initializer is still running when a shutdown begins and ends: the creation checked
 * the system open before, and registers the actor after the shutdown stopped every actor it knew.
 */
class SpawnRacingShutdownTest {

  public interface Ticker {
    Mono<Integer> ticks();
  }

  static final class TickerActor extends Actor implements Ticker {
    private final AtomicInteger fired;

    /** Sets a timer, then waits while {@code meanwhile} shuts the system down on another thread. */
    TickerActor(AtomicInteger fired, Runnable meanwhile) {
      this.fired = fired;
      setTimer(Duration.ofSeconds(1), () -> {
        fired.incrementAndGet();
        return Mono.empty();
      });
      meanwhile.run();
    }

    @Override
    public Mono<Integer> ticks() {
      return Mono.just(fired.get());
    }
  }

  /** Runs {@code task} on a thread of its own and waits for it to end. */
  private static void onAnotherThread(Runnable task) {
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        task.run();
      } catch (Throwable e) {
        failed.set(e);
      }
    });
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertThat(failed.get()).isNull();
  }

  @Test
  @DisplayName("R3 R25 a spawn whose initializer runs while a shutdown begins and completes is refused"
      + " with code 2, and the actor it made is stopped: its initializer's timer is dropped, not"
      + " counted, and never fires")
  void aSpawnRacingTheEndOfAShutdownIsRefused() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    AtomicInteger fired = new AtomicInteger();
    AtomicReference<Mono<Void>> shutdown = new AtomicReference<>();
    ActorId id = ActorId.of("late");

    assertThatThrownBy(() -> system.spawn(Ticker.class, id, () -> new TickerActor(fired,
        () -> onAnotherThread(() -> shutdown.set(system.shutdown(Duration.ofMinutes(1)))))))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT);
          assertThat(e.rejectMessage()).contains("shut down");
        });

    assertThat(shutdown.get().block(Duration.ZERO)).as("the shutdown had nothing to wait for")
        .isNull();
    system.actor(id).ifPresent(info -> assertThat(info.timers()).isZero());
    scheduler.advanceTimeBy(Duration.ofMinutes(5));
    assertThat(fired).hasValue(0);
    assertThatThrownBy(() -> system.lookup(Ticker.class, id).ticks().block(Duration.ZERO))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }

  @Test
  @DisplayName("R3 a generated-id spawn whose initializer runs while a shutdown begins and completes is"
      + " refused with code 2")
  void aGeneratedIdSpawnRacingTheEndOfAShutdownIsRefused() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    AtomicInteger fired = new AtomicInteger();

    assertThatThrownBy(() -> system.spawn(Ticker.class, () -> new TickerActor(fired,
        () -> onAnotherThread(() -> system.shutdown(Duration.ofMinutes(1))))))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    assertThat(system.actors()).allSatisfy(info -> assertThat(info.timers()).isZero());
  }

  @Test
  @DisplayName("R3 R25 a call that activates a virtual actor whose initializer runs while a shutdown"
      + " begins and completes is refused with code 2, and the activated actor's timer never fires")
  void anActivationRacingTheEndOfAShutdownIsRefused() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    AtomicInteger fired = new AtomicInteger();
    system.registerVirtual(Ticker.class, id -> new TickerActor(fired,
        () -> onAnotherThread(() -> system.shutdown(Duration.ofMinutes(1)))));
    ActorId id = ActorId.of("virtual");

    assertThatThrownBy(() -> system.lookup(Ticker.class, id).ticks().block(Duration.ZERO))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    system.actor(id).ifPresent(info -> assertThat(info.timers()).isZero());
    scheduler.advanceTimeBy(Duration.ofMinutes(5));
    assertThat(fired).hasValue(0);
  }
}

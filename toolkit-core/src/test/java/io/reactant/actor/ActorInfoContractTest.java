package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** What the fields of an {@link ActorInfo} snapshot count. */
class ActorInfoContractTest {

  public interface Ticker {
    /** Sets a one-shot timer after 1 s and a recurring one every 2 s; returns the latter. */
    Mono<TimerId> start();

    Mono<Void> stop(TimerId recurring);

    @Query
    Mono<Long> fired();
  }

  static final class TickerActor extends Actor implements Ticker {
    private final LongVar fired = newLongVar("fired", 0);

    @Override
    public Mono<TimerId> start() {
      setTimer(Duration.ofSeconds(1), () -> Mono.fromRunnable(() -> fired.add(1)));
      return Mono.just(recurringTimer(Duration.ofSeconds(2),
          () -> Mono.fromRunnable(() -> fired.add(1))));
    }

    @Override
    public Mono<Void> stop(TimerId recurring) {
      cancelTimer(recurring);
      return done();
    }

    @Override
    public Mono<Long> fired() {
      return Mono.just(fired.get());
    }
  }

  @Test
  @DisplayName("R25 timers counts the active timers: a one-shot until it fires, a recurring one"
      + " until it is cancelled, none after a shutdown; turns counts timer firings and no query")
  void timersCountsActiveTimers() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Ticker ticker = system.spawn(Ticker.class, ActorId.of("ticker"), TickerActor::new);
    ActorId id = ActorId.of("ticker");
    TimerId recurring = scheduler.await(ticker.start());
    assertThat(info(system, id).timers()).isEqualTo(2);

    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(ticker.fired().block()).isEqualTo(1L);
    assertThat(info(system, id).timers()).as("the one-shot fired").isEqualTo(1);

    scheduler.advanceTimeBy(Duration.ofSeconds(3)); // the recurring one fires at 2 s and 4 s
    assertThat(ticker.fired().block()).isEqualTo(3L);
    assertThat(info(system, id).timers()).isEqualTo(1);
    assertThat(info(system, id).turns()).as("start, three firings").isEqualTo(4);

    scheduler.await(ticker.stop(recurring));
    assertThat(info(system, id).timers()).isZero();

    scheduler.await(ticker.start());
    assertThat(info(system, id).timers()).isEqualTo(2);
    system.close();
    scheduler.runUntilIdle();
    assertThat(info(system, id).timers()).as("cancelled by the shutdown").isZero();
  }

  private static ActorInfo info(ActorSystem system, ActorId id) {
    return system.actor(id).orElseThrow();
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Rule R13 and a cancelled await: the operator after an {@code await} (here a {@code timeout}
 * whose trigger the test fires) cancels it from another thread, before or while its future
 * signals. An await cancelled before its future signals never continues; one cancelled as it
 * signals continues at most once, its call answers with the value only if it continued, and the
 * actor goes on answering.
 */
class AwaitCancelTest {

  /** What one round awaits, what cancels it, and how often its continuation ran. */
  record Round(Sinks.One<Long> value, Sinks.One<Long> cancel, AtomicInteger deliveries) {
    static Round create() {
      return new Round(Sinks.one(), Sinks.one(), new AtomicInteger());
    }
  }

  static final ConcurrentHashMap<Integer, Round> ROUNDS = new ConcurrentHashMap<>();

  public interface Waiter {
    /** Awaits round {@code n}'s value, unless its cancel trigger fires first. */
    Mono<Long> awaitRound(int n);

    Mono<Void> ping();
  }

  static final class WaiterActor extends Actor implements Waiter {
    @Override
    public Mono<Long> awaitRound(int n) {
      Round round = ROUNDS.get(n);
      return await(round.value().asMono())
          .doOnNext(v -> round.deliveries().incrementAndGet())
          .timeout(round.cancel().asMono());
    }

    @Override
    public Mono<Void> ping() {
      return done();
    }
  }

  private final ActorSystem system = ActorSystem.create();
  private final ExecutorService racers = Executors.newFixedThreadPool(2);

  @AfterEach
  void close() {
    racers.shutdownNow();
    system.close();
    ROUNDS.clear();
  }

  /** Starts round {@code n} and returns its call once its await is subscribed to the value. */
  private Mono<Long> started(Waiter waiter, int n) {
    ROUNDS.put(n, Round.create());
    Mono<Long> call = waiter.awaitRound(n).cache();
    call.subscribe(v -> { }, e -> { });
    // FIFO per caller: the ping runs after the round's first turn, whose await is active by then
    waiter.ping().block(Duration.ofSeconds(10));
    return call;
  }

  /** The value the call answered, or -1 when it failed (the timeout fired). */
  private static long outcome(Mono<Long> call) {
    return call.onErrorResume(CallError.class, e -> Mono.just(-1L)).block(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("R13 an await cancelled before its future signals never continues")
  void cancelledBeforeTheSignal() {
    Waiter waiter = system.spawn(Waiter.class, WaiterActor::new);
    for (int n = 0; n < 200; n++) {
      Mono<Long> call = started(waiter, n);
      Round round = ROUNDS.get(n);
      round.cancel().tryEmitValue(0L).orThrow();
      assertThat(outcome(call)).as("round %d: the timeout fired first", n).isEqualTo(-1L);
      round.value().tryEmitValue((long) n).orThrow();
      // a continuation queued by the value would run before this ping (it is queued first)
      waiter.ping().block(Duration.ofSeconds(10));
      assertThat(round.deliveries()).as("round %d: deliveries", n).hasValue(0);
    }
  }

  @Test
  @DisplayName("R13 an await cancelled as its future signals continues at most once, and answers only if it did")
  void cancelledAsItSignals() throws Exception {
    Waiter waiter = system.spawn(Waiter.class, WaiterActor::new);
    for (int n = 0; n < 2_000; n++) {
      Mono<Long> call = started(waiter, n);
      Round round = ROUNDS.get(n);
      CyclicBarrier start = new CyclicBarrier(2);
      long value = n;
      Future<?> signal = racers.submit(() -> {
        start.await();
        return round.value().tryEmitValue(value);
      });
      Future<?> cancel = racers.submit(() -> {
        start.await();
        return round.cancel().tryEmitValue(0L);
      });
      signal.get();
      cancel.get();
      long result = outcome(call);
      waiter.ping().block(Duration.ofSeconds(10));
      assertThat(round.deliveries().get()).as("round %d: deliveries", n).isBetween(0, 1);
      if (result != -1L) {
        assertThat(result).as("round %d: the value awaited", n).isEqualTo(value);
        assertThat(round.deliveries()).as("round %d: an answered round was delivered", n).hasValue(1);
      }
    }
    // the actor is healthy after every race: a last round answers
    Mono<Long> last = started(waiter, -1);
    ROUNDS.get(-1).value().tryEmitValue(42L).orThrow();
    assertThat(outcome(last)).isEqualTo(42L);
  }
}

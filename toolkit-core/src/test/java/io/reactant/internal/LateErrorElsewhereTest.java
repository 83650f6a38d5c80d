package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorRefs;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.TurnListener;
import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * An error that the method's {@code Mono} signals on another thread, while the call's own turn
 * runs on the callee's thread, travels to the callee in its late signal, and the late signal's
 * turn stores it in the call ({@code Call.Extras} has no other writer): it is never lost, whether
 * the callee's thread makes the call's extras after it (linking the call into its list of
 * suspended calls) or the sender made them before (attached cycles, a bounded wait).
 */
class LateErrorElsewhereTest {

  private static final long WALLET = 1_000;

  private final DeterministicScheduler clock = DeterministicScheduler.create();
  private final List<String> ended = new CopyOnWriteArrayList<>();
  private final ActorSystem system = ActorSystem.create(ActorSystemConfig.builder()
      .name("late-error").scheduler(clock).listener(new TurnListener() {
        @Override
        public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
          if (actor.equals(ActorId.of("callee"))) {
            ended.add(outcome.toString());
          }
        }
      }).build());

  @AfterEach
  void close() {
    system.close();
  }

  public interface Callee {
    /** Waits for a sink nobody completes: the call stays suspended. */
    Mono<Long> hold();

    /**
     * Accepts up to {@code take} of the attached cycles, then returns a Mono that another thread
     * fails, with a trap or a reject ({@code reject}), while the call's first turn still runs.
     */
    Mono<Long> failElsewhere(long take, boolean reject);
  }

  static final class CalleeActor extends Actor implements Callee {
    private final Sinks.One<Long> never = Sinks.one();

    @Override
    public Mono<Long> hold() {
      return never.asMono();
    }

    @Override
    public Mono<Long> failElsewhere(long take, boolean reject) {
      acceptCycles(take);
      return new FailedOnAnotherThread(reject
          ? CallError.reject("refused elsewhere")
          : new IllegalStateException("broken elsewhere"));
    }
  }

  /**
   * A Mono that, as the call subscribes to it in its turn, has another thread signal {@code error}
   * to the call, and returns only once that thread has: the signal lands while the turn runs.
   */
  static final class FailedOnAnotherThread extends Mono<Long> {
    private final Throwable error;

    FailedOnAnotherThread(Throwable error) {
      this.error = error;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Long> actual) {
      actual.onSubscribe(new Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
      });
      Thread elsewhere = new Thread(() -> actual.onError(error), "elsewhere");
      elsewhere.start();
      try {
        elsewhere.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public interface Payer {
    /**
     * Attaches {@code cycles} and a bounded wait of {@code patience} to {@code
     * callee.failElsewhere(take, false)}, awaits it, and tells the outcome, refund and balance.
     */
    Mono<String> pay(Callee callee, long cycles, long take, Duration patience);
  }

  static final class PayerActor extends Actor implements Payer {
    @Override
    public Mono<String> pay(Callee callee, long cycles, long take, Duration patience) {
      return await(CallOptions.timeout(patience).withCycles(cycles).on(callee)
          .failElsewhere(take, false))
          .map(accepted -> "accepted " + accepted)
          .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code() + " ("
              + e.rejectMessage() + ")"))
          .map(s -> s + ", refunded " + cyclesRefunded() + ", balance " + cyclesBalance());
    }
  }

  private Callee callee() {
    return system.spawn(Callee.class, ActorId.of("callee"), CalleeActor::new);
  }

  private int suspendedCalls() {
    return system.actor(ActorId.of("callee")).orElseThrow().suspendedCalls();
  }

  @Test
  @DisplayName("R12 an error signalled on another thread while the call's turn runs, the call then"
      + " suspended behind another one (the callee's thread makes its extras to link it), reaches"
      + " the caller as a trap with that error: the late signal's turn stores it and traps")
  void aTrapSignalledElsewhereDuringTheTurnIsNotLost() {
    Callee callee = callee();
    Mono<Long> held = callee.hold();
    clock.runUntilIdle();
    assertThat(suspendedCalls()).isOne();

    Mono<Long> failed = callee.failElsewhere(0, false);
    clock.runUntilIdle();

    assertThatThrownBy(() -> clock.await(failed)).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
      assertThat(e.rejectMessage()).contains("IllegalStateException: broken elsewhere");
    });
    assertThat(ended).as("hold, the first turn (suspended), the late signal's")
        .containsExactly("COMMITTED", "COMMITTED", "TRAPPED");
    assertThat(system.actor(ActorId.of("callee"))).hasValueSatisfying(info -> {
      assertThat(info.traps()).isOne();
      assertThat(info.suspendedCalls()).as("hold still waits").isOne();
    });
    system.shutdown(Duration.ZERO);
    clock.runUntilIdle();
    assertThatThrownBy(() -> clock.await(held)).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
  }

  @Test
  @DisplayName("R12a a reject signalled on another thread while the call's turn runs, the call then"
      + " suspended behind another one, reaches the caller as code 4 with its message: the late"
      + " signal's turn stores it and commits")
  void aRejectSignalledElsewhereDuringTheTurnIsNotLost() {
    Callee callee = callee();
    callee.hold();
    clock.runUntilIdle();

    Mono<Long> failed = callee.failElsewhere(0, true);
    clock.runUntilIdle();

    assertThatThrownBy(() -> clock.await(failed)).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
      assertThat(e.rejectMessage()).isEqualTo("refused elsewhere");
    });
    assertThat(ended).containsExactly("COMMITTED", "COMMITTED", "COMMITTED");
    assertThat(system.actor(ActorId.of("callee"))).hasValueSatisfying(info -> {
      assertThat(info.traps()).isZero();
      assertThat(info.suspendedCalls()).isOne();
    });
  }

  @Test
  @DisplayName("R22 R12 a call with attached cycles and a bounded wait (extras its sender made)"
      + " whose Mono fails on another thread during its turn traps in the late signal's turn: the"
      + " cycles accepted before the commit stay, the rest is refunded once with the code 5, and"
      + " the bounded wait's timer is cancelled (no code 6 later)")
  void aTrapSignalledElsewhereKeepsTheSendersExtras() {
    Callee callee = callee();
    callee.hold();
    Payer payer = system.spawn(Payer.class, ActorId.of("payer"), PayerActor::new);
    system.topUp(ActorRefs.idOf(payer), WALLET);
    clock.runUntilIdle();

    Mono<String> paid = payer.pay(callee, 300, 120, Duration.ofSeconds(5));
    clock.runUntilIdle();

    assertThat(clock.await(paid)).isEqualTo("code 5 (callee trapped in Callee.failElsewhere():"
        + " IllegalStateException: broken elsewhere), refunded 180, balance 880");
    assertThat(clock.delayedTasks()).as("the bounded wait's timer, cancelled by the reply").isZero();
    clock.advanceTimeBy(Duration.ofSeconds(10));
    clock.runUntilIdle();
    assertThat(system.cyclesBalance(ActorId.of("callee")))
        .as("accepted in the first turn, which committed as the call suspended").isEqualTo(120L);
    assertThat(system.cyclesBalance(ActorId.of("payer"))).isEqualTo(WALLET - 120);
    assertThat(ended).containsExactly("COMMITTED", "COMMITTED", "TRAPPED");
  }
}

package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.TurnListener;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.error.Trap;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * A call whose method's {@code Mono} ends outside a turn of the call is answered in one turn of its
 * own (a late signal), however many signals reach it from outside: a signal that arrives once
 * the call has replied runs no turn.
 */
class LateSignalOnceTest {

  public interface Waiter {
    /** Answers what a source the test controls signals, on the test's thread. */
    Mono<Long> waitForSource();
  }

  /** The subscriber the source got: the call. */
  static final AtomicReference<@Nullable CoreSubscriber<? super Long>> SUBSCRIBER =
      new AtomicReference<>();

  /**
   * A source that keeps signalling after its subscription is cancelled, as a source signalling on
   * another thread at the moment of the cancel may (the Reactive Streams rule 3.12 allows it).
   */
  static final class Source extends Mono<Long> {
    @Override
    public void subscribe(CoreSubscriber<? super Long> actual) {
      SUBSCRIBER.set(actual);
      actual.onSubscribe(new Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
      });
    }
  }

  static final class WaiterActor extends Actor implements Waiter {
    @Override
    public Mono<Long> waitForSource() {
      return new Source();
    }
  }

  @Test
  @DisplayName("R13 a call failed while its returned Mono waits (the deadlock of a returned race),"
      + " whose source still signals after the cancel, replies once and runs one late-signal"
      + " turn: the signal after the reply runs none (no second turnEnded, no trap counted)")
  void aSignalAfterTheReplyRunsNoTurn() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    List<String> ended = new CopyOnWriteArrayList<>();
    TurnListener listener = new TurnListener() {
      @Override
      public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
        ended.add(outcome.toString());
      }
    };
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("late")
        .scheduler(clock).listener(listener).fees(1, 0).initialBalance(100).build())) {
      Waiter waiter = system.spawn(Waiter.class, ActorId.of("waiter"), WaiterActor::new);
      Mono<Long> reply = waiter.waitForSource();
      clock.runUntilIdle();
      Call call = (Call) Objects.requireNonNull(SUBSCRIBER.get());
      assertThat(ended).containsExactly("COMMITTED");

      // a search on another thread finds the call deadlocked and fails it; the source, which was
      // signalling at that moment, signals after the cancel
      assertThat(call.failReturned(new Trap("deadlock found"))).isTrue();
      call.onNext(7L);
      call.onComplete();
      clock.runUntilIdle();

      assertThatThrownBy(() -> clock.await(reply)).isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
        assertThat(e.rejectMessage()).contains("deadlock found");
      });
      assertThat(ended).as("the first turn, then one late signal's").hasSize(2);
      assertThat(system.actor(ActorId.of("waiter"))).hasValueSatisfying(info -> {
        assertThat(info.turns()).isEqualTo(2);
        assertThat(info.traps()).as("the late signal's turn, which answered the deadlock").isOne();
        assertThat(info.mailboxDepth()).isZero();
        assertThat(info.suspendedCalls()).isZero();
      });
      assertThat(system.cyclesBalance(ActorId.of("waiter")))
          .as("the first turn's fee (the trapped turn's rolled back)").isEqualTo(99L);
      Mono<Void> down = system.shutdown(Duration.ofMinutes(1));
      clock.runUntilIdle();
      assertThat(down.toFuture()).isCompleted();
    }
  }
}

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

    /**
     * Answers 7 in its first turn from a source that, as the call subscribes to it, first has a
     * search on another thread fail the call as deadlocked (see {@link EndsInTurnFailedElsewhere}).
     */
    Mono<Long> endInTurnWhileFailedElsewhere();
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

    @Override
    public Mono<Long> endInTurnWhileFailedElsewhere() {
      return new EndsInTurnFailedElsewhere();
    }
  }

  /** What the search of {@link EndsInTurnFailedElsewhere} answered: whether it failed the call. */
  static final AtomicReference<@Nullable Boolean> FAILED_ELSEWHERE = new AtomicReference<>();

  /**
   * A source that, subscribed by the call in its turn, has another thread fail the call as a
   * search that found it deadlocked does ({@link Call#failReturned}), waits for that thread, then
   * signals 7 and its completion on the turn's thread, as a source that was signalling at the
   * moment of the cancel may.
   */
  static final class EndsInTurnFailedElsewhere extends Mono<Long> {
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
      Call call = (Call) actual;
      Thread search = new Thread(
          () -> FAILED_ELSEWHERE.set(call.failReturned(new Trap("deadlock found"))), "search");
      search.start();
      try {
        search.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      actual.onNext(7L);
      actual.onComplete();
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

  @Test
  @DisplayName("R13 R12 of a completion and a deadlock failure both signalled outside the call's"
      + " turns, the one queued first decides: a completion queued before the failure commits,"
      + " and the caller gets its value; the failure's error, carried by the late signal queued"
      + " second, is dropped with it (no trap counted, no second turn)")
  void aCompletionQueuedBeforeADeadlockFailureDecides() {
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

      // the source ends on another thread; before the callee takes its late signal, a search on
      // a third finds the call deadlocked and fails it (the call has not terminated in a turn yet)
      call.onNext(7L);
      call.onComplete();
      assertThat(call.failReturned(new Trap("deadlock found"))).isTrue();
      clock.runUntilIdle();

      assertThat(clock.await(reply)).isEqualTo(7L);
      assertThat(ended).as("the first turn, then the completion's").containsExactly("COMMITTED",
          "COMMITTED");
      assertThat(system.actor(ActorId.of("waiter"))).hasValueSatisfying(info -> {
        assertThat(info.turns()).isEqualTo(2);
        assertThat(info.traps()).isZero();
        assertThat(info.mailboxDepth()).isZero();
        assertThat(info.suspendedCalls()).isZero();
      });
      assertThat(system.cyclesBalance(ActorId.of("waiter"))).as("two turn fees").isEqualTo(98L);
    }
  }

  @Test
  @DisplayName("R13 R12 a call whose Mono ends in the call's own turn while a search on another"
      + " thread fails it as deadlocked commits with its value: the failure, which arrived during"
      + " the turn, travels in a late signal that finds the call replied and runs no turn; it"
      + " never reaches the turn that is running")
  void aFailureElsewhereDuringTheTurnDoesNotTrapATurnThatEnded() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    List<String> ended = new CopyOnWriteArrayList<>();
    TurnListener listener = new TurnListener() {
      @Override
      public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
        ended.add(outcome.toString());
      }
    };
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("late")
        .scheduler(clock).listener(listener).build())) {
      Waiter waiter = system.spawn(Waiter.class, ActorId.of("waiter"), WaiterActor::new);
      Mono<Long> reply = waiter.endInTurnWhileFailedElsewhere();
      clock.runUntilIdle();

      assertThat(FAILED_ELSEWHERE.get()).as("the search took the subscription").isTrue();
      assertThat(clock.await(reply)).isEqualTo(7L);
      assertThat(ended).as("the first turn only").containsExactly("COMMITTED");
      assertThat(system.actor(ActorId.of("waiter"))).hasValueSatisfying(info -> {
        assertThat(info.turns()).isOne();
        assertThat(info.traps()).isZero();
        assertThat(info.mailboxDepth()).isZero();
        assertThat(info.suspendedCalls()).isZero();
      });
    }
  }
}

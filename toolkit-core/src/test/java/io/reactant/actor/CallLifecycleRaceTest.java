package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Interleavings of a call's lifecycle on two threads, each forced with latches (a listener that
 * holds a thread at a chosen point, a gate the test opens), so that the race is run, not hoped
 * for.
 */
class CallLifecycleRaceTest {

  static final ConcurrentHashMap<String, Mono<Long>> FUTURES = new ConcurrentHashMap<>();

  public interface Replier {
    /**
     * Starts an await of the future kept under {@code key} that does not decide the reply, and
     * rejects the call (code 4).
     */
    Mono<Long> rejectWhileAwaiting(String key);
  }

  public interface Waiter {
    /**
     * Awaits {@code gate}, then, in its continuation, the future kept under {@code key}: itself,
     * or a {@code map} of it when {@code wrapped}.
     */
    Mono<Long> awaitAfter(Mono<Void> gate, String key, boolean wrapped);
  }

  static final class ReplierActor extends Actor implements Replier {
    @Override
    public Mono<Long> rejectWhileAwaiting(String key) {
      await(FUTURES.get(key)).subscribe(v -> { }, e -> { });
      return Mono.error(new CallError(RejectCode.CANISTER_REJECT, "no, thanks"));
    }
  }

  static final class WaiterActor extends Actor implements Waiter {
    @Override
    public Mono<Long> awaitAfter(Mono<Void> gate, String key, boolean wrapped) {
      return await(gate).then(Mono.defer(() -> {
        Mono<Long> future = FUTURES.get(key);
        return await(wrapped ? future.map(v -> v + 1) : future);
      }));
    }
  }

  @ParameterizedTest(name = "awaited through a map: {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("R13 awaiting the future of a call whose reply is being published on another"
      + " thread (settled, its subscribers not yet told), itself or through a map, is no deadlock,"
      + " though that call still awaits the awaiting call's own future: the await gets the reply")
  void awaitingAReplyBeingPublishedIsNoDeadlock(boolean wrapped) throws Exception {
    FUTURES.clear();
    CountDownLatch replying = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    AtomicInteger waiterTurns = new AtomicInteger();
    CountDownLatch continuationEnded = new CountDownLatch(1);
    TurnListener listener = new TurnListener() {
      @Override
      public void callRejected(ActorId actor, String method, RejectCode code) {
        if (method.equals("rejectWhileAwaiting")) {
          // the reply's future is settled and its subscribers not told yet: hold it there
          replying.countDown();
          try {
            proceed.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
        if (type == Waiter.class && waiterTurns.incrementAndGet() == 2) {
          continuationEnded.countDown();
        }
      }
    };
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder()
        .name("reply-being-published").parallelism(2).listener(listener).build())) {
      Replier replier = system.spawn(Replier.class, ReplierActor::new);
      Waiter waiter = system.spawn(Waiter.class, WaiterActor::new);
      Sinks.Empty<Void> gate = Sinks.empty();
      Mono<Long> waiting = waiter.awaitAfter(gate.asMono(), "replier", wrapped);
      FUTURES.put("waiter", waiting);
      Mono<Long> rejected = replier.rejectWhileAwaiting("waiter");
      FUTURES.put("replier", rejected);
      try {
        assertThat(replying.await(30, TimeUnit.SECONDS)).as("the replier's reply began").isTrue();
        // the waiter's continuation awaits the replier's future, on the pool's other thread,
        // while the replier's thread is held inside that future's completion
        gate.tryEmitEmpty();
        assertThat(continuationEnded.await(30, TimeUnit.SECONDS))
            .as("the waiter's continuation ran while the reply was being published").isTrue();
      } finally {
        proceed.countDown();
      }
      assertThatThrownBy(() -> rejected.block(Duration.ofSeconds(30)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT));
      assertThatThrownBy(() -> waiting.block(Duration.ofSeconds(30)))
          .as("the waiter gets the replier's reject, not a deadlock")
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.rejectMessage()).doesNotContain("deadlock").contains("no, thanks");
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          });
    } finally {
      FUTURES.clear();
    }
  }
}

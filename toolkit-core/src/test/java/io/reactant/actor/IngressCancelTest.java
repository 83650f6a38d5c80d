package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.call.CallOptions;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * An ingress caller that cancels its subscription to a call's future, at each point of the call's
 * life: the call is a message, sent once and run once whatever its subscribers do (rule R3).
 */
class IngressCancelTest {

  /** Where the caller's subscription is cancelled. */
  enum Point {
    /** Before the callee took the call out of its mailbox. */
    QUEUED,
    /** In the callee's first turn of the call. */
    RUNNING,
    /** While the call awaits another actor's reply (from the other actor's turn). */
    AWAITING,
    /** After the call committed its last turn and replied. */
    REPLIED
  }

  /** Holds the subscription to cancel, which the actors cancel at their point. */
  static final AtomicReference<Disposable> SUBSCRIPTION = new AtomicReference<>();

  static void cancelAt(Point point, Point here) {
    if (point == here) {
      SUBSCRIPTION.get().dispose();
    }
  }

  public interface Counter {
    /** Counts, awaits {@code other.bump}, counts again; answers its count. */
    Mono<Long> bumpAfter(Counter other, Point cancelAt);

    Mono<Long> bump(Point cancelAt);

    @Query
    Mono<Long> count();
  }

  @MailboxCapacity(1)
  static final class CounterActor extends Actor implements Counter {
    private final LongVar count = newLongVar("count", 0);

    @Override
    public Mono<Long> bumpAfter(Counter other, Point cancelAt) {
      count.add(1);
      cancelAt(cancelAt, Point.RUNNING);
      return await(other.bump(cancelAt)).map(theirs -> count.add(1));
    }

    @Override
    public Mono<Long> bump(Point cancelAt) {
      cancelAt(cancelAt, Point.AWAITING);
      return Mono.just(count.add(1));
    }

    @Override
    public Mono<Long> count() {
      return Mono.just(count.get());
    }
  }

  @ParameterizedTest
  @EnumSource(Point.class)
  @DisplayName("R3 R22 an ingress caller that cancels its subscription (call queued, running,"
      + " awaiting, replied) leaves the call to run once: its effects happen once, its future"
      + " answers another subscriber, the bounded mailboxes keep their place, the bounded wait"
      + " ends with the call, and the shutdown has nothing to wait for")
  void aCancelledSubscriptionLeavesTheCallToRunOnce(Point point) {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Counter a = system.spawn(Counter.class, ActorId.of("a"), CounterActor::new);
    Counter b = system.spawn(Counter.class, ActorId.of("b"), CounterActor::new);
    List<Long> heard = new ArrayList<>();

    Mono<Long> call = CallOptions.timeout(Duration.ofMinutes(1)).on(a).bumpAfter(b, point);
    SUBSCRIPTION.set(call.subscribe(heard::add));
    cancelAt(point, Point.QUEUED);
    scheduler.runUntilIdle();
    cancelAt(point, Point.REPLIED);

    assertThat(heard).as("the cancelled subscriber").hasSize(point == Point.REPLIED ? 1 : 0);
    assertThat(scheduler.await(call)).as("another subscriber").isEqualTo(2L);
    assertThat(scheduler.await(a.count())).isEqualTo(2L);
    assertThat(scheduler.await(b.count())).isEqualTo(1L);
    assertThat(scheduler.await(a.bumpAfter(b, point))).as("a's one place is free").isEqualTo(4L);
    assertThat(system.actors()).allSatisfy(info -> {
      assertThat(info.mailboxDepth()).isZero();
      assertThat(info.suspendedCalls()).isZero();
    });
    assertThat(scheduler.delayedTasks()).as("no bounded wait left").isZero();
    Mono<Void> down = system.shutdown(Duration.ofMinutes(1));
    assertThat(down.toFuture()).as("nothing in flight").isCompleted();
  }
}

package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.TimerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A delayed task disposed before it falls due on the {@link DeterministicScheduler} (a cancelled
 * timer, the bounded wait of a call answered in time) leaves its queue, as the pool's timer drops
 * a cancelled task ({@code setRemoveOnCancelPolicy}): a long test that resets a timer at every
 * message, or makes many bounded calls, does not keep every one of them (and what it holds: the
 * call, its arguments, the job) until its time comes.
 */
class DisposedTasksLeaveTheQueueTest {

  /** At most this many entries for a handful of live tasks: a purge's threshold, with room. */
  private static final int FEW = 4_096;

  @Test
  @DisplayName("R25 100,000 delayed tasks disposed before they fall due, one-shot and periodic,"
      + " leave the queue while the test runs: it keeps a few thousand entries at most, and the"
      + " tasks still live run when due, in order")
  void disposedDelayedTasksLeaveTheQueue() {
    DeterministicScheduler scheduler = DeterministicScheduler.withSeed(5);
    List<String> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add("kept 1h"), 1, TimeUnit.HOURS);
    for (int i = 0; i < 100_000; i++) {
      scheduler.schedule(() -> ran.add("cancelled"), 30, TimeUnit.MINUTES).dispose();
      if (i % 10 == 0) {
        scheduler.schedulePeriodically(() -> ran.add("cancelled every"), 1, 1, TimeUnit.MINUTES)
            .dispose();
      }
      assertThat(scheduler.queuedDelayedTasks()).as("entries after %d tasks", i + 1)
          .isLessThan(FEW);
    }
    scheduler.schedule(() -> ran.add("kept 2h"), 2, TimeUnit.HOURS);
    assertThat(scheduler.delayedTasks()).isEqualTo(2);

    scheduler.advanceTimeBy(Duration.ofHours(3));
    assertThat(ran).containsExactly("kept 1h", "kept 2h");
  }

  public interface Debouncer {
    /** Cancels the last idle timer and sets a new one, an hour away; then calls {@code peer}. */
    Mono<Long> touch(Debouncer peer);

    Mono<Long> ping();
  }

  static final class DebouncerActor extends Actor implements Debouncer {
    private TimerId idle; // a field, not state: the test only counts what the scheduler keeps

    @Override
    public Mono<Long> touch(Debouncer peer) {
      if (idle != null) {
        cancelTimer(idle);
      }
      idle = setTimer(Duration.ofHours(1), Actor::done);
      return await(peer.ping());
    }

    @Override
    public Mono<Long> ping() {
      return Mono.just(1L);
    }
  }

  @Test
  @DisplayName("R22 R25 an actor that resets an idle timer at each of 20,000 messages, and makes a"
      + " bounded call at each, leaves the virtual clock's queue with its live timer and a few"
      + " entries, not one per cancelled timer and per answered call's bound")
  void anActorResettingItsTimerDoesNotFillTheQueue() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("debounce")
        .scheduler(scheduler).defaultCallTimeout(Duration.ofMinutes(30)).build())) {
      Debouncer debouncer = system.spawn(Debouncer.class, DebouncerActor::new);
      Debouncer peer = system.spawn(Debouncer.class, DebouncerActor::new);
      for (int i = 0; i < 20_000; i++) {
        scheduler.await(debouncer.touch(peer));
      }
      assertThat(scheduler.delayedTasks()).as("the live idle timer").isOne();
      assertThat(scheduler.queuedDelayedTasks()).as("entries").isLessThan(FEW);
    }
  }
}

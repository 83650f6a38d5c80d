package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorRefs;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A failure of the runtime itself between two envelopes (not a trap: those are turns that end)
 * costs the actor nothing but that envelope: its task must not end exceptionally, or the pool
 * would never run the actor again and every call waiting in its mailbox would wait forever.
 */
class RunFailureTest {

  /** An envelope that fails, and whose description fails too: it escapes the envelope's guard. */
  static final class Broken extends Envelope {
    final AtomicInteger executed = new AtomicInteger();

    @Override
    void execute(ActorCell cell) {
      executed.incrementAndGet();
      throw new IllegalStateException("broken envelope");
    }

    @Override
    void abandon(RejectCode code, String message) {
      throw new IllegalStateException("broken envelope");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("a description that fails");
    }
  }

  @Test
  @DisplayName("R3 a failure of the runtime between envelopes loses neither the envelopes taken"
      + " with it nor those pushed later, in order")
  void failureBetweenEnvelopesKeepsTheActorRunning() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    ActorRuntime system = TestRuntimes.onClock(clock, "run-failure");
    LongCounter counter = system.spawn(LongCounter.class, LongCounter.Impl::new);
    clock.runUntilIdle();
    ActorCell cell = system.find(ActorRefs.idOf(counter));
    assertThat(cell).isNotNull();

    Broken first = new Broken();
    cell.enqueueSystem(first);
    List<AtomicReference<Object>> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(outcome(counter.bump())); // taken in the same batch as the broken envelope
    }
    clock.runUntilIdle();
    assertThat(first.executed).hasValue(1);
    assertThat(answers).extracting(AtomicReference::get).containsExactly(1L, 2L, 3L);
    assertThat(cell.isMailboxEmpty()).isTrue();

    Broken last = new Broken(); // alone in its batch: the actor goes idle after it
    cell.enqueueSystem(last);
    clock.runUntilIdle();
    assertThat(last.executed).hasValue(1);
    AtomicReference<Object> after = outcome(counter.bump());
    clock.runUntilIdle();
    assertThat(after.get()).as("the actor is scheduled again by its next message").isEqualTo(4L);
    system.close();
  }

  @Test
  @DisplayName("R3 a failure of the runtime between envelopes on the shared pool keeps the actor"
      + " serving every later call")
  void failureOnThePoolKeepsTheActorServing() {
    ActorRuntime system = (ActorRuntime) ActorSystem.create(
        ActorSystemConfig.builder().name("run-failure-pool").parallelism(2).build());
    try {
      LongCounter counter = system.spawn(LongCounter.class, LongCounter.Impl::new);
      ActorCell cell = system.find(ActorRefs.idOf(counter));
      assertThat(cell).isNotNull();
      List<Mono<Long>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        if (i % 20 == 0) {
          cell.enqueueSystem(new Broken());
        }
        calls.add(counter.bump());
      }
      long sum = 0;
      for (Mono<Long> call : calls) {
        sum += call.block(java.time.Duration.ofSeconds(30));
      }
      assertThat(sum).as("each of 1..200 once").isEqualTo(200L * 201 / 2);
    } finally {
      system.close();
    }
  }

  private static AtomicReference<Object> outcome(Mono<?> f) {
    AtomicReference<Object> result = new AtomicReference<>();
    f.subscribe(result::set, result::set);
    return result;
  }
}

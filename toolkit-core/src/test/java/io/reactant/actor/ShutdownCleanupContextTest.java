package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Where and in what context the end of a grace period runs the cleanup ({@code doOnCancel},
 * {@code doFinally}) of what a suspended call awaited: on the thread that ends the grace period,
 * which takes the idle actor as a pool thread would, in the actor's context and in the context
 * the call carried from its sender (as every turn of the call, and the cleanup of a trapped
 * call, run).
 */
class ShutdownCleanupContextTest {

  public interface Holder {
    /** Counts the call, awaits {@code gate}; its cleanup records what it saw. */
    Mono<String> hold(Mono<String> gate);
  }

  /** What the cleanup saw. */
  record Seen(Thread thread, @Nullable String trace, long holds) {
  }

  static final class HolderActor extends Actor implements Holder {
    private final LongVar holds = newLongVar("holds", 0);
    private final AtomicReference<Seen> seen;

    HolderActor(AtomicReference<Seen> seen) {
      this.seen = seen;
    }

    @Override
    public Mono<String> hold(Mono<String> gate) {
      holds.add(1);
      return await(gate.doOnCancel(() -> {
        holds.add(100); // rolled back: the cleanup changes nothing
        seen.set(new Seen(Thread.currentThread(), ContextPropagationTest.TRACE.get(), holds.get()));
      }));
    }
  }

  private static ActorSystem system(DeterministicScheduler scheduler) {
    return ActorSystem.create(ActorSystemConfig.builder().name("cleanup").scheduler(scheduler)
        .contextPropagation(new ContextPropagationTest.FakePropagation(true)).build());
  }

  @Test
  @DisplayName("R13 the cleanup the end of the grace period runs for a suspended call sees the context"
      + " the call carried from its sender, not the context of the thread that ends the grace"
      + " period")
  void theCleanupAtTheEndOfTheGracePeriodSeesTheCallersContext() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = system(scheduler);
    AtomicReference<Seen> seen = new AtomicReference<>();
    Holder holder = system.spawn(Holder.class, () -> new HolderActor(seen));
    ContextPropagationTest.TRACE.set("alice");
    try {
      holder.hold(Sinks.<String>one().asMono()).subscribe(v -> { }, e -> { });
    } finally {
      ContextPropagationTest.TRACE.remove();
    }
    scheduler.runUntilIdle();
    ContextPropagationTest.TRACE.set("host");
    try {
      system.shutdown(Duration.ofSeconds(1));
      scheduler.advanceTimeBy(Duration.ofSeconds(1));
      assertThat(seen.get()).isNotNull();
      assertThat(seen.get().trace()).isEqualTo("alice");
      assertThat(ContextPropagationTest.TRACE.get()).as("the host's own, put back").isEqualTo("host");
    } finally {
      ContextPropagationTest.TRACE.remove();
    }
  }

  @Test
  @DisplayName("R13 R22 when the scheduler refuses the grace timer, the thread calling shutdown() ends"
      + " the grace period: it takes the idle actor and runs the cleanup before shutdown() returns,"
      + " in the actor's context (it reads the state; its write is rolled back) and the call's")
  void aRefusedGraceTimerRunsTheCleanupOnTheCallersThreadInTheActorsContext() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = system(scheduler);
    AtomicReference<Seen> seen = new AtomicReference<>();
    Holder holder = system.spawn(Holder.class, () -> new HolderActor(seen));
    ContextPropagationTest.TRACE.set("alice");
    try {
      holder.hold(Sinks.<String>one().asMono()).subscribe(v -> { }, e -> { });
    } finally {
      ContextPropagationTest.TRACE.remove();
    }
    scheduler.runUntilIdle();
    scheduler.dispose(); // the grace timer is refused

    system.shutdown(Duration.ofMinutes(1));

    assertThat(seen.get()).isNotNull();
    assertThat(seen.get().thread()).isSameAs(Thread.currentThread());
    assertThat(seen.get().holds()).as("the committed count, and the cleanup's own write").isEqualTo(101);
    assertThat(seen.get().trace()).isEqualTo("alice");
    assertThat(ContextPropagationTest.TRACE.get()).isNull();
  }
}

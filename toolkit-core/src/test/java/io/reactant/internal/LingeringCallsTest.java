package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorRefs;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * An actor keeps the calls answered already whose awaits are still pending (a oneway's) in a list
 * that a shutdown's end walks to cancel those awaits: a call leaves it as soon as nothing it
 * awaited is pending any more, however its awaits ended, so that the list holds no call for ever.
 */
class LingeringCallsTest {

  public interface Holder {
    /** A oneway: awaits {@code gate}, keeping the await's disposable in {@code handle}. */
    void hold(Mono<String> gate, AtomicReference<@Nullable Disposable> handle);

    /** A oneway: awaits {@code gate} and disposes that await in the same turn. */
    void holdAndLetGo(Mono<String> gate);

    /** A oneway: disposes what {@code handle} holds, in a turn of its own. */
    void letGo(AtomicReference<@Nullable Disposable> handle);
  }

  static final class HolderActor extends Actor implements Holder {
    @Override
    public void hold(Mono<String> gate, AtomicReference<@Nullable Disposable> handle) {
      handle.set(await(gate).subscribe());
    }

    @Override
    public void holdAndLetGo(Mono<String> gate) {
      await(gate).subscribe().dispose();
    }

    @Override
    public void letGo(AtomicReference<@Nullable Disposable> handle) {
      Disposable d = handle.get();
      if (d != null) {
        d.dispose();
      }
    }
  }

  @Test
  @DisplayName("R3 R13 a oneway lingers while its await is pending and leaves the list when the"
      + " await is delivered, disposed by another turn of the actor, or disposed from outside")
  void aLingeringOnewayLeavesTheListOnceNothingItAwaitedIsPending() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    ActorRuntime system = TestRuntimes.onClock(clock, "lingering");
    Holder holder = system.spawn(Holder.class, HolderActor::new);
    clock.runUntilIdle();
    ActorCell cell = system.find(ActorRefs.idOf(holder));
    assertThat(cell).isNotNull();
    Sinks.One<String> delivered = Sinks.one();
    Sinks.One<String> byATurn = Sinks.one();
    Sinks.One<String> fromOutside = Sinks.one();
    AtomicReference<@Nullable Disposable> turnHandle = new AtomicReference<>();
    AtomicReference<@Nullable Disposable> outsideHandle = new AtomicReference<>();
    holder.hold(delivered.asMono(), new AtomicReference<>());
    holder.hold(byATurn.asMono(), turnHandle);
    holder.hold(fromOutside.asMono(), outsideHandle);
    holder.holdAndLetGo(Sinks.<String>one().asMono());
    clock.runUntilIdle();
    assertThat(cell.lingeringCalls()).as("the one let go in its turn never lingered").isEqualTo(3);

    delivered.tryEmitValue("open");
    clock.runUntilIdle();
    assertThat(cell.lingeringCalls()).as("delivered").isEqualTo(2);

    holder.letGo(turnHandle);
    clock.runUntilIdle();
    assertThat(cell.lingeringCalls()).as("disposed by another turn").isEqualTo(1);
    assertThat(byATurn.currentSubscriberCount()).isZero();

    Disposable outside = outsideHandle.get();
    assertThat(outside).isNotNull();
    outside.dispose();
    clock.runUntilIdle();
    assertThat(cell.lingeringCalls()).as("disposed from outside").isZero();
    assertThat(fromOutside.currentSubscriberCount()).isZero();
    system.close();
  }
}

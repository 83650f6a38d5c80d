package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.Computation;
import io.reactant.error.IsolationException;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * What {@link Actor}'s class documentation promises of its methods called outside the actor's
 * own turns: the object leaked out of its factory, used from the test's thread.
 */
class ActorMethodsIsolationContractTest {

  public interface Leaky {
    Mono<Integer> declareLate();
  }

  static final class LeakyActor extends Actor implements Leaky {
    final Var<Integer> value = newVar("value", 7);

    @Override
    public Mono<Integer> declareLate() {
      return Mono.just(newVar("late", 1).get());
    }
  }

  @Test
  @DisplayName("R1 R17 outside its turns an actor's methods throw IsolationException at once;"
      + " actorId, creator and timeNow answer; await and awaitIfReady fail when subscribed;"
      + " awaitStar runs its computation, whose state reads throw")
  void actorMethodsOutsideTheActor() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      AtomicReference<LeakyActor> leaked = new AtomicReference<>();
      system.spawn(Leaky.class, ActorId.of("leaky"), () -> {
        LeakyActor a = new LeakyActor();
        leaked.set(a);
        return a;
      });
      LeakyActor actor = leaked.get();

      assertThat(actor.actorId()).isEqualTo(ActorId.of("leaky"));
      assertThat(actor.creator()).isEqualTo(Caller.anonymous());
      scheduler.advanceTimeBy(java.time.Duration.ofSeconds(5));
      assertThat(actor.timeNow()).isEqualTo(java.time.Instant.EPOCH.plusSeconds(5));

      assertThatThrownBy(actor::caller).isInstanceOf(IsolationException.class);
      assertThatThrownBy(actor::cyclesBalance).isInstanceOf(IsolationException.class);
      assertThatThrownBy(actor::cyclesAvailable).isInstanceOf(IsolationException.class);
      assertThatThrownBy(() -> actor.acceptCycles(1)).isInstanceOf(IsolationException.class);
      assertThatThrownBy(actor::cyclesRefunded).isInstanceOf(IsolationException.class);
      assertThatThrownBy(() -> actor.self(Leaky.class)).isInstanceOf(IsolationException.class);
      assertThatThrownBy(() -> actor.actorOf(Leaky.class, ActorId.of("x")))
          .isInstanceOf(IsolationException.class);
      assertThatThrownBy(() -> actor.actorOf(Leaky.class, "x"))
          .isInstanceOf(IsolationException.class);
      assertThatThrownBy(() -> actor.setTimer(Duration.ofSeconds(1), Mono::empty))
          .isInstanceOf(IsolationException.class);
      assertThatThrownBy(() -> actor.recurringTimer(Duration.ofSeconds(1), Mono::empty))
          .isInstanceOf(IsolationException.class);
      assertThatThrownBy(() -> actor.cancelTimer(new TimerId(1)))
          .isInstanceOf(IsolationException.class);
      assertThatThrownBy(() -> actor.spawn(ActorClass.of(Leaky.class, (Void v) -> new LeakyActor()),
          null)).isInstanceOf(IsolationException.class);

      Mono<Integer> await = actor.await(Mono.just(1));
      assertThatThrownBy(await::block).isInstanceOf(IsolationException.class);
      Mono<Integer> awaitIfReady = actor.awaitIfReady(Mono.just(1));
      assertThatThrownBy(awaitIfReady::block).isInstanceOf(IsolationException.class);

      assertThat(actor.awaitStar(() -> Mono.just(2)).block()).isEqualTo(2);
      Computation<Integer> readsState = () -> Mono.just(actor.value.get());
      assertThatThrownBy(() -> actor.awaitStar(readsState).block())
          .isInstanceOf(IsolationException.class);
    }
  }

  @Test
  @DisplayName("R1 state is declared only while the actor is constructed: later, in a turn or on"
      + " another thread, newVar, newLongVar and newMap throw IllegalStateException")
  void declaringStateLater() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      AtomicReference<LeakyActor> leaked = new AtomicReference<>();
      Leaky leaky = system.spawn(Leaky.class, () -> {
        LeakyActor a = new LeakyActor();
        leaked.set(a);
        return a;
      });
      LeakyActor actor = leaked.get();
      assertThatThrownBy(() -> actor.newVar("x", 1)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> actor.newLongVar("y", 1)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> actor.newMap("z")).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> scheduler.await(leaky.declareLate()))
          .hasMessageContaining("IllegalStateException");
    }
  }
}

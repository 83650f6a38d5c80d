package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The hook that makes an exception Reactor drops in a method's {@code Mono} trap the
 * turn it is thrown in: it must be a turn of the actor whose method it is.
 */
class DroppedErrorTest {

  public interface Waiter {
    /** Answers when {@code gate} emits; its cleanup then dereferences null (a bug of this actor). */
    Mono<String> waitFor(Sinks.One<String> gate);
  }

  public interface Opener {
    Mono<Long> open(Sinks.One<String> gate);

    @Query
    Mono<Long> opened();
  }

  static final class WaiterActor extends Actor implements Waiter {
    @Override
    public Mono<String> waitFor(Sinks.One<String> gate) {
      return gate.asMono().doFinally(signal -> {
        String missing = null;
        missing.length();
      });
    }
  }

  static final class OpenerActor extends Actor implements Opener {
    private final LongVar opened = newLongVar("opened", 0);

    @Override
    public Mono<Long> open(Sinks.One<String> gate) {
      opened.add(1);
      gate.tryEmitValue("open");
      return Mono.just(opened.get());
    }

    @Override
    public Mono<Long> opened() {
      return Mono.just(opened.get());
    }
  }

  /** Both sides on one actor: a call waits on the gate, another call of the actor opens it. */
  public interface Door extends Opener, Waiter {
    /** Awaits {@code gate}; the awaited Mono's cleanup then dereferences null. */
    Mono<String> awaitGate(Sinks.One<String> gate);
  }

  static final class DoorActor extends Actor implements Door {
    private final LongVar opened = newLongVar("opened", 0);

    @Override
    public Mono<String> waitFor(Sinks.One<String> gate) {
      return gate.asMono().doFinally(signal -> {
        String missing = null;
        missing.length();
      });
    }

    @Override
    public Mono<String> awaitGate(Sinks.One<String> gate) {
      return await(gate.asMono().doFinally(signal -> {
        String missing = null;
        missing.length();
      })).map(v -> v + " after " + opened.get());
    }

    @Override
    public Mono<Long> open(Sinks.One<String> gate) {
      opened.add(1);
      gate.tryEmitValue("open");
      return Mono.just(opened.get());
    }

    @Override
    public Mono<Long> opened() {
      return Mono.just(opened.get());
    }
  }

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
    scheduler.runUntilIdle();
  }

  @Test
  @DisplayName("R12 an exception another actor's method Mono drops while this actor's turn runs"
      + " (a cleanup that the turn's emission reaches) does not trap this actor's turn")
  void anotherActorsDroppedErrorDoesNotTrapThisTurn() {
    Waiter waiter = system.spawn(Waiter.class, WaiterActor::new);
    Opener opener = system.spawn(Opener.class, OpenerActor::new);
    Sinks.One<String> gate = Sinks.one();
    Mono<String> waiting = waiter.waitFor(gate);
    scheduler.runUntilIdle();

    assertThat(scheduler.await(opener.open(gate))).isEqualTo(1L);
    assertThat(opener.opened().block()).isEqualTo(1L);
    assertThat(scheduler.await(waiting)).isEqualTo("open");
  }

  @Test
  @DisplayName("R12 an exception an awaited Mono's cleanup drops while another call of the same"
      + " actor runs (that call's turn emitted to the awaited sink) does not trap that other call")
  void droppedErrorOfAnAwaitDoesNotTrapAnotherCallOfTheActor() {
    Door door = system.spawn(Door.class, DoorActor::new);
    Sinks.One<String> gate = Sinks.one();
    Mono<String> waiting = door.awaitGate(gate);
    scheduler.runUntilIdle();

    assertThat(scheduler.await(door.open(gate))).isEqualTo(1L);
    assertThat(door.opened().block()).isEqualTo(1L);
    assertThat(scheduler.await(waiting)).isEqualTo("open after 1");
  }

  @Test
  @DisplayName("R12 an exception a method's Mono drops while another call of the same actor runs"
      + " (that call's turn emitted to the sink it waits on) does not trap that other call")
  void droppedErrorOfAMethodMonoDoesNotTrapAnotherCallOfTheActor() {
    Door door = system.spawn(Door.class, DoorActor::new);
    Sinks.One<String> gate = Sinks.one();
    Mono<String> waiting = door.waitFor(gate);
    scheduler.runUntilIdle();

    assertThat(scheduler.await(door.open(gate))).isEqualTo(1L);
    assertThat(door.opened().block()).isEqualTo(1L);
    assertThat(scheduler.await(waiting)).isEqualTo("open");
  }
}

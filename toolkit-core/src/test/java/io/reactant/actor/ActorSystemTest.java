package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The actor system itself: spawning, lookups, configuration, monitoring. */
class ActorSystemTest {

  public interface Greeter {
    Mono<String> greet(String name);

    Mono<String> fail();
  }

  static final class GreeterActor extends Actor implements Greeter {
    private final Var<Integer> greetings = newVar("greetings", 0);

    @Override
    public Mono<String> greet(String name) {
      greetings.update(g -> g + 1);
      return Mono.just("hello " + name + " #" + greetings.get());
    }

    @Override
    public Mono<String> fail() {
      return trap("nope");
    }
  }

  public interface NotAnActorType {
    String greet(String name);
  }

  @Test
  @DisplayName("an interface whose methods do not return Mono is refused with the reason")
  void invalidInterfaceIsRefused() {
    try (ActorSystem system = ActorSystem.create()) {
      assertThatThrownBy(() -> system.lookup(NotAnActorType.class, ActorId.of("x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("greet() returns String (a shared method returns Mono<T>, or void for a oneway)");
      assertThatThrownBy(() -> system.lookup(GreeterActor.class, ActorId.of("x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be an interface");
    }
  }

  @Test
  @DisplayName("spawning the same id twice is refused; spawnIfAbsent returns the existing actor")
  void duplicateIds() {
    try (ActorSystem system = ActorSystem.create()) {
      Greeter g = system.spawn(Greeter.class, ActorId.of("g"), GreeterActor::new);
      assertThatThrownBy(() -> system.spawn(Greeter.class, ActorId.of("g"), GreeterActor::new))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'g' already exists");
      g.greet("a").block();
      Greeter again = system.spawnIfAbsent(Greeter.class, ActorId.of("g"), GreeterActor::new);
      assertThat(again.greet("b").block()).isEqualTo("hello b #2");
    }
  }

  @Test
  @DisplayName("spawnIfAbsent under contention activates exactly one actor per id")
  void spawnIfAbsentUnderContention() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      int threads = 8;
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Thread> racers = new ArrayList<>();
      ConcurrentHashMap<String, Boolean> greetings = new ConcurrentHashMap<>();
      for (int t = 0; t < threads; t++) {
        Thread racer = new Thread(() -> {
          try {
            start.await();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          for (int i = 0; i < 200; i++) {
            Greeter g = system.spawnIfAbsent(Greeter.class, ActorId.of("v-" + i), GreeterActor::new);
            greetings.put(g.greet("x").block(), true);
          }
        });
        racers.add(racer);
        racer.start();
      }
      for (Thread racer : racers) {
        racer.join();
      }
      assertThat(system.actorIds()).hasSize(200);
      // each actor numbered its greetings 1..8 exactly once: one instance per id
      assertThat(greetings).hasSize(8);
    }
  }

  @Test
  @DisplayName("the listener hears every turn and every failed call with its code")
  void listenerHearsTurnsAndRejects() {
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger trapped = new AtomicInteger();
    ConcurrentHashMap<RejectCode, AtomicInteger> rejects = new ConcurrentHashMap<>();
    TurnListener listener = new TurnListener() {
      @Override
      public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
        assertThat(durationNanos).isNotNegative();
        (outcome == Outcome.COMMITTED ? committed : trapped).incrementAndGet();
      }

      @Override
      public void callRejected(ActorId actor, String method, RejectCode code) {
        rejects.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
      }
    };
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().listener(listener).build())) {
      Greeter g = system.spawn(Greeter.class, GreeterActor::new);
      g.greet("a").block();
      assertThatThrownBy(() -> g.fail().block()).isInstanceOf(CallError.class);
      Greeter ghost = system.lookup(Greeter.class, ActorId.of("ghost"));
      assertThatThrownBy(() -> ghost.greet("b").block()).isInstanceOf(CallError.class);
      assertThat(committed).hasValue(1);
      assertThat(trapped).hasValue(1);
      assertThat(rejects.get(RejectCode.CANISTER_ERROR)).hasValue(1);
      assertThat(rejects.get(RejectCode.DESTINATION_INVALID)).hasValue(1);
      assertThat(system.actors()).singleElement().satisfies(info -> {
        assertThat(info.turns()).isEqualTo(2);
        assertThat(info.traps()).isEqualTo(1);
        assertThat(info.mailboxDepth()).isZero();
        assertThat(info.type()).isEqualTo(Greeter.class);
      });
    }
  }

  @Test
  @DisplayName("configuration values are validated with a clear message")
  void configurationIsValidated() {
    assertThatThrownBy(() -> ActorSystemConfig.builder().parallelism(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelism");
    assertThatThrownBy(() -> ActorSystemConfig.builder().turnsPerScheduling(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("turnsPerScheduling");
    assertThatThrownBy(() -> ActorSystemConfig.builder().name(" "))
        .isInstanceOf(IllegalArgumentException.class);
    ActorSystemConfig config = ActorSystemConfig.builder().name("n").parallelism(3).turnsPerScheduling(5).build();
    assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
    assertThat(config.parallelism()).isEqualTo(3);
  }

  @Test
  @DisplayName("a factory that does not build a new actor is refused")
  void factoryMustBuildAnActor() {
    try (ActorSystem system = ActorSystem.create()) {
      assertThatThrownBy(() -> system.spawn(Greeter.class, () -> new Greeter() {
        @Override
        public Mono<String> greet(String name) {
          return Mono.just(name);
        }

        @Override
        public Mono<String> fail() {
          return Mono.empty();
        }
      })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subclass of io.reactant.actor.Actor");
      assertThat(system.actorIds()).isEmpty();
    }
  }
}

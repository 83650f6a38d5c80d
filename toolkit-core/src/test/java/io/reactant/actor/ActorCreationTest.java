package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.ActorSystemTest.Greeter;
import io.reactant.actor.ActorSystemTest.GreeterActor;
import io.reactant.error.CallError;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Creating actors one after the other on the same thread: a thread reuses one initializer context
 * for every actor it creates, and nothing of one creation may reach the next.
 */
class ActorCreationTest {

  private static final AtomicInteger FIRED = new AtomicInteger();

  /** Declares {@code x}, sets a timer, then traps if its argument says so. */
  static final class TimedActor extends Actor implements Greeter {
    private final Var<Integer> x = newVar("x", 1);

    TimedActor(boolean trap) {
      setTimer(Duration.ofSeconds(1), () -> {
        FIRED.incrementAndGet();
        return Mono.empty();
      });
      if (trap) {
        trap("the initializer traps after declaring x and setting a timer");
      }
    }

    @Override
    public Mono<String> greet(String name) {
      return Mono.just(name + " " + x.get());
    }

    @Override
    public Mono<String> fail() {
      return trap("nope");
    }
  }

  @Test
  @DisplayName("R18 an initializer that traps leaves no state name and no timer to the next actor"
      + " created on the same thread")
  void aTrappedInitializerLeavesNothingToTheNextCreation() {
    FIRED.set(0);
    DeterministicScheduler clock = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(
        ActorSystemConfig.builder().name("creation").scheduler(clock).build())) {
      assertThatThrownBy(() -> system.spawn(Greeter.class, ActorId.of("bad"), () -> new TimedActor(true)))
          .isInstanceOf(CallError.class).hasMessageContaining("trapped in its initializer");

      Greeter good = system.spawn(Greeter.class, ActorId.of("good"), () -> new TimedActor(false));
      CompletableFuture<String> greeting = good.greet("x").toFuture();
      clock.advanceTimeBy(Duration.ofSeconds(5));

      assertThat(greeting).isCompletedWithValue("x 1");
      assertThat(FIRED).as("only the timer of the actor that exists fired").hasValue(1);
      assertThat(system.actorIds()).containsExactly(ActorId.of("good"));
    }
  }

  @Test
  @DisplayName("R1 a factory that returns an actor built earlier is refused, right after that actor's"
      + " own creation on the same thread")
  void aFactoryReturningAnEarlierActorIsRefusedAfterACreation() {
    try (ActorSystem system = ActorSystem.create()) {
      AtomicReference<GreeterActor> built = new AtomicReference<>();
      Greeter first = system.spawn(Greeter.class, () -> {
        GreeterActor g = new GreeterActor();
        built.set(g);
        return g;
      });

      assertThatThrownBy(() -> system.spawn(Greeter.class, built::get))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must construct and return a new actor");
      assertThat(system.actorCount()).isEqualTo(1);
      assertThat(first.greet("a").block(Duration.ofSeconds(5))).isEqualTo("hello a #1");
    }
  }

  @Test
  @DisplayName("R1 a factory that constructs a new actor but returns one built earlier is refused:"
      + " two actors never run their turns on one object")
  void aFactoryReturningAnEarlierActorBesidesANewOneIsRefused() {
    try (ActorSystem system = ActorSystem.create()) {
      AtomicReference<GreeterActor> built = new AtomicReference<>();
      Greeter first = system.spawn(Greeter.class, () -> {
        GreeterActor g = new GreeterActor();
        built.set(g);
        return g;
      });

      assertThatThrownBy(() -> system.spawn(Greeter.class, () -> {
        new GreeterActor(); // bound to the new actor, then dropped
        return built.get();
      })).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must construct and return a new actor");
      assertThatThrownBy(() -> system.spawn(Greeter.class, () -> {
        new TimedActor(false); // another class of actor, bound to the new actor
        return built.get();
      })).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the one it constructed");
      assertThat(system.actorCount()).isEqualTo(1);
      assertThat(first.greet("a").block(Duration.ofSeconds(5))).isEqualTo("hello a #1");
    }
  }

  /** An actor a framework may advise: its methods can be overridden by a subclass proxy. */
  static class AdvisableGreeter extends Actor implements Greeter {
    private final Var<Integer> greetings = newVar("greetings", 0);

    @Override
    public Mono<String> greet(String name) {
      return Mono.just(name + " #" + greetings.update(g -> g + 1));
    }

    @Override
    public Mono<String> fail() {
      return trap("nope");
    }
  }

  /**
   * What Spring's class-based proxy of a bean is: a subclass, allocated without running any
   * constructor (Objenesis), that delegates to the instance the bean factory constructed.
   */
  static final class AdvisedGreeterProxy extends AdvisableGreeter {
    private AdvisableGreeter target;

    private AdvisedGreeterProxy() {
      throw new AssertionError("allocated without a constructor, as Objenesis does");
    }

    @Override
    public Mono<String> greet(String name) {
      return target.greet(name).map(g -> "advised " + g);
    }

    @Override
    public Mono<String> fail() {
      return target.fail();
    }

    static AdvisedGreeterProxy of(AdvisableGreeter target) throws ReflectiveOperationException {
      java.lang.reflect.Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      theUnsafe.setAccessible(true);
      sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
      AdvisedGreeterProxy proxy =
          (AdvisedGreeterProxy) unsafe.allocateInstance(AdvisedGreeterProxy.class);
      proxy.target = target;
      return proxy;
    }
  }

  @Test
  @DisplayName("R1 a factory may return a subclass proxy of the actor it constructed (as Spring"
      + " advises a bean), whose Actor constructor never ran: the proxy's methods run the turns, the"
      + " instance's state answers")
  void aFactoryMayReturnASubclassProxyOfTheActorItConstructed() {
    try (ActorSystem system = ActorSystem.create()) {
      Greeter advised = system.spawn(Greeter.class, () -> {
        try {
          return AdvisedGreeterProxy.of(new AdvisableGreeter());
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      });

      assertThat(advised.greet("a").block(Duration.ofSeconds(5))).isEqualTo("advised a #1");
      assertThat(advised.greet("b").block(Duration.ofSeconds(5))).isEqualTo("advised b #2");
    }
  }

  /** A real subclass of an actor class, whose Actor constructor runs: not a proxy. */
  static final class LoudGreeter extends AdvisableGreeter {
    @Override
    public Mono<String> greet(String name) {
      return super.greet(name).map(g -> g + "!");
    }
  }

  @Test
  @DisplayName("R1 a factory that constructs a new actor but returns an earlier actor of a subclass"
      + " of its class is refused: only a proxy whose Actor constructor never ran may stand in")
  void aFactoryReturningAnEarlierActorOfASubclassIsRefused() {
    try (ActorSystem system = ActorSystem.create()) {
      AtomicReference<LoudGreeter> built = new AtomicReference<>();
      Greeter first = system.spawn(Greeter.class, () -> {
        LoudGreeter g = new LoudGreeter();
        built.set(g);
        return g;
      });

      assertThatThrownBy(() -> system.spawn(Greeter.class, () -> {
        new AdvisableGreeter(); // bound to the new actor, then dropped
        return built.get(); // an object of a strict subclass, bound to the first actor
      })).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the one it constructed");
      assertThat(system.actorCount()).isEqualTo(1);
      assertThat(first.greet("a").block(Duration.ofSeconds(5))).isEqualTo("a #1!");
    }
  }

  @Test
  @DisplayName("R18 actors created one after the other on the same thread each declare their own"
      + " state")
  void consecutiveCreationsDeclareTheirOwnState() {
    try (ActorSystem system = ActorSystem.create()) {
      for (int i = 0; i < 100; i++) {
        Greeter g = i % 2 == 0
            ? system.spawn(Greeter.class, GreeterActor::new)
            : system.spawn(Greeter.class, () -> new TimedActor(false));
        assertThat(g.greet("n").block(Duration.ofSeconds(5)))
            .isEqualTo(i % 2 == 0 ? "hello n #1" : "n 1");
      }
      assertThat(system.actorCount()).isEqualTo(100);
    }
  }
}

package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.state.Var;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@code Actor} hands itself to the runtime once, as it is initialized: the binding of each new
 * instance to the actor being spawned, and the reader of an instance's cell with which the factory
 * check tells a proxy from an earlier actor (rule R1). Code that calls the internal side itself,
 * before or after, defeats neither.
 */
class ActorBindingTest {

  public interface Greeter {
    Mono<String> greet(String name);
  }

  public static class GreeterActor extends Actor implements Greeter {
    private final Var<Integer> greetings = newVar("greetings", 0);

    @Override
    public Mono<String> greet(String name) {
      return Mono.just(name + " #" + greetings.update(g -> g + 1));
    }
  }

  /** A real subclass, whose Actor constructor runs: never a stand-in for another actor. */
  public static final class LoudGreeter extends GreeterActor {
    @Override
    public Mono<String> greet(String name) {
      return super.greet(name).map(g -> g + "!");
    }
  }

  @Test
  @DisplayName("R1 a factory that asks the internal side for the binding of new actors, to bind an"
      + " earlier actor to the new one, is refused it, and returning the earlier actor is refused:"
      + " two actors never run their turns on one object")
  void aFactoryCannotBindAnEarlierActorItself() {
    try (ActorSystem system = ActorSystem.create()) {
      AtomicReference<GreeterActor> built = new AtomicReference<>();
      Greeter first = system.spawn(Greeter.class, () -> {
        GreeterActor g = new GreeterActor();
        built.set(g);
        return g;
      });
      assertThatThrownBy(() -> system.spawn(Greeter.class, () -> {
        ActorCell.actors(actor -> null).bind(built.get());
        return built.get();
      })).isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
        assertThat(e.getCause()).isInstanceOf(IllegalCallerException.class);
      });
      assertThatThrownBy(() -> system.spawn(Greeter.class, built::get))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must construct and return a new actor");
      assertThatThrownBy(() -> ActorCell.actors(actor -> null))
          .isInstanceOf(IllegalCallerException.class);
      assertThat(system.actorCount()).isEqualTo(1);
      assertThat(first.greet("a").block(Duration.ofSeconds(5))).isEqualTo("a #1");
    }
  }

  /** Run in a fresh copy of the toolkit's classes: see {@link #callingTheInternalSideFirst}. */
  public static final class FirstCaller {
    private FirstCaller() {
    }

    /** What the factory check answers after a reader of its own was installed first. */
    public static String run() {
      try {
        ActorCell.actors(actor -> null); // as if no Actor constructor ever ran
        return "not refused";
      } catch (IllegalCallerException refused) {
        // nothing installed
      }
      try (ActorSystem system = ActorSystem.create()) {
        AtomicReference<LoudGreeter> built = new AtomicReference<>();
        system.spawn(Greeter.class, () -> {
          LoudGreeter g = new LoudGreeter();
          built.set(g);
          return g;
        });
        try {
          system.spawn(Greeter.class, () -> {
            new GreeterActor(); // bound to the new actor, then dropped
            return built.get(); // an earlier actor of a strict subclass
          });
          return "accepted, " + system.actorCount() + " actors";
        } catch (IllegalArgumentException e) {
          return "refused, " + system.actorCount() + " actor";
        }
      }
    }
  }

  @Test
  @DisplayName("R1 code that calls the internal side before Actor is initialized does not take its"
      + " place: it is refused, and an earlier actor of a subclass is still refused as the new"
      + " actor's stand-in")
  void callingTheInternalSideFirst() throws Exception {
    String[] path = System.getProperty("java.class.path").split(File.pathSeparator);
    URL[] urls = new URL[path.length];
    for (int i = 0; i < path.length; i++) {
      urls[i] = new File(path[i]).toURI().toURL();
    }
    // the toolkit's classes afresh, none of them initialized
    try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(loader); // Reactor's service lookups find the fresh copies
      Object outcome;
      try {
        outcome = Class.forName(FirstCaller.class.getName(), true, loader)
            .getMethod("run").invoke(null);
      } finally {
        thread.setContextClassLoader(previous);
      }
      assertThat(outcome).isEqualTo("refused, 1 actor");
    }
  }
}

package io.reactant.spring.boot;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.Query;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.state.Var;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** Actors declared as beans, shared by the starter's tests. */
public final class TestActors {

  private TestActors() {
  }

  /** A bean the greeter gets injected. */
  public static final class Greetings {
    private final String prefix;

    public Greetings(String prefix) {
      this.prefix = prefix;
    }

    public String greet(String name) {
      return prefix + name;
    }
  }

  /**
   * Lets a test hold an actor inside a turn, to fill its mailbox, and answer the greeter's {@code
   * late()} query when it chooses.
   */
  public static final class Gate {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    final Sinks.One<String> late = Sinks.one();

    /** Fails the greeter's {@code late()} query, if it still waits, with {@code error}. */
    public void failLate(Throwable error) {
      late.tryEmitError(error);
    }

    /** Whether a {@code late()} query still waits for its answer. */
    public boolean lateAwaited() {
      return late.currentSubscriberCount() > 0;
    }

    public void awaitEntered() throws InterruptedException {
      if (!entered.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the actor never entered the gate");
      }
    }

    public void open() {
      open.countDown();
    }
  }

  /** A record argument and result. */
  public record Letter(String to, List<String> lines) {
  }

  /** An enum argument: a Candid variant. */
  public enum Shade { LIGHT, DARK }

  /** A record argument with an optional field and a primitive one. */
  public record Parcel(String to, Optional<String> note, long grams) {
  }

  public interface Greeter {
    Mono<String> greet(String name);

    @Query
    Mono<Long> greeted();

    Mono<Void> forget();

    void poke();

    @Query
    Mono<Long> pokes();

    Mono<String> whoCalls();

    @Query
    Mono<String> whoQueries();

    Mono<Void> refuse(String why);

    Mono<Integer> divide(int a, int b);

    Mono<Letter> echo(Letter letter);

    Mono<String> label(Parcel parcel);

    Mono<String> tune(byte level, Shade shade, float ratio, double weight);

    Mono<String> weigh(float[] ratios, double[] weights);

    Mono<List<ActorId>> pair(ActorId other);

    Mono<String> never();

    /** A query whose reply never comes. */
    @Query
    Mono<String> stuck();

    /** A query answered when the test says so ({@link Gate#failLate}). */
    @Query
    Mono<String> late();

    Mono<Void> hold();
  }

  @ActorBean
  public static final class GreeterActor extends Actor implements Greeter {
    private final Greetings greetings;
    private final Gate gate;
    private final Var<Long> greeted = newVar("greeted", 0L);
    private final Var<Long> pokes = newVar("pokes", 0L);

    public GreeterActor(Greetings greetings, Gate gate) {
      this.greetings = greetings;
      this.gate = gate;
    }

    @Override
    public Mono<String> greet(String name) {
      greeted.update(n -> n + 1);
      return Mono.just(greetings.greet(name));
    }

    @Override
    public Mono<Long> greeted() {
      return Mono.just(greeted.get());
    }

    @Override
    public Mono<Void> forget() {
      greeted.set(0L);
      return done();
    }

    @Override
    public void poke() {
      pokes.update(n -> n + 1);
    }

    @Override
    public Mono<Long> pokes() {
      return Mono.just(pokes.get());
    }

    @Override
    public Mono<String> whoCalls() {
      return Mono.just(caller().toString());
    }

    @Override
    public Mono<String> whoQueries() {
      return Mono.just(caller().toString());
    }

    @Override
    public Mono<Void> refuse(String why) {
      greeted.update(n -> n + 100);
      return reject(why);
    }

    @Override
    public Mono<Integer> divide(int a, int b) {
      greeted.update(n -> n + 1000);
      return Mono.just(a / b);
    }

    @Override
    public Mono<Letter> echo(Letter letter) {
      return Mono.just(letter);
    }

    @Override
    public Mono<String> label(Parcel parcel) {
      return Mono.just(parcel.to() + ", " + parcel.note().orElse("no note") + ", " + parcel.grams()
          + " g");
    }

    @Override
    public Mono<String> tune(byte level, Shade shade, float ratio, double weight) {
      return Mono.just(level + " " + shade + " " + ratio + " " + weight);
    }

    @Override
    public Mono<String> weigh(float[] ratios, double[] weights) {
      return Mono.just(java.util.Arrays.toString(ratios) + " " + java.util.Arrays.toString(weights));
    }

    @Override
    public Mono<List<ActorId>> pair(ActorId other) {
      return Mono.just(List.of(actorId(), other));
    }

    @Override
    public Mono<String> never() {
      return await(Mono.<String>never());
    }

    @Override
    public Mono<String> stuck() {
      return Mono.never();
    }

    @Override
    public Mono<String> late() {
      return gate.late.asMono();
    }

    @Override
    public Mono<Void> hold() {
      gate.entered.countDown();
      try {
        gate.open.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return done();
    }
  }

  public interface Counter {
    Mono<Long> bump();

    @Query
    Mono<Long> read();
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class CounterActor extends Actor implements Counter {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Long> bump() {
      return Mono.just(count.update(c -> c + 1));
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(count.get());
    }
  }

  public interface Note {
    @Query
    Mono<String> text();
  }

  @ActorBean(activation = Activation.EXPLICIT, name = "Memo")
  public static final class NoteActor extends Actor implements Note {
    private final Var<String> text;

    public NoteActor(String text) {
      this.text = newVar("text", text);
    }

    @Override
    public Mono<String> text() {
      return Mono.just(text.get());
    }
  }

  /** The greeter with the beans it needs: its {@link Greetings} ("Hi, ") and the {@link Gate}. */
  @Configuration(proxyBeanMethods = false)
  @Import(GreeterActor.class)
  public static class GreeterConfiguration {

    @Bean
    Greetings greetings() {
      return new Greetings("Hi, ");
    }

    @Bean
    Gate gate() {
      return new Gate();
    }
  }
}

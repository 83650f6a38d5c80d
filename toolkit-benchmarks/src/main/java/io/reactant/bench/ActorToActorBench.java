package io.reactant.bench;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.bench.support.Countdown;
import io.reactant.bench.support.Peers;
import io.reactant.state.Var;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import scala.reflect.ClassTag;
import scala.util.Try;

/**
 * Workload 3: actor-to-actor request-response. A driver actor makes {@value #ROUNDS} requests to
 * the head of a chain of {@code length} actors, one after the other, each waiting for its reply;
 * each actor of the chain but the last makes a request to the next one and waits for its reply
 * before replying. {@code length = 1} is a ping-pong between two actors (one request-response per
 * round); {@code length = 10} is a chain of 10 nested request-responses per round. The score is
 * rounds per second (round trips per second for the ping-pong, chains per second for 10). An
 * ingress call starts each invocation and the driver's reply ends it, amortized over the rounds:
 * that start and end (a parked pool thread woken by the ingress call, the benchmark thread woken
 * by the reply) cost ~35 us for Pekko and ~70 us for Reactant on the 2-core guest (Reactant's woken
 * benchmark thread waits for the pool thread's idle spin), which was 20 % of a 2,000-round
 * ping-pong invocation; with {@value #ROUNDS} rounds it is 2-3 %.
 *
 * <p>Rows: Reactant with {@code await} (each await is a commit point and its continuation a new
 * turn), its driver written with {@code Flux.range(..).concatMap(..)} ({@code reactantAwait}) or by
 * repeating one deferred await ({@code reactantAwaitRepeat}: same requests and turns, fewer Reactor
 * operators per round; it shows what the driver's operators cost, since Pekko's driver is a
 * hand-written loop); Pekko typed with the Scala-API {@code context.ask} (an ask whose response
 * is piped to the actor itself, with the callback run inline); Pekko typed with a plain
 * {@code tell} protocol (the request carries the reply-to reference; each actor keeps its pending
 * requesters in a queue), Pekko's cheapest request-response. Pekko's Java-API
 * {@code context.ask} is not a row: on 2 cores its callbacks start a thread each (see
 * docs/benchmarks.md).
 *
 * <p>Three forks, as for workload 2: the ratios to Pekko sit near the target (2x) and one JVM's
 * score differs from the next by more than its iterations do.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
public class ActorToActorBench {

  static final int ROUNDS = 20_000;

  // ---- Reactant actors

  /** An actor of the chain. */
  public interface Relay {
    /** The last actor counts and replies; the others ask the next one and add one. */
    Mono<Long> relay();
  }

  /** The driver. */
  public interface Driver {
    /** Makes {@code rounds} requests to the head of the chain, one after the other. */
    Mono<Void> run(int rounds);

    /** The same requests, made by repeating one await instead of a {@code concatMap}. */
    Mono<Void> repeat(int rounds);
  }

  static final class RelayActor extends Actor implements Relay {
    private final Relay next;
    private final Var<Long> hits = newVar("hits", 0L);

    RelayActor(Relay next) {
      this.next = next;
    }

    @Override
    public Mono<Long> relay() {
      if (next == null) {
        return Mono.just(hits.update(h -> h + 1));
      }
      return await(next.relay()).map(v -> v + 1);
    }
  }

  static final class DriverActor extends Actor implements Driver {
    private final Relay head;

    DriverActor(Relay head) {
      this.head = head;
    }

    @Override
    public Mono<Void> run(int rounds) {
      return Flux.range(0, rounds).concatMap(i -> await(head.relay())).then();
    }

    @Override
    public Mono<Void> repeat(int rounds) {
      return Mono.defer(() -> await(head.relay())).repeat(rounds - 1L).then();
    }
  }

  @State(Scope.Benchmark)
  public static class ReactantSide {
    @Param({"1", "10"})
    public int length;

    ActorSystem system;
    Driver driver;
    final Countdown done = new Countdown();

    @Setup(Level.Trial)
    public void start() {
      if (Boolean.getBoolean("bench.pollute")) {
        polluteProfiles();
      }
      system = Peers.reactant("bench-a2a");
      Relay next = null;
      for (int i = 0; i < length; i++) {
        Relay n = next;
        next = system.spawn(Relay.class, () -> new RelayActor(n));
      }
      Relay head = next;
      driver = system.spawn(Driver.class, () -> new DriverActor(head));
    }

    @TearDown(Level.Trial)
    public void stop() {
      Peers.close(system);
    }
  }

  /**
   * With {@code -Dbench.pollute=true}: before the actors start, runs Reactor's {@code concatMap} and
   * {@code map} over nine kinds of source, so that C2 compiles their type tests as in an application
   * (a test site that has seen many classes answers from the class's cache or scans; one that has
   * seen one class compares it). Used to measure what one more interface a class answers costs (the
   * twenty-first session in docs/benchmarks-history.md).
   */
  static void polluteProfiles() {
    List<Function<Integer, Publisher<Integer>>> shapes = List.of(
        i -> Mono.just(i), i -> Flux.just(i), i -> Mono.fromCallable(() -> i),
        i -> Mono.just(i).map(x -> x), i -> Flux.range(i, 1), i -> Mono.just(i).hide(),
        i -> Mono.fromSupplier(() -> i).filter(x -> true),
        i -> Mono.defer(() -> Mono.just(i)).map(x -> x),
        i -> Mono.fromCallable(() -> i).hide().map(x -> x + 1));
    long sum = 0;
    for (int round = 0; round < 40_000; round++) {
      Integer last = Flux.range(0, 4).concatMap(shapes.get(round % shapes.size())).map(x -> x + 1)
          .blockLast();
      sum += last == null ? 0 : last;
    }
    if (sum == 0) {
      throw new IllegalStateException("the shapes produced nothing");
    }
  }

  // ---- Pekko actors

  /** The protocol of Pekko's chain. */
  public interface Msg {
  }

  /** Starts the driver: {@code rounds} requests, then count {@code done} down. */
  public record Run(int rounds, Countdown done) implements Msg {
  }

  /** A request along the chain. */
  public record Request(ActorRef<Reply> replyTo) implements Msg {
  }

  /** A reply along the chain. */
  public record Reply(long value) implements Msg {
  }

  /** The response to a {@code context.ask}, piped to the asking actor. */
  public record Answered(ActorRef<Reply> replyTo, Try<Reply> result) implements Msg {
  }

  enum Variant { SCALA_ASK, TELL }

  private static final ClassTag<Reply> REPLY_TAG = ClassTag.apply(Reply.class);

  /** An actor of Pekko's chain, or its driver (when {@code rounds} are given by a {@link Run}). */
  static final class PekkoRelay extends AbstractBehavior<Msg> {
    private final Variant variant;
    private final ActorRef<Msg> next;
    private final ActorRef<Reply> self;
    private final Request forward;
    private final ArrayDeque<ActorRef<Reply>> pending = new ArrayDeque<>();
    private long hits;
    private int remaining;
    private Countdown done;

    PekkoRelay(ActorContext<Msg> context, Variant variant, ActorRef<Msg> next) {
      super(context);
      this.variant = variant;
      this.next = next;
      this.self = context.getSelf().narrow();
      this.forward = new Request(self);
    }

    static Behavior<Msg> create(Variant variant, ActorRef<Msg> next) {
      return Behaviors.setup(ctx -> new PekkoRelay(ctx, variant, next));
    }

    @Override
    public Receive<Msg> createReceive() {
      return newReceiveBuilder().onMessage(Msg.class, this::on).build();
    }

    private Behavior<Msg> on(Msg m) {
      if (m instanceof Request r) {
        if (next == null) {
          r.replyTo().tell(new Reply(++hits));
        } else {
          ask(r.replyTo());
        }
      } else if (m instanceof Answered a) {
        replied(a.replyTo(), a.result().get().value());
      } else if (m instanceof Reply r) {
        replied(pending.pollFirst(), r.value());
      } else if (m instanceof Run run) {
        remaining = run.rounds();
        done = run.done();
        ask(null);
      }
      return this;
    }

    /** Sends a request to the next actor, for {@code requester} (null: for the driver itself). */
    private void ask(ActorRef<Reply> requester) {
      if (variant == Variant.TELL) {
        if (requester != null) {
          pending.addLast(requester); // the driver's own requests have no requester
        }
        next.tell(forward);
      } else {
        getContext().asScala().<Msg, Reply>ask(next, Request::new,
            t -> new Answered(requester, t), Peers.ASK_TIMEOUT, REPLY_TAG);
      }
    }

    private void replied(ActorRef<Reply> requester, long value) {
      if (requester != null) {
        requester.tell(new Reply(value + 1));
      } else if (--remaining > 0) {
        ask(null);
      } else {
        done.countDown();
      }
    }
  }

  @State(Scope.Benchmark)
  public static class PekkoSide {
    /**
     * Pekko's dispatcher throughput: its default, and the value at which its {@code tell} runs
     * fastest here; the summary compares Reactant with the better row (see {@link Peers}).
     */
    @Param({"5", "100"})
    public int dispatcherThroughput;

    @Param({"1", "10"})
    public int length;

    org.apache.pekko.actor.typed.ActorSystem<Void> system;
    ActorRef<Msg> scalaAskDriver;
    ActorRef<Msg> tellDriver;
    final Countdown done = new Countdown();

    @Setup(Level.Trial)
    public void start() {
      system = Peers.pekko("bench-a2a", dispatcherThroughput);
      scalaAskDriver = chain(Variant.SCALA_ASK);
      tellDriver = chain(Variant.TELL);
    }

    private ActorRef<Msg> chain(Variant variant) {
      ActorRef<Msg> next = null;
      for (int i = 0; i < length; i++) {
        next = Peers.pekkoSpawn(system, PekkoRelay.create(variant, next), variant + "-relay-" + i);
      }
      return Peers.pekkoSpawn(system, PekkoRelay.create(variant, next), variant + "-driver");
    }

    @TearDown(Level.Trial)
    public void stop() {
      Peers.terminate(system);
    }
  }

  // ---- the rows

  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public void reactantAwait(ReactantSide s) {
    s.driver.run(ROUNDS).subscribe(s.done.reset(1));
    s.done.await();
  }

  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public void reactantAwaitRepeat(ReactantSide s) {
    s.driver.repeat(ROUNDS).subscribe(s.done.reset(1));
    s.done.await();
  }

  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public void pekkoScalaAsk(PekkoSide s) {
    s.scalaAskDriver.tell(new Run(ROUNDS, s.done.reset(1)));
    s.done.await();
  }

  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public void pekkoTell(PekkoSide s) {
    s.tellDriver.tell(new Run(ROUNDS, s.done.reset(1)));
    s.done.await();
  }
}

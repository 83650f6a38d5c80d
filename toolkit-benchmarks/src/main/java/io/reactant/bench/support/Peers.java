package io.reactant.bench.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.scaladsl.AskPattern;
import org.apache.pekko.util.Timeout;
import scala.Function1;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;

/**
 * How the benchmarks start the systems they compare, so that every benchmark configures them the
 * same way.
 *
 * <p>Both systems get the same number of threads: {@link #THREADS}, the number of cores unless the
 * system property {@code bench.threads} says otherwise. Reactant's default executor already has one
 * thread per core; Pekko's default dispatcher would start at least 8 (parallelism-min), so it is
 * set to the same count. Every other Pekko setting keeps its default (the fork-join executor,
 * the unbounded mailbox), but for the dispatcher's {@code throughput}: how many messages an actor
 * runs each time its mailbox is scheduled, 5 by default. The benchmarks run each Pekko row with
 * 5 and with {@value #TUNED_DISPATCHER_THROUGHPUT} (JMH param {@code dispatcherThroughput}) and
 * compare Reactant with the better of the two: Pekko's {@code tell} to many actors runs 1.3-1.7x
 * faster with 100, its request-response not (docs/benchmarks.md). Any other {@code pekko.*}
 * system property (through JMH's {@code -jvmArgsAppend}) overrides these settings.
 */
public final class Peers {

  /** Worker threads of each system under test. */
  public static final int THREADS =
      Integer.getInteger("bench.threads", Runtime.getRuntime().availableProcessors());

  /** Pekko's default dispatcher throughput: messages an actor runs per scheduling of its mailbox. */
  public static final int DEFAULT_DISPATCHER_THROUGHPUT = 5;

  /** The throughput at which Pekko's fire-and-forget runs fastest here (forty-second session). */
  public static final int TUNED_DISPATCHER_THROUGHPUT = 100;

  /** The timeout of every Pekko ask; never reached in a healthy run. */
  public static final Timeout ASK_TIMEOUT = Timeout.create(Duration.ofSeconds(30));

  private Peers() {
  }

  /** Starts a Reactant system with {@link #THREADS} threads on its default work-stealing pool. */
  public static ActorSystem reactant(String name) {
    return reactant(name, null);
  }

  /** As {@link #reactant(String)}, with {@code propagation} (null for none). */
  public static ActorSystem reactant(String name,
      io.reactant.actor.ContextPropagation propagation) {
    return ActorSystem.create(ActorSystemConfig.builder().name(name).parallelism(THREADS)
        .contextPropagation(propagation).build());
  }

  /**
   * Closes a system of {@link #reactant}, first printing how many times the runtime's watchdog
   * woke its pool during the trial (JDK 17's lost wake-ups: each one stalled some task for 10-20
   * ms, which a throughput row feels), when it did.
   */
  public static void close(ActorSystem system) {
    long wakes = system.poolWakeUps();
    if (wakes > 0) {
      System.out.println("[" + system.config().name() + "] pool wake-ups during the trial: " + wakes);
    }
    system.close();
  }

  /** The Pekko configuration of the benchmarks: defaults, with the thread count set. */
  public static Config pekkoConfig() {
    return pekkoConfig(DEFAULT_DISPATCHER_THROUGHPUT);
  }

  /**
   * As {@link #pekkoConfig()}, with the default dispatcher's {@code throughput} set to
   * {@code dispatcherThroughput}, over any system property: a row's param names what it ran.
   */
  public static Config pekkoConfig(int dispatcherThroughput) {
    if (dispatcherThroughput < 1) {
      throw new IllegalArgumentException("a dispatcher throughput of at least 1, not "
          + dispatcherThroughput);
    }
    Config throughput = ConfigFactory.parseString(
        "pekko.actor.default-dispatcher.throughput = " + dispatcherThroughput);
    return throughput.withFallback(pekkoDefaults());
  }

  private static Config pekkoDefaults() {
    Config ours = ConfigFactory.parseString(String.join("\n",
        "pekko.loglevel = WARNING",
        "pekko.stdout-loglevel = WARNING",
        "pekko.log-dead-letters = off",
        "pekko.log-dead-letters-during-shutdown = off",
        "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min = " + THREADS,
        "pekko.actor.default-dispatcher.fork-join-executor.parallelism-max = " + THREADS,
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
        "pekko.jvm-shutdown-hooks = off"));
    return ConfigFactory.systemProperties().withFallback(ours).withFallback(ConfigFactory.load());
  }

  /** Starts a Pekko typed system whose guardian is {@code guardian}. */
  public static <T> org.apache.pekko.actor.typed.ActorSystem<T> pekko(String name,
      Behavior<T> guardian) {
    return org.apache.pekko.actor.typed.ActorSystem.create(guardian, name, pekkoConfig());
  }

  /** Starts a Pekko typed system with an idle guardian, for actors made by {@link #pekkoSpawn}. */
  public static org.apache.pekko.actor.typed.ActorSystem<Void> pekko(String name) {
    return pekko(name, DEFAULT_DISPATCHER_THROUGHPUT);
  }

  /**
   * As {@link #pekko(String)}, its default dispatcher running {@code dispatcherThroughput}
   * messages of an actor per scheduling (see {@link #pekkoConfig(int)}).
   */
  public static org.apache.pekko.actor.typed.ActorSystem<Void> pekko(String name,
      int dispatcherThroughput) {
    return org.apache.pekko.actor.typed.ActorSystem.create(Behaviors.empty(), name,
        pekkoConfig(dispatcherThroughput));
  }

  /** Spawns a top-level actor from outside the system (synchronous, for setup only). */
  public static <T> ActorRef<T> pekkoSpawn(org.apache.pekko.actor.typed.ActorSystem<?> system,
      Behavior<T> behavior, String name) {
    return system.systemActorOf(behavior, name, org.apache.pekko.actor.typed.Props.empty());
  }

  /**
   * Pekko's Scala-API ask ({@code AskPattern.Askable.ask}): returns a Scala future, whose
   * callbacks the benchmarks run inline ({@link #inline()}), never on the JDK common pool (the
   * Java-API {@code CompletionStage} does, and on 2 cores that pool starts a thread per callback).
   */
  public static <Req, Res> Future<Res> ask(RecipientRef<Req> target,
      Function1<ActorRef<Res>, Req> request, Scheduler scheduler) {
    return new AskPattern.Askable<>(target).ask(request, ASK_TIMEOUT, scheduler);
  }

  /** Scala's parasitic execution context: callbacks run on the thread that completes the future. */
  public static ExecutionContext inline() {
    return ExecutionContext.parasitic$.MODULE$;
  }

  /** Waits for a Scala future (Scala's {@code Await.result}, which parks the caller). */
  public static <T> T await(Future<T> future) {
    try {
      return scala.concurrent.Await.result(future,
          scala.concurrent.duration.Duration.create(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("a Pekko future failed: " + e, e);
    }
  }

  /** Terminates a Pekko system and waits until it has. */
  public static void terminate(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Pekko did not terminate: " + e, e);
    }
  }
}

package io.reactant.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantMetricsAutoConfiguration;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

/**
 * The turn and reject meters count each outcome once, in its own meter, when many threads call
 * at once: commits, a trap in the continuation after an await, queries (no turn), calls to an
 * actor that does not exist, and calls refused by a system shut down.
 */
class MetricsUnderContentionTests {

  /** A bound on each wait, not a measure of speed. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final int THREADS = 4;
  private static final int ROUNDS = 50;
  private static final int CALLS = THREADS * ROUNDS;

  public interface Tally {
    Mono<Long> bump();

    /** Commits at its await, then traps in the continuation (a division by zero). */
    Mono<Long> trapAfterAwait(long divisor);

    @Query
    Mono<Long> read();
  }

  @ActorBean(activation = ActorBean.Activation.VIRTUAL)
  public static final class TallyActor extends Actor implements Tally {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Long> bump() {
      return Mono.just(count.update(c -> c + 1));
    }

    @Override
    public Mono<Long> trapAfterAwait(long divisor) {
      return await(Mono.just(1L)).map(one -> count.update(c -> c + one) / divisor);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(count.get());
    }
  }

  public interface Ledger {
    @Query
    Mono<Long> balance();
  }

  @ActorBean(activation = ActorBean.Activation.EXPLICIT)
  public static final class LedgerActor extends Actor implements Ledger {
    @Override
    public Mono<Long> balance() {
      return Mono.just(0L);
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
          SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
      .withUserConfiguration(TallyActor.class, LedgerActor.class);

  /** Runs {@code round} {@link #ROUNDS} times on each of {@link #THREADS} threads, all at once. */
  private static void concurrently(Round round) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        threads.add(pool.submit(() -> {
          start.await(WAIT.toSeconds(), TimeUnit.SECONDS);
          for (int i = 0; i < ROUNDS; i++) {
            round.run(i);
          }
          return null;
        }));
      }
      for (Future<?> thread : threads) {
        thread.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private interface Round {
    void run(int i) throws Exception;
  }

  private static void expectCode(Mono<?> call, RejectCode code) {
    assertThatThrownBy(() -> call.block(WAIT)).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(code));
  }

  private static double rejects(MeterRegistry registry, String type, String method, int code) {
    Counter counter = registry.find("reactant.rejects").tag("type", type).tag("method", method)
        .tag("code", Integer.toString(code)).counter();
    return counter == null ? 0 : counter.count();
  }

  private static long turns(MeterRegistry registry, String outcome) {
    return registry.get("reactant.turns").tag("type", "Tally").tag("outcome", outcome).timer()
        .count();
  }

  @Test
  @DisplayName("R12a 4 threads x 50 rounds of a commit, a trap after an await, a query and a call"
      + " to no actor, then of calls to a system shut down: each counted once, in its own meter"
      + " (the trap as one trapped turn after one committed at the await, and one code-5 reject;"
      + " the query as nothing; the others as code-3 and code-2 rejects)")
  void eachOutcomeIsCountedOnceInItsMeter() {
    runner.run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      ActorSystem system = context.getBean(ActorSystem.class);
      concurrently(i -> {
        Tally tally = directory.get(Tally.class, "t" + (i % 3)); // three actors, shared
        assertThat(tally.bump().block(WAIT)).isPositive();
        expectCode(tally.trapAfterAwait(0), RejectCode.CANISTER_ERROR);
        assertThat(tally.read().block(WAIT)).isNotNull();
        expectCode(directory.get(Ledger.class, "nobody").balance(), RejectCode.DESTINATION_INVALID);
      });

      assertThat(turns(registry, "trapped")).as("trapped turns").isEqualTo(CALLS);
      assertThat(turns(registry, "committed"))
          .as("committed turns: the bumps, and the traps' first turns ended at their await")
          .isEqualTo(2L * CALLS);
      assertThat(rejects(registry, "Tally", "trapAfterAwait", 5)).isEqualTo(CALLS);
      assertThat(rejects(registry, "Ledger", "balance", 3)).isEqualTo(CALLS);
      assertThat(Search.in(registry).name("reactant.rejects").counters())
          .as("no other reject counted: not the bumps, nor the queries").hasSize(2);

      system.shutdown(WAIT).block(WAIT);
      concurrently(i -> {
        Tally tally = directory.get(Tally.class, "t" + (i % 3));
        expectCode(tally.bump(), RejectCode.SYS_TRANSIENT);
        expectCode(tally.read(), RejectCode.SYS_TRANSIENT);
      });
      assertThat(rejects(registry, "Tally", "bump", 2)).isEqualTo(CALLS);
      assertThat(rejects(registry, "Tally", "read", 2)).isEqualTo(CALLS);
      assertThat(turns(registry, "committed")).as("no turn after the shutdown")
          .isEqualTo(2L * CALLS);
      assertThat(turns(registry, "trapped")).isEqualTo(CALLS);
    });
  }

  @Test
  @DisplayName("the gauges read while the system shuts down, once it is shut down and once its"
      + " context is closed answer without an exception, and the registry, which may outlive the"
      + " context, keeps the closed system from being collected by none of its meters")
  void gaugesReadAfterTheShutdownAndHoldNoClosedSystem() throws Exception {
    List<MeterRegistry> kept = new ArrayList<>();
    List<java.lang.ref.WeakReference<ActorSystem>> systems = new ArrayList<>();
    runner.run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      ActorSystem system = context.getBean(ActorSystem.class);
      context.getBean(ActorDirectory.class).get(Tally.class, "t").bump().block(WAIT);
      assertThat(gauges(registry)).containsExactly(1.0, 0.0, 0.0);
      Mono<Void> shutdown = system.shutdown(WAIT).cache();
      shutdown.subscribe();
      gauges(registry); // while it shuts down: whatever the figures, no exception
      shutdown.block(WAIT);
      assertThat(gauges(registry)).containsExactly(1.0, 0.0, 0.0);
      kept.add(registry);
      systems.add(new java.lang.ref.WeakReference<>(system));
    });
    MeterRegistry registry = kept.get(0);
    gauges(registry); // after the context closed
    for (int i = 0; i < 3 && systems.get(0).get() != null; i++) {
      collectGarbage();
    }
    assertThat(systems.get(0).get()).as("the closed context's actor system, collected").isNull();
    assertThat(registry.find("reactant.actors").gauge().value()).as("a gauge of a collected system")
        .isNaN();
  }

  private static List<Double> gauges(MeterRegistry registry) {
    return List.of(registry.get("reactant.actors").gauge().value(),
        registry.get("reactant.mailbox.depth").gauge().value(),
        registry.get("reactant.mailbox.depth.max").gauge().value());
  }

  /** Collects garbage until a weak reference made before is queued (its referent collected). */
  private static void collectGarbage() throws InterruptedException {
    java.lang.ref.ReferenceQueue<Object> queue = new java.lang.ref.ReferenceQueue<>();
    java.lang.ref.WeakReference<Object> canary = new java.lang.ref.WeakReference<>(new Object(),
        queue);
    long deadline = System.nanoTime() + WAIT.toNanos();
    java.lang.ref.Reference<?> queued = null;
    while (queued == null && System.nanoTime() - deadline < 0) {
      System.gc();
      queued = queue.remove(100);
    }
    assertThat(queued).as("a weak reference collected and queued").isSameAs(canary);
  }
}

package io.reactant.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.CompositeQuery;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A composite query reads one snapshot for its whole life (rule R19): the parts that run after
 * its awaits read the state committed when it began, and its own writes, never a commit made
 * meanwhile, even one that lands between two of its parts.
 */
class CompositeQuerySnapshotTest {

  public interface Pair {
    /** Sets both cells to their value plus one, and the map's entry too. */
    Mono<Long> bump();

    /**
     * Reads the cells, awaits {@code gate}, reads them again after writing one, and returns the
     * values read as {@code "a b m / a b m"}.
     */
    @CompositeQuery
    Mono<String> readAcross(Mono<?> gate);
  }

  static final class PairActor extends Actor implements Pair {
    private final LongVar a = newLongVar("a", 0);
    private final Var<Long> b = newVar("b", 0L);
    private final TxMap<String, Long> m = newMap("m");

    @Override
    public Mono<Long> bump() {
      long next = a.add(1);
      b.set(next);
      m.put("v", next);
      return Mono.just(next);
    }

    @Override
    public Mono<String> readAcross(Mono<?> gate) {
      String before = a.get() + " " + b.get() + " " + m.getOrDefault("v", 0L);
      b.set(-1L); // the query's own write: seen by its later parts, by no one else
      return await(gate).map(x ->
          before + " / " + a.get() + " " + b.get() + " " + m.getOrDefault("v", 0L));
    }
  }

  @Test
  @DisplayName("R19 commits that land between a composite query's parts are not seen by its later"
      + " parts: it reads the snapshot it began with, and its own write")
  void commitsBetweenPartsAreNotSeen() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Pair pair = system.spawn(Pair.class, PairActor::new);
      scheduler.await(pair.bump());
      Sinks.One<Boolean> gate = Sinks.one();

      CompletableFuture<String> read = pair.readAcross(gate.asMono()).toFuture();
      assertThat(scheduler.await(pair.bump())).isEqualTo(2L);
      assertThat(scheduler.await(pair.bump())).isEqualTo(3L);
      assertThat(read).as("suspended on its await").isNotDone();
      gate.tryEmitValue(true);
      scheduler.runUntilIdle();

      assertThat(read).isCompletedWithValue("1 1 1 / 1 -1 1");
      assertThat(pair.readAcross(Mono.just(true)).block()).isEqualTo("3 3 3 / 3 -1 3");
    }
  }

  @Test
  @DisplayName("R19 R2 under contention, composite queries whose later parts run on timer threads"
      + " while updates commit read one commit across their awaits, never a mix of two")
  void compositeQueriesReadOneCommitUnderContention() throws Exception {
    int readers = 3;
    int queriesEach = 150;
    try (ActorSystem system = ActorSystem.create()) {
      Pair pair = system.spawn(Pair.class, PairActor::new);
      ExecutorService threads = Executors.newFixedThreadPool(readers + 1);
      try {
        CyclicBarrier start = new CyclicBarrier(readers + 1);
        AtomicBoolean reading = new AtomicBoolean(true);
        Future<Long> writer = threads.submit(() -> {
          start.await();
          long bumps = 0;
          while (reading.get()) {
            pair.bump().block(Duration.ofSeconds(10));
            bumps++;
          }
          return bumps;
        });
        List<Future<List<String>>> results = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
          results.add(threads.submit(() -> {
            start.await();
            List<String> seen = new ArrayList<>();
            for (int q = 0; q < queriesEach; q++) {
              // the later part runs on a timer thread, while the writer keeps committing
              seen.add(pair.readAcross(Mono.delay(Duration.ofNanos(q % 7 * 50_000)))
                  .block(Duration.ofSeconds(10)));
            }
            return seen;
          }));
        }
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : results) {
          all.addAll(f.get(60, TimeUnit.SECONDS));
        }
        reading.set(false);
        long bumps = writer.get(60, TimeUnit.SECONDS);

        assertThat(all).hasSize(readers * queriesEach).allSatisfy(s -> {
          String[] v = s.split(" ");
          // "a b m / a -1 m": each part's cells equal, and the same commit in both parts
          assertThat(v[0]).isEqualTo(v[1]).isEqualTo(v[2]).isEqualTo(v[4]).isEqualTo(v[6]);
          assertThat(v[5]).isEqualTo("-1");
        });
        assertThat(bumps).as("the updates ran meanwhile").isPositive();
      } finally {
        threads.shutdownNow();
      }
    }
  }
}

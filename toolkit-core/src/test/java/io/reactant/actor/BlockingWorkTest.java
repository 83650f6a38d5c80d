package io.reactant.actor;

import static io.reactant.actor.PoolSchedulingTest.awaitOpen;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.PoolSchedulingTest.Ponger;
import io.reactant.actor.PoolSchedulingTest.PongerActor;
import io.reactant.error.IsolationException;
import io.reactant.state.Var;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Blocking work (a JDBC call, a file, a legacy client) done the way the README shows: the turn
 * awaits a {@code Mono} that runs the work on Reactor's {@code boundedElastic} scheduler, so no pool
 * thread waits for it, and the result comes back as a new turn of the actor.
 */
class BlockingWorkTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  public interface Importer {
    /**
     * Marks the import started, then awaits a blocking load (on {@code boundedElastic}) that opens
     * {@code started} and waits for {@code gate}; adds its rows in the continuation.
     */
    Mono<Long> load(long rows, CountDownLatch started, CountDownLatch gate);

    /** Awaits blocking work that reads the actor's state from its own thread (a mistake). */
    Mono<String> loadReadingState();

    @Query
    Mono<List<Long>> progress();
  }

  static final class ImporterActor extends Actor implements Importer {
    private final Var<Long> running = newVar("running", 0L);
    private final Var<Long> imported = newVar("imported", 0L);

    @Override
    public Mono<Long> load(long rows, CountDownLatch started, CountDownLatch gate) {
      running.update(r -> r + 1); // committed at the await: a query sees it while the load blocks
      Mono<Long> blocking = Mono.fromCallable(() -> {
        started.countDown();
        if (!gate.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the gate never opened");
        }
        return rows; // computed from the arguments only: the actor's state is not reachable here
      }).subscribeOn(Schedulers.boundedElastic());
      return await(blocking).map(n -> {
        running.update(r -> r - 1); // a new turn of this actor
        return imported.update(i -> i + n);
      });
    }

    @Override
    public Mono<String> loadReadingState() {
      Mono<Long> wrong = Mono.fromCallable(imported::get).subscribeOn(Schedulers.boundedElastic());
      return await(wrong)
          .map(n -> "read " + n)
          .onErrorResume(IsolationException.class, e -> Mono.just("refused: " + e.getMessage()));
    }

    @Override
    public Mono<List<Long>> progress() {
      return Mono.just(List.of(running.get(), imported.get()));
    }
  }

  @Test
  @DisplayName("R13 blocking work awaited on boundedElastic holds no pool thread: with one pool"
      + " thread and four loads blocked, other actors answer, and each load ends in a turn")
  void blockingWorkOnBoundedElasticLeavesThePoolFree() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(1).build())) {
      List<Importer> importers = new ArrayList<>();
      List<Mono<Long>> loads = new ArrayList<>();
      CountDownLatch started = new CountDownLatch(4);
      CountDownLatch gate = new CountDownLatch(1);
      for (int i = 0; i < 4; i++) {
        Importer importer = system.spawn(Importer.class, ImporterActor::new);
        importers.add(importer);
        loads.add(importer.load(100L * (i + 1), started, gate));
      }
      try {
        awaitOpen(started, "every load started");
        // the only pool thread is free: another actor answers, and the importers' queries see
        // the state committed at their await
        Ponger ponger = system.spawn(Ponger.class, PongerActor::new);
        for (long call = 1; call <= 100; call++) {
          assertThat(ponger.ping().block(WAIT)).isEqualTo(call);
        }
        for (Importer importer : importers) {
          assertThat(importer.progress().block(WAIT)).containsExactly(1L, 0L);
        }
      } finally {
        gate.countDown();
      }
      for (int i = 0; i < 4; i++) {
        assertThat(loads.get(i).block(WAIT)).isEqualTo(100L * (i + 1));
        assertThat(importers.get(i).progress().block(WAIT)).containsExactly(0L, 100L * (i + 1));
      }
    }
  }

  @Test
  @DisplayName("R1 blocking work that reads the actor's state off its turn is refused with an"
      + " IsolationException, which the continuation can handle")
  void blockingWorkCannotReachTheActorsState() {
    try (ActorSystem system = ActorSystem.create()) {
      Importer importer = system.spawn(Importer.class, ImporterActor::new);
      assertThat(importer.loadReadingState().block(WAIT))
          .startsWith("refused: ")
          .contains("imported");
    }
  }

  /** The actor type of the README's snippet, which the README leaves out. */
  public interface FileImporter {
    Mono<Long> importFile(Path file);

    /** The imports started and the rows imported. */
    @Query
    Mono<List<Long>> totals();
  }

  /** A blocking parser, as a legacy library would be; records the thread it ran on. */
  static final class RowParser {
    volatile String ranOn = "";

    long countRows(Path file) {
      ranOn = Thread.currentThread().getName();
      try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
        return lines.count();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static final class FileImporterActor extends Actor implements FileImporter {
    private final Var<Long> imports = newVar("imports", 0L);
    private final Var<Long> total = newVar("total", 0L);
    private final RowParser parser;

    FileImporterActor(RowParser parser) {
      this.parser = parser;
    }

    // the README's "Blocking work" snippet, as printed
    public Mono<Long> importFile(Path file) {
      imports.update(n -> n + 1);                                // committed at the await
      Mono<Long> rows = Mono.fromCallable(() -> parser.countRows(file))  // blocks, off the pool
          .subscribeOn(Schedulers.boundedElastic());
      return await(rows).map(n -> total.update(t -> t + n));     // a new turn of this actor
    }

    @Override
    public Mono<List<Long>> totals() {
      return Mono.just(List.of(imports.get(), total.get()));
    }
  }

  @Test
  @DisplayName("R13 the README's importFile, as printed: the parser runs on boundedElastic, and the"
      + " continuation adds its rows to the actor's total")
  void readmeImportFileRunsAsPrinted(@TempDir Path dir) throws IOException {
    Path first = Files.writeString(dir.resolve("a.csv"), "1\n2\n3\n");
    Path second = Files.writeString(dir.resolve("b.csv"), "4\n5\n");
    RowParser parser = new RowParser();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("io").build())) {
      FileImporter importer = system.spawn(FileImporter.class, () -> new FileImporterActor(parser));

      assertThat(importer.importFile(first).block(WAIT)).isEqualTo(3L);
      assertThat(parser.ranOn).startsWith("boundedElastic-");
      assertThat(importer.importFile(second).block(WAIT)).isEqualTo(5L);
      assertThat(importer.totals().block(WAIT)).containsExactly(2L, 5L);
    }
  }
}

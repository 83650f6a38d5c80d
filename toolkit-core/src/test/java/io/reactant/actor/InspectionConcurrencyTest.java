package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.state.LongVar;
import io.reactant.state.TxMap;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rule R26 with threads: inspections run on their callers' threads, concurrently, each with its
 * own discarded writes, and one under way as the system shuts down lets no call in.
 */
class InspectionConcurrencyTest {

  public interface Door {
    Mono<Long> enter(long who);

    @Query
    Mono<String> seen();
  }

  /** Its inspection writes each kind of cell, then, for {@code who == 1}, waits for the test. */
  static final class DoorActor extends Actor implements Door {
    final CountDownLatch firstWriting = new CountDownLatch(1);
    final CountDownLatch letFirstGo = new CountDownLatch(1);
    final List<String> readByOthers = new CopyOnWriteArrayList<>();
    private final Var<Long> last = newVar("last", 0L);
    private final LongVar entries = newLongVar("entries", 0);
    private final TxMap<String, Long> marks = newMap("marks");

    @Override
    protected boolean inspect(IngressMessage message) {
      long who = (Long) message.arguments().get(0);
      if (who == 1) {
        last.set(who);
        entries.add(100);
        marks.put("inspected", who);
        firstWriting.countDown();
        try {
          if (!letFirstGo.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never let the first inspection go");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        // its own writes are still its own after the other inspection wrote the same cells
        return last.get() == 1 && entries.get() == 100 && marks.get("inspected") == 1L;
      }
      readByOthers.add(read());
      last.set(who);
      entries.add(who);
      marks.put("inspected", who);
      return true;
    }

    private String read() {
      return "last " + last.get() + ", entries " + entries.get() + ", marks " + marks.get("inspected");
    }

    @Override
    public Mono<Long> enter(long who) {
      last.set(who);
      return Mono.just(entries.add(1));
    }

    @Override
    public Mono<String> seen() {
      return Mono.just(read());
    }
  }

  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().name("inspection-threads").build());

  @AfterEach
  void close() {
    system.close();
  }

  @Test
  @DisplayName("R26 R19 inspections of concurrent ingress calls run at once on their callers' threads:"
      + " one held in its inspection holds no other, which reads the committed state, not the held"
      + " one's writes, and neither's writes (to a Var, a LongVar, a TxMap) reach the actor")
  void concurrentInspectionsAreIsolated() throws Exception {
    DoorActor[] made = new DoorActor[1];
    Door door = system.spawn(Door.class, () -> made[0] = new DoorActor());
    DoorActor actor = made[0];

    CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> door.enter(1).block());
    assertThat(actor.firstWriting.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(door.enter(2).block()).as("inspected and run while the first inspection is held")
        .isEqualTo(1L);
    assertThat(door.enter(3).block()).isEqualTo(2L);
    actor.letFirstGo.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS)).as("its own writes stayed its own").isEqualTo(3L);

    assertThat(actor.readByOthers).containsExactly(
        "last 0, entries 0, marks null", "last 2, entries 1, marks null");
    assertThat(door.seen().block()).isEqualTo("last 1, entries 3, marks null");
  }

  @Test
  @DisplayName("R26 R12a an ingress call whose inspection is under way as the shutdown begins is"
      + " refused with code 2 once it accepts: it is not queued, and the shutdown ends")
  void anInspectionRacingTheShutdownLetsNoCallIn() throws Exception {
    DoorActor[] made = new DoorActor[1];
    Door door = system.spawn(Door.class, () -> made[0] = new DoorActor());
    DoorActor actor = made[0];

    CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> door.enter(1).block());
    assertThat(actor.firstWriting.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> shutdown =
        system.shutdown(Duration.ofSeconds(30)).toFuture();
    assertThat(system.isShutdown()).isTrue();
    actor.letFirstGo.countDown();

    assertThatThrownBy(() -> first.join())
        .hasCauseInstanceOf(CallError.class)
        .cause().satisfies(e -> assertThat(((CallError) e).code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    shutdown.get(30, TimeUnit.SECONDS);
    assertThat(shutdown).isDone();
  }
}

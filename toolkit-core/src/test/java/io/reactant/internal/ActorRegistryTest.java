package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.ActorId;
import io.reactant.actor.Caller;
import io.reactant.actor.TestThreads;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActorRegistryTest {

  private final ActorRuntime runtime = TestRuntimes.onClock(DeterministicScheduler.create(), "registry");
  private final ActorRegistry registry = new ActorRegistry();

  @AfterEach
  void close() {
    runtime.close();
  }

  private ActorCell cell(ActorId id) {
    return new ActorCell(runtime, id, Runnable.class, Caller.anonymous(), 0, 0);
  }

  @Test
  void findsWhatWasAddedAndNothingElse() {
    ActorCell a = cell(ActorId.of("a"));
    assertThat(registry.get(ActorId.of("a"))).isNull();
    assertThat(registry.putIfAbsent(a, 0)).isNull();

    assertThat(registry.get(ActorId.of("a"))).isSameAs(a);
    assertThat(registry.contains(ActorId.of("a"))).isTrue();
    assertThat(registry.contains(ActorId.of("b"))).isFalse();
    assertThat(registry.size()).isEqualTo(1);
    assertThat(registry).containsExactly(a);
  }

  @Test
  void aTakenIdKeepsItsFirstActor() {
    ActorCell first = cell(ActorId.of("counter-", 7));
    ActorCell second = cell(ActorId.of("counter-7")); // the same id, spelled as a string

    assertThat(registry.putIfAbsent(first, 0)).isNull();
    assertThat(registry.putIfAbsent(second, 0)).isSameAs(first);
    assertThat(registry.get(ActorId.of("counter-7"))).isSameAs(first);
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  void keepsEveryActorAcrossManyGrowths() {
    List<ActorCell> added = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      // generated ids (consecutive hashes) mixed with chosen ones
      ActorCell c = cell(i % 3 == 0 ? ActorId.of("user:" + i) : ActorId.of("counter-", i));
      assertThat(registry.putIfAbsent(c, 0)).isNull();
      added.add(c);
    }

    assertThat(registry.size()).isEqualTo(added.size());
    for (ActorCell c : added) {
      assertThat(registry.get(ActorId.of(c.id.value()))).isSameAs(c);
    }
    assertThat(registry.get(ActorId.of("counter-", 100_001))).isNull();
    List<ActorCell> iterated = new ArrayList<>();
    registry.forEach(iterated::add);
    assertThat(iterated).isEqualTo(added); // in the order they were added
  }

  @Test
  void aFullRegistryRefusesNewActorsAndKeepsItsOwn() {
    ActorRegistry small = new ActorRegistry(32); // three quarters of 32 slots: 24 actors
    List<ActorCell> added = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      ActorCell c = cell(ActorId.of("a-", i));
      assertThat(small.putIfAbsent(c, 0)).isNull();
      added.add(c);
    }

    assertThatThrownBy(() -> small.putIfAbsent(cell(ActorId.of("a-", 24)), 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("An actor system holds at most 24 actors; it cannot create a-24");
    assertThat(small.putIfAbsent(cell(ActorId.of("a-", 3)), 0)).as("a taken id is still answered")
        .isSameAs(added.get(3));
    assertThat(small.size()).isEqualTo(24);
    assertThat(small.get(ActorId.of("a-", 24))).isNull();
    List<ActorCell> iterated = new ArrayList<>();
    small.forEach(iterated::add);
    assertThat(iterated).isEqualTo(added);
    assertThatThrownBy(() -> new ActorRegistry(48)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tellsApartIdsWhoseHashesAreEqual() {
    // "Aa" and "BB" have the same String hash, so every word of them does for its length
    List<ActorCell> added = new ArrayList<>();
    for (int bits = 0; bits < 1 << 10; bits++) {
      StringBuilder word = new StringBuilder();
      for (int b = 0; b < 10; b++) {
        word.append((bits >> b & 1) == 0 ? "Aa" : "BB");
      }
      ActorCell c = cell(ActorId.of(word.toString()));
      assertThat(registry.putIfAbsent(c, 0)).isNull();
      added.add(c);
    }
    assertThat(added).extracting(c -> c.id.hashCode()).containsOnly(added.get(0).id.hashCode());

    for (ActorCell c : added) {
      assertThat(registry.get(ActorId.of(c.id.value()))).isSameAs(c);
      assertThat(registry.putIfAbsent(cell(ActorId.of(c.id.value())), 0)).isSameAs(c);
    }
    assertThat(registry.size()).isEqualTo(added.size());
  }

  @Test
  void concurrentInsertsOfTheSameIdsLeaveOneActorPerIdAndLookupsNeverMissAFinishedInsert()
      throws InterruptedException {
    int ids = 50_000;
    int writers = 4;
    int readers = 2;
    // which cell won each id, and how many inserts returned null for it (must be exactly one)
    AtomicReferenceArray<ActorCell> winners = new AtomicReferenceArray<>(ids);
    AtomicIntegerArray wins = new AtomicIntegerArray(ids);

    TestThreads.runAll(writers + readers, index -> {
      if (index < writers) {
        // every writer adds every id, each in its own seeded order, racing the others
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ids; i++) {
          order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(index));
        for (int i : order) {
          ActorCell mine = cell(ActorId.of("counter-", i));
          ActorCell existing = registry.putIfAbsent(mine, 0);
          if (existing == null) {
            wins.incrementAndGet(i);
            winners.set(i, mine);
          } else {
            assertThat(existing.id.value()).isEqualTo("counter-" + i);
          }
        }
      } else {
        // a reader looks up ids whose insert is known to have returned: never null, never another
        Random random = new Random(100 + index);
        for (int round = 0; round < 200_000; round++) {
          int i = random.nextInt(ids);
          ActorCell won = winners.get(i);
          if (won != null) {
            assertThat(registry.get(ActorId.of("counter-", i))).isSameAs(won);
          }
        }
      }
    });

    assertThat(registry.size()).isEqualTo(ids);
    Set<ActorCell> seen = new HashSet<>();
    for (ActorCell c : registry) {
      assertThat(seen.add(c)).as("iteration saw %s twice", c.id).isTrue();
    }
    assertThat(seen).hasSize(ids);
    for (int i = 0; i < ids; i++) {
      assertThat(wins.get(i)).as("inserts that won counter-%d", i).isEqualTo(1);
      assertThat(registry.get(ActorId.of("counter-", i))).isSameAs(winners.get(i));
    }
  }

  @Test
  void iterationWhileActorsAreAddedSeesThosePresentAtItsStartInOrderAndNoneTwice()
      throws InterruptedException {
    int before = 1_000;
    for (int i = 0; i < before; i++) {
      registry.putIfAbsent(cell(ActorId.of("early-", i)), 0);
    }
    TestThreads.runAll(2, index -> {
      if (index == 0) {
        for (int i = 0; i < 100_000; i++) { // grows the table several times under the iterations
          registry.putIfAbsent(cell(ActorId.of("late-", i)), 0);
        }
      } else {
        for (int pass = 0; pass < 50; pass++) {
          int sizeAtStart = registry.size();
          int position = 0;
          for (ActorCell c : registry) {
            String expected = position < before ? "early-" + position : "late-" + (position - before);
            assertThat(c.id.value()).isEqualTo(expected);
            position++;
          }
          assertThat(position).isGreaterThanOrEqualTo(sizeAtStart);
        }
      }
    });
    assertThat(registry.size()).isEqualTo(before + 100_000);
  }
}

package io.reactant.sample.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.ActorId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CounterQuotaTests {

  private static final int MAX = 50;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  @DisplayName("eight threads admitting new ids at once, each id asked for by several of them"
      + " (a seeded plan), admit exactly the bound: every id answered yes is admitted, every id"
      + " answered no is not, and none is admitted twice")
  void concurrentAdmissionsNeverExceedTheBound(long seed) throws Exception {
    CounterQuota quota = quota(MAX);
    Random random = new Random(seed);
    int threads = 8;
    List<List<ActorId>> plans = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<ActorId> plan = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        plan.add(ActorId.of("counter-" + random.nextInt(3 * MAX)));
      }
      plans.add(plan);
    }
    Set<ActorId> yes = ConcurrentHashMap.newKeySet();
    Set<ActorId> no = ConcurrentHashMap.newKeySet();
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> running = new ArrayList<>();
    for (List<ActorId> plan : plans) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (ActorId id : plan) {
            (quota.admit(id) ? yes : no).add(id);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      });
      thread.start();
      running.add(thread);
    }
    for (Thread thread : running) {
      thread.join();
    }
    assertThat(failure.get()).isNull();
    Set<ActorId> asked = new HashSet<>();
    plans.forEach(asked::addAll);
    assertThat(yes).as("admitted").hasSize(Math.min(MAX, asked.size()));
    assertThat(no).as("refused").doesNotContainAnyElementsOf(yes);
    for (ActorId id : asked) {
      assertThat(quota.holds(id)).as(id.value()).isEqualTo(yes.contains(id));
    }
    // full: an admitted id is still admitted, no new one is
    assertThat(quota.admit(yes.iterator().next())).isTrue();
    assertThat(quota.admit(ActorId.of("counter-new"))).isFalse();
  }

  @Test
  @DisplayName("a bound of 0 admits no counter")
  void aBoundOfZeroAdmitsNone() {
    assertThat(quota(0).admit(ActorId.of("counter-a"))).isFalse();
    assertThatThrownBy(() -> new CounterProperties(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static CounterQuota quota(int max) {
    return new CounterQuota(new CounterProperties(max));
  }
}

package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;

import io.reactant.actor.Actor;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The subscriptions to call futures made on an await's behalf (rule R13: a later await may close a
 * cycle through one of them) are kept only while they may still matter: the answered ones go.
 */
class AwaitOnBehalfTest {

  public interface Echo {
    Mono<Integer> echo(int i);
  }

  static final class EchoActor extends Actor implements Echo {
    @Override
    public Mono<Integer> echo(int i) {
      return Mono.just(i);
    }
  }

  public interface Fan {
    /** Awaits a fan-out of {@code n} calls to {@code echo}, {@code concurrency} at a time. */
    Mono<Long> fanOut(Echo echo, int n, int concurrency);
  }

  static final class FanActor extends Actor implements Fan {
    private final AtomicReference<AwaitSubscriber<?>> await;

    FanActor(AtomicReference<AwaitSubscriber<?>> await) {
      this.await = await;
    }

    @Override
    public Mono<Long> fanOut(Echo echo, int n, int concurrency) {
      return await(Mono.deferContextual(context -> {
        await.set((AwaitSubscriber<?>) context.get(AwaitSubscriber.AWAIT));
        return Flux.range(0, n).flatMap(echo::echo, concurrency).count();
      }));
    }
  }

  @Test
  @DisplayName("R13 an await of a fan-out that keeps two calls pending at a time (flatMap with a"
      + " concurrency of 2, 2,000 calls) keeps a bounded list of its subscriptions, not one per"
      + " call made: the answered ones behind a pending one are dropped too")
  void answeredSubscriptionsOfALongFanOutAreDropped() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    ActorRuntime system = TestRuntimes.onClock(clock, "on-behalf");
    AtomicReference<AwaitSubscriber<?>> awaited = new AtomicReference<>();
    Fan f = system.spawn(Fan.class, () -> new FanActor(awaited));
    Echo echo = system.spawn(Echo.class, EchoActor::new);
    AtomicReference<Long> answer = new AtomicReference<>();
    f.fanOut(echo, 2_000, 2).subscribe(answer::set);
    clock.runUntilIdle();
    assertThat(answer.get()).isEqualTo(2_000L);
    AwaitSubscriber<?> await = awaited.get();
    assertThat(await).isNotNull();
    assertThat(await.onBehalfKept()).as("subscriptions kept").isLessThan(64);
    system.close();
  }

  /** The futures and sinks the returners wait for, by key. */
  static final ConcurrentHashMap<String, Mono<Long>> KEPT = new ConcurrentHashMap<>();

  public interface Returner {
    /**
     * Returns, unawaited, a map of the future kept under {@code key}, subscribed once the sink
     * kept under {@code sinkKey} answered.
     */
    Mono<Long> thenMapOfKept(String sinkKey, String key);
  }

  static final class ReturnerActor extends Actor implements Returner {
    @Override
    public Mono<Long> thenMapOfKept(String sinkKey, String key) {
      return KEPT.get(sinkKey).then(KEPT.get(key).map(v -> v + 1));
    }
  }

  public interface Cacher {
    /**
     * Awaits a cache of {@code returner.thenMapOfKept(sinkKey, key)}, sent in this turn; puts its
     * own call in {@code me}.
     */
    Mono<Long> awaitCached(Returner returner, String sinkKey, String key,
        AtomicReference<Call> me);
  }

  static final class CacherActor extends Actor implements Cacher {
    @Override
    public Mono<Long> awaitCached(Returner returner, String sinkKey, String key,
        AtomicReference<Call> me) {
      me.set(((TurnContext) java.util.Objects.requireNonNull(Contexts.current())).call);
      return await(returner.thenMapOfKept(sinkKey, key).cache());
    }
  }

  @Test
  @DisplayName("R13 two searches failing one await of a cached call future at once (two Monos"
      + " closing cycles through it on two threads) signal it once: its continuation is queued"
      + " once, and its call answers the deadlock error once")
  void twoSearchesFailingOneAwaitOfACacheAtOnceSignalItOnce() throws Exception {
    DeterministicScheduler clock = DeterministicScheduler.create();
    ActorRuntime system = TestRuntimes.onClock(clock, "sole-call");
    int n = 800;
    try {
      Returner returner = system.spawn(Returner.class, ReturnerActor::new);
      List<List<Sinks.One<Long>>> sinks = new ArrayList<>();
      List<List<String>> ends = new ArrayList<>();
      List<AtomicReference<Call>> awaiting = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // each on an actor of its own: a continuation queued twice loses itself, not others
        Cacher cacher = system.spawn(Cacher.class, CacherActor::new);
        List<Sinks.One<Long>> two = List.of(Sinks.one(), Sinks.one());
        sinks.add(two);
        KEPT.put("x" + i, two.get(0).asMono());
        KEPT.put("y" + i, two.get(1).asMono());
        AtomicReference<Call> me = new AtomicReference<>();
        Mono<Long> reply = cacher.awaitCached(returner, "x" + i, "c" + i, me);
        KEPT.put("c" + i, reply);
        List<String> end = java.util.Collections.synchronizedList(new ArrayList<>());
        reply.subscribe(v -> end.add("answered " + v), e -> end.add(e instanceof CallError ce
            ? ce.code() + ": " + ce.rejectMessage() : e.toString()));
        ends.add(end);
        returner.thenMapOfKept("y" + i, "c" + i).subscribe(v -> { }, e -> { });
        awaiting.add(me);
      }
      clock.runUntilIdle(); // once for all: each call waits for its sinks alone
      for (AtomicReference<Call> me : awaiting) {
        AwaitSubscriber<?> await = (AwaitSubscriber<?>) me.get().awaiting();
        assertThat(await).isNotNull();
        assertThat(await.pending()).isTrue();
      }
      // each call awaits a cache of a call x that waits for a sink, then for a map of the
      // awaiting call's future, as another call y does: two threads meet before each call
      // (a spinning rendezvous), then answer x's sink and y's at once; each map subscribes on
      // its thread, and each subscription's check searches the cycle through the await
      AtomicInteger arrived = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int which = t;
        Thread thread = new Thread(() -> {
          for (int i = 0; i < n; i++) {
            arrived.incrementAndGet();
            for (int spins = 0; arrived.get() < 2 * (i + 1); spins++) {
              if (spins < 100_000) {
                Thread.onSpinWait();
              } else {
                Thread.yield(); // the other thread may be off its core (a loaded machine)
              }
            }
            sinks.get(i).get(which).tryEmitValue(1L);
          }
        });
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join();
      }
      clock.runUntilIdle();
      for (int i = 0; i < n; i++) {
        assertThat(ends.get(i)).as("call %d", i).singleElement().asString()
            .startsWith("CANISTER_ERROR").contains("would deadlock (rule R13)");
      }
    } finally {
      KEPT.clear();
      system.close();
    }
  }
}

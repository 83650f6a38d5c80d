package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
}

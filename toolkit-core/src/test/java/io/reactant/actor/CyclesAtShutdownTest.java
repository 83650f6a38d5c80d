package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Rule R22 at a shutdown: the message fee of a send that the shutdown refuses at the commit, a
 * call or an actor creation alike, comes back to the sender.
 */
class CyclesAtShutdownTest {

  public interface Maker {
    /** Awaits {@code go}, then calls {@code other} and spawns a child; says what each got. */
    Mono<String> callAndSpawnAfter(Mono<String> go, Maker other);

    Mono<String> ping();
  }

  static final ActorClass<Maker, String> MAKERS = ActorClass.of(Maker.class, name -> new MakerActor());

  static final class MakerActor extends Actor implements Maker {
    @Override
    public Mono<String> callAndSpawnAfter(Mono<String> go, Maker other) {
      return await(go).flatMap(g -> {
        Mono<String> call = other.ping();
        Mono<Maker> child = spawn(MAKERS, "child");
        return await(Mono.zip(outcome(call), outcome(child.map(m -> "spawned"))))
            .map(both -> both.getT1() + ", " + both.getT2() + ", balance " + cyclesBalance());
      });
    }

    @Override
    public Mono<String> ping() {
      return Mono.just("pong");
    }

    private static Mono<String> outcome(Mono<String> m) {
      return m.onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code()));
    }
  }

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("test")
      .scheduler(scheduler).fees(10, 5).initialBalance(100).build());

  @AfterEach
  void close() {
    system.close();
  }

  @Test
  @DisplayName("R22 R20 a call and an actor creation refused at the commit because the system shut"
      + " down cost no message fee, as any send refused before it could be made: both fees come"
      + " back before the continuation reads the balance")
  void sendsRefusedByAShutdownAtTheCommitCostNoMessageFee() {
    Maker maker = system.spawn(Maker.class, MakerActor::new);
    Maker other = system.spawn(Maker.class, MakerActor::new);
    Sinks.One<String> go = Sinks.one();
    AtomicReference<Object> answer = new AtomicReference<>();
    maker.callAndSpawnAfter(go.asMono(), other)
        .subscribe(answer::set, answer::set);
    scheduler.runUntilIdle();
    assertThat(answer).hasValue(null);

    system.shutdown(Duration.ofSeconds(10)).subscribe();
    go.tryEmitValue("go");
    scheduler.runUntilIdle();

    // 100 - 10 (the first turn) - 10 (the continuation) - 2 x 5 (a call, a creation); both
    // refused at the commit: + 2 x 5; the last continuation - 10
    assertThat(answer).hasValue("code 2, code 2, balance 70");
    assertThat(system.cyclesBalance(ActorRefs.idOf(maker))).isEqualTo(70L);
  }
}

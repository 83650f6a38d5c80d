package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rule R21: an ingress call comes from outside the system, from a principal or anonymous; no
 * reference lets it carry an actor's identity.
 */
class ForgedActorCallerTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Vault {
    /** Only the owner actor may take. */
    Mono<String> take();

    @Query
    Mono<String> lastTaker();
  }

  static final class VaultActor extends Actor implements Vault {
    private final ActorId owner;
    private final Var<String> lastTaker = newVar("lastTaker", "nobody");

    VaultActor(ActorId owner) {
      this.owner = owner;
    }

    @Override
    public Mono<String> take() {
      if (!caller().equals(Caller.actor(owner))) {
        return reject("only " + owner + " may take, not " + caller());
      }
      lastTaker.set(caller().toString());
      return Mono.just("taken");
    }

    @Override
    public Mono<String> lastTaker() {
      return Mono.just(lastTaker.get());
    }
  }

  public interface Thief {
    Mono<Long> steal(Vault vault, ActorId owner);
  }

  final class ThiefActor extends Actor implements Thief {
    @Override
    public Mono<Long> steal(Vault vault, ActorId owner) {
      Vault asOwner;
      try {
        asOwner = ActorRefs.withIngressCaller(vault, Caller.actor(owner));
      } catch (IllegalArgumentException refused) {
        return Mono.just(0L);
      }
      // no await: the call is made on the timer's thread, where it is sent as an ingress call
      return Mono.delay(Duration.ofMillis(1), scheduler).doOnNext(t -> asOwner.take());
    }
  }

  @Test
  @DisplayName("R21 a reference cannot make ingress calls carry an actor's identity")
  void ingressCallsCannotCarryAnActorsIdentity() {
    ActorId owner = ActorId.of("owner");
    Vault vault = system.spawn(Vault.class, () -> new VaultActor(owner));
    Thief thief = system.spawn(Thief.class, ThiefActor::new);
    thief.steal(vault, owner);
    scheduler.runUntilIdle();
    scheduler.advanceTimeBy(Duration.ofMillis(1));
    assertThat(vault.lastTaker().block()).as("the vault was not opened as its owner").isEqualTo("nobody");
    assertThatThrownBy(() -> ActorRefs.withIngressCaller(vault, Caller.actor(owner)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

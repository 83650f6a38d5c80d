package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
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

  public interface Relay {
    /** Takes from the vault, in a turn of this actor. */
    Mono<String> takeFrom(Vault vault);

    /** Creates an actor in {@code system}, in a turn of this actor, and returns its creator. */
    Mono<String> createIn(ActorSystem system);
  }

  public interface Child {
    @Query
    Mono<String> creatorName();
  }

  static final class ChildActor extends Actor implements Child {
    @Override
    public Mono<String> creatorName() {
      return Mono.just(creator().toString());
    }
  }

  static final ActorClass<Child, Void> CHILDREN = ActorClass.of(Child.class, v -> new ChildActor());

  static final class RelayActor extends Actor implements Relay {
    @Override
    public Mono<String> takeFrom(Vault vault) {
      return await(vault.take()).onErrorResume(CallError.class, e -> Mono.just(e.rejectMessage()));
    }

    @Override
    public Mono<String> createIn(ActorSystem system) {
      return await(system.spawn(CHILDREN, null)).flatMap(child -> await(child.creatorName()));
    }
  }

  @Test
  @DisplayName("R21 an actor of another system is not the actor of the callee's system that has its"
      + " id: its calls come from a foreign actor that names its system")
  void anActorOfAnotherSystemIsNotTheActorWithItsId() {
    ActorId owner = ActorId.of("owner");
    Vault vault = system.spawn(Vault.class, () -> new VaultActor(owner));
    system.spawn(Relay.class, owner, RelayActor::new); // the owner, in the vault's system
    try (ActorSystem other = ActorSystem.create(
        ActorSystemConfig.builder().name("other").scheduler(scheduler).build())) {
      Relay impostor = other.spawn(Relay.class, owner, RelayActor::new);
      Caller foreign = Caller.foreignActor(other, owner);
      assertThat(scheduler.await(impostor.takeFrom(vault)))
          .isEqualTo("only owner may take, not " + foreign);
      assertThat(vault.lastTaker().block()).isEqualTo("nobody");
      Relay real = system.lookup(Relay.class, owner);
      assertThat(scheduler.await(real.takeFrom(vault))).isEqualTo("taken");
      assertThat(vault.lastTaker().block()).isEqualTo("actor:owner");
      assertThat(scheduler.await(impostor.createIn(system))).as("the creator of a child")
          .isEqualTo(foreign.toString());
      assertThat(scheduler.await(real.createIn(system))).isEqualTo("actor:owner");
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

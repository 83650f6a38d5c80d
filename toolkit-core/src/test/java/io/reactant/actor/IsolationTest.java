package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.IsolationException;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Rules R1, R17 and R18: isolation, asynchronous contexts, no sends from initializers. */
class IsolationTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Vault {
    Mono<Void> leak();

    Mono<Long> readAfterForeignHop();

    Mono<Long> readOtherActorsState();

    Mono<Long> awaitOtherActorsAwait(Vault other);

    Mono<Long> awaitFromForeignThread();

    Mono<Mono<Long>> leakAwait();

    Mono<Long> deposit(long amount);

    @Query
    Mono<Long> balance();
  }

  static final class VaultActor extends Actor implements Vault {
    static final AtomicReference<Var<Long>> LEAKED = new AtomicReference<>();
    static final AtomicReference<java.util.function.Supplier<Caller>> LEAKED_CALLER = new AtomicReference<>();
    private final Var<Long> balance = newVar("balance", 100L);

    @Override
    public Mono<Void> leak() {
      LEAKED.set(balance);
      LEAKED_CALLER.set(this::caller);
      return done();
    }

    @Override
    public Mono<Long> readAfterForeignHop() {
      // asynchronous work that does not go through await: the map runs off the turn
      return Mono.delay(Duration.ofMillis(1), reactor.core.scheduler.Schedulers.single())
          .map(t -> balance.get());
    }

    @Override
    public Mono<Long> readOtherActorsState() {
      return Mono.just(LEAKED.get().get());
    }

    @Override
    public Mono<Long> awaitOtherActorsAwait(Vault other) {
      return await(other.leakAwait()).flatMap(m -> m);
    }

    @Override
    public Mono<Mono<Long>> leakAwait() {
      return Mono.just(await(Mono.just(1L)));
    }

    @Override
    public Mono<Long> awaitFromForeignThread() {
      return Mono.delay(Duration.ofMillis(1), reactor.core.scheduler.Schedulers.single())
          .then(await(Mono.just(1L)));
    }

    @Override
    public Mono<Long> deposit(long amount) {
      return Mono.just(balance.update(b -> b + amount));
    }

    @Override
    public Mono<Long> balance() {
      return Mono.just(balance.get());
    }
  }

  public interface Sneaky {
    @Query
    Mono<Long> value();
  }

  static final class SendingInitializer extends Actor implements Sneaky {
    SendingInitializer(Vault vault) {
      vault.deposit(1_000_000L); // rule R18: a trap
    }

    @Override
    public Mono<Long> value() {
      return Mono.just(0L);
    }
  }

  static final class TrappingInitializer extends Actor implements Sneaky {
    private final Var<Long> value = newVar("value", 0L);

    TrappingInitializer(long divisor) {
      value.set(10L / divisor);
    }

    @Override
    public Mono<Long> value() {
      return Mono.just(value.get());
    }
  }

  @Test
  @DisplayName("R1 a caller holds a reference, never the object")
  void callerHoldsAReference() {
    Vault vault = system.spawn(Vault.class, VaultActor::new);
    assertThat(vault).isNotInstanceOf(VaultActor.class);
    assertThat(ActorRefs.isRef(vault)).isTrue();
    assertThat(vault.toString()).isEqualTo("ActorRef[Vault " + ActorRefs.idOf(vault) + "]");
    assertThat(vault).isEqualTo(system.lookup(Vault.class, ActorRefs.idOf(vault)));
  }

  @Test
  @DisplayName("R1 an actor cannot be constructed with new, outside the system")
  void actorCannotBeConstructedDirectly() {
    assertThatThrownBy(VaultActor::new)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("never with 'new'");
  }

  @Test
  @DisplayName("R1 reading or writing leaked state outside the actor's turns fails at once")
  void leakedStateCannotBeUsedOutside() {
    Vault vault = system.spawn(Vault.class, VaultActor::new);
    scheduler.await(vault.leak());
    Var<Long> leaked = VaultActor.LEAKED.get();
    assertThatThrownBy(leaked::get)
        .isInstanceOf(IsolationException.class)
        .hasMessageContaining("'balance'")
        .hasMessageContaining("outside any actor")
        .hasMessageContaining("rule R1");
    assertThatThrownBy(() -> leaked.set(0L)).isInstanceOf(IsolationException.class);
    assertThat(vault.balance().block()).isEqualTo(100L);
  }

  @Test
  @DisplayName("R1 reading another actor's state from a turn is a trap of the reader")
  void otherActorsStateIsOutOfReach() {
    Vault vault = system.spawn(Vault.class, VaultActor::new);
    Vault thief = system.spawn(Vault.class, VaultActor::new);
    scheduler.await(vault.leak());
    assertThatThrownBy(() -> scheduler.await(thief.readOtherActorsState()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("IsolationException");
        });
  }

  @Test
  @DisplayName("R1 state read in an asynchronous callback off the turn fails instead of racing")
  void stateReadOffTheTurnFails() {
    try (ActorSystem real = ActorSystem.create()) {
      Vault vault = real.spawn(Vault.class, VaultActor::new);
      assertThatThrownBy(() -> vault.readAfterForeignHop().block())
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("Use await(...)");
          });
      assertThat(vault.deposit(1).block()).as("the actor lives on").isEqualTo(101L);
    }
  }

  @Test
  @DisplayName("R17 await outside the actor's own turns is a clear error")
  void awaitOutsideTheTurnFails() {
    Vault vault = system.spawn(Vault.class, VaultActor::new);
    Vault other = system.spawn(Vault.class, VaultActor::new);
    assertThatThrownBy(() -> scheduler.await(vault.awaitOtherActorsAwait(other)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.rejectMessage()).contains("only allowed inside the actor's own turns"));
    try (ActorSystem real = ActorSystem.create()) {
      Vault v = real.spawn(Vault.class, VaultActor::new);
      assertThatThrownBy(() -> v.awaitFromForeignThread().block())
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.rejectMessage()).contains("rule R17"));
    }
  }

  @Test
  @DisplayName("R17 asking for the caller outside a turn is a clear error")
  void callerOutsideATurnFails() {
    Vault vault = system.spawn(Vault.class, VaultActor::new);
    scheduler.await(vault.leak());
    assertThatThrownBy(() -> VaultActor.LEAKED_CALLER.get().get())
        .isInstanceOf(IsolationException.class)
        .hasMessageContaining("only inside one of its turns or queries (rule R17)");
  }

  @Test
  @DisplayName("R18 an initializer that sends a message traps: the actor is not created")
  void initializerCannotSend() {
    Vault vault = system.spawn(Vault.class, VaultActor::new);
    assertThatThrownBy(() -> system.spawn(Sneaky.class, ActorId.of("sneaky"), () -> new SendingInitializer(vault)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("cannot send messages (rule R18)");
        });
    scheduler.runUntilIdle();
    assertThat(system.contains(ActorId.of("sneaky"))).isFalse();
    assertThat(vault.balance().block()).isEqualTo(100L);
  }

  @Test
  @DisplayName("R18 an initializer may compute and trap")
  void initializerMayComputeAndTrap() {
    Sneaky ok = system.spawn(Sneaky.class, () -> new TrappingInitializer(2));
    assertThat(ok.value().block()).isEqualTo(5L);
    assertThatThrownBy(() -> system.spawn(Sneaky.class, ActorId.of("broken"), () -> new TrappingInitializer(0)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("trapped in its initializer").contains("/ by zero");
        });
    assertThat(system.contains(ActorId.of("broken"))).isFalse();
  }
}

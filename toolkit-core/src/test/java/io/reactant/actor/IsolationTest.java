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
import reactor.core.publisher.Sinks;

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

    Mono<Long> readOtherActorsBalance();

    Mono<Long> awaitOtherActorsAwait(Vault other);

    Mono<Long> awaitFromForeignThread();

    Mono<Mono<Long>> leakAwait();

    Mono<Long> deposit(long amount);

    @Query
    Mono<Long> balance();

    Mono<Long> signalThenDeposit(Sinks.One<Boolean> signal, long amount);
  }

  static final class VaultActor extends Actor implements Vault {
    static final AtomicReference<Var<Long>> LEAKED = new AtomicReference<>();
    static final AtomicReference<java.util.function.Supplier<Caller>> LEAKED_CALLER = new AtomicReference<>();
    static final AtomicReference<java.util.function.LongSupplier> LEAKED_BALANCE = new AtomicReference<>();
    private final Var<Long> balance = newVar("balance", 100L);

    @Override
    public Mono<Void> leak() {
      LEAKED.set(balance);
      LEAKED_CALLER.set(this::caller);
      LEAKED_BALANCE.set(this::cyclesBalance);
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
    public Mono<Long> readOtherActorsBalance() {
      return Mono.just(LEAKED_BALANCE.get().getAsLong());
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

    @Override
    public Mono<Long> signalThenDeposit(Sinks.One<Boolean> signal, long amount) {
      balance.update(b -> b + amount);
      // whoever awaits the signal resumes here, on this thread, inside this turn
      signal.tryEmitValue(true).orThrow();
      balance.update(b -> b + amount);
      return Mono.just(balance.get());
    }
  }

  public interface Probe {
    /** Waits for the signal, then tries to read {@code cell} and to write it. */
    @CompositeQuery
    Mono<String> touchWhenSignalled(Mono<Boolean> signal, Var<Long> cell);
  }

  static final class ProbeActor extends Actor implements Probe {
    @Override
    public Mono<String> touchWhenSignalled(Mono<Boolean> signal, Var<Long> cell) {
      return await(signal).map(ignored -> attempt(cell::get) + "; " + attempt(() -> {
        cell.set(-1L);
        return "written";
      }));
    }

    private static String attempt(java.util.function.Supplier<Object> access) {
      try {
        return "allowed " + access.get();
      } catch (IsolationException e) {
        return "refused: " + e.getMessage();
      }
    }
  }

  public interface Impatient {
    Mono<Long> one();

    /** Blocks on a call to {@code other} instead of awaiting it. */
    Mono<Long> blockOn(Impatient other);
  }

  static final class ImpatientActor extends Actor implements Impatient {
    @Override
    public Mono<Long> one() {
      return Mono.just(1L);
    }

    @Override
    public Mono<Long> blockOn(Impatient other) {
      return Mono.just(other.one().block() + 1);
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
      if (divisor < 0) {
        trap("a divisor must not be negative");
      }
      if (divisor == 13) {
        try {
          trap("13 is unlucky");
        } catch (io.reactant.error.Trap caught) {
          throw new IllegalStateException("after the caught trap");
        }
      }
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
  @DisplayName("R1 code nested in a turn on its thread cannot reach the turn's state; the turn still can")
  void codeNestedInATurnCannotReachItsState() {
    try (ActorSystem real = ActorSystem.create()) {
      for (ActorSystem s : new ActorSystem[] {system, real}) {
        Vault vault = s.spawn(Vault.class, VaultActor::new);
        Probe probe = s.spawn(Probe.class, ProbeActor::new);
        run(s, vault.leak());
        Sinks.One<Boolean> signal = Sinks.one();
        // a composite query of another actor, suspended until the vault's turn emits the signal
        Mono<String> touched = probe.touchWhenSignalled(signal.asMono(), VaultActor.LEAKED.get());

        assertThat(run(s, vault.signalThenDeposit(signal, 5)))
            .as("the turn reads and writes its state after the nested query ran")
            .isEqualTo(110L);
        assertThat(run(s, touched))
            .startsWith("refused: State 'balance' of actor")
            .contains("was read in the composite query Probe.touchWhenSignalled()")
            .contains("; refused: State 'balance' of actor vault-")
            .contains("rule R1");
        assertThat(run(s, vault.balance())).as("committed, untouched by the query").isEqualTo(110L);
      }
    }
  }

  private <T> T run(ActorSystem s, Mono<T> mono) {
    return s == system ? scheduler.await(mono) : mono.block(Duration.ofSeconds(10));
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
  @DisplayName("R13 R17 Reactor's block() inside a turn fails at once on any scheduler, the test's"
      + " deterministic one included (it waited for ever there): the turn traps, await instead")
  void blockInsideATurnTraps() {
    Impatient a = system.spawn(Impatient.class, ImpatientActor::new);
    Impatient b = system.spawn(Impatient.class, ImpatientActor::new);

    assertThatThrownBy(() -> scheduler.await(a.blockOn(b)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("IllegalStateException")
              .contains("block()/blockFirst()/blockLast() are blocking");
        });
    assertThat(scheduler.await(a.one())).as("the actor lives on").isEqualTo(1L);
    assertThat(Mono.just(2L).delayElement(Duration.ofMillis(1)).block())
        .as("outside a turn, block() still waits").isEqualTo(2L);
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
  @DisplayName("R1 an actor's cycles balance is read only in its own turns and queries; the system reads the committed one")
  void balanceOutsideTheActorFails() {
    Vault vault = system.spawn(Vault.class, VaultActor::new);
    Vault other = system.spawn(Vault.class, VaultActor::new);
    scheduler.await(vault.leak());
    assertThatThrownBy(() -> VaultActor.LEAKED_BALANCE.get().getAsLong())
        .isInstanceOf(IsolationException.class)
        .hasMessageContaining("The cycles balance of").hasMessageContaining("(rule R17)");
    assertThatThrownBy(() -> scheduler.await(other.readOtherActorsBalance()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("IsolationException");
        });
    assertThat(system.cyclesBalance(ActorRefs.idOf(vault))).isNotNegative();
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
  @DisplayName("R12 R18 an initializer may compute and trap; a Trap's message is the reason given,"
      + " and a trap it caught comes first")
  void initializerMayComputeAndTrap() {
    Sneaky ok = system.spawn(Sneaky.class, () -> new TrappingInitializer(2));
    assertThat(ok.value().block()).isEqualTo(5L);
    assertThatThrownBy(() -> system.spawn(Sneaky.class, ActorId.of("broken"), () -> new TrappingInitializer(0)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("trapped in its initializer").contains("/ by zero");
        });
    assertThat(system.contains(ActorId.of("broken"))).isFalse();
    // a Trap's message is the initializer's own words, as a trapped turn's is
    assertThatThrownBy(() -> system.spawn(Sneaky.class, ActorId.of("negative"),
        () -> new TrappingInitializer(-1)))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .isEqualTo("negative trapped in its initializer: a divisor must not be negative"));
    // a trap it caught comes first, whatever it threw after, as in a turn or a query
    assertThatThrownBy(() -> system.spawn(Sneaky.class, ActorId.of("unlucky"),
        () -> new TrappingInitializer(13)))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .isEqualTo("unlucky trapped in its initializer: 13 is unlucky"));
  }

  /** A host method of the system, used by an actor's code (rule R17: it is the host's). */
  enum HostUse {
    SHUTDOWN, CLOSE, REGISTER_VIRTUAL;

    void use(ActorSystem s) {
      switch (this) {
        case SHUTDOWN -> s.shutdown(Duration.ZERO);
        case CLOSE -> s.close();
        default -> s.registerVirtual(Sneaky.class, id -> new TrappingInitializer(1));
      }
    }
  }

  public interface Host {
    /** Writes, then uses the host method (catching what it throws, if asked to). */
    Mono<Long> use(HostUse what, boolean catching);

    @Query
    Mono<Long> useInQuery(HostUse what);

    @Query
    Mono<Long> writes();
  }

  final class HostActor extends Actor implements Host {
    private final Var<Long> writes = newVar("writes", 0L);

    HostActor() {
    }

    HostActor(HostUse inInitializer) {
      inInitializer.use(system);
    }

    @Override
    public Mono<Long> use(HostUse what, boolean catching) {
      writes.set(writes.get() + 1);
      try {
        what.use(system);
      } catch (RuntimeException refused) {
        if (!catching) {
          throw refused;
        }
      }
      return Mono.just(writes.get());
    }

    @Override
    public Mono<Long> useInQuery(HostUse what) {
      what.use(system);
      return Mono.just(0L);
    }

    @Override
    public Mono<Long> writes() {
      return Mono.just(writes.get());
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(HostUse.class)
  @DisplayName("R6 R17 the host's shutdown, close and registerVirtual trap inside an actor's turn,"
      + " query or initializer, even caught: nothing shuts down, nothing is registered")
  void hostMethodsTrapInsideActors(HostUse what) {
    Host host = system.spawn(Host.class, HostActor::new);
    for (boolean catching : new boolean[] {false, true}) {
      assertThatThrownBy(() -> scheduler.await(host.use(what, catching)))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("is the host's");
          });
    }
    assertThatThrownBy(() -> scheduler.await(host.useInQuery(what)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("is the host's");
        });
    assertThatThrownBy(() -> system.spawn(Host.class, ActorId.of("host"), () -> new HostActor(what)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("is the host's");
        });
    assertThat(system.contains(ActorId.of("host"))).isFalse();
    assertThat(scheduler.await(host.writes())).as("the turns rolled back").isZero();

    Sneaky fresh = system.lookup(Sneaky.class, ActorId.of("fresh"));
    assertThatThrownBy(() -> scheduler.await(fresh.value()))
        .as("no virtual factory was registered, and the system is open")
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID));
    system.registerVirtual(Sneaky.class, id -> new TrappingInitializer(1));
    assertThat(scheduler.await(fresh.value())).isEqualTo(10L);
  }
}

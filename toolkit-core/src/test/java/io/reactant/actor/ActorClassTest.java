package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Rules R20 and R21: actor classes, references as values, caller and creator identity. */
class ActorClassTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Counter {
    Mono<Long> bump();

    @Query
    Mono<Long> read();

    @Query
    Mono<String> creatorName();

    Mono<String> whoCalls();

    @Query
    Mono<String> whoQueries();

    /** The caller before an await of {@code other}, after it, and after a failed await. */
    Mono<String> whoCallsAcrossAwaits(Counter other);
  }

  static final class CounterActor extends Actor implements Counter {
    private final Var<Long> count;

    CounterActor(long init) {
      this.count = newVar("count", init);
      if (init < 0) {
        trap("a counter cannot start below zero");
      }
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(count.update(c -> c + 1));
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(count.get());
    }

    @Override
    public Mono<String> creatorName() {
      return Mono.just(creator().toString());
    }

    @Override
    public Mono<String> whoCalls() {
      return Mono.just(caller().toString());
    }

    @Override
    public Mono<String> whoQueries() {
      return Mono.just(caller().toString());
    }

    @Override
    public Mono<String> whoCallsAcrossAwaits(Counter other) {
      String before = caller().toString();
      return await(other.bump())
          .map(n -> before + ", " + caller())
          .flatMap(seen -> await(Mono.<Long>error(CallError.reject("no")))
              .thenReturn(seen)
              .onErrorResume(CallError.class, e -> Mono.just(seen + ", " + caller())));
    }
  }

  static final ActorClass<Counter, Long> COUNTERS = ActorClass.of(Counter.class, CounterActor::new);

  public interface Factory {
    Mono<Counter> create(long init);

    Mono<Void> createThenTrap();

    Mono<String> callThrough(Counter counter);

    Mono<String> callAcrossAwaits(Counter counter, Counter other);

    Mono<List<Counter>> pair();
  }

  static final class FactoryActor extends Actor implements Factory {
    @Override
    public Mono<Counter> create(long init) {
      return await(spawn(COUNTERS, init));
    }

    @Override
    public Mono<Void> createThenTrap() {
      spawn(COUNTERS, 123L);
      return Mono.fromRunnable(() -> trap("never mind"));
    }

    @Override
    public Mono<String> callThrough(Counter counter) {
      // the reference carries a principal for ingress calls; inside an actor it is ignored
      return await(counter.whoCalls());
    }

    @Override
    public Mono<String> callAcrossAwaits(Counter counter, Counter other) {
      return await(counter.whoCallsAcrossAwaits(other));
    }

    @Override
    public Mono<List<Counter>> pair() {
      Mono<Counter> a = spawn(COUNTERS, 1L);
      Mono<Counter> b = spawn(COUNTERS, 2L);
      return await(a).zipWith(await(b), List::of);
    }
  }

  public interface DirectSpawner {
    /** Tries one of the system's direct spawns inside its turn, catching what it throws. */
    Mono<String> tryDirectSpawn(ActorSystem system, int which);
  }

  static final class DirectSpawnerActor extends Actor implements DirectSpawner {
    @Override
    public Mono<String> tryDirectSpawn(ActorSystem system, int which) {
      List<Runnable> attempts = List.of(
          () -> system.spawn(Counter.class, () -> new CounterActor(0L)),
          () -> system.spawn(Counter.class, ActorId.of("fixed"), () -> new CounterActor(0L)),
          () -> system.spawnIfAbsent(Counter.class, ActorId.of("virtual"), () -> new CounterActor(0L)));
      try {
        attempts.get(which).run();
        return Mono.just("created");
      } catch (io.reactant.error.Trap e) {
        return Mono.just("caught: " + e.getMessage()); // a trap cannot be caught: never answered
      }
    }
  }

  @Test
  @DisplayName("R18 R20 inside a turn, each of the system's direct spawns traps, even if caught, and"
      + " names the way to create an actor from a turn; nothing is created")
  void directSpawnsInsideATurnTrap() {
    DirectSpawner spawner = system.spawn(DirectSpawner.class, DirectSpawnerActor::new);
    String[] named = {"a Counter", "fixed", "virtual"};
    for (int which = 0; which < 3; which++) {
      int w = which;
      assertThatThrownBy(() -> scheduler.await(spawner.tryDirectSpawn(system, w)))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("cannot spawn " + named[w])
                .contains("spawn(ActorClass, argument)");
          });
    }
    assertThat(system.actorIds()).containsExactly(ActorRefs.idOf(spawner));
  }

  @Test
  @DisplayName("R18 R20 inside a turn, spawnIfAbsent traps even when the actor exists, even if"
      + " caught: whether a turn traps never depends on a race with another creator of the id")
  void spawnIfAbsentInsideATurnTrapsWhenTheActorExists() {
    DirectSpawner spawner = system.spawn(DirectSpawner.class, DirectSpawnerActor::new);
    Counter existing = system.spawnIfAbsent(Counter.class, ActorId.of("virtual"),
        () -> new CounterActor(7L));
    assertThatThrownBy(() -> scheduler.await(spawner.tryDirectSpawn(system, 2)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("cannot spawn virtual")
              .contains("spawn(ActorClass, argument)");
        });
    assertThat(system.actorIds()).containsExactlyInAnyOrder(ActorRefs.idOf(spawner),
        ActorId.of("virtual"));
    assertThat(existing.read().block()).isEqualTo(7L);
  }

  @Test
  @DisplayName("R20 creating an actor-class instance is asynchronous and returns a future of a reference")
  void actorClassCreatesInstancesAsynchronously() {
    Mono<Counter> future = system.spawn(COUNTERS, 5L);
    int before = system.actorIds().size();
    Counter c = scheduler.await(future);
    assertThat(system.actorIds()).hasSize(before + 1);
    assertThat(scheduler.await(c.bump())).isEqualTo(6L);
  }

  @Test
  @DisplayName("R20 each instance has its own state and mailbox")
  void instancesAreIndependent() {
    Factory factory = system.spawn(Factory.class, FactoryActor::new);
    List<Counter> pair = scheduler.await(factory.pair());
    scheduler.await(pair.get(0).bump());
    assertThat(pair.get(0).read().block()).isEqualTo(2L);
    assertThat(pair.get(1).read().block()).isEqualTo(2L);
    assertThat(ActorRefs.idOf(pair.get(0))).isNotEqualTo(ActorRefs.idOf(pair.get(1)));
  }

  @Test
  @DisplayName("R20 an initializer that traps fails the creation with code 5")
  void trappingInitializerFailsTheCreation() {
    assertThatThrownBy(() -> scheduler.await(system.spawn(COUNTERS, -1L)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("a counter cannot start below zero");
        });
    assertThat(system.actorIds()).isEmpty();
  }

  @Test
  @DisplayName("R20 R10 a creation requested by a turn that traps never happens")
  void creationIsRevokedByATrap() {
    Factory factory = system.spawn(Factory.class, FactoryActor::new);
    assertThatThrownBy(() -> scheduler.await(factory.createThenTrap())).isInstanceOf(CallError.class);
    scheduler.runUntilIdle();
    assertThat(system.actorIds()).containsExactly(ActorRefs.idOf(factory));
  }

  @Test
  @DisplayName("R21 an instance learns who created it")
  void instanceKnowsItsCreator() {
    Factory factory = system.spawn(Factory.class, FactoryActor::new);
    Counter made = scheduler.await(factory.create(0));
    assertThat(made.creatorName().block()).isEqualTo("actor:" + ActorRefs.idOf(factory));
    Counter fromOutside = scheduler.await(system.spawn(COUNTERS, 0L));
    assertThat(fromOutside.creatorName().block()).isEqualTo("anonymous");
  }

  @Test
  @DisplayName("R21 a shared method learns its caller: an actor, a principal, or anonymous")
  void methodsLearnTheirCaller() {
    Counter counter = scheduler.await(system.spawn(COUNTERS, 0L));
    Factory factory = system.spawn(Factory.class, FactoryActor::new);
    assertThat(scheduler.await(counter.whoCalls())).isEqualTo("anonymous");
    Counter asAlice = ActorRefs.withIngressCaller(counter, Caller.principal("alice"));
    assertThat(scheduler.await(asAlice.whoCalls())).isEqualTo("principal:alice");
    assertThat(asAlice.whoQueries().block()).isEqualTo("principal:alice");
    assertThat(scheduler.await(factory.callThrough(counter)))
        .isEqualTo("actor:" + ActorRefs.idOf(factory));
  }

  @Test
  @DisplayName("R21 R13 caller() is the method's caller in every turn of it: after an await, and"
      + " where a failed await is caught")
  void callerStaysAcrossAwaits() {
    Counter counter = scheduler.await(system.spawn(COUNTERS, 0L));
    Counter other = scheduler.await(system.spawn(COUNTERS, 0L));
    Factory factory = system.spawn(Factory.class, FactoryActor::new);
    Counter asAlice = ActorRefs.withIngressCaller(counter, Caller.principal("alice"));

    assertThat(scheduler.await(asAlice.whoCallsAcrossAwaits(other)))
        .isEqualTo("principal:alice, principal:alice, principal:alice");
    String byFactory = "actor:" + ActorRefs.idOf(factory);
    assertThat(scheduler.await(factory.callAcrossAwaits(counter, other)))
        .isEqualTo(byFactory + ", " + byFactory + ", " + byFactory);
  }

  @Test
  @DisplayName("R21 callers cannot forge an identity: inside an actor, the actor's id wins")
  void actorsCannotForgeAnIdentity() {
    Counter counter = scheduler.await(system.spawn(COUNTERS, 0L));
    Factory factory = system.spawn(Factory.class, FactoryActor::new);
    Counter forged = ActorRefs.withIngressCaller(counter, Caller.principal("admin"));
    assertThat(scheduler.await(factory.callThrough(forged)))
        .isEqualTo("actor:" + ActorRefs.idOf(factory));
  }

  @Test
  @DisplayName("R21 references are values: stored, passed in messages, compared")
  void referencesAreValues() {
    Counter counter = scheduler.await(system.spawn(COUNTERS, 0L));
    Counter again = system.lookup(Counter.class, ActorRefs.idOf(counter));
    assertThat(again).isEqualTo(counter).hasSameHashCodeAs(counter);
    assertThat(ActorRefs.typeOf(again)).isEqualTo(Counter.class);
    assertThat(Caller.actor(ActorId.of("a"))).isEqualTo(Caller.actor(ActorId.of("a")));
    assertThat(Caller.actor(ActorId.of("a")).actorId()).contains(ActorId.of("a"));
    assertThat(Caller.anonymous().isAnonymous()).isTrue();
  }
}

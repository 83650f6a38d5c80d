package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.state.Var;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The actor system itself: spawning, lookups, configuration, monitoring. */
class ActorSystemTest {

  public interface Greeter {
    Mono<String> greet(String name);

    Mono<String> fail();
  }

  static final class GreeterActor extends Actor implements Greeter {
    private final Var<Integer> greetings = newVar("greetings", 0);

    @Override
    public Mono<String> greet(String name) {
      greetings.update(g -> g + 1);
      return Mono.just("hello " + name + " #" + greetings.get());
    }

    @Override
    public Mono<String> fail() {
      return trap("nope");
    }
  }

  public interface NotAnActorType {
    String greet(String name);
  }

  @Test
  @DisplayName("R19 the system's executor runs a task on the threads of the turns, outside any"
      + " actor (where an ingress query runs, for a host on a thread that must not run it); once"
      + " the system is shut down, at once on the calling thread")
  void executorRunsTasksWhereTurnsRun() {
    io.reactant.scheduler.DeterministicScheduler scheduler =
        io.reactant.scheduler.DeterministicScheduler.create();
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());
    Greeter greeter = system.spawn(Greeter.class, GreeterActor::new);
    java.util.List<String> ran = new java.util.ArrayList<>();
    system.executor().execute(() -> greeter.greet("the host").subscribe(ran::add));
    assertThat(ran).as("it waits for the scheduler, as a turn does").isEmpty();
    scheduler.runUntilIdle();
    assertThat(ran).as("an ingress call: outside any actor").containsExactly("hello the host #1");
    system.close();
    scheduler.runUntilIdle();
    // the pool a system owns refuses tasks once the system is shut down
    ActorSystem owning = ActorSystem.create();
    owning.close();
    owning.executor().execute(() -> ran.add("after the shutdown on " + Thread.currentThread()));
    assertThat(ran).containsExactly("hello the host #1", "after the shutdown on "
        + Thread.currentThread());
  }

  public interface Where {
    /** Answers the name of the thread the query runs on. */
    @Query
    Mono<String> thread();
  }

  static final class WhereActor extends Actor implements Where {
    @Override
    public Mono<String> thread() {
      return Mono.just(Thread.currentThread().getName());
    }
  }

  @Test
  @DisplayName("R19 a query called on the system's executor, as docs/starter.md shows for a"
      + " controller on an event loop (Mono.defer, subscribeOn), runs on a thread of the actors,"
      + " not the caller's")
  void queryCalledOnTheExecutorRunsOnAnActorThread() {
    ActorSystemConfig config = ActorSystemConfig.builder().name("hosted").build();
    try (ActorSystem system = ActorSystem.create(config)) {
      Where where = system.spawn(Where.class, WhereActor::new);
      Mono<String> value = Mono.defer(() -> where.thread())
          .subscribeOn(reactor.core.scheduler.Schedulers.fromExecutor(system.executor()));

      String thread = value.block(java.time.Duration.ofSeconds(30));

      assertThat(thread).startsWith("hosted-").isNotEqualTo(Thread.currentThread().getName());
      assertThat(where.thread().block()).as("called here, it runs here")
          .isEqualTo(Thread.currentThread().getName());
    }
  }

  @Test
  @DisplayName("an interface whose methods do not return Mono is refused with the reason")
  void invalidInterfaceIsRefused() {
    try (ActorSystem system = ActorSystem.create()) {
      assertThatThrownBy(() -> system.lookup(NotAnActorType.class, ActorId.of("x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("greet() returns String (a shared method returns Mono<T>, or void for a oneway)");
      assertThatThrownBy(() -> system.lookup(GreeterActor.class, ActorId.of("x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be an interface");
      assertThatThrownBy(() -> ActorRefs.requireActorType(NotAnActorType.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("greet() returns String");
      ActorRefs.requireActorType(Greeter.class);
    }
  }

  interface Hidden {
    Mono<String> greet(String name);
  }

  static final class HiddenActor extends Actor implements Hidden {
    @Override
    public Mono<String> greet(String name) {
      return Mono.just("psst " + name);
    }
  }

  @Test
  @DisplayName("a non-public interface is refused before anything is created, and its id stays free")
  void nonPublicInterfaceIsRefusedAndCreatesNothing() {
    try (ActorSystem system = ActorSystem.create()) {
      assertThatThrownBy(() -> system.spawn(Hidden.class, ActorId.of("h"), HiddenActor::new))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid actor interface " + Hidden.class.getName())
          .hasMessageContaining("the interface is not public");
      assertThatThrownBy(() -> system.spawn(Hidden.class, HiddenActor::new))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(system.actorIds()).isEmpty();
      Greeter g = system.spawn(Greeter.class, ActorId.of("h"), GreeterActor::new);
      assertThat(g.greet("Ada").block()).isEqualTo("hello Ada #1");
    }
  }

  public interface Ledger {
    Mono<Long> add(long amount);

    Mono<Long> total();
  }

  static final class MarkedOnlyHereActor extends Actor implements Ledger {
    private final Var<Long> total = newVar("total", 0L);

    @Override
    public Mono<Long> add(long amount) {
      return Mono.just(total.update(t -> t + amount));
    }

    @Override
    @Query
    public Mono<Long> total() {
      total.set(99L); // a query's write would vanish; as an update it would stay
      return Mono.just(total.get());
    }
  }

  @Test
  @DisplayName("R19 a method marked @Query on the implementation only is refused at spawn, naming it")
  void queryMarkerOnTheImplementationOnlyIsRefused() {
    try (ActorSystem system = ActorSystem.create()) {
      assertThatThrownBy(() -> system.spawn(Ledger.class, ActorId.of("l"), MarkedOnlyHereActor::new))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(MarkedOnlyHereActor.class.getName() + " marks methods of "
              + Ledger.class.getName() + " differently from the interface")
          .hasMessageContaining("total() is marked @Query but the interface makes it an update");
      assertThat(system.actorIds()).isEmpty();
      assertThatThrownBy(() -> ActorRefs.requireActorType(Ledger.class, MarkedOnlyHereActor.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("total() is marked @Query");
      assertThatThrownBy(() -> ActorRefs.requireActorType(Ledger.class, GreeterActor.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not implement " + Ledger.class.getName());
      ActorRefs.requireActorType(Greeter.class, GreeterActor.class);
    }
  }

  @Test
  @DisplayName("spawning the same id twice is refused; spawnIfAbsent returns the existing actor")
  void duplicateIds() {
    try (ActorSystem system = ActorSystem.create()) {
      Greeter g = system.spawn(Greeter.class, ActorId.of("g"), GreeterActor::new);
      assertThatThrownBy(() -> system.spawn(Greeter.class, ActorId.of("g"), GreeterActor::new))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'g' already exists");
      g.greet("a").block();
      Greeter again = system.spawnIfAbsent(Greeter.class, ActorId.of("g"), GreeterActor::new);
      assertThat(again.greet("b").block()).isEqualTo("hello b #2");
    }
  }

  /** A greeter that also tells where it runs: an actor of two interfaces. */
  static final class GreeterWhereActor extends Actor implements Greeter, Where {
    @Override
    public Mono<String> greet(String name) {
      return Mono.just("hello " + name + " from both");
    }

    @Override
    public Mono<String> fail() {
      return trap("nope");
    }

    @Override
    public Mono<String> thread() {
      return Mono.just(Thread.currentThread().getName());
    }
  }

  @Test
  @DisplayName("R1 R20 spawnIfAbsent refuses an id taken by an actor that does not implement the"
      + " type, as spawn refuses a taken id, rather than return a reference whose every call fails"
      + " with code 3; its factory never runs. An actor that implements the type is returned")
  void spawnIfAbsentRefusesAnIdTakenByAnActorOfAnotherType() {
    try (ActorSystem system = ActorSystem.create()) {
      system.spawn(Where.class, ActorId.of("w"), WhereActor::new);
      AtomicInteger built = new AtomicInteger();
      assertThatThrownBy(() -> system.spawnIfAbsent(Greeter.class, ActorId.of("w"), () -> {
        built.incrementAndGet();
        return new GreeterActor();
      }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("An actor with id 'w' already exists, of class "
              + WhereActor.class.getName() + ", which does not implement " + Greeter.class.getName());
      assertThat(built).hasValue(0);

      system.spawn(Where.class, ActorId.of("both"), GreeterWhereActor::new);
      Greeter both = system.spawnIfAbsent(Greeter.class, ActorId.of("both"), GreeterActor::new);
      assertThat(both.greet("b").block()).isEqualTo("hello b from both");
    }
  }

  @Test
  @DisplayName("R1 R20 spawnIfAbsent that loses the race for an id to an actor of another type,"
      + " created while its factory runs, refuses it too")
  void spawnIfAbsentLosingTheRaceToAnotherTypeRefusesIt() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      java.util.concurrent.CountDownLatch building = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch taken = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CompletableFuture<Object> outcome = new java.util.concurrent.CompletableFuture<>();
      Thread racer = new Thread(() -> {
        try {
          outcome.complete(system.spawnIfAbsent(Greeter.class, ActorId.of("w"), () -> {
            GreeterActor g = new GreeterActor();
            building.countDown();
            try {
              taken.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return g;
          }));
        } catch (Throwable e) {
          outcome.complete(e);
        }
      });
      racer.start();
      building.await();
      system.spawn(Where.class, ActorId.of("w"), WhereActor::new);
      taken.countDown();
      racer.join();

      assertThat(outcome.get()).isInstanceOfSatisfying(IllegalArgumentException.class,
          e -> assertThat(e).hasMessageContaining("does not implement " + Greeter.class.getName()));
      assertThat(system.actorIds()).containsExactly(ActorId.of("w"));
    }
  }

  @Test
  @DisplayName("generated ids skip those taken by actors spawned under chosen ids, which keep their state")
  void generatedIdsSkipTakenOnes() {
    try (ActorSystem system = ActorSystem.create()) {
      Greeter first = system.spawn(Greeter.class, ActorId.of("greeter-1"), GreeterActor::new);
      Greeter second = system.spawn(Greeter.class, ActorId.of("greeter-2"), GreeterActor::new);
      first.greet("a").block();
      Greeter generated = system.spawn(Greeter.class, GreeterActor::new);
      assertThat(generated.toString()).isEqualTo("ActorRef[Greeter greeter-3]");
      assertThat(generated.greet("b").block()).isEqualTo("hello b #1");
      assertThat(first.greet("c").block()).isEqualTo("hello c #2");
      assertThat(second.greet("d").block()).isEqualTo("hello d #1");
      assertThat(system.actorIds()).containsExactlyInAnyOrder(ActorId.of("greeter-1"),
          ActorId.of("greeter-2"), ActorId.of("greeter-3"));
      assertThat(system.lookup(Greeter.class, ActorId.of("greeter-3")).greet("e").block())
          .isEqualTo("hello e #2");
    }
  }

  @Test
  @DisplayName("under contention, generated ids are unique and skip the chosen ids taken meanwhile")
  void generatedIdsUnderContention() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      java.util.Queue<Greeter> generated = new java.util.concurrent.ConcurrentLinkedQueue<>();
      AtomicInteger chosen = new AtomicInteger();
      TestThreads.runAll(8, thread -> {
        for (int i = 0; i < 500; i++) {
          generated.add(system.spawn(Greeter.class, GreeterActor::new));
          // chosen ids in the generated form: some are taken before the counter gets there
          int n = chosen.incrementAndGet();
          if (n % 2 == 0) {
            system.spawnIfAbsent(Greeter.class, ActorId.of("greeter-" + (n * 3)), GreeterActor::new);
          }
        }
      });
      assertThat(generated).hasSize(4_000);
      assertThat(generated.stream().map(Object::toString).distinct()).hasSize(4_000);
      assertThat(system.actorCount()).isEqualTo(system.actorIds().size()).isGreaterThan(4_000);
      for (Greeter g : generated) {
        assertThat(g.greet("x").block()).as("%s is a new actor of its own", g).isEqualTo("hello x #1");
      }
    }
  }

  @Test
  @DisplayName("spawnIfAbsent under contention activates exactly one actor per id")
  void spawnIfAbsentUnderContention() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      ConcurrentHashMap<String, Boolean> greetings = new ConcurrentHashMap<>();
      TestThreads.runAll(8, thread -> {
        for (int i = 0; i < 200; i++) {
          Greeter g = system.spawnIfAbsent(Greeter.class, ActorId.of("v-" + i), GreeterActor::new);
          greetings.put(g.greet("x").block(), true);
        }
      });
      assertThat(system.actorIds()).hasSize(200);
      assertThat(system.actorCount()).isEqualTo(200);
      // each actor numbered its greetings 1..8 exactly once: one instance per id
      assertThat(greetings).hasSize(8);
    }
  }

  @Test
  @DisplayName("the listener hears every turn and every failed call with its code")
  void listenerHearsTurnsAndRejects() {
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger trapped = new AtomicInteger();
    ConcurrentHashMap<RejectCode, AtomicInteger> rejects = new ConcurrentHashMap<>();
    TurnListener listener = new TurnListener() {
      @Override
      public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
        assertThat(durationNanos).isNotNegative();
        (outcome == Outcome.COMMITTED ? committed : trapped).incrementAndGet();
      }

      @Override
      public void callRejected(ActorId actor, String method, RejectCode code) {
        rejects.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
      }
    };
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().listener(listener).build())) {
      Greeter g = system.spawn(Greeter.class, GreeterActor::new);
      g.greet("a").block();
      assertThatThrownBy(() -> g.fail().block()).isInstanceOf(CallError.class);
      Greeter ghost = system.lookup(Greeter.class, ActorId.of("ghost"));
      assertThatThrownBy(() -> ghost.greet("b").block()).isInstanceOf(CallError.class);
      assertThat(committed).hasValue(1);
      assertThat(trapped).hasValue(1);
      assertThat(rejects.get(RejectCode.CANISTER_ERROR)).hasValue(1);
      assertThat(rejects.get(RejectCode.DESTINATION_INVALID)).hasValue(1);
      assertThat(system.actors()).singleElement().satisfies(info -> {
        assertThat(info.turns()).isEqualTo(2);
        assertThat(info.traps()).isEqualTo(1);
        assertThat(info.mailboxDepth()).isZero();
        assertThat(info.type()).isEqualTo(Greeter.class);
      });
    }
  }

  @Test
  @DisplayName("configuration values are validated with a clear message")
  void configurationIsValidated() {
    assertThatThrownBy(() -> ActorSystemConfig.builder().parallelism(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelism");
    assertThatThrownBy(() -> ActorSystemConfig.builder().turnsPerScheduling(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("turnsPerScheduling");
    assertThatThrownBy(() -> ActorSystemConfig.builder().name(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ActorSystemConfig.builder().idleSpins(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleSpins");
    assertThatThrownBy(() -> ActorSystemConfig.builder().maxActors(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxActors");
    assertThat(ActorSystemConfig.defaults().idleSpins()).isPositive();
    assertThat(ActorSystemConfig.builder().idleSpins(0).build().idleSpins()).isZero();
    ActorSystemConfig config = ActorSystemConfig.builder().name("n").parallelism(3).turnsPerScheduling(5).build();
    assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
    assertThat(config.parallelism()).isEqualTo(3);
  }

  @Test
  @DisplayName("a factory that does not build a new actor is refused")
  void factoryMustBuildAnActor() {
    try (ActorSystem system = ActorSystem.create()) {
      assertThatThrownBy(() -> system.spawn(Greeter.class, () -> new Greeter() {
        @Override
        public Mono<String> greet(String name) {
          return Mono.just(name);
        }

        @Override
        public Mono<String> fail() {
          return Mono.empty();
        }
      })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subclass of io.reactant.actor.Actor");
      assertThat(system.actorIds()).isEmpty();
    }
  }

  static final class FussyGreeterActor extends Actor implements Greeter {
    private final Var<Integer> greetings = newVar("greetings", 0);

    FussyGreeterActor(ActorId id) {
      if (id.value().startsWith("bad")) {
        trap("no greeter for " + id);
      }
    }

    @Override
    public Mono<String> greet(String name) {
      greetings.update(g -> g + 1);
      return Mono.just(actorId() + " greets " + name + " #" + greetings.get());
    }

    @Override
    public Mono<String> fail() {
      return trap("nope");
    }
  }

  public interface Relay {
    Mono<String> relay(String greeterId);
  }

  static final class RelayActor extends Actor implements Relay {
    @Override
    public Mono<String> relay(String greeterId) {
      return await(actorOf(Greeter.class, ActorId.of(greeterId)).greet("relay"));
    }
  }

  public interface NamedRelay {
    /** Greets the greeter of id {@code greeterId}, reached by {@code actorOf(type, String)}. */
    Mono<String> relay(String greeterId);
  }

  static final class NamedRelayActor extends Actor implements NamedRelay {
    @Override
    public Mono<String> relay(String greeterId) {
      return await(actorOf(Greeter.class, greeterId).greet("relay"));
    }
  }

  @Test
  @DisplayName("R21 a reference by a String id, lookup(type, id) outside an actor and actorOf(type,"
      + " id) in one, is the one ActorId.of(id) gives; a blank id is refused as ActorId.of refuses"
      + " it, in a turn as a trap")
  void referencesByAStringId() {
    io.reactant.scheduler.DeterministicScheduler scheduler = io.reactant.scheduler.DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      system.spawn(Greeter.class, ActorId.of("g-1"), GreeterActor::new);
      Greeter byString = system.lookup(Greeter.class, "g-1");
      assertThat(ActorRefs.idOf(byString)).isEqualTo(ActorId.of("g-1"));
      assertThat(scheduler.await(byString.greet("a"))).isEqualTo("hello a #1");
      NamedRelay relay = system.spawn(NamedRelay.class, NamedRelayActor::new);
      assertThat(scheduler.await(relay.relay("g-1"))).isEqualTo("hello relay #2");
      assertThatThrownBy(() -> scheduler.await(relay.relay("nobody")))
          .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.code())
              .as("code 3, rethrown by the relay").isEqualTo(RejectCode.CANISTER_REJECT));

      assertThatThrownBy(() -> ActorId.of(" ")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("An actor id must not be blank");
      assertThatThrownBy(() -> system.lookup(Greeter.class, " "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("An actor id must not be blank");
      assertThatThrownBy(() -> scheduler.await(relay.relay(" ")))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("IllegalArgumentException")
                .contains("An actor id must not be blank");
          });
    }
  }

  @Test
  @DisplayName("R20 a virtual actor is activated by its first call, from outside or from another actor")
  void virtualActorsAreActivatedByTheirFirstCall() {
    io.reactant.scheduler.DeterministicScheduler scheduler = io.reactant.scheduler.DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      system.registerVirtual(Greeter.class, FussyGreeterActor::new);
      Greeter v1 = system.lookup(Greeter.class, ActorId.of("v1"));
      assertThat(system.contains(ActorId.of("v1"))).as("a reference creates nothing").isFalse();
      assertThat(scheduler.await(v1.greet("a"))).isEqualTo("v1 greets a #1");
      assertThat(scheduler.await(v1.greet("b"))).isEqualTo("v1 greets b #2");
      Relay relay = system.spawn(Relay.class, RelayActor::new);
      assertThat(scheduler.await(relay.relay("v2"))).isEqualTo("v2 greets relay #1");
      assertThat(scheduler.await(relay.relay("v1"))).isEqualTo("v1 greets relay #3");
      assertThat(system.actorIds()).contains(ActorId.of("v1"), ActorId.of("v2"));
    }
  }

  @Test
  @DisplayName("R12 R20 a virtual actor whose initializer traps fails the call with code 5 and is not created")
  void trappingActivationFailsTheCall() {
    io.reactant.scheduler.DeterministicScheduler scheduler = io.reactant.scheduler.DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      system.registerVirtual(Greeter.class, FussyGreeterActor::new);
      Greeter bad = system.lookup(Greeter.class, ActorId.of("bad-1"));
      assertThatThrownBy(() -> scheduler.await(bad.greet("a")))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("no greeter for bad-1");
          });
      Relay relay = system.spawn(Relay.class, RelayActor::new);
      assertThatThrownBy(() -> scheduler.await(relay.relay("bad-2")))
          .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT));
      assertThat(system.actorIds()).containsExactly(ActorRefs.idOf(relay));
      assertThatThrownBy(() -> system.registerVirtual(Greeter.class, FussyGreeterActor::new))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has");
    }
  }

  @Test
  @DisplayName("R2 R20 concurrent first calls to a virtual actor activate exactly one instance")
  void concurrentActivationCreatesOneInstance() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      system.registerVirtual(Greeter.class, FussyGreeterActor::new);
      ConcurrentHashMap<String, Boolean> greetings = new ConcurrentHashMap<>();
      TestThreads.runAll(8, thread -> {
        for (int i = 0; i < 100; i++) {
          greetings.put(system.lookup(Greeter.class, ActorId.of("w-" + i)).greet("x").block(), true);
        }
      });
      assertThat(system.actorIds()).hasSize(100);
      assertThat(greetings).as("each actor numbered its 8 greetings once").hasSize(800);
    }
  }

  @Test
  @DisplayName("R12a R20 past maxActors, a first call to a virtual id answers code 2 and creates nothing; a spawn throws it")
  void maxActorsBoundsActivationsAndSpawns() {
    io.reactant.scheduler.DeterministicScheduler scheduler = io.reactant.scheduler.DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("bounded")
        .scheduler(scheduler).maxActors(3).build())) {
      system.registerVirtual(Greeter.class, FussyGreeterActor::new);
      Relay relay = system.spawn(Relay.class, RelayActor::new);
      assertThat(scheduler.await(system.lookup(Greeter.class, ActorId.of("v1")).greet("a")))
          .isEqualTo("v1 greets a #1");
      assertThat(scheduler.await(relay.relay("v2"))).isEqualTo("v2 greets relay #1");
      assertThatThrownBy(() -> scheduler.await(system.lookup(Greeter.class, ActorId.of("v3")).greet("a")))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT);
            assertThat(e.rejectMessage())
                .isEqualTo("The actor system is full (3 actors): the actor 'v3' was not created");
          });
      assertThatThrownBy(() -> system.spawn(Relay.class, RelayActor::new))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
      assertThat(system.actorIds()).hasSize(3).doesNotContain(ActorId.of("v3"));
      // at the limit, an id that exists is answered as below it: refused as taken, or returned
      assertThatThrownBy(() -> system.spawn(Greeter.class, ActorId.of("v1"),
          () -> new FussyGreeterActor(ActorId.of("v1"))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
      assertThat(ActorRefs.idOf(system.spawnIfAbsent(Greeter.class, ActorId.of("v2"),
          () -> new FussyGreeterActor(ActorId.of("v2"))))).isEqualTo(ActorId.of("v2"));
      assertThat(scheduler.await(system.lookup(Greeter.class, ActorId.of("v1")).greet("b")))
          .as("the actors that exist go on").isEqualTo("v1 greets b #2");
    }
  }

  @Test
  @DisplayName("R2 under contention, activations of new virtual ids never take the system past maxActors")
  void maxActorsHoldsUnderContention() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().maxActors(50).build())) {
      system.registerVirtual(Greeter.class, FussyGreeterActor::new);
      java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
      TestThreads.runAll(4, thread -> {
        for (int i = 0; i < 100; i++) {
          try {
            system.lookup(Greeter.class, ActorId.of("w-" + thread + "-" + i)).greet("x").block();
          } catch (CallError e) {
            assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT);
            refused.incrementAndGet();
          }
        }
      });
      assertThat(system.actorIds()).hasSize(50);
      assertThat(refused).hasValue(400 - 50);
    }
  }

  @Test
  @DisplayName("R2 R20 concurrent first calls to one new virtual id, one below maxActors, all reach the one actor: none is refused")
  void concurrentFirstCallsAtTheLimitAreNotRefused() throws Exception {
    java.util.Queue<Throwable> refused = new java.util.concurrent.ConcurrentLinkedQueue<>();
    for (int trial = 0; trial < 500; trial++) {
      // each trial a system one actor below its limit, and two threads calling one new id at once
      io.reactant.scheduler.DeterministicScheduler scheduler = io.reactant.scheduler.DeterministicScheduler.create();
      try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("edge")
          .scheduler(scheduler).maxActors(1).build())) {
        system.registerVirtual(Greeter.class, FussyGreeterActor::new);
        ActorId id = ActorId.of("edge-" + trial);
        TestThreads.runAll(2, thread ->
            system.lookup(Greeter.class, id).greet("t" + thread).subscribe(v -> { }, refused::add));
        scheduler.runUntilIdle();
        assertThat(system.actorIds()).containsExactly(id);
      }
    }
    assertThat(refused).isEmpty();
  }

  public interface Tally {
    Mono<Long> add(long n);

    @Query
    Mono<Long> total();

    /** Its own total plus {@code other}'s, read by a query. */
    @CompositeQuery
    Mono<Long> totalWith(Tally other);
  }

  static final class TallyActor extends Actor implements Tally {
    static final AtomicInteger TIMER_JOBS = new AtomicInteger();
    private final io.reactant.state.LongVar total = newLongVar("total", 10);

    TallyActor(ActorId id) {
      if (id.value().startsWith("bad")) {
        trap("no tally for " + id);
      }
      if (id.value().startsWith("timed")) {
        setTimer(java.time.Duration.ofSeconds(1), () -> {
          TIMER_JOBS.incrementAndGet();
          return done();
        });
      }
    }

    @Override
    public Mono<Long> add(long n) {
      total.add(n);
      return Mono.just(total.get());
    }

    @Override
    public Mono<Long> total() {
      return Mono.just(total.get());
    }

    @Override
    public Mono<Long> totalWith(Tally other) {
      return await(other.total()).map(t -> t + total.get());
    }
  }

  @Test
  @DisplayName("R19 R20 a query to a virtual id never activated answers from the initial state and"
      + " creates nothing: no actor, no maxActors slot, no timer of its initializer; an update"
      + " activates it")
  void queriesDoNotActivateVirtualActors() {
    io.reactant.scheduler.DeterministicScheduler scheduler =
        io.reactant.scheduler.DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("reads")
        .scheduler(scheduler).maxActors(1).build())) {
      system.registerVirtual(Tally.class, TallyActor::new);
      Tally fresh = system.lookup(Tally.class, ActorId.of("q-1"));
      Tally other = system.lookup(Tally.class, ActorId.of("q-2"));
      TallyActor.TIMER_JOBS.set(0);
      assertThat(scheduler.await(fresh.total())).isEqualTo(10L);
      assertThat(scheduler.await(fresh.totalWith(other))).isEqualTo(20L);
      assertThat(scheduler.await(system.lookup(Tally.class, ActorId.of("timed-1")).total()))
          .isEqualTo(10L);
      assertThatThrownBy(() -> scheduler.await(system.lookup(Tally.class, ActorId.of("bad-1"))
          .total()))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("no tally for bad-1");
          });
      scheduler.advanceTimeBy(java.time.Duration.ofSeconds(5));
      assertThat(system.actorCount()).as("reads created nothing").isZero();
      assertThat(TallyActor.TIMER_JOBS).hasValue(0);

      assertThat(scheduler.await(fresh.add(5))).as("an update activates").isEqualTo(15L);
      assertThat(scheduler.await(fresh.total())).isEqualTo(15L);
      assertThat(system.actorIds()).containsExactly(ActorId.of("q-1"));
      assertThat(scheduler.await(fresh.totalWith(other)))
          .as("at the limit, a read of a fresh id is still answered").isEqualTo(25L);
      assertThatThrownBy(() -> scheduler.await(other.add(1)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    }
  }

  @Test
  @DisplayName("R2 R19 R20 under contention, queries of fresh virtual ids never activate them nor"
      + " take the system past maxActors, and no update racing them to the same ids is lost")
  void queriesOfFreshVirtualIdsUnderContention() throws Exception {
    int ids = 40;
    int updated = 10;
    int rounds = 200;
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("reads")
        .parallelism(2).maxActors(updated).build())) {
      system.registerVirtual(Tally.class, TallyActor::new);
      TestThreads.runAll(8, thread -> {
        long[] lastSeen = new long[ids];
        for (int round = 0; round < rounds; round++) {
          int i = (round * 7 + thread) % ids;
          Tally tally = system.lookup(Tally.class, ActorId.of("c-" + i));
          if (thread % 2 == 0 && i < updated) {
            tally.add(1).block(java.time.Duration.ofSeconds(10));
          } else {
            long seen = tally.total().block(java.time.Duration.ofSeconds(10));
            assertThat(seen).as("c-%d read by thread %d", i, thread)
                .isBetween(Math.max(10L, lastSeen[i]), 10L + 4 * rounds);
            lastSeen[i] = seen;
          }
        }
      });
      int adds = 0;
      java.util.Map<ActorId, Long> expected = new java.util.HashMap<>();
      for (int thread = 0; thread < 8; thread += 2) {
        for (int round = 0; round < rounds; round++) {
          int i = (round * 7 + thread) % ids;
          if (i < updated) {
            expected.merge(ActorId.of("c-" + i), 1L, Long::sum);
            adds++;
          }
        }
      }
      assertThat(adds).isPositive();
      assertThat(system.actorIds()).as("only the updated ids were activated")
          .isEqualTo(expected.keySet());
      for (java.util.Map.Entry<ActorId, Long> e : expected.entrySet()) {
        assertThat(system.lookup(Tally.class, e.getKey()).total().block())
            .as("every update to %s counted", e.getKey()).isEqualTo(10L + e.getValue());
      }
    }
  }

  public interface Bell {
    /** A oneway: counts a ring. */
    void ring();

    @Query
    Mono<Long> rings();
  }

  static final class BellActor extends Actor implements Bell {
    private final io.reactant.state.LongVar rings = newLongVar("rings", 0);

    @Override
    public void ring() {
      rings.add(1);
    }

    @Override
    public Mono<Long> rings() {
      return Mono.just(rings.get());
    }
  }

  @Test
  @DisplayName("R20 a oneway to a virtual id creates its actor and runs there, as an update does;"
      + " a query before it created nothing")
  void aOnewayActivatesAVirtualActor() {
    io.reactant.scheduler.DeterministicScheduler scheduler =
        io.reactant.scheduler.DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      system.registerVirtual(Bell.class, id -> new BellActor());
      Bell bell = system.lookup(Bell.class, "front-door");
      assertThat(bell.rings().block()).isZero();
      assertThat(system.contains(ActorId.of("front-door"))).isFalse();

      bell.ring();
      scheduler.runUntilIdle();

      assertThat(system.contains(ActorId.of("front-door"))).isTrue();
      assertThat(bell.rings().block()).isEqualTo(1L);
    }
  }
}

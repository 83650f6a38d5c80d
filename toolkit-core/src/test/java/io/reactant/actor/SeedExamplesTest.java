package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.Computation;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The Motoko examples of the seeds (shared/seeds 001, 002, 003), as Java actors. */
class SeedExamplesTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.withSeed(7);
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  // ---- seed 003: the Counter, atomic bump and the racy await inc(); await read() version

  public interface Counter {
    Mono<Void> inc();

    @Query
    Mono<Long> read();

    Mono<Long> readUpdate();

    Mono<Long> bump();

    Mono<Long> racyBump();
  }

  static final class CounterActor extends Actor implements Counter {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Void> inc() {
      count.update(c -> c + 1);
      return done();
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(count.get());
    }

    @Override
    public Mono<Long> readUpdate() {
      return Mono.just(count.get());
    }

    @Override
    public Mono<Long> bump() {
      count.update(c -> c + 1);
      return Mono.just(count.get());
    }

    @Override
    public Mono<Long> racyBump() {
      Counter self = self(Counter.class);
      return await(self.inc()).then(Mono.defer(() -> await(self.readUpdate())));
    }
  }

  @Test
  @DisplayName("R8 seed Counter: concurrent atomic bumps each see a distinct value")
  void atomicBumpsSeeDistinctValues() {
    Counter counter = system.spawn(Counter.class, CounterActor::new);
    List<Mono<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(counter.bump());
    }
    scheduler.runUntilIdle();
    Set<Long> seen = new HashSet<>();
    for (Mono<Long> f : futures) {
      seen.add(f.block());
    }
    assertThat(seen).hasSize(200).allMatch(v -> v >= 1 && v <= 200);
    assertThat(counter.read().block()).isEqualTo(200L);
  }

  @Test
  @DisplayName("R9 seed Counter: await inc(); await read() lets interlopers in")
  void racyBumpLetsInterlopersIn() {
    Counter counter = system.spawn(Counter.class, CounterActor::new);
    List<Mono<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(counter.racyBump());
    }
    scheduler.runUntilIdle();
    List<Long> results = new ArrayList<>();
    for (Mono<Long> f : futures) {
      results.add(f.block());
    }
    // every increment happened once, but callers interleaved between inc and read:
    assertThat(counter.read().block()).isEqualTo(50L);
    assertThat(new HashSet<>(results)).as("some callers read the same value").hasSizeLessThan(50);
  }

  // ---- seed 003: Atomicity

  public interface Atomicity {
    Mono<Void> ping();

    Mono<Void> atomic();

    Mono<Void> nonAtomic();

    @Query
    Mono<String> show();
  }

  static final class AtomicityActor extends Actor implements Atomicity {
    private final Var<Integer> s = newVar("s", 0);
    private final Var<Boolean> pinged = newVar("pinged", false);

    @Override
    public Mono<Void> ping() {
      pinged.set(true);
      return done();
    }

    @Override
    public Mono<Void> atomic() {
      s.set(1);
      self(Atomicity.class).ping();
      int zero = s.get() - 1;
      s.set(1 / zero); // trap!
      return done();
    }

    @Override
    public Mono<Void> nonAtomic() {
      s.set(1);
      Mono<Void> f = self(Atomicity.class).ping(); // this will not be rolled back!
      s.set(2);
      return await(f)
          .then(Mono.fromRunnable(() -> s.set(3))) // this will not be rolled back!
          .then(await(f))
          .then(Mono.fromCallable(() -> 1 / (s.get() - 3))) // trap!
          .then();
    }

    @Override
    public Mono<String> show() {
      return Mono.just("s=" + s.get() + " pinged=" + pinged.get());
    }
  }

  @Test
  @DisplayName("R10 seed Atomicity: atomic() traps and leaves s=0 and pinged=false")
  void atomicLeavesNothing() {
    Atomicity a = system.spawn(Atomicity.class, AtomicityActor::new);
    assertThatThrownBy(() -> scheduler.await(a.atomic()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("ArithmeticException: / by zero");
        });
    scheduler.runUntilIdle();
    assertThat(a.show().block()).isEqualTo("s=0 pinged=false");
  }

  @Test
  @DisplayName("R9 seed Atomicity: nonAtomic() traps and leaves s=3 and pinged=true")
  void nonAtomicKeepsWhatItCommitted() {
    Atomicity a = system.spawn(Atomicity.class, AtomicityActor::new);
    assertThatThrownBy(() -> scheduler.await(a.nonAtomic()))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThat(a.show().block()).isEqualTo("s=3 pinged=true");
  }

  // ---- seed 001: incrementAndError and incrementAndTrap

  public interface Incrementer {
    Mono<Void> incrementAndError();

    Mono<Void> incrementAndTrap();

    @Query
    Mono<Integer> state();
  }

  static final class IncrementerActor extends Actor implements Incrementer {
    private final Var<Integer> state = newVar("state", 0);

    @Override
    public Mono<Void> incrementAndError() {
      state.update(s -> s + 1);
      return Mono.<Void>error(CallError.reject("Something went wrong"))
          .doOnSuccess(v -> state.update(s -> s + 1)); // never runs: code after the throw
    }

    @Override
    public Mono<Void> incrementAndTrap() {
      state.update(s -> s + 1);
      trap("something went wrong");
      state.update(s -> s + 1);
      return done();
    }

    @Override
    public Mono<Integer> state() {
      return Mono.just(state.get());
    }
  }

  @Test
  @DisplayName("R11 seed incrementAndError: the first increment commits, the caller gets code 4")
  void incrementAndErrorCommitsTheFirstIncrement() {
    Incrementer i = system.spawn(Incrementer.class, IncrementerActor::new);
    assertThatThrownBy(() -> scheduler.await(i.incrementAndError()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).isEqualTo("Something went wrong");
        });
    assertThat(i.state().block()).isEqualTo(1);
  }

  @Test
  @DisplayName("R12 seed incrementAndTrap: nothing commits, the caller gets code 5")
  void incrementAndTrapCommitsNothing() {
    Incrementer i = system.spawn(Incrementer.class, IncrementerActor::new);
    assertThatThrownBy(() -> scheduler.await(i.incrementAndTrap()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("something went wrong");
        });
    assertThat(i.state().block()).isZero();
  }

  // ---- seed 001: async* / await*, atomic and non-atomic

  public interface Stars {
    Mono<Void> atomicStar();

    Mono<Void> atomicStarThenTrap();

    Mono<Void> nonAtomicStarThenTrap();

    Mono<Void> incr2();

    @Query
    Mono<Integer> state();

    @Query
    Mono<Integer> turns();
  }

  static final class StarsActor extends Actor implements Stars {
    private final Var<Integer> state = newVar("state", 0);

    private Computation<Void> incr() {
      return () -> {
        state.update(s -> s + 1);
        return Mono.empty();
      };
    }

    private Computation<Void> incrTwiceStar() {
      return () -> awaitStar(incr()).then(awaitStar(incr()));
    }

    /** An async* whose body does an ordinary await: a commit point inside await*. */
    private Computation<Void> incrAwaiting() {
      return () -> {
        state.update(s -> s + 1);
        return await(self(Stars.class).incr2());
      };
    }

    @Override
    public Mono<Void> atomicStar() {
      return awaitStar(incrTwiceStar());
    }

    @Override
    public Mono<Void> atomicStarThenTrap() {
      return awaitStar(incrTwiceStar()).then(Mono.fromRunnable(() -> trap("after await*")));
    }

    @Override
    public Mono<Void> nonAtomicStarThenTrap() {
      return awaitStar(incrAwaiting()).then(Mono.fromRunnable(() -> trap("after await")));
    }

    @Override
    public Mono<Void> incr2() {
      state.update(s -> s + 10);
      return done();
    }

    @Override
    public Mono<Integer> state() {
      return Mono.just(state.get());
    }

    @Override
    public Mono<Integer> turns() {
      return Mono.just(0);
    }
  }

  @Test
  @DisplayName("R15 seed atomic await*: nested await* run in one message and commit together")
  void atomicAwaitStarIsOneMessage() {
    Stars s = system.spawn(Stars.class, StarsActor::new);
    scheduler.await(s.atomicStar());
    assertThat(s.state().block()).isEqualTo(2);
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.turns()).as("one turn").isEqualTo(1L));
  }

  @Test
  @DisplayName("R15 seed atomic await*: a trap after await* rolls back what the computations did")
  void trapAfterAtomicAwaitStarRollsBack() {
    Stars s = system.spawn(Stars.class, StarsActor::new);
    assertThatThrownBy(() -> scheduler.await(s.atomicStarThenTrap())).isInstanceOf(CallError.class);
    assertThat(s.state().block()).isZero();
  }

  @Test
  @DisplayName("R15 seed non-atomic await*: an await inside the computation commits")
  void awaitInsideAwaitStarCommits() {
    Stars s = system.spawn(Stars.class, StarsActor::new);
    assertThatThrownBy(() -> scheduler.await(s.nonAtomicStarThenTrap())).isInstanceOf(CallError.class);
    // 1 from the computation (committed at its await) + 10 from incr2; the trap revokes nothing
    assertThat(s.state().block()).isEqualTo(11);
  }

  // ---- seed 002: the Logger with maybeLog (async* that awaits only when logging)

  public interface Logger {
    Mono<Void> log(String message);

    @Query
    Mono<List<String>> entries();
  }

  static final class LoggerActor extends Actor implements Logger {
    private final Var<List<String>> entries = newVar("entries", List.of());

    @Override
    public Mono<Void> log(String message) {
      entries.update(l -> {
        List<String> next = new ArrayList<>(l);
        next.add(message);
        return List.copyOf(next);
      });
      return done();
    }

    @Override
    public Mono<List<String>> entries() {
      return Mono.just(entries.get());
    }
  }

  public interface Worker {
    Mono<Void> doStuff();

    Mono<Void> setLogging(boolean on);

    @Query
    Mono<Integer> stuffDone();
  }

  static final class WorkerActor extends Actor implements Worker {
    private final Logger logger;
    private final Var<Boolean> logging = newVar("logging", true);
    private final Var<Integer> stuff = newVar("stuff", 0);

    WorkerActor(Logger logger) {
      this.logger = logger;
    }

    private Computation<Void> maybeLog(String msg) {
      return () -> logging.get() ? await(logger.log(msg)) : Mono.empty();
    }

    @Override
    public Mono<Void> doStuff() {
      stuff.update(s -> s + 1); // do stuff
      return awaitStar(maybeLog("Log entry #1"))
          .then(Mono.fromRunnable(() -> stuff.update(s -> s + 1))) // do more stuff
          .then(awaitStar(maybeLog("Log entry #2")));
    }

    @Override
    public Mono<Void> setLogging(boolean on) {
      logging.set(on);
      return done();
    }

    @Override
    public Mono<Integer> stuffDone() {
      return Mono.just(stuff.get());
    }
  }

  @Test
  @DisplayName("R15 seed Logger: maybeLog awaits the logger only when logging is on")
  void maybeLogAwaitsOnlyWhenLogging() {
    Logger logger = system.spawn(Logger.class, LoggerActor::new);
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(logger));
    scheduler.await(worker.doStuff());
    assertThat(logger.entries().block()).containsExactly("Log entry #1", "Log entry #2");
    long turnsWithLogging = turnsOf(worker);
    assertThat(turnsWithLogging).as("doStuff split by two awaits: three turns").isEqualTo(3L);

    scheduler.await(worker.setLogging(false));
    scheduler.await(worker.doStuff());
    assertThat(logger.entries().block()).hasSize(2);
    assertThat(worker.stuffDone().block()).isEqualTo(4);
    assertThat(turnsOf(worker) - turnsWithLogging).as("setLogging + one atomic doStuff").isEqualTo(2L);
  }

  private long turnsOf(Object ref) {
    ActorId id = ActorRefs.idOf(ref);
    return system.actors().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow().turns();
  }

  // ---- seed 002: the PizzaParlor

  public interface PizzaParlor {
    Mono<String> placeOrder(String order);

    Mono<String> makePizza();

    @Query
    Mono<List<String>> getOrders();
  }

  static final class PizzaParlorActor extends Actor implements PizzaParlor {
    private final Var<List<String>> orders = newVar("orders", List.of());

    @Override
    public Mono<String> placeOrder(String order) {
      List<String> next = new ArrayList<>(orders.get());
      next.add(order);
      orders.set(List.copyOf(next));
      return Mono.just("Order received: " + order);
    }

    @Override
    public Mono<String> makePizza() {
      List<String> current = orders.get();
      if (current.isEmpty()) {
        return Mono.just("No orders to make.");
      }
      String currentOrder = current.get(0);
      orders.set(List.copyOf(current.subList(1, current.size())));
      return Mono.just("Made a delicious " + currentOrder + " pizza!");
    }

    @Override
    public Mono<List<String>> getOrders() {
      return Mono.just(orders.get());
    }
  }

  @Test
  @DisplayName("R2 seed PizzaParlor: orders are taken asynchronously, pizzas made one at a time")
  void pizzaParlorTakesOrdersAndMakesPizzasInOrder() {
    PizzaParlor parlor = system.spawn(PizzaParlor.class, PizzaParlorActor::new);
    assertThat(scheduler.await(parlor.makePizza())).isEqualTo("No orders to make.");
    Mono<String> first = parlor.placeOrder("margherita");
    Mono<String> second = parlor.placeOrder("quattro formaggi");
    scheduler.runUntilIdle();
    assertThat(first.block()).isEqualTo("Order received: margherita");
    assertThat(second.block()).isEqualTo("Order received: quattro formaggi");
    assertThat(parlor.getOrders().block()).containsExactly("margherita", "quattro formaggi");
    assertThat(scheduler.await(parlor.makePizza())).isEqualTo("Made a delicious margherita pizza!");
    assertThat(parlor.getOrders().block()).containsExactly("quattro formaggi");
  }
}

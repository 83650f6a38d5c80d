package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** What {@link ActorSystem#shutdown} and {@link ActorSystem#close} promise. */
class ShutdownContractTest {

  public interface Target {
    Mono<String> update();

    @Query
    Mono<String> query();
  }

  public interface Waiter {
    /** Awaits the gate, then calls the target's query and update and reports how each ended. */
    Mono<String> callAfterGate(Target target);
  }

  static final class TargetActor extends Actor implements Target {
    @Override
    public Mono<String> update() {
      return Mono.just("update ran");
    }

    @Override
    public Mono<String> query() {
      return Mono.just("query ran");
    }
  }

  static final class WaiterActor extends Actor implements Waiter {
    private final Mono<String> gate;

    WaiterActor(Mono<String> gate) {
      this.gate = gate;
    }

    @Override
    public Mono<String> callAfterGate(Target target) {
      return await(gate)
          .flatMap(g -> await(target.query().onErrorResume(CallError.class, ShutdownContractTest::code)))
          .flatMap(q -> await(target.update().onErrorResume(CallError.class, ShutdownContractTest::code))
              .map(u -> q + ", " + u));
    }
  }

  private static Mono<String> code(CallError e) {
    return Mono.just("code " + e.code().code());
  }

  @Test
  @DisplayName("R12a a call suspended when the shutdown begins may still reply in the grace"
      + " period, but what it sends then, a query as an update, fails with code 2")
  void callsSentInTheGracePeriodFailWithCodeTwo() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Sinks.One<String> gate = Sinks.one();
    ActorSystem system = TestSystems.on(scheduler);
    Target target = system.spawn(Target.class, TargetActor::new);
    Waiter waiter = system.spawn(Waiter.class, () -> new WaiterActor(gate.asMono()));
    Mono<String> reply = waiter.callAfterGate(target);
    scheduler.runUntilIdle();

    Mono<Void> done = system.shutdown(Duration.ofSeconds(10));
    gate.tryEmitValue("open");

    assertThat(scheduler.await(reply)).isEqualTo("code 2, code 2");
    scheduler.await(done);
  }

  @Test
  @DisplayName("a negative grace period is refused, as the configuration refuses it, and the"
      + " system stays open")
  void negativeGracePeriodIsRefused() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Target target = system.spawn(Target.class, TargetActor::new);
      assertThatThrownBy(() -> system.shutdown(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
      assertThat(scheduler.await(target.update())).isEqualTo("update ran");
    }
  }

  @Test
  @DisplayName("shutdown called again returns the same future, whose first grace period holds,"
      + " and close after it (or twice) changes nothing")
  void shutdownIsIdempotent() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Sinks.One<String> gate = Sinks.one();
    ActorSystem system = TestSystems.on(scheduler);
    Target target = system.spawn(Target.class, TargetActor::new);
    Waiter waiter = system.spawn(Waiter.class, () -> new WaiterActor(gate.asMono()));
    Mono<String> suspended = waiter.callAfterGate(target);
    scheduler.runUntilIdle();

    Mono<Void> first = system.shutdown(Duration.ofSeconds(5));
    assertThat(system.shutdown(Duration.ofSeconds(60))).isSameAs(first);
    system.close();
    system.close();
    scheduler.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(scheduler.await(first)).isNull(); // completed, empty
    assertThatThrownBy(() -> scheduler.await(suspended))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
    assertThat(system.shutdown(Duration.ZERO)).isSameAs(first);
  }

  @Test
  @DisplayName("R12a R20 a closed system creates nothing: spawn and spawnIfAbsent throw code 2, an"
      + " actor class's spawn fails with it, and the actors it holds are still listed")
  void aClosedSystemSpawnsNothing() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    system.spawn(Target.class, ActorId.of("t"), TargetActor::new);
    system.close();
    scheduler.runUntilIdle();

    assertThatThrownBy(() -> system.spawn(Target.class, TargetActor::new))
        .satisfies(ShutdownContractTest::isCodeTwo);
    assertThatThrownBy(() -> system.spawn(Target.class, ActorId.of("u"), TargetActor::new))
        .satisfies(ShutdownContractTest::isCodeTwo);
    assertThatThrownBy(() -> system.spawnIfAbsent(Target.class, ActorId.of("u"), TargetActor::new))
        .satisfies(ShutdownContractTest::isCodeTwo);
    ActorClass<Target, Void> targets = ActorClass.of(Target.class, v -> new TargetActor());
    assertThatThrownBy(() -> scheduler.await(system.spawn(targets, null)))
        .satisfies(ShutdownContractTest::isCodeTwo);
    assertThat(system.actorIds()).containsExactly(ActorId.of("t"));
  }

  public interface Observer {
    /** Reads, inside its turn, whether the system's shutdown has begun. */
    Mono<Boolean> sawShutdown(ActorSystem system);
  }

  static final class ObserverActor extends Actor implements Observer {
    @Override
    public Mono<Boolean> sawShutdown(ActorSystem system) {
      return Mono.just(system.isShutdown());
    }
  }

  @Test
  @DisplayName("isShutdown is false while the system runs (and after a refused shutdown), true on"
      + " every thread once shutdown returned, through the grace period and after it, and may be"
      + " read inside a turn")
  void isShutdownSaysWhetherTheShutdownBegan() throws Exception {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Sinks.One<String> gate = Sinks.one();
    ActorSystem system = TestSystems.on(scheduler);
    Target target = system.spawn(Target.class, TargetActor::new);
    Waiter waiter = system.spawn(Waiter.class, () -> new WaiterActor(gate.asMono()));
    Observer observer = system.spawn(Observer.class, ObserverActor::new);
    assertThat(system.isShutdown()).isFalse();
    assertThat(scheduler.await(observer.sawShutdown(system))).isFalse();
    assertThatThrownBy(() -> system.shutdown(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(system.isShutdown()).as("a refused shutdown began nothing").isFalse();
    Mono<String> suspended = waiter.callAfterGate(target);
    scheduler.runUntilIdle();

    Mono<Void> done = system.shutdown(Duration.ofSeconds(10));
    assertThat(system.isShutdown()).as("in the grace period").isTrue();
    boolean[] seen = new boolean[1];
    Thread other = new Thread(() -> seen[0] = system.isShutdown());
    other.start();
    other.join();
    assertThat(seen[0]).as("read on another thread").isTrue();
    assertThatThrownBy(() -> scheduler.await(observer.sawShutdown(system)))
        .satisfies(ShutdownContractTest::isCodeTwo);
    gate.tryEmitValue("open");
    assertThat(scheduler.await(suspended)).isEqualTo("code 2, code 2");
    scheduler.await(done);
    assertThat(system.isShutdown()).as("after the shutdown ended").isTrue();
    system.close();
    assertThat(system.isShutdown()).isTrue();
  }

  @Test
  @DisplayName("close begins the shutdown as shutdown does: isShutdown reads true once it returned")
  void closeBeginsTheShutdown() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    system.spawn(Target.class, TargetActor::new);
    system.close(); // on a scheduler of the configuration: returns at once
    assertThat(system.isShutdown()).isTrue();
    scheduler.runUntilIdle();
    assertThat(system.isShutdown()).isTrue();
  }

  private static void isCodeTwo(Throwable e) {
    assertThat(e).isInstanceOfSatisfying(CallError.class,
        ce -> assertThat(ce.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }
}

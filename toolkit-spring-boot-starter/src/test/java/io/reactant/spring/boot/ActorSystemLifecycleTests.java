package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystem;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.spring.boot.TestActors.Gate;
import io.reactant.spring.boot.TestActors.Greeter;
import io.reactant.spring.boot.TestActors.GreeterActor;
import io.reactant.spring.boot.TestActors.Greetings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import reactor.core.publisher.Mono;

/** The orderly shutdown of the actor system. */
class ActorSystemLifecycleTests {

  private final Gate gate = new Gate();

  private Greeter greeterIn(ActorSystem system) {
    DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
    RootBeanDefinition definition = new RootBeanDefinition(GreeterActor.class);
    definition.setScope(RootBeanDefinition.SCOPE_PROTOTYPE);
    definition.setAutowireMode(RootBeanDefinition.AUTOWIRE_CONSTRUCTOR);
    beanFactory.registerBeanDefinition("greeterActor", definition);
    beanFactory.registerSingleton("greetings", new Greetings("Hello, "));
    beanFactory.registerSingleton("gate", gate);
    ActorDirectory directory = new ActorDirectory(system, beanFactory, List.of(
        ActorBeanRegistrar.declare("greeterActor", GreeterActor.class,
            GreeterActor.class.getAnnotation(ActorBean.class))));
    return directory.singleton(Greeter.class);
  }

  @Test
  void shutdownLetsQueuedCallsRunBeforeItClosesTheSystem() throws Exception {
    ActorSystem system = ActorSystem.create();
    Greeter greeter = greeterIn(system);
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(system, Duration.ofMinutes(1));
    lifecycle.start();
    Mono<Void> held = greeter.hold();
    gate.awaitEntered();
    List<Mono<String>> queued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      queued.add(greeter.greet("caller " + i));
    }
    assertThat(system.mailboxDepth(ActorId.of("greeter"))).isEqualTo(20);

    CompletableFuture<Void> stopped = CompletableFuture.runAsync(lifecycle::stop);
    gate.open();
    stopped.get(30, TimeUnit.SECONDS);

    held.block(Duration.ofSeconds(1));
    for (int i = 0; i < 20; i++) {
      assertThat(queued.get(i).block(Duration.ofSeconds(1))).isEqualTo("Hello, caller " + i);
    }
    assertThat(lifecycle.isRunning()).isFalse();
    assertThatThrownBy(() -> greeter.greet("late").block()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }

  /**
   * Starts the lifecycle, holds the greeter in a turn, queues a call behind it, stops the lifecycle
   * while the turn runs, then lets the turn end: the queued call must run before the system closes.
   */
  private void stopWithACallQueued(ActorSystemLifecycle lifecycle, Greeter greeter)
      throws Exception {
    lifecycle.start();
    Mono<Void> held = greeter.hold();
    gate.awaitEntered();
    Mono<String> queued = greeter.greet("queued");

    CompletableFuture<Void> stopped = CompletableFuture.runAsync(lifecycle::stop);
    gate.open();
    stopped.get(30, TimeUnit.SECONDS);

    held.block(Duration.ofSeconds(1));
    assertThat(queued.block(Duration.ofSeconds(1))).isEqualTo("Hello, queued");
  }

  /** The system, seen through a proxy that counts the calls of {@code actors()}. */
  private static ActorSystem countingActorsCalls(ActorSystem system, AtomicInteger calls) {
    return (ActorSystem) Proxy.newProxyInstance(ActorSystem.class.getClassLoader(),
        new Class<?>[] {ActorSystem.class}, (proxy, method, args) -> {
          if (method.getName().equals("actors")) {
            calls.incrementAndGet();
          }
          try {
            return method.invoke(system, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void shutdownWaitsForQueuedCallsWithoutCopyingEveryActor() throws Exception {
    ActorSystem system = ActorSystem.create();
    Greeter greeter = greeterIn(system);
    AtomicInteger actorsCalls = new AtomicInteger();
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(
        countingActorsCalls(system, actorsCalls), Duration.ofMinutes(1));
    stopWithACallQueued(lifecycle, greeter);
    assertThat(actorsCalls).as("a snapshot of every actor, taken every 5 ms of the wait")
        .hasValue(0);
  }

  @Test
  void shutdownClosesTheSystemWhenTheGracePeriodEnds() throws Exception {
    ActorSystem system = ActorSystem.create();
    Greeter greeter = greeterIn(system);
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(system, Duration.ZERO);
    lifecycle.start();
    Mono<Void> held = greeter.hold();
    gate.awaitEntered();
    Mono<String> queued = greeter.greet("queued");

    lifecycle.stop(); // returns although a turn is still running: the grace period is over

    assertThatThrownBy(() -> greeter.greet("after").block(Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    gate.open();
    held.block(Duration.ofSeconds(30));
    assertThatThrownBy(() -> queued.block(Duration.ofSeconds(30)))
        .as("the queued call is answered, not dropped")
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }

  @Test
  void shutdownWithAGracePeriodOfCenturiesRunsTheQueuedCallsAndClosesTheSystem() throws Exception {
    // past Long.MAX_VALUE nanoseconds (292 years): an operator's "wait as long as it takes"
    Duration centuries = Duration.ofDays(300_000);
    ActorSystem system = ActorSystem.create(io.reactant.actor.ActorSystemConfig.builder()
        .shutdownGracePeriod(centuries).build());
    Greeter greeter = greeterIn(system);
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(system, centuries);
    stopWithACallQueued(lifecycle, greeter);
    assertThatThrownBy(() -> greeter.greet("late").block()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }

  /** Holds its turn at the gate, then asks the greeter and answers with the greeting. */
  public interface Relay {
    Mono<String> relay(String name);
  }

  static final class RelayActor extends io.reactant.actor.Actor implements Relay {
    private final Greeter greeter;
    private final Gate held;

    RelayActor(Greeter greeter, Gate held) {
      this.greeter = greeter;
      this.held = held;
    }

    @Override
    public Mono<String> relay(String name) {
      held.entered.countDown(); // the turn holds its thread until the test opens the gate
      try {
        held.open.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return await(greeter.greet(name));
    }
  }

  @Test
  void shutdownLetsATurnUnderWayFinishItsCallsWhenNothingIsQueued() throws Exception {
    ActorSystem system = ActorSystem.create();
    Greeter greeter = greeterIn(system);
    Gate relayGate = new Gate();
    Relay relay = system.spawn(Relay.class, () -> new RelayActor(greeter, relayGate));
    CompletableFuture<String> relayed = relay.relay("relayed").toFuture();
    relayGate.awaitEntered(); // the turn runs; no message is queued anywhere

    // the test opens the gate once the lifecycle has looked twice (so is waiting for the turn)
    // or has shut the system down (so did not wait for it)
    java.util.concurrent.CountDownLatch waitedOrShut = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger readings = new AtomicInteger();
    ActorSystem watched = (ActorSystem) Proxy.newProxyInstance(
        ActorSystem.class.getClassLoader(), new Class<?>[] {ActorSystem.class},
        (proxy, method, args) -> {
          if (method.getName().equals("shutdown")
              || (method.getName().equals("busyActors") && readings.incrementAndGet() >= 2)) {
            waitedOrShut.countDown();
          }
          try {
            return method.invoke(system, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(watched, Duration.ofMinutes(1));
    lifecycle.start();
    CompletableFuture<Void> stopped = CompletableFuture.runAsync(lifecycle::stop);
    assertThat(waitedOrShut.await(30, TimeUnit.SECONDS)).isTrue();
    relayGate.open();
    stopped.get(30, TimeUnit.SECONDS);

    assertThat(relayed.get(30, TimeUnit.SECONDS)).as("the accepted call, its turn under way when"
        + " the shutdown began, reaches its reply").isEqualTo("Hello, relayed");
  }

  @Test
  @DisplayName("R22 on a DeterministicScheduler the shutdown waits in the scheduler's virtual time,"
      + " driving it, never blocking in real time: a queued call runs, and a call suspended at an"
      + " await is answered with code 6 when the grace period ends")
  void shutdownOnADeterministicSchedulerDrivesItsVirtualTime() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = ActorSystem.create(io.reactant.actor.ActorSystemConfig.builder()
        .scheduler(scheduler).build());
    Greeter greeter = greeterIn(system);
    CompletableFuture<String> suspended = greeter.never().toFuture();
    scheduler.runUntilIdle(); // the call is suspended at its await; nothing is pending
    CompletableFuture<String> queued = greeter.greet("queued").toFuture();
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(system, Duration.ofSeconds(2));
    lifecycle.start();

    lifecycle.stop();

    assertThat(queued).isCompletedWithValue("Hello, queued");
    assertThat(suspended).isCompletedExceptionally();
    assertThatThrownBy(suspended::join).hasCauseInstanceOf(CallError.class)
        .cause().satisfies(e -> assertThat(((CallError) e).code())
            .isEqualTo(RejectCode.SYS_UNKNOWN));
    assertThat(scheduler.now(TimeUnit.MILLISECONDS)).as("virtual time: the grace period")
        .isEqualTo(2_000);
    assertThat(lifecycle.isRunning()).isFalse();
  }

  /** Awaits a second of its scheduler's time, then asks the greeter and answers the greeting. */
  static final class DelayedRelayActor extends io.reactant.actor.Actor implements Relay {
    private final Greeter greeter;
    private final reactor.core.scheduler.Scheduler clock;

    DelayedRelayActor(Greeter greeter, reactor.core.scheduler.Scheduler clock) {
      this.greeter = greeter;
      this.clock = clock;
    }

    @Override
    public Mono<String> relay(String name) {
      return await(Mono.delay(Duration.ofSeconds(1), clock))
          .flatMap(tick -> await(greeter.greet(name)));
    }
  }

  @Test
  @DisplayName("R13 R22 on a DeterministicScheduler, as on the pool, the shutdown lets a call"
      + " suspended at an await of a timer finish within the grace period, with the call it sends"
      + " once its timer fired: the system stops accepting calls only once the work has ended")
  void shutdownOnADeterministicSchedulerLetsASuspendedCallSendItsCalls() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = ActorSystem.create(io.reactant.actor.ActorSystemConfig.builder()
        .scheduler(scheduler).build());
    Greeter greeter = greeterIn(system);
    Relay relay = system.spawn(Relay.class, () -> new DelayedRelayActor(greeter, scheduler));
    CompletableFuture<String> relayed = relay.relay("later").toFuture();
    scheduler.runUntilIdle(); // the call is suspended at its await of one second
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(system, Duration.ofSeconds(10));
    lifecycle.start();

    lifecycle.stop();

    assertThat(relayed).as("the call under way sends its call after its timer fired, and is"
        + " answered").isCompletedWithValue("Hello, later");
    assertThat(scheduler.now(TimeUnit.MILLISECONDS)).as("virtual time: a second, and at most as"
        + " long again to see the work ended").isBetween(1_000L, 2_000L);
    assertThatThrownBy(() -> scheduler.await(greeter.greet("late")))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }

  @Test
  @DisplayName("R13 R22 on Reactor's VirtualTimeScheduler, as on a DeterministicScheduler, the"
      + " shutdown drives the virtual clock instead of waiting in real time: a call suspended at"
      + " an await of a timer finishes within the grace period, with the call it sends")
  void shutdownOnAVirtualTimeSchedulerDrivesItsVirtualTime() {
    reactor.test.scheduler.VirtualTimeScheduler scheduler =
        reactor.test.scheduler.VirtualTimeScheduler.create();
    ActorSystem system = ActorSystem.create(io.reactant.actor.ActorSystemConfig.builder()
        .scheduler(scheduler).build());
    Greeter greeter = greeterIn(system);
    Relay relay = system.spawn(Relay.class, () -> new DelayedRelayActor(greeter, scheduler));
    CompletableFuture<String> relayed = relay.relay("later").toFuture();
    scheduler.advanceTime(); // the call is suspended at its await of one second
    assertThat(relayed).isNotDone();
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(system, Duration.ofSeconds(3));
    lifecycle.start();

    lifecycle.stop();

    assertThat(relayed).as("the call under way sends its call after its timer fired, and is"
        + " answered").isCompletedWithValue("Hello, later");
    assertThat(scheduler.now(TimeUnit.MILLISECONDS)).as("virtual time: a second, and at most as"
        + " long again to see the work ended").isBetween(1_000L, 2_000L);
    assertThatThrownBy(() -> greeter.greet("late").block(Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }

  @Test
  @DisplayName("R22 on Reactor's VirtualTimeScheduler a call suspended at an await that never ends"
      + " is answered with code 6 when the grace period of virtual time ends")
  void shutdownOnAVirtualTimeSchedulerEndsWithItsGracePeriodOfVirtualTime() {
    reactor.test.scheduler.VirtualTimeScheduler scheduler =
        reactor.test.scheduler.VirtualTimeScheduler.create();
    ActorSystem system = ActorSystem.create(io.reactant.actor.ActorSystemConfig.builder()
        .scheduler(scheduler).build());
    Greeter greeter = greeterIn(system);
    CompletableFuture<String> suspended = greeter.never().toFuture();
    scheduler.advanceTime();
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(system, Duration.ofSeconds(2));
    lifecycle.start();

    lifecycle.stop();

    assertThat(suspended).isCompletedExceptionally();
    assertThatThrownBy(suspended::join).cause().isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
    assertThat(scheduler.now(TimeUnit.MILLISECONDS)).as("virtual time: the grace period")
        .isEqualTo(2_000);
  }

  @Test
  @DisplayName("on a DeterministicScheduler with nothing under way the shutdown ends at once,"
      + " without moving the virtual clock")
  void shutdownOnAnIdleDeterministicSchedulerEndsAtOnce() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = ActorSystem.create(io.reactant.actor.ActorSystemConfig.builder()
        .scheduler(scheduler).build());
    Greeter greeter = greeterIn(system);
    assertThat(scheduler.await(greeter.greet("early"))).isEqualTo("Hello, early");
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(system, Duration.ofMinutes(1));
    lifecycle.start();

    lifecycle.stop();

    assertThat(scheduler.now(TimeUnit.MILLISECONDS)).isZero();
    assertThatThrownBy(() -> scheduler.await(greeter.greet("late")))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }

  @Test
  void lifecycleStopsAfterTheWebServer() {
    ActorSystemLifecycle lifecycle = new ActorSystemLifecycle(ActorSystem.create(), Duration.ZERO);
    assertThat(lifecycle.getPhase()).isLessThan(org.springframework.context.SmartLifecycle.DEFAULT_PHASE - 2048);
    lifecycle.start();
    lifecycle.stop();
  }
}

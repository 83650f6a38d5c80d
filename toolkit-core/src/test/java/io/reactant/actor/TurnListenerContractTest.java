package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** What {@link TurnListener}'s documentation promises: every turn and every failed call. */
class TurnListenerContractTest {

  public interface Store {
    Mono<Long> add(long n);

    /** Adds through a self call it awaits: two turns of this call, one of the self call. */
    Mono<Long> addTwice(long n);

    Mono<Long> fail();

    /** Sends itself an {@code add(100)}, then traps: the send is revoked. */
    Mono<Long> sendThenTrap();

    /** Queries itself, then traps: the query call is revoked before it runs. */
    Mono<Long> queryThenTrap();

    /** A oneway: adds {@code n}, or traps when it is negative. */
    void poke(long n);

    /** Sets a timer whose job traps, due in a second. */
    Mono<Void> armTrappingTimer();

    @Query
    Mono<Long> read();
  }

  /** A oneway that awaits a delay of the test's clock, its continuation doing nothing. */
  public interface Sleeper {
    void sleep(java.time.Duration d);
  }

  static final class SleeperActor extends Actor implements Sleeper {
    private final DeterministicScheduler clock;

    SleeperActor(DeterministicScheduler clock) {
      this.clock = clock;
    }

    @Override
    public void sleep(java.time.Duration d) {
      await(Mono.delay(d, clock)).subscribe();
    }
  }

  /** An actor type that {@link StoreActor} does not implement. */
  public interface Other {
    @Query
    Mono<Long> peek();
  }

  static final class StoreActor extends Actor implements Store {
    private final LongVar total = newLongVar("total", 0);

    @Override
    public Mono<Long> add(long n) {
      return Mono.just(total.add(n));
    }

    @Override
    public Mono<Long> addTwice(long n) {
      return await(self(Store.class).add(n)).map(t -> total.add(n));
    }

    @Override
    public Mono<Long> fail() {
      return trap("no");
    }

    @Override
    public void poke(long n) {
      if (n < 0) {
        trap("a negative poke");
      }
      total.add(n);
    }

    @Override
    public Mono<Void> armTrappingTimer() {
      setTimer(java.time.Duration.ofSeconds(1), () -> trap("the timer's job traps"));
      return done();
    }

    @Override
    public Mono<Long> sendThenTrap() {
      self(Store.class).add(100);
      return trap("after sending");
    }

    @Override
    public Mono<Long> queryThenTrap() {
      self(Store.class).read();
      return trap("after querying");
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(total.get());
    }
  }

  /** Records what it hears, and throws after each callback when told to. */
  static final class Recorder implements TurnListener {
    final List<String> turns = new CopyOnWriteArrayList<>();
    final List<String> rejects = new CopyOnWriteArrayList<>();
    final boolean throwing;

    Recorder(boolean throwing) {
      this.throwing = throwing;
    }

    @Override
    public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
      turns.add(actor + " " + type.getSimpleName() + " " + outcome);
      if (throwing) {
        throw broken();
      }
    }

    @Override
    public void callRejected(ActorId actor, String method, RejectCode code) {
      rejects.add(actor + "." + method + " " + code.code());
      if (throwing) {
        throw broken();
      }
    }
  }

  /** A listener's failure, without a stack trace to keep the log it lands in short. */
  private static RuntimeException broken() {
    return new RuntimeException("listener broken", null, false, false) {
      private static final long serialVersionUID = 1L;
    };
  }

  private static ActorSystem system(DeterministicScheduler scheduler, TurnListener listener) {
    return ActorSystem.create(ActorSystemConfig.builder().name("listened").scheduler(scheduler)
        .listener(listener).build());
  }

  @Test
  @DisplayName("R12a a query refused before it runs (no such actor, no such method, a closed"
      + " system) is told to callRejected with its code, as an update is")
  void refusedQueriesAreReported() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Recorder recorder = new Recorder(false);
    ActorSystem system = system(scheduler, recorder);
    Store store = system.spawn(Store.class, ActorId.of("store"), StoreActor::new);
    Store ghost = system.lookup(Store.class, ActorId.of("ghost"));

    assertThatThrownBy(() -> scheduler.await(ghost.add(1))).isInstanceOf(CallError.class);
    assertThatThrownBy(() -> scheduler.await(ghost.read()))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID));
    assertThatThrownBy(() -> scheduler.await(system.lookup(Other.class, ActorId.of("store")).peek()))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID));
    system.close();
    scheduler.runUntilIdle();
    assertThatThrownBy(() -> scheduler.await(store.read()))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));

    assertThat(recorder.rejects).containsExactly("ghost.add 3", "ghost.read 3", "store.peek 3",
        "store.read 2");
  }

  /** A second interface of an actor, whose queries fail. */
  public interface Gauge {
    /** Traps as it runs. */
    @Query
    Mono<Long> broken();

    /** Returns a {@code Mono} that fails once subscribed. */
    @Query
    Mono<Long> brokenLater();

    /** Answers what {@code answer} answers. */
    @Query
    Mono<Long> waitFor(Mono<Long> answer);

    /** Awaits {@code other.waitFor(answer)}. */
    @CompositeQuery
    Mono<Long> relay(Gauge other, Mono<Long> answer);
  }

  static final class GaugedStoreActor extends Actor implements Store, Gauge {
    /** Queries itself through its {@link Gauge} interface, then traps. */
    @Override
    public Mono<Long> queryThenTrap() {
      self(Gauge.class).waitFor(Mono.never());
      return trap("after querying");
    }

    @Override
    public Mono<Long> waitFor(Mono<Long> answer) {
      return answer;
    }

    @Override
    public Mono<Long> relay(Gauge other, Mono<Long> answer) {
      return await(other.waitFor(answer));
    }

    @Override
    public Mono<Long> broken() {
      return trap("broken");
    }

    @Override
    public Mono<Long> brokenLater() {
      return Mono.fromCallable(() -> {
        throw new IllegalStateException("broken later");
      });
    }

    @Override
    public Mono<Long> add(long n) {
      return Mono.just(n);
    }

    @Override
    public Mono<Long> addTwice(long n) {
      return Mono.just(n);
    }

    @Override
    public Mono<Long> fail() {
      return trap("no");
    }

    @Override
    public Mono<Long> sendThenTrap() {
      return trap("no");
    }

    @Override
    public void poke(long n) {
    }

    @Override
    public Mono<Void> armTrappingTimer() {
      return done();
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  /** Records the failed calls with the interface the listener is told of. */
  static final class TypedRecorder implements TurnListener {
    final List<String> rejects = new CopyOnWriteArrayList<>();

    @Override
    public void callRejected(ActorId actor, Class<?> type, String method, RejectCode code) {
      rejects.add(type.getSimpleName() + " " + actor + "." + method + " " + code.code());
    }
  }

  @Test
  @DisplayName("R12a callRejected is told the interface of the reference a failed call went through"
      + " (one to no actor, a query refused or failed, now or later, a trapped update): methods"
      + " of the same name on two types are told apart")
  void rejectsNameTheCallsInterface() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    TypedRecorder recorder = new TypedRecorder();
    ActorSystem system = system(scheduler, recorder);
    system.spawn(Store.class, ActorId.of("store"), GaugedStoreActor::new);
    Store ghost = system.lookup(Store.class, ActorId.of("ghost"));
    Gauge gauge = system.lookup(Gauge.class, ActorId.of("store"));

    assertThatThrownBy(() -> scheduler.await(ghost.add(1))).isInstanceOf(CallError.class);
    assertThatThrownBy(() -> scheduler.await(ghost.read())).isInstanceOf(CallError.class);
    assertThatThrownBy(() -> scheduler.await(system.lookup(Other.class, ActorId.of("store"))
        .peek())).isInstanceOf(CallError.class);
    assertThatThrownBy(() -> scheduler.await(gauge.broken())).isInstanceOf(CallError.class);
    assertThatThrownBy(() -> scheduler.await(gauge.brokenLater())).isInstanceOf(CallError.class);
    assertThatThrownBy(() -> scheduler.await(system.lookup(Store.class, ActorId.of("store"))
        .fail())).isInstanceOf(CallError.class);

    assertThat(recorder.rejects).containsExactly("Store ghost.add 3", "Store ghost.read 3",
        "Other store.peek 3", "Gauge store.broken 5", "Gauge store.brokenLater 5",
        "Store store.fail 5");
    system.close();
    scheduler.runUntilIdle();
  }

  @Test
  @DisplayName("R12a R19 R22 callRejected is told the interface of the reference on a query's later"
      + " failures too: revoked as the turn that made it trapped (1), timed out (6), cancelled as"
      + " the composite query that made it ended (6)")
  void laterQueryRejectsNameTheCallsInterface() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    TypedRecorder recorder = new TypedRecorder();
    ActorSystem system = system(scheduler, recorder);
    Store store = system.spawn(Store.class, ActorId.of("store"), GaugedStoreActor::new);
    system.spawn(Store.class, ActorId.of("other"), GaugedStoreActor::new);
    Gauge gauge = system.lookup(Gauge.class, ActorId.of("store"));
    Gauge other = system.lookup(Gauge.class, ActorId.of("other"));

    assertThatThrownBy(() -> scheduler.await(store.queryThenTrap()))
        .isInstanceOf(CallError.class);
    Mono<Long> relayed = io.reactant.call.CallOptions.timeout(java.time.Duration.ofSeconds(1))
        .on(gauge).relay(other, Mono.never());
    scheduler.advanceTimeBy(java.time.Duration.ofSeconds(1));
    assertThatThrownBy(() -> scheduler.await(relayed)).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));

    assertThat(recorder.rejects).containsExactly("Gauge store.waitFor 1",
        "Store store.queryThenTrap 5", "Gauge store.relay 6", "Gauge other.waitFor 6");
    system.close();
    scheduler.runUntilIdle();
  }

  @Test
  @DisplayName("turnEnded hears each turn of an update, its continuation after an await included,"
      + " with its outcome, and no query")
  void everyUpdateTurnIsHeardAndNoQuery() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Recorder recorder = new Recorder(false);
    try (ActorSystem system = system(scheduler, recorder)) {
      Store store = system.spawn(Store.class, ActorId.of("store"), StoreActor::new);
      assertThat(scheduler.await(store.addTwice(5))).isEqualTo(10L);
      assertThat(store.read().block()).isEqualTo(10L);
      assertThatThrownBy(() -> scheduler.await(store.fail())).isInstanceOf(CallError.class);

      assertThat(recorder.turns).containsExactly(
          "store Store COMMITTED", // addTwice, up to its await
          "store Store COMMITTED", // the self call add
          "store Store COMMITTED", // addTwice's continuation
          "store Store TRAPPED");
      assertThat(recorder.rejects).containsExactly("store.fail 5");
    }
  }

  @Test
  @DisplayName("R12 an exception thrown by the listener is ignored: turns still commit or trap"
      + " and calls get their results and codes")
  void aThrowingListenerChangesNothing() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Recorder recorder = new Recorder(true);
    try (ActorSystem system = system(scheduler, recorder)) {
      Store store = system.spawn(Store.class, ActorId.of("store"), StoreActor::new);
      assertThat(scheduler.await(store.addTwice(2))).isEqualTo(4L);
      assertThatThrownBy(() -> scheduler.await(store.fail()))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
      assertThatThrownBy(() -> scheduler.await(system.lookup(Store.class, ActorId.of("x")).read()))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID));
      assertThat(store.read().block()).as("the actor goes on").isEqualTo(4L);
      assertThat(system.actor(ActorId.of("store"))).hasValueSatisfying(info -> {
        assertThat(info.turns()).isEqualTo(4);
        assertThat(info.traps()).isEqualTo(1);
      });
      assertThat(recorder.turns).hasSize(4);
      assertThat(recorder.rejects).containsExactly("store.fail 5", "x.read 3");
    }
  }

  /** A listener that throws an {@link Error} from every callback (a class its metrics lack). */
  static final class ErringListener implements TurnListener {
    final List<String> heard = new CopyOnWriteArrayList<>();

    @Override
    public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
      heard.add(actor + " " + outcome);
      throw new NoClassDefFoundError("io/metrics/Timer (turnEnded)");
    }

    @Override
    public void callRejected(ActorId actor, String method, RejectCode code) {
      heard.add(actor + "." + method + " " + code.code());
      throw new AssertionError("callRejected");
    }
  }

  @Test
  @DisplayName("R10 R12 a listener that throws an Error (a missing class, an assertion) is ignored"
      + " as an exception is: every call is answered once, sends are released or revoked, and"
      + " the shutdown completes")
  void aListenerThrowingAnErrorChangesNothing() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ErringListener listener = new ErringListener();
    ActorSystem system = system(scheduler, listener);
    Store store = system.spawn(Store.class, ActorId.of("store"), StoreActor::new);

    assertThat(scheduler.await(store.addTwice(2))).isEqualTo(4L);
    assertThatThrownBy(() -> scheduler.await(store.fail()))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThatThrownBy(() -> scheduler.await(store.sendThenTrap()))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    store.poke(-1);
    store.poke(3);
    scheduler.runUntilIdle();
    assertThat(scheduler.await(store.read())).as("the revoked add(100) never ran").isEqualTo(7L);
    assertThat(system.actor(ActorId.of("store"))).hasValueSatisfying(info -> {
      assertThat(info.turns()).isEqualTo(7);
      assertThat(info.traps()).isEqualTo(3);
      assertThat(info.mailboxDepth()).isZero();
      assertThat(info.suspendedCalls()).isZero();
    });
    assertThat(listener.heard).containsExactly("store COMMITTED", "store COMMITTED",
        "store COMMITTED", "store TRAPPED", "store.fail 5", "store TRAPPED", "store.add 1",
        "store.sendThenTrap 5", "store TRAPPED", "store.poke 5", "store COMMITTED");

    Mono<Void> down = system.shutdown(java.time.Duration.ofHours(1));
    scheduler.runUntilIdle();
    assertThat(scheduler.await(down, java.time.Duration.ZERO)).as("no call left in flight")
        .isNull();
  }

  @Test
  @DisplayName("R10 a call revoked because the turn that sent it trapped is told to callRejected"
      + " with code 1, as its future fails so")
  void revokedCallsAreReported() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Recorder recorder = new Recorder(false);
    try (ActorSystem system = system(scheduler, recorder)) {
      Store store = system.spawn(Store.class, ActorId.of("store"), StoreActor::new);

      assertThatThrownBy(() -> scheduler.await(store.sendThenTrap()))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
      scheduler.runUntilIdle();

      assertThat(store.read().block()).as("the add never ran").isZero();
      assertThat(recorder.rejects).containsExactly("store.add 1", "store.sendThenTrap 5");
    }
  }

  @Test
  @DisplayName("R10 R19 a query call revoked because the turn that sent it trapped is told to"
      + " callRejected with code 1, once, as a revoked update is")
  void revokedQueryCallsAreReported() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Recorder recorder = new Recorder(false);
    try (ActorSystem system = system(scheduler, recorder)) {
      Store store = system.spawn(Store.class, ActorId.of("store"), StoreActor::new);

      assertThatThrownBy(() -> scheduler.await(store.queryThenTrap()))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
      scheduler.runUntilIdle();

      assertThat(recorder.rejects).containsExactly("store.read 1", "store.queryThenTrap 5");
    }
  }

  @Test
  @DisplayName("R12a a oneway that fails (refused, trapped) is told to callRejected with the code its"
      + " caller would have seen; a timer's trapping job is a trapped turn, not a failed call")
  void failedOnewaysAreReportedAndTimerJobsAreNot() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Recorder recorder = new Recorder(false);
    try (ActorSystem system = system(scheduler, recorder)) {
      Store store = system.spawn(Store.class, ActorId.of("store"), StoreActor::new);

      system.lookup(Store.class, ActorId.of("ghost")).poke(1);
      store.poke(-1);
      store.poke(2);
      scheduler.runUntilIdle();
      scheduler.await(store.armTrappingTimer());
      scheduler.advanceTimeBy(java.time.Duration.ofSeconds(1));

      assertThat(store.read().block()).isEqualTo(2L);
      assertThat(recorder.rejects).containsExactly("ghost.poke 3", "store.poke 5");
      assertThat(recorder.turns).endsWith("store Store TRAPPED"); // the timer's job
    }
  }

  @Test
  @DisplayName("R12a a oneway that ran and committed is not told to callRejected when the"
      + " continuation of an await it left running is dropped by a shutdown")
  void aCommittedOnewayIsNotReportedWhenItsContinuationIsDropped() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    Recorder recorder = new Recorder(false);
    ActorSystem system = system(scheduler, recorder);
    Sleeper sleeper = system.spawn(Sleeper.class, ActorId.of("sleeper"),
        () -> new SleeperActor(scheduler));
    sleeper.sleep(java.time.Duration.ofMinutes(5));
    scheduler.runUntilIdle();
    assertThat(recorder.turns).containsExactly("sleeper Sleeper COMMITTED");

    system.shutdown(java.time.Duration.ofSeconds(10)).subscribe();
    scheduler.advanceTimeBy(java.time.Duration.ofMinutes(5)); // the await signals after the end
    scheduler.runUntilIdle();

    assertThat(recorder.rejects).as("the oneway succeeded").isEmpty();
  }
}

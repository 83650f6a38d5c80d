package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Rule R13 in depth: interleaving at await, call cycles, and awaits that would deadlock. */
class AwaitTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.withSeed(11);
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Node {
    Mono<String> start(Node peer);

    Mono<String> relay(Node back);

    Mono<String> echo();

    Mono<Long> awaitOwnReply();

    Mono<Long> awaitStoredFuture(String key);

    Mono<Long> awaitOn(Node other, String key);

    /** Awaits {@code other.awaitStoredFuture(key)} and {@code other.echo()} at once. */
    Mono<Long> awaitBothOn(Node other, String key);

    /** Awaits {@code other.awaitStoredFuture(key)} and {@code other.awaitStoredFuture(key2)} at once. */
    Mono<Long> awaitTwoStoredOn(Node other, String key, String key2);

    Mono<Void> touch();

    /** Returns {@code other.awaitStoredFuture(key)} itself, without awaiting it. */
    Mono<Long> forward(Node other, String key);

    /** Returns {@code other.awaitStoredFuture(key).map(v -> v + 1)}, without awaiting it. */
    Mono<Long> forwardMapped(Node other, String key);

    /** Returns the future stored under {@code key}, without awaiting it. */
    Mono<Long> returnStored(String key);

    /** Returns a map of the future stored under {@code key}, without awaiting it. */
    Mono<Long> mapOfStored(String key);

    /** Returns {@code other.returnStored(key).map(v -> v + 1)}, without awaiting it. */
    Mono<Long> mapReturnedOn(Node other, String key);

    /**
     * Returns, unawaited, a map of {@code other.forwardMapped(back, key)} if {@code awaits}, else
     * of {@code other.mapReturnedOn(back, key)}: a map of a call that returns a map in turn.
     */
    Mono<Long> mapOfMapOn(Node other, Node back, String key, boolean awaits);

    /** Awaits {@code other.echo()}, then the future stored under {@code key}. */
    Mono<Long> awaitStoredAfterEchoOf(Node other, String key);

    /** Awaits the future stored under {@code key}; {@code fallback} if it fails. */
    Mono<Long> awaitStoredOr(String key, long fallback);

    /** Awaits a map of {@code other.mapReturnedOn(back, key)}. */
    Mono<Long> awaitMapOfMapOn(Node other, Node back, String key);

    /**
     * Returns, unawaited, {@code Mono.firstWithValue} of a map of {@code back.returnStored(key)}
     * and {@code SINK}.
     */
    Mono<Long> raceReturnedOn(Node back, String key);

    /** Returns a map of {@code other.raceReturnedOn(back, key)}, unawaited. */
    Mono<Long> mapOfRaceOn(Node other, Node back, String key);

    /**
     * Races {@code other.awaitStoredFuture(key)} (kept under {@code key + " raced"}) against
     * {@code SINK}, awaiting both.
     */
    Mono<Long> raceSink(Node other, String key);

    /** Awaits {@code wrapper.awaitCallWrapped(self, key)}. */
    Mono<Long> awaitWrapperOn(Wrapper wrapper, String key);

    @Query
    Mono<List<String>> trace();
  }

  static final java.util.concurrent.atomic.AtomicReference<reactor.core.publisher.Sinks.One<Long>>
      SINK = new java.util.concurrent.atomic.AtomicReference<>();

  static final class NodeActor extends Actor implements Node {
    static final ConcurrentHashMap<String, Mono<Long>> FUTURES = new ConcurrentHashMap<>();
    private final Var<List<String>> trace = newVar("trace", List.of());

    private void add(String what) {
      List<String> next = new ArrayList<>(trace.get());
      next.add(what);
      trace.set(List.copyOf(next));
    }

    @Override
    public Mono<String> start(Node peer) {
      add("start");
      return await(peer.relay(self(Node.class))).map(r -> {
        add("start resumed with " + r);
        return r;
      });
    }

    @Override
    public Mono<String> relay(Node back) {
      return await(back.echo()).map(e -> "relayed " + e);
    }

    @Override
    public Mono<String> echo() {
      add("echo");
      return Mono.just("echo from " + actorId());
    }

    @Override
    public Mono<Long> awaitOwnReply() {
      Mono<Long> mine = self(Node.class).awaitStoredFuture("self");
      FUTURES.put("self", mine);
      return await(mine);
    }

    @Override
    public Mono<Long> awaitStoredFuture(String key) {
      return await(FUTURES.get(key));
    }

    @Override
    public Mono<Long> awaitOn(Node other, String key) {
      return await(other.awaitStoredFuture(key));
    }

    @Override
    public Mono<Long> awaitTwoStoredOn(Node other, String key, String key2) {
      return Mono.zip(await(other.awaitStoredFuture(key)), await(other.awaitStoredFuture(key2)),
          Long::sum);
    }

    @Override
    public Mono<Long> awaitBothOn(Node other, String key) {
      return Mono.zip(await(other.awaitStoredFuture(key)), await(other.echo()), (v, e) -> v);
    }

    @Override
    public Mono<Long> awaitWrapperOn(Wrapper wrapper, String key) {
      return await(wrapper.awaitCallWrapped(self(Node.class), key));
    }

    @Override
    public Mono<Long> forward(Node other, String key) {
      return other.awaitStoredFuture(key);
    }

    @Override
    public Mono<Long> forwardMapped(Node other, String key) {
      return other.awaitStoredFuture(key).map(v -> v + 1);
    }

    @Override
    public Mono<Long> returnStored(String key) {
      return FUTURES.get(key);
    }

    @Override
    public Mono<Long> mapOfStored(String key) {
      return FUTURES.get(key).map(v -> v + 1);
    }

    @Override
    public Mono<Long> mapReturnedOn(Node other, String key) {
      return other.returnStored(key).map(v -> v + 1);
    }

    @Override
    public Mono<Long> mapOfMapOn(Node other, Node back, String key, boolean awaits) {
      return (awaits ? other.forwardMapped(back, key) : other.mapReturnedOn(back, key))
          .map(v -> v + 1);
    }

    @Override
    public Mono<Long> awaitStoredAfterEchoOf(Node other, String key) {
      return await(other.echo()).then(Mono.defer(() -> await(FUTURES.get(key))));
    }

    @Override
    public Mono<Long> awaitStoredOr(String key, long fallback) {
      return await(FUTURES.get(key)).onErrorResume(e -> Mono.just(fallback));
    }

    @Override
    public Mono<Long> awaitMapOfMapOn(Node other, Node back, String key) {
      return await(other.mapReturnedOn(back, key).map(v -> v + 1));
    }

    @Override
    public Mono<Long> raceReturnedOn(Node back, String key) {
      return Mono.firstWithValue(back.returnStored(key).map(v -> v + 1), SINK.get().asMono());
    }

    @Override
    public Mono<Long> mapOfRaceOn(Node other, Node back, String key) {
      return other.raceReturnedOn(back, key).map(v -> v + 1);
    }

    @Override
    public Mono<Long> raceSink(Node other, String key) {
      Mono<Long> call = other.awaitStoredFuture(key);
      FUTURES.put(key + " raced", call);
      return Mono.firstWithValue(await(call), await(SINK.get().asMono()));
    }

    @Override
    public Mono<Void> touch() {
      add("touch");
      return done();
    }

    @Override
    public Mono<List<String>> trace() {
      return Mono.just(trace.get());
    }
  }

  public interface Suspender {
    /** Awaits {@code rounds} delays of a second, then ends as {@code how} says. */
    Mono<String> end(int rounds, String how);
  }

  final class SuspenderActor extends Actor implements Suspender {
    @Override
    public Mono<String> end(int rounds, String how) {
      Mono<String> chain = Mono.just(how);
      for (int i = 0; i < rounds; i++) {
        chain = chain.flatMap(h -> await(Mono.delay(java.time.Duration.ofSeconds(1), scheduler))
            .thenReturn(h));
      }
      return chain.flatMap(h -> {
        switch (h) {
          case "reply":
            return Mono.just("replied");
          case "reject":
            return reject("rejected on purpose");
          default:
            throw new IllegalStateException("trapped on purpose");
        }
      });
    }
  }

  @Test
  @DisplayName("R13 a call is among its actor's suspended calls from its first await until it ends:"
      + " replied, rejected or trapped, after one await or several")
  void suspendedCallsLeaveWhenTheyEnd() {
    Suspender s = system.spawn(Suspender.class, SuspenderActor::new);
    List<String> hows = List.of("reply", "reject", "trap");
    List<Mono<String>> calls = new ArrayList<>();
    for (int rounds = 1; rounds <= 3; rounds++) {
      for (String how : hows) {
        Mono<String> call = s.end(rounds, how).cache();
        call.subscribe(v -> { }, e -> { });
        calls.add(call);
      }
    }
    scheduler.runUntilIdle();
    assertThat(suspendedCalls()).isEqualTo(9);
    scheduler.advanceTimeBy(java.time.Duration.ofSeconds(1));
    assertThat(suspendedCalls()).as("those of one await ended").isEqualTo(6);
    scheduler.advanceTimeBy(java.time.Duration.ofSeconds(2));
    assertThat(suspendedCalls()).as("all ended").isZero();
    for (int i = 0; i < calls.size(); i++) {
      Mono<String> call = calls.get(i);
      switch (hows.get(i % 3)) {
        case "reply" -> assertThat(call.block()).isEqualTo("replied");
        case "reject" -> assertThatThrownBy(call::block).isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT));
        default -> assertThatThrownBy(call::block).isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
      }
    }
  }

  @Test
  @DisplayName("R13 the list of suspended calls stays exact over thousands of suspensions:"
      + " calls suspended long ago stay listed while newer ones come and go")
  void suspendedCallsStayListedOverThousandsOfSuspensions() {
    Suspender s = system.spawn(Suspender.class, SuspenderActor::new);
    // three calls that stay suspended for a long time (100 awaits of a second each)
    List<Mono<String>> longCalls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Mono<String> call = s.end(100, "reply").cache();
      call.subscribe(v -> { }, e -> { });
      longCalls.add(call);
    }
    scheduler.runUntilIdle();
    assertThat(suspendedCalls()).isEqualTo(3);
    // 3,000 short calls, each suspended once and ended a second later: several times the
    // suspensions an actor records in one holder of its list (ActorCell.SUSPENSIONS_PER_HOLDER)
    int ended = 0;
    for (int batch = 0; batch < 30; batch++) {
      List<Mono<String>> shortCalls = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Mono<String> call = s.end(1, "reply").cache();
        call.subscribe(v -> { }, e -> { });
        shortCalls.add(call);
      }
      scheduler.runUntilIdle();
      assertThat(suspendedCalls()).isEqualTo(103);
      scheduler.advanceTimeBy(java.time.Duration.ofSeconds(1));
      assertThat(suspendedCalls()).as("the short ones ended, the long ones listed").isEqualTo(3);
      for (Mono<String> call : shortCalls) {
        assertThat(call.block()).isEqualTo("replied");
        ended++;
      }
    }
    assertThat(ended).isEqualTo(3_000);
    scheduler.advanceTimeBy(java.time.Duration.ofSeconds(100));
    assertThat(suspendedCalls()).isZero();
    for (Mono<String> call : longCalls) {
      assertThat(call.block()).isEqualTo("replied");
    }
  }

  private int suspendedCalls() {
    return system.actors().stream().mapToInt(ActorInfo::suspendedCalls).sum();
  }

  @Test
  @DisplayName("R13 a call cycle A -> B -> A completes: A interleaves at its await")
  void callCycleCompletes() {
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    String result = scheduler.await(a.start(b));
    assertThat(result).isEqualTo("relayed echo from " + ActorRefs.idOf(a));
    assertThat(a.trace().block()).containsExactly("start", "echo", "start resumed with " + result);
  }

  @Test
  @DisplayName("R9 R13 other messages run between an await and its continuation")
  void interloperRunsDuringAnAwait() {
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    Mono<String> f = a.start(b);
    a.touch();
    scheduler.runUntilIdle();
    assertThat(f.block()).startsWith("relayed");
    assertThat(a.trace().block()).startsWith("start").contains("touch")
        .endsWith("start resumed with " + f.block());
  }

  @Test
  @DisplayName("R13 awaiting its own reply fails at once instead of deadlocking")
  void awaitingOwnReplyFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    assertThatThrownBy(() -> scheduler.await(a.awaitOwnReply()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).contains("the await would deadlock (rule R13)");
        });
  }

  @Test
  @DisplayName("R13 an await cycle through another actor fails at once instead of deadlocking")
  void awaitCycleThroughAnotherActorFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    // a awaits b.awaitStoredFuture("k"), which awaits the future stored under "k": a's own call
    Mono<Long> outer = a.awaitOn(b, "k");
    NodeActor.FUTURES.put("k", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("actor " + ActorRefs.idOf(b) + " (Node) awaits the future of Node.awaitOn() on " + ActorRefs.idOf(a))
            .contains("would deadlock"));
  }

  @Test
  @DisplayName("R13 a method that returns, unawaited, the future of a call that awaits the method's"
      + " own reply fails instead of deadlocking")
  void returningTheFutureOfACallAwaitingOwnReplyFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    // a's call answers with b's, which awaits a's call: b's await closes the cycle
    Mono<Long> outer = a.forward(b, "forwarded");
    NodeActor.FUTURES.put("forwarded", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("awaits the future of Node.forward() on " + ActorRefs.idOf(a))
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 a method that returns, unawaited, a map of the future of a call that awaits the"
      + " method's own reply fails instead of deadlocking")
  void returningAMapOfTheFutureOfACallAwaitingOwnReplyFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    // b's await closes the cycle through the map: the map's subscription to b's call gets the error
    Mono<Long> outer = a.forwardMapped(b, "mapped");
    NodeActor.FUTURES.put("mapped", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("returned a Mono that subscribed to the future of Node.awaitStoredFuture()"
                + " on " + ActorRefs.idOf(b))
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 a method that returns, as is, the future of a call whose method returned a map"
      + " of this call's future unawaited fails instead of deadlocking")
  void returningAsIsAFutureThatClosesACycleThroughAReturnedMapFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    // a's call returns a map of b's call, which returns a's future as is: b's return closes the
    // cycle, and the map's subscription to b's call gets the error
    Mono<Long> outer = a.mapReturnedOn(b, "returned");
    NodeActor.FUTURES.put("returned", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("returned a Mono that subscribed to the future of Node.returnStored()"
                + " on " + ActorRefs.idOf(b))
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 a cycle through two maps returned unawaited (each of two calls returns a map of"
      + " the next one's future), closed by a call returning the first one's future as is, fails"
      + " instead of deadlocking: the first map's subscription gets the error")
  void aCycleThroughTwoReturnedMapsClosedByAReturnedFutureFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    // a's call returns a map of b's, which returns a map of a's second call, which returns the
    // future of a's first call as is
    Mono<Long> outer = a.mapOfMapOn(b, a, "two maps", false);
    NodeActor.FUTURES.put("two maps", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("returned a Mono that subscribed to the future of Node.mapReturnedOn()"
                + " on " + ActorRefs.idOf(b))
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 a cycle through two maps returned unawaited, closed by a call awaiting the"
      + " first one's future, fails instead of deadlocking: the first map's subscription gets the"
      + " error")
  void aCycleThroughTwoReturnedMapsClosedByAnAwaitFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    Mono<Long> outer = a.mapOfMapOn(b, a, "two maps awaited", true);
    NodeActor.FUTURES.put("two maps awaited", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("returned a Mono that subscribed to the future of Node.forwardMapped()"
                + " on " + ActorRefs.idOf(b))
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 an await of a map of a call that returns a map unawaited, through which a call"
      + " returning the awaiting call's future closes a cycle, gets the error for its subscription"
      + " instead of deadlocking")
  void anAwaitedMapOfACallReturningAMapThroughWhichACycleClosesFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    Mono<Long> outer = a.awaitMapOfMapOn(b, a, "awaited map of a map");
    NodeActor.FUTURES.put("awaited map of a map", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("awaits a Mono that subscribed to the future of Node.mapReturnedOn()"
                + " on " + ActorRefs.idOf(b))
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 an await of a cache of a call's future, which another subscriber subscribed to"
      + " first (outside any await: the cache's subscription to the future is shared), through"
      + " which a cycle closes, gets the error instead of deadlocking, whichever await closes it")
  void anAwaitOfASharedCacheThroughWhichACycleClosesFails() {
    for (long seed = 1; seed <= 4; seed++) {
      for (boolean later : List.of(false, true)) {
        DeterministicScheduler seeded = DeterministicScheduler.withSeed(seed);
        try (ActorSystem own = TestSystems.on(seeded)) {
          NodeActor.FUTURES.clear();
          Node a = own.spawn(Node.class, NodeActor::new);
          Node b = own.spawn(Node.class, NodeActor::new);
          // b's call awaits a's, which awaits (at once, or after an echo) a cache of b's call
          Mono<Long> cached = b.awaitStoredFuture("x").cache();
          cached.subscribe(v -> { }, e -> { }); // subscribed for nobody's await
          NodeActor.FUTURES.put("cached", cached);
          Mono<Long> x = later ? a.awaitStoredAfterEchoOf(b, "cached")
              : a.awaitStoredFuture("cached");
          NodeActor.FUTURES.put("x", x);
          assertThatThrownBy(() -> seeded.await(x)).as("seed %d, later %s", seed, later)
              .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
                  .contains("awaits a Mono that subscribed to the future of"
                      + " Node.awaitStoredFuture() on " + ActorRefs.idOf(b))
                  .contains("would deadlock (rule R13)"));
          assertThatThrownBy(() -> seeded.await(cached)).isInstanceOf(CallError.class);
        }
      }
    }
  }

  @Test
  @DisplayName("R13 an await of a cache of a call's future through which a cycle closes later, by"
      + " that call returning, unawaited, a map of the awaiting call's future, gets the error"
      + " instead of deadlocking, whichever runs first")
  void anAwaitOfACacheClosedByAReturnedMapFails() {
    for (long seed = 0; seed <= 3; seed++) {
      DeterministicScheduler seeded = seed == 0 ? DeterministicScheduler.create()
          : DeterministicScheduler.withSeed(seed);
      try (ActorSystem own = TestSystems.on(seeded)) {
        NodeActor.FUTURES.clear();
        Node a = own.spawn(Node.class, NodeActor::new);
        Node b = own.spawn(Node.class, NodeActor::new);
        // a's call awaits a cache of b's call, which returns a map of a's call (a runs first on
        // the plain scheduler: its await finds no cycle, b's returned map closes it)
        Mono<Long> x = a.awaitStoredFuture("cached");
        Mono<Long> fromB = b.mapOfStored("x");
        NodeActor.FUTURES.put("cached", fromB.cache());
        NodeActor.FUTURES.put("x", x);
        seeded.runUntilIdle();
        assertThat(x.toFuture()).as("seed %d: no deadlock", seed).isDone();
        assertThatThrownBy(() -> seeded.await(x)).as("seed %d", seed)
            .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
                .contains("would deadlock (rule R13)"));
        assertThatThrownBy(() -> seeded.await(fromB)).as("seed %d", seed)
            .isInstanceOf(CallError.class);
      }
    }
  }

  @Test
  @DisplayName("R13 an await of a share (or a cacheInvalidateIf) of a call's future through which a"
      + " cycle closes gets the error instead of deadlocking, as an await of a cache does: the"
      + " subscription feeding the share is not failed, so the await must be")
  void anAwaitOfAShareThroughWhichACycleClosesFails() {
    for (long seed = 1; seed <= 4; seed++) {
      for (boolean share : List.of(true, false)) {
        DeterministicScheduler seeded = DeterministicScheduler.withSeed(seed);
        try (ActorSystem own = TestSystems.on(seeded)) {
          NodeActor.FUTURES.clear();
          Node a = own.spawn(Node.class, NodeActor::new);
          Node b = own.spawn(Node.class, NodeActor::new);
          // b's call awaits a's, which awaits a share (or a cacheInvalidateIf) of b's call
          Mono<Long> fromB = b.awaitStoredFuture("x");
          Mono<Long> shared = share ? fromB.share() : fromB.cacheInvalidateIf(v -> false);
          NodeActor.FUTURES.put("shared", shared);
          Mono<Long> x = a.awaitStoredFuture("shared");
          NodeActor.FUTURES.put("x", x);
          seeded.runUntilIdle();
          assertThat(x.toFuture()).as("seed %d, share %s: no deadlock", seed, share).isDone();
          assertThatThrownBy(() -> seeded.await(x)).as("seed %d, share %s", seed, share)
              .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
                  .contains("would deadlock (rule R13)"));
        }
      }
    }
  }

  @Test
  @DisplayName("R13 an await of the first value of a shared Flux of a call's future (its replay,"
      + " publish, share or cache) through which a cycle closes gets the error instead of"
      + " deadlocking: the subscription feeding the Flux is not failed, so the await must be")
  void anAwaitOfASharedFluxOfAFutureThroughWhichACycleClosesFails() {
    List<java.util.function.Function<Mono<Long>, Mono<Long>>> shares = List.of(
        m -> m.flux().replay(1).autoConnect().next(),
        m -> m.flux().publish().autoConnect().next(),
        m -> m.flux().share().next(),
        m -> m.flux().cache().next());
    for (long seed = 1; seed <= 3; seed++) {
      for (int kind = 0; kind < shares.size(); kind++) {
        DeterministicScheduler seeded = DeterministicScheduler.withSeed(seed);
        try (ActorSystem own = TestSystems.on(seeded)) {
          NodeActor.FUTURES.clear();
          Node a = own.spawn(Node.class, NodeActor::new);
          Node b = own.spawn(Node.class, NodeActor::new);
          // b's call awaits a's, which awaits the first value of a shared Flux of b's call
          Mono<Long> shared = shares.get(kind).apply(b.awaitStoredFuture("x"));
          NodeActor.FUTURES.put("shared", shared);
          Mono<Long> x = a.awaitStoredFuture("shared");
          NodeActor.FUTURES.put("x", x);
          seeded.runUntilIdle();
          assertThat(x.toFuture()).as("seed %d, kind %d: no deadlock", seed, kind).isDone();
          assertThatThrownBy(() -> seeded.await(x)).as("seed %d, kind %d", seed, kind)
              .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
                  .contains("would deadlock (rule R13)"));
        }
      }
    }
  }

  @Test
  @DisplayName("R13 a cache of a call's future that an await closing a cycle subscribed first keeps"
      + " no deadlock error for its other subscribers, who are in no cycle: the awaiting call"
      + " handles its error, the future then completes, and the cache answers its value")
  void aCacheAnAwaitInACycleSubscribedFirstIsNotPoisonedForOthers() {
    for (long seed = 1; seed <= 6; seed++) {
      boolean mapped = seed % 2 == 0;
      DeterministicScheduler seeded = DeterministicScheduler.withSeed(seed);
      try (ActorSystem own = TestSystems.on(seeded)) {
        NodeActor.FUTURES.clear();
        Node a = own.spawn(Node.class, NodeActor::new);
        Node b = own.spawn(Node.class, NodeActor::new);
        Node e = own.spawn(Node.class, NodeActor::new);
        // b's call awaits a's, which awaits a cache of b's call (or of a map of it), as its first
        // subscriber, and answers -1 on an error; whichever runs first, the other closes the cycle
        Mono<Long> fromB = b.awaitStoredFuture("a");
        Mono<Long> cached = mapped ? fromB.map(v -> v).cache() : fromB.cache();
        NodeActor.FUTURES.put("cached", cached);
        Mono<Long> fromA = a.awaitStoredOr("cached", -1);
        NodeActor.FUTURES.put("a", fromA);
        seeded.runUntilIdle();
        assertThat(seeded.await(fromA)).as("seed %d: a's await got the error", seed)
            .isEqualTo(-1L);
        assertThat(seeded.await(fromB)).as("seed %d: b's call completed", seed).isEqualTo(-1L);
        assertThat(seeded.await(cached)).as("seed %d: the cache answers it", seed)
            .isEqualTo(-1L);
        assertThat(seeded.await(e.awaitStoredFuture("cached"))).as("seed %d", seed)
            .isEqualTo(-1L);
      }
    }
  }

  @Test
  @DisplayName("R13 an await of a cache of a call's future that does not lead back, which another"
      + " subscriber subscribed to first, is no deadlock: it gets the value")
  void anAwaitOfASharedCacheWithoutACycleCompletes() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    Mono<Long> stored = a.awaitStoredFuture("sink");
    SINK.set(reactor.core.publisher.Sinks.one());
    NodeActor.FUTURES.put("sink", SINK.get().asMono());
    Mono<Long> cached = stored.cache();
    cached.subscribe(v -> { }, e -> { });
    NodeActor.FUTURES.put("cached", cached);
    Mono<Long> x = b.awaitStoredFuture("cached");
    scheduler.runUntilIdle();
    SINK.get().tryEmitValue(5L);
    assertThat(scheduler.await(x)).isEqualTo(5L);
  }

  @Test
  @DisplayName("R13 a map of a call that returns, unawaited, a race of a map of a future leading"
      + " back against a sink is no deadlock: the race may end by the sink, and everyone gets its"
      + " value")
  void aReturnedMapOfAReturnedRaceIsNoDeadlock() {
    NodeActor.FUTURES.clear();
    SINK.set(reactor.core.publisher.Sinks.one());
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    // a's call returns a map of b's, which races a map of a's second call (returning the future
    // of a's first call as is) against the sink
    Mono<Long> outer = a.mapOfRaceOn(b, a, "race");
    NodeActor.FUTURES.put("race", outer);
    scheduler.runUntilIdle();
    assertThat(outer.toFuture()).isNotDone();
    SINK.get().tryEmitValue(7L);
    assertThat(scheduler.await(outer)).isEqualTo(8L);
  }

  @Test
  @DisplayName("R13 a method that returns its own future fails instead of deadlocking")
  void returningOwnFutureFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Mono<Long> own = a.returnStored("own");
    NodeActor.FUTURES.put("own", own);
    assertThatThrownBy(() -> scheduler.await(own))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 a call racing an awaited future that leads back against a sink it also awaits"
      + " is not blocked: awaiting that call is no deadlock, and gets the sink's value")
  void aRaceWithAnAwaitedSinkIsNoDeadlock() {
    NodeActor.FUTURES.clear();
    SINK.set(reactor.core.publisher.Sinks.one());
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    // a races b's call against the sink; b's call awaits a's, which the sink can complete (a sink
    // the call did not await is invisible to the check, which would trap b's call: see R13 in
    // docs/semantics.md)
    String key = "sink";
    Mono<Long> outer = a.raceSink(b, key);
    NodeActor.FUTURES.put(key, outer);
    scheduler.runUntilIdle();
    SINK.get().tryEmitValue(7L);
    assertThat(scheduler.await(outer)).isEqualTo(7L);
    assertThat(scheduler.await(NodeActor.FUTURES.get(key + " raced"))).isEqualTo(7L);
  }

  public interface Holder {
    /** Answers {@code SINK}'s value, through a Mono whose subscription cannot be scanned. */
    Mono<Long> hold();
  }

  static final class HolderActor extends Actor implements Holder {
    @Override
    public Mono<Long> hold() {
      return new UnscannableMono(SINK.get().asMono());
    }
  }

  /** A Mono of another library whose subscription claims to be Scannable and throws when asked. */
  static final class UnscannableMono extends Mono<Long> {
    private final Mono<Long> source;

    UnscannableMono(Mono<Long> source) {
      this.source = source;
    }

    @Override
    public void subscribe(reactor.core.CoreSubscriber<? super Long> actual) {
      source.subscribe(new reactor.core.CoreSubscriber<Long>() {
        @Override
        public void onSubscribe(org.reactivestreams.Subscription s) {
          actual.onSubscribe(new UnscannableSubscription(s));
        }

        @Override
        public void onNext(Long value) {
          actual.onNext(value);
        }

        @Override
        public void onError(Throwable t) {
          actual.onError(t);
        }

        @Override
        public void onComplete() {
          actual.onComplete();
        }
      });
    }
  }

  record UnscannableSubscription(org.reactivestreams.Subscription s)
      implements org.reactivestreams.Subscription, reactor.core.Scannable {
    @Override
    public void request(long n) {
      s.request(n);
    }

    @Override
    public void cancel() {
      s.cancel();
    }

    @Override
    public Object scanUnsafe(Attr key) {
      throw new IllegalStateException("a broken Scannable");
    }
  }

  public interface Waiter {
    /** Awaits the future stored under {@code key} and {@code other.echo()} at once. */
    Mono<String> awaitStoredAndEcho(String key, Node other);
  }

  final class WaiterActor extends Actor implements Waiter {
    @Override
    public Mono<String> awaitStoredAndEcho(String key, Node other) {
      return Mono.zip(await(NodeActor.FUTURES.get(key)), await(other.echo()))
          .map(both -> both.getT1() + " " + both.getT2());
    }
  }

  @Test
  @DisplayName("R13 a turn whose await check meets a Mono it cannot scan (another library's operator"
      + " that throws when asked) still waits for it and for its other awaits: the search is best"
      + " effort")
  void aTurnWhoseAwaitCheckMeetsAnUnscannableMonoStillCompletes() {
    NodeActor.FUTURES.clear();
    SINK.set(reactor.core.publisher.Sinks.one());
    Holder holder = system.spawn(Holder.class, HolderActor::new);
    Waiter waiter = system.spawn(Waiter.class, WaiterActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    Mono<Long> held = holder.hold(); // runs, and waits for the sink through the unscannable Mono
    NodeActor.FUTURES.put("held", held);
    scheduler.runUntilIdle();
    // the walk of the first await ends at the holder's call, which awaits nothing but the Mono its
    // method returned: searched once the turn commits, before the second await is activated
    Mono<String> outer = waiter.awaitStoredAndEcho("held", b);
    scheduler.runUntilIdle();
    SINK.get().tryEmitValue(7L);
    assertThat(scheduler.await(outer)).isEqualTo("7 " + scheduler.await(b.echo()));
    assertThat(scheduler.await(held)).isEqualTo(7L);
  }

  @Test
  @DisplayName("R13 R22 a cycle through the future of a call with a bounded wait is no deadlock:"
      + " that future can complete first, by timing out, and the wait ends then with code 6")
  void aCycleThroughABoundedWaitEndsAtItsTimeout() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    Node bounded = io.reactant.call.CallOptions.timeout(Duration.ofSeconds(5)).on(b);
    // a awaits b's call with a bounded wait; b's call awaits a's: the cycle lasts until the timeout
    Mono<Long> outer = a.awaitOn(bounded, "bounded");
    NodeActor.FUTURES.put("bounded", outer);
    scheduler.advanceTimeBy(Duration.ofSeconds(4));
    assertThat(((io.reactant.internal.CallFuture<Long>) outer).isDone())
        .as("no trap before the timeout").isFalse();
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("timed out after PT5S").doesNotContain("deadlock"));
  }

  @Test
  @DisplayName("R13 R22 a cycle through a call whose bounded wait never falls due"
      + " (ChronoUnit.FOREVER) is a deadlock: no timeout can end it, so the await that closes it"
      + " fails at once")
  void aCycleThroughABoundedWaitThatNeverFallsDueFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    Node forever = io.reactant.call.CallOptions
        .timeout(java.time.temporal.ChronoUnit.FOREVER.getDuration()).on(b);
    // a awaits b's call, bounded by a wait no scheduler ever ends; b's call awaits a's
    Mono<Long> outer = a.awaitOn(forever, "forever");
    NodeActor.FUTURES.put("forever", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("awaits the future of Node.awaitOn() on " + ActorRefs.idOf(a))
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 R22 with the system's defaultCallTimeout every call has a bounded wait: a cycle"
      + " through a call made with it ends at that timeout with code 6, not at once as a deadlock")
  void aCycleUnderTheDefaultCallTimeoutEndsAtTheTimeout() {
    NodeActor.FUTURES.clear();
    DeterministicScheduler clock = DeterministicScheduler.withSeed(11);
    ActorSystem bounded = ActorSystem.create(ActorSystemConfig.builder().name("bounded")
        .scheduler(clock).defaultCallTimeout(Duration.ofSeconds(5)).build());
    try {
      Node a = bounded.spawn(Node.class, NodeActor::new);
      Node b = bounded.spawn(Node.class, NodeActor::new);
      // a's call (given a minute, so that b's timeout ends it) awaits b's call, made with the
      // system's 5 s; b's call awaits a's: the cycle lasts until b's call times out
      Mono<Long> outer = io.reactant.call.CallOptions.timeout(Duration.ofMinutes(1)).on(a)
          .awaitOn(b, "default");
      NodeActor.FUTURES.put("default", outer);
      clock.advanceTimeBy(Duration.ofSeconds(4));
      assertThat(((io.reactant.internal.CallFuture<Long>) outer).isDone())
          .as("no trap before the timeout").isFalse();
      clock.advanceTimeBy(Duration.ofSeconds(1));
      assertThatThrownBy(() -> clock.await(outer))
          .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
              .contains("timed out after PT5S").doesNotContain("deadlock"));
    } finally {
      bounded.close();
    }
  }

  public interface Hasty {
    /** Awaits {@code other.awaitStoredFuture(key)}, with Reactor's timeout of 5 s after it. */
    Mono<Long> awaitWithin(Node other, String key);
  }

  final class HastyActor extends Actor implements Hasty {
    @Override
    public Mono<Long> awaitWithin(Node other, String key) {
      return await(other.awaitStoredFuture(key)).timeout(Duration.ofSeconds(5), scheduler);
    }
  }

  @Test
  @DisplayName("R13 a Reactor timeout operator after the await is no bounded wait of the call: the"
      + " await that closes a cycle through it still fails as a deadlock at once")
  void aTimeoutOperatorAfterTheAwaitIsNoBoundedWait() {
    NodeActor.FUTURES.clear();
    Hasty a = system.spawn(Hasty.class, HastyActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    Mono<Long> outer = a.awaitWithin(b, "hasty");
    NodeActor.FUTURES.put("hasty", outer);
    assertThatThrownBy(() -> scheduler.await(outer)).as("without moving the clock")
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("would deadlock"));
    assertThat(scheduler.now(java.util.concurrent.TimeUnit.NANOSECONDS)).isZero();
  }

  public interface Opaque {
    /**
     * Awaits {@code other.awaitStoredFuture(key)} with Reactor's timeout of 5 s inside the await
     * ({@code await(f.timeout(d))}), answering -1 on any error if {@code fallback}.
     */
    Mono<Long> awaitTimedOut(Node other, String key, boolean fallback);

    /** Awaits a self call of {@link #awaitStored}({@code key}), with a Reactor timeout inside. */
    Mono<Long> awaitSelfTimedOut(String key);

    /** Awaits the future stored under {@code key}. */
    Mono<Long> awaitStored(String key);

    /** Awaits {@code Mono.never()}. */
    Mono<Long> awaitNever();

    /** Awaits the Mono of {@code SINK}. */
    Mono<Long> awaitSink();
  }

  final class OpaqueActor extends Actor implements Opaque {
    @Override
    public Mono<Long> awaitTimedOut(Node other, String key, boolean fallback) {
      Mono<Long> timed = other.awaitStoredFuture(key).timeout(Duration.ofSeconds(5), scheduler);
      return await(fallback ? timed.onErrorReturn(-1L) : timed);
    }

    @Override
    public Mono<Long> awaitSelfTimedOut(String key) {
      return await(self(Opaque.class).awaitStored(key).timeout(Duration.ofSeconds(5), scheduler));
    }

    @Override
    public Mono<Long> awaitStored(String key) {
      return await(NodeActor.FUTURES.get(key));
    }

    @Override
    public Mono<Long> awaitNever() {
      return await(Mono.never());
    }

    @Override
    public Mono<Long> awaitSink() {
      return await(SINK.get().asMono());
    }
  }

  @Test
  @DisplayName("R13 a Reactor timeout inside the await (await(f.timeout(d))) of a call that leads"
      + " back (another actor's, or a self call's) does not wait for its timeout: its"
      + " subscription to the call's future gets the deadlock error at once, which an"
      + " onErrorReturn inside the await handles at once; the same await of a call in no cycle"
      + " ends at that timeout")
  void aTimeoutInsideTheAwaitOfACallThatLeadsBackFailsAtOnce() {
    NodeActor.FUTURES.clear();
    SINK.set(reactor.core.publisher.Sinks.one());
    Opaque a = system.spawn(Opaque.class, OpaqueActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    Mono<Long> failed = a.awaitTimedOut(b, "failed", false);
    NodeActor.FUTURES.put("failed", failed);
    assertThatThrownBy(() -> scheduler.await(failed)).as("without moving the clock")
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("awaits a Mono that subscribed to the future of Node.awaitStoredFuture()")
            .contains("would deadlock (rule R13)"));
    Mono<Long> handled = a.awaitTimedOut(b, "handled", true);
    NodeActor.FUTURES.put("handled", handled);
    assertThat(scheduler.await(handled)).isEqualTo(-1L);
    Mono<Long> self = a.awaitSelfTimedOut("self"); // a self call closing the cycle: the same
    NodeActor.FUTURES.put("self", self);
    assertThatThrownBy(() -> scheduler.await(self))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("awaits a Mono that subscribed to the future of Opaque.awaitStored()")
            .contains("would deadlock (rule R13)"));
    assertThat(scheduler.now(java.util.concurrent.TimeUnit.NANOSECONDS)).isZero();
    // the neighbour: b's call waits for a sink nobody completes, and Reactor's timeout ends it
    NodeActor.FUTURES.put("sink", SINK.get().asMono());
    Mono<Long> free = a.awaitTimedOut(b, "sink", false);
    scheduler.advanceTimeBy(Duration.ofSeconds(4));
    assertThat(((io.reactant.internal.CallFuture<Long>) free).isDone()).isFalse();
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThatThrownBy(() -> scheduler.await(free))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("TimeoutException").doesNotContain("deadlock"));
  }

  @Test
  @DisplayName("R13 R22 an await of Mono.never() or of a sink is not analysed: a cycle through a"
      + " sink that only a call waiting for the awaiting call completes is not found, and the"
      + " caller's bounded wait ends both with code 6 at its timeout, not before")
  void anAwaitOfANeverOrASinkInACycleEndsAtTheCallersTimeout() {
    NodeActor.FUTURES.clear();
    SINK.set(reactor.core.publisher.Sinks.one());
    Opaque a = io.reactant.call.CallOptions.timeout(Duration.ofSeconds(5))
        .on(system.spawn(Opaque.class, OpaqueActor::new));
    Node b = system.spawn(Node.class, NodeActor::new);
    Mono<Long> never = a.awaitNever();
    // a awaits the sink; b's call awaits a's, and only b's answer would complete the sink
    Mono<Long> sinkCycle = a.awaitSink();
    NodeActor.FUTURES.put("a", sinkCycle);
    Mono<Long> closing = b.awaitStoredFuture("a")
        .doOnNext(v -> SINK.get().tryEmitValue(v)).cache();
    closing.subscribe(v -> { }, e -> { });
    scheduler.advanceTimeBy(Duration.ofSeconds(4));
    assertThat(((io.reactant.internal.CallFuture<Long>) never).isDone()).isFalse();
    assertThat(((io.reactant.internal.CallFuture<Long>) sinkCycle).isDone()).isFalse();
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    for (Mono<Long> ended : List.of(never, sinkCycle)) {
      assertThatThrownBy(() -> scheduler.await(ended))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
            assertThat(e.rejectMessage()).contains("timed out after PT5S")
                .doesNotContain("deadlock");
          });
    }
    // b's call got a's code 6 (rule R12a: code 4 once it leaves b's method), and ended
    assertThatThrownBy(() -> scheduler.await(closing))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("timed out after PT5S"));
    // the neighbour: a sink completed by another message answers the await
    Mono<Long> answered = a.awaitSink();
    scheduler.runUntilIdle();
    SINK.get().tryEmitValue(7L);
    assertThat(scheduler.await(answered)).isEqualTo(7L);
  }

  @Test
  @DisplayName("R13 a cycle through each of two futures awaited at once fails instead of deadlocking")
  void awaitCycleThroughAnEarlierAwaitOfTheSameTurnFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    // a awaits b.awaitStoredFuture("k") and b.awaitStoredFuture("k2"); both await a's own call
    // (through one of them only, a could be racing the other: no deadlock can be concluded)
    Mono<Long> outer = a.awaitTwoStoredOn(b, "k", "k2");
    NodeActor.FUTURES.put("k", outer);
    NodeActor.FUTURES.put("k2", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("awaits the future of Node.awaitTwoStoredOn() on " + ActorRefs.idOf(a))
            .contains("would deadlock"));
  }

  @Test
  @DisplayName("R13 futures awaited at once that do not lead back complete, and leave no link behind")
  void severalAwaitsAtOnceWithoutACycleComplete() {
    Node a = system.spawn(Node.class, NodeActor::new);
    Node b = system.spawn(Node.class, NodeActor::new);
    NodeActor.FUTURES.clear();
    NodeActor.FUTURES.put("k", Mono.just(41L));
    assertThat(scheduler.await(a.awaitBothOn(b, "k"))).isEqualTo(41L);
    // a's later call awaits b, whose call awaits a future of a's: no stale link makes it a cycle
    Mono<Long> first = a.awaitBothOn(b, "k");
    NodeActor.FUTURES.put("later", first);
    assertThat(scheduler.await(first)).isEqualTo(41L);
    assertThat(scheduler.await(a.awaitOn(b, "later"))).isEqualTo(41L);
  }

  public interface Patient {
    /** Waits two seconds, then awaits the future stored under {@code key}; records the outcome. */
    Mono<Long> awaitLaterStored(String key);

    /**
     * Awaits {@code other.awaitLaterStored(key)} for a second only (its await is then cancelled)
     * and, at once, a delay of three seconds; answers -1.
     */
    Mono<Long> giveUpOn(Patient other, String key);
  }

  final ConcurrentHashMap<String, String> outcomes = new ConcurrentHashMap<>();

  final class PatientActor extends Actor implements Patient {
    @Override
    public Mono<Long> awaitLaterStored(String key) {
      return await(Mono.delay(Duration.ofSeconds(2), scheduler))
          .then(Mono.defer(() -> await(NodeActor.FUTURES.get(key))))
          .doOnNext(v -> outcomes.put(key, "answered " + v))
          .doOnError(e -> outcomes.put(key, "failed: " + e.getMessage()));
    }

    @Override
    public Mono<Long> giveUpOn(Patient other, String key) {
      Mono<Long> givenUp = await(other.awaitLaterStored(key))
          .timeout(Duration.ofSeconds(1), scheduler)
          .onErrorReturn(-1L);
      return Mono.zip(givenUp, await(Mono.delay(Duration.ofSeconds(3), scheduler)), (v, d) -> v);
    }
  }

  @Test
  @DisplayName("R13 an await cancelled by a timeout no longer links its call: awaiting that call is no deadlock")
  void aCancelledAwaitIsNoLinkOfACycle() {
    NodeActor.FUTURES.clear();
    Patient a = system.spawn(Patient.class, PatientActor::new);
    Patient b = system.spawn(Patient.class, PatientActor::new);
    // a gives up on b's call after 1 s; at 2 s b's call awaits a's call, which answers at 3 s
    Mono<Long> outer = a.giveUpOn(b, "k");
    NodeActor.FUTURES.put("k", outer);
    Mono<Long> answered = outer.cache();
    answered.subscribe();
    scheduler.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(scheduler.await(answered)).isEqualTo(-1L);
    scheduler.runUntilIdle();
    assertThat(outcomes).containsEntry("k", "answered -1");
  }

  public interface Racer {
    /**
     * Awaits {@code slow.awaitLaterStored("race")} and {@code other.after(3 s)} at once, answering
     * whichever answers first.
     */
    Mono<Long> race(Patient slow, Racer other);

    /** Answers -1 after {@code delay}. */
    Mono<Long> after(Duration delay);

    /** Answers -1 after {@code delay}, through a Mono it does not await (no link). */
    Mono<Long> unawaitedAfter(Duration delay);

    /**
     * Awaits {@code node.awaitStoredFuture("zip")} and {@code other.after(1 s)} at once, needing
     * both.
     */
    Mono<Long> zipWith(Node node, Racer other);

    /**
     * Awaits {@code slow.awaitLaterStored("raceTimer")} and a delay of 3 s at once, answering
     * whichever answers first (-1 for the delay).
     */
    Mono<Long> raceTimer(Patient slow);

    /** Awaits {@code node.awaitStoredFuture("zipTimer")} and a delay of 1 s at once. */
    Mono<Long> zipTimer(Node node);

    /**
     * Awaits {@code node.awaitStoredFuture("zipTimeout")} and, at once, {@code other.after(5 s)}
     * for a second only (0 if it gives up).
     */
    Mono<Long> zipTimeout(Node node, Racer other);
  }

  final class RacerActor extends Actor implements Racer {
    @Override
    public Mono<Long> race(Patient slow, Racer other) {
      return Mono.firstWithValue(await(slow.awaitLaterStored("race")),
          await(other.after(Duration.ofSeconds(3))));
    }

    @Override
    public Mono<Long> after(Duration delay) {
      return await(Mono.delay(delay, scheduler)).thenReturn(-1L);
    }

    @Override
    public Mono<Long> unawaitedAfter(Duration delay) {
      return Mono.delay(delay, scheduler).thenReturn(-1L);
    }

    @Override
    public Mono<Long> zipWith(Node node, Racer other) {
      return Mono.zip(await(node.awaitStoredFuture("zip")),
          await(other.after(Duration.ofSeconds(1))), Long::sum);
    }

    @Override
    public Mono<Long> zipTimeout(Node node, Racer other) {
      return Mono.zip(await(node.awaitStoredFuture("zipTimeout")),
          await(other.after(Duration.ofSeconds(5))).timeout(Duration.ofSeconds(1), scheduler)
              .onErrorReturn(0L), Long::sum);
    }

    @Override
    public Mono<Long> zipTimer(Node node) {
      return Mono.zip(await(node.awaitStoredFuture("zipTimer")),
          await(Mono.delay(Duration.ofSeconds(1), scheduler)), (v, d) -> v);
    }

    @Override
    public Mono<Long> raceTimer(Patient slow) {
      return Mono.firstWithValue(await(slow.awaitLaterStored("raceTimer")),
          await(Mono.delay(Duration.ofSeconds(3), scheduler).thenReturn(-1L)));
    }
  }

  @Test
  @DisplayName("R13 a call racing two futures is not blocked by one of them: awaiting it from that one is no deadlock")
  void aRaceOfTwoFuturesIsNoDeadlockThroughOneOfThem() {
    NodeActor.FUTURES.clear();
    Racer racer = system.spawn(Racer.class, RacerActor::new);
    Racer other = system.spawn(Racer.class, RacerActor::new);
    Patient slow = system.spawn(Patient.class, PatientActor::new);
    // the racer awaits slow's call and other's; at 2 s slow's call awaits the racer's, which
    // other's answer completes at 3 s: the racer does not need slow's call to reply
    Mono<Long> raced = racer.race(slow, other);
    NodeActor.FUTURES.put("race", raced);
    Mono<Long> answered = raced.cache();
    answered.subscribe();
    scheduler.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(scheduler.await(answered)).isEqualTo(-1L);
    scheduler.runUntilIdle();
    assertThat(outcomes).containsEntry("race", "answered -1");
  }

  @Test
  @DisplayName("R13 a call racing a future against a timer is not blocked by that future: awaiting"
      + " it from that future's call is no deadlock")
  void aRaceOfAFutureAndATimerIsNoDeadlockThroughTheFuture() {
    NodeActor.FUTURES.clear();
    Racer racer = system.spawn(Racer.class, RacerActor::new);
    Patient slow = system.spawn(Patient.class, PatientActor::new);
    // the racer awaits slow's call and a 3 s delay; at 2 s slow's call awaits the racer's, which
    // the delay completes at 3 s: the racer does not need slow's call to reply
    Mono<Long> raced = racer.raceTimer(slow);
    NodeActor.FUTURES.put("raceTimer", raced);
    Mono<Long> answered = raced.cache();
    answered.subscribe(v -> { }, e -> { });
    scheduler.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(scheduler.await(answered)).isEqualTo(-1L);
    scheduler.runUntilIdle();
    assertThat(outcomes).containsEntry("raceTimer", "answered -1");
  }

  @Test
  @DisplayName("R13 a zip of a future that closes a cycle and a timer fails once the timer"
      + " fired instead of deadlocking")
  void aZipOfACycleAndATimerFailsOnceTheTimerFired() {
    NodeActor.FUTURES.clear();
    Racer zipper = system.spawn(Racer.class, RacerActor::new);
    Node node = system.spawn(Node.class, NodeActor::new);
    Mono<Long> zipped = zipper.zipTimer(node);
    NodeActor.FUTURES.put("zipTimer", zipped);
    Mono<Long> answered = zipped.cache();
    answered.subscribe(v -> { }, e -> { });
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThatThrownBy(() -> scheduler.await(answered))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 a zip whose other branch gives up on a timeout after one branch closed a cycle"
      + " fails then instead of deadlocking")
  void aZipBlockedByOneBranchOnceTheOtherTimedOutFails() {
    NodeActor.FUTURES.clear();
    Racer zipper = system.spawn(Racer.class, RacerActor::new);
    Racer other = system.spawn(Racer.class, RacerActor::new);
    Node node = system.spawn(Node.class, NodeActor::new);
    // the other branch's await is cancelled by the timeout outside the zipper's turns, at 1 s
    Mono<Long> zipped = zipper.zipTimeout(node, other);
    NodeActor.FUTURES.put("zipTimeout", zipped);
    Mono<Long> answered = zipped.cache();
    answered.subscribe(v -> { }, e -> { });
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThatThrownBy(() -> scheduler.await(answered))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("awaits the future of Node.awaitStoredFuture()")
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 a zip whose other branch answers after one branch closed a cycle fails then"
      + " instead of deadlocking")
  void aZipBlockedByOneBranchOnceTheOtherAnsweredFails() {
    NodeActor.FUTURES.clear();
    Racer zipper = system.spawn(Racer.class, RacerActor::new);
    Racer other = system.spawn(Racer.class, RacerActor::new);
    Node node = system.spawn(Node.class, NodeActor::new);
    // the zipper awaits node's call, which awaits the zipper's own call, and other's call, which
    // answers at 1 s: from then on the zipper waits only for a call that waits for it
    Mono<Long> zipped = zipper.zipWith(node, other);
    NodeActor.FUTURES.put("zip", zipped);
    Mono<Long> answered = zipped.cache();
    answered.subscribe(v -> { }, e -> { });
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThatThrownBy(() -> scheduler.await(answered))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).as("the zipper's await traps").isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("awaits the future of Node.awaitStoredFuture()")
              .contains("would deadlock (rule R13)");
        });
  }

  public interface FanOut {
    /** Awaits {@code n} echoes of {@code peer} at once and answers how many came back. */
    Mono<Integer> echoes(Node peer, int n);

    /** Awaits {@code n} calls {@code peer.awaitStoredFuture(key)} at once, answering their sum. */
    Mono<Long> awaitsStored(Node peer, int n, String key);
  }

  static final class FanOutActor extends Actor implements FanOut {
    @Override
    public Mono<Long> awaitsStored(Node peer, int n, String key) {
      return reactor.core.publisher.Flux.range(0, n)
          .flatMap(i -> await(peer.awaitStoredFuture(key)), n)
          .reduce(0L, Long::sum);
    }

    @Override
    public Mono<Integer> echoes(Node peer, int n) {
      return reactor.core.publisher.Flux.range(0, n)
          .flatMap(i -> await(peer.echo()))
          .count()
          .map(Long::intValue);
    }
  }

  @Test
  @DisplayName("R13 a call awaiting more futures at once than it links one by one completes, and is no deadlock")
  void aFanOutOfManyAwaitsCompletes() {
    Node peer = system.spawn(Node.class, NodeActor::new);
    FanOut fan = system.spawn(FanOut.class, FanOutActor::new);
    assertThat(scheduler.await(fan.echoes(peer, 3))).isEqualTo(3);
    assertThat(scheduler.await(fan.echoes(peer, 200))).isEqualTo(200);
    assertThat(scheduler.await(peer.trace())).hasSize(203);
  }

  @Test
  @DisplayName("R13 a cycle through each of more futures awaited at once than a handful fails"
      + " instead of deadlocking")
  void aCycleThroughEachOfManyAwaitsAtOnceFails() {
    NodeActor.FUTURES.clear();
    Node peer = system.spawn(Node.class, NodeActor::new);
    FanOut fan = system.spawn(FanOut.class, FanOutActor::new);
    // fan awaits 40 calls of peer at once, each of which awaits fan's own call
    Mono<Long> outer = fan.awaitsStored(peer, 40, "many");
    NodeActor.FUTURES.put("many", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("awaits the future of FanOut.awaitsStored() on " + ActorRefs.idOf(fan))
            .contains("would deadlock"));
  }

  public interface Starter {
    /** Starts an await of {@code other.slow()} that does not decide the reply, and replies 1. */
    Mono<Long> go(Later other);

    @Query
    Mono<Long> outcome();
  }

  public interface Later {
    Mono<Void> store(Mono<Long> future);

    /** Awaits the stored future and answers its value + 1. */
    Mono<Long> slow();
  }

  static final class StarterActor extends Actor implements Starter {
    private final Var<Long> outcome = newVar("outcome", 0L);

    @Override
    public Mono<Long> go(Later other) {
      await(other.slow()).subscribe(v -> outcome.set(v), e -> outcome.set(-1L));
      return Mono.just(1L);
    }

    @Override
    public Mono<Long> outcome() {
      return Mono.just(outcome.get());
    }
  }

  static final class LaterActor extends Actor implements Later {
    private final Var<Mono<Long>> stored = newVar("stored", Mono.<Long>empty());

    @Override
    public Mono<Void> store(Mono<Long> future) {
      stored.set(future);
      return done();
    }

    @Override
    public Mono<Long> slow() {
      return await(stored.get()).map(v -> v + 1);
    }
  }

  @Test
  @DisplayName("R13 awaiting the future of a call that already replied is no deadlock, though that call still awaits")
  void awaitingACompletedFutureOfAStillAwaitingCallIsNoDeadlock() {
    Starter a = system.spawn(Starter.class, StarterActor::new);
    Later b = system.spawn(Later.class, LaterActor::new);
    Mono<Long> replied = a.go(b);       // a.go awaits b.slow(), which will await a.go's future
    scheduler.await(b.store(replied));
    assertThat(scheduler.await(replied)).isEqualTo(1L);
    scheduler.runUntilIdle();
    assertThat(a.outcome().block()).as("b.slow() awaited a.go's completed future: 1 + 1").isEqualTo(2L);
  }

  public interface Wrapper {
    /** Awaits, through {@code Mono.defer} and {@code map}, the future stored under {@code key}. */
    Mono<Long> awaitWrapped(String key);

    /** Calls its own {@code awaitWrapped} on a key naming that call's future, and awaits it. */
    Mono<Long> awaitOwnReplyWrapped();

    /** Awaits {@code other.awaitWrapped(key)} directly. */
    Mono<Long> awaitOn(Wrapper other, String key);

    /**
     * Writes its state, then awaits the future stored under {@code key} through a wrapper that
     * answers -1 for an error (and records the error's message).
     */
    Mono<Long> awaitWrappedOrFallback(String key);

    /** Calls its own {@code awaitWrappedOrFallback} on its own future, and awaits it. */
    Mono<Long> awaitOwnReplyOrFallback();

    /** Awaits a Mono that waits a second, then for the future stored under {@code key}. */
    Mono<Long> awaitWrappedLater(String key);

    /** Calls its own {@code awaitWrappedLater} on its own future, and awaits it. */
    Mono<Long> awaitOwnReplyLater();

    /** Awaits the first value of the future stored under {@code key} and of 7 after a second. */
    Mono<Long> raceWrapped(String key);

    /** Calls its own {@code raceWrapped} on its own future, and awaits it. */
    Mono<Long> raceOwnReply();

    /**
     * Awaits {@code other.unawaitedAfter(3 s)} and, through {@code defer} and {@code map}, the
     * future stored under {@code key}, at once.
     */
    Mono<Long> awaitWrappedAndAfter(Racer other, String key);

    /** Awaits a call {@code node.awaitStoredFuture(key)} it makes, through {@code map}. */
    Mono<Long> awaitCallWrapped(Node node, String key);

    @Query
    Mono<Long> writes();
  }

  final class WrapperActor extends Actor implements Wrapper {
    private final Var<Long> writes = newVar("writes", 0L);

    @Override
    public Mono<Long> awaitWrapped(String key) {
      return await(Mono.defer(() -> NodeActor.FUTURES.get(key)).map(v -> v));
    }

    @Override
    public Mono<Long> awaitOwnReplyWrapped() {
      return awaitOwn("wrapped", self(Wrapper.class)::awaitWrapped);
    }

    private Mono<Long> awaitOwn(String key, java.util.function.Function<String, Mono<Long>> call) {
      Mono<Long> mine = call.apply(key);
      NodeActor.FUTURES.put(key, mine);
      return await(mine);
    }

    @Override
    public Mono<Long> awaitOn(Wrapper other, String key) {
      return await(other.awaitWrapped(key));
    }

    @Override
    public Mono<Long> awaitWrappedOrFallback(String key) {
      writes.set(writes.get() + 1);
      return await(Mono.defer(() -> NodeActor.FUTURES.get(key)).onErrorResume(e -> {
        outcomes.put(key, e.getMessage());
        return Mono.just(-1L);
      }));
    }

    @Override
    public Mono<Long> awaitOwnReplyOrFallback() {
      return awaitOwn("fallback", self(Wrapper.class)::awaitWrappedOrFallback);
    }

    @Override
    public Mono<Long> awaitWrappedLater(String key) {
      return await(Mono.delay(Duration.ofSeconds(1), scheduler)
          .then(Mono.defer(() -> NodeActor.FUTURES.get(key))));
    }

    @Override
    public Mono<Long> awaitOwnReplyLater() {
      return awaitOwn("later", self(Wrapper.class)::awaitWrappedLater);
    }

    @Override
    public Mono<Long> raceWrapped(String key) {
      return await(Mono.firstWithValue(Mono.defer(() -> NodeActor.FUTURES.get(key)),
          Mono.delay(Duration.ofSeconds(1), scheduler).thenReturn(7L)));
    }

    @Override
    public Mono<Long> raceOwnReply() {
      return awaitOwn("race", self(Wrapper.class)::raceWrapped);
    }

    @Override
    public Mono<Long> awaitWrappedAndAfter(Racer other, String key) {
      return Mono.zip(await(other.unawaitedAfter(Duration.ofSeconds(3))),
          await(Mono.defer(() -> NodeActor.FUTURES.get(key)).map(v -> v)), Long::sum);
    }

    @Override
    public Mono<Long> awaitCallWrapped(Node node, String key) {
      return await(node.awaitStoredFuture(key).map(v -> v));
    }

    @Override
    public Mono<Long> writes() {
      return Mono.just(writes.get());
    }
  }

  @Test
  @DisplayName("R13 awaiting a Mono that waits for its own reply fails at once instead of"
      + " deadlocking, naming the awaiting actor as a direct await's error does")
  void awaitingAMonoThatWaitsForOwnReplyFails() {
    NodeActor.FUTURES.clear();
    Wrapper w = system.spawn(Wrapper.class, WrapperActor::new);
    assertThatThrownBy(() -> scheduler.await(w.awaitOwnReplyWrapped()))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("actor " + ActorRefs.idOf(w) + " (Wrapper) awaits a Mono that subscribed to"
                + " the future of Wrapper.awaitWrapped() on " + ActorRefs.idOf(w))
            .contains("the await would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 an await cycle closed through a Mono that waits for a future fails at once instead of deadlocking")
  void awaitCycleClosedThroughAWrappedFutureFails() {
    NodeActor.FUTURES.clear();
    Wrapper a = system.spawn(Wrapper.class, WrapperActor::new);
    Wrapper b = system.spawn(Wrapper.class, WrapperActor::new);
    // a awaits b.awaitWrapped("k"), whose Mono waits for the future stored under "k": a's own call
    Mono<Long> outer = a.awaitOn(b, "k");
    NodeActor.FUTURES.put("k", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("future of Wrapper.awaitOn() on " + ActorRefs.idOf(a))
            .contains("would deadlock"));
  }

  @Test
  @DisplayName("R13 a Mono that would wait for its own reply gets the error, which it may handle; the awaiting turn commits")
  void aWrappedDeadlockIsAnErrorTheMonoMayHandle() {
    NodeActor.FUTURES.clear();
    Wrapper w = system.spawn(Wrapper.class, WrapperActor::new);
    assertThat(scheduler.await(w.awaitOwnReplyOrFallback())).isEqualTo(-1L);
    assertThat(outcomes.get("fallback")).contains("would deadlock (rule R13)");
    assertThat(scheduler.await(w.writes())).isEqualTo(1L);
  }

  @Test
  @DisplayName("R13 a Mono that subscribes to its own reply's future later, on a timer, fails then instead of deadlocking")
  void aLaterSubscriptionToOwnReplyFails() {
    NodeActor.FUTURES.clear();
    Wrapper w = system.spawn(Wrapper.class, WrapperActor::new);
    Mono<Long> outer = w.awaitOwnReplyLater().cache();
    outer.subscribe(v -> { }, e -> { });
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 an await cycle closed by a direct await through another actor's Mono that"
      + " subscribed to the future earlier fails then instead of deadlocking")
  void aCycleClosedLaterThroughAWrappedSubscriptionFails() {
    NodeActor.FUTURES.clear();
    Patient a = system.spawn(Patient.class, PatientActor::new);
    Wrapper b = system.spawn(Wrapper.class, WrapperActor::new);
    // b's call subscribes (through defer and map) to a's call at once; a's call awaits b's call
    // at 2 s, which closes the cycle
    Mono<Long> outer = a.awaitLaterStored("inner");
    NodeActor.FUTURES.put("outer", outer);
    Mono<Long> inner = b.awaitWrapped("outer");
    NodeActor.FUTURES.put("inner", inner);
    Mono<Long> answered = outer.cache();
    answered.subscribe(v -> { }, e -> { });
    scheduler.advanceTimeBy(Duration.ofSeconds(2));
    assertThatThrownBy(() -> scheduler.await(answered))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("future of Patient.awaitLaterStored() on " + ActorRefs.idOf(a))
            .contains("would deadlock (rule R13)"));
    assertThatThrownBy(() -> scheduler.await(inner)).isInstanceOf(CallError.class);
  }

  @Test
  @DisplayName("R13 a cycle closed through a wrapped subscription while another await of its call"
      + " was pending fails once that await answered instead of deadlocking")
  void aCycleThroughAWrappedSubscriptionBesideAnotherAwaitFails() {
    NodeActor.FUTURES.clear();
    Patient a = system.spawn(Patient.class, PatientActor::new);
    Wrapper b = system.spawn(Wrapper.class, WrapperActor::new);
    Racer other = system.spawn(Racer.class, RacerActor::new);
    // b's call subscribes to a's at once and awaits other's, which answers at 3 s; a's call
    // awaits b's at 2 s, which closes the cycle while b's call still waits for other's
    Mono<Long> outer = a.awaitLaterStored("inner2");
    NodeActor.FUTURES.put("outer2", outer);
    Mono<Long> inner = b.awaitWrappedAndAfter(other, "outer2");
    NodeActor.FUTURES.put("inner2", inner);
    Mono<Long> answered = outer.cache();
    answered.subscribe(v -> { }, e -> { });
    scheduler.advanceTimeBy(Duration.ofSeconds(3));
    assertThatThrownBy(() -> scheduler.await(answered))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("future of Patient.awaitLaterStored() on " + ActorRefs.idOf(a))
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 an await cycle closed by a direct await through a call another actor made and"
      + " awaits through map fails instead of deadlocking")
  void aCycleClosedThroughACallAwaitedThroughMapFails() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Wrapper b = system.spawn(Wrapper.class, WrapperActor::new);
    // a's call awaits b's; b's awaits a.awaitStoredFuture("x").map(..), which awaits a's first call
    Mono<Long> outer = a.awaitWrapperOn(b, "x");
    NodeActor.FUTURES.put("x", outer);
    assertThatThrownBy(() -> scheduler.await(outer))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("awaits a Mono that subscribed to the future of Node.awaitStoredFuture()")
            .contains("would deadlock (rule R13)"));
  }

  @Test
  @DisplayName("R13 a race with a timer through which a later await closes a cycle is no trap: the"
      + " timer's value wins, and the await that closed it gets it")
  void aRaceThroughWhichALaterAwaitClosesACycleIsNoTrap() {
    NodeActor.FUTURES.clear();
    Node a = system.spawn(Node.class, NodeActor::new);
    Wrapper b = system.spawn(Wrapper.class, WrapperActor::new);
    // b's call races a's call against a 1 s timer; a's call awaits b's: whichever runs first, the
    // cycle is closed, b's subscription to a's call fails, and the timer answers both
    Mono<Long> raced = b.raceWrapped("closer");
    Mono<Long> closer = a.awaitStoredFuture("raced");
    NodeActor.FUTURES.put("raced", raced);
    NodeActor.FUTURES.put("closer", closer);
    Mono<Long> answered = closer.cache();
    answered.subscribe(v -> { }, e -> { });
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(scheduler.await(answered)).isEqualTo(7L);
    assertThat(scheduler.await(raced)).isEqualTo(7L);
  }

  @Test
  @DisplayName("R13 a race between its own reply and a timer is no trap: the timer's value wins")
  void aRaceWithOwnReplyIsNoTrap() {
    NodeActor.FUTURES.clear();
    Wrapper w = system.spawn(Wrapper.class, WrapperActor::new);
    Mono<Long> outer = w.raceOwnReply().cache();
    outer.subscribe(v -> { }, e -> { });
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(scheduler.await(outer)).isEqualTo(7L);
  }
}

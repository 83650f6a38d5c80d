package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/** Rules R2 to R5: one turn at a time, futures, FIFO per pair, self calls. */
class MessagingTest {

  public interface Log {
    Mono<Void> append(String entry);

    void appendOneway(String entry);

    void trapOneway();

    @Query
    Mono<List<String>> entries();
  }

  static final class LogActor extends Actor implements Log {
    private final Var<List<String>> entries = newVar("entries", List.of());

    @Override
    public Mono<Void> append(String entry) {
      add(entry);
      return done();
    }

    @Override
    public void appendOneway(String entry) {
      add(entry);
    }

    @Override
    public void trapOneway() {
      add("rolled back");
      trap("oneway trap");
    }

    private void add(String entry) {
      List<String> next = new ArrayList<>(entries.get());
      next.add(entry);
      entries.set(List.copyOf(next));
    }

    @Override
    public Mono<List<String>> entries() {
      return Mono.just(entries.get());
    }
  }

  public interface Sender {
    Mono<Void> sendBatch(String name, int from, int to);
  }

  static final class SenderActor extends Actor implements Sender {
    private final Log log;

    SenderActor(Log log) {
      this.log = log;
    }

    @Override
    public Mono<Void> sendBatch(String name, int from, int to) {
      for (int i = from; i < to; i++) {
        if (i % 2 == 0) {
          log.append(name + ":" + i);
        } else {
          log.appendOneway(name + ":" + i);
        }
      }
      return done();
    }
  }

  public interface Exclusive {
    Mono<Integer> enter();

    Mono<Void> meet(CountDownLatch mine, CountDownLatch other);
  }

  static final class ExclusiveActor extends Actor implements Exclusive {
    private final AtomicInteger inside;
    private final AtomicInteger maxInside;
    private final Var<Integer> turns = newVar("turns", 0);

    ExclusiveActor(AtomicInteger inside, AtomicInteger maxInside) {
      this.inside = inside;
      this.maxInside = maxInside;
    }

    @Override
    public Mono<Integer> enter() {
      int now = inside.incrementAndGet();
      maxInside.accumulateAndGet(now, Math::max);
      turns.update(t -> t + 1);
      int seen = turns.get();
      inside.decrementAndGet();
      return Mono.just(seen);
    }

    @Override
    public Mono<Void> meet(CountDownLatch mine, CountDownLatch other) {
      mine.countDown();
      try {
        // a deadlock guard, not a timing assumption: both actors must be inside at once
        if (!other.await(30, TimeUnit.SECONDS)) {
          return reject("the other actor never ran in parallel");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return reject("interrupted");
      }
      return done();
    }
  }

  @Test
  @DisplayName("R2 an actor executes one turn at a time, whatever the number of concurrent callers")
  void oneTurnAtATime() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(4).build())) {
      Exclusive actor = system.spawn(Exclusive.class, () -> new ExclusiveActor(inside, maxInside));
      int threads = 8;
      int calls = 5_000;
      List<Thread> callers = new ArrayList<>();
      AtomicReference<Mono<Integer>> last = new AtomicReference<>();
      for (int t = 0; t < threads; t++) {
        Thread caller = new Thread(() -> {
          Mono<Integer> f = null;
          for (int i = 0; i < calls; i++) {
            f = actor.enter();
          }
          f.block();
        });
        callers.add(caller);
        caller.start();
      }
      for (Thread caller : callers) {
        caller.join();
      }
      last.set(actor.enter());
      assertThat(last.get().block()).isEqualTo(threads * calls + 1);
      assertThat(maxInside).hasValue(1);
    }
  }

  @Test
  @DisplayName("R2 different actors run in parallel")
  void differentActorsRunInParallel() {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Exclusive a = system.spawn(Exclusive.class, () -> new ExclusiveActor(new AtomicInteger(), new AtomicInteger()));
      Exclusive b = system.spawn(Exclusive.class, () -> new ExclusiveActor(new AtomicInteger(), new AtomicInteger()));
      CountDownLatch aInside = new CountDownLatch(1);
      CountDownLatch bInside = new CountDownLatch(1);
      Mono<Void> fa = a.meet(aInside, bInside);
      Mono<Void> fb = b.meet(bInside, aInside);
      fa.block();
      fb.block();
      assertThat(aInside.getCount()).isZero();
      assertThat(bInside.getCount()).isZero();
    }
  }

  @Test
  @DisplayName("R3 a call returns a future at once, before the callee runs")
  void callReturnsAtOnce() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Log log = system.spawn(Log.class, LogActor::new);
      Mono<Void> f = log.append("a");
      assertThat(log.entries().block()).isEmpty();
      assertThat(scheduler.readyTasks()).isEqualTo(1);
      scheduler.runUntilIdle();
      assertThat(log.entries().block()).containsExactly("a");
      assertThat(f.block()).isNull();
    }
  }

  @Test
  @DisplayName("R3 the message is sent even if nobody subscribes to the future")
  void messageIsSentWithoutSubscriber() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Log log = system.spawn(Log.class, LogActor::new);
      log.append("unobserved");
      scheduler.runUntilIdle();
      assertThat(log.entries().block()).containsExactly("unobserved");
    }
  }

  @Test
  @DisplayName("R3 subscribing twice yields the same result and never sends the message twice")
  void subscribingTwiceSendsOnce() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      SeedExamplesTest.Counter counter =
          system.spawn(SeedExamplesTest.Counter.class, SeedExamplesTest.CounterActor::new);
      Mono<Long> f = counter.bump();
      assertThat(scheduler.await(f)).isEqualTo(1L);
      assertThat(scheduler.await(f)).isEqualTo(1L);
      assertThat(f.block()).isEqualTo(1L);
      assertThat(counter.read().block()).isEqualTo(1L);
    }
  }

  @Test
  @DisplayName("R3 subscribing twice to a failed call yields the same error")
  void subscribingTwiceToAFailureYieldsTheSameError() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      SeedExamplesTest.Incrementer i =
          system.spawn(SeedExamplesTest.Incrementer.class, SeedExamplesTest.IncrementerActor::new);
      Mono<Void> f = i.incrementAndTrap();
      scheduler.runUntilIdle();
      AtomicReference<Throwable> first = new AtomicReference<>();
      AtomicReference<Throwable> second = new AtomicReference<>();
      f.subscribe(v -> { }, first::set);
      f.subscribe(v -> { }, second::set);
      assertThat(first.get()).isInstanceOf(CallError.class).isSameAs(second.get());
      assertThat(i.state().block()).isZero();
    }
  }

  @Test
  @DisplayName("R3 a void method is a oneway: delivered in order, its errors never reach the caller")
  void onewaysAreDeliveredInOrderAndSilent() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Log log = system.spawn(Log.class, LogActor::new);
      log.appendOneway("1");
      log.trapOneway();
      log.append("2");
      log.appendOneway("3");
      scheduler.runUntilIdle();
      assertThat(log.entries().block()).containsExactly("1", "2", "3");
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234})
  @DisplayName("R4 messages from one sender to one receiver execute in the order sent, whatever the interleaving")
  void fifoPerPair(long seed) {
    DeterministicScheduler scheduler = DeterministicScheduler.withSeed(seed);
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Log log = system.spawn(Log.class, LogActor::new);
      List<Sender> senders = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        senders.add(system.spawn(Sender.class, () -> new SenderActor(log)));
      }
      for (int batch = 0; batch < 5; batch++) {
        for (int s = 0; s < senders.size(); s++) {
          senders.get(s).sendBatch("s" + s, batch * 20, batch * 20 + 20);
        }
        for (int i = batch * 20; i < batch * 20 + 20; i++) {
          log.append("ingress:" + i);
        }
      }
      scheduler.runUntilIdle();
      List<String> entries = log.entries().block();
      assertThat(entries).hasSize(5 * 100);
      for (String sender : List.of("s0", "s1", "s2", "s3", "ingress")) {
        List<Integer> order = entries.stream()
            .filter(e -> e.startsWith(sender + ":"))
            .map(e -> Integer.parseInt(e.substring(e.indexOf(':') + 1)))
            .toList();
        assertThat(order).as(sender).hasSize(100).isSorted();
      }
    }
  }

  public interface SelfCaller {
    Mono<List<String>> start();

    /** Tells itself, through the {@link Log} interface it does not implement, to append. */
    Mono<Void> tellItselfAsALog();

    Mono<Void> record(String what);

    @Query
    Mono<List<String>> trace();
  }

  static final class SelfCallerActor extends Actor implements SelfCaller {
    private final Var<List<String>> trace = newVar("trace", List.of());

    @Override
    public Mono<List<String>> start() {
      add("start");
      Mono<Void> f = self(SelfCaller.class).record("self call");
      add("end of start's first turn");
      return await(f).then(Mono.fromCallable(trace::get));
    }

    @Override
    public Mono<Void> tellItselfAsALog() {
      self(Log.class).append("lost");
      return done();
    }

    @Override
    public Mono<Void> record(String what) {
      add(what + " (caller " + caller() + ")");
      return done();
    }

    private void add(String what) {
      List<String> next = new ArrayList<>(trace.get());
      next.add(what);
      trace.set(List.copyOf(next));
    }

    @Override
    public Mono<List<String>> trace() {
      return Mono.just(trace.get());
    }
  }

  @Test
  @DisplayName("R5 R21 a self call is an ordinary message, executed in a later turn, whose caller"
      + " is the actor itself")
  void selfCallRunsInALaterTurn() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      SelfCaller actor = system.spawn(SelfCaller.class, SelfCallerActor::new);
      String self = "actor:" + ActorRefs.idOf(actor);
      assertThat(scheduler.await(actor.start())).containsExactly(
          "start", "end of start's first turn", "self call (caller " + self + ")");
    }
  }

  @Test
  @DisplayName("R5 self(type) with an interface the actor does not implement fails at once (a trap"
      + " of the turn), instead of sending calls that no one hears fail")
  void selfWithAForeignInterfaceFails() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      SelfCaller actor = system.spawn(SelfCaller.class, SelfCallerActor::new);
      assertThatThrownBy(() -> scheduler.await(actor.tellItselfAsALog()))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("IllegalArgumentException")
                .contains("does not implement " + Log.class.getName());
          });
    }
  }

  @Test
  @DisplayName("R3 a failed future of an unknown actor reports code 3 to every subscriber")
  void everySubscriberSeesTheSameCode() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Log nobody = system.lookup(Log.class, ActorId.of("nobody"));
      Mono<Void> f = nobody.append("x");
      for (int i = 0; i < 2; i++) {
        AtomicReference<Throwable> error = new AtomicReference<>();
        f.subscribe(v -> { }, error::set);
        assertThat(error.get()).isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID));
      }
    }
  }

  @Test
  @DisplayName("R3 a subscriber that throws on a reply neither hides it from others nor stops the callee")
  void throwingSubscriberIsContained() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Log log = system.spawn(Log.class, LogActor::new);
      Mono<Void> f = log.append("a");
      f.subscribe(new reactor.core.CoreSubscriber<Void>() {
        @Override
        public void onSubscribe(org.reactivestreams.Subscription s) {
          s.request(1);
        }

        @Override
        public void onNext(Void v) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
          throw new IllegalStateException("a broken subscriber");
        }
      });
      AtomicReference<String> other = new AtomicReference<>();
      f.subscribe(v -> { }, e -> other.set("error"), () -> other.set("completed"));
      scheduler.runUntilIdle();
      assertThat(other).hasValue("completed");
      scheduler.await(log.append("b"));
      assertThat(log.entries().block()).containsExactly("a", "b");
    }
  }
}

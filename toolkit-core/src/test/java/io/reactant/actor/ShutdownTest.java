package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Orderly shutdown: no call is lost, no caller waits forever. */
class ShutdownTest {

  public interface Worker {
    Mono<Long> work(Duration duration);

    Mono<Long> quick();

    /** Awaits twice: {@code first}, then {@code second}. */
    Mono<Long> twoSteps(Duration first, Duration second);

    @Query
    Mono<Long> completed();

    /** A oneway: signals {@code started}, waits (blocking its thread) for {@code release}, counts 1. */
    void blockUntil(CountDownLatch started, CountDownLatch release);

    /** A oneway: counts 1. */
    void bump();

    /** Answers 1 at once, leaving an await of {@code external} running (its continuation drops). */
    Mono<Long> answerLeavingAnAwait(Mono<Long> external);
  }

  static final class WorkerActor extends Actor implements Worker {
    private final Var<Long> done = newVar("done", 0L);
    private final DeterministicScheduler clock;

    WorkerActor(DeterministicScheduler clock) {
      this.clock = clock;
    }

    @Override
    public Mono<Long> work(Duration duration) {
      done.update(d -> d + 1);
      return await(Mono.delay(duration, clock)).map(t -> done.update(d -> d + 100));
    }

    @Override
    public Mono<Long> twoSteps(Duration first, Duration second) {
      return await(Mono.delay(first, clock))
          .flatMap(t -> await(Mono.delay(second, clock)))
          .map(t -> done.update(d -> d + 1000));
    }

    @Override
    public Mono<Long> quick() {
      return Mono.just(done.update(d -> d + 1));
    }

    @Override
    public Mono<Long> completed() {
      return Mono.just(done.get());
    }

    @Override
    public void blockUntil(CountDownLatch started, CountDownLatch release) {
      started.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      done.update(d -> d + 1);
    }

    @Override
    public void bump() {
      done.update(d -> d + 1);
    }

    @Override
    public Mono<Long> answerLeavingAnAwait(Mono<Long> external) {
      await(external).subscribe();
      return Mono.just(1L);
    }
  }

  /** Waits (up to a minute) until every call is answered, with a value or a reject; counts them. */
  private static long answered(List<? extends Mono<?>> calls) {
    return Flux.fromIterable(calls)
        .flatMap(c -> c.map(v -> 1L).onErrorResume(CallError.class, e -> Mono.just(1L)))
        .count()
        .block(Duration.ofSeconds(60));
  }

  private static AtomicReference<Object> outcome(Mono<?> f) {
    AtomicReference<Object> result = new AtomicReference<>();
    f.subscribe(result::set, result::set, () -> result.compareAndSet(null, "completed"));
    return result;
  }

  @Test
  @DisplayName("R12a shutdown refuses new calls with code 2 and answers queued ones without running them")
  void queuedCallsAreAnsweredNotRun() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .shutdownGracePeriod(Duration.ofSeconds(5)).build());
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(scheduler));
    AtomicReference<Object> queued = outcome(worker.quick());
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(5)));
    assertThatThrownBy(() -> worker.quick().block()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    assertThat(shutdown.get()).as("not done while a queued call waits for its answer").isNull();
    scheduler.runUntilIdle();
    assertThat(queued.get()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.turns()).as("the queued call never ran").isZero());
  }

  @Test
  @DisplayName("R13 running calls finish within the grace period; what outlives it is answered with code 6")
  void runningCallsGetTheGracePeriod() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(scheduler));
    AtomicReference<Object> shortJob = outcome(worker.work(Duration.ofSeconds(2)));
    AtomicReference<Object> longJob = outcome(worker.work(Duration.ofMinutes(5)));
    scheduler.runUntilIdle();
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    scheduler.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(shortJob.get()).as("finished within the grace period").isEqualTo(102L);
    assertThat(longJob.get()).isNull();
    assertThat(shutdown.get()).isNull();
    scheduler.advanceTimeBy(Duration.ofSeconds(8));
    assertThat(longJob.get()).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
      assertThat(e.rejectMessage()).contains("shut down before the call replied");
    });
    assertThat(shutdown.get()).isEqualTo("completed");
    scheduler.advanceTimeBy(Duration.ofMinutes(10));
    assertThat(longJob.get()).as("answered once").isInstanceOf(CallError.class);
  }

  @Test
  @DisplayName("R13 a shutdown waiting on virtual time for a suspended call runs no task until"
      + " something is due: it does not poll the clock to see whether the calls are done")
  void shutdownOnVirtualTimeDoesNotPoll() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(scheduler));
    AtomicReference<Object> job = outcome(worker.work(Duration.ofSeconds(5)));
    scheduler.runUntilIdle();
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    assertThat(scheduler.delayedTasks()).as("the call's delay and the grace timer").isEqualTo(2);
    long before = scheduler.executedTasks();
    scheduler.advanceTimeBy(Duration.ofMillis(4_999));
    assertThat(scheduler.executedTasks()).as("nothing was due").isEqualTo(before);
    scheduler.advanceTimeBy(Duration.ofMillis(1));
    assertThat(job.get()).isEqualTo(101L);
    assertThat(shutdown.get()).as("the call's end ends the shutdown").isEqualTo("completed");
    assertThat(scheduler.delayedTasks()).as("the grace timer is cancelled").isZero();
  }

  @Test
  @DisplayName("R13 a shutdown that waits for a mailbox holding only the continuation of a call"
      + " answered already ends as soon as the actor took it out, without virtual time passing")
  void shutdownEndsWhenTheLastMailboxRunsEmpty() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(scheduler));
    reactor.core.publisher.Sinks.One<Long> external = reactor.core.publisher.Sinks.one();
    assertThat(scheduler.await(worker.answerLeavingAnAwait(external.asMono()))).isEqualTo(1L);
    external.tryEmitValue(7L); // its continuation waits in the mailbox: no call is in flight
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    assertThat(shutdown.get()).as("the mailbox holds the continuation").isNull();
    scheduler.runUntilIdle();
    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(scheduler.now(TimeUnit.NANOSECONDS)).isZero();
  }

  @Test
  @DisplayName("R12a a queued oneway is dropped unrun at shutdown, which ends as soon as its actor took it out of the mailbox")
  void queuedOnewayIsDroppedUnrun() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(scheduler));
    worker.bump(); // queued, not started
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    scheduler.runUntilIdle(); // no virtual time passes: the grace period is not what ends it
    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(system.actors()).singleElement()
        .satisfies(info -> assertThat(info.turns()).as("the queued oneway never ran").isZero());
  }

  @Test
  @DisplayName("R13 a oneway whose turn is running when the shutdown starts is waited for")
  void runningOnewayHoldsUpTheShutdown() throws InterruptedException {
    ActorSystem system = ActorSystem.create();
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(null));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    worker.blockUntil(started, release);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    Mono<Void> shutdown = system.shutdown(Duration.ofSeconds(30));
    AtomicReference<Object> outcome = outcome(shutdown);
    assertThat(outcome.get()).as("the running oneway is counted in flight").isNull();
    release.countDown();
    shutdown.block(Duration.ofSeconds(10));
    assertThat(system.actors()).singleElement().satisfies(info -> {
      assertThat(info.turns()).isEqualTo(1L);
      assertThat(info.traps()).as("it committed").isZero();
    });
  }

  @Test
  @DisplayName("R13 a call suspended again at a later await is still answered with code 6 when it"
      + " outlives the grace period, and one that finishes leaves nothing to answer")
  void callsSuspendedAtSeveralAwaitsAreAnswered() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(scheduler));
    AtomicReference<Object> finishes = outcome(worker.twoSteps(Duration.ofSeconds(1), Duration.ofSeconds(1)));
    AtomicReference<Object> outlives = outcome(worker.twoSteps(Duration.ofSeconds(1), Duration.ofMinutes(5)));
    scheduler.runUntilIdle();
    scheduler.advanceTimeBy(Duration.ofSeconds(1)); // both are suspended at their second await
    assertThat(finishes.get()).isNull();
    assertThat(outlives.get()).isNull();
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(finishes.get()).isEqualTo(1000L);
    assertThat(shutdown.get()).isNull();
    scheduler.advanceTimeBy(Duration.ofSeconds(9));
    assertThat(outlives.get()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
    assertThat(shutdown.get()).isEqualTo("completed");
  }

  @Test
  @DisplayName("R13 of 300 calls suspended on one actor that end in a seeded random order, the"
      + " shutdown answers exactly those still suspended when its grace period ends, with code 6")
  void manySuspendedCallsEndingInAnyOrder() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = TestSystems.on(scheduler);
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(scheduler));
    Random random = new Random(20261122);
    List<Duration> delays = new ArrayList<>();
    List<AtomicReference<Object>> outcomes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Duration delay = Duration.ofMillis(500 + 1000L * random.nextInt(120)); // never on a second
      delays.add(delay);
      outcomes.add(outcome(worker.work(delay)));
    }
    scheduler.runUntilIdle();
    assertThat(system.actors()).singleElement().extracting(ActorInfo::suspendedCalls)
        .isEqualTo(300);
    // those of up to 30 s end now and leave the list from its head, its middle and its end
    scheduler.advanceTimeBy(Duration.ofSeconds(30));
    long endedFirst = delays.stream().filter(d -> d.compareTo(Duration.ofSeconds(30)) < 0).count();
    assertThat(worker.completed().block(Duration.ofSeconds(5)))
        .as("each call counted 1 when it started and 100 when it ended")
        .isEqualTo(300L + 100L * endedFirst);
    assertThat(system.actors()).singleElement().extracting(ActorInfo::suspendedCalls)
        .as("the calls that ended left the list, from its head, middle and end")
        .isEqualTo((int) (300 - endedFirst));
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(30)));
    scheduler.advanceTimeBy(Duration.ofSeconds(30));
    assertThat(shutdown.get()).isEqualTo("completed");
    int ended = 0;
    int abandoned = 0;
    for (int i = 0; i < delays.size(); i++) {
      Object answer = outcomes.get(i).get();
      if (delays.get(i).compareTo(Duration.ofSeconds(60)) < 0) {
        assertThat(answer).as("call %d (%s) ended before the grace period did", i, delays.get(i))
            .isInstanceOf(Long.class);
        ended++;
      } else {
        assertThat(answer).as("call %d (%s) outlived the grace period", i, delays.get(i))
            .isInstanceOfSatisfying(CallError.class,
                e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
        abandoned++;
      }
    }
    assertThat(ended).isBetween(100, 200);
    assertThat(abandoned).isEqualTo(300 - ended);
  }

  @Test
  @DisplayName("R3 closing a busy system answers every call, none dropped silently, before the close returns")
  void closeUnderLoadAnswersEveryCall() {
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder()
        .shutdownGracePeriod(Duration.ofSeconds(5)).build());
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      workers.add(system.spawn(Worker.class, () -> new WorkerActor(DeterministicScheduler.create())));
    }
    List<Mono<Long>> calls = new ArrayList<>();
    AtomicInteger answeredBeforeClose = new AtomicInteger();
    for (int i = 0; i < 50_000; i++) {
      Mono<Long> call = workers.get(i % workers.size()).quick();
      call.subscribe(v -> answeredBeforeClose.incrementAndGet(), e -> answeredBeforeClose.incrementAndGet());
      calls.add(call);
    }
    system.close();
    assertThat(answeredBeforeClose).as("answered (run, or refused with code 2) when close returns")
        .hasValue(50_000);
    long answered = answered(calls);
    assertThat(answered).isEqualTo(50_000L);
  }

  @Test
  @DisplayName("R3 R12a a shutdown racing with four sending threads answers every call they sent: run, or refused with code 2")
  void shutdownRacingWithSendersAnswersEveryCall() throws InterruptedException {
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build());
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      workers.add(system.spawn(Worker.class, () -> new WorkerActor(DeterministicScheduler.create())));
    }
    int senders = 4;
    Queue<Mono<Long>> calls = new ConcurrentLinkedQueue<>();
    CountDownLatch sending = new CountDownLatch(senders);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < senders; t++) {
      int offset = t;
      Thread thread = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          calls.add(workers.get((i + offset) % workers.size()).quick());
          if (i == 1_000) {
            sending.countDown();
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    assertThat(sending.await(30, TimeUnit.SECONDS)).isTrue();
    system.shutdown(Duration.ofSeconds(30)).block(Duration.ofSeconds(60));
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    Map<String, Long> outcomes = Flux.fromIterable(calls)
        .flatMap(c -> c.map(v -> "ran")
            .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code())))
        .collectList()
        .map(all -> all.stream().collect(Collectors.groupingBy(o -> o,
            Collectors.counting())))
        .block(Duration.ofSeconds(60));
    // queued calls that had not started when the shutdown began are refused too (code 2)
    assertThat(outcomes.keySet()).as("ran, or refused with code 2, nothing else").isSubsetOf("ran", "code 2");
    assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum())
        .as("every call answered").isEqualTo(calls.size());
    assertThat(outcomes.get("code 2")).as("the calls sent after the shutdown").isPositive();
  }

  /** Forwards a call along a chain of relays, each awaiting the next: counted on pool threads. */
  public interface Relay {
    Mono<Integer> forward(List<Relay> chain, int hop);
  }

  static final class RelayActor extends Actor implements Relay {
    private final Var<Integer> forwarded = newVar("forwarded", 0);

    @Override
    public Mono<Integer> forward(List<Relay> chain, int hop) {
      forwarded.update(n -> n + 1);
      if (hop == chain.size()) {
        return Mono.just(hop);
      }
      return await(chain.get(hop).forward(chain, hop + 1));
    }
  }

  @Test
  @DisplayName("R13 a busy system's shutdown ends when its calls are done, not at the end of its grace period")
  void shutdownEndsWhenTheLastCallFinishes() {
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build());
    List<Relay> chain = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      chain.add(system.spawn(Relay.class, RelayActor::new));
    }
    List<Mono<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      calls.add(chain.get(i % chain.size()).forward(chain, 0));
    }
    // actor-to-actor calls are counted by the pool threads with plain stores; whichever side
    // misses the other's last update, the shutdown must still end long before ten minutes
    Mono<Void> shutdown = system.shutdown(Duration.ofMinutes(10));
    shutdown.block(Duration.ofSeconds(60));
    long answered = answered(calls);
    assertThat(answered).isEqualTo(20_000L);
  }

  public interface Waiter {
    /** Awaits {@code future} (completed by the test), then returns its value plus 1. */
    Mono<Long> waitFor(Mono<Long> future);
  }

  static final class WaiterActor extends Actor implements Waiter {
    @Override
    public Mono<Long> waitFor(Mono<Long> future) {
      return await(future).map(v -> v + 1);
    }
  }

  @Test
  @DisplayName("R13 an actor busy when the grace period ends answers its suspended calls with code 6"
      + " itself, once its turn is over")
  void aBusyActorAnswersItsSuspendedCallsWhenItsTurnEnds() throws Exception {
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build());
    // its clock never moves: the call's await never ends
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(DeterministicScheduler.create()));
    Mono<Long> suspended = worker.work(Duration.ofSeconds(1));
    AtomicReference<Object> answer = new AtomicReference<>();
    CountDownLatch answered = new CountDownLatch(1);
    suspended.subscribe(v -> { }, e -> {
      answer.set(e);
      answered.countDown();
    });
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    worker.blockUntil(started, release);
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    // the grace period ends while the actor's thread is in the blocking turn
    system.shutdown(Duration.ofMillis(20)).block(Duration.ofSeconds(30));
    assertThat(answer.get()).as("the actor is still in its turn").isNull();
    release.countDown();
    assertThatThrownBy(() -> suspended.block(Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
          assertThat(e.rejectMessage()).contains("shut down before the call replied");
        });
    // the subscriber present at the answer is signalled by the answering thread, which may still
    // be on its way to it when a later subscriber, answered on its own thread, has returned
    assertThat(answered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(answer.get()).isInstanceOf(CallError.class);
  }

  @Test
  @DisplayName("R13 suspended calls whose futures complete while the grace period ends are each"
      + " answered once: with their value, or with code 6")
  void suspendedCallsRacingTheEndOfTheGracePeriodAreAnsweredOnce() throws Exception {
    for (int round = 0; round < 50; round++) {
      ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build());
      List<Waiter> waiters = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        waiters.add(system.spawn(Waiter.class, WaiterActor::new));
      }
      List<reactor.core.publisher.Sinks.One<Long>> sinks = new ArrayList<>();
      List<Mono<Long>> calls = new ArrayList<>();
      List<AtomicReference<Object>> early = new ArrayList<>();
      CountDownLatch earlyAnswered = new CountDownLatch(400);
      // an await subscribes to its future after its call joined the actor's suspended calls
      CountDownLatch suspended = new CountDownLatch(400);
      for (int i = 0; i < 400; i++) {
        reactor.core.publisher.Sinks.One<Long> sink = reactor.core.publisher.Sinks.one();
        sinks.add(sink);
        Mono<Long> call = waiters.get(i % waiters.size())
            .waitFor(sink.asMono().doOnSubscribe(x -> suspended.countDown()));
        AtomicReference<Object> first = new AtomicReference<>();
        call.subscribe(v -> {
          assertThat(first.getAndSet(v)).isNull();
          earlyAnswered.countDown();
        }, e -> {
          assertThat(first.getAndSet(e)).isNull();
          earlyAnswered.countDown();
        });
        early.add(first);
        calls.add(call);
      }
      assertThat(suspended.await(30, TimeUnit.SECONDS)).as("every call is suspended").isTrue();
      java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
      Thread completer = new Thread(() -> {
        try {
          go.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        for (int i = 0; i < sinks.size(); i++) {
          sinks.get(i).tryEmitValue((long) i);
        }
      });
      completer.start();
      go.await();
      Mono<Void> shutdown = system.shutdown(Duration.ofNanos(1));
      shutdown.block(Duration.ofSeconds(30));
      completer.join();
      assertThat(earlyAnswered.await(30, TimeUnit.SECONDS)).as("round %d: every call answered", round)
          .isTrue();
      int values = 0;
      int sixes = 0;
      for (int i = 0; i < calls.size(); i++) {
        // a subscriber present when the call was answered, and one arriving afterwards, agree
        try {
          Long value = calls.get(i).block(Duration.ofSeconds(30));
          assertThat(value).isEqualTo(i + 1L);
          assertThat(early.get(i).get()).as("round %d, call %d", round, i).isEqualTo(value);
          values++;
        } catch (CallError e) {
          assertThat(e.code()).as("round %d, call %d", round, i).isEqualTo(RejectCode.SYS_UNKNOWN);
          assertThat(early.get(i).get()).as("round %d, call %d", round, i).isSameAs(e);
          sixes++;
        }
      }
      assertThat(values + sixes).isEqualTo(400);
    }
  }

  @Test
  @DisplayName("R3 an unbounded call queued behind a turn that blocks its thread is not answered by"
      + " the end of the shutdown: it waits for that turn, and is answered with code 2 when the"
      + " turn ends (only a bounded wait ends it sooner)")
  void anUnboundedCallBehindAStuckTurnWaitsForThatTurn() throws Exception {
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build());
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(null));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      worker.blockUntil(started, release);
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      Mono<Long> unbounded = worker.quick();
      AtomicReference<Object> answer = outcome(unbounded);

      system.shutdown(Duration.ZERO).block(Duration.ofSeconds(30));

      assertThat(answer.get()).as("unanswered when the shutdown has ended").isNull();
      release.countDown();
      assertThatThrownBy(() -> unbounded.block(Duration.ofSeconds(30)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    } finally {
      release.countDown();
    }
  }

  @Test
  @DisplayName("R22 R13 a bounded wait on an actor stuck in a turn still ends with code 6 when the"
      + " shutdown ended first: the system's pool going away does not drop the call's timeout")
  void aBoundedWaitOutlivesTheShutdownOfItsPool() throws Exception {
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build());
    Worker worker = system.spawn(Worker.class, () -> new WorkerActor(DeterministicScheduler.create()));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      worker.blockUntil(started, release);
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      // queued behind the stuck turn: only its bounded wait can answer it (semantics.md, Shutdown)
      Mono<Long> bounded = CallOptions.timeout(Duration.ofSeconds(1)).on(worker).quick();
      // the grace period ends at once with the actor stuck: the shutdown ends without it
      system.shutdown(Duration.ZERO).block(Duration.ofSeconds(30));
      assertThatThrownBy(() -> bounded.block(Duration.ofSeconds(20)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
    } finally {
      release.countDown();
    }
  }

  public interface Member {
    /** Awaits a chain of {@code hops} calls through {@code peers}, each counting itself. */
    Mono<Long> relay(List<Member> peers, int hops);

    Mono<Long> quick();

    /**
     * Creates a member as an effect of its turn, awaits it and calls it: its count, or minus the
     * code of a failure.
     */
    Mono<Long> spawnAndCall();

    void oneway();

    @Query
    Mono<Long> count();
  }

  static final ActorClass<Member, Long> MEMBERS =
      ActorClass.of(Member.class, every -> new MemberActor(every, false));

  static final class MemberActor extends Actor implements Member {
    private final LongVar count = newLongVar("count", 0);

    /** With timers firing while the shutdown runs: a one-shot one, and a recurring one if asked. */
    MemberActor(long every, boolean recurring) {
      if (recurring) {
        recurringTimer(Duration.ofNanos(500_000 + every), () -> {
          count.add(1);
          return done();
        });
      }
      setTimer(Duration.ofNanos(every), () -> {
        count.add(1);
        return done();
      });
    }

    @Override
    public Mono<Long> relay(List<Member> peers, int hops) {
      count.add(1);
      if (hops == 0) {
        return Mono.just(count.get());
      }
      Member next = peers.get((int) ((count.get() + hops) % peers.size()));
      return await(next.relay(peers, hops - 1)).map(n -> n + 1);
    }

    @Override
    public Mono<Long> quick() {
      return Mono.just(count.add(1));
    }

    @Override
    public Mono<Long> spawnAndCall() {
      return await(spawn(MEMBERS, 1_000L))
          .flatMap(child -> await(child.quick()))
          .onErrorResume(CallError.class, e -> Mono.just((long) -e.code().code()));
    }

    @Override
    public void oneway() {
      count.add(1);
    }

    @Override
    public Mono<Long> count() {
      return Mono.just(count.get());
    }
  }

  /** One signal a future gave its first subscriber, and how many terminal signals it gave. */
  private static final class Seen {
    final AtomicReference<Object> outcome = new AtomicReference<>();
    final AtomicInteger terminals = new AtomicInteger();

    Seen(Mono<?> future, CountDownLatch values) {
      future.subscribe(v -> {
        outcome.compareAndSet(null, v);
        values.countDown();
      }, e -> {
        outcome.compareAndSet(null, e);
        terminals.incrementAndGet();
      }, () -> {
        outcome.compareAndSet(null, "empty");
        terminals.incrementAndGet();
      });
    }
  }

  @Test
  @DisplayName("R3 R12a R13 a shutdown racing 12 threads of calls, bounded calls, oneways, spawns"
      + " inside and outside actors and firing timers answers every future once, with its value,"
      + " code 2 or 6 (or 4 passing them on), and every spawn creates its actor or gets code 2")
  void shutdownRacingCallsTimersAndSpawnsAnswersEveryFutureOnce() throws Exception {
    for (int round = 0; round < 3; round++) {
      ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build());
      List<Member> members = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        long every = 1_000L * i;
        members.add(system.spawn(Member.class, () -> new MemberActor(every, true)));
      }
      Queue<Map.Entry<Mono<?>, Seen>> futures = new ConcurrentLinkedQueue<>();
      AtomicInteger directSpawns = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      int threads = 12;
      // the shutdown starts once calls are running: 200 answered with a value
      CountDownLatch values = new CountDownLatch(200);
      long seed = round;
      List<Thread> senders = new ArrayList<>();
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < threads; t++) {
        Random random = new Random(seed * 100 + t);
        Thread thread = new Thread(() -> {
          try {
            for (int i = 0; i < 2_000 && !stop.get(); i++) {
              Member m = members.get(random.nextInt(members.size()));
              Mono<?> f;
              switch (random.nextInt(7)) {
                case 0:
                  f = m.relay(members, 1 + random.nextInt(4));
                  break;
                case 1:
                  f = CallOptions.timeout(Duration.ofNanos(1 + random.nextInt(2_000_000))).on(m)
                      .relay(members, 1 + random.nextInt(3));
                  break;
                case 2:
                  f = m.spawnAndCall();
                  break;
                case 3:
                  f = system.spawn(MEMBERS, 5_000L);
                  break;
                case 4:
                  m.oneway();
                  f = null;
                  break;
                case 5:
                  try {
                    system.spawn(Member.class, () -> new MemberActor(7_000, false));
                    directSpawns.incrementAndGet();
                  } catch (CallError e) {
                    assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT);
                  }
                  f = null;
                  break;
                default:
                  f = m.quick();
                  break;
              }
              if (f != null) {
                futures.add(Map.entry(f, new Seen(f, values)));
              }
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        });
        senders.add(thread);
        thread.start();
      }
      assertThat(values.await(30, TimeUnit.SECONDS)).isTrue();
      system.shutdown(Duration.ofNanos(new Random(seed).nextInt(3_000_000)))
          .block(Duration.ofSeconds(30));
      for (Member m : members) {
        Mono<Long> late = m.quick(); // after the shutdown: refused
        futures.add(Map.entry(late, new Seen(late, values)));
      }
      stop.set(true);
      for (Thread thread : senders) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      }
      assertThat(failures).isEmpty();
      Map<String, Long> outcomes = new java.util.TreeMap<>();
      for (Map.Entry<Mono<?>, Seen> e : futures) {
        Object late;
        try {
          late = e.getKey().block(Duration.ofSeconds(30));
        } catch (CallError error) {
          late = error;
        }
        Seen seen = e.getValue();
        assertThat(seen.terminals.get()).as("round %d: one terminal signal", round).isEqualTo(1);
        Object first = seen.outcome.get();
        if (late instanceof CallError error) {
          assertThat(first).as("round %d: the same outcome for every subscriber", round)
              .isSameAs(error);
          if (error.code() == RejectCode.CANISTER_REJECT) {
            // a relay let the failure of the call it awaited escape: a reject (R12a) that passes
            // on the shutdown's answer to that call
            assertThat(error.rejectMessage()).as("round %d", round).contains("actor system")
                .containsAnyOf("shut down", "shutting down");
          } else {
            assertThat(error.code()).as("round %d: %s", round, error)
                .isIn(RejectCode.SYS_TRANSIENT, RejectCode.SYS_UNKNOWN);
          }
          outcomes.merge("code " + error.code().code(), 1L, Long::sum);
        } else {
          assertThat(first).as("round %d: the same outcome for every subscriber", round)
              .isEqualTo(late);
          if (late instanceof Long value && value < 0) {
            assertThat(value).as("round %d: a spawn inside an actor failed only with code 2",
                round).isEqualTo(-2L);
          }
          outcomes.merge("value", 1L, Long::sum);
        }
      }
      assertThat(outcomes).as("round %d", round).containsKeys("value", "code 2");
      assertThat(system.actorCount()).as("round %d: each spawn that succeeded made an actor", round)
          .isGreaterThanOrEqualTo(24 + directSpawns.get());
    }
  }

  /** Queries whose answers wait for nothing, or for ever. */
  public interface Oracle {
    /** Answers at once: the sum of {@code n} numbers, some work for its synchronous part. */
    @Query
    Mono<Long> sum(int n);

    /** Sums {@code n} numbers, then waits for an answer that never comes. */
    @Query
    Mono<Long> never(int n);

    /**
     * Signals {@code entered}, waits (blocking its caller) for {@code release}, then never
     * answers.
     */
    @Query
    Mono<Long> neverAfter(CountDownLatch entered, CountDownLatch release);

    /** Answers what {@code external} signals. */
    @Query
    Mono<Long> waitFor(Mono<Long> external);

    /** Awaits {@code other}'s {@link #never}, answering -1 if that fails. */
    @CompositeQuery
    Mono<Long> askNever(Oracle other);
  }

  static final class OracleActor extends Actor implements Oracle {
    @Override
    public Mono<Long> sum(int n) {
      return Mono.just(java.util.stream.LongStream.range(0, n).sum());
    }

    @Override
    public Mono<Long> never(int n) {
      long sum = java.util.stream.LongStream.range(0, n).sum();
      return Mono.<Long>never().map(v -> v + sum);
    }

    @Override
    public Mono<Long> neverAfter(CountDownLatch entered, CountDownLatch release) {
      entered.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return Mono.never();
    }

    @Override
    public Mono<Long> waitFor(Mono<Long> external) {
      return external;
    }

    @Override
    public Mono<Long> askNever(Oracle other) {
      return await(other.never(1)).onErrorResume(CallError.class, e -> Mono.just(-1L));
    }
  }

  /**
   * A system on {@code clock}, with no default bound, whose listener adds each reject to
   * {@code told}.
   */
  private static ActorSystem oracles(DeterministicScheduler clock, List<String> told) {
    return ActorSystem.create(ActorSystemConfig.builder().name("oracles").scheduler(clock)
        .listener(new TurnListener() {
          @Override
          public void callRejected(ActorId actor, String method, RejectCode code) {
            told.add(actor + " " + method + " " + code);
          }
        }).build());
  }

  @Test
  @DisplayName("R13 R19 an unbounded query still waiting when the system shuts down is waited for"
      + " as a call is, and answered with code 6 at the end of the grace period, told once, not"
      + " left waiting for ever")
  void anUnboundedQueryIsWaitedForThenAnsweredWithCode6() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    ActorSystem system = oracles(clock, told);
    Oracle oracle = system.spawn(Oracle.class, ActorId.of("oracle"), OracleActor::new);
    reactor.core.publisher.Sinks.One<Long> external = reactor.core.publisher.Sinks.one();
    AtomicReference<Object> answered = outcome(oracle.waitFor(external.asMono()));
    AtomicReference<Object> never = outcome(oracle.never(3));
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    clock.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(shutdown.get()).as("waiting for the queries").isNull();
    external.tryEmitValue(7L);
    assertThat(answered.get()).as("answered within the grace period").isEqualTo(7L);
    assertThat(shutdown.get()).as("waiting for the other query").isNull();
    clock.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(never.get()).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
      assertThat(e.rejectMessage()).isEqualTo("The actor system 'oracles' shut down before the"
          + " query Oracle.never() on oracle replied: it was cancelled, and a query changes"
          + " nothing");
    });
    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(told).containsExactly("oracle never SYS_UNKNOWN");
  }

  @Test
  @DisplayName("R13 R19 a shutdown waiting only for a query ends as soon as it answers, before the"
      + " end of its grace period")
  void aShutdownEndsWhenTheLastQueryAnswers() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    ActorSystem system = oracles(clock, told);
    Oracle oracle = system.spawn(Oracle.class, ActorId.of("oracle"), OracleActor::new);
    reactor.core.publisher.Sinks.One<Long> external = reactor.core.publisher.Sinks.one();
    AtomicReference<Object> answered = outcome(oracle.waitFor(external.asMono()));
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    clock.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(shutdown.get()).isNull();
    external.tryEmitValue(7L);
    assertThat(answered.get()).isEqualTo(7L);
    assertThat(shutdown.get()).as("its answer ends the shutdown").isEqualTo("completed");
    assertThat(clock.delayedTasks()).as("the grace timer is cancelled").isZero();
    assertThat(told).isEmpty();
  }

  @Test
  @DisplayName("R13 R19 R22 a composite query waiting for an unbounded query at the end of the"
      + " grace period gets code 6 before the query it made, which it cannot catch and answer"
      + " instead; each told once")
  void aCompositeQueryAndItsQueryEndWithCode6AtTheEndOfTheGracePeriod() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    ActorSystem system = oracles(clock, told);
    Oracle asker = system.spawn(Oracle.class, ActorId.of("asker"), OracleActor::new);
    Oracle oracle = system.spawn(Oracle.class, ActorId.of("oracle"), OracleActor::new);
    AtomicReference<Object> asked = outcome(asker.askNever(oracle));
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    clock.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(asked.get()).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
      assertThat(e.rejectMessage()).startsWith("The actor system 'oracles' shut down before the"
          + " query Oracle.askNever(");
    });
    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(told).containsExactlyInAnyOrder("asker askNever SYS_UNKNOWN",
        "oracle never SYS_UNKNOWN");
  }

  @Test
  @DisplayName("R22 R19 R12a R13 a query, bounded or not, whose synchronous part outlasts the"
      + " shutdown (which took the pool's timer with it) is answered with code 2 as it returns,"
      + " told once, not left waiting for a bound that can never run, nor for ever")
  void aQueryOutlastingTheShutdownIsAnsweredWithCode2() throws Exception {
    for (boolean bounded : new boolean[] {true, false}) {
      List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
      ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("oracles")
          .parallelism(1).defaultCallTimeout(bounded ? Duration.ofSeconds(30) : null)
          .listener(new TurnListener() {
            @Override
            public void callRejected(ActorId actor, String method, RejectCode code) {
              rejects.add(actor + " " + method + " " + code);
            }
          }).build());
      Oracle oracle = system.spawn(Oracle.class, ActorId.of("oracle"), OracleActor::new);
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      java.util.concurrent.CompletableFuture<Mono<Long>> query =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> oracle.neverAfter(entered, release));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      system.close(); // no call in flight: it ends at once, and its pool with it
      release.countDown();
      Mono<Long> answer = query.get(30, TimeUnit.SECONDS);

      java.util.concurrent.CompletableFuture<Long> reply = answer.toFuture();
      assertThat(reply).as("bounded %s: answered as its synchronous part returned", bounded)
          .isDone();
      assertThatThrownBy(reply::join).cause().isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT);
        assertThat(e.rejectMessage()).contains("The actor system 'oracles' is shut down");
      });
      assertThat(rejects).as("bounded %s", bounded)
          .containsExactly("oracle neverAfter SYS_TRANSIENT");
    }
  }

  @Test
  @DisplayName("R22 R19 R12a R13 queries on 8 threads racing the system's close all end: answered,"
      + " refused with code 2, or ended with code 6 at their bound or, unbounded, at the end of"
      + " the grace period; each told to the listener once")
  void queriesRacingTheCloseAllEnd() throws Exception {
    for (int round = 0; round < 6; round++) {
      java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> told =
          new java.util.concurrent.ConcurrentHashMap<>();
      ActorSystemConfig.Builder config = ActorSystemConfig.builder().parallelism(2)
          .shutdownGracePeriod(Duration.ofMillis(20));
      if (round % 2 == 0) {
        config.defaultCallTimeout(Duration.ofMillis(20)); // else unbounded: ended by the shutdown
      }
      ActorSystem system = ActorSystem.create(config.listener(new TurnListener() {
        @Override
        public void callRejected(ActorId actor, String method, RejectCode code) {
          told.computeIfAbsent(code.name(), k -> new AtomicInteger()).incrementAndGet();
        }
      }).build());
      List<Oracle> oracles = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        oracles.add(system.spawn(Oracle.class, OracleActor::new));
      }
      Queue<Mono<Long>> queries = new ConcurrentLinkedQueue<>();
      AtomicBoolean closing = new AtomicBoolean();
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        // the first thread closes the system amid its queries; each goes on until it has made
        // 50 queries after it saw the close begin
        Thread thread = new Thread(() -> {
          for (int i = 0, after = 0; after < 50; i++) {
            if (offset == 0 && i == 150) {
              closing.set(true);
              system.close();
            }
            Oracle o = oracles.get((i + offset) % oracles.size());
            queries.add(i % 2 == 0 ? o.never(50 + i % 200) : o.sum(50 + i % 200));
            if (closing.get()) {
              after++;
            }
          }
        });
        senders.add(thread);
        thread.start();
      }
      for (Thread thread : senders) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      }
      Map<String, Long> outcomes = Flux.fromIterable(queries)
          .flatMap(q -> q.map(v -> "value")
              .onErrorResume(CallError.class, e -> Mono.just(e.code().name())))
          .collect(Collectors.groupingBy(o -> o, java.util.TreeMap::new, Collectors.counting()))
          .block(Duration.ofSeconds(10));
      assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum())
          .as("round %d: every query ended", round).isEqualTo(queries.size());
      assertThat(outcomes.keySet()).as("round %d", round)
          .contains("value", "SYS_TRANSIENT", "SYS_UNKNOWN")
          .isSubsetOf("value", "SYS_TRANSIENT", "SYS_UNKNOWN");
      for (String code : List.of("SYS_TRANSIENT", "SYS_UNKNOWN")) {
        assertThat(told.get(code)).as("round %d: each %s told once", round, code)
            .hasValue(outcomes.get(code).intValue());
      }
    }
  }
}

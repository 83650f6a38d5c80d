package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import io.reactant.state.TxMap;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Rule R12a, code 2: bounded mailboxes. */
class MailboxTest {

  public interface Counter {
    Mono<Long> inc();

    Mono<Long> incViaSelf();

    void incOneway();

    @Query
    Mono<Long> read();
  }

  static class CounterActor extends Actor implements Counter {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Long> inc() {
      return Mono.just(count.update(c -> c + 1));
    }

    @Override
    public void incOneway() {
      count.update(c -> c + 1);
    }

    @Override
    public Mono<Long> incViaSelf() {
      return await(self(Counter.class).inc());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(count.get());
    }
  }

  @MailboxCapacity(1)
  static final class TinyCounterActor extends CounterActor {
  }

  @Test
  @DisplayName("R12a a call that finds the mailbox full fails at once with code 2 and changes nothing")
  void fullMailboxRejectsWithCodeTwo() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .mailboxCapacity(3).build())) {
      Counter counter = system.spawn(Counter.class, CounterActor::new);
      List<Mono<Long>> accepted = List.of(counter.inc(), counter.inc(), counter.inc());
      Mono<Long> refused = counter.inc();
      assertThatThrownBy(refused::block).isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT);
        assertThat(e.code().isClean()).isTrue();
        assertThat(e.rejectMessage()).contains("is full (capacity 3)");
      });
      scheduler.runUntilIdle();
      assertThat(accepted).extracting(Mono::block).containsExactly(1L, 2L, 3L);
      assertThat(counter.read().block()).isEqualTo(3L);
      assertThat(scheduler.await(counter.inc())).as("room again once drained").isEqualTo(4L);
    }
  }

  public interface Burst {
    /**
     * Sends {@code calls} calls with 10 cycles each, and a oneway after each, to {@code counter}
     * in one turn, and awaits them all: each call's result, or "code n" for its reject, in the
     * order sent, then the balance the continuation sees.
     */
    Mono<List<String>> burst(Counter counter, int calls);
  }

  static final class BurstActor extends Actor implements Burst {
    @Override
    public Mono<List<String>> burst(Counter counter, int calls) {
      Counter paying = CallOptions.cycles(10).on(counter);
      List<Mono<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        outcomes.add(paying.inc().map(String::valueOf)
            .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code())));
        counter.incOneway();
      }
      return await(Flux.concat(outcomes).collectList())
          .map(list -> {
            List<String> all = new ArrayList<>(list);
            all.add("balance " + cyclesBalance());
            return all;
          });
    }
  }

  @Test
  @DisplayName("R6 R12a R4 a commit whose sends overflow the receiver's mailbox is no"
      + " all-or-nothing: the sends are queued in order, those that fit run, each one past the capacity fails with"
      + " code 2 (a call, its cycles returned) or is dropped (a oneway), and the commit stands")
  void aCommitThatOverflowsAMailboxQueuesWhatFitsAndRefusesTheRest() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .mailboxCapacity(5).initialBalance(1_000).build())) {
      Counter counter = system.spawn(Counter.class, CounterActor::new);
      Burst burst = system.spawn(Burst.class, BurstActor::new);

      List<String> outcomes = scheduler.await(burst.burst(counter, 6));

      // call, oneway, call, oneway, call fill the 5 places; everything after is refused
      assertThat(outcomes).containsExactly(
          "1", "3", "5", "code 2", "code 2", "code 2", "balance 1000");
      assertThat(counter.read().block()).isEqualTo(5L);
      assertThat(system.cyclesBalance(ActorRefs.idOf(counter))).isEqualTo(1_000L);
      assertThat(system.cyclesBalance(ActorRefs.idOf(burst))).isEqualTo(1_000L);
    }
  }

  public interface Ordered {
    /** Records number {@code seq} of {@code sender}, accepting half the attached cycles. */
    Mono<Long> take(String sender, long seq);

    /** Calls taken, and those that came before an earlier number of their sender. */
    @Query
    Mono<List<Long>> report();
  }

  @MailboxCapacity(16)
  static final class OrderedActor extends Actor implements Ordered {
    private final TxMap<String, Long> last = newMap("last");
    private final LongVar taken = newLongVar("taken", 0);
    private final LongVar outOfOrder = newLongVar("outOfOrder", 0);

    @Override
    public Mono<Long> take(String sender, long seq) {
      acceptCycles(cyclesAvailable() / 2);
      taken.add(1);
      if (last.getOrDefault(sender, -1L) >= seq) {
        outOfOrder.add(1);
      }
      last.put(sender, seq);
      return Mono.just(seq);
    }

    @Override
    public Mono<List<Long>> report() {
      return Mono.just(List.of(taken.get(), outOfOrder.get()));
    }
  }

  public interface Volley {
    /** Sends {@code n} numbered calls with 10 cycles each in one turn: how many ran, refused. */
    Mono<List<Long>> volley(Ordered to, int n);
  }

  static final class VolleyActor extends Actor implements Volley {
    private final LongVar seq = newLongVar("seq", 0);

    @Override
    public Mono<List<Long>> volley(Ordered to, int n) {
      Ordered paying = CallOptions.cycles(10).on(to);
      List<Mono<Long>> outcomes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        outcomes.add(paying.take(actorId().value(), seq.add(1) - 1).map(v -> 0L)
            .onErrorResume(CallError.class, e -> e.code() == RejectCode.SYS_TRANSIENT
                ? Mono.just(1L) : Mono.error(e)));
      }
      return await(Flux.concat(outcomes).collectList()).map(codes -> {
        long refused = codes.stream().mapToLong(Long::longValue).sum();
        return List.of(n - refused, refused);
      });
    }
  }

  @Test
  @DisplayName("R4 R6 R12a R22 8 threads x 300 volleys of up to 32 calls, each volley sent at one"
      + " commit by one of 6 actors to a mailbox of 16: each call runs, in its sender's order, or"
      + " fails with code 2 and its cycles and message fee come back; the counts and balances, fees"
      + " paid included, add up exactly")
  void volleysIntoASmallMailboxUnderContention() throws Exception {
    long turnFee = 1;
    long messageFee = 3;
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder()
        .fees(turnFee, messageFee).initialBalance(1_000_000).build())) {
      Ordered receiver = system.spawn(Ordered.class, OrderedActor::new);
      List<Volley> volleys = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        volleys.add(system.spawn(Volley.class, VolleyActor::new));
      }
      AtomicLong sent = new AtomicLong();
      AtomicLong ran = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      TestThreads.runAll(8, t -> {
        Random random = new Random(900 + t);
        List<Mono<List<Long>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          int n = 1 + random.nextInt(32);
          sent.addAndGet(n);
          inFlight.add(volleys.get(random.nextInt(volleys.size())).volley(receiver, n)
              .doOnNext(counts -> {
                ran.addAndGet(counts.get(0));
                refused.addAndGet(counts.get(1));
              }));
          if (inFlight.size() == 16) {
            Flux.merge(inFlight).blockLast();
            inFlight.clear();
          }
        }
        Flux.merge(inFlight).blockLast();
      });
      assertThat(ran.get() + refused.get()).isEqualTo(sent.get());
      assertThat(refused.get()).as("calls that found the mailbox full").isPositive();
      assertThat(receiver.report().block()).containsExactly(ran.get(), 0L);
      long paid = 5 * ran.get();
      // the receiver ran a turn per call taken; each volley ran two (its sends, its continuation)
      assertThat(system.actor(ActorRefs.idOf(receiver)).orElseThrow().turns()).isEqualTo(ran.get());
      long volleyTurns = 0;
      long volleyBalances = 0;
      for (Volley v : volleys) {
        volleyTurns += system.actor(ActorRefs.idOf(v)).orElseThrow().turns();
        volleyBalances += system.cyclesBalance(ActorRefs.idOf(v));
      }
      assertThat(volleyTurns).isEqualTo(2 * 8 * 300L);
      assertThat(system.cyclesBalance(ActorRefs.idOf(receiver)))
          .isEqualTo(1_000_000 + paid - turnFee * ran.get());
      assertThat(volleyBalances).as("the calls refused paid no message fee")
          .isEqualTo(6 * 1_000_000L - paid - turnFee * volleyTurns - messageFee * ran.get());
    }
  }

  @Test
  @DisplayName("R12a @MailboxCapacity overrides the system's capacity; continuations are never refused")
  void annotationOverridesAndContinuationsPass() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Counter tiny = system.spawn(Counter.class, TinyCounterActor::new);
      Mono<Long> first = tiny.incViaSelf();
      assertThatThrownBy(() -> tiny.inc().block()).isInstanceOf(CallError.class);
      // the self call competes for the single slot only once the first call has left the mailbox
      assertThat(scheduler.await(first)).isEqualTo(1L);
    }
  }

  @Test
  @DisplayName("R12a under a flood from many threads every call either runs or gets code 2; none is lost")
  void floodAgainstABoundedMailbox() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().mailboxCapacity(64).build())) {
      Counter counter = system.spawn(Counter.class, CounterActor::new);
      AtomicLong ok = new AtomicLong();
      AtomicLong full = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread thread = new Thread(() -> Flux.range(0, 20_000)
            .flatMap(i -> counter.inc()
                .doOnNext(v -> ok.incrementAndGet())
                .onErrorResume(CallError.class, e -> {
                  if (e.code() == RejectCode.SYS_TRANSIENT) {
                    full.incrementAndGet();
                  }
                  return Mono.empty();
                }), 256)
            .blockLast());
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(ok.get() + full.get()).isEqualTo(80_000L);
      assertThat(counter.read().block()).isEqualTo(ok.get());
      assertThat(system.mailboxDepth(ActorRefs.idOf(counter))).isZero();
    }
  }

  public interface DepthProbe {
    /** Answers the depth of its own mailbox, as read in its turn. */
    Mono<Integer> depth();
  }

  static final class DepthProbeActor extends Actor implements DepthProbe {
    private final ActorSystem system;

    DepthProbeActor(ActorSystem system) {
      this.system = system;
    }

    @Override
    public Mono<Integer> depth() {
      return Mono.just(system.mailboxDepth(actorId()));
    }
  }

  @Test
  @DisplayName("R3 an unbounded mailbox counts what waits, whether still in its inbox or taken by"
      + " its actor and not started: 5 queued, then 4, 3, 2, 1, 0 seen by the turns themselves")
  void unboundedMailboxReportsItsDepth() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      DepthProbe probe = system.spawn(DepthProbe.class, () -> new DepthProbeActor(system));
      ActorId id = ActorRefs.idOf(probe);
      List<Mono<Integer>> seen = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        seen.add(probe.depth());
      }
      assertThat(system.mailboxDepth(id)).as("all in the inbox").isEqualTo(5);
      assertThat(system.actors()).singleElement().extracting(ActorInfo::mailboxDepth).isEqualTo(5);
      scheduler.runUntilIdle();
      assertThat(Flux.concat(seen).collectList().block())
          .as("each turn sees the calls taken with it and not started yet")
          .containsExactly(4, 3, 2, 1, 0);
      assertThat(system.mailboxDepth(id)).isZero();
    }
  }

  @Test
  @DisplayName("R3 the system sums and compares its mailboxes without a snapshot of every actor:"
      + " 5 and 2 waiting give 7 queued and 5 in the fullest; one actor's snapshot by id")
  void systemReportsQueuedMessagesAndTheFullestMailbox() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      DepthProbe first = system.spawn(DepthProbe.class, () -> new DepthProbeActor(system));
      DepthProbe second = system.spawn(DepthProbe.class, () -> new DepthProbeActor(system));
      system.spawn(DepthProbe.class, () -> new DepthProbeActor(system)); // idle: counts 0
      for (int i = 0; i < 5; i++) {
        first.depth();
      }
      second.depth();
      second.depth();
      assertThat(system.queuedMessages()).isEqualTo(7);
      assertThat(system.deepestMailbox()).isEqualTo(5);
      assertThat(system.actor(ActorRefs.idOf(second))).hasValueSatisfying(info -> {
        assertThat(info.id()).isEqualTo(ActorRefs.idOf(second));
        assertThat(info.mailboxDepth()).isEqualTo(2);
      });
      assertThat(system.actor(ActorId.of("nobody"))).isEmpty();
      assertThat(system.busiestActors(2)).extracting(ActorInfo::id)
          .containsExactly(ActorRefs.idOf(first), ActorRefs.idOf(second));
      assertThat(system.busiestActors(10)).extracting(ActorInfo::mailboxDepth)
          .containsExactly(5, 2, 0);
      assertThat(system.busiestActors(0)).isEmpty();
      assertThatThrownBy(() -> system.busiestActors(-1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
      scheduler.runUntilIdle();
      assertThat(system.queuedMessages()).isZero();
      assertThat(system.deepestMailbox()).isZero();
    }
  }

  public interface Waiter {
    /** Awaits the test's future and answers its value. */
    Mono<String> waitFor();
  }

  @Test
  @DisplayName("R3 the system counts its actors with work under way: a message waiting or a call"
      + " suspended at an await makes an actor busy; an idle one is not")
  void systemCountsTheActorsWithWorkUnderWay() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      DepthProbe first = system.spawn(DepthProbe.class, () -> new DepthProbeActor(system));
      DepthProbe second = system.spawn(DepthProbe.class, () -> new DepthProbeActor(system));
      system.spawn(DepthProbe.class, () -> new DepthProbeActor(system)); // idle
      reactor.core.publisher.Sinks.One<String> later = reactor.core.publisher.Sinks.one();
      class WaiterActor extends Actor implements Waiter {
        @Override
        public Mono<String> waitFor() {
          return await(later.asMono());
        }
      }
      Waiter waiter = system.spawn(Waiter.class, WaiterActor::new);
      scheduler.runUntilIdle();
      assertThat(system.busyActors()).as("nothing under way").isZero();

      for (int i = 0; i < 5; i++) {
        first.depth();
      }
      second.depth();
      Mono<String> waited = waiter.waitFor();
      assertThat(system.busyActors()).as("three actors with messages waiting").isEqualTo(3);

      scheduler.runUntilIdle();
      assertThat(system.queuedMessages()).isZero();
      assertThat(system.busyActors()).as("the waiter's call, suspended at its await").isOne();

      later.tryEmitValue("done");
      scheduler.runUntilIdle();
      assertThat(waited.block(Duration.ofSeconds(5))).isEqualTo("done");
      assertThat(system.busyActors()).isZero();
    }
  }

  @Test
  @DisplayName("R3 the busiest actors of 400 with seeded random mailbox depths are the deepest"
      + " mailboxes, deepest first, equal depths by id, for every limit tried")
  void busiestActorsAreTheDeepestMailboxes() {
    java.util.Random random = new java.util.Random(20261203L);
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      List<int[]> expected = new ArrayList<>(); // {depth, index}
      List<ActorId> ids = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        DepthProbe probe = system.spawn(DepthProbe.class, ActorId.of(String.format("p%03d", i)),
            () -> new DepthProbeActor(system));
        int depth = random.nextInt(4) == 0 ? 0 : random.nextInt(12);
        for (int d = 0; d < depth; d++) {
          probe.depth();
        }
        expected.add(new int[] {depth, i});
        ids.add(ActorRefs.idOf(probe));
      }
      expected.sort((a, b) -> a[0] != b[0] ? Integer.compare(b[0], a[0])
          : Integer.compare(a[1], b[1]));
      for (int limit : new int[] {1, 7, 50, 399, 400, 1000}) {
        List<ActorInfo> busiest = system.busiestActors(limit);
        int n = Math.min(limit, 400);
        assertThat(busiest).as("limit %d", limit).hasSize(n);
        List<Integer> depths = busiest.stream().map(ActorInfo::mailboxDepth).toList();
        assertThat(depths).as("limit %d", limit)
            .isEqualTo(expected.subList(0, n).stream().map(e -> e[0]).toList());
        int deepestLeftOut = n < 400 ? expected.get(n)[0] : -1;
        if (n == 400 || depths.get(n - 1) > deepestLeftOut) {
          // no tie at the limit: exactly these actors, in this order
          assertThat(busiest).extracting(ActorInfo::id).as("limit %d", limit)
              .isEqualTo(expected.subList(0, n).stream().map(e -> ids.get(e[1])).toList());
        }
      }
      assertThat(system.queuedMessages())
          .isEqualTo(expected.stream().mapToLong(e -> e[0]).sum());
      scheduler.runUntilIdle();
      assertThat(system.busiestActors(3)).extracting(ActorInfo::mailboxDepth)
          .containsOnly(0);
    }
  }

  /**
   * A scheduler that never runs an actor (its mailbox stays as it is) and keeps time with
   * Reactor's parallel scheduler, whose threads fire the bounded waits.
   */
  static final class StalledScheduler implements Scheduler {
    final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

    @Override
    public Disposable schedule(Runnable task) {
      held.add(task);
      return Disposables.single();
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
      return Schedulers.parallel().schedule(task, delay, unit);
    }

    @Override
    public Worker createWorker() {
      return Schedulers.parallel().createWorker();
    }
  }

  @Test
  @DisplayName("R12a R22 12 threads of calls with the shortest bounded wait to a full mailbox: each"
      + " fails with code 2, the mailbox's refusal, never with the code 6 of a timeout")
  void aFullMailboxRefusesBoundedCallsWithCodeTwo() throws Exception {
    StalledScheduler stalled = new StalledScheduler();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(stalled)
        .mailboxCapacity(4).build())) {
      Counter counter = system.spawn(Counter.class, CounterActor::new);
      for (int i = 0; i < 4; i++) {
        counter.inc(); // the mailbox is full, and its actor never runs
      }
      Counter impatient = CallOptions.timeout(Duration.ofNanos(1)).on(counter);
      Map<RejectCode, Long> codes = new ConcurrentHashMap<>();
      TestThreads.runAll(12, t -> {
        for (int i = 0; i < 3_000; i++) {
          try {
            impatient.inc().block(Duration.ofSeconds(30));
          } catch (CallError e) {
            codes.merge(e.code(), 1L, Long::sum);
          }
        }
      });
      assertThat(codes).containsExactly(Map.entry(RejectCode.SYS_TRANSIENT, 12L * 3_000));
      assertThat(system.mailboxDepth(ActorRefs.idOf(counter))).isEqualTo(4);
    }
  }
}

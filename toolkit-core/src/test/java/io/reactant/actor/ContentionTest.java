package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.call.CallOptions;
import io.reactant.call.Computation;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import io.reactant.state.TxMap;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The runtime under real contention: many threads, many calls, invariants checked at the end. */
class ContentionTest {

  public interface Counter {
    Mono<Void> inc();

    @Query
    Mono<Long> read();
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
  }

  @Test
  @DisplayName("R2 R8 4 threads x 100k calls on one actor give an exact count")
  void fourThreadsOfOneHundredThousandCalls() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      Counter counter = system.spawn(Counter.class, CounterActor::new);
      int threads = 4;
      int calls = 100_000;
      TestThreads.runAll(threads, t -> {
        Mono<Void> last = Mono.empty();
        for (int i = 0; i < calls; i++) {
          last = counter.inc();
        }
        last.block(); // FIFO per pair: the last call of this thread completes after all others
      });
      assertThat(counter.read().block()).isEqualTo((long) threads * calls);
    }
  }

  public interface Account {
    /** Debits this account, awaits the credit of the other, refunds it when the credit fails. */
    Mono<Boolean> transfer(Account to, long amount, boolean creditTraps);

    Mono<Void> credit(long amount, boolean trap);

    @Query
    Mono<Long> balance();
  }

  static final class AccountActor extends Actor implements Account {
    private final Var<Long> balance = newVar("balance", 1_000L);

    @Override
    public Mono<Boolean> transfer(Account to, long amount, boolean creditTraps) {
      if (balance.get() < amount) {
        return Mono.just(false);
      }
      balance.update(b -> b - amount); // committed at the await below
      return await(to.credit(amount, creditTraps))
          .thenReturn(true)
          .onErrorResume(CallError.class, e -> {
            balance.update(b -> b + amount); // refund in the continuation turn
            return Mono.just(false);
          });
    }

    @Override
    public Mono<Void> credit(long amount, boolean trap) {
      balance.update(b -> b + amount);
      if (trap) {
        trap("credit refused");
      }
      return done();
    }

    @Override
    public Mono<Long> balance() {
      return Mono.just(balance.get());
    }
  }

  @Test
  @DisplayName("R12 10k actors with random transfers keep the total constant while some turns trap")
  void transfersBetweenTenThousandActorsKeepTheTotal() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      int accounts = 10_000;
      List<Account> all = new ArrayList<>(accounts);
      for (int i = 0; i < accounts; i++) {
        all.add(system.spawn(Account.class, AccountActor::new));
      }
      int threads = 4;
      int transfersPerThread = 25_000;
      AtomicLong succeeded = new AtomicLong();
      AtomicLong refunded = new AtomicLong();
      List<Thread> drivers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = 1000 + t;
        Thread driver = new Thread(() -> {
          Random random = new Random(seed);
          List<Mono<Boolean>> inFlight = new ArrayList<>();
          for (int i = 0; i < transfersPerThread; i++) {
            Account from = all.get(random.nextInt(accounts));
            Account to = all.get(random.nextInt(accounts));
            boolean trap = random.nextInt(10) == 0;
            inFlight.add(from.transfer(to, 1 + random.nextInt(300), trap)
                .doOnNext(ok -> (ok ? succeeded : refunded).incrementAndGet()));
            if (inFlight.size() == 256) {
              Flux.merge(inFlight).blockLast();
              inFlight.clear();
            }
          }
          Flux.merge(inFlight).blockLast();
        });
        drivers.add(driver);
        driver.start();
      }
      for (Thread driver : drivers) {
        driver.join();
      }
      long total = Flux.fromIterable(all).flatMap(Account::balance).reduce(0L, Long::sum).block();
      assertThat(total).isEqualTo(accounts * 1_000L);
      assertThat(succeeded.get() + refunded.get()).isEqualTo((long) threads * transfersPerThread);
      assertThat(succeeded.get()).isPositive();
      assertThat(system.actors().stream().mapToLong(ActorInfo::traps).sum())
          .as("a share of the credit turns trapped").isPositive();
    }
  }

  public interface Node {
    Mono<Long> ping(Node peer, int depth);
  }

  static final class NodeActor extends Actor implements Node {
    private final Var<Long> pings = newVar("pings", 0L);

    @Override
    public Mono<Long> ping(Node peer, int depth) {
      pings.update(p -> p + 1);
      if (depth == 0) {
        return Mono.just(pings.get());
      }
      return await(peer.ping(self(Node.class), depth - 1)).map(n -> n + 1);
    }
  }

  @Test
  @DisplayName("R13 concurrent call cycles A -> B -> A complete without deadlock")
  void concurrentCallCyclesComplete() {
    try (ActorSystem system = ActorSystem.create()) {
      Node a = system.spawn(Node.class, NodeActor::new);
      Node b = system.spawn(Node.class, NodeActor::new);
      List<Long> results = Flux.range(0, 2_000)
          .flatMap(i -> i % 2 == 0 ? a.ping(b, 10) : b.ping(a, 10), 64)
          .collectList()
          .block();
      assertThat(results).hasSize(2_000).allMatch(r -> r >= 11);
    }
  }

  public interface Ring {
    /**
     * Calls {@code nodes.get(0).hop(nodes, 0, ring, shape, closes)}, keeps that call's future
     * under {@code ring} (in this turn, before the call leaves), and awaits it.
     */
    Mono<Long> begin(List<Ring> nodes, String ring, int shape, boolean closes);

    /**
     * Awaits the next node's hop and answers its value + 1; the last node awaits the future kept
     * under {@code ring} if {@code closes}, else answers 1. Shape 1: the last node awaits that
     * future through {@code defer} and {@code map}; shape 2: the first hop also awaits an echo of
     * {@code nodes}' last node at once ({@code zip}); shape 3: the second hop awaits the next
     * hop through {@code map}; shape 4: the second hop returns a {@code map} of the next hop's
     * future without awaiting it.
     */
    Mono<Long> hop(List<Ring> nodes, int index, String ring, int shape, boolean closes);

    Mono<Long> echo();
  }

  static final ConcurrentHashMap<String, Mono<Long>> RINGS = new ConcurrentHashMap<>();

  static final class RingActor extends Actor implements Ring {
    @Override
    public Mono<Long> begin(List<Ring> nodes, String ring, int shape, boolean closes) {
      Mono<Long> first = nodes.get(0).hop(nodes, 0, ring, shape, closes);
      RINGS.put(ring, first);
      return await(first);
    }

    @Override
    public Mono<Long> hop(List<Ring> nodes, int index, String ring, int shape, boolean closes) {
      if (index == nodes.size() - 1) {
        if (!closes) {
          return Mono.just(1L);
        }
        Mono<Long> first = RINGS.get(ring);
        return shape == 1 ? await(Mono.defer(() -> first).map(v -> v + 1)) : await(first);
      }
      Mono<Long> next = nodes.get(index + 1).hop(nodes, index + 1, ring, shape, closes);
      if (shape == 2 && index == 0) {
        return Mono.zip(await(next), await(nodes.get(nodes.size() - 1).echo()), Long::sum);
      }
      if (shape == 3 && index == 1) {
        return await(next.map(v -> v + 1));
      }
      if (shape == 4 && index == 1) {
        return next.map(v -> v + 1);
      }
      return await(next).map(v -> v + 1);
    }

    @Override
    public Mono<Long> echo() {
      return Mono.just(0L);
    }
  }

  @Test
  @DisplayName("R13 concurrent rings of 3 to 5 calls, some closed into cycles (direct, wrapped,"
      + " through one branch of a zip, through another call's map, through a map a method returns"
      + " unawaited), fail as deadlocks and the others complete")
  void concurrentCallRingsFailAsDeadlocksOrComplete() {
    RINGS.clear();
    Random random = new Random(1913);
    try (ActorSystem system = ActorSystem.create()) {
      List<Ring> actors = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        actors.add(system.spawn(Ring.class, RingActor::new));
      }
      int rings = 400;
      List<List<Ring>> nodes = new ArrayList<>();
      List<Integer> shapes = new ArrayList<>();
      List<Boolean> closed = new ArrayList<>();
      for (int r = 0; r < rings; r++) {
        List<Ring> ring = new ArrayList<>();
        for (int k = 0, size = 3 + random.nextInt(3); k < size; k++) {
          ring.add(actors.get(random.nextInt(actors.size())));
        }
        nodes.add(List.copyOf(ring));
        shapes.add(random.nextInt(5));
        closed.add(random.nextBoolean());
      }
      List<String> outcomes = Flux.range(0, rings)
          .flatMap(r -> actors.get(r % actors.size())
              .begin(nodes.get(r), "ring-" + r, shapes.get(r), closed.get(r))
              .map(v -> r + " answered " + v)
              .onErrorResume(e -> Mono.just(r + " failed: " + e.getMessage())), 64)
          .collectList()
          .block(Duration.ofSeconds(60));
      assertThat(outcomes).hasSize(rings);
      for (String outcome : outcomes) {
        int r = Integer.parseInt(outcome.substring(0, outcome.indexOf(' ')));
        if (closed.get(r)) {
          assertThat(outcome).as("ring %d, shape %d", r, shapes.get(r))
              .contains("failed").contains("would deadlock (rule R13)");
        } else {
          assertThat(outcome).as("ring %d, shape %d", r, shapes.get(r))
              .isEqualTo(r + " answered " + (nodes.get(r).size() - (shapes.get(r) == 2 ? 1 : 0)));
        }
      }
    }
  }

  public interface Closer {
    /**
     * Awaits {@code gate}, then, in its continuation, the future kept under {@code key}: the call
     * of another closer that awaits this call's own future.
     */
    Mono<Long> closeOn(Mono<Void> gate, String key);
  }

  static final ConcurrentHashMap<String, Mono<Long>> CLOSERS = new ConcurrentHashMap<>();

  static final class CloserActor extends Actor implements Closer {
    @Override
    public Mono<Long> closeOn(Mono<Void> gate, String key) {
      return await(gate).then(Mono.defer(() -> await(CLOSERS.get(key))));
    }
  }

  @Test
  @DisplayName("R13 pairs of calls that close a cycle by awaiting each other's future on two"
      + " threads at once: every pair fails as a deadlock, none is left waiting")
  void cyclesClosedOnTwoThreadsAtOnceFailAsDeadlocks() {
    CLOSERS.clear();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(4)
        .build())) {
      List<Closer> closers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        closers.add(system.spawn(Closer.class, CloserActor::new));
      }
      int rounds = 40;
      int pairs = 500;
      for (int r = 0; r < rounds; r++) {
        // one gate per round: its signal queues the continuations of both sides of every pair at
        // once, and each side's continuation awaits the other side's future on its own thread
        reactor.core.publisher.Sinks.Empty<Void> gate = reactor.core.publisher.Sinks.empty();
        List<Mono<String>> outcomes = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
          String x = r + "-" + p + "-x";
          String y = r + "-" + p + "-y";
          Mono<Long> fx = closers.get(p % 2).closeOn(gate.asMono(), y);
          Mono<Long> fy = closers.get(2 + p % 2).closeOn(gate.asMono(), x);
          CLOSERS.put(x, fx);
          CLOSERS.put(y, fy);
          outcomes.add(fx.map(v -> x + " answered").onErrorResume(e -> Mono.just(e.getMessage())));
          outcomes.add(fy.map(v -> y + " answered").onErrorResume(e -> Mono.just(e.getMessage())));
        }
        gate.tryEmitEmpty();
        List<String> ends = Flux.merge(outcomes).collectList().block(Duration.ofSeconds(30));
        assertThat(ends).as("round %d", r).hasSize(2 * pairs)
            .allSatisfy(e -> assertThat(e).contains("would deadlock (rule R13)"));
      }
      CLOSERS.clear();
    }
  }

  public interface Returner {
    /**
     * Once the other call of its pair has reached {@code barrier} too (or after 100 ms), shape 0:
     * returns the future kept under {@code key} as is, unawaited; shape 1: awaits it; shape 2:
     * returns a {@code map} of it, unawaited.
     */
    Mono<Long> closeOn(String key, int shape, AtomicInteger barrier);
  }

  static final class ReturnerActor extends Actor implements Returner {
    @Override
    public Mono<Long> closeOn(String key, int shape, AtomicInteger barrier) {
      // both calls of a pair check the cycle at about the same instant, on their own threads
      barrier.incrementAndGet();
      long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      while (barrier.get() < 2 && System.nanoTime() < giveUp) {
        Thread.onSpinWait();
      }
      Mono<Long> other = CLOSERS.get(key);
      return switch (shape) {
        case 0 -> other;
        case 1 -> await(other);
        default -> other.map(v -> v + 1);
      };
    }
  }

  public interface Pairer {
    /**
     * Sends, in this one turn, {@code pairs} pairs of calls that each wait for the other's future:
     * {@code x.closeOn(y, p % 3)} and {@code y.closeOn(x, 0)}, kept under {@code round-p-x} and
     * {@code round-p-y} before the commit hands them over.
     */
    Mono<Void> sendPairs(Returner x, Returner y, String round, int pairs);
  }

  static final class PairerActor extends Actor implements Pairer {
    @Override
    public Mono<Void> sendPairs(Returner x, Returner y, String round, int pairs) {
      for (int p = 0; p < pairs; p++) {
        String kx = round + "-" + p + "-x";
        String ky = round + "-" + p + "-y";
        AtomicInteger barrier = new AtomicInteger();
        CLOSERS.put(kx, x.closeOn(ky, p % 3, barrier));
        CLOSERS.put(ky, y.closeOn(kx, 0, barrier));
      }
      return done();
    }
  }

  @Test
  @DisplayName("R13 pairs of calls, one returning the other's future as is, unawaited, the other"
      + " returning it too, awaiting it or returning a map of it, started on two threads at once:"
      + " every pair fails as a deadlock, none is left waiting")
  void cyclesClosedByReturnedFuturesOnTwoThreadsAtOnceFailAsDeadlocks() {
    CLOSERS.clear();
    // a shared queue: whichever thread is free runs the next actor, so the two actors of a pair
    // never wait behind each other on one thread
    Scheduler threads = Schedulers.fromExecutorService(
        java.util.concurrent.Executors.newFixedThreadPool(4), "pairs");
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(threads)
        .build())) {
      Returner x = system.spawn(Returner.class, ReturnerActor::new);
      Returner y = system.spawn(Returner.class, ReturnerActor::new);
      Pairer pairer = system.spawn(Pairer.class, PairerActor::new);
      int rounds = 20;
      int pairs = 300;
      for (int r = 0; r < rounds; r++) {
        // one turn sends every pair: its commit hands the x calls and the y calls to two actors,
        // which run them in order on their own threads, each pair's two calls at once
        pairer.sendPairs(x, y, "r" + r, pairs).block(Duration.ofSeconds(30));
        List<Mono<String>> outcomes = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
          for (String key : List.of("r" + r + "-" + p + "-x", "r" + r + "-" + p + "-y")) {
            outcomes.add(CLOSERS.get(key).map(v -> key + " answered")
                .onErrorResume(e -> Mono.just(e.getMessage())));
          }
        }
        List<String> ends = Flux.merge(outcomes).collectList().block(Duration.ofSeconds(30));
        assertThat(ends).as("round %d", r).hasSize(2 * pairs)
            .allSatisfy(e -> assertThat(e).contains("would deadlock (rule R13)"));
      }
      CLOSERS.clear();
    } finally {
      threads.dispose();
    }
  }

  public interface Relay {
    /** The last relay counts and returns the count; the others await the next and return it. */
    Mono<Long> relay();

    @Query
    Mono<Long> hits();
  }

  static final class RelayActor extends Actor implements Relay {
    private final Relay next;
    private final Var<Long> hits = newVar("hits", 0L);

    RelayActor(Relay next) {
      this.next = next;
    }

    @Override
    public Mono<Long> relay() {
      hits.update(h -> h + 1);
      if (next == null) {
        return Mono.just(hits.get());
      }
      return await(next.relay());
    }

    @Override
    public Mono<Long> hits() {
      return Mono.just(hits.get());
    }
  }

  public interface Driver {
    /** Makes {@code rounds} requests to the chain, one after the other; returns their sum. */
    Mono<Long> drive(int rounds);
  }

  static final class DriverActor extends Actor implements Driver {
    private final Relay head;
    private final Var<Long> sum = newVar("sum", 0L);

    DriverActor(Relay head) {
      this.head = head;
    }

    @Override
    public Mono<Long> drive(int rounds) {
      return Flux.range(0, rounds)
          .concatMap(i -> await(head.relay()).doOnNext(v -> sum.update(s -> s + v)))
          .then(Mono.fromSupplier(sum::get));
    }
  }

  @Test
  @DisplayName("R13 R2 4 drivers x 5,000 awaited chains of 3 actors: every reply and count exact"
      + " over far more turns than a pool thread runs with one turn context")
  void awaitedChainsOverManyTurnContexts() {
    // ~200,000 turns on the pool's threads: each thread takes a new turn context every 4,096
    // turns (TurnContext.TURNS_PER_CONTEXT), so turns, awaits and continuations run on dozens
    try (ActorSystem system = ActorSystem.create()) {
      Relay last = system.spawn(Relay.class, () -> new RelayActor(null));
      Relay middle = system.spawn(Relay.class, () -> new RelayActor(last));
      Relay head = system.spawn(Relay.class, () -> new RelayActor(middle));
      int drivers = 4;
      int rounds = 5_000;
      List<Long> sums = Flux.range(0, drivers)
          .map(i -> system.spawn(Driver.class, () -> new DriverActor(head)))
          .flatMap(d -> d.drive(rounds))
          .collectList()
          .block();
      long calls = (long) drivers * rounds;
      // the last relay answered 1, 2, ..., calls once each, whatever the interleaving
      assertThat(sums).hasSize(drivers);
      assertThat(sums.stream().mapToLong(Long::longValue).sum()).isEqualTo(calls * (calls + 1) / 2);
      for (Relay r : List.of(head, middle, last)) {
        assertThat(r.hits().block()).isEqualTo(calls);
      }
    }
  }

  @Test
  @DisplayName("R12a a call to an unknown actor under load is rejected with code 3, never lost")
  void unknownActorsUnderLoad() {
    try (ActorSystem system = ActorSystem.create()) {
      Counter ghost = system.lookup(Counter.class, ActorId.of("ghost"));
      long rejected = Flux.range(0, 10_000)
          .flatMap(i -> ghost.inc().thenReturn(0).onErrorResume(CallError.class,
              e -> Mono.just(e.code() == RejectCode.DESTINATION_INVALID ? 1 : 0)))
          .reduce(0L, (acc, r) -> acc + r)
          .block();
      assertThat(rejected).isEqualTo(10_000L);
    }
  }

  public interface Bank {
    /**
     * Attaches {@code amount} cycles to a call of {@code to.receive(mode)} (a oneway {@code gift}
     * for mode {@link BankActor#GIFT}), bounded by a wait of {@code patienceNanos} unless 0, and
     * awaits it; with {@code trapAfter} the turn traps after sending, which revokes the send.
     */
    Mono<String> pay(Bank to, long amount, int mode, long patienceNanos, boolean trapAfter);

    Mono<Long> receive(int mode);

    void gift(int mode);
  }

  /** Receives cycles in eight ways: accepts all, some or none, then commits, rejects or traps. */
  static final class BankActor extends Actor implements Bank {
    static final int MODES = 8;
    static final int GIFT = MODES;
    private final Scheduler clock;

    BankActor(Scheduler clock) {
      this.clock = clock;
    }

    @Override
    public Mono<String> pay(Bank to, long amount, int mode, long patienceNanos, boolean trapAfter) {
      if (cyclesBalance() < amount) {
        return Mono.just("short");
      }
      CallOptions options = CallOptions.cycles(amount);
      if (patienceNanos > 0) {
        options = options.withTimeout(Duration.ofNanos(patienceNanos));
      }
      Bank paying = options.on(to);
      if (mode == GIFT) {
        paying.gift((int) (amount % MODES));
        return trapAfter ? trap("after a gift") : Mono.just("gift");
      }
      Mono<Long> reply = paying.receive(mode);
      if (trapAfter) {
        return trap("after sending"); // revokes the call: its cycles stay here
      }
      return await(reply).map(accepted -> "accepted")
          .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code()));
    }

    @Override
    public Mono<Long> receive(int mode) {
      long available = cyclesAvailable();
      switch (mode) {
        case 0:
          return Mono.just(acceptCycles(available));
        case 1:
          return Mono.just(acceptCycles(available / 2));
        case 2:
          return Mono.just(0L);
        case 3:
          acceptCycles(available);
          return trap("took them all, then trapped"); // gives them all back
        case 4:
          acceptCycles(available / 3);
          return reject("took a third, then rejected"); // a reject commits: the third stays
        case 5:
          // commits at the await, accepts the rest in the continuation: often after the timeout
          return await(Mono.delay(Duration.ofNanos(20_000), clock))
              .map(t -> acceptCycles(cyclesAvailable()));
        case 6:
          acceptCycles(available / 2); // committed at the await
          return await(Mono.delay(Duration.ofNanos(20_000), clock)).map(t -> {
            acceptCycles(cyclesAvailable());
            return trap("took the rest after the await, then trapped"); // the rest goes back
          });
        default:
          // passes half on to itself, with cycles of its own, and keeps what comes back
          acceptCycles(available);
          return await(CallOptions.cycles(available / 2).on(self(Bank.class)).receive(1))
              .map(accepted -> accepted + cyclesRefunded());
      }
    }

    @Override
    public void gift(int mode) {
      long available = cyclesAvailable();
      acceptCycles(mode % 2 == 0 ? available : available / 2);
      if (mode % 3 == 0) {
        trap("a gift refused");
      }
    }
  }

  /**
   * Runs {@code payments} seeded random payments between {@code banks} from {@code threads}
   * threads, as {@code window} calls in flight per thread, and returns the outcome of each.
   */
  private static Map<String, Long> randomPayments(ActorSystem system, List<Bank> banks, int threads,
      int payments, int window, long seed, AtomicLong toppedUp, boolean bounded) throws Exception {
    Map<String, Long> outcomes = new ConcurrentHashMap<>();
    TestThreads.runAll(threads, t -> {
      Random random = new Random(seed * 31 + t);
      List<Mono<String>> inFlight = new ArrayList<>();
      for (int i = 0; i < payments; i++) {
        Bank from = banks.get(random.nextInt(banks.size()));
        Bank to = banks.get(random.nextInt(banks.size()));
        int mode = random.nextInt(BankActor.MODES + 1);
        long patience = bounded && random.nextInt(3) == 0 ? 1 + random.nextInt(40_000) : 0;
        boolean trapAfter = random.nextInt(8) == 0;
        inFlight.add(from.pay(to, 1 + random.nextInt(5_000), mode, patience, trapAfter)
            .onErrorResume(CallError.class, e -> Mono.just("pay code " + e.code().code())));
        if (random.nextInt(64) == 0) {
          long cycles = random.nextInt(1_000);
          system.topUp(ActorRefs.idOf(banks.get(random.nextInt(banks.size()))), cycles);
          toppedUp.addAndGet(cycles);
        }
        if (inFlight.size() == window) {
          Flux.merge(inFlight).doOnNext(o -> outcomes.merge(o, 1L, Long::sum)).blockLast();
          inFlight.clear();
        }
      }
      Flux.merge(inFlight).doOnNext(o -> outcomes.merge(o, 1L, Long::sum)).blockLast();
    });
    return outcomes;
  }

  private static long totalCycles(ActorSystem system, List<Bank> banks) {
    return banks.stream().mapToLong(b -> system.cyclesBalance(ActorRefs.idOf(b))).sum();
  }

  @Test
  @DisplayName("R22 R3 12 threads of random payments between 16 actors, accepted, refunded,"
      + " rejected, trapped, revoked and timed out, conserve every cycle; every call answered once")
  void cyclesAreConservedUnderContention() throws Exception {
    int bankCount = 16;
    long initial = 1_000_000;
    List<Bank> banks = new ArrayList<>();
    AtomicLong toppedUp = new AtomicLong();
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().initialBalance(initial)
        .build());
    Map<String, Long> outcomes;
    try {
      for (int i = 0; i < bankCount; i++) {
        banks.add(system.spawn(Bank.class, () -> new BankActor(Schedulers.parallel())));
      }
      int threads = 12;
      int payments = 1_500;
      outcomes = randomPayments(system, banks, threads, payments, 48, 7, toppedUp, true);
      assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum())
          .as("one outcome per payment: %s", outcomes).isEqualTo((long) threads * payments);
      assertThat(outcomes).as("no payment failed itself").doesNotContainKeys("pay code 1",
          "pay code 2", "pay code 3", "pay code 6");
      assertThat(outcomes.get("code 6")).as("some bounded waits ran out: %s", outcomes)
          .isPositive();
    } finally {
      // waits for the calls still running after their callers timed out: their cycles come back
      // when they end, or when the shutdown answers them
      system.close();
    }
    assertThat(totalCycles(system, banks)).as("outcomes %s", outcomes)
        .isEqualTo(bankCount * initial + toppedUp.get());
  }

  @Test
  @DisplayName("R22 R3 on 30 seeded interleavings with random run delays, timeouts race replies and"
      + " late replies refund: every cycle is conserved and every call answered once")
  void cyclesAreConservedOverSeededInterleavings() throws Exception {
    Map<String, Long> all = new ConcurrentHashMap<>();
    for (long seed = 0; seed < 30; seed++) {
      DeterministicScheduler scheduler =
          DeterministicScheduler.withRunDelays(seed, Duration.ofNanos(30_000));
      int bankCount = 6;
      long initial = 100_000;
      ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
          .initialBalance(initial).build());
      List<Bank> banks = new ArrayList<>();
      for (int i = 0; i < bankCount; i++) {
        banks.add(system.spawn(Bank.class, () -> new BankActor(scheduler)));
      }
      Random random = new Random(seed);
      List<Mono<String>> calls = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        Bank from = banks.get(random.nextInt(bankCount));
        Bank to = banks.get(random.nextInt(bankCount));
        long patience = random.nextInt(2) == 0 ? 1 + random.nextInt(60_000) : 0;
        calls.add(from.pay(to, 1 + random.nextInt(3_000), random.nextInt(BankActor.MODES + 1),
            patience, random.nextInt(8) == 0)
            .onErrorResume(CallError.class, e -> Mono.just("pay code " + e.code().code())));
      }
      Map<String, Long> outcomes = new ConcurrentHashMap<>();
      Flux.merge(calls).subscribe(o -> outcomes.merge(o, 1L, Long::sum));
      scheduler.advanceTimeBy(Duration.ofSeconds(1)); // everything ran, late replies included
      assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum())
          .as("seed %d: one outcome per payment: %s", seed, outcomes).isEqualTo(300L);
      assertThat(totalCycles(system, banks)).as("seed %d: %s", seed, outcomes)
          .isEqualTo(bankCount * initial);
      assertThat(system.actors()).as("seed %d: nothing left suspended", seed)
          .allSatisfy(info -> assertThat(info.suspendedCalls()).isZero());
      outcomes.forEach((o, n) -> all.merge(o, n, Long::sum));
      system.close();
    }
    assertThat(all).as("timeouts, traps, rejects and acceptances all happened: %s", all)
        .containsKeys("accepted", "gift", "code 4", "code 5", "code 6", "pay code 5");
  }

  public interface Ledger {
    /** Records message {@code seq} of {@code sender}: each sender's numbers must come in order. */
    Mono<Long> note(String sender, long seq);

    /** The same, as a oneway. */
    void post(String sender, long seq);

    /** Messages received, and those that came out of their sender's order. */
    @Query
    Mono<List<Long>> report();
  }

  static final class LedgerActor extends Actor implements Ledger {
    private final TxMap<String, Long> last = newMap("last");
    private final LongVar received = newLongVar("received", 0);
    private final LongVar outOfOrder = newLongVar("outOfOrder", 0);

    @Override
    public Mono<Long> note(String sender, long seq) {
      received.add(1);
      if (last.getOrDefault(sender, -1L) >= seq) {
        outOfOrder.add(1);
      }
      last.put(sender, seq);
      return Mono.just(seq);
    }

    @Override
    public void post(String sender, long seq) {
      note(sender, seq);
    }

    @Override
    public Mono<List<Long>> report() {
      return Mono.just(List.of(received.get(), outOfOrder.get()));
    }
  }

  public interface Pump {
    /**
     * Sends numbered messages to {@code ledger} over {@code rounds} turns, each ending at an await
     * (of a constant, of a call to itself, or of a message's reply) after a oneway to itself; the
     * continuation checks that this oneway ran first (R13: a continuation queues behind the
     * messages its turn sent). Returns the number of messages sent to the ledger.
     */
    Mono<Long> pump(Ledger ledger, int rounds);

    void mark(long round);

    Mono<Long> tick();

    /** Continuations that ran before the oneway their turn had sent to the actor itself. */
    @Query
    Mono<Long> overtaken();
  }

  static final class PumpActor extends Actor implements Pump {
    private final LongVar seq = newLongVar("seq", 0);
    private final LongVar marked = newLongVar("marked", -1);
    private final LongVar overtaken = newLongVar("overtaken", 0);

    @Override
    public Mono<Long> pump(Ledger ledger, int rounds) {
      return round(ledger, 0, rounds);
    }

    private Mono<Long> round(Ledger ledger, int round, int rounds) {
      String name = actorId().value();
      if (round == rounds) {
        // its reply follows every earlier message of this actor to the ledger (R4)
        return await(ledger.note(name, seq.add(1) - 1)).map(x -> seq.get());
      }
      for (int i = 0, n = 1 + round % 4; i < n; i++) {
        long next = seq.add(1) - 1;
        if (i % 2 == 0) {
          ledger.note(name, next);
        } else {
          ledger.post(name, next);
        }
      }
      self(Pump.class).mark(round);
      Mono<?> awaited;
      switch (round % 3) {
        case 0:
          awaited = Mono.just(round);
          break;
        case 1:
          awaited = self(Pump.class).tick();
          break;
        default:
          awaited = ledger.note(name, seq.add(1) - 1);
          break;
      }
      return await(awaited).then(Mono.defer(() -> {
        if (marked.get() < round) {
          overtaken.add(1);
        }
        return round(ledger, round + 1, rounds);
      }));
    }

    @Override
    public void mark(long round) {
      marked.set(round);
    }

    @Override
    public Mono<Long> tick() {
      return Mono.just(seq.get());
    }

    @Override
    public Mono<Long> overtaken() {
      return Mono.just(overtaken.get());
    }
  }

  @Test
  @DisplayName("R4 R13 one receiver, 12 ingress threads and 8 actors sending across turns: each"
      + " sender's messages arrive in its order, and every continuation follows its turn's"
      + " self-send")
  void perPairOrderUnderContention() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      Ledger ledger = system.spawn(Ledger.class, LedgerActor::new);
      List<Pump> pumps = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        pumps.add(system.spawn(Pump.class, PumpActor::new));
      }
      int rounds = 600;
      List<Mono<Long>> pumping = new ArrayList<>();
      for (Pump p : pumps) {
        pumping.add(p.pump(ledger, rounds));
      }
      int threads = 12;
      int perThread = 5_000;
      TestThreads.runAll(threads, t -> {
        Random random = new Random(t);
        String name = "thread-" + t;
        // each thread also goes through references of its own, with other options
        Ledger bounded = CallOptions.timeout(Duration.ofMinutes(5)).on(ledger);
        Ledger named = ActorRefs.withIngressCaller(ledger, Caller.principal(name));
        Mono<Long> last = Mono.empty();
        for (long seq = 0; seq < perThread; seq++) {
          switch (random.nextInt(4)) {
            case 0:
              last = ledger.note(name, seq);
              break;
            case 1:
              bounded.post(name, seq);
              break;
            case 2:
              last = named.note(name, seq);
              break;
            default:
              ledger.post(name, seq);
              break;
          }
        }
        ledger.note(name, perThread).block(); // FIFO: every earlier message of the thread ran
      });
      long pumped = Flux.merge(pumping).reduce(0L, Long::sum).block(Duration.ofSeconds(60));
      List<Long> report = ledger.report().block();
      assertThat(report.get(1)).as("messages out of their sender's order").isZero();
      assertThat(report.get(0)).isEqualTo((long) threads * (perThread + 1) + pumped);
      for (Pump p : pumps) {
        assertThat(p.overtaken().block()).as("continuations ahead of their self-send").isZero();
      }
    }
  }

  public interface Spawner {
    /** Creates a counter as an effect of its turn: the new actor's id, or the code of a refusal. */
    Mono<String> spawnChild();
  }

  static final ActorClass<Counter, Integer> COUNTERS =
      ActorClass.of(Counter.class, n -> new CounterActor());

  static final class SpawnerActor extends Actor implements Spawner {
    @Override
    public Mono<String> spawnChild() {
      return await(spawn(COUNTERS, 0)).map(c -> ActorRefs.idOf(c).value())
          .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code()));
    }
  }

  @Test
  @DisplayName("R12a R20 12 threads creating actors six ways at once (spawns with generated and"
      + " chosen ids, spawnIfAbsent, actor classes from outside and inside turns, virtual"
      + " activations) fill the system to exactly maxActors; every refusal is code 2")
  void spawnsRacingMaxActorsStopExactlyAtTheLimit() throws Exception {
    for (int round = 0; round < 5; round++) {
      int limit = 150;
      try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().maxActors(limit)
          .build())) {
        system.registerVirtual(Counter.class, id -> new CounterActor());
        List<Spawner> spawners = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          spawners.add(system.spawn(Spawner.class, SpawnerActor::new));
        }
        Set<ActorId> created = ConcurrentHashMap.newKeySet();
        AtomicLong refused = new AtomicLong();
        int r = round;
        TestThreads.runAll(12, t -> {
          Random random = new Random(r * 1000L + t);
          for (int i = 0; i < 40; i++) {
            try {
              switch (random.nextInt(6)) {
                case 0:
                  created.add(ActorRefs.idOf(system.spawn(Counter.class, CounterActor::new)));
                  break;
                case 1:
                  created.add(ActorRefs.idOf(system.spawn(Counter.class,
                      ActorId.of("chosen-" + t + "-" + i), CounterActor::new)));
                  break;
                case 2:
                  created.add(ActorRefs.idOf(system.spawnIfAbsent(Counter.class,
                      ActorId.of("shared-" + random.nextInt(30)), CounterActor::new)));
                  break;
                case 3:
                  created.add(ActorRefs.idOf(system.spawn(COUNTERS, 0).block()));
                  break;
                case 4:
                  ActorId virtual = ActorId.of("virtual-" + random.nextInt(60));
                  system.lookup(Counter.class, virtual).inc().block();
                  created.add(virtual);
                  break;
                default:
                  String child = spawners.get(random.nextInt(spawners.size())).spawnChild().block();
                  if (child.startsWith("code ")) {
                    assertThat(child).isEqualTo("code 2");
                    refused.incrementAndGet();
                  } else {
                    created.add(ActorId.of(child));
                  }
                  break;
              }
            } catch (CallError e) {
              assertThat(e.code()).as("%s", e).isEqualTo(RejectCode.SYS_TRANSIENT);
              refused.incrementAndGet();
            }
          }
        });
        Set<ActorId> all = new HashSet<>(system.actorIds());
        assertThat(all).as("round %d", round).hasSize(limit);
        spawners.forEach(sp -> all.remove(ActorRefs.idOf(sp)));
        assertThat(created).as("round %d: every actor was reported created, and no other", round)
            .isEqualTo(all);
        assertThat(refused.get()).as("round %d", round).isPositive();
      }
    }
  }

  public interface Tally {
    /** Counts one and answers the count. */
    Mono<Long> bump();

    /**
     * Awaits {@code tally.bump()} for at most {@code nanos} (then answers -1): the timeout cancels
     * the await from the timer's thread as the reply comes.
     */
    Mono<Long> ask(Tally tally, long nanos);

    @Query
    Mono<Long> count();
  }

  static final class TallyActor extends Actor implements Tally {
    private final LongVar count = newLongVar("count", 0);

    @Override
    public Mono<Long> bump() {
      return Mono.just(count.add(1));
    }

    @Override
    public Mono<Long> ask(Tally tally, long nanos) {
      return await(tally.bump()).timeout(Duration.ofNanos(nanos), Mono.just(-1L));
    }

    @Override
    public Mono<Long> count() {
      return Mono.just(count.get());
    }
  }

  /** Counts the signals one subscriber gets. */
  private static final class Counting extends BaseSubscriber<Long> {
    final AtomicLong values = new AtomicLong();
    final AtomicLong terminals = new AtomicLong();
    volatile long value;
    private final CountDownLatch done;

    Counting(CountDownLatch done) {
      this.done = done;
    }

    @Override
    protected void hookOnNext(Long v) {
      value = v;
      values.incrementAndGet();
    }

    @Override
    protected void hookOnComplete() {
      terminals.incrementAndGet();
      done.countDown();
    }

    @Override
    protected void hookOnError(Throwable e) {
      terminals.incrementAndGet();
      done.countDown();
    }
  }

  @Test
  @DisplayName("R3 12 threads subscribe to and cancel call futures as their replies arrive: a"
      + " subscriber kept gets the reply once, a cancelled one at most that reply, nothing else")
  void subscribersCancelledAsRepliesArrive() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      List<Tally> tallies = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        tallies.add(system.spawn(Tally.class, TallyActor::new));
      }
      int threads = 12;
      int calls = 2_000;
      CountDownLatch kept = new CountDownLatch(threads * calls);
      List<Map.Entry<Mono<Long>, Counting[]>> all =
          Collections.synchronizedList(new ArrayList<>());
      TestThreads.runAll(threads, t -> {
        Random random = new Random(t);
        for (int i = 0; i < calls; i++) {
          Mono<Long> f = tallies.get(random.nextInt(tallies.size())).bump();
          Counting keep = new Counting(kept);
          Counting early = new Counting(new CountDownLatch(1));
          Counting late = new Counting(new CountDownLatch(1));
          f.subscribe(early);
          early.dispose(); // at once: most often before the reply
          f.subscribe(keep);
          f.subscribe(late);
          for (int spin = random.nextInt(2_000); spin > 0; spin--) {
            Thread.onSpinWait();
          }
          late.dispose(); // as the reply may be arriving
          all.add(Map.entry(f, new Counting[] {keep, early, late}));
        }
      });
      assertThat(kept.await(60, TimeUnit.SECONDS)).isTrue();
      for (Map.Entry<Mono<Long>, Counting[]> call : all) {
        Counting[] c = call.getValue();
        long reply = call.getKey().block();
        assertThat(c[0].values.get()).isEqualTo(1);
        assertThat(c[0].terminals.get()).isEqualTo(1);
        assertThat(c[0].value).isEqualTo(reply);
        for (Counting cancelled : List.of(c[1], c[2])) {
          assertThat(cancelled.values.get()).isLessThanOrEqualTo(1);
          assertThat(cancelled.terminals.get()).isLessThanOrEqualTo(1);
          if (cancelled.values.get() == 1) {
            assertThat(cancelled.value).isEqualTo(reply);
          }
        }
      }
      long total = 0;
      for (Tally tally : tallies) {
        total += tally.count().block();
      }
      assertThat(total).as("every call ran once").isEqualTo((long) threads * calls);
    }
  }

  @Test
  @DisplayName("R3 R13 12 threads of calls whose await times out as the reply arrives: each call"
      + " answers once, with the reply or the fallback, and each awaited call ran once")
  void awaitsTimingOutAsRepliesArrive() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      List<Tally> tallies = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        tallies.add(system.spawn(Tally.class, TallyActor::new));
      }
      int threads = 12;
      int calls = 1_500;
      AtomicLong replies = new AtomicLong();
      AtomicLong fallbacks = new AtomicLong();
      TestThreads.runAll(threads, t -> {
        Random random = new Random(t);
        List<Mono<Long>> window = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
          Tally asker = tallies.get(random.nextInt(tallies.size()));
          Tally asked = tallies.get(random.nextInt(tallies.size()));
          window.add(asker.ask(asked, 1 + random.nextInt(100_000)));
          if (window.size() == 64 || i == calls - 1) {
            for (Long answer : Flux.merge(window).collectList().block()) {
              (answer == -1L ? fallbacks : replies).incrementAndGet();
            }
            window.clear();
          }
        }
      });
      assertThat(replies.get() + fallbacks.get()).isEqualTo((long) threads * calls);
      // a bump's reply may come after its asker gave up, but every bump runs once; one more
      // bump each, answered after the turns that answered the asks, shows none left suspended
      long bumps = 0;
      for (Tally tally : tallies) {
        bumps += tally.bump().block() - 1;
      }
      assertThat(bumps).isEqualTo((long) threads * calls);
      assertThat(system.actors()).allSatisfy(info -> assertThat(info.suspendedCalls()).isZero());
    }
  }

  public interface Gauge {
    /** Counts one, and the deepest mailbox its turns have seen behind them. */
    Mono<Void> hit();

    /** Sends {@code n} hits to {@code gauge} in one turn; answers how many got in. */
    Mono<Long> flood(Gauge gauge, int n);

    @Query
    Mono<List<Long>> seen();
  }

  @MailboxCapacity(32)
  static final class GaugeActor extends Actor implements Gauge {
    private final ActorSystem system;
    private final LongVar hits = newLongVar("hits", 0);
    private final LongVar deepest = newLongVar("deepest", 0);

    GaugeActor(ActorSystem system) {
      this.system = system;
    }

    @Override
    public Mono<Void> hit() {
      hits.add(1);
      deepest.set(Math.max(deepest.get(), system.mailboxDepth(actorId())));
      return done();
    }

    @Override
    public Mono<Long> flood(Gauge gauge, int n) {
      List<Mono<Long>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sent.add(gauge.hit().thenReturn(1L).onErrorResume(CallError.class,
            e -> e.code() == RejectCode.SYS_TRANSIENT ? Mono.just(0L) : Mono.error(e)));
      }
      return await(Flux.merge(sent).reduce(0L, Long::sum));
    }

    @Override
    public Mono<List<Long>> seen() {
      return Mono.just(List.of(hits.get(), deepest.get()));
    }
  }

  @Test
  @DisplayName("R12a a mailbox of 32 flooded by 12 threads and 4 actors never holds more than 32"
      + " waiting calls, and every call either ran once or was refused with code 2")
  void boundedMailboxNeverPassesItsCapacity() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      Gauge gauge = system.spawn(Gauge.class, () -> new GaugeActor(system));
      List<Gauge> flooders = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        flooders.add(system.spawn(Gauge.class, () -> new GaugeActor(system)));
      }
      AtomicLong accepted = new AtomicLong();
      AtomicLong sent = new AtomicLong();
      TestThreads.runAll(12, t -> {
        Random random = new Random(t);
        for (int round = 0; round < 40; round++) {
          List<Mono<Long>> window = new ArrayList<>();
          if (t < flooders.size()) {
            int n = 50 + random.nextInt(100);
            window.add(flooders.get(t).flood(gauge, n));
            sent.addAndGet(n);
          }
          for (int i = 0, n = 20 + random.nextInt(60); i < n; i++) {
            window.add(gauge.hit().thenReturn(1L).onErrorResume(CallError.class,
                e -> e.code() == RejectCode.SYS_TRANSIENT ? Mono.just(0L) : Mono.error(e)));
            sent.incrementAndGet();
          }
          accepted.addAndGet(Flux.merge(window).reduce(0L, Long::sum).block());
        }
      });
      List<Long> seen = gauge.seen().block();
      assertThat(seen.get(0)).as("ran: the calls that got in, once each").isEqualTo(accepted.get());
      assertThat(accepted.get()).as("some got in, some were refused")
          .isPositive().isLessThan(sent.get());
      assertThat(seen.get(1)).as("calls seen waiting behind a turn").isLessThanOrEqualTo(32);
      assertThat(system.mailboxDepth(ActorRefs.idOf(gauge))).isZero();
    }
  }
  public interface Recorder {
    void post(boolean continuation);

    Mono<Long> call(long seq);

    /** Oneways received before an await, oneways received after one, and calls. */
    @Query
    Mono<List<Long>> counts();
  }

  static final class RecorderActor extends Actor implements Recorder {
    private final LongVar postsBefore = newLongVar("postsBefore", 0);
    private final LongVar postsAfter = newLongVar("postsAfter", 0);
    private final LongVar calls = newLongVar("calls", 0);

    @Override
    public void post(boolean continuation) {
      (continuation ? postsAfter : postsBefore).add(1);
    }

    @Override
    public Mono<Long> call(long seq) {
      calls.add(1);
      return Mono.just(seq);
    }

    @Override
    public Mono<List<Long>> counts() {
      return Mono.just(List.of(postsBefore.get(), postsAfter.get(), calls.get()));
    }
  }

  /** How a {@link Stepper#step} ends after its await. */
  enum Ending { REPLY, REJECT, TRAP, ERROR_MONO, TRAP_IN_AWAIT_STAR, REJECT_RETHROWN_AS_TRAP }

  public interface Stepper {
    /**
     * Adds 1 and sends a oneway, awaits a call, then adds 1 and sends a oneway again in the
     * continuation, which ends as {@code ending} says.
     */
    Mono<Long> step(Recorder recorder, long seq, Ending ending);

    /** Awaits a call to {@code recorder}, which follows every earlier message sent it (R4). */
    Mono<Long> flush(Recorder recorder);

    @Query
    Mono<Long> steps();
  }

  static final class StepperActor extends Actor implements Stepper {
    private final LongVar steps = newLongVar("steps", 0);

    @Override
    public Mono<Long> step(Recorder recorder, long seq, Ending ending) {
      steps.add(1);
      recorder.post(false);
      return await(recorder.call(seq)).flatMap(echoed -> {
        steps.add(1); // interleaved with the other calls' turns (R9): read and written afresh
        recorder.post(true);
        switch (ending) {
          case REJECT:
            return reject("refused " + echoed);
          case TRAP:
            return trap("trapped " + echoed);
          case ERROR_MONO:
            return Mono.error(new IllegalStateException("failed " + echoed));
          case TRAP_IN_AWAIT_STAR:
            return awaitStar(Computation.of(() -> {
              steps.add(1);
              recorder.post(true);
              return trap("trapped in await* " + echoed);
            }));
          case REJECT_RETHROWN_AS_TRAP:
            return await(Mono.<Long>error(CallError.reject("inner")))
                .onErrorMap(CallError.class, e -> {
                  steps.add(1);
                  recorder.post(true);
                  return new IllegalStateException("rethrown " + e.rejectMessage());
                });
          default:
            return Mono.just(echoed);
        }
      });
    }

    @Override
    public Mono<Long> flush(Recorder recorder) {
      return await(recorder.call(-1));
    }

    @Override
    public Mono<Long> steps() {
      return Mono.just(steps.get());
    }
  }

  @Test
  @DisplayName("R9 R10 R11 R12 R15 8 threads x 3,000 non-atomic calls interleaving on one actor,"
      + " ending in replies, rejects and traps (thrown, returned as a Mono, inside an await*, a"
      + " caught reject rethrown after an await): what each committed at its awaits stays, what a"
      + " trap follows since the last await (writes, oneways) is rolled back, every count exact")
  void nonAtomicCallsInterleaveAndTrapsRollBackOnlyTheirContinuation() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      Recorder recorder = system.spawn(Recorder.class, RecorderActor::new);
      Stepper stepper = system.spawn(Stepper.class, StepperActor::new);
      int threads = 8;
      int perThread = 3_000;
      Ending[] endings = Ending.values();
      Map<Ending, AtomicLong> sent = new ConcurrentHashMap<>();
      Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
      TestThreads.runAll(threads, t -> {
        Random random = new Random(77 + t);
        List<Mono<String>> inFlight = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          Ending ending = endings[random.nextInt(endings.length)];
          sent.computeIfAbsent(ending, e -> new AtomicLong()).incrementAndGet();
          inFlight.add(stepper.step(recorder, i, ending)
              .map(v -> "reply")
              .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code())));
          if (inFlight.size() == 256 || i == perThread - 1) {
            Flux.merge(inFlight).doOnNext(o ->
                outcomes.computeIfAbsent(o, k -> new AtomicLong()).incrementAndGet()).blockLast();
            inFlight.clear();
          }
        }
      });
      long calls = (long) threads * perThread;
      long replies = sent.get(Ending.REPLY).get();
      long rejects = sent.get(Ending.REJECT).get();
      long traps = calls - replies - rejects;
      // the continuations that committed: a reply or a reject commits (R11), and one that awaits
      // before it traps committed at that await (R9), what the trap rolls back comes after it
      long continued = replies + rejects + sent.get(Ending.REJECT_RETHROWN_AS_TRAP).get();
      assertThat(outcomes).containsOnlyKeys("reply", "code 4", "code 5");
      assertThat(outcomes.get("reply")).hasValue(replies);
      assertThat(outcomes.get("code 4")).hasValue(rejects);
      assertThat(outcomes.get("code 5")).hasValue(traps);
      stepper.flush(recorder).block(); // the oneways of the last continuations have run
      assertThat(stepper.steps().block()).isEqualTo(calls + continued);
      assertThat(recorder.counts().block()).containsExactly(calls, continued, calls + 1);
      assertThat(system.actors().stream().mapToLong(ActorInfo::traps).sum()).isEqualTo(traps);
    }
  }

  public interface Gapless {
    /** Records number {@code seq} from {@code sender}; it must be the one after the last. */
    Mono<Long> call(String sender, long seq);

    /** The same, as a oneway. */
    void post(String sender, long seq);

    /** Messages received, and those that were not the next number of their sender. */
    @Query
    Mono<List<Long>> report();

    @Query
    Mono<Map<String, Long>> next();
  }

  static final class GaplessActor extends Actor implements Gapless {
    private final TxMap<String, Long> next = newMap("next");
    private final LongVar received = newLongVar("received", 0);
    private final LongVar anomalies = newLongVar("anomalies", 0);

    @Override
    public Mono<Long> call(String sender, long seq) {
      received.add(1);
      if (next.getOrDefault(sender, 0L) != seq) {
        anomalies.add(1);
      }
      next.put(sender, seq + 1);
      return Mono.just(seq);
    }

    @Override
    public void post(String sender, long seq) {
      call(sender, seq);
    }

    @Override
    public Mono<List<Long>> report() {
      return Mono.just(List.of(received.get(), anomalies.get()));
    }

    @Override
    public Mono<Map<String, Long>> next() {
      return Mono.just(next.snapshot());
    }
  }

  public interface Emitter {
    /**
     * Sends {@code before} numbered messages (calls and oneways), then, if {@code await}, awaits
     * a numbered call and sends {@code after} more in the continuation; traps at the end if asked.
     */
    Mono<Long> emit(Gapless to, int before, boolean await, int after, boolean trap);

    @Query
    Mono<Long> sent();
  }

  static final class EmitterActor extends Actor implements Emitter {
    private final LongVar seq = newLongVar("seq", 0);

    @Override
    public Mono<Long> emit(Gapless to, int before, boolean await, int after, boolean trap) {
      send(to, before);
      if (!await) {
        return trap ? trap("trapped without awaiting") : Mono.just(seq.get());
      }
      return await(to.call(actorId().value(), seq.add(1) - 1)).flatMap(v -> {
        send(to, after);
        return trap ? trap("trapped after an await") : Mono.just(seq.get());
      });
    }

    private void send(Gapless to, int n) {
      String name = actorId().value();
      for (int i = 0; i < n; i++) {
        long next = seq.add(1) - 1; // rolled back with the sends of a turn that traps
        if (i % 2 == 0) {
          to.post(name, next);
        } else {
          to.call(name, next);
        }
      }
    }

    @Override
    public Mono<Long> sent() {
      return Mono.just(seq.get());
    }
  }

  @Test
  @DisplayName("R4 R9 R10 R12 8 threads x 2,000 calls to 4 actors that number their calls and"
      + " oneways to one receiver, a quarter of them trapping, before or after an await: the"
      + " numbering rolls back with the revoked sends, so each sender's messages arrive gapless"
      + " and in order")
  void revokedSendsLeaveEachSendersNumberingGapless() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      Gapless receiver = system.spawn(Gapless.class, GaplessActor::new);
      List<Emitter> emitters = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        emitters.add(system.spawn(Emitter.class, EmitterActor::new));
      }
      AtomicLong trapped = new AtomicLong();
      TestThreads.runAll(8, t -> {
        Random random = new Random(500 + t);
        List<Mono<Long>> inFlight = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
          Emitter emitter = emitters.get(random.nextInt(emitters.size()));
          boolean trap = random.nextInt(4) == 0;
          inFlight.add(emitter.emit(receiver, random.nextInt(4), random.nextBoolean(),
                  random.nextInt(4), trap)
              .onErrorResume(CallError.class, e -> {
                assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
                trapped.incrementAndGet();
                return Mono.just(-1L);
              }));
          if (inFlight.size() == 128) {
            Flux.merge(inFlight).blockLast();
            inFlight.clear();
          }
        }
        Flux.merge(inFlight).blockLast();
      });
      for (Emitter e : emitters) {
        // its awaited call follows every earlier message of that emitter to the receiver (R4)
        e.emit(receiver, 0, true, 0, false).block();
      }
      Map<String, Long> next = receiver.next().block();
      long sent = 0;
      for (Emitter e : emitters) {
        long committed = e.sent().block();
        sent += committed;
        assertThat(next.getOrDefault(ActorRefs.idOf(e).value(), 0L))
            .as("the next number the receiver expects of %s", ActorRefs.idOf(e))
            .isEqualTo(committed);
      }
      assertThat(receiver.report().block()).containsExactly(sent, 0L);
      assertThat(trapped.get()).isPositive();
    }
  }
}

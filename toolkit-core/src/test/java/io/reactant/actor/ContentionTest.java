package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
}

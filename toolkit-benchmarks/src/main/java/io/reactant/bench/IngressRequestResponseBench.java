package io.reactant.bench;

import io.reactant.actor.ActorSystem;
import io.reactant.bench.model.Counters;
import io.reactant.bench.model.Counters.Counter;
import io.reactant.bench.support.Countdown;
import io.reactant.bench.support.HandOffFloor;
import io.reactant.bench.support.Peers;
import io.reactant.bench.support.Propagations;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import scala.concurrent.Future;

/**
 * Workload 1: ingress request-response on one actor. A thread outside any actor bumps a counter
 * and waits for the replies, with 1 or 64 calls outstanding: the {@code _1} rows make one call
 * and wait for its reply; the {@code _64} rows fire 64 calls, then wait for all of them. Scores
 * are calls per second.
 *
 * <p>Rows: Reactant; Pekko typed with the Scala-API {@code ask} (its callback inline); a plain
 * Reactor {@code Mono.fromCallable} over a lock-protected counter, on the caller's thread; the
 * floor, a lock-free hand-off to another thread and back. These four wait with the same
 * {@link Countdown} (spin 20 us, then park). Two more rows show the idiomatic blocking wait of
 * each actor system: Reactant's {@code Mono.block()} and Pekko's {@code Await.result}, one future
 * after the other.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IngressRequestResponseBench {

  @State(Scope.Benchmark)
  public static class ReactantSide {
    ActorSystem system;
    Counter counter;
    final Countdown done = new Countdown();
    @SuppressWarnings({"unchecked", "rawtypes"})
    Mono<Long>[] replies = new Mono[64];

    /**
     * The system's context propagation: {@code none}, or one carrying a thread-local set on the
     * calling thread, plainly or through Micrometer's ContextRegistry, or the latter with no value
     * set on the calling thread ({@code micrometerIdle}; see {@link Propagations}).
     */
    @Param({"none", "threadLocal", "micrometer", "micrometerIdle"})
    String propagation;

    @Setup(Level.Trial)
    public void start() {
      system = Peers.reactant("bench-ingress", Propagations.of(propagation));
      counter = system.spawn(Counter.class, Counters.CounterActor::new);
    }

    @TearDown(Level.Trial)
    public void stop() {
      Peers.close(system);
    }
  }

  @State(Scope.Benchmark)
  public static class PekkoSide {
    /**
     * Pekko's dispatcher throughput: its default, and the value at which its {@code tell} runs
     * fastest here; the summary compares Reactant with the better row (see {@link Peers}).
     */
    @Param({"5", "100"})
    public int dispatcherThroughput;

    org.apache.pekko.actor.typed.ActorSystem<Void> system;
    ActorRef<Counters.Cmd> counter;
    Scheduler scheduler;
    final Countdown done = new Countdown();
    @SuppressWarnings({"unchecked", "rawtypes"})
    Future<Long>[] replies = new Future[64];

    @Setup(Level.Trial)
    public void start() {
      system = Peers.pekko("bench-ingress", dispatcherThroughput);
      counter = Peers.pekkoSpawn(system, Counters.pekkoCounter(), "counter");
      scheduler = system.scheduler();
    }

    @TearDown(Level.Trial)
    public void stop() {
      Peers.terminate(system);
    }
  }

  @State(Scope.Benchmark)
  public static class ReactorSide {
    final ReentrantLock lock = new ReentrantLock();
    final Countdown done = new Countdown();
    long count;

    long bump() {
      lock.lock();
      try {
        return ++count;
      } finally {
        lock.unlock();
      }
    }
  }

  @State(Scope.Benchmark)
  public static class FloorSide {
    HandOffFloor floor;
    final Countdown done = new Countdown();
    long count; // touched by the consumer thread only
    Runnable bump;

    @Setup(Level.Trial)
    public void start() {
      floor = new HandOffFloor("bench-floor");
      bump = () -> {
        count++;
        done.countDown();
      };
    }

    @TearDown(Level.Trial)
    public void stop() {
      floor.close();
    }
  }

  // ---- one call in flight: the caller waits for each reply

  @Benchmark
  public void reactant_1(ReactantSide s) {
    reactant(s, 1);
  }

  @Benchmark
  public void pekkoScalaAsk_1(PekkoSide s) {
    pekkoScalaAsk(s, 1);
  }

  @Benchmark
  public void reactorLocked_1(ReactorSide s) {
    reactorLocked(s, 1);
  }

  @Benchmark
  public void floorHandOff_1(FloorSide s) {
    floorHandOff(s, 1);
  }

  @Benchmark
  public long reactantBlock_1(ReactantSide s) {
    return reactantBlock(s, 1);
  }

  @Benchmark
  public long pekkoScalaAskAwait_1(PekkoSide s) {
    return pekkoScalaAskAwait(s, 1);
  }

  // ---- 64 calls in flight: fire 64, wait for all

  @Benchmark
  @OperationsPerInvocation(64)
  public void reactant_64(ReactantSide s) {
    reactant(s, 64);
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public void pekkoScalaAsk_64(PekkoSide s) {
    pekkoScalaAsk(s, 64);
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public void reactorLocked_64(ReactorSide s) {
    reactorLocked(s, 64);
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public void floorHandOff_64(FloorSide s) {
    floorHandOff(s, 64);
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public long reactantBlock_64(ReactantSide s) {
    return reactantBlock(s, 64);
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public long pekkoScalaAskAwait_64(PekkoSide s) {
    return pekkoScalaAskAwait(s, 64);
  }

  // ---- the rows, for n calls in flight

  private static void reactant(ReactantSide s, int n) {
    Countdown done = s.done.reset(n);
    for (int i = n; i > 0; i--) {
      s.counter.bump().subscribe(done);
    }
    done.await();
  }

  private static void pekkoScalaAsk(PekkoSide s, int n) {
    Countdown done = s.done.reset(n);
    for (int i = n; i > 0; i--) {
      Future<Long> reply = Peers.ask(s.counter, Counters.Bump::new, s.scheduler);
      reply.onComplete(done.scalaCallback(), Peers.inline());
    }
    done.await();
  }

  private static void reactorLocked(ReactorSide s, int n) {
    Countdown done = s.done.reset(n);
    for (int i = n; i > 0; i--) {
      Mono.fromCallable(s::bump).subscribe(done);
    }
    done.await();
  }

  private static void floorHandOff(FloorSide s, int n) {
    Countdown done = s.done.reset(n);
    for (int i = n; i > 0; i--) {
      s.floor.submit(s.bump);
    }
    done.await();
  }

  /** Reactant as most callers write it: fire, then {@code block()} on each reply in turn. */
  private static long reactantBlock(ReactantSide s, int n) {
    Mono<Long>[] replies = s.replies;
    for (int i = 0; i < n; i++) {
      replies[i] = s.counter.bump();
    }
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += replies[i].block();
      replies[i] = null;
    }
    return sum;
  }

  /** Pekko as Scala callers write it: fire, then {@code Await.result} on each reply in turn. */
  private static long pekkoScalaAskAwait(PekkoSide s, int n) {
    Future<Long>[] replies = s.replies;
    for (int i = 0; i < n; i++) {
      replies[i] = Peers.ask(s.counter, Counters.Bump::new, s.scheduler);
    }
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Peers.await(replies[i]);
      replies[i] = null;
    }
    return sum;
  }
}

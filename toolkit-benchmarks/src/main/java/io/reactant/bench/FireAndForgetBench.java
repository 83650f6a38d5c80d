package io.reactant.bench;

import io.reactant.actor.ActorSystem;
import io.reactant.bench.model.Counters;
import io.reactant.bench.model.Counters.Counter;
import io.reactant.bench.support.CellPlacement;
import io.reactant.bench.support.Countdown;
import io.reactant.bench.support.Peers;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 2: fire-and-forget throughput. One thread outside the system sends
 * {@value #MESSAGES} increments, round-robin over {@code actors} counters (1, or 1,000), then one
 * {@code sync} message to each counter; the invocation ends when every counter has executed its
 * {@code sync}, hence every increment before it (FIFO per sender). The score is messages executed
 * per second, the sync messages not counted (1 % of the messages with 1,000 actors).
 *
 * <p>Rows: Reactant update calls whose futures nobody awaits ({@code inc()}, a future is still
 * created), Reactant oneways ({@code void add()}, no future), and Pekko typed {@code tell} with its
 * dispatcher's throughput at 5 (its default) and at 100 (its best here; see {@link Peers}).
 *
 * <p>Three forks, each fork's mean listed in docs/benchmarks.md: calls to one actor swing by up to
 * 2x from one JVM to the next while steady within one (see "The nineteenth session" in
 * docs/benchmarks-history.md), so a single fork could land on either side.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
public class FireAndForgetBench {

  static final int MESSAGES = 100_000;

  @State(Scope.Benchmark)
  public static class ReactantSide {
    @Param({"1", "1000"})
    public int actors;

    ActorSystem system;
    Counter[] counters;
    final Countdown done = new Countdown();

    @Setup(Level.Trial)
    public void start() {
      system = Peers.reactant("bench-tell");
      counters = new Counter[actors];
      for (int i = 0; i < actors; i++) {
        counters[i] = system.spawn(Counter.class, Counters.CounterActor::new);
      }
    }

    void syncAll() {
      Countdown d = done.reset(counters.length);
      for (Counter c : counters) {
        c.sync(d);
      }
      d.await();
    }

    @TearDown(Level.Trial)
    public void stop() throws ReflectiveOperationException, java.io.IOException {
      if (Boolean.getBoolean("bench.cellPlacement")) {
        System.out.println(CellPlacement.describe(counters[0])); // see CellPlacement
        String dump = System.getProperty("bench.heapDump");
        if (dump != null) {
          CellPlacement.dumpHeap(dump + "-" + ProcessHandle.current().pid() + ".hprof");
        }
      }
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

    @Param({"1", "1000"})
    public int actors;

    org.apache.pekko.actor.typed.ActorSystem<Void> system;
    ActorRef<Counters.Cmd>[] counters;
    final Countdown done = new Countdown();

    @Setup(Level.Trial)
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void start() {
      system = Peers.pekko("bench-tell", dispatcherThroughput);
      counters = new ActorRef[actors];
      for (int i = 0; i < actors; i++) {
        counters[i] = Peers.pekkoSpawn(system, Counters.pekkoCounter(), "counter-" + i);
      }
    }

    void syncAll() {
      Countdown d = done.reset(counters.length);
      Counters.Sync sync = new Counters.Sync(d);
      for (ActorRef<Counters.Cmd> c : counters) {
        c.tell(sync);
      }
      d.await();
    }

    @TearDown(Level.Trial)
    public void stop() {
      Peers.terminate(system);
    }
  }

  /** Reactant update calls, futures left unawaited (rule R16: still delivered). */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public void reactantUnawaited(ReactantSide s) {
    Counter[] counters = s.counters;
    int n = counters.length;
    for (int i = 0, j = 0; i < MESSAGES; i++) {
      counters[j].inc();
      if (++j == n) {
        j = 0;
      }
    }
    s.syncAll();
  }

  /** Reactant oneways: {@code void} methods, no future. */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public void reactantOneway(ReactantSide s) {
    Counter[] counters = s.counters;
    int n = counters.length;
    for (int i = 0, j = 0; i < MESSAGES; i++) {
      counters[j].add();
      if (++j == n) {
        j = 0;
      }
    }
    s.syncAll();
  }

  /** Pekko typed {@code tell}. */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public void pekkoTell(PekkoSide s) {
    ActorRef<Counters.Cmd>[] counters = s.counters;
    int n = counters.length;
    for (int i = 0, j = 0; i < MESSAGES; i++) {
      counters[j].tell(Counters.Inc.INSTANCE);
      if (++j == n) {
        j = 0;
      }
    }
    s.syncAll();
  }
}

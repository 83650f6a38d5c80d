package io.reactant.bench;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.bench.support.Countdown;
import io.reactant.bench.support.Peers;
import io.reactant.state.LongVar;
import io.reactant.state.Var;
import java.util.concurrent.TimeUnit;
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
import reactor.core.publisher.Mono;

/**
 * Workload 4: the cost of the semantics, Reactant alone (no peer has these semantics; each row is
 * compared with {@code write} of 0 cells, the cheapest turn).
 *
 * <p>The actor, which declares {@code declared} cells (100 unless {@code -p declared=N} says
 * otherwise; a {@code write} never writes more than declared), sends itself {@value #TURNS}
 * calls in one turn (they are delivered at its commit, in order), then awaits a last {@code sync}
 * call; the calls execute back to back on one worker thread, so a row measures what a turn costs:
 * the message (a self call: proxy, outbox, mailbox), the turn itself, its writes and its commit. The
 * score is turns per second. Each invocation also pays a fixed ~55 us (an ingress call that wakes
 * a parked pool thread, and the benchmark thread woken by the reply): with 1,000 turns per
 * invocation (before the nineteenth session) that was 40 % of an empty turn's row, which pulled
 * every ratio between rows towards 1; with {@value #TURNS} it is ~7 %.
 *
 * <ul>
 *   <li>{@code write}: a turn writing {@code cells} of the cells (0, 1, 10, 100), committed; the
 *       cells are {@code Var<Long>}s, each write stores a reference: one {@code Long} the turn
 *       allocates, as a turn stores values it computed (a constant, as before the eighteenth
 *       session, can share a heap region with the cells after a full GC, and G1's write barrier
 *       then skips the store, which real writes rarely see).</li>
 *   <li>{@code writeLong}: the same with {@code LongVar} cells (a second actor, which declares as
 *       many), each write a primitive store: no boxing, and no G1 write barrier (whose memory
 *       fence, for each reference stored into a long-lived object, is most of what a
 *       {@code Var} write costs on some machines).</li>
 *   <li>{@code writeTenNamed}: {@code write} of 10 cells as an actor usually writes its state:
 *       ten {@code set} calls in straight-line code, each on a field of its own (the same first ten
 *       cells), not a loop over an array. The target (a 10-cell turn at most 1.3x an empty one)
 *       is judged on {@code write 10}; this row shows how much the loop's shape adds (on JDK 17,
 *       C2 keeps the loop's values on the stack around G1's write barrier, see benchmarks.md).</li>
 *   <li>{@code trap}: a turn writing 1 cell, then trapping ({@code trap("...")}): rolled back,
 *       and the unawaited caller's future fails with code 5.</li>
 *   <li>{@code awaitCompleted}: {@code await} on an already completed future
 *       ({@code Mono.just}): a commit point, then the continuation in a new turn (two turns per
 *       call, rule R13).</li>
 *   <li>{@code awaitIfReady}: {@code await?} on the same future: continues in the same turn
 *       (rule R14).</li>
 * </ul>
 *
 * <p>Three forks: the target (a 10-cell turn at most 1.3x an empty one) is a ratio of two rows
 * close to it, and one JVM's rows differ from the next's by a few percent.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
public class TurnCostBench {

  static final int TURNS = 10_000;

  static final int WRITE = 0;
  static final int TRAP = 1;
  static final int AWAIT = 2;
  static final int AWAIT_IF_READY = 3;
  static final int WRITE_TEN_NAMED = 4;

  /** The actor under test. */
  public interface Cells {
    /** Writes the first {@code k} cells. */
    Mono<Void> write(int k);

    /** Writes the first ten cells, each through a field of its own, in straight-line code. */
    Mono<Void> writeTenNamed();

    /** Writes the first {@code k} cells, then traps. */
    Mono<Void> writeAndTrap(int k);

    /** Awaits an already completed future. */
    Mono<Void> awaitCompleted();

    /** Awaits (await?) an already completed future. */
    Mono<Void> awaitIfReadyCompleted();

    /** Sends itself {@code n} calls of {@code op}, then awaits a {@code sync} sent after them. */
    Mono<Void> burst(int op, int k, int n);

    /** Does nothing: its reply means that the calls sent before it have executed. */
    Mono<Void> sync();
  }

  static final class CellsActor extends Actor implements Cells {
    /** Above the {@code Long} cache: {@code Long.valueOf} allocates a new value. */
    private static final long UNCACHED = 1_000L;
    private static final Mono<Long> COMPLETED = Mono.just(1L);

    /** The cells when they are {@code Var<Long>}s, else empty. */
    private final Var<Long>[] cells;
    /** The cells when they are {@code LongVar}s, else empty. */
    private final LongVar[] longCells;
    /** The first ten {@code Var} cells again, each in a field, as an actor names its state. */
    private final Var<Long> c0;
    private final Var<Long> c1;
    private final Var<Long> c2;
    private final Var<Long> c3;
    private final Var<Long> c4;
    private final Var<Long> c5;
    private final Var<Long> c6;
    private final Var<Long> c7;
    private final Var<Long> c8;
    private final Var<Long> c9;

    @SuppressWarnings({"unchecked", "rawtypes"})
    CellsActor(int declared, boolean primitive) {
      cells = new Var[primitive ? 0 : declared];
      longCells = new LongVar[primitive ? declared : 0];
      for (int i = 0; i < declared; i++) {
        if (primitive) {
          longCells[i] = newLongVar("cell" + i, 0L);
        } else {
          cells[i] = newVar("cell" + i, 0L);
        }
      }
      // null when fewer than ten Var cells (a LongVar actor has none): the row refuses to run then
      Var<Long>[] first = cells.length >= 10 ? cells : new Var[10];
      c0 = first[0];
      c1 = first[1];
      c2 = first[2];
      c3 = first[3];
      c4 = first[4];
      c5 = first[5];
      c6 = first[6];
      c7 = first[7];
      c8 = first[8];
      c9 = first[9];
    }

    @Override
    public Mono<Void> write(int k) {
      Var<Long>[] c = cells;
      if (c.length > 0 && k > 0) {
        Long value = Long.valueOf(UNCACHED + k); // a value the turn computed: a young object
        for (int i = Math.min(k, c.length) - 1; i >= 0; i--) {
          c[i].set(value);
        }
      }
      LongVar[] l = longCells;
      for (int i = Math.min(k, l.length) - 1; i >= 0; i--) {
        l[i].set(42L);
      }
      return done();
    }

    @Override
    public Mono<Void> writeTenNamed() {
      Long value = Long.valueOf(UNCACHED + 10);
      c0.set(value);
      c1.set(value);
      c2.set(value);
      c3.set(value);
      c4.set(value);
      c5.set(value);
      c6.set(value);
      c7.set(value);
      c8.set(value);
      c9.set(value);
      return done();
    }

    @Override
    public Mono<Void> writeAndTrap(int k) {
      write(k);
      return trap("rolled back on purpose");
    }

    @Override
    public Mono<Void> awaitCompleted() {
      return await(COMPLETED).then();
    }

    @Override
    public Mono<Void> awaitIfReadyCompleted() {
      return awaitIfReady(COMPLETED).then();
    }

    @Override
    public Mono<Void> burst(int op, int k, int n) {
      Cells me = self(Cells.class);
      for (int i = 0; i < n; i++) {
        switch (op) {
          case WRITE -> me.write(k);
          case TRAP -> me.writeAndTrap(k);
          case AWAIT -> me.awaitCompleted();
          case AWAIT_IF_READY -> me.awaitIfReadyCompleted();
          case WRITE_TEN_NAMED -> me.writeTenNamed();
          default -> throw new IllegalArgumentException("op " + op);
        }
      }
      // the continuations of awaitCompleted are queued before sync's reply reaches us, so
      // this await's continuation runs after all of them
      return await(me.sync());
    }

    @Override
    public Mono<Void> sync() {
      return done();
    }
  }

  @State(Scope.Benchmark)
  public static class ActorState {
    /** Cells the actor declares (its committed snapshot's size). */
    @Param({"100"})
    public int declared;

    ActorSystem system;
    Cells actor;
    /** The same with {@code LongVar} cells. */
    Cells longActor;
    final Countdown done = new Countdown();

    @Setup(Level.Trial)
    public void start() {
      system = Peers.reactant("bench-turns");
      actor = system.spawn(Cells.class, () -> new CellsActor(declared, false));
      longActor = system.spawn(Cells.class, () -> new CellsActor(declared, true));
    }

    void run(int op, int k) {
      run(actor, op, k);
    }

    void run(Cells target, int op, int k) {
      target.burst(op, k, TURNS).subscribe(done.reset(1));
      done.await();
    }

    @TearDown(Level.Trial)
    public void stop() {
      Peers.close(system);
    }
  }

  /** The number of cells a {@code write} turn writes. */
  @State(Scope.Benchmark)
  public static class Written {
    @Param({"0", "1", "10", "100"})
    public int cells;
  }

  @Benchmark
  @OperationsPerInvocation(TURNS)
  public void write(ActorState s, Written w) {
    s.run(WRITE, w.cells);
  }

  @Benchmark
  @OperationsPerInvocation(TURNS)
  public void writeLong(ActorState s, Written w) {
    s.run(s.longActor, WRITE, w.cells);
  }

  @Benchmark
  @OperationsPerInvocation(TURNS)
  public void writeTenNamed(ActorState s) {
    if (s.declared < 10) {
      // a turn that fails is not a turn that writes: refuse rather than measure failures
      throw new IllegalStateException("writeTenNamed needs -p declared=10 or more, not "
          + s.declared);
    }
    s.run(WRITE_TEN_NAMED, 10);
  }

  @Benchmark
  @OperationsPerInvocation(TURNS)
  public void trap(ActorState s) {
    s.run(TRAP, 1);
  }

  @Benchmark
  @OperationsPerInvocation(TURNS)
  public void awaitCompleted(ActorState s) {
    s.run(AWAIT, 0);
  }

  @Benchmark
  @OperationsPerInvocation(TURNS)
  public void awaitIfReady(ActorState s) {
    s.run(AWAIT_IF_READY, 0);
  }
}

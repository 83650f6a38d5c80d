package io.reactant.bench;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.bench.support.Countdown;
import io.reactant.bench.support.Peers;
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
 * How the cost of a turn depends on how many different shared methods a program calls: a
 * guard for the runtime's method dispatch (Reactant alone). One actor implements eight
 * interfaces of one method each; in one turn it sends itself {@value #TURNS} calls spread
 * round-robin over {@code kinds} of those methods (1: every call the same method; 8: eight
 * methods, as in a program with many actor types), then awaits a last call. The score is turns
 * per second; {@code kinds=8} far below {@code kinds=1} would mean the runtime's call into the
 * method does not survive a program with many methods (a megamorphic call site). {@value #TURNS}
 * turns per invocation, as in {@link TurnCostBench}, so that the invocation's fixed cost (~55 us)
 * does not hide the difference.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DispatchBench {

  static final int TURNS = 10_000;

  /** The eight one-method interfaces, and the driver's. */
  public interface M0 {
    Mono<Void> m0(int k);
  }

  public interface M1 {
    Mono<Void> m1(int k);
  }

  public interface M2 {
    Mono<Void> m2(int k);
  }

  public interface M3 {
    Mono<Void> m3(int k);
  }

  public interface M4 {
    Mono<Void> m4(int k);
  }

  public interface M5 {
    Mono<Void> m5(int k);
  }

  public interface M6 {
    Mono<Void> m6(int k);
  }

  public interface M7 {
    Mono<Void> m7(int k);
  }

  public interface Burst {
    /** Sends itself {@code n} calls spread over {@code kinds} methods, then awaits a last one. */
    Mono<Void> burst(int kinds, int n);
  }

  static final class ManyActor extends Actor implements Burst, M0, M1, M2, M3, M4, M5, M6, M7 {
    private final Var<Long> count = newVar("count", 0L);

    private Mono<Void> count(int k) {
      count.update(c -> c + k);
      return done();
    }

    @Override
    public Mono<Void> m0(int k) {
      return count(k);
    }

    @Override
    public Mono<Void> m1(int k) {
      return count(k);
    }

    @Override
    public Mono<Void> m2(int k) {
      return count(k);
    }

    @Override
    public Mono<Void> m3(int k) {
      return count(k);
    }

    @Override
    public Mono<Void> m4(int k) {
      return count(k);
    }

    @Override
    public Mono<Void> m5(int k) {
      return count(k);
    }

    @Override
    public Mono<Void> m6(int k) {
      return count(k);
    }

    @Override
    public Mono<Void> m7(int k) {
      return count(k);
    }

    @Override
    public Mono<Void> burst(int kinds, int n) {
      M0 r0 = self(M0.class);
      M1 r1 = self(M1.class);
      M2 r2 = self(M2.class);
      M3 r3 = self(M3.class);
      M4 r4 = self(M4.class);
      M5 r5 = self(M5.class);
      M6 r6 = self(M6.class);
      M7 r7 = self(M7.class);
      Mono<Void> last = null;
      for (int i = 0; i < n; i++) {
        switch (i % kinds) {
          case 0 -> last = r0.m0(1);
          case 1 -> last = r1.m1(1);
          case 2 -> last = r2.m2(1);
          case 3 -> last = r3.m3(1);
          case 4 -> last = r4.m4(1);
          case 5 -> last = r5.m5(1);
          case 6 -> last = r6.m6(1);
          default -> last = r7.m7(1);
        }
      }
      return await(last); // the last call's reply: every call before it executed (FIFO)
    }
  }

  @State(Scope.Benchmark)
  public static class ActorState {
    /** How many different methods the calls are spread over. */
    @Param({"1", "8"})
    public int kinds;

    ActorSystem system;
    Burst actor;
    final Countdown done = new Countdown();

    @Setup(Level.Trial)
    public void start() {
      system = Peers.reactant("bench-dispatch");
      actor = system.spawn(Burst.class, ManyActor::new);
    }

    @TearDown(Level.Trial)
    public void stop() {
      Peers.close(system);
    }
  }

  @Benchmark
  @OperationsPerInvocation(TURNS)
  public void calls(ActorState s) {
    s.actor.burst(s.kinds, TURNS).subscribe(s.done.reset(1));
    s.done.await();
  }
}

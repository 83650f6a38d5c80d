package io.reactant.actor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * For tests of rule R19 under contention: reader threads that query an actor whose cells always
 * hold one value after a commit, never negative, over and over while a test writes it, until told to
 * stop and at least a given number of queries ran. Each answer must hold one value in every cell,
 * never lower than the reader's previous answer nor than 0: a tentative value, a mix of two commits or time going
 * backwards counts as {@link #wrong}.
 */
public final class UniformReaders {

  /** Answers that were not one value in every cell, or went backwards. */
  public final AtomicLong wrong = new AtomicLong();
  /** Queries answered, by all readers. */
  public final AtomicLong queries = new AtomicLong();
  /** The highest value any reader saw. */
  public final AtomicLong highest = new AtomicLong();
  private final AtomicBoolean writing = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  /** Starts {@code readers} threads running {@code query}, each until {@link #stop} and {@code minimumQueries} in all. */
  public UniformReaders(int readers, long minimumQueries, Supplier<long[]> query) {
    for (int r = 0; r < readers; r++) {
      Thread reader = new Thread(() -> {
        long seen = 0; // committed values are never negative: a turn's tentative -1 is caught
        while (writing.get() || queries.get() < minimumQueries) {
          long[] values = query.get();
          long first = values[0];
          if (first < seen || Arrays.stream(values).anyMatch(v -> v != first)) {
            wrong.incrementAndGet();
          }
          seen = first;
          highest.accumulateAndGet(first, Math::max);
          queries.incrementAndGet();
        }
      });
      threads.add(reader);
      reader.start();
    }
  }

  /** Lets the readers finish (once the minimum number of queries ran) and waits for them. */
  public void stop() throws InterruptedException {
    writing.set(false);
    for (Thread reader : threads) {
      reader.join();
    }
  }

  /**
   * Makes {@code turns} calls {@code write(i, trap)} for {@code i} from 1, where every
   * {@code trapEvery}-th call is asked to trap (none if 0) and its failure is expected; waits for
   * the last call that commits and returns its {@code i}.
   */
  public static long writeAll(long turns, int trapEvery, BiFunction<Long, Boolean, Mono<Void>> write) {
    Mono<Void> last = Mono.empty();
    long committed = 0;
    for (long i = 1; i <= turns; i++) {
      boolean trap = trapEvery > 0 && i % trapEvery == 0;
      Mono<Void> call = write.apply(i, trap);
      if (trap) {
        call.subscribe(null, e -> { }); // the trap's code 5 is expected
      } else {
        last = call;
        committed = i;
      }
    }
    last.block();
    return committed;
  }
}

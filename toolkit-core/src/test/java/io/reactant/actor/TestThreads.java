package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/** Runs the same body on several threads at once, for contention tests. */
public final class TestThreads {

  /** The work of one thread; {@code index} runs from 0 to the number of threads minus one. */
  @FunctionalInterface
  public interface Body {
    void run(int index) throws Exception;
  }

  private TestThreads() {
  }

  /**
   * Starts {@code threads} threads running {@code body}, released together once all have started,
   * waits for all of them, and fails with everything they threw (an exception on another thread
   * would otherwise be lost).
   */
  public static void runAll(int threads, Body body) throws InterruptedException {
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> started = new ArrayList<>();
    CyclicBarrier release = new CyclicBarrier(threads);
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread thread = new Thread(() -> {
        try {
          release.await();
          body.run(index);
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "test-caller-" + t);
      started.add(thread);
      thread.start();
    }
    for (Thread thread : started) {
      thread.join();
    }
    assertThat(failures).isEmpty();
  }
}

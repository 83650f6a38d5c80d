package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hand-off slot keeps its value when it moves to a new holder. */
class HandOffThreadTest {

  private final ForkJoinPool pool = new ForkJoinPool(1, Worker::new, null, false);

  @AfterEach
  void close() {
    pool.shutdownNow();
  }

  private static final class Worker extends HandOffThread {
    Worker(ForkJoinPool pool) {
      super(pool);
    }
  }

  @Test
  void theSlotKeepsItsValueAcrossRenewalsEveryQuotaOfRunsAndOnDemand() throws Exception {
    pool.submit(() -> {
      HandOffThread h = (HandOffThread) Thread.currentThread();
      assertThat(h.handOff()).isNull();
      Object parked = new Object();
      h.handOff(parked);
      for (int i = 1; i <= 3 * HandOffThread.RUNS_PER_SLOT; i++) {
        assertThat(h.countRun()).isEqualTo(i);
        assertThat(h.handOff()).isSameAs(parked);
      }
      h.renewSlot();
      assertThat(h.handOff()).isSameAs(parked);
      h.handOff(null);
      h.renewSlot();
      assertThat(h.handOff()).isNull();
      return null;
    }).get();
  }
}

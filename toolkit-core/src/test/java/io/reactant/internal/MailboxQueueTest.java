package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.RejectCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MailboxQueueTest {

  /** A mailbox on its own: the consumer is the test's thread; it counts what it took. */
  @SuppressWarnings("serial")
  static final class TestMailbox extends Mailbox {
    volatile long taken;

    @Override
    public void run() {
    }

    private Batch batch;

    @Override
    void taken(int count) {
      taken += count; // the consumer only
    }

    @Override
    Batch batch() {
      return batch;
    }

    @Override
    void batch(Batch b) {
      batch = b;
    }
  }

  static final class Message extends Envelope {
    final int producer;
    final int sequence;

    Message(int producer, int sequence) {
      this.producer = producer;
      this.sequence = sequence;
    }

    @Override
    void execute(ActorCell cell) {
    }

    @Override
    void abandon(RejectCode code, String message) {
    }
  }

  @Test
  @DisplayName("the push onto an idle mailbox schedules it; envelopes come out in the order they"
      + " went in; the run ends idle only once nothing waits")
  void fifoForOneProducer() {
    TestMailbox box = new TestMailbox();
    assertThat(box.isMailboxEmpty()).isTrue();
    assertThat(box.enqueue(new Message(0, 0))).as("the push that finds the actor idle").isTrue();
    for (int i = 1; i < 5; i++) {
      assertThat(box.enqueue(new Message(0, i))).as("a run is scheduled already").isFalse();
    }
    assertThat(box.isMailboxEmpty()).isFalse();
    assertThat(((Message) box.dequeue()).sequence).isZero();
    assertThat(box.enqueue(new Message(0, 5))).as("arrives while a batch is handed out").isFalse();
    for (int i = 1; i <= 4; i++) {
      assertThat(((Message) box.dequeue()).sequence).isEqualTo(i);
    }
    assertThat(box.tryIdle()).as("envelope 5 waits in the inbox").isFalse();
    assertThat(((Message) box.dequeue()).sequence).isEqualTo(5);
    assertThat(box.dequeue()).isNull();
    assertThat(box.isMailboxEmpty()).isTrue();
    assertThat(box.tryIdle()).isTrue();
    assertThat(box.taken).isEqualTo(6);
    assertThat(box.enqueue(new Message(0, 6))).as("idle again: the next push schedules").isTrue();
    assertThat(((Message) box.dequeue()).sequence).isEqualTo(6);
    assertThat(box.dequeue()).isNull();
    assertThat(box.tryIdle()).isTrue();
  }

  @Test
  @DisplayName("an envelope pushed onto an idle mailbox is taken where it lies: handed out once,"
      + " no longer waiting, and the mailbox goes idle by swapping it for null")
  void anEnvelopeAloneIsTakenInPlace() {
    TestMailbox box = new TestMailbox();
    assertThat(box.enqueue(new Message(0, 0))).isTrue();
    assertThat(box.countInbox()).isEqualTo(1);
    assertThat(((Message) box.dequeue()).sequence).isZero();
    assertThat(box.taken).as("counted when taken").isEqualTo(1);
    assertThat(box.isMailboxEmpty()).as("the taken envelope does not wait").isTrue();
    assertThat(box.inboxHoldsEnvelopes()).isFalse();
    assertThat(box.countInbox()).isZero();
    assertThat(box.dequeue()).as("not handed out twice").isNull();
    assertThat(box.tryIdle()).isTrue();
    assertThat(box.enqueue(new Message(0, 1))).as("idle: the next push schedules").isTrue();
    assertThat(((Message) box.dequeue()).sequence).isEqualTo(1);
    assertThat(box.dequeue()).isNull();
    assertThat(box.tryIdle()).isTrue();
    assertThat(box.taken).isEqualTo(2);
  }

  @Test
  @DisplayName("R3 envelopes pushed onto one taken in place come out after it, in order, and the"
      + " mailbox does not go idle while they wait")
  void envelopesPushedOntoOneTakenInPlaceFollowIt() {
    TestMailbox box = new TestMailbox();
    box.enqueue(new Message(0, 0));
    assertThat(((Message) box.dequeue()).sequence).isZero();
    for (int i = 1; i <= 3; i++) {
      assertThat(box.enqueue(new Message(0, i))).as("the run is under way").isFalse();
    }
    assertThat(box.isMailboxEmpty()).isFalse();
    assertThat(box.inboxHoldsEnvelopes()).isTrue();
    assertThat(box.countInbox()).as("the taken one is not counted again").isEqualTo(3);
    assertThat(box.tryIdle()).as("three envelopes wait").isFalse();
    for (int i = 1; i <= 3; i++) {
      assertThat(((Message) box.dequeue()).sequence).isEqualTo(i);
    }
    assertThat(box.dequeue()).isNull();
    assertThat(box.tryIdle()).isTrue();
    assertThat(box.taken).isEqualTo(4);
    assertThat(box.enqueue(new Message(0, 4))).isTrue();
  }

  @Test
  @DisplayName("a run that fails after taking an envelope in place ends idle when nothing else"
      + " waits, and asks to be scheduled again when something does")
  void aFailedRunReleasesAnEnvelopeTakenInPlace() {
    TestMailbox box = new TestMailbox();
    box.enqueue(new Message(0, 0));
    box.dequeue();
    assertThat(box.releaseAfterFailure()).as("nothing waits: idle").isFalse();
    assertThat(box.enqueue(new Message(0, 1))).as("it was left idle").isTrue();
    box.dequeue();
    box.enqueue(new Message(0, 2));
    assertThat(box.releaseAfterFailure()).as("envelope 2 waits: schedule again").isTrue();
    assertThat(((Message) box.dequeue()).sequence).isEqualTo(2);
    assertThat(box.tryIdle()).isTrue();
  }

  @Test
  @DisplayName("R3 a producer that waits for each envelope to be handed out before the next, with"
      + " a second producer pushing in bursts: every envelope once, in order per producer")
  void envelopesTakenInPlaceUnderContention() throws Exception {
    int perProducer = 200_000;
    TestMailbox box = new TestMailbox();
    Runs runs = new Runs(box);
    java.util.concurrent.atomic.AtomicLong handedOut = new java.util.concurrent.atomic.AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    Thread oneAtATime = startAfter(start, () -> {
      for (int i = 0; i < perProducer; i++) {
        long before = handedOut.get();
        runs.push(new Message(0, i)); // mostly onto an idle mailbox: taken in place
        while (handedOut.get() == before) {
          Thread.onSpinWait();
        }
      }
    });
    Thread bursts = startAfter(start, () -> {
      java.util.Random random = new java.util.Random(15);
      for (int i = 0; i < perProducer; ) {
        int burst = 1 + random.nextInt(4);
        for (int j = 0; j < burst && i < perProducer; j++, i++) {
          runs.push(new Message(1, i)); // onto whatever the inbox holds
        }
        for (int spin = random.nextInt(200); spin > 0; spin--) {
          Thread.onSpinWait();
        }
      }
    });
    int[] next = new int[2];
    int[] outOfOrder = new int[1];
    start.countDown();
    runs.consume(2L * perProducer, e -> {
      Message m = (Message) e;
      if (m.sequence != next[m.producer]) {
        outOfOrder[0]++;
      }
      next[m.producer] = m.sequence + 1;
      handedOut.incrementAndGet();
    });
    oneAtATime.join();
    bursts.join();
    assertThat(outOfOrder[0]).isZero();
    assertThat(next).containsOnly(perProducer);
    assertThat(box.taken).isEqualTo(2L * perProducer);
    assertThat(runs.doubleSchedules).hasValue(0);
    assertThat(runs.schedules.get()).isEqualTo(runs.idles);
    assertThat(box.isMailboxEmpty()).isTrue();
    assertThat(box.enqueue(new Message(0, 0))).as("the mailbox ended idle").isTrue();
  }

  /**
   * The runs of a mailbox as the runtime makes them: the push that finds it idle schedules a run
   * (releases a permit); a run takes envelopes until none is left, then goes idle unless one
   * arrived. Checks that no push schedules a run while one is under way.
   */
  static final class Runs {
    final TestMailbox box;
    final java.util.concurrent.Semaphore scheduled = new java.util.concurrent.Semaphore(0);
    final java.util.concurrent.atomic.AtomicLong schedules = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong doubleSchedules =
        new java.util.concurrent.atomic.AtomicLong();
    volatile boolean running;
    long idles; // the consumer only

    Runs(TestMailbox box) {
      this.box = box;
    }

    void push(Envelope e) {
      if (box.enqueue(e)) {
        if (running) {
          doubleSchedules.incrementAndGet();
        }
        schedules.incrementAndGet();
        scheduled.release();
      }
    }

    /** Runs the consumer until {@code total} envelopes were handed to {@code handler}. */
    void consume(long total, java.util.function.Consumer<Envelope> handler)
        throws InterruptedException {
      long n = 0;
      while (n < total) {
        scheduled.acquire();
        running = true;
        for (;;) {
          Envelope e = box.dequeue();
          if (e != null) {
            handler.accept(e);
            n++;
            continue;
          }
          running = false; // before the run can end: a push that finds it idle must see it ended
          if (box.tryIdle()) {
            idles++;
            break;
          }
          running = true;
        }
      }
    }
  }

  /** Starts a thread that runs {@code body} once {@code start} opens. */
  static Thread startAfter(CountDownLatch start, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        start.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      body.run();
    });
    t.start();
    return t;
  }

  @Test
  @DisplayName("R3 4 producers x 200k envelopes: none lost, none twice, each producer's in order;"
      + " exactly one run scheduled per idle period")
  void fifoPerProducerUnderContention() throws Exception {
    int producers = 4;
    int perProducer = 200_000;
    TestMailbox box = new TestMailbox();
    Runs runs = new Runs(box);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      threads.add(startAfter(start, () -> {
        for (int i = 0; i < perProducer; i++) {
          runs.push(new Message(producer, i));
        }
      }));
    }
    int[] next = new int[producers];
    int[] outOfOrder = new int[1];
    start.countDown();
    runs.consume((long) producers * perProducer, e -> {
      Message m = (Message) e;
      if (m.sequence != next[m.producer]) {
        outOfOrder[0]++;
      }
      next[m.producer] = m.sequence + 1;
    });
    for (Thread t : threads) {
      t.join();
    }
    assertThat(outOfOrder[0]).isZero();
    assertThat(next).containsOnly(perProducer);
    assertThat(box.taken).as("every envelope counted once when taken")
        .isEqualTo((long) producers * perProducer);
    assertThat(runs.doubleSchedules).as("pushes that scheduled a run while one was under way")
        .hasValue(0);
    assertThat(runs.schedules.get()).as("one run scheduled per idle period")
        .isEqualTo(runs.idles);
    assertThat(box.isMailboxEmpty()).isTrue();
    assertThat(box.enqueue(new Message(0, 0))).as("the mailbox ended idle").isTrue();
  }

  @Test
  @DisplayName("R3 R13 a reader on another thread never finds the mailbox empty (inbox empty, all"
      + " taken envelopes started) while an envelope queued before its reading waits: 2M envelopes")
  void neverLooksEmptyWhileAnEnvelopeWaits() throws Exception {
    TestMailbox box = new TestMailbox();
    int total = 2_000_000;
    java.util.concurrent.atomic.AtomicLong enqueued = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch reading = new CountDownLatch(1);
    Runs runs = new Runs(box);
    // the producer starts once the reader is running, before the first envelope
    Thread producer = startAfter(reading, () -> {
      for (int i = 0; i < total; i++) {
        runs.push(new Message(0, i));
        enqueued.lazySet(i + 1L);
      }
    });
    Thread consumer = new Thread(() -> {
      long[] n = new long[1];
      try {
        runs.consume(total, e -> started.set(++n[0]));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        done.set(true); // also if the consumer failed: the assertions below then tell
      }
    });
    consumer.start();
    long wrongEmpty = 0;
    reading.countDown();
    while (!done.get()) {
      long queuedBefore = enqueued.get();
      // the shutdown's reading: the inbox first, then the counts (started, then taken)
      boolean inInbox = box.inboxHoldsEnvelopes();
      long startedSoFar = started.get();
      boolean waiting = inInbox || box.taken - startedSoFar > 0;
      if (!waiting && started.get() < queuedBefore) {
        wrongEmpty++; // an envelope queued before the reading was not started after it
      }
    }
    producer.join();
    consumer.join();
    assertThat(wrongEmpty).as("readings that found the mailbox empty while an envelope waited")
        .isZero();
    assertThat(box.taken).isEqualTo(total);
  }
}

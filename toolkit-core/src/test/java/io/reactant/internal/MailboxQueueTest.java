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

    @Override
    void taken(int count) {
      taken += count; // the consumer only
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
  @DisplayName("an empty mailbox gives nothing; envelopes come out in the order they went in")
  void fifoForOneProducer() {
    TestMailbox box = new TestMailbox();
    assertThat(box.dequeue()).isNull();
    assertThat(box.isMailboxEmpty()).isTrue();
    for (int i = 0; i < 5; i++) {
      box.enqueue(new Message(0, i));
    }
    assertThat(box.isMailboxEmpty()).isFalse();
    assertThat(((Message) box.dequeue()).sequence).isZero();
    box.enqueue(new Message(0, 5)); // arrives while a batch is being handed out
    for (int i = 1; i <= 5; i++) {
      assertThat(((Message) box.dequeue()).sequence).isEqualTo(i);
    }
    assertThat(box.dequeue()).isNull();
    assertThat(box.isMailboxEmpty()).isTrue();
  }

  @Test
  @DisplayName("R3 4 producers x 200k envelopes: none lost, none twice, each producer's in order")
  void fifoPerProducerUnderContention() throws Exception {
    int producers = 4;
    int perProducer = 200_000;
    TestMailbox box = new TestMailbox();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perProducer; i++) {
          box.enqueue(new Message(producer, i));
        }
      });
      threads.add(t);
      t.start();
    }
    int[] next = new int[producers];
    int received = 0;
    int outOfOrder = 0;
    start.countDown();
    while (received < producers * perProducer) {
      Envelope e = box.dequeue();
      if (e == null) {
        Thread.onSpinWait();
        continue;
      }
      Message m = (Message) e;
      if (m.sequence != next[m.producer]) {
        outOfOrder++;
      }
      next[m.producer] = m.sequence + 1;
      received++;
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(outOfOrder).isZero();
    assertThat(next).containsOnly(perProducer);
    assertThat(box.taken).as("every envelope counted once when taken").isEqualTo((long) received);
    assertThat(box.dequeue()).isNull();
    assertThat(box.isMailboxEmpty()).isTrue();
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
    Thread producer = new Thread(() -> {
      try {
        reading.await(); // the reader is running before the first envelope
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (int i = 0; i < total; i++) {
        box.enqueue(new Message(0, i));
        enqueued.lazySet(i + 1L);
      }
    });
    Thread consumer = new Thread(() -> {
      long n = 0;
      while (n < total) {
        if (box.dequeue() != null) {
          started.set(++n);
        } else {
          Thread.onSpinWait();
        }
      }
      done.set(true);
    });
    producer.start();
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

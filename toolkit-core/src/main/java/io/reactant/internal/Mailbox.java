package io.reactant.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * An unbounded, lock-free, intrusive multi-producer single-consumer queue of envelopes
 * (D. Vyukov's algorithm).
 *
 * <p>{@link #offer} may be called from any thread and never blocks. {@link #poll} and
 * {@link #isEmpty} may only be called by the single consumer, the thread executing the actor.
 * Messages offered by one thread are polled in the order offered (FIFO per producer). While a
 * producer is between its two steps, {@code poll} may return null although {@code isEmpty} is
 * false; the consumer then reschedules itself.
 */
final class Mailbox {

  private static final VarHandle HEAD;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(Mailbox.class, "head", Envelope.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Envelope stub = new Stub();
  @SuppressWarnings("unused") // accessed through HEAD
  private volatile Envelope head = stub;
  private Envelope tail = stub;

  void offer(Envelope e) {
    e.next = null;
    Envelope previous = (Envelope) HEAD.getAndSet(this, e);
    previous.next = e;
  }

  @Nullable Envelope poll() {
    Envelope t = tail;
    Envelope next = t.next;
    if (t == stub) {
      if (next == null) {
        return null;
      }
      tail = next;
      t = next;
      next = next.next;
    }
    if (next != null) {
      tail = next;
      return t;
    }
    if (t != head) {
      return null; // a producer is linking its node
    }
    offer(stub);
    next = t.next;
    if (next != null) {
      tail = next;
      return t;
    }
    return null;
  }

  boolean isEmpty() {
    return tail == stub && head == stub;
  }

  private static final class Stub extends Envelope {
    @Override
    void execute(ActorCell cell) {
      throw new IllegalStateException("the mailbox stub is never executed");
    }

    @Override
    void abandon(io.reactant.error.RejectCode code, String message) {
    }
  }
}

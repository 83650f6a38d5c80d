package io.reactant.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ForkJoinTask;
import org.jspecify.annotations.Nullable;

/**
 * The mailbox of one actor, and the task that drains it on the shared pool: an unbounded,
 * lock-free, intrusive multi-producer single-consumer queue of envelopes.
 *
 * <p>Producers push onto a stack with a compare-and-set; the single consumer takes the whole stack
 * in one atomic swap and reverses it into a batch it then hands out in order. It swaps in a marker
 * ({@link #TAKING}), not null, and reports how many envelopes it took ({@link #taken}) before it
 * clears the marker: so the inbox never looks empty while envelopes taken from it are not counted
 * yet, and a reader that finds it empty (null) and then reads the count sees them. So:
 * <ul>
 *   <li>{@link #enqueue} may be called from any thread; it never blocks and allocates nothing (an
 *       envelope is its own queue node, and is enqueued at most once);</li>
 *   <li>{@link #dequeue} and {@link #isMailboxEmpty} may only be called by the consumer, the
 *       thread executing the actor;</li>
 *   <li>envelopes come out in the order their {@code enqueue} took effect, so the envelopes of one
 *       producer come out in the order it enqueued them (FIFO per producer, rule R3).</li>
 * </ul>
 *
 * <p>An actor is a subclass ({@link ActorCell}): the mailbox, the state and the rest of an actor
 * are one object, so an idle actor costs one object and a few small ones, and no thread. The task
 * never completes ({@link #exec} returns false), so it can be submitted again each time the actor
 * has envelopes after being idle.
 */
@SuppressWarnings("serial")
abstract class Mailbox extends ForkJoinTask<Void> implements Runnable {

  private static final VarHandle INBOX;
  /**
   * What the inbox holds while the consumer counts the envelopes it just took: never executed,
   * never handed out. Envelopes pushed meanwhile link to it, and the next take stops at it.
   */
  private static final Envelope TAKING = new Envelope() {
    @Override
    void execute(ActorCell cell) {
      throw new IllegalStateException("the mailbox's marker is never executed");
    }

    @Override
    void abandon(io.reactant.error.RejectCode code, String message) {
      throw new IllegalStateException("the mailbox's marker is never answered");
    }
  };

  static {
    try {
      INBOX = MethodHandles.lookup().findVarHandle(Mailbox.class, "inbox", Envelope.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Envelopes pushed by producers and not taken yet, most recent first. */
  @SuppressWarnings("unused") // through INBOX
  private volatile @Nullable Envelope inbox;
  /** Envelopes taken by the consumer and not handed out yet, oldest first; consumer only. */
  private @Nullable Envelope batch;

  /** Adds an envelope; any thread, lock-free. */
  final void enqueue(Envelope e) {
    Envelope top;
    do {
      top = (Envelope) INBOX.getAcquire(this);
      e.next = top; // published by the compare-and-set below
    } while (!INBOX.weakCompareAndSetRelease(this, top, e));
  }

  /** Takes the oldest envelope, or returns null when there is none; the consumer only. */
  final @Nullable Envelope dequeue() {
    Envelope e = batch;
    if (e == null) {
      if (INBOX.getAcquire(this) == null) {
        return null;
      }
      Envelope stack = (Envelope) INBOX.getAndSet(this, TAKING);
      Envelope reversed = null;
      int count = 0;
      while (stack != null && stack != TAKING) {
        Envelope following = stack.next;
        stack.next = reversed;
        reversed = stack;
        stack = following;
        count++;
      }
      taken(count);
      // back to empty, unless producers pushed meanwhile: then their envelopes (linked to the
      // marker) stay for the next take
      INBOX.compareAndSet(this, TAKING, null);
      e = java.util.Objects.requireNonNull(reversed);
    }
    batch = e.next;
    e.next = null;
    return e;
  }

  /**
   * The consumer took {@code count} envelopes out of the inbox; called before the inbox can look
   * empty again. The consumer only.
   */
  abstract void taken(int count);

  /**
   * Whether the inbox holds envelopes not taken by the consumer yet (or the consumer is counting
   * those it just took); any thread. Read it before the count of taken envelopes.
   */
  final boolean inboxHoldsEnvelopes() {
    return INBOX.getAcquire(this) != null;
  }

  /**
   * Counts the envelopes in the inbox, not taken yet; any thread, a hint: the walk may meet the
   * consumer reversing what it took (it still ends: reversed links lead to the newest envelope of
   * the take, whose link is null).
   */
  final int countInbox() {
    int n = 0;
    for (Envelope e = (Envelope) INBOX.getAcquire(this); e != null && e != TAKING; e = e.next) {
      n++;
    }
    return n;
  }

  /** Whether no envelope is waiting; exact for the consumer, a hint for anyone else. */
  final boolean isMailboxEmpty() {
    return batch == null && INBOX.getAcquire(this) == null;
  }

  @Override
  public final Void getRawResult() {
    return null;
  }

  @Override
  protected final void setRawResult(Void value) {
  }

  @Override
  protected final boolean exec() {
    run();
    return false;
  }
}

package io.reactant.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ForkJoinTask;
import org.jspecify.annotations.Nullable;

/**
 * The mailbox of one actor, whether a run of it is scheduled, and the task that drains it on the
 * shared pool: an unbounded, lock-free, intrusive multi-producer single-consumer queue of
 * envelopes whose one atomic reference also says whether the actor is idle.
 *
 * <p>The inbox is a stack producers push onto with a compare-and-set. It holds one of:
 * <ul>
 *   <li>null: the actor is idle; no envelope waits and no run is scheduled or under way;</li>
 *   <li>{@link #RUNNING}: a run is scheduled or under way and has taken every envelope pushed;</li>
 *   <li>the newest waiting envelope, linked to older ones down to null (a run was scheduled by
 *       the push onto the idle actor), {@link #RUNNING}, or an envelope taken in place (below).</li>
 * </ul>
 * So a sender's push is its only atomic instruction, and the one push that finds the actor idle
 * learns it from that compare-and-set ({@link #enqueue} returns true) and schedules the run: no
 * separate status flag. The consumer takes the whole stack with one compare-and-set (top to
 * {@link #RUNNING}), after counting it in place ({@link #taken}), and reverses it into a batch it
 * hands out in order; when the batch and the inbox are empty it goes idle with one
 * compare-and-set ({@link #RUNNING} to null, {@link #tryIdle}), which fails if a sender pushed
 * meanwhile. An envelope alone in the inbox (pushed onto the idle actor: its link is null, the
 * usual case of an actor answering one message at a time) is taken in place instead: counted,
 * marked by a link to itself, and handed out while the inbox still holds it; envelopes pushed
 * later link to it and are taken as above, down to it (excluded), and with nothing pushed the run
 * goes idle with one compare-and-set of it to null. So a message to an idle actor costs two locked
 * instructions (the push, and going idle), not three. So:
 * <ul>
 *   <li>{@link #enqueue} may be called from any thread; it never blocks and allocates nothing (an
 *       envelope is its own queue node, and is enqueued at most once);</li>
 *   <li>{@link #dequeue}, {@link #tryIdle} and {@link #isMailboxEmpty} may only be called by the
 *       consumer, the thread executing the actor, between the push that scheduled it and its
 *       {@link #tryIdle} (runs are ordered by these compare-and-sets: each run sees what the
 *       previous one wrote);</li>
 *   <li>envelopes come out in the order their {@code enqueue} took effect, so the envelopes of one
 *       producer come out in the order it enqueued them (FIFO per producer, rule R3);</li>
 *   <li>envelopes taken from the inbox are counted ({@link #taken}) before they leave it, so a
 *       reader that reads the inbox and then the count never misses a waiting envelope.</li>
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
  /** {@link Envelope#next}: a taken envelope left in the inbox links to itself (see dequeue). */
  private static final VarHandle NEXT;
  /**
   * What the inbox holds while a run is scheduled or under way and no envelope waits: never
   * executed, never handed out. The oldest envelope pushed during a run links to it.
   */
  private static final Envelope RUNNING = new Envelope() {
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
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      INBOX = lookup.findVarHandle(Mailbox.class, "inbox", Envelope.class);
      NEXT = lookup.findVarHandle(Envelope.class, "next", Envelope.class);
      // C2 does not inline a call whose signature names a class not loaded yet, and Batch would
      // be loaded only by a take of two envelopes or more: until then (in a ping-pong, for ever)
      // every batch() would be an out-of-line call
      lookup.ensureInitialized(Batch.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Null (idle), {@link #RUNNING}, or the newest envelope not taken yet (see the class comment). */
  @SuppressWarnings("unused") // through INBOX
  private volatile @Nullable Envelope inbox;
  /**
   * Envelopes taken by the consumer and not handed out yet, or null when there are none; consumer
   * only. The cursor lives in a small object of its own, allocated per take of two envelopes or
   * more, so that handing out each envelope stores into that young object rather than into the
   * actor, a long-lived (old) object (why that matters: {@link TurnContext}). The cell keeps the
   * field, with its scheduling state, past the padding that gives the inbox a cache line of its own
   * (see {@link CellHeader}).
   */
  abstract @Nullable Batch batch();

  /** Sets {@link #batch()}; the consumer only. */
  abstract void batch(@Nullable Batch b);

  /** The rest of a take, oldest first (see {@link #batch()}). */
  static final class Batch {
    /** The next envelope to hand out; never null while the batch is the mailbox's. */
    Envelope next;

    Batch(Envelope next) {
      this.next = next;
    }
  }

  /**
   * Adds an envelope; any thread, lock-free.
   *
   * @return whether the actor was idle: then the caller, and no one else, must schedule a run
   */
  final boolean enqueue(Envelope e) {
    Envelope top;
    do {
      top = (Envelope) INBOX.getAcquire(this);
      e.next = top; // published by the compare-and-set below
    } while (!INBOX.weakCompareAndSetRelease(this, top, e));
    return top == null;
  }

  /** Takes the oldest envelope, or returns null when there is none; the consumer only. */
  final @Nullable Envelope dequeue() {
    Batch b = batch();
    Envelope e;
    if (b != null) {
      e = b.next;
      Envelope following = e.next;
      if (following == null) {
        batch(null);
      } else {
        b.next = following;
      }
    } else {
      Envelope top = (Envelope) INBOX.getAcquire(this);
      if (top == RUNNING) {
        return null;
      }
      Envelope below = java.util.Objects.requireNonNull(top, "a run found its actor idle").next;
      if (below == top) {
        return null; // taken in place already: nothing pushed since
      }
      if (below == null) {
        // alone in the inbox, pushed onto the idle actor: taken where it lies, counted first, and
        // marked by a link to itself; the actor goes idle with one compare-and-set of it to null
        taken(1);
        NEXT.setRelease(top, top);
        return top;
      }
      e = take(top);
      Envelope following = e.next;
      if (following != null) {
        batch(new Batch(following));
      }
    }
    e.next = null;
    return e;
  }

  /**
   * Takes every envelope of the inbox, counted first: the links below the top never change while
   * they are in the inbox (senders only push above it), so the consumer counts them in place and
   * then swaps the top for {@link #RUNNING}; if senders pushed meanwhile, it counts those too and
   * tries again. Returns them oldest first.
   */
  private Envelope take(Envelope top) {
    int count = countDown(top, null);
    for (;;) {
      taken(count);
      if (INBOX.compareAndSet(this, top, RUNNING)) {
        break;
      }
      Envelope newer = (Envelope) INBOX.getAcquire(this);
      count = countDown(newer, top);
      top = newer;
    }
    Envelope stack = top;
    Envelope reversed = null;
    while (isWaiting(stack)) {
      Envelope following = stack.next;
      stack.next = reversed;
      reversed = stack;
      stack = following;
    }
    return java.util.Objects.requireNonNull(reversed);
  }

  /** Counts the envelopes from {@code from} down to {@code end} (excluded) or the stack's end. */
  private static int countDown(@Nullable Envelope from, @Nullable Envelope end) {
    int n = 0;
    for (Envelope e = from; e != end && isWaiting(e); e = e.next) {
      n++;
    }
    return n;
  }

  /**
   * Marks the actor idle if no envelope waits; the consumer only, at the end of its run.
   *
   * @return true if the actor is idle now (the run must end without touching it again), false if
   *     envelopes wait (the run still owns the actor)
   */
  final boolean tryIdle() {
    return batch() == null && goIdle((Envelope) INBOX.getAcquire(this));
  }

  /**
   * Swaps the inbox's {@code top} for null if nothing waits in it (it holds {@link #RUNNING} or an
   * envelope taken in place); fails if a sender pushed meanwhile. The consumer only.
   */
  private boolean goIdle(@Nullable Envelope top) {
    return (top == RUNNING || isTakenInPlace(top)) && INBOX.compareAndSet(this, top, null);
  }

  /** Whether {@code e} was taken where it lies (the bottom of the inbox, executed or executing). */
  private static boolean isTakenInPlace(@Nullable Envelope e) {
    return e != null && NEXT.getAcquire(e) == e;
  }

  /**
   * Ends a run that failed between envelopes; the consumer only. Envelopes the run took and did
   * not hand out stay first in line.
   *
   * @return true if envelopes wait (the caller must schedule a run again), false if the actor is
   *     idle now, or was found idle (a run that did not own it: nothing to give back)
   */
  final boolean releaseAfterFailure() {
    if (batch() != null) {
      return true;
    }
    Envelope top = (Envelope) INBOX.getAcquire(this);
    return top != null && !goIdle(top);
  }

  /**
   * The consumer counted {@code count} envelopes it is about to take out of the inbox; called
   * before they leave it. The consumer only.
   */
  abstract void taken(int count);

  /**
   * Whether the inbox holds envelopes not taken by the consumer yet; any thread. Read it before
   * the count of taken envelopes.
   */
  final boolean inboxHoldsEnvelopes() {
    return isWaiting((Envelope) INBOX.getAcquire(this));
  }

  /**
   * Whether {@code e} is an envelope waiting to be taken: not the end of the inbox's stack (null,
   * {@link #RUNNING}, or an envelope taken in place, which the envelopes pushed after it link to).
   */
  private static boolean isWaiting(@Nullable Envelope e) {
    return e != null && e != RUNNING && !isTakenInPlace(e);
  }

  /**
   * Counts the envelopes in the inbox, not taken yet; any thread, a hint: the walk may meet the
   * consumer reversing what it took (it still ends: reversed links lead to the newest envelope of
   * the take, whose link is null).
   */
  final int countInbox() {
    return countDown((Envelope) INBOX.getAcquire(this), null);
  }

  /**
   * Whether the actor is idle: no envelope waits and no run is scheduled or under way; any thread,
   * a hint while messages move.
   */
  final boolean isIdle() {
    return INBOX.getAcquire(this) == null;
  }

  /** Whether no envelope is waiting; exact for the consumer, a hint for anyone else. */
  final boolean isMailboxEmpty() {
    return batch() == null && !isWaiting((Envelope) INBOX.getAcquire(this));
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

package io.reactant.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import org.jspecify.annotations.Nullable;

/**
 * A pool thread with a one-actor hand-off slot: while an actor runs on it, an actor that the
 * running one wakes up (by sending it a message, or by answering a call it awaits) can be parked
 * in the slot instead of being submitted to the pool, and is then run by this same thread as soon
 * as the running actor gives the thread back. A ping-pong, or a chain of awaits, thus stays on one
 * thread without waking another one per message.
 *
 * <p>The slot is only read and written by its own thread. Its value is {@code null} when no actor
 * runs on the thread (nothing may be parked), the running actor's runtime when the slot is open
 * and empty, or the parked {@link ActorCell}. {@link ActorCell} is the only user; it guarantees
 * that a parked actor is run or submitted to the pool before the running actor starts another
 * envelope of its own (see {@code ActorCell.run}).
 *
 * <p>It also carries the thread's own count of calls in flight ({@link InFlight}), and a count
 * of the actor runs it started (see {@link ActorPool}).
 *
 * <p>The slot is a field of a small holder object, replaced by a new one every {@link
 * #RUNS_PER_SLOT} runs, rather than a field of the thread: a hand-off stores an actor (or the
 * runtime) into the slot several times per message, and the thread is an old object (why that
 * matters: {@link TurnContext}).
 *
 * <p>A class rather than an interface on purpose: the runtime tests for it on every scheduling,
 * and a class test is a constant-time check of the thread's class hierarchy, while a test for an
 * interface goes through the JVM's one-entry cache of the class's interfaces, which other
 * interface tests of the same thread class would keep evicting. {@link ContextCarrier}, a
 * subclass, is the class of the runtime's pool threads.
 */
public abstract class HandOffThread extends ForkJoinWorkerThread {

  /**
   * How many runs of actors a thread starts with one slot holder before it takes a new one: a
   * holder rarely lives through a young collection, and the allocation costs nothing measurable.
   */
  static final int RUNS_PER_SLOT = 4096;

  private Slot slot = new Slot();
  /** Runs of actors started on this thread, to pace the admission of submissions. */
  private int runs;
  /** This thread's own count of calls in flight, for the system that uses it (see InFlight). */
  private @Nullable Object inFlight;

  protected HandOffThread(ForkJoinPool pool) {
    super(pool);
  }

  final @Nullable Object handOff() {
    return slot.value;
  }

  final void handOff(@Nullable Object value) {
    slot.value = value;
  }

  /**
   * Counts one more run of an actor on this thread; returns the new count (it wraps). Every
   * {@link #RUNS_PER_SLOT} runs the slot moves to a new, young holder.
   */
  final int countRun() {
    int r = ++runs;
    if ((r & (RUNS_PER_SLOT - 1)) == 0) {
      renewSlot();
    }
    return r;
  }

  /**
   * Moves the slot to a new holder, keeping its value; this thread only. Besides every {@link
   * #RUNS_PER_SLOT} runs, the runtime calls it along a long chain of hand-offs within one run.
   */
  final void renewSlot() {
    Slot renewed = new Slot();
    renewed.value = slot.value;
    slot = renewed;
  }

  /** The holder of the hand-off slot (see the class comment). */
  private static final class Slot {
    @Nullable Object value;
  }

  final @Nullable Object inFlight() {
    return inFlight;
  }

  final void inFlight(@Nullable Object counter) {
    inFlight = counter;
  }
}

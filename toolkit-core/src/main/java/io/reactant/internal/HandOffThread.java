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
 * <p>A class rather than an interface on purpose: the runtime tests for it on every scheduling,
 * and a class test is a constant-time check of the thread's class hierarchy, while a test for an
 * interface goes through the JVM's one-entry cache of the class's interfaces, which other
 * interface tests of the same thread class would keep evicting. {@link ContextCarrier}, a
 * subclass, is the class of the runtime's pool threads.
 */
public abstract class HandOffThread extends ForkJoinWorkerThread {

  private @Nullable Object handOff;
  /** Runs of actors started on this thread, to pace the admission of submissions. */
  private int runs;
  /** This thread's own count of calls in flight, for the system that uses it (see InFlight). */
  private @Nullable Object inFlight;

  protected HandOffThread(ForkJoinPool pool) {
    super(pool);
  }

  final @Nullable Object handOff() {
    return handOff;
  }

  final void handOff(@Nullable Object slot) {
    handOff = slot;
  }

  /** Counts one more run of an actor on this thread; returns the new count (it wraps). */
  final int countRun() {
    return ++runs;
  }

  final @Nullable Object inFlight() {
    return inFlight;
  }

  final void inFlight(@Nullable Object counter) {
    inFlight = counter;
  }
}

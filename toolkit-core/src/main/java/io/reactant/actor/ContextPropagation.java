package io.reactant.actor;

import org.jspecify.annotations.Nullable;

/**
 * Carries a caller's thread-local context (a trace, a logging MDC) into the turns that run its
 * message, on whatever thread runs them: set one with {@link
 * ActorSystemConfig.Builder#contextPropagation}. {@link
 * io.reactant.context.MicrometerContextPropagation#create()} is one over Micrometer's
 * {@code context-propagation} library (an optional dependency), which the Spring Boot starter sets
 * when the library is present.
 *
 * <p>What the runtime does with it:
 *
 * <ul>
 *   <li>{@link #capture} runs on the sender's thread when a message is made: an update or oneway
 *       call (from outside the system or from a turn), a composite query, the creation of an
 *       actor class's instance ({@code spawn}), and a timer set in a turn or an initializer. A
 *       turn's thread holds the context restored for that turn (plus what the turn's code changed
 *       since), so a context flows down a chain of actors.
 *   <li>{@link #restore} runs on the actor's thread around every turn of that message: its first
 *       turn and each continuation after an await (which restores the context of the call the
 *       method runs for, not the awaited call's), the turn's commit and reply included; around each
 *       firing of a timer, with the context of the turn that set it; around an actor class's
 *       initializer; and around each part of a composite query after an await. The scope it
 *       returns is closed at the end of the turn, on the same thread, and must put back what the
 *       thread held before, so that nothing leaks into the next turn, of another message, that the
 *       thread runs. Turns nested on one thread (a scheduler that runs a task inline) nest their
 *       scopes.
 *   <li>A plain query runs on its caller's thread, in its caller's context, and restores nothing;
 *       one made in a turn runs when the turn commits, in the context restored for the turn.
 * </ul>
 *
 * <p>Here an exception is anything either method throws, an {@link Error} too (an {@code
 * AssertionError}, a {@code NoClassDefFoundError} of a tracing library's accessor).
 * An exception thrown by {@link #restore} traps the turn (rule R12): nothing of it commits and
 * its caller's future fails with code 5, whose message says that restoring the context failed.
 * A composite query's part whose restore throws does not run either: the query fails so, unless
 * answered already, and its {@code Mono} is cancelled, without the context (its cancellation
 * hooks run; nothing else of it runs after its answer).
 * One thrown by {@link #capture} in a turn traps that turn, as any exception of its code does
 * (caught by that code, the message was not made: a call takes none of the cycles attached to it;
 * nothing is captured where no message can be made, a query's creation of an actor or timer,
 * whose refusal traps as ever);
 * outside the system it refuses the message with code 5, whose message says that capturing the
 * context failed (a call's or a spawn's {@code Mono} fails, {@code ActorRefs.sendOneway} throws
 * the reject, a oneway called through its reference is dropped; the listener hears a call's
 * rejection, a creation's tells it nothing, as any); a composite query, whose context is
 * captured when it runs (for one made in a turn, at the turn's commit), fails with code 5 too,
 * the turn's other effects released. One thrown by closing the scope is logged as a warning (the
 * turn has ended by then).
 *
 * <p>With none configured the runtime does one null check per message and per turn, and nothing
 * else. Implementations must be thread-safe; both methods run on the hot path of every message.
 */
public interface ContextPropagation {

  /**
   * Captures the current thread's context, to carry with a message made now.
   *
   * @return an opaque snapshot, or null to carry nothing (then nothing is restored)
   */
  @Nullable Object capture();

  /**
   * Makes {@code snapshot}, which {@link #capture} returned, the current thread's context.
   *
   * @return a scope whose {@link Scope#close} puts back what the thread held before
   */
  Scope restore(Object snapshot);

  /** The lifetime of a restored context on one thread. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    /** Puts back the context the thread held before the restore; on the restoring thread. */
    @Override
    void close();
  }
}

package io.reactant.internal;

import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

/**
 * A pool thread that keeps the runtime's per-thread data in fields: its current
 * {@link ExecutionContext}, the {@link TurnContext} it reuses for the turns it runs and the
 * {@link InitContext} it reuses for the actors it creates (and, as a
 * {@link HandOffThread}, its hand-off slot). On these
 * threads the runtime pays for neither a thread-local lookup nor an interface type check (a class
 * check is one comparison), which matters because every state access asks for the context.
 * Threads of other executors use thread-locals.
 */
public abstract class ContextCarrier extends HandOffThread {

  /**
   * The current context, unless it is {@link #turnContext} (then {@code turnContext.entered} says
   * so, and this field is not read): entering and leaving the thread's own turn context stores no
   * reference in the thread (see {@link Contexts#enter}).
   */
  @Nullable ExecutionContext context;
  /**
   * The turn context this thread reuses, replaced by a new one every {@link
   * TurnContext#TURNS_PER_CONTEXT} turns so that it stays a young object (see {@link
   * TurnContext#acquire}). Written by this thread only; the {@link Watchdog} reads it racily.
   */
  TurnContext turnContext = TurnContext.newForThread(this);
  /**
   * Turns run with {@link #turnContext} since it was created, counted as each starts; written by
   * this thread only, and read racily by the {@link Watchdog}, which tells turns apart by it.
   */
  int turnsOnContext;
  final InitContext initContext = new InitContext();

  protected ContextCarrier(ForkJoinPool pool) {
    super(pool);
  }

  /** Registers the thread with the runtime's {@link Watchdog} while it lives. */
  @Override
  protected final void onStart() {
    super.onStart();
    Watchdog.threadStarted(this);
  }

  @Override
  protected final void onTermination(@Nullable Throwable exception) {
    Watchdog.threadEnded(this);
    super.onTermination(exception);
  }
}

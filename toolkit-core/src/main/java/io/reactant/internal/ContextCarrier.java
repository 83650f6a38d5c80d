package io.reactant.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import org.jspecify.annotations.Nullable;

/**
 * A pool thread that keeps the runtime's per-thread data in fields: its current
 * {@link ExecutionContext}, the {@link TurnContext} it reuses for the turns it runs, and its
 * hand-off slot ({@link HandOffCarrier}). On these
 * threads the runtime pays for neither a thread-local lookup nor an interface type check (a class
 * check is one comparison), which matters because every state access asks for the context.
 * Threads of other executors use thread-locals.
 */
public abstract class ContextCarrier extends ForkJoinWorkerThread implements HandOffCarrier {

  @Nullable ExecutionContext context;
  final TurnContext turnContext = TurnContext.newForThread();
  private @Nullable Object handOff;

  protected ContextCarrier(ForkJoinPool pool) {
    super(pool);
  }

  @Override
  public final @Nullable Object handOff() {
    return handOff;
  }

  @Override
  public final void handOff(@Nullable Object slot) {
    handOff = slot;
  }
}

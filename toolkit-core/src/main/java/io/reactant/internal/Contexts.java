package io.reactant.internal;

import org.jspecify.annotations.Nullable;

/** Reads and switches the current thread's {@link ExecutionContext}. */
public final class Contexts {

  private static final ThreadLocal<@Nullable ExecutionContext> CURRENT = new ThreadLocal<>();

  private Contexts() {
  }

  /** Returns the context the current thread executes, or null outside any actor. */
  public static @Nullable ExecutionContext current() {
    Thread t = Thread.currentThread();
    if (t instanceof ContextCarrier c) {
      TurnContext own = c.turnContext;
      return own.entered ? own : c.context;
    }
    return CURRENT.get();
  }

  /**
   * Makes {@code context} current and returns the one it replaces, to give to {@link #restore}.
   * The actor of a turn context knows when that context is its thread's current one (see
   * {@link StateStore#runner}): this is the only place where a thread's context changes.
   *
   * <p>On a pool thread, entering or leaving the thread's own turn context flips a flag in that
   * (young) context instead of storing it in the thread, an old object (why that matters: {@link
   * TurnContext}). While the flag is set, the thread's {@code context} field is ignored; any other
   * context is stored there.
   */
  static @Nullable ExecutionContext enter(@Nullable ExecutionContext context) {
    Thread t = Thread.currentThread();
    ExecutionContext previous;
    if (t instanceof ContextCarrier c) {
      TurnContext own = c.turnContext;
      previous = own.entered ? own : c.context;
      if (context == own) {
        own.entered = true;
      } else {
        own.entered = false;
        if (c.context != context) {
          c.context = context;
        }
      }
    } else {
      previous = CURRENT.get();
      // set, not removed, when leaving: a removed entry is created again (an allocation) by the
      // thread's next call, and an entry holding null keeps nothing reachable
      CURRENT.set(context);
    }
    if (previous instanceof TurnContext left && left.cell != null) {
      left.cell.runner(0L);
    }
    if (context instanceof TurnContext entered && entered.cell != null) {
      entered.cell.runner(entered.thread.getId());
    }
    return previous;
  }

  static void restore(@Nullable ExecutionContext previous) {
    enter(previous);
  }

  /**
   * Runs {@code task} on this thread outside any actor's context (no part of the turn or query
   * this thread may be in: what it runs sends as no actor, rules R17 and R21), then restores the
   * thread's context, whatever the task threw.
   */
  static void runOutside(Runnable task) {
    ExecutionContext previous = enter(null);
    try {
      task.run();
    } finally {
      restore(previous);
    }
  }
}

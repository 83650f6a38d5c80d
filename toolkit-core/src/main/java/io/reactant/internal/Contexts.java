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
      return c.context;
    }
    return CURRENT.get();
  }

  /** Makes {@code context} current and returns the one it replaces, to give to {@link #restore}. */
  static @Nullable ExecutionContext enter(@Nullable ExecutionContext context) {
    Thread t = Thread.currentThread();
    if (t instanceof ContextCarrier c) {
      ExecutionContext previous = c.context;
      c.context = context;
      return previous;
    }
    ExecutionContext previous = CURRENT.get();
    if (context == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(context);
    }
    return previous;
  }

  static void restore(@Nullable ExecutionContext previous) {
    enter(previous);
  }
}

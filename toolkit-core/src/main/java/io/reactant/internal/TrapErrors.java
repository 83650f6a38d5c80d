package io.reactant.internal;

import io.reactant.actor.ActorId;
import io.reactant.error.CallError;
import io.reactant.error.TrapSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Makes the {@link CallError}s of traps (code 5), the only ones that carry a {@link TrapSite}:
 * through the error's private constructor, so that no user code can make one that claims to be
 * the runtime's.
 */
final class TrapErrors {

  /** {@code CallError(TrapSite, String, Throwable)}, private: this package's module reaches it. */
  private static final MethodHandle TRAPPED;

  static {
    try {
      TRAPPED = MethodHandles.privateLookupIn(CallError.class, MethodHandles.lookup())
          .findConstructor(CallError.class,
              MethodType.methodType(void.class, TrapSite.class, String.class, Throwable.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TrapErrors() {
  }

  /**
   * The error of a trap of {@code actor}, reached through an interface {@code type}, in the code
   * {@code where} names (see {@link TrapSite}), with {@code message} and the exception it trapped
   * with as its cause.
   */
  static CallError trapped(ActorId actor, Class<?> type, String where, String message,
      Throwable cause) {
    return trapped(new TrapSite(actor, type, where), message, cause);
  }

  /** As {@link #trapped(ActorId, Class, String, String, Throwable)}, at {@code site}. */
  static CallError trapped(TrapSite site, String message, Throwable cause) {
    try {
      return (CallError) TRAPPED.invokeExact(site, message, cause);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e); // the constructor throws nothing checked
    }
  }
}

package io.reactant.internal;

import io.reactant.actor.ActorId;
import io.reactant.error.CallError;
import io.reactant.error.TrapSite;
import java.lang.invoke.MethodHandles;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Makes the {@link CallError}s that carry facts only the runtime may state: the error of a trap
 * (code 5), the only one with a {@link TrapSite}, and the refusal of a call to an actor of another
 * type (code 3, rules R1, R23), the only one with {@link CallError#actorOfAnotherType()}. Both go
 * through private constructors of the error, which {@code CallError} hands over to this class when
 * it is initialized, so that no user code can make one that claims to be the runtime's. Objects
 * rather than a reflective lookup of the constructors: nothing for a native image to register.
 */
public final class RuntimeErrors {

  /** {@code CallError}'s private constructors of the runtime's errors. */
  public interface Makers {
    /** The error, code 5, of a trap at {@code site}. */
    CallError trapped(TrapSite site, String message, Throwable cause);

    /** The refusal, code 3, of a call to {@code actor}, which is of another type. */
    CallError ofAnotherType(ActorId actor, String message);
  }

  private static volatile @Nullable Makers makers;

  private RuntimeErrors() {
  }

  /**
   * Takes {@code CallError}'s makers: called once, by its static initializer. Public only because
   * {@code CallError} is in another package: any other caller is refused, so that no code can
   * take the makers' place (and make {@code CallError}'s initialization fail) by calling it first.
   *
   * @throws IllegalCallerException if the caller is not {@code CallError}
   * @throws IllegalStateException on a second call
   */
  public static synchronized void install(Makers m) {
    Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .getCallerClass();
    if (caller != CallError.class) {
      throw new IllegalCallerException("Only CallError installs its makers, not " + caller);
    }
    if (makers != null) {
      throw new IllegalStateException("CallError's makers are installed already");
    }
    makers = Objects.requireNonNull(m, "makers");
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
    return makers().trapped(site, message, cause);
  }

  /**
   * The refusal of a call to {@code actor}, an actor whose class does not implement the type of
   * the reference the call went through, with {@code message} (which names the actor's type).
   */
  static CallError ofAnotherType(ActorId actor, String message) {
    return makers().ofAnotherType(actor, message);
  }

  private static Makers makers() {
    Makers m = makers;
    if (m == null) {
      // CallError installs them as it is initialized: have it initialized (by another thread
      // maybe, which this waits for), then read them again
      try {
        MethodHandles.lookup().ensureInitialized(CallError.class);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e); // a public class: it is accessible
      }
      m = Objects.requireNonNull(makers, "CallError installed no makers");
    }
    return m;
  }
}

package io.reactant.internal;

import io.reactant.actor.ActorId;
import io.reactant.error.CallError;
import io.reactant.error.TrapSite;
import java.lang.invoke.MethodHandles;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Makes the {@link CallError}s of traps (code 5), the only ones that carry a {@link TrapSite}:
 * through the error's private constructor, which {@code CallError} hands over to this class when
 * it is initialized, so that no user code can make one that claims to be the runtime's. A lambda
 * rather than a reflective lookup of the constructor: nothing for a native image to register.
 */
public final class TrapErrors {

  /** {@code CallError}'s private constructor of a trap's error. */
  @FunctionalInterface
  public interface Maker {
    /** The error, code 5, of a trap at {@code site}. */
    CallError trapped(TrapSite site, String message, Throwable cause);
  }

  private static volatile @Nullable Maker maker;

  private TrapErrors() {
  }

  /**
   * Takes {@code CallError}'s maker: called once, by its static initializer. Public only because
   * {@code CallError} is in another package: any other caller is refused, so that no code can
   * take the maker's place (and make {@code CallError}'s initialization fail) by calling it first.
   *
   * @throws IllegalCallerException if the caller is not {@code CallError}
   * @throws IllegalStateException on a second call
   */
  public static synchronized void install(Maker m) {
    Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .getCallerClass();
    if (caller != CallError.class) {
      throw new IllegalCallerException("Only CallError installs its maker, not " + caller);
    }
    if (maker != null) {
      throw new IllegalStateException("CallError's maker is installed already");
    }
    maker = Objects.requireNonNull(m, "maker");
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
    Maker m = maker;
    if (m == null) {
      // CallError installs it as it is initialized: have it initialized (by another thread
      // maybe, which this waits for), then read it again
      try {
        MethodHandles.lookup().ensureInitialized(CallError.class);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e); // a public class: it is accessible
      }
      m = Objects.requireNonNull(maker, "CallError installed no maker");
    }
    return m.trapped(site, message, cause);
  }
}

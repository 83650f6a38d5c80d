package io.reactant.internal;

import io.reactant.actor.ActorId;
import io.reactant.error.CallError;
import java.lang.invoke.MethodHandles;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Makes the {@link CallError}s the runtime refuses a call with when the actor its reference's id
 * names is not of the reference's type (code 3, rules R1, R23), the only ones that carry {@link
 * CallError#actorOfAnotherType()}: through the error's private constructor, which {@code CallError}
 * hands over to this class when it is initialized, so that no user code can make one that claims
 * to be the runtime's. As {@link TrapErrors} does for the errors of traps.
 */
public final class AnotherTypeRefusals {

  /** {@code CallError}'s private constructor of such a refusal. */
  @FunctionalInterface
  public interface Maker {
    /** The refusal, code 3, of a call to {@code actor}, which is of another type. */
    CallError refusal(ActorId actor, String message);
  }

  private static volatile @Nullable Maker maker;

  private AnotherTypeRefusals() {
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
   * The refusal of a call to {@code actor}, an actor whose class does not implement the type of
   * the reference the call went through, with {@code message} (which names the actor's type).
   */
  static CallError refusal(ActorId actor, String message) {
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
    return m.refusal(actor, message);
  }
}

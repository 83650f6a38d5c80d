package io.reactant.spring.boot;

import io.reactant.error.ReactantException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when the actors declared with {@link ActorBean} are misconfigured: a class
 * that is not an actor, an interface that cannot be an actor type, an actor type or name declared
 * twice, two singletons of one id, an id on an actor that is not a singleton, a dependency of a
 * singleton or virtual actor that no bean satisfies, or several with none chosen (of its
 * constructor, or an injected field or method).
 *
 * <p>It carries the action that fixes the problem, which the startup failure report prints.
 */
public class ActorDeclarationException extends ReactantException {

  private static final long serialVersionUID = 1L;

  private final String action;

  public ActorDeclarationException(String message, String action) {
    super(message);
    this.action = action;
  }

  /** An exception whose cause is what Spring reported of the declaration. */
  public ActorDeclarationException(String message, String action, @Nullable Throwable cause) {
    super(message, cause);
    this.action = action;
  }

  /** Returns what to change to fix the declaration. */
  public String action() {
    return action;
  }
}

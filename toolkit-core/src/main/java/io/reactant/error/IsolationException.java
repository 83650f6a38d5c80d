package io.reactant.error;

/**
 * Thrown when an actor's state is read or written from outside one of that actor's own turns
 * (rule R1), or when a turn-only operation (sending, awaiting, asking for the caller) is used
 * outside an asynchronous context (rule R17).
 *
 * <p>It is raised at once, on the offending thread, instead of letting a race happen.
 */
public class IsolationException extends ReactantException {

  private static final long serialVersionUID = 1L;

  public IsolationException(String message) {
    super(message);
  }
}

package io.reactant.error;

import org.jspecify.annotations.Nullable;

/**
 * An explicit trap, the equivalent of Motoko's {@code Debug.trap} (rule R12).
 *
 * <p>Like any exception other than a {@link CallError} that escapes a turn, a trap rolls back every
 * tentative state change and send of the current turn, and the caller's future fails with code 5
 * ({@link RejectCode#CANISTER_ERROR}) and a message that names the actor and the method, then
 * this message ({@code counter-1 trapped in Counter.bump(): this message}), and whose {@link
 * CallError#trapSite()} says where, as data. The toolkit also
 * throws it when an actor breaks a restriction that the rules define as a trap (a send from an
 * initializer or a query, rules R18 and R19; an await that would deadlock, R13; cycles that run
 * out, R22).
 *
 * <p>A trap the toolkit throws, or {@code Actor.trap} throws, cannot be caught: the turn, query
 * or initializer it was thrown in traps even if the actor's code catches the exception. One the
 * code constructs and throws itself is an ordinary exception until it escapes.
 */
public class Trap extends ReactantException {

  private static final long serialVersionUID = 1L;

  public Trap(String message) {
    super(message);
  }

  public Trap(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}

package io.reactant.error;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The error a call's future fails with: a {@link RejectCode} and a message.
 *
 * <p>Inside an actor, throwing a {@code CallError} (or returning {@code Mono.error} of one) is an
 * <em>explicit reject</em> (rule R11): the turn's state changes up to the throw are committed,
 * the messages it sent are delivered, and the caller's future fails with code 4
 * ({@link RejectCode#CANISTER_REJECT}) and the same message, whatever code the thrown error had
 * (rule R12a). Any other exception escaping a turn is a trap (rule R12).
 *
 * <p>A {@code CallError} of code 5 carries, as its cause, the exception the callee trapped with,
 * for the logs of the process. It has no stack trace of its own: rejects are frequent and cheap.
 *
 * <pre>{@code
 * return account.withdraw(10)
 *     .onErrorResume(CallError.class, e -> e.code() == RejectCode.CANISTER_REJECT
 *         ? Mono.just(0L)
 *         : Mono.error(e));
 * }</pre>
 */
public class CallError extends ReactantException {

  private static final long serialVersionUID = 1L;

  private final RejectCode code;
  private final String rejectMessage;

  public CallError(RejectCode code, String message) {
    this(code, message, null);
  }

  public CallError(RejectCode code, String message, @Nullable Throwable cause) {
    super(format(Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message")),
        cause, false);
    this.code = code;
    this.rejectMessage = message;
  }

  /**
   * Returns an explicit reject (code 4) with the given message, to throw or to signal from a
   * shared method.
   */
  public static CallError reject(String message) {
    return new CallError(RejectCode.CANISTER_REJECT, message);
  }

  /** Returns the reject code. */
  public RejectCode code() {
    return code;
  }

  /** Returns the reject message, without the code prefix that {@link #getMessage()} adds. */
  public String rejectMessage() {
    return rejectMessage;
  }

  private static String format(RejectCode code, String message) {
    return "[" + code.code() + " " + code.name() + "] " + message;
  }
}

package io.reactant.error;

/**
 * The reject codes of the Internet Computer, carried by every failed call (rule R12a).
 *
 * <p>Codes 1, 2 and 3 are <em>clean</em>: the callee's state did not change. Code 4 is an explicit
 * reject by the callee (its state up to the reject is committed). Code 5 is a trap of the callee
 * (its current turn was rolled back, but what it committed at earlier awaits stays). Code 6 means
 * the caller stopped waiting: the callee may or may not have run the call.
 *
 * <p>An actor chooses a reject's message, never its code: a system error (1, 2, 3, 5, 6) that
 * leaves a shared method, re-thrown or unhandled, reaches that method's caller as code 4
 * ({@link #CANISTER_REJECT}) with the same message.
 */
public enum RejectCode {
  /** 1: a fatal system error. */
  SYS_FATAL(1),
  /** 2: a transient system error, for example a full mailbox or a system shutting down. Clean. */
  SYS_TRANSIENT(2),
  /** 3: the destination is invalid: no such actor, or no such method on it. Clean. */
  DESTINATION_INVALID(3),
  /** 4: the callee rejected the call explicitly (or let an error of its own callee escape). */
  CANISTER_REJECT(4),
  /** 5: the callee trapped: its current turn was rolled back. */
  CANISTER_ERROR(5),
  /** 6: a bounded-wait call timed out: the callee may or may not have run it. */
  SYS_UNKNOWN(6);

  private final int code;

  RejectCode(int code) {
    this.code = code;
  }

  /** Returns the numeric code, 1 to 6, as on the Internet Computer. */
  public int code() {
    return code;
  }

  /**
   * Returns whether a call that failed with this code certainly left the callee's state
   * unchanged (codes 1, 2 and 3).
   */
  public boolean isClean() {
    return code <= 3;
  }

  /**
   * Returns the reject code with the given number.
   *
   * @throws IllegalArgumentException if {@code code} is not between 1 and 6
   */
  public static RejectCode of(int code) {
    for (RejectCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    throw new IllegalArgumentException("No reject code " + code + " (valid codes are 1 to 6)");
  }
}

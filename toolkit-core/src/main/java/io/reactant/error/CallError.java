package io.reactant.error;

import io.reactant.actor.ActorId;
import io.reactant.internal.RuntimeErrors;
import java.util.Objects;
import java.util.Optional;
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
 * <p>One the runtime made from a trap also says, as data, where the actor trapped: see {@link
 * #trapSite()}; one by which it refused a call to an actor of another type says which actor: see
 * {@link #actorOfAnotherType()}.
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

  /**
   * Where the actor trapped, for an error the runtime made from a trap; null for any other. Not
   * serialized: a {@code CallError} read back from bytes was not made by this runtime.
   */
  private final transient @Nullable TrapSite trapSite;

  /**
   * The actor of another type that the runtime refused a call to, for that refusal; null for any
   * other error. Not serialized, as {@link #trapSite}.
   */
  private final transient @Nullable ActorId actorOfAnotherType;

  static {
    // the runtime's only way to make the error of a trap, and the refusal of a call to an actor
    // of another type
    RuntimeErrors.install(new RuntimeErrors.Makers() {
      @Override
      public CallError trapped(TrapSite site, String message, Throwable cause) {
        return new CallError(site, message, cause);
      }

      @Override
      public CallError ofAnotherType(ActorId actor, String message) {
        return new CallError(actor, message);
      }
    });
  }

  public CallError(RejectCode code, String message) {
    this(code, message, null);
  }

  public CallError(RejectCode code, String message, @Nullable Throwable cause) {
    super(format(Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message")),
        cause, false);
    this.code = code;
    this.rejectMessage = message;
    this.trapSite = null;
    this.actorOfAnotherType = null;
  }

  /**
   * The error of a trap at {@code site}: code 5. The runtime's only (this class hands it over
   * to {@code io.reactant.internal.RuntimeErrors} as it is initialized), so that a site is always
   * the runtime's word.
   */
  private CallError(TrapSite site, String message, Throwable cause) {
    super(format(RejectCode.CANISTER_ERROR, message), cause, false);
    this.code = RejectCode.CANISTER_ERROR;
    this.rejectMessage = message;
    this.trapSite = site;
    this.actorOfAnotherType = null;
  }

  /**
   * The refusal of a call to {@code actor}, an actor whose class does not implement the type of the
   * reference the call went through: code 3. The runtime's only (this class hands it over to
   * {@code io.reactant.internal.RuntimeErrors} as it is initialized), so that {@link
   * #actorOfAnotherType()} is always the runtime's word.
   */
  private CallError(ActorId actor, String message) {
    super(format(RejectCode.DESTINATION_INVALID, message), null, false);
    this.code = RejectCode.DESTINATION_INVALID;
    this.rejectMessage = message;
    this.trapSite = null;
    this.actorOfAnotherType = actor;
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

  /**
   * Returns where the actor trapped, for an error the runtime made from a trap (code 5, rule R12):
   * which actor, the actor interface, and which of its code (a method, the ingress inspection of
   * one, or the initializer: see {@link TrapSite}). The message says the same in words, but the
   * actor's id that begins it may be one a client chose; this is data.
   *
   * <p>Empty for every other error: one of another code (a reject of code 4, one the runtime
   * refused the call with), one made by a constructor or {@link #reject} (user code, which may
   * throw a code 5 of its own), one read back from bytes, and the code-4 error that a caller sees
   * when an actor let a trap of its callee escape its turn (rule R12a: that actor did not trap;
   * the callee's error, which has the site, is that error's {@linkplain #getCause() cause}). Empty
   * too for a code 5 before any of the actor's code ran: the system's {@code ContextPropagation}
   * failed to capture the caller's context, or to restore it for a spawn of an {@code
   * ActorClass} (one that fails to restore it for a turn or a query traps that turn or query,
   * whose error has the method's site). A oneway's or a timer's trap fails no future, so makes no
   * {@code CallError} at all.
   *
   * <p>Built only when an actor traps: a call that commits or rejects pays nothing for it. An
   * {@code Optional} of an immutable {@link TrapSite} rather than accessors of its own: one value
   * that says "no site" plainly, and that a log or a metric can compare or use as a key. Final,
   * so that no subclass claims a site. (Code that opens the toolkit's private members by deep
   * reflection, which no module boundary stops on the class path, can still make one: the
   * guarantee is against ordinary code.)
   */
  public final Optional<TrapSite> trapSite() {
    return Optional.ofNullable(trapSite);
  }

  /**
   * Returns the actor whose id the call's reference named, for the runtime's refusal of a call
   * through a reference of one interface to an actor whose class does not implement it (code 3,
   * rules R1, R23: ids are unique across types, so {@code lookup(GiftShop.class, "till")} may name
   * an actor spawned as another type). The message of that refusal names the actor's type ({@code
   * actor till (Till) has no method Refundable.refund()}), which a client of the application may
   * not be meant to learn (the starter answers such a refusal over HTTP as an id no actor holds);
   * this tells the refusal and the actor's id as data, whatever characters the id has.
   *
   * <p>Empty for every other error: the refusal of an id no actor holds, one made by a constructor
   * or {@link #reject} (user code, which may use the same words), one read back from bytes, and
   * the code-4 error that a caller sees when an actor let such a refusal of its callee escape its
   * turn (rule R12a: the refusal, which has it, is that error's {@linkplain #getCause() cause}).
   * Built only for that refusal: other calls pay nothing for it. Final, so that no subclass claims
   * it.
   */
  public final Optional<ActorId> actorOfAnotherType() {
    return Optional.ofNullable(actorOfAnotherType);
  }

  private static String format(RejectCode code, String message) {
    return "[" + code.code() + " " + code.name() + "] " + message;
  }
}

package io.reactant.internal;

import io.reactant.actor.Caller;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * One call of an update or oneway method: the message (target, method, arguments, caller), its
 * reply future, and, once the callee executes it, the state of that execution.
 *
 * <p>The call subscribes to the {@code Mono} the method returns. Its terminal signal is recorded
 * during a turn of the callee for this call; the turn's end then commits (or, for a trap, rolls
 * back) and answers the caller. A signal that arrives on another thread (asynchronous work that
 * did not go through {@code await}) is carried into the callee's mailbox as a late signal and
 * handled in a turn of its own.
 */
final class Call extends Envelope implements Outgoing, CoreSubscriber<Object> {

  final ActorRuntime runtime;
  final ActorProxy target;
  final MethodInfo method;
  final Object[] args;
  final Caller caller;
  final @Nullable CallFuture<Object> reply;
  @Nullable ActorCell cell;

  private @Nullable Subscription upstream;
  private @Nullable Object value;
  private @Nullable Throwable error;
  /** The method's Mono terminated (recorded in a turn of this call). */
  boolean terminated;
  boolean replied;
  /** The call whose future this call's execution is suspended on, for await-cycle detection. */
  volatile @Nullable Call awaiting;

  Call(ActorRuntime runtime, ActorProxy target, MethodInfo method, Object[] args, Caller caller) {
    this.runtime = runtime;
    this.target = target;
    this.method = method;
    this.args = args;
    this.caller = caller;
    this.reply = method.kind == MethodInfo.Kind.ONEWAY
        ? null
        : new CallFuture<>(this, target.id + "." + method.method.getName());
  }

  // ---- the outbox side

  @Override
  public void release() {
    runtime.deliver(this);
  }

  @Override
  public void revoke() {
    CallFuture<Object> r = reply;
    if (r != null) {
      r.fail(new CallError(RejectCode.SYS_FATAL, "The call to " + method + " on " + target.id
          + " was revoked: the turn that sent it trapped (rule R10)"));
    }
  }

  // ---- the mailbox side

  @Override
  void execute(ActorCell c) {
    c.executeCall(this);
  }

  @Override
  void abandon(RejectCode code, String message) {
    replied = true;
    CallFuture<Object> r = reply;
    if (r != null) {
      runtime.rejected(target.id, method, code);
      r.fail(new CallError(code, message));
    }
  }

  // ---- the method's Mono

  @Override
  public void onSubscribe(Subscription s) {
    upstream = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(Object v) {
    value = v;
  }

  @Override
  public void onError(Throwable t) {
    error = t;
    terminal();
  }

  @Override
  public void onComplete() {
    terminal();
  }

  private void terminal() {
    ActorCell c = cell;
    if (c != null && Contexts.current() == c.turn && c.turn.call == this) {
      terminated = true;
    } else if (c != null) {
      c.enqueueSystem(new LateSignal(this));
    }
  }

  /** Whether the method's Mono ended with an error that is a trap (not a {@link CallError}). */
  @Nullable Throwable trapSignalled() {
    Throwable e = error;
    return terminated && e != null && !(e instanceof CallError) ? e : null;
  }

  void cancelUpstream() {
    Subscription s = upstream;
    if (s != null && !terminated) {
      s.cancel();
    }
  }

  /** Answers the caller after a commit: the value, or a reject (code 4, rule R12a). */
  void replyCommitted() {
    replied = true;
    CallFuture<Object> r = reply;
    Throwable e = error;
    if (r == null) {
      if (e != null) {
        runtime.onewayFailed(this, e);
      }
      return;
    }
    if (e instanceof CallError ce) {
      runtime.rejected(target.id, method, RejectCode.CANISTER_REJECT);
      r.fail(asReject(ce));
    } else {
      r.complete(value);
    }
  }

  /** Answers the caller after a trap: code 5, with a message that says why (rule R12). */
  void replyTrapped(Throwable trap) {
    replied = true;
    CallFuture<Object> r = reply;
    if (r == null) {
      runtime.onewayFailed(this, trap);
      return;
    }
    runtime.rejected(target.id, method, RejectCode.CANISTER_ERROR);
    r.fail(new CallError(RejectCode.CANISTER_ERROR, describeTrap(target.id, method, trap), trap));
  }

  /**
   * The error a caller sees when its callee let {@code e} escape: code 4 with the same message,
   * whatever code {@code e} had (rule R12a).
   */
  static CallError asReject(CallError e) {
    return e.code() == RejectCode.CANISTER_REJECT
        ? e
        : new CallError(RejectCode.CANISTER_REJECT, e.rejectMessage(), e);
  }

  /** The message of a code-5 reject: which actor trapped, in which method, and why (rule R12). */
  static String describeTrap(io.reactant.actor.ActorId actor, MethodInfo method, Throwable trap) {
    String why = trap instanceof io.reactant.error.Trap
        ? trap.getMessage()
        : trap.getClass().getSimpleName() + (trap.getMessage() == null ? "" : ": " + trap.getMessage());
    return actor + " trapped in " + method + ": " + why;
  }

  @Override
  public String toString() {
    return "Call[" + target.id + "." + method.method.getName() + " from " + caller + "]";
  }

  /** A terminal signal of the method's Mono that arrived outside a turn of this call. */
  static final class LateSignal extends Envelope {
    private final Call call;

    LateSignal(Call call) {
      this.call = call;
    }

    @Override
    void execute(ActorCell c) {
      c.runTurn(call, () -> call.terminated = true);
    }

    @Override
    void abandon(RejectCode code, String message) {
      call.abandon(code, message);
    }
  }
}

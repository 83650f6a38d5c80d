package io.reactant.internal;

import io.reactant.actor.Caller;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;

/**
 * A query call made during an update turn: tentative like any send, and executed, without
 * entering the callee's mailbox, when the turn commits (rules R6, R19).
 */
final class QueryCall implements Outgoing {

  private final ActorRuntime runtime;
  private final ActorProxy target;
  private final MethodInfo method;
  private final Object[] args;
  private final Caller caller;
  final CallFuture<Object> future;

  QueryCall(ActorRuntime runtime, ActorProxy target, MethodInfo method, Object[] args, Caller caller) {
    this.runtime = runtime;
    this.target = target;
    this.method = method;
    this.args = args;
    this.caller = caller;
    this.future = new CallFuture<>(method);
  }

  @Override
  public void release() {
    send();
  }

  /**
   * Executes the query (rule R19), or answers it with the clean reject that refuses it.
   *
   * @return whether it ran
   */
  boolean send() {
    return runtime.executeQuery(target, method, args, caller, future);
  }

  /** The turn that made it trapped: it never runs, and fails with code 1, told to the listener. */
  @Override
  public void revoke() {
    future.fail(new CallError(RejectCode.SYS_FATAL, "The query " + method + " on " + target.id
        + " was revoked: the turn that sent it trapped (rule R10)"),
        () -> runtime.rejected(target.id, target.type(), method.name, RejectCode.SYS_FATAL));
  }
}

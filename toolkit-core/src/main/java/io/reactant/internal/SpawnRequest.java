package io.reactant.internal;

import io.reactant.actor.ActorClass;
import io.reactant.actor.Caller;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import org.jspecify.annotations.Nullable;

/**
 * The creation of an actor-class instance requested during a turn: tentative like a send, it
 * starts when the turn commits and is revoked if it traps (rules R6, R10, R20). Refused at the
 * commit because the system has shut down, it was never made and costs no message fee, as a call
 * refused there (rule R22); refused later, as the creation runs, it keeps its fee, as a call
 * refused as it leaves the mailbox.
 */
final class SpawnRequest<I, P> implements Outgoing {

  private final ActorRuntime runtime;
  private final ActorClass<I, P> actorClass;
  private final P argument;
  private final Caller creator;
  final CallFuture<I> future;
  /** The context of the turn that requested it, its initializer's; null for none. */
  private final @Nullable Object carried;

  SpawnRequest(ActorRuntime runtime, ActorClass<I, P> actorClass, P argument, Caller creator,
      @Nullable Object carried) {
    this.runtime = runtime;
    this.actorClass = actorClass;
    this.argument = argument;
    this.creator = creator;
    this.future = new CallFuture<>(actorClass);
    this.carried = carried;
  }

  @Override
  public void release() {
    send();
  }

  /**
   * Starts the creation, or refuses it with code 2 when the system has shut down.
   *
   * @return false if it was refused so, before it could be made: its sender gets its message fee
   *     back (rule R22)
   */
  boolean send() {
    if (runtime.isShutdown()) {
      future.fail(new CallError(RejectCode.SYS_TRANSIENT, runtime.shutDownMessage()));
      return false;
    }
    runtime.execute(() -> runtime.instantiate(actorClass, argument, creator, future, carried));
    return true;
  }

  @Override
  public void revoke() {
    future.fail(new CallError(RejectCode.SYS_FATAL, "The creation of a "
        + actorClass.type().getSimpleName() + " was revoked: the turn that requested it trapped"
        + " (rule R10)"));
  }
}

package io.reactant.internal;

import java.util.ArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The context of the turn an actor is executing. One instance per actor, reused by every turn
 * (an actor executes one turn at a time, rule R2). It holds the turn's outbox of tentative
 * effects, the awaits the turn ends on, and the trap, if any, that ends it.
 */
final class TurnContext extends ExecutionContext {

  @Nullable Call call;
  final ArrayList<Outgoing> outbox = new ArrayList<>(0);
  final ArrayList<AwaitSubscriber<?>> awaits = new ArrayList<>(0);
  @Nullable Throwable trap;
  /** Cycles refunded with the reply of the last call future the current call awaited. */
  long lastRefund;

  TurnContext(ActorCell cell) {
    super(cell);
  }

  void begin(@Nullable Call c) {
    call = c;
    trap = null;
  }

  void trap(Throwable t) {
    if (trap == null) {
      trap = t;
    }
  }

  @Override
  String describe() {
    Call c = call;
    return "a turn of " + cell + (c == null ? "" : " executing " + c.method);
  }
}

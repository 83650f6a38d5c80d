package io.reactant.internal;

import io.reactant.actor.Caller;
import java.util.IdentityHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The context of one query execution: a pinned committed snapshot of the actor plus the query's
 * own writes, which are discarded when it ends (rule R19). A composite query keeps this context
 * across its awaits.
 */
final class QueryContext extends ExecutionContext {

  final @Nullable Object[] snapshot;
  final boolean composite;
  final Caller caller;
  final MethodInfo method;
  private final boolean inspection;
  private @Nullable IdentityHashMap<Slot, @Nullable Object> writes;
  QueryContext(ActorCell cell, MethodInfo method, Caller caller, boolean inspection) {
    super(cell);
    this.snapshot = cell.pinSnapshot();
    this.composite = !inspection && method.kind == MethodInfo.Kind.COMPOSITE_QUERY;
    this.caller = caller;
    this.method = method;
    this.inspection = inspection;
  }

  @Nullable Object read(Slot s) {
    IdentityHashMap<Slot, @Nullable Object> w = writes;
    if (w != null && w.containsKey(s)) {
      return w.get(s);
    }
    return snapshot[s.index()];
  }

  void write(Slot s, @Nullable Object value) {
    IdentityHashMap<Slot, @Nullable Object> w = writes;
    if (w == null) {
      w = new IdentityHashMap<>();
      writes = w;
    }
    w.put(s, value);
  }

  @Override
  String describe() {
    if (inspection) {
      return "the ingress inspection of " + cell + " for " + method;
    }
    return (composite ? "the composite query " : "the query ") + method + " of " + cell;
  }
}

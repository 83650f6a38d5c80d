package io.reactant.internal;

/**
 * The context of an actor's initializer (its constructor): it may declare and write state and
 * may trap, but it may not send messages (rule R18).
 */
final class InitContext extends ExecutionContext {

  boolean bound;
  /** Effects the initializer may have (timers), started once the actor exists. */
  final java.util.List<Outgoing> effects = new java.util.ArrayList<>(0);

  InitContext(ActorCell cell) {
    super(cell);
  }

  @Override
  String describe() {
    return "the initializer of " + cell;
  }
}

package io.reactant.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The context of an actor's initializer (its constructor): it may declare and write state and
 * may trap, but it may not send messages (rule R18). It is bound to the actor while the actor is
 * created, from its constructor to the start of its initializer's effects.
 *
 * <p>A context belongs to a thread, as a {@link TurnContext} does: a thread reuses its own for
 * every actor it creates (a spawn allocates no context), and a creation that starts while the
 * thread's own is bound further up the stack gets a fresh one.
 */
final class InitContext extends ExecutionContext {

  private static final ThreadLocal<InitContext> OWN = ThreadLocal.withInitial(InitContext::new);
  /** Up to this many slots, a duplicate name is found by walking the declared slots. */
  private static final int SCAN_LIMIT = 16;

  /**
   * The instance whose constructor bound it to the actor ({@code Actor}'s constructor), null
   * before: one per creation, and the one the factory must return.
   */
  @Nullable Object bound;
  /** Effects the initializer may have (timers), started once the actor exists. */
  private @Nullable List<Outgoing> effects;
  private @Nullable Set<String> names;

  /** An unbound context, for a thread to keep (see {@link ContextCarrier}). */
  InitContext() {
    super(null);
  }

  /** Returns a context for creating {@code cell} on the current thread, bound to it. */
  static InitContext acquire(ActorCell cell) {
    Thread thread = Thread.currentThread();
    InitContext c = thread instanceof ContextCarrier carrier ? carrier.initContext : OWN.get();
    if (c.cell != null) {
      c = new InitContext(); // the thread's own is in use further up the stack
    }
    c.cell = cell;
    return c;
  }

  /** Unbinds the context once the actor is created, or its creation failed. */
  void release() {
    cell = null;
    raised = null;
    time = TIME_UNREAD;
    bound = null;
    effects = null;
    names = null;
  }

  void effect(Outgoing effect) {
    List<Outgoing> e = effects;
    if (e == null) {
      e = new ArrayList<>(2);
      effects = e;
    }
    e.add(effect);
  }

  /**
   * Registers the initializer's timers with the actor, and applies its cancellations to them, in
   * order, just before the actor is registered: from then on a turn of the actor may run on
   * another thread, and cancel them, before {@link #releaseEffects} starts them; and a timer the
   * initializer cancelled must not start at all (due at once, its firing could be taken on another
   * thread before the cancellation's turn came in {@link #releaseEffects}).
   */
  void reserveEffects() {
    List<Outgoing> e = effects;
    if (e != null) {
      for (int i = 0, n = e.size(); i < n; i++) {
        Outgoing effect = e.get(i);
        if (effect instanceof TimerRequest timer) {
          timer.reserve();
        } else if (effect instanceof TimerCancel cancel) {
          cancel.release(); // released again with the others: a second cancellation does nothing
        }
      }
    }
  }

  /** Releases the initializer's effects, once the actor is registered. */
  void releaseEffects() {
    List<Outgoing> e = effects;
    if (e != null) {
      for (int i = 0, n = e.size(); i < n; i++) {
        Outgoing.release(e.get(i));
      }
    }
  }

  /**
   * Records the name of a slot being declared after {@code last} (the slot declared before it).
   *
   * @return false if a slot of that name is declared already
   */
  boolean declareName(String name, @Nullable Slot last) {
    Set<String> set = names;
    if (set == null) {
      if (last == null || last.index() < SCAN_LIMIT) {
        for (Slot s = last; s != null; s = s.previous) {
          if (s.name.equals(name)) {
            return false;
          }
        }
        return true;
      }
      set = new HashSet<>();
      for (Slot s = last; s != null; s = s.previous) {
        set.add(s.name);
      }
      names = set;
    }
    return set.add(name);
  }

  @Override
  String describe() {
    return "the initializer of " + cell;
  }
}

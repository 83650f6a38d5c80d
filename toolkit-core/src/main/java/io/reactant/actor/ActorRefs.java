package io.reactant.actor;

import io.reactant.internal.ActorProxy;
import io.reactant.internal.CallFuture;
import java.lang.reflect.Method;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Utilities for actor references, the proxies that {@link ActorSystem#spawn} and
 * {@link ActorSystem#lookup} return.
 */
public final class ActorRefs {

  private ActorRefs() {
  }

  /**
   * Checks that {@code type} can be an actor type: a public interface whose methods all return
   * {@code Mono} or are {@code void}, with consistent {@code @Query} / {@code @CompositeQuery}
   * markers. {@code equals}, {@code hashCode} and {@code toString}, which an interface may
   * redeclare to document them, are not shared methods: a reference answers them itself. The
   * check is done once per type and cached.
   *
   * @throws IllegalArgumentException naming every method that is not a valid shared method
   */
  public static void requireActorType(Class<?> type) {
    ActorProxy.requireActorType(Objects.requireNonNull(type, "type"));
  }

  /**
   * Checks that {@code implementation} can be spawned as an actor of {@code type}: {@code type}
   * is a valid actor type (see {@link #requireActorType(Class)}), {@code implementation} implements
   * it, and it marks no method {@code @Query} or {@code @CompositeQuery} that the interface does
   * not mark so (the interface's markers decide what a call is; a marker on the implementation
   * alone would be ignored). Spawning checks the same; this lets a framework check at startup.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static void requireActorType(Class<?> type, Class<?> implementation) {
    ActorProxy.requireActorType(Objects.requireNonNull(type, "type"),
        Objects.requireNonNull(implementation, "implementation"));
  }

  /**
   * Returns whether actors of class {@code implementation} inspect their ingress calls (rule R26):
   * whether it, or a superclass below {@link Actor}, overrides {@code Actor.inspect}. The runtime
   * runs the inspection only for such classes; this lets a framework know it before any instance
   * exists (an inspection runs actor code on the caller's thread).
   */
  public static boolean inspectsIngress(Class<?> implementation) {
    return Actor.overridesInspect(Objects.requireNonNull(implementation, "implementation"));
  }

  /**
   * Returns whether {@code method} is one of {@code Object}'s methods that an actor interface may
   * redeclare ({@code equals}, {@code hashCode}, {@code toString}; told by signature): a reference
   * answers it itself, without a message, so it is no shared method and a framework that exposes
   * an interface's shared methods leaves it out.
   */
  public static boolean isAnsweredByReference(Method method) {
    return ActorProxy.answersItself(Objects.requireNonNull(method, "method"));
  }

  /** Returns whether the object is an actor reference ({@code false} for {@code null}). */
  public static boolean isRef(@Nullable Object object) {
    return object != null && ActorProxy.of(object) != null;
  }

  /**
   * Returns the id of the actor a reference names.
   *
   * @throws IllegalArgumentException if the object is not an actor reference
   */
  public static ActorId idOf(Object ref) {
    return handler(ref).id();
  }

  /**
   * Returns the interface a reference calls the actor through.
   *
   * @throws IllegalArgumentException if the object is not an actor reference
   */
  public static Class<?> typeOf(Object ref) {
    return handler(ref).type();
  }

  /**
   * Returns a reference to the same actor whose <em>ingress</em> calls carry the given caller
   * identity (rule R21), for host code that authenticated the principal (for example the HTTP
   * layer). Calls made through it from inside an actor's turn still carry that actor's identity:
   * an actor cannot forge a principal in its turns. The runtime cannot tell host code from other
   * code running outside any turn, though: an actor's code that calls through such a reference on
   * a thread of its own (one it started, a callback of a library) makes an ingress call as that
   * principal. Keep the references that carry a principal in the host code that authenticated it.
   *
   * @throws IllegalArgumentException if {@code caller} is an actor, of this system or another
   *     ({@link Caller.Kind#FOREIGN_ACTOR}) (rule R21: an ingress call cannot carry an actor's
   *     identity)
   */
  public static <I> I withIngressCaller(I ref, Caller caller) {
    Objects.requireNonNull(caller, "caller");
    @SuppressWarnings("unchecked")
    I copy = (I) handler(ref).withIngressCaller(caller);
    return copy;
  }

  /**
   * Sends the oneway {@code method} through {@code ref} from outside the system, as calling it
   * does (an ingress call, rule R23), but throws the reject that refuses it before it is queued,
   * which calling it drops unseen (rule R3): code 2 for a full mailbox, a system shut down or its
   * actor limit reached, 3 for no such actor, 4 or 5 for a refusal of the actor's inspection (rule
   * R26). Once it is queued, what becomes of it is not reported (rule R3). For host code that
   * answers a client of its own: the HTTP ingress answers 202 only for a queued oneway.
   *
   * @throws io.reactant.error.CallError if the system refuses to queue it (nothing is queued)
   * @throws IllegalArgumentException if {@code method} is not a oneway of the reference's
   *     interface, if {@code args} do not fit its parameters (their number, their types as a call
   *     through the reference passes them: nothing reaches the inspection or the actor), or if the
   *     reference attaches cycles (only an actor can, rule R22)
   * @throws IllegalStateException in an actor's turn or query, whose sends are not ingress calls
   */
  public static void sendOneway(Object ref, Method method, Object... args) {
    handler(ref).sendIngressOneway(Objects.requireNonNull(method, "method"), args);
  }

  /**
   * Cancels the query whose future {@code future} is, if it still waits for its {@code Mono}
   * after its synchronous part, for a caller that no longer wants its answer (an HTTP client that
   * left): the query ends as at its bounded wait (rules R19, R22). Its future fails with code 6
   * ({@code SYS_UNKNOWN}), told to the {@link TurnListener} once; its {@code Mono} is cancelled
   * in the query's context, so that what it waited for (a timer, a sink, another query) is let
   * go; a composite query's end cancels the queries it made that still run. A query changes
   * nothing, so nothing is undone. Every subscriber of the future, present or late, sees that code
   * 6: cancel only a future no one else waits for.
   *
   * <p>Does nothing, and returns false, for the future of an update (a message sent runs and
   * commits whatever its caller does, rule R3), of a query answered or ended already, of a query
   * a composite query made in one of its parts (the composite query's end cancels it), of a query
   * an update's turn made that has not run yet (it runs when that turn commits), or for any other
   * {@code Mono}. Any thread, once the call that made the future returned it.
   *
   * @return whether the query was cancelled now
   */
  public static boolean cancelQuery(Mono<?> future) {
    return Objects.requireNonNull(future, "future") instanceof CallFuture<?> f && f.cancelQuery();
  }

  private static ActorProxy handler(Object ref) {
    ActorProxy p = ActorProxy.of(Objects.requireNonNull(ref, "ref"));
    if (p == null) {
      throw new IllegalArgumentException(ref.getClass().getName() + " is not an actor reference");
    }
    return p;
  }
}

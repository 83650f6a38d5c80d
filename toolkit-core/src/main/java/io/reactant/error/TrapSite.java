package io.reactant.error;

import io.reactant.actor.ActorId;
import java.util.Objects;

/**
 * Where an actor trapped (rule R12): the actor, the actor interface, and the code of it that
 * trapped. {@link CallError#trapSite()} returns it for an error the runtime made from a trap, so
 * that a caller, a log or a metric can tell which code has a bug without reading the message,
 * whose words before {@code " trapped in "} are an actor id that a client may have chosen.
 *
 * <p>{@code where} is one of:
 * <ul>
 *   <li>{@code "Iface.method()"}: a method of the interface (an update, a query, either part of a
 *       composite query), named as the message names it: {@code Iface} is the interface that
 *       declares the method;</li>
 *   <li>{@code "the ingress inspection of Iface.method()"}: the actor's {@code inspect}, run on an
 *       ingress call to that method (rule R26);</li>
 *   <li>{@link #INITIALIZER}: the actor's initializer (its constructor or factory), run by a
 *       spawn or by the activation of a virtual actor (rule R20).</li>
 * </ul>
 * It never holds the trap's own words nor anything a client chose, so {@code type} and {@code
 * where} together name one piece of the application's code: a key for "has this trapped
 * before?".
 *
 * <p>A value: two traps of the same code of the same actor have equal sites.
 *
 * @param actor the actor that trapped
 * @param type the actor interface: the one of the reference the call went through (as {@link
 *     io.reactant.actor.TurnListener#callRejected(ActorId, Class, String, RejectCode)} reports
 *     it), or, for an initializer, the type
 *     the actor was created as
 * @param where the code that trapped, in one of the forms above
 */
public record TrapSite(ActorId actor, Class<?> type, String where) {

  /** The {@link #where} of a trap of an actor's initializer. */
  public static final String INITIALIZER = "its initializer";

  public TrapSite {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(where, "where");
  }
}

package io.reactant.actor;

import java.util.List;

/**
 * An ingress update call, as seen by an actor's inspection hook ({@code Actor.inspect}, rule R26)
 * before it is queued.
 *
 * @param caller who sends it (an authenticated principal or anonymous)
 * @param method the name of the shared method called
 * @param arguments the arguments, unmodifiable
 */
public record IngressMessage(Caller caller, String method, List<Object> arguments) {
}

package io.reactant.actor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An ingress update call, as seen by an actor's inspection hook ({@code Actor.inspect}, rule R26)
 * before it is queued.
 *
 * @param caller who sends it (an authenticated principal or anonymous)
 * @param method the name of the shared method called
 * @param arguments the arguments, unmodifiable
 */
public record IngressMessage(Caller caller, String method, List<Object> arguments) {

  /** Copies the arguments (which may hold nulls) into an unmodifiable list. */
  public IngressMessage {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(method, "method");
    arguments = Collections.unmodifiableList(
        new ArrayList<>(Objects.requireNonNull(arguments, "arguments")));
  }
}

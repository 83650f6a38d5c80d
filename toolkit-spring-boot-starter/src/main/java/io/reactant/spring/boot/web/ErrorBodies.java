package io.reactant.spring.boot.web;

import io.reactant.error.CallError;
import io.reactant.error.ReactantException;
import io.reactant.error.RejectCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON bodies of error responses: {@code {"message": "..."}}, plus {@code code} and
 * {@code reject} for a failed call. Never a stack trace, nor the message of an exception that is
 * not the toolkit's (see {@link #clientMessage}), nor the type of an actor a call could not reach
 * (see {@link #foreignActorId}).
 */
final class ErrorBodies {

  private ErrorBodies() {
  }

  /** The body of a failed call; a trap on an exception of the application goes to {@code traps}. */
  static Map<String, Object> of(CallError error, AnsweredTraps traps) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", error.code().code());
    body.put("reject", error.code().name());
    body.put("message", clientMessage(error, traps));
    return body;
  }

  /**
   * The message of a failed call as a client over HTTP sees it. The words an actor chose, in a
   * reject or a {@link io.reactant.error.Trap} (and the toolkit's own), reach it as they are. An
   * actor that trapped with another exception (a JDK one: a {@code NullPointerException}, whose
   * message names the field, a {@code ClassCastException}, which names the classes) has a bug:
   * the message says which actor trapped, in which method, and the exception's simple name, but
   * not the exception's message, which describes the server; the trap goes to {@code traps}
   * (a warning with its stack trace the first time its method traps so, one whose exception has
   * no message too). The same holds for such a trap of a callee that an actor let through (code
   * 4, same message), counted with the callee's method: the site of the innermost error.
   */
  static String clientMessage(CallError error, AnsweredTraps traps) {
    String message = error.rejectMessage();
    CallError innermost = error;
    Throwable cause = error.getCause();
    while (cause instanceof CallError inner) { // a reject re-thrown by an actor wraps the callee's
      innermost = inner;
      cause = inner.getCause();
    }
    String foreign = foreignActorId(innermost);
    if (foreign != null && message.equals(innermost.rejectMessage())) {
      return unknownId(foreign);
    }
    if (cause == null || cause instanceof ReactantException) {
      return message;
    }
    String detail = cause.getMessage();
    boolean withheld = detail != null && !detail.isEmpty() && message.contains(": " + detail);
    if (!withheld && innermost.code() != RejectCode.CANISTER_ERROR) {
      return message; // a reject the actor chose, with a cause of its own: not a trap
    }
    String answer = withheld ? message.replace(": " + detail, "") : message;
    traps.log(answer, error, innermost);
    return answer;
  }

  /**
   * The id of the actor that the actor system's refusal names, when {@code error} is its refusal
   * of a call through a reference of one type to an actor of another (code 3, no cause, {@code
   * actor till (Till) has no method Refundable.refund()}: rules R1, R23); null for any other. That
   * message names the actor's type, which a client must not learn (a type kept off HTTP, an
   * internal singleton): the starter answers it as an id no actor holds ({@link #unknownId}), the
   * ingress through a virtual type's path as an id held by another type. It stays the actors' and
   * the application's, in the {@code CallError}.
   */
  static @Nullable String foreignActorId(CallError error) {
    if (error.code() != RejectCode.DESTINATION_INVALID || error.getCause() != null) {
      return null;
    }
    String message = error.rejectMessage();
    int method = message.lastIndexOf(") has no method ");
    int type = method < 0 ? -1 : message.lastIndexOf(" (", method);
    if (!message.startsWith(ACTOR) || type < ACTOR.length()
        || !isIdentifier(message.substring(type + 2, method))) {
      return null;
    }
    return message.substring(ACTOR.length(), type);
  }

  /** How the actor system describes an actor: {@code actor <id> (<simple name of its type>)}. */
  private static final String ACTOR = "actor ";

  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!Character.isJavaIdentifierPart(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The actor system's message for a call to {@code id} that no actor holds. */
  static String unknownId(String id) {
    return "No actor '" + id + "'";
  }

  static Map<String, Object> of(String message) {
    return Map.of("message", message);
  }

  /**
   * Writes {@code body} as the JSON of {@code response}, whose status the caller has set: the one
   * way the starter's error handlers and filters answer.
   */
  static Mono<Void> write(ServerHttpResponse response, JsonMapper mapper,
      Map<String, Object> body) {
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    byte[] json = mapper.writeValueAsBytes(body);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(json)));
  }
}

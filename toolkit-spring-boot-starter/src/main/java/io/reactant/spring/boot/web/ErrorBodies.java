package io.reactant.spring.boot.web;

import io.reactant.actor.ActorId;
import io.reactant.error.CallError;
import io.reactant.error.ReactantException;
import io.reactant.error.RejectCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON bodies of error responses: {@code {"message": "..."}}, plus {@code code} and
 * {@code reject} for a failed call. Never a stack trace, nor the message of an exception that is
 * not the toolkit's, nor the type of an actor a call could not reach (see {@link
 * #clientMessage}).
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
   *
   * <p>The actor system's refusal of a call through a reference of one type to an actor of
   * another (code 3, {@code actor till (Till) has no method Refundable.refund()}: rules R1, R23)
   * names the actor's type, which a client must not learn (a type kept off HTTP, an internal
   * singleton): it is answered as an id no actor holds ({@link #unknownId}), and so is such a
   * refusal of a callee that an actor let through (code 4, same message). It is told by what it
   * says as data ({@link CallError#actorOfAnotherType()}), never by its words, which an actor or the
   * application may use too. The message stays the actors' and the application's, in the {@code
   * CallError}.
   */
  static String clientMessage(CallError error, AnsweredTraps traps) {
    String message = error.rejectMessage();
    CallError innermost = error;
    Throwable cause = error.getCause();
    while (cause instanceof CallError inner) { // a reject re-thrown by an actor wraps the callee's
      innermost = inner;
      cause = inner.getCause();
    }
    Optional<ActorId> ofAnotherType = innermost.actorOfAnotherType();
    if (ofAnotherType.isPresent() && message.equals(innermost.rejectMessage())) {
      return unknownId(ofAnotherType.get().toString());
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

package io.reactant.sample.web;

import io.reactant.spring.boot.web.JsonErrorMessages;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * Answers the errors of the REST controllers with {@code {"message": "..."}}: a 400 that says
 * what is wrong with the input, or the status of a {@link ResponseStatusException}; always as
 * JSON, whatever the request accepts (a 406 says what it must accept). Failed actor
 * calls are answered by the starter ({@code {"code", "reject", "message"}}), and so is a path under
 * the actor endpoints' that no handler takes.
 */
@RestControllerAdvice
class ApiErrorHandler {

  /** The limit of a request body the controllers read (Spring's codecs refuse larger ones). */
  private final DataSize maxBody;
  /** The path of the starter's actor endpoints. */
  private final String actorsPath;

  ApiErrorHandler(@Value("${spring.http.codecs.max-in-memory-size:256KB}") DataSize maxBody,
      @Value("${reactant.http.base-path:/actors}") String actorsPath) {
    this.maxBody = maxBody;
    this.actorsPath = actorsPath;
  }

  /**
   * A path that no handler takes: under the actor endpoints' path, the starter answers it (404,
   * saying what an endpoint's path is), so it goes on to the web exception handlers; elsewhere it
   * is answered as any other refusal.
   */
  @ExceptionHandler
  Mono<ResponseEntity<Map<String, String>>> noHandler(NoResourceFoundException e,
      ServerWebExchange exchange) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (path.equals(actorsPath) || path.startsWith(actorsPath + "/")) {
      return Mono.error(e);
    }
    return Mono.just(refused(e));
  }

  @ExceptionHandler
  ResponseEntity<Map<String, String>> badInput(ServerWebInputException e) {
    return ResponseEntity.status(e.getStatusCode()).contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("message", describe(e)));
  }

  @ExceptionHandler
  ResponseEntity<Map<String, String>> refused(ResponseStatusException e) {
    HttpStatusCode status = e.getStatusCode();
    String reason = e.getReason();
    return ResponseEntity.status(status).headers(e.getHeaders())
        .contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("message", reason != null && !hidesReason(status) ? reason : defaultMessage(status)));
  }

  private static String describe(ServerWebInputException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JacksonException json) {
        String problem = JsonErrorMessages.describe(json);
        return "Invalid JSON body" + (problem.startsWith("at ") ? " " : ": ") + problem;
      }
    }
    return e.getReason() != null ? e.getReason() : "Invalid request";
  }

  /**
   * Spring's reasons for these statuses name Java classes or give no remedy: say it in the
   * client's words.
   */
  private static boolean hidesReason(HttpStatusCode status) {
    return status.value() == 406 || status.value() == 413 || status.value() == 415;
  }

  private String defaultMessage(HttpStatusCode status) {
    return switch (status.value()) {
      case 406 -> "The response is application/json; accept it (Accept: application/json)";
      case 413 -> "The request body is larger than the limit of " + maxBody.toBytes() + " bytes";
      case 415 -> "Send the body as application/json";
      default -> "Request refused (" + status.value() + ")";
    };
  }
}

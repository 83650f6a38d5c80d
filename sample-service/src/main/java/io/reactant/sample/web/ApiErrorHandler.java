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
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;

/**
 * Answers the errors of the REST controllers with {@code {"message": "..."}}: a 400 that says
 * what is wrong with the input, or the status of a {@link ResponseStatusException}; always as
 * JSON, whatever the request accepts (a 406 says what it must accept). Failed actor
 * calls are answered by the starter ({@code {"code", "reject", "message"}}).
 */
@RestControllerAdvice
class ApiErrorHandler {

  /** The limit of a request body the controllers read (Spring's codecs refuse larger ones). */
  private final DataSize maxBody;

  ApiErrorHandler(@Value("${spring.http.codecs.max-in-memory-size:256KB}") DataSize maxBody) {
    this.maxBody = maxBody;
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

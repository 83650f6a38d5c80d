package io.reactant.sample.web;

import io.reactant.spring.boot.web.JsonErrorMessages;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

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

  private final JsonMapper mapper;

  /** The actor endpoints' base path, whose unknown paths the starter answers. */
  private final String actorsPath;

  ApiErrorHandler(@Value("${spring.http.codecs.max-in-memory-size:256KB}") DataSize maxBody,
      @Value("${reactant.http.base-path:/actors}") String actorsPath, JsonMapper mapper) {
    this.maxBody = maxBody;
    this.actorsPath = actorsPath;
    this.mapper = mapper;
  }

  @ExceptionHandler
  Mono<Void> badInput(ServerWebInputException e, ServerWebExchange exchange) {
    return write(exchange, e.getStatusCode(), e.getHeaders(), describe(e));
  }

  /**
   * A path no handler takes: under the actor endpoints' base path, the starter's answer, which says
   * what an endpoint's path is; elsewhere a 404 that names the path (Spring's reason speaks of a
   * static resource and quotes the request's whole URL).
   */
  @ExceptionHandler
  Mono<Void> noEndpoint(NoResourceFoundException e, ServerWebExchange exchange) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (path.equals(actorsPath) || path.startsWith(actorsPath + "/")) {
      return Mono.error(e);
    }
    return write(exchange, e.getStatusCode(), e.getHeaders(), "No endpoint at " + path);
  }

  @ExceptionHandler
  Mono<Void> refused(ResponseStatusException e, ServerWebExchange exchange) {
    HttpStatusCode status = e.getStatusCode();
    String reason = e.getReason();
    return write(exchange, status, e.getHeaders(),
        reason != null && !hidesReason(status) ? reason : defaultMessage(status));
  }

  /**
   * Writes the answer itself, past content negotiation: that would parse the request's
   * {@code Accept} again, and one that is not a list of media types left the 406 without a body.
   */
  private Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, HttpHeaders headers,
      String message) {
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(status);
    response.getHeaders().addAll(headers);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    byte[] body = mapper.writeValueAsBytes(Map.of("message", message));
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
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

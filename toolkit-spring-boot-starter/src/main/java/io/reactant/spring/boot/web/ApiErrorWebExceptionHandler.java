package io.reactant.spring.boot.web;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers the client errors (4xx) of the application's own controllers and routes with the body
 * the actor endpoints answer, {@code {"message": "..."}}: bad input
 * ({@link ServerWebInputException}: a body that is not valid JSON says where, as on the actor
 * endpoints; {@link WebExchangeBindException}: each field and what is wrong with it), a path no
 * handler takes (404 naming the path), a method, content type or {@code Accept} the handler does
 * not take (405; 415 and 406 name the types it takes, {@code application/json} when it takes it or
 * does not say; a 415 for a {@code Content-Type} that does not parse gives its reason, which says
 * so), a body over the codecs' limit (413), and any
 * {@link ResponseStatusException} of status 4xx with its reason. Always as JSON, whatever the
 * request accepts, with the exception's headers ({@code Allow} of a 405). The message is the
 * client's business only: never a stack trace, a Java class, nor a value the binder could not
 * convert.
 *
 * <p>Other errors go on to the next handler: a failed actor call to
 * {@link ActorErrorWebExceptionHandler}, a 404 that no handler took under the actor endpoints'
 * base path to {@link ActorPathNotFoundHandler}, a 5xx or any other exception to Spring Boot's
 * error handler (which logs it and hides its message). An application's own
 * {@code @ControllerAdvice} answers before it, and a {@link WebExceptionHandler} of its own of a
 * lower order too. It runs before Spring Boot's (order -2). Installed by
 * {@code reactant.http.error-bodies.enabled}; stateless and thread-safe.
 */
public final class ApiErrorWebExceptionHandler implements WebExceptionHandler, Ordered {

  private final JsonMapper mapper;
  private final @Nullable String actorsBasePath;
  private final long maxBody;

  /**
   * Creates the handler.
   *
   * @param mapper writes the body
   * @param actorsBasePath the actor endpoints' base path, whose unmatched paths
   *     {@link ActorPathNotFoundHandler} answers; null when there are no actor endpoints
   * @param maxBody the limit of a request body the codecs read, in bytes, which a 413 names
   */
  public ApiErrorWebExceptionHandler(JsonMapper mapper, @Nullable String actorsBasePath,
      long maxBody) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.actorsBasePath = actorsBasePath;
    this.maxBody = maxBody;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    ServerHttpResponse response = exchange.getResponse();
    if (!(ex instanceof ResponseStatusException e) || !e.getStatusCode().is4xxClientError()
        || response.isCommitted() || unmatchedActorPath(exchange, e)) {
      return Mono.error(ex);
    }
    response.setStatusCode(e.getStatusCode());
    response.getHeaders().addAll(e.getHeaders());
    return ErrorBodies.write(response, mapper, ErrorBodies.of(message(exchange, e)));
  }

  private boolean unmatchedActorPath(ServerWebExchange exchange, ResponseStatusException e) {
    String base = actorsBasePath;
    if (base == null || !ActorPathNotFoundHandler.unmatched(exchange, e)) {
      return false;
    }
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    return path.equals(base) || path.startsWith(base + "/");
  }

  private String message(ServerWebExchange exchange, ResponseStatusException e) {
    if (e instanceof WebExchangeBindException bind) {
      return describe(bind);
    }
    if (e instanceof ServerWebInputException input) {
      return describe(input);
    }
    if (ActorPathNotFoundHandler.unmatched(exchange, e)) {
      // Spring's reason speaks of a static resource and quotes the request's whole URL, or is none
      return "No endpoint at " + exchange.getRequest().getPath().pathWithinApplication().value();
    }
    HttpStatusCode status = e.getStatusCode();
    // Spring's reasons of these name Java classes or give no remedy: say it in the client's words
    if (status.value() == 406) {
      String types = types(e instanceof NotAcceptableStatusException refused
          ? refused.getSupportedMediaTypes() : List.of());
      return "The response is " + types + "; accept it (Accept: "
          + (types.startsWith("one of ") ? types.substring(7) : types) + ")";
    }
    if (status.value() == 415) { // Spring's reader of a @RequestBody refuses a form so, unsaid
      if (e instanceof UnsupportedMediaTypeStatusException refused
          && refused.getContentType() == null && e.getReason() != null
          && !e.getReason().isBlank()) {
        return e.getReason(); // a Content-Type that does not parse: what is wrong with it
      }
      return "Send the body as " + types(e instanceof UnsupportedMediaTypeStatusException refused
          ? refused.getSupportedMediaTypes() : List.of());
    }
    if (status.value() == 413) {
      // a part's limits are Spring Boot's multipart ones (in memory, headers, on disk), not the
      // codecs' limit of a body, and the reader's error does not say which one it went over
      return RequestTooLargeFilter.isMultipart(exchange.getRequest().getHeaders())
          ? "The request body, or one of its parts, is larger than this server takes"
          : "The request body is larger than the limit of " + maxBody + " bytes";
    }
    String reason = e.getReason();
    return reason != null && !reason.isBlank() ? reason : "Request refused (" + status.value() + ")";
  }

  /**
   * JSON when the handler takes it or does not say what it takes (the body of an API, as this
   * one's), else what it takes.
   */
  private static String types(List<MediaType> supported) {
    if (supported.isEmpty()
        || supported.stream().anyMatch(MediaType.APPLICATION_JSON::equalsTypeAndSubtype)) {
      return MediaType.APPLICATION_JSON_VALUE;
    }
    StringJoiner each = new StringJoiner(", ", "one of ", "");
    supported.forEach(t -> each.add(t.toString()));
    return each.toString();
  }

  private static String describe(ServerWebInputException e) {
    // each cause once: application code may have chained them into a loop
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof JacksonException json) {
        String problem = JsonErrorMessages.describe(json);
        return "Invalid JSON body" + (problem.startsWith("at ") ? " " : ": ") + problem;
      }
    }
    String reason = e.getReason();
    return reason != null && !reason.isBlank() ? reason : "Invalid request";
  }

  /**
   * Each field and what is wrong with it, in the validator's words; a value the binder could not
   * convert is "invalid" (Spring's message names the Java types and quotes the value).
   */
  private static String describe(WebExchangeBindException e) {
    StringJoiner each = new StringJoiner("; ", "Invalid request: ", "");
    for (ObjectError error : e.getAllErrors()) {
      if (error instanceof FieldError field) {
        each.add("'" + field.getField() + "' "
            + (field.isBindingFailure() || field.getDefaultMessage() == null ? "is invalid"
                : field.getDefaultMessage()));
      } else if (error.getDefaultMessage() != null) {
        each.add(error.getDefaultMessage());
      }
    }
    return e.getErrorCount() == 0 ? "Invalid request" : each.toString();
  }

  @Override
  public int getOrder() {
    return ActorErrorWebExceptionHandler.ORDER;
  }
}

package io.reactant.spring.boot.web;

import io.reactant.error.CallError;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a failed actor call that escapes any WebFlux handler (a controller that returns the
 * {@code Mono} of an actor call, for example) with the status of its reject code and the body
 * {@code {"code": 5, "reject": "CANISTER_ERROR", "message": "..."}}; see
 * {@link RejectCodeHttpStatus}. Other errors go on to the next handler (Spring Boot's). A trap on
 * an exception of the application (a bug) is logged as a warning with its stack the first time
 * its method traps so, later at debug level.
 *
 * <p>It runs before Spring Boot's error handler (order -2).
 */
public final class ActorErrorWebExceptionHandler implements WebExceptionHandler, Ordered {

  /** The order: before Spring Boot's {@code ErrorWebExceptionHandler} (-1). */
  public static final int ORDER = -2;

  private final JsonMapper mapper;
  private final AnsweredTraps traps = new AnsweredTraps();

  public ActorErrorWebExceptionHandler(JsonMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    ServerHttpResponse response = exchange.getResponse();
    if (!(ex instanceof CallError error) || response.isCommitted()) {
      return Mono.error(ex);
    }
    response.setStatusCode(RejectCodeHttpStatus.of(error.code()));
    return ErrorBodies.write(response, mapper, ErrorBodies.of(error, traps));
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}

package io.reactant.spring.boot.web;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a text or form body, or a multipart part, that strict input refused as not UTF-8
 * ({@link Utf8StringDecoder}, {@link Utf8FormReader}, {@link Utf8FormDataFilter}) and that no
 * handler of the application answered,
 * with 400 and the {@code {"message"}} body that {@link PercentEncodedPathFilter} answers: Spring
 * Boot's error handler would leave out what was wrong. Other errors go on to the next handler. It
 * runs before Spring Boot's (order -2). Installed by {@code reactant.http.strict-input.enabled};
 * stateless and thread-safe.
 */
public final class NotUtf8InputExceptionHandler implements WebExceptionHandler, Ordered {

  private final JsonMapper mapper;

  /** Creates the handler; {@code mapper} writes the error body. */
  public NotUtf8InputExceptionHandler(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    ServerHttpResponse response = exchange.getResponse();
    if (!(ex instanceof NotUtf8InputException refused) || response.isCommitted()) {
      return Mono.error(ex);
    }
    response.setStatusCode(refused.getStatusCode());
    return ErrorBodies.write(response, mapper, ErrorBodies.of(String.valueOf(refused.getReason())));
  }

  @Override
  public int getOrder() {
    return ActorErrorWebExceptionHandler.ORDER;
  }
}

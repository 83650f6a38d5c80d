package io.reactant.spring.boot.web;

import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request under the actor endpoints' base path that no handler took
 * ({@code /actors/Counter}, {@code /actors/Counter/c1/bump/extra}) with 404 and the ingress's
 * {@code {"message"}} body saying what an endpoint's path is, instead of the server's error page.
 *
 * <p>It acts only on the 404 of a request that no handler matched (or that only the static
 * resources' handler matched and found nothing): an application's own controllers and routes under
 * the base path keep answering, and a 404 one of them raises keeps its own body. Everything else
 * goes on to the next handler. It runs before Spring Boot's error handler (order -2).
 */
public final class ActorPathNotFoundHandler implements WebExceptionHandler, Ordered {

  private final String basePath;
  private final JsonMapper mapper;

  /**
   * Creates the handler of the paths under {@code settings.basePath()}.
   *
   * @param settings the ingress's settings, for the base path
   * @param mapper the JSON mapper of the body
   */
  public ActorPathNotFoundHandler(IngressSettings settings, JsonMapper mapper) {
    this.basePath = Objects.requireNonNull(settings, "settings").basePath();
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    ServerHttpResponse response = exchange.getResponse();
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (!unmatched(exchange, ex) || response.isCommitted()
        || !(path.equals(basePath) || path.startsWith(basePath + "/"))) {
      return Mono.error(ex);
    }
    response.setStatusCode(HttpStatus.NOT_FOUND);
    return ErrorBodies.write(response, mapper, ErrorBodies.of("No actor endpoint at " + path
        + ": call " + basePath + "/{type}/{id}/{method}, or GET " + basePath + " for the types"));
  }

  /** The 404 of a request no handler took, not one that a handler raised. */
  static boolean unmatched(ServerWebExchange exchange, Throwable ex) {
    if (ex instanceof NoResourceFoundException) {
      return true;
    }
    return ex instanceof ResponseStatusException e && e.getStatusCode().value() == 404
        && exchange.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) == null;
  }

  @Override
  public int getOrder() {
    return ActorErrorWebExceptionHandler.ORDER;
  }
}

package io.reactant.spring.boot.web;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses with 400 and a {@code {"message"}} body a request whose path holds a character outside
 * ASCII that is not percent-encoded (a raw {@code é}, as a client may send it). The server reads
 * the request line's bytes as ISO-8859-1, so such a character's UTF-8 bytes would reach the
 * handlers as other characters ({@code /api/counters/café/bump} bumped the counter
 * {@code cafÃ©}); and one whose percent-encoding is not UTF-8 ({@code %FF}, an overlong
 * {@code %C0%AF}), which Spring decodes to U+FFFD, so that names differing only there would name
 * one resource. The paths of the generic actor endpoints, when given, are left to them: they
 * refuse such an actor id themselves. Installed by {@code reactant.http.strict-input.enabled};
 * stateless and thread-safe.
 */
public final class PercentEncodedPathFilter implements WebFilter {

  private final @Nullable String actorsPath;
  private final JsonMapper mapper;

  /**
   * Creates the filter.
   *
   * @param actorsPath the base path of the actor endpoints, whose paths are left to them; null
   *     to check every path
   * @param mapper writes the error body
   */
  public PercentEncodedPathFilter(@Nullable String actorsPath, JsonMapper mapper) {
    this.actorsPath = actorsPath;
    this.mapper = mapper;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (actorsPath != null && (path.equals(actorsPath) || path.startsWith(actorsPath + "/"))) {
      return chain.filter(exchange); // the actor endpoints refuse such an actor id themselves
    }
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) >= 0x80) {
        return refuse(exchange.getResponse(), "The path holds characters that are not"
            + " percent-encoded: percent-encode the UTF-8 bytes of each character outside ASCII"
            + " (\u00e9 is %C3%A9)");
      }
    }
    if (path.indexOf('%') >= 0 && !Utf8Input.isUtf8OncePercentDecoded(path)) {
      return refuse(exchange.getResponse(), "The path is not UTF-8 once percent-decoded:"
          + " percent-encode the UTF-8 bytes of each character (\u00e9 is %C3%A9)");
    }
    return chain.filter(exchange);
  }

  private Mono<Void> refuse(ServerHttpResponse response, String message) {
    response.setStatusCode(HttpStatus.BAD_REQUEST);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    byte[] body = mapper.writeValueAsBytes(ErrorBodies.of(message));
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }
}

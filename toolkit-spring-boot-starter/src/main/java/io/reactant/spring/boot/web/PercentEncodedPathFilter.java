package io.reactant.spring.boot.web;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses with 400 and a {@code {"message"}} body a request whose path or query holds a character
 * outside ASCII that is not percent-encoded (a raw {@code é}, as a client may send it). The server
 * reads the request line's bytes as ISO-8859-1, so such a character's UTF-8 bytes would reach the
 * handlers as other characters ({@code /api/counters/café/bump} bumped the counter
 * {@code cafÃ©}); and one whose percent-encoding is not UTF-8 ({@code %FF}, an overlong
 * {@code %C0%AF}), which Spring decodes to U+FFFD (in a query parameter too: {@code ?q=x%FF} is
 * {@code x\uFFFD}), so that names differing only there would name one resource. A path and a
 * query in ASCII without {@code %} cost one pass over their characters. The paths of the generic
 * actor endpoints, when given, are left to them: they refuse such an actor id themselves, and
 * read no query. Installed by {@code reactant.http.strict-input.enabled}; stateless and
 * thread-safe.
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
    String refusal = refusal("path", path);
    if (refusal == null) {
      String query = exchange.getRequest().getURI().getRawQuery();
      refusal = query == null ? null : refusal("query", query);
    }
    return refusal == null ? chain.filter(exchange) : refuse(exchange.getResponse(), refusal);
  }

  /** Why the path or query {@code raw}, as the client sent it, is refused, or null. */
  private static @Nullable String refusal(String part, String raw) {
    boolean encoded = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= 0x80) {
        return "The " + part + " holds characters that are not percent-encoded: percent-encode"
            + " the UTF-8 bytes of each character outside ASCII (\u00e9 is %C3%A9)";
      }
      encoded |= c == '%';
    }
    if (encoded && !Utf8Input.isUtf8OncePercentDecoded(raw)) {
      return "The " + part + " is not UTF-8 once percent-decoded: percent-encode the UTF-8 bytes"
          + " of each character (\u00e9 is %C3%A9)";
    }
    return null;
  }

  private Mono<Void> refuse(ServerHttpResponse response, String message) {
    response.setStatusCode(HttpStatus.BAD_REQUEST);
    return ErrorBodies.write(response, mapper, ErrorBodies.of(message));
  }
}

package io.reactant.spring.boot.web;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives a form or multipart request an exchange whose {@link ServerWebExchange#getFormData()} and
 * {@link ServerWebExchange#getMultipartData()} (so {@code @RequestPart}, {@code @ModelAttribute}
 * and a functional route's {@code formData()}/{@code multipartData()}) fail a body over the
 * server's limits (the codecs' {@code spring.http.codecs.max-in-memory-size} for a form; Spring
 * Boot's {@code spring.webflux.multipart.*} for a part) with a 413 ({@link
 * ContentTooLargeException}), as Spring answers a {@code @RequestBody} over its limit: Spring's
 * exchange fails them with the reader's {@link DataBufferLimitException}, which reaches the client
 * as a 500. Only what these two methods read is mapped (a {@code DataBufferLimitException} of the
 * application's own reading, of a response from another service say, is not the client's doing).
 * Other requests pass as they are. Installed with {@code reactant.http.error-bodies.enabled};
 * stateless and thread-safe.
 */
public final class RequestTooLargeFilter implements WebFilter, Ordered {

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    MediaType type;
    try {
      type = exchange.getRequest().getHeaders().getContentType();
    } catch (InvalidMediaTypeException notParsed) {
      return chain.filter(exchange); // Spring's exchange reads no form then
    }
    if (type == null || !(MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)
        || MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type))) {
      return chain.filter(exchange);
    }
    return chain.filter(new FormDataExchange(exchange,
        exchange.getFormData().onErrorMap(DataBufferLimitException.class,
            ContentTooLargeException::new),
        exchange.getMultipartData().onErrorMap(DataBufferLimitException.class,
            ContentTooLargeException::new)));
  }

  /** Whether {@code headers} name a multipart body (its parts have limits of their own). */
  static boolean isMultipart(HttpHeaders headers) {
    try {
      MediaType type = headers.getContentType();
      return type != null && MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type);
    } catch (InvalidMediaTypeException notParsed) {
      return false;
    }
  }
}

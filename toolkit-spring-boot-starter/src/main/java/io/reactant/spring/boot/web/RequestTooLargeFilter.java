package io.reactant.spring.boot.web;

import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Makes a request body over the server's limits a 413 ({@link ContentTooLargeException}), as
 * Spring answers a {@code @RequestBody} over its limit, where Spring lets the reader's {@link
 * DataBufferLimitException} through to the client as a 500 (logged as an error with its stack,
 * which any client can repeat):
 * <ul>
 *   <li>a form or a multipart request gets an exchange whose {@link
 *       ServerWebExchange#getFormData()} and {@link ServerWebExchange#getMultipartData()} (so
 *       {@code @RequestPart}, {@code @ModelAttribute} and a functional route's {@code formData()}
 *       and {@code multipartData()}) fail a body over the codecs' {@code
 *       spring.http.codecs.max-in-memory-size} (a form) or Spring Boot's {@code
 *       spring.webflux.multipart.*} (a part) so;</li>
 *   <li>a request whose handler fails with a {@code DataBufferLimitException} after a reader
 *       stopped reading its body part-way (a functional route's {@code bodyToMono}, of a form's
 *       body too, a controller that joins {@code getRequest().getBody()} within a limit) fails
 *       with a 413 instead.</li>
 * </ul>
 * A {@code DataBufferLimitException} of the application's own reading of something else (a
 * response from another service, say) is not the client's doing and goes on as it is: one from a
 * request whose body was not read, or was read to its end. A handler that stops reading the body
 * part-way for a reason of its own and then fails so is taken for a body over the limit. Installed
 * with {@code reactant.http.error-bodies.enabled}; stateless and thread-safe (each request's
 * record of its body is its own). A request that surely has no body (see {@link #hasNoBody})
 * goes on untouched, as the server made it.
 */
public final class RequestTooLargeFilter implements WebFilter, Ordered {

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (hasNoBody(exchange.getRequest())) {
      return chain.filter(exchange); // nothing to read, so nothing over a limit
    }
    BodyCutShort request = new BodyCutShort(exchange.getRequest());
    ServerWebExchange reading = exchange.mutate().request(request).build();
    if (isForm(exchange.getRequest().getHeaders())) {
      reading = new FormDataExchange(reading,
          exchange.getFormData().onErrorMap(DataBufferLimitException.class,
              ContentTooLargeException::new),
          exchange.getMultipartData().onErrorMap(DataBufferLimitException.class,
              ContentTooLargeException::new));
    }
    return chain.filter(reading).onErrorMap(DataBufferLimitException.class,
        e -> request.cutShort ? new ContentTooLargeException(e) : e);
  }

  /**
   * Whether {@code request} surely has no body: a Reactor Netty request over HTTP/1.x or HTTP/2
   * without {@code Transfer-Encoding} and without a {@code Content-Length} other than 0, both as
   * the server received it and as the exchange has it now (a decorator of the application's that
   * dropped the length of a body it inflates, say, leaves the request watched). HTTP/1.1 signals
   * a body by those two headers only, and Netty's HTTP/2 codec adds {@code Transfer-Encoding:
   * chunked} to a request whose headers do not end the stream and name no length. Any other
   * request (another server's, whose HTTP/2 request may have a body with neither header; HTTP/3;
   * a mock; one with no native request at all) is taken to have one.
   */
  private static boolean hasNoBody(ServerHttpRequest request) {
    HttpHeaders headers = request.getHeaders();
    return REACTOR_NETTY && signalNoBody(headers.getFirst(HttpHeaders.TRANSFER_ENCODING),
        headers.getFirst(HttpHeaders.CONTENT_LENGTH)) && NettyRequests.hasNoBody(request);
  }

  /** Whether headers with these values signal no body. */
  private static boolean signalNoBody(@Nullable String transferEncoding, @Nullable String length) {
    return transferEncoding == null && (length == null || length.trim().equals("0"));
  }

  private static final boolean REACTOR_NETTY = ClassUtils.isPresent(
      "reactor.netty.http.server.HttpServerRequest", RequestTooLargeFilter.class.getClassLoader());

  /** Reactor Netty's requests, kept apart so that the filter loads without Reactor Netty. */
  private static final class NettyRequests {

    /**
     * Whether {@code request} is Reactor Netty's, over a protocol whose headers signal a body, and
     * the headers it came with signal none.
     */
    static boolean hasNoBody(ServerHttpRequest request) {
      Object server;
      try {
        server = ServerHttpRequestDecorator.getNativeRequest(request);
      } catch (IllegalStateException | IllegalArgumentException none) {
        return false; // Spring's mock request, or a request of the application's, has no native one
      }
      if (!(server instanceof HttpServerRequest netty)) {
        return false;
      }
      String protocol = netty.protocol();
      return (protocol.equals("HTTP/1.1") || protocol.equals("HTTP/1.0")
          || protocol.equals("HTTP/2.0"))
          && signalNoBody(netty.requestHeaders().get(HttpHeaders.TRANSFER_ENCODING),
              netty.requestHeaders().get(HttpHeaders.CONTENT_LENGTH));
    }
  }

  /** Whether {@code headers} name a form or a multipart body, which the exchange reads itself. */
  private static boolean isForm(HttpHeaders headers) {
    MediaType type = contentType(headers);
    return type != null && (MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)
        || MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type));
  }

  /**
   * A request that notes whether a reader of its body stopped reading it part-way (cancelled it),
   * which a reader over its limit does.
   */
  private static final class BodyCutShort extends ServerHttpRequestDecorator {

    volatile boolean cutShort;

    BodyCutShort(ServerHttpRequest request) {
      super(request);
    }

    @Override
    public Flux<DataBuffer> getBody() {
      return super.getBody().doOnCancel(() -> cutShort = true);
    }
  }

  /** Whether {@code headers} name a multipart body (its parts have limits of their own). */
  static boolean isMultipart(HttpHeaders headers) {
    MediaType type = contentType(headers);
    return type != null && MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type);
  }

  /**
   * The request's content type; null if it has none or one that does not parse (Spring's exchange
   * then reads no form, and no reader takes the body as one).
   */
  private static @Nullable MediaType contentType(HttpHeaders headers) {
    try {
      return headers.getContentType();
    } catch (InvalidMediaTypeException notParsed) {
      return null;
    }
  }
}

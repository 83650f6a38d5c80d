package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@link RequestTooLargeFilter} on a real Reactor Netty server: a request without a body reaches
 * the handler as the server made it, one with a body is watched and its body over the limit is
 * still a 413.
 */
class RequestTooLargeFilterTests {

  /** Answers the class of the request its handler gets, and reads a body as a route does. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {

    @Bean
    RouterFunction<ServerResponse> requestClass() {
      return RouterFunctions.route()
          .GET("/test/request", request -> ServerResponse.ok()
              .bodyValue(request.exchange().getRequest().getClass().getName()))
          .POST("/test/request", request -> ServerResponse.ok()
              .bodyValue(request.exchange().getRequest().getClass().getName()))
          .POST("/test/read", request -> request.bodyToMono(String.class)
              .flatMap(body -> ServerResponse.ok().bodyValue(body.length())))
          .build();
    }
  }

  private static final String SERVERS = "org.springframework.http.server.reactive"
      + ".ReactorServerHttpRequest";

  /** Sends {@code request} on a connection of its own and reads the whole answer. */
  private static String exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000); // a server that never answers fails the test, not hangs it
      socket.getOutputStream().write(request.getBytes(ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), UTF_8);
    }
  }

  /**
   * Sends {@code request} on a connection of its own and reads what comes until the server closes
   * it, or resets it (a server that closes with bytes it did not read unread resets).
   */
  private static String answerUntilClosed(int port, String request) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(ISO_8859_1));
      socket.getOutputStream().flush();
      byte[] buffer = new byte[4096];
      for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
        read.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // what came before the reset is the answer
    }
    return read.toString(UTF_8);
  }

  /** Posts {@code body} to the reading route, chunked or with its length, and gives the status. */
  private static int status(int port, String body, boolean chunked) {
    return HttpClient.newConnection().port(port)
        .headers(headers -> {
          headers.set("Content-Type", "text/plain");
          if (chunked) {
            headers.set("Transfer-Encoding", "chunked");
          } else {
            headers.set("Content-Length", body.length());
          }
        }).post().uri("/test/read")
        .send(ByteBufFlux.fromString(Mono.just(body)))
        .responseSingle((response, content) -> Mono.just(response.status().code()))
        .block(Duration.ofSeconds(30));
  }

  private static String body(String answer) {
    assertThat(answer).startsWith("HTTP/1.1 200 ");
    return answer.substring(answer.indexOf("\r\n\r\n") + 4);
  }

  @Test
  @DisplayName("an HTTP/1.1 request without a body (no Content-Length and no Transfer-Encoding, or"
      + " Content-Length: 0) reaches the handler as the server's own request, not wrapped")
  void aRequestWithoutABodyReachesTheHandlerUnwrapped() throws IOException {
    try (ConfigurableApplicationContext server = NettyErrorBodiesTests.start(
        new Class<?>[] {App.class})) {
      int port = NettyErrorBodiesTests.port(server);
      assertThat(body(exchange(port, "GET /test/request HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\n\r\n"))).isEqualTo(SERVERS);
      assertThat(body(exchange(port, "POST /test/request HTTP/1.1\r\nHost: x\r\n"
          + "Content-Length: 0\r\nConnection: close\r\n\r\n"))).isEqualTo(SERVERS);
      assertThat(body(exchange(port, "POST /test/request HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n")))
          .isEqualTo(SERVERS);
    }
  }

  @Test
  @DisplayName("an HTTP/1.1 request with a body (Content-Length above 0, or chunked) is still"
      + " watched, and its body over the codecs' limit read by a route answers 413")
  void aRequestWithABodyIsWatchedAndOverTheLimitAnswers413() throws IOException {
    try (ConfigurableApplicationContext server = NettyErrorBodiesTests.start(
        new Class<?>[] {App.class}, "spring.http.codecs.max-in-memory-size=1KB")) {
      int port = NettyErrorBodiesTests.port(server);
      assertThat(body(exchange(port, "POST /test/request HTTP/1.1\r\nHost: x\r\n"
          + "Content-Length: 2\r\nConnection: close\r\n\r\nab"))).isNotEqualTo(SERVERS);
      assertThat(body(exchange(port, "POST /test/request HTTP/1.1\r\nHost: x\r\n"
          + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nab\r\n0\r\n\r\n")))
          .isNotEqualTo(SERVERS);
      String big = "b".repeat(2_000);
      assertThat(status(port, big, false)).isEqualTo(413);
      assertThat(status(port, big, true)).isEqualTo(413);
    }
  }

  @Test
  @DisplayName("a body the headers do not announce (HTTP/1.0 without Content-Length, bytes after"
      + " Content-Length: 0, Transfer-Encoding: identity, a second length) is never read as the request's body:"
      + " Netty takes it for the next request or refuses it, and nothing answers 500")
  void aBodyTheHeadersDoNotAnnounceIsNeverTheRequestsBody() throws IOException {
    try (ConfigurableApplicationContext server = NettyErrorBodiesTests.start(
        new Class<?>[] {App.class}, "spring.http.codecs.max-in-memory-size=1KB")) {
      int port = NettyErrorBodiesTests.port(server);
      String big = "b".repeat(2_000) + "\r\n\r\n";
      // HTTP/1.0: a request without a length has no body; the route reads none (200, length 0)
      assertThat(answerUntilClosed(port, "POST /test/read HTTP/1.0\r\n"
          + "Content-Type: text/plain\r\n\r\n" + big))
          .startsWith("HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n").doesNotContain(" 500 ");
      // the bytes after Content-Length: 0 are the next request, which is not HTTP: 400
      assertThat(answerUntilClosed(port, "POST /test/read HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n" + big))
          .startsWith("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\nHTTP/1.1 400 ")
          .doesNotContain(" 500 ");
      // Transfer-Encoding other than chunked: refused as a whole
      assertThat(answerUntilClosed(port, "POST /test/read HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: text/plain\r\nTransfer-Encoding: identity\r\n\r\n" + big))
          .startsWith("HTTP/1.1 400 ").doesNotContain(" 500 ").doesNotContain(" 200 ");
      // two lengths, 0 first (the one the filter reads): refused as a whole
      assertThat(answerUntilClosed(port, "POST /test/read HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: text/plain\r\nContent-Length: 0\r\nContent-Length: 2004\r\n\r\n"
          + big)).startsWith("HTTP/1.1 400 ").doesNotContain(" 500 ").doesNotContain(" 200 ");
    }
  }

  /** Sends {@code body} (none when null, else chunks of no length) over h2c to {@code path}. */
  private static String overH2c(int port, String path, @Nullable Flux<String> body) {
    ConnectionProvider connections = ConnectionProvider.create("h2c", 1);
    try {
      HttpClient client = HttpClient.create(connections).protocol(HttpProtocol.H2C).port(port)
          .headers(headers -> headers.set("Content-Type", "text/plain"));
      return (body == null ? client.get().uri(path)
          : client.post().uri(path).send(ByteBufFlux.fromString(body)))
          .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
              .map(text -> response.version() + " " + response.status().code() + " " + text))
          .block(Duration.ofSeconds(30));
    } finally {
      connections.disposeLater().block(Duration.ofSeconds(30)); // no connection left open
    }
  }

  @Test
  @DisplayName("over HTTP/2 (h2c), a request without a body reaches the handler unwrapped, and one"
      + " whose body has no length (Netty marks it chunked) is watched: over the limit, 413")
  void overHttp2ABodyWithoutALengthIsStillWatched() {
    try (ConfigurableApplicationContext server = NettyErrorBodiesTests.start(
        new Class<?>[] {App.class}, "server.http2.enabled=true",
        "spring.http.codecs.max-in-memory-size=1KB")) {
      int port = NettyErrorBodiesTests.port(server);
      assertThat(overH2c(port, "/test/request", null)).isEqualTo("HTTP/2.0 200 " + SERVERS);
      assertThat(overH2c(port, "/test/request", Flux.just("a", "b")))
          .startsWith("HTTP/2.0 200 ").isNotEqualTo("HTTP/2.0 200 " + SERVERS);
      assertThat(overH2c(port, "/test/read", Flux.just("b".repeat(1_000), "b".repeat(1_000))))
          .startsWith("HTTP/2.0 413 ");
    }
  }

  /**
   * Drops a request's Content-Length before any WebFilter sees it, as a decorator that inflates a
   * compressed body does (the length was the compressed body's); the body is the server's.
   */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class LengthDroppingApp extends App {

    @Bean
    HttpHandlerDecoratorFactory dropsTheLength() {
      return handler -> (request, response) -> handler.handle(
          request.mutate().headers(headers -> headers.remove(HttpHeaders.CONTENT_LENGTH)).build(),
          response);
    }
  }

  @Test
  @DisplayName("a request whose body the application's own decorator left without a"
      + " Content-Length before the filter is still watched: over the limit, 413 (not a 500)")
  void aBodyWhoseLengthADecoratorDroppedIsStillWatched() {
    try (ConfigurableApplicationContext server = NettyErrorBodiesTests.start(
        new Class<?>[] {LengthDroppingApp.class}, "spring.http.codecs.max-in-memory-size=1KB")) {
      int port = NettyErrorBodiesTests.port(server);
      assertThat(status(port, "b".repeat(2_000), false)).isEqualTo(413);
    }
  }

  @Test
  @DisplayName("a request that is neither a server's nor a decorator of one (an implementation of"
      + " the application's) goes through the filter, wrapped, instead of failing it")
  void aRequestWithNoNativeRequestGoesThrough() {
    ServerHttpRequest own = (ServerHttpRequest) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ServerHttpRequest.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getHeaders" -> new HttpHeaders();
          case "getBody" -> Flux.empty();
          default -> null;
        });
    MockServerWebExchange exchange = MockServerWebExchange.from(
        MockServerHttpRequest.get("/test/request"));
    AtomicReference<ServerHttpRequest> seen = new AtomicReference<>();
    new RequestTooLargeFilter().filter(exchange.mutate().request(own).build(), reached -> {
      seen.set(reached.getRequest());
      return Mono.empty();
    }).block();
    assertThat(seen.get()).isNotNull().isNotSameAs(own);
  }

  @Test
  @DisplayName("a request of another server than Reactor Netty (here a mock one) is wrapped even"
      + " without a body header: its headers may not signal a body (HTTP/2 on a servlet server)")
  void aRequestOfAnotherServerIsWrappedWhateverItsHeaders() {
    MockServerWebExchange exchange = MockServerWebExchange.from(
        MockServerHttpRequest.get("/test/request"));
    AtomicReference<ServerHttpRequest> seen = new AtomicReference<>();
    new RequestTooLargeFilter().filter(exchange, reached -> {
      seen.set(reached.getRequest());
      return Mono.empty();
    }).block();
    assertThat(seen.get()).isNotNull().isNotSameAs(exchange.getRequest());
  }
}

package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.TestActors.CounterActor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@link NettyErrorBodies} on a real Reactor Netty server, with
 * {@code reactant.http.error-bodies.enabled}: what the server answers on its own gets the
 * {@code {"message"}} body, and nothing else changes.
 */
class NettyErrorBodiesTests {

  static final String NO_URI = "The request target is not a valid URI: percent-encode a"
      + " '%' itself as %25, and each character outside ASCII or reserved as its UTF-8 bytes"
      + " (\u00e9 is %C3%A9)";

  static final String TOO_LONG = "GET /actors/Counter/" + "c".repeat(5_000)
      + "/read HTTP/1.1\r\nHost: x\r\n\r\n";

  /** An application with the starter, and an empty 400 of its own. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(CounterActor.class)
  static class App {

    @Bean
    RouterFunction<ServerResponse> emptyBadRequest() {
      return RouterFunctions.route()
          .GET("/test/empty-400", request -> ServerResponse.badRequest().build())
          .build();
    }
  }

  /**
   * Starts a server of the application on a free port. Each test closes its own before another
   * starts: closing one stops Reactor Netty's shared event loops, which no other server may be
   * using then.
   */
  static ConfigurableApplicationContext start(String... properties) {
    return start(new Class<?>[] {App.class}, properties);
  }

  /** Starts a server of the application and {@code sources} on a free port, as above. */
  static ConfigurableApplicationContext start(Class<?>[] sources, String... properties) {
    return new SpringApplicationBuilder(sources).web(WebApplicationType.REACTIVE)
        .properties("server.port=0", "spring.main.banner-mode=off",
            "reactant.http.error-bodies.enabled=true")
        .properties(properties).run();
  }

  static int port(ConfigurableApplicationContext context) {
    return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  /** Sends raw bytes to the server and reads all it answers until it closes the connection. */
  private static String exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000); // a server that never answers fails the test, not hangs it
      socket.getOutputStream().write(request.getBytes(ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), UTF_8);
    }
  }

  /** Expects the one answer to {@code request} to be {@code status} with the JSON message. */
  private static void expectRawAnswer(int port, String request, int status, String message)
      throws IOException {
    expectAnswer(exchange(port, request), status, message);
  }

  /** Expects {@code answer} to be one answer of {@code status} with the JSON message. */
  static void expectAnswer(String answer, int status, String message) {
    int headersEnd = answer.indexOf("\r\n\r\n");
    assertThat(headersEnd).as(answer).isPositive();
    String head = answer.substring(0, headersEnd).toLowerCase(Locale.ROOT);
    assertThat(head).startsWith("http/1.1 " + status + " ")
        .contains("content-type: application/json");
    assertThat(answer.substring(headersEnd + 4)).isEqualTo("{\"message\":\"" + message + "\"}");
  }

  @Test
  @DisplayName("a request Netty cannot decode (a URI too long: 414, headers too large: 431, a"
      + " malformed request line: 400) answers its status with a {\"message\"} body, as other"
      + " refusals do, not an empty one")
  void requestNettyCannotDecodeAnswersWithAMessage() throws IOException {
    String tooLarge = "GET /actors HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9_000)
        + "\r\n\r\n";
    String malformed = "GET /actors HTTP/1.1 trailing\r\nHost: x\r\n\r\n";
    try (ConfigurableApplicationContext server = start()) {
      int port = port(server);
      expectRawAnswer(port, TOO_LONG, 414, "The request line is too long: shorten the URI");
      expectRawAnswer(port, tooLarge, 431, "The request's header fields are too large");
      expectRawAnswer(port, malformed, 400, "The request is not valid HTTP/1.1");
    }
  }

  @Test
  @DisplayName("on a connection kept alive, a request Netty cannot decode that comes right after"
      + " the answer to the request before it, before Reactor Netty has ended that exchange, is"
      + " answered too: 414 with its message, each of 400 times (Reactor Netty 1.3.8 alone hands"
      + " it to the exchange before, which has answered already, and sends nothing)")
  void requestNettyCannotDecodeRightAfterAnAnswerOnAKeptAliveConnectionIsAnswered()
      throws IOException {
    byte[] read = "GET /actors/Counter/kept/read HTTP/1.1\r\nHost: x\r\n\r\n"
        .getBytes(ISO_8859_1);
    try (ConfigurableApplicationContext server = start()) {
      int port = port(server);
      byte[] tooLong = TOO_LONG.getBytes(ISO_8859_1);
      for (int i = 0; i < 400; i++) {
        expectAnswer(secondAnswer(port, i, read, tooLong), 414,
            "The request line is too long: shorten the URI");
      }
    }
  }

  @Test
  @DisplayName("a request Netty cannot decode, pipelined behind an ordinary one in the same write,"
      + " is answered after it, in order: 200, then 414 with its message")
  void requestNettyCannotDecodePipelinedBehindAnotherIsAnsweredAfterIt() throws IOException {
    byte[] both = ("GET /actors/Counter/piped/read HTTP/1.1\r\nHost: x\r\n\r\n" + TOO_LONG)
        .getBytes(ISO_8859_1);
    try (ConfigurableApplicationContext server = start()) {
      int port = port(server);
      for (int i = 0; i < 20; i++) {
        expectAnswer(secondAnswer(port, i, both, new byte[0]), 414,
            "The request line is too long: shorten the URI");
      }
    }
  }

  /**
   * On a socket of its own: writes {@code first}, expects one answer 200 to it, writes {@code then}
   * (nothing if empty), and returns what the server sends until it closes the connection; pair
   * {@code pair} fails, named, when that does not come within 5 seconds.
   */
  private static String secondAnswer(int port, int pair, byte[] first, byte[] then)
      throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(first);
      out.flush();
      assertThat(readOneAnswer(in)).as("pair %d", pair).startsWith("HTTP/1.1 200 ");
      if (then.length > 0) {
        out.write(then);
        out.flush();
      }
      try {
        return new String(in.readAllBytes(), UTF_8);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("pair " + pair + ": no second answer within 5 s", e);
      }
    }
  }

  /** Reads one answer framed by its Content-Length, leaving the connection open. */
  private static String readOneAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("the answer's head ended early: %s", head).isNotNegative();
      head.write(b);
    }
    String text = head.toString(ISO_8859_1);
    java.util.regex.Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
    assertThat(length.find()).as(text).isTrue();
    return text + new String(in.readNBytes(Integer.parseInt(length.group(1))), UTF_8);
  }

  @Test
  @DisplayName("a request whose head Netty decodes and whose body it cannot (a chunk size that is"
      + " no number, first or after a valid chunk) answers 400 with a {\"message\"} body too:"
      + " Reactor Netty refuses it on its own, empty, while the application reads the body")
  void requestWhoseBodyNettyCannotDecodeAnswersWithAMessage() throws IOException {
    String head = "POST /actors/Counter/a/bump HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    try (ConfigurableApplicationContext server = start()) {
      int port = port(server);
      expectRawAnswer(port, head + "zz\r\n[]\r\n0\r\n\r\n", 400,
          "The request is not valid HTTP/1.1");
      expectRawAnswer(port, head + "2\r\n[]\r\nzz\r\n", 400,
          "The request is not valid HTTP/1.1");
    }
  }

  @Test
  @DisplayName("under server.forward-headers-strategy=native, a request whose forwarded headers"
      + " name no valid path prefix or port, which Reactor Netty refuses on its own after decoding it,"
      + " answers 400 with a {\"message\"} body naming those headers, not an empty one; valid ones"
      + " pass, and an HTTP/2 version line on HTTP/1.1 is still 'not valid HTTP/1.1'")
  void requestWithBadForwardedHeadersAnswersWithAMessage() throws IOException {
    String bad = NettyErrorBodies.RefusalBodies.BAD_ADDRESS_HEADERS;
    String close = "Connection: close\r\n\r\n"; // so that an answer kept alive fails, not waits
    try (ConfigurableApplicationContext server = start("server.forward-headers-strategy=native")) {
      int port = port(server);
      expectRawAnswer(port, "GET /actors HTTP/1.1\r\nHost: x\r\nX-Forwarded-Prefix: api\r\n"
          + close, 400, bad);
      expectRawAnswer(port, "GET /actors HTTP/1.1\r\nHost: x\r\nX-Forwarded-Port: 80a\r\n"
          + close, 400, bad);
      expectRawAnswer(port, "GET /actors HTTP/2.0\r\nHost: x\r\n" + close, 400,
          "The request is not valid HTTP/1.1");
      assertThat(exchange(port, "GET /actors HTTP/1.1\r\nHost: x\r\nX-Forwarded-Prefix: /api\r\n"
          + "X-Forwarded-Port: 8443\r\n" + close)).startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  @DisplayName("an application's own empty 400 on a connection its client closes reaches the"
      + " client as sent: a handler that words Netty's answers to requests it could not decode"
      + " must not take it for one ('The request is not valid HTTP/1.1')")
  void applicationsOwnEmpty400OnAClosingConnectionIsLeftAlone() throws IOException {
    String answer;
    try (ConfigurableApplicationContext server = start()) {
      answer = exchange(port(server),
          "GET /test/empty-400 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }
    assertThat(answer).as(answer).startsWith("HTTP/1.1 400 ")
        .doesNotContainPattern("(?im)^content-type:").endsWith("\r\n\r\n");
  }

  @Test
  @DisplayName("R23 a request target that is no URI (a '%' not followed by two hexadecimal digits"
      + " in a path or a query, a '%' at its end), which Spring's adapter of Reactor Netty refuses"
      + " before any filter with an empty 400, answers 400 with a {\"message\"} body, on a"
      + " connection kept alive too")
  void requestTargetThatIsNoUriAnswers400WithAMessage() throws IOException {
    String twice;
    try (ConfigurableApplicationContext server = start()) {
      int port = port(server);
      for (String target : new String[] {"/api/counters/a%zz", "/api/counters/a?q=%zz",
          "/actors/Counter/a%/read", "/api/counters/a?q=%"}) {
        expectRawAnswer(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\n"
            + "Connection: close\r\n\r\n", 400, NO_URI);
      }
      // on a connection kept alive (Spring's adapter answers the status alone, and keeps it
      // open), each of two requests sent at once is answered, in order
      twice = exchange(port, "GET /api/counters/a%zz HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /api/counters/b?q=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }
    String[] answers = twice.split(Pattern.quote("{\"message\":\"" + NO_URI + "\"}"), -1);
    assertThat(answers).as(twice).hasSize(3);
    assertThat(answers[0]).startsWith("HTTP/1.1 400 ");
    assertThat(answers[1]).startsWith("HTTP/1.1 400 ");
    assertThat(answers[2]).isEmpty();
  }

  @Test
  @DisplayName("R23 the 400 to a HEAD request whose target is no URI, which Reactor Netty frames"
      + " with Transfer-Encoding: chunked, gets the {\"message\"} headers framed by Content-Length"
      + " alone (never both, which RFC 9112 forbids), no body, and the next request on the"
      + " connection is answered after it")
  void headRequestThatIsNoUriIsFramedByContentLengthAlone() throws IOException {
    String answers;
    try (ConfigurableApplicationContext server = start()) {
      answers = exchange(port(server), "HEAD /api/counters/a%zz HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /actors/Counter/h/read HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }
    int headEnd = answers.indexOf("\r\n\r\n");
    assertThat(headEnd).as(answers).isPositive();
    String head = answers.substring(0, headEnd).toLowerCase(Locale.ROOT);
    assertThat(head).as(answers).startsWith("http/1.1 400 ")
        .contains("content-type: application/json").contains("content-length: ")
        .doesNotContain("transfer-encoding");
    assertThat(answers.substring(headEnd + 4)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n0");
  }

  @Test
  @DisplayName("with reactant.http.error-bodies.server-refusals=false, or without error bodies,"
      + " Reactor Netty's own refusals stay as it sends them, empty")
  void serverRefusalsCanBeLeftEmpty() throws IOException {
    for (String[] properties : new String[][] {
        {"reactant.http.error-bodies.server-refusals=false"},
        {"reactant.http.error-bodies.enabled=false"}}) {
      try (ConfigurableApplicationContext context = start(properties)) {
        assertThat(context.getBeansOfType(NettyErrorBodies.class)).isEmpty();
        String answer = exchange(port(context), TOO_LONG);
        assertThat(answer).as(answer).startsWith("HTTP/1.1 414 ")
            .doesNotContainPattern("(?im)^content-type:").endsWith("\r\n\r\n");
      }
    }
  }

  @Test
  @DisplayName("on a server that takes HTTP/2 in clear text too (server.http2.enabled: h2c), a"
      + " request over HTTP/2, by prior knowledge or by an upgrade, is answered as without the"
      + " handler, and an HTTP/1.1 request Netty cannot decode gets the {\"message\"} body")
  void h2cServerAnswersHttp2AsBeforeAndHttp11RefusalsWithAMessage() throws IOException {
    try (ConfigurableApplicationContext context = start("server.http2.enabled=true")) {
      int port = port(context);
      for (HttpProtocol[] protocols : new HttpProtocol[][] {
          {HttpProtocol.H2C}, {HttpProtocol.HTTP11, HttpProtocol.H2C}}) {
        ConnectionProvider connections = ConnectionProvider.create("h2c", 1);
        try {
          String answer = HttpClient.create(connections).protocol(protocols).port(port).get()
              .uri("/actors/Counter/h2/read")
              .responseSingle((response, body) -> body.asString().map(text ->
                  response.version() + " " + response.status().code() + " " + text))
              .block(Duration.ofSeconds(30));
          assertThat(answer).as(protocols.length + " protocols").isEqualTo("HTTP/2.0 200 0");
        } finally {
          connections.disposeLater().block(Duration.ofSeconds(30)); // no connection left open
        }
      }
      expectRawAnswer(port, TOO_LONG, 414, "The request line is too long: shorten the URI");
      expectRawAnswer(port, "GET /api/counters/a%zz HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\n\r\n", 400, NO_URI);
      assertThat(exchange(port, "GET /actors/Counter/h1/read HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\n\r\n")).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n0");
    }
  }
}

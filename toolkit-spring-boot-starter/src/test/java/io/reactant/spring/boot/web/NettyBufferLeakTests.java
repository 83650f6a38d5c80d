package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.TestActors.GreeterConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
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
import org.springframework.web.server.WebFilter;

/**
 * The paths that refuse a request, on a real Reactor Netty server with the error bodies and strict
 * input on, release every buffer they read: Netty's leak detector, at {@code PARANOID} (the
 * surefire execution {@code netty-leak-detection}), reports none after them. Each test sends its
 * requests, waits until the server ended every exchange it started, then has Netty report what
 * was collected unreleased ({@link NettyLeakChecks}).
 */
@Tag("netty-leak-detection")
class NettyBufferLeakTests {

  /** A bound on each wait of the test on loopback, not a measure of speed. */
  private static final int WAIT_SECONDS = 20;

  /** A permit for each exchange the server ended (answered, failed or cancelled). */
  private static final Semaphore ENDED = new Semaphore(0);

  /** The starter's greeter, and routes of the application's own that read a JSON or form body. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(GreeterConfiguration.class)
  static class App {

    @Bean
    WebFilter exchangesEnded() {
      return (exchange, chain) -> chain.filter(exchange).doFinally(signal -> ENDED.release());
    }

    @Bean
    RouterFunction<ServerResponse> ownRoutes() {
      return RouterFunctions.route()
          .POST("/own/json", request -> request.bodyToMono(Map.class)
              .flatMap(body -> ServerResponse.ok().bodyValue(body)))
          .POST("/own/form", request -> request.formData()
              .flatMap(form -> ServerResponse.ok().bodyValue(form.toSingleValueMap())))
          .build();
    }
  }

  private static ConfigurableApplicationContext context;
  private static int port;
  private static NettyLeakChecks leaks;

  @BeforeAll
  static void start() {
    context = new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
        .properties("server.port=0", "spring.main.banner-mode=off",
            "reactant.http.max-request-body=1KB", "reactant.http.error-bodies.enabled=true",
            "reactant.http.strict-input.enabled=true", "spring.http.codecs.max-in-memory-size=1KB")
        .run();
    port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    leaks = NettyLeakChecks.record();
  }

  @AfterAll
  static void stop() {
    leaks.close();
    context.close();
  }

  @Test
  @DisplayName("the actor endpoints' refusals (malformed JSON, not UTF-8, an unknown actor type, a"
      + " body over the limit declared or chunked, no JSON content type) leak no buffer")
  void actorEndpointRefusalsLeakNothing() throws Exception {
    ENDED.drainPermits();
    assertThat(post("/actors/Greeter/greeter/greet", "application/json", bytes("[\"x\""))).startsWith(
        "HTTP/1.1 400 ");
    assertThat(post("/actors/Greeter/greeter/greet", "application/json",
        new byte[] {'[', '"', (byte) 0xC3, '"', ']'})).startsWith("HTTP/1.1 400 ");
    assertThat(post("/actors/Nope/g/greet", "application/json", bytes("[\"x\"]")))
        .startsWith("HTTP/1.1 404 ");
    // declared too large: answered before the body is read, which is not sent (a server that
    // closes a connection with bytes unread resets it, and the answer may be lost)
    assertThat(exchange(head("/actors/Greeter/greeter/greet", "application/json",
        "Content-Length: 2000\r\nConnection: close"))).startsWith("HTTP/1.1 413 ");
    assertThat(chunked("/actors/Greeter/greeter/greet", "application/json",
        bytes("[\"" + "x".repeat(600)), bytes("x".repeat(600) + "\"]"))).startsWith(
        "HTTP/1.1 413 ");
    assertThat(post("/actors/Greeter/greeter/greet", "text/plain", bytes("[\"x\"]")))
        .startsWith("HTTP/1.1 415 ");
    assertThat(post("/actors/Greeter/greeter/greet", "application/json", bytes("[\"ok\"]")))
        .startsWith("HTTP/1.1 200 ");
    awaitEnded(7);
    leaks.assertNoLeak();
  }

  @Test
  @DisplayName("the strict input of the application's own routes (JSON or a form not UTF-8,"
      + " malformed JSON, a form over spring.http.codecs.max-in-memory-size) leaks no buffer")
  void strictInputRefusalsLeakNothing() throws Exception {
    ENDED.drainPermits();
    assertThat(post("/own/json", "application/json", new byte[] {'{', '"', (byte) 0xFF, '"', ':',
        '1', '}'})).startsWith("HTTP/1.1 400 ");
    assertThat(post("/own/json", "application/json", bytes("{\"a\":"))).startsWith(
        "HTTP/1.1 400 ");
    // a form over the limit, but no more than Netty reads at once: a server that closes a
    // connection with bytes unread resets it, and the answer may be lost
    assertThat(post("/own/form", "application/x-www-form-urlencoded", bytes("a=" + "x".repeat(
        1_100)))).startsWith("HTTP/1.1 413 ");
    assertThat(post("/own/form", "application/x-www-form-urlencoded", bytes("a=%FF")))
        .startsWith("HTTP/1.1 400 ");
    assertThat(post("/own/form", "application/x-www-form-urlencoded",
        new byte[] {'a', '=', (byte) 0xE9})).startsWith("HTTP/1.1 400 ");
    assertThat(post("/own/form", "application/x-www-form-urlencoded", bytes("a=%zz")))
        .startsWith("HTTP/1.1 400 ");
    assertThat(post("/own/json", "application/json", bytes("{\"a\":1}"))).startsWith(
        "HTTP/1.1 200 ");
    awaitEnded(7);
    leaks.assertNoLeak();
  }

  @Test
  @DisplayName("what Reactor Netty refuses on its own (a request line too long, headers too"
      + " large, not HTTP, a target that is no URI, a chunk size that is no number), and such a"
      + " request pipelined behind another on a keep-alive connection, leak no buffer")
  void serverRefusalsLeakNothing() throws Exception {
    assertThat(exchange("GET /actors/" + "c".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 414 ");
    assertThat(exchange("GET /actors HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9_000)
        + "\r\n\r\n")).startsWith("HTTP/1.1 431 ");
    assertThat(exchange("GET /actors HTTP/1.1 trailing\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
    assertThat(exchange("GET /actors?q=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
    assertThat(exchange("POST /actors/Greeter/greeter/greet HTTP/1.1\r\nHost: x\r\nContent-Type:"
        + " application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n[\"x\"]\r\n0\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
    String pipelined = exchange("POST /actors/Greeter/greeter/greet HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/json\r\nContent-Length: 5\r\n\r\n[\"p\"]"
        + "GET /actors HTTP/1.1 trailing\r\nHost: x\r\n\r\n");
    assertThat(pipelined).startsWith("HTTP/1.1 200 ").contains("HTTP/1.1 400 ");
    leaks.assertNoLeak();
  }

  @Test
  @DisplayName("a 413 on a keep-alive connection, the next request on it, and a client that"
      + " closes its connection in the middle of a body leak no buffer")
  void keepAliveAndAbortedBodiesLeakNothing() throws Exception {
    ENDED.drainPermits();
    byte[] large = bytes("[\"" + "x".repeat(2_000) + "\"]");
    String both = exchange(new String(head("/actors/Greeter/greeter/greet", "application/json",
        "Content-Length: " + large.length), ISO_8859_1) + new String(large, ISO_8859_1)
        + "POST /actors/Greeter/greeter/greet HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 5\r\nConnection: close\r\n\r\n[\"n\"]");
    assertThat(both).startsWith("HTTP/1.1 413 ");
    int ended = 1 + (both.indexOf("HTTP/1.1 200 ") > 0 ? 1 : 0); // or the server closed it
    for (String path : new String[] {"/actors/Greeter/greeter/greet", "/own/json"}) {
      try (Socket socket = new Socket("localhost", port)) {
        OutputStream out = socket.getOutputStream();
        out.write(head(path, "application/json", "Content-Length: 900"));
        out.write(bytes("[\"" + "x".repeat(400)));
        out.flush();
      } // closed in the middle of the body: the exchange ends with it
      ended++;
    }
    awaitEnded(ended);
    leaks.assertNoLeak();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static byte[] head(String path, String contentType, String framing) {
    return ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
        + "\r\n" + framing + "\r\n\r\n").getBytes(ISO_8859_1);
  }

  /** Posts {@code body} on a connection of its own, and reads the answer until the server closes. */
  private static String post(String path, String contentType, byte[] body) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(head(path, contentType, "Content-Length: " + body.length
        + "\r\nConnection: close"));
    request.writeBytes(body);
    return exchange(request.toByteArray());
  }

  /** Posts the chunks, as chunks, on a connection of its own, as {@link #post} does. */
  private static String chunked(String path, String contentType, byte[]... chunks)
      throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(head(path, contentType, "Transfer-Encoding: chunked\r\nConnection: close"));
    for (byte[] chunk : chunks) {
      request.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(ISO_8859_1));
      request.writeBytes(chunk);
      request.writeBytes(bytes("\r\n"));
    }
    request.writeBytes(bytes("0\r\n\r\n"));
    return exchange(request.toByteArray());
  }

  private static String exchange(String request) throws IOException {
    return exchange(request.getBytes(ISO_8859_1));
  }

  /** Sends the bytes and reads all the server answers until it closes the connection. */
  private static String exchange(byte[] request) throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(WAIT_SECONDS * 1_000); // a server that never answers fails the test
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), UTF_8);
    }
  }

  /** Waits until the server ended {@code count} exchanges more (their buffers released or not). */
  private static void awaitEnded(int count) throws InterruptedException {
    assertThat(ENDED.tryAcquire(count, WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the server ended " + count + " exchanges").isTrue();
  }
}

package io.reactant.spring.boot.web;

import static io.reactant.spring.boot.web.NettyErrorBodiesTests.NO_URI;
import static io.reactant.spring.boot.web.NettyErrorBodiesTests.TOO_LONG;
import static io.reactant.spring.boot.web.NettyErrorBodiesTests.expectAnswer;
import static io.reactant.spring.boot.web.NettyErrorBodiesTests.port;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.SslProvider;

/**
 * {@link NettyErrorBodies} on a real Reactor Netty server over TLS ({@code server.ssl.bundle}):
 * Reactor Netty's own refusals of HTTP/1.1 requests get the {@code {"message"}} body there too, on
 * a server of HTTP/1.1 alone and on one that negotiates HTTP/2 or HTTP/1.1 by ALPN, whose HTTP/2
 * connections are left as they are. The server's certificate, self-signed for {@code localhost},
 * and its key are in {@code src/test/resources/tls} (its README says how they were made); the
 * clients trust that certificate alone, and check that it names {@code localhost}.
 */
class NettyErrorBodiesTlsTests {

  private static final String CERTIFICATE = "tls/localhost-cert.pem";

  private static final String[] TLS = {
      "spring.ssl.bundle.pem.localhost.keystore.certificate=classpath:" + CERTIFICATE,
      "spring.ssl.bundle.pem.localhost.keystore.private-key=classpath:tls/localhost-key.pem",
      "server.ssl.bundle=localhost"};

  private static final String TOO_LARGE = "GET /actors HTTP/1.1\r\nHost: x\r\nX-Big: "
      + "b".repeat(9_000) + "\r\n\r\n";

  private static final String NOT_A_URI = "GET /api/counters/a?q=%zz HTTP/1.1\r\nHost: x\r\n"
      + "Connection: close\r\n\r\n";

  /**
   * Records, for each request, the names of the handlers in the pipeline of the connection it came
   * on (for HTTP/2, the connection's, not its stream's), as they were when the request came.
   */
  static final class ConnectionPipelines implements NettyServerCustomizer {

    final LinkedBlockingQueue<List<String>> names = new LinkedBlockingQueue<>();

    @Override
    public HttpServer apply(HttpServer server) {
      return server.doOnConnection(connection -> {
        Channel channel = connection.channel();
        names.add((channel instanceof Http2StreamChannel ? channel.parent() : channel)
            .pipeline().names());
      });
    }

    /**
     * The names for the request answered last (recorded before its answer was sent), the records
     * of the requests before it dropped.
     */
    List<String> ofTheLastRequest() {
      List<List<String>> all = new ArrayList<>();
      names.drainTo(all);
      assertThat(all).as("requests recorded").isNotEmpty();
      return all.get(all.size() - 1);
    }
  }

  /** {@code first}'s strings, then {@code then}'s. */
  private static String[] concat(String[] first, String... then) {
    return Stream.concat(Arrays.stream(first), Arrays.stream(then)).toArray(String[]::new);
  }

  private static ConfigurableApplicationContext startOverTls(String... properties) {
    String[] all = concat(TLS, properties);
    return NettyErrorBodiesTests.start(
        new Class<?>[] {NettyErrorBodiesTests.App.class, ConnectionPipelines.class}, all);
  }

  private static X509Certificate certificate() throws IOException, GeneralSecurityException {
    try (InputStream pem = NettyErrorBodiesTlsTests.class.getClassLoader()
        .getResourceAsStream(CERTIFICATE)) {
      assertThat(pem).as(CERTIFICATE).isNotNull();
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
    }
  }

  /** A client's TLS context that trusts the server's certificate alone. */
  private static SSLContext trustingTheServer() throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("localhost", certificate());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /**
   * Sends raw bytes over TLS, its client offering ALPN {@code alpn} (none if empty), expects the
   * handshake to have agreed on {@code negotiated} ({@code ""}: no protocol named), and reads all
   * the server answers until it closes the connection.
   */
  private static String exchange(int port, String request, String negotiated, String... alpn)
      throws IOException, GeneralSecurityException {
    try (SSLSocket socket = (SSLSocket) trustingTheServer().getSocketFactory()
        .createSocket("localhost", port)) {
      socket.setSoTimeout(30_000); // a server that never answers fails the test, not hangs it
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate names localhost
      // the JDK names no server for a host name without a dot: name it, for a server that chooses
      // its certificate by the name (server.ssl.server-name-bundles)
      parameters.setServerNames(List.of(new SNIHostName("localhost")));
      parameters.setApplicationProtocols(alpn);
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      assertThat(socket.getApplicationProtocol()).as("ALPN").isEqualTo(negotiated);
      socket.getOutputStream().write(request.getBytes(ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), UTF_8);
    }
  }

  /**
   * Gets {@code uri} with Reactor Netty's client over TLS, offering ALPN h2 and http/1.1 if {@code
   * protocols} has HTTP/2, no protocol otherwise; answers the version, the status and the body.
   */
  private static String get(int port, String uri, HttpProtocol... protocols) throws Exception {
    X509Certificate certificate = certificate();
    SslProvider.ProtocolSslContextSpec tls = List.of(protocols).contains(HttpProtocol.H2)
        ? Http2SslContextSpec.forClient().configure(builder -> builder.trustManager(certificate))
        : Http11SslContextSpec.forClient().configure(builder -> builder.trustManager(certificate));
    ConnectionProvider connections = ConnectionProvider.create("tls", 1);
    try {
      return HttpClient.create(connections).protocol(protocols).host("localhost").port(port)
          .secure(spec -> spec.sslContext(tls))
          .get().uri(uri)
          .responseSingle((response, body) -> body.asString().defaultIfEmpty("").map(text ->
              response.version() + " " + response.status().code() + " " + text))
          .block(Duration.ofSeconds(30));
    } finally {
      connections.disposeLater().block(Duration.ofSeconds(30)); // no connection left open
    }
  }

  @Test
  @DisplayName("over TLS on a server of HTTP/1.1 alone (server.ssl), a request Netty cannot decode"
      + " (a URI too long: 414, headers too large: 431) and a target that is no URI (400) answer"
      + " with a {\"message\"} body, as in clear text; other requests as before")
  void tlsServerOfHttp11AnswersRefusalsWithAMessage() throws Exception {
    try (ConfigurableApplicationContext server = startOverTls()) {
      int port = port(server);
      expectAnswer(exchange(port, TOO_LONG, ""), 414,
          "The request line is too long: shorten the URI");
      expectAnswer(exchange(port, TOO_LARGE, ""), 431, "The request's header fields are too large");
      expectAnswer(exchange(port, NOT_A_URI, ""), 400, NO_URI);
      assertThat(exchange(port, "GET /actors/Counter/t/read HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\n\r\n", "")).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n0");
      assertThat(server.getBean(ConnectionPipelines.class).ofTheLastRequest())
          .contains(NettyErrorBodies.HANDLER_NAME);
    }
  }

  @Test
  @DisplayName("over TLS on a server that takes HTTP/2 too (server.ssl, server.http2.enabled), a"
      + " connection that negotiates HTTP/1.1 by ALPN, or names no protocol, gets the {\"message\"}"
      + " body on Reactor Netty's refusals (414, 431, a target that is no URI: 400), and one that"
      + " negotiates HTTP/2 is answered as without the handler, which is not in its pipeline")
  void tlsServerOfHttp2AndHttp11AnswersHttp11RefusalsWithAMessageAndLeavesHttp2Alone()
      throws Exception {
    try (ConfigurableApplicationContext server = startOverTls("server.http2.enabled=true")) {
      int port = port(server);
      String http11 = "http/1.1";
      expectAnswer(exchange(port, TOO_LONG, http11, http11), 414,
          "The request line is too long: shorten the URI");
      expectAnswer(exchange(port, TOO_LARGE, http11, http11), 431,
          "The request's header fields are too large");
      expectAnswer(exchange(port, NOT_A_URI, http11, http11), 400, NO_URI);
      expectAnswer(exchange(port, TOO_LONG, ""), 414,
          "The request line is too long: shorten the URI");
      expectAnswer(exchange(port, NOT_A_URI, ""), 400, NO_URI);

      ConnectionPipelines pipelines = server.getBean(ConnectionPipelines.class);
      for (HttpProtocol[] protocols : new HttpProtocol[][] {
          {HttpProtocol.H2}, {HttpProtocol.HTTP11, HttpProtocol.H2}}) {
        assertThat(get(port, "/actors/Counter/h2/read", protocols))
            .as(protocols.length + " protocols").isEqualTo("HTTP/2.0 200 0");
        assertThat(pipelines.ofTheLastRequest()).contains(NettyPipeline.H2MultiplexHandler)
            .doesNotContain(NettyErrorBodies.HANDLER_NAME, NettyErrorBodies.AFTER_NEGOTIATION_NAME);
      }
      assertThat(get(port, "/actors/Counter/h1/read", HttpProtocol.HTTP11))
          .isEqualTo("HTTP/1.1 200 0");
      assertThat(pipelines.ofTheLastRequest()).contains(NettyErrorBodies.HANDLER_NAME)
          .doesNotContain(NettyErrorBodies.AFTER_NEGOTIATION_NAME);
    }
  }

  @Test
  @DisplayName("over TLS on a server that chooses its certificate by the name the client asks for"
      + " (server.ssl.server-name-bundles: SNI), HTTP/1.1 alone or with HTTP/2, Reactor Netty's"
      + " refusals answer with a {\"message\"} body too")
  void tlsServerChoosingItsCertificateByServerNameAnswersRefusalsWithAMessage() throws Exception {
    String[] byServerName = {
        "spring.ssl.bundle.pem.other.keystore.certificate=classpath:tls/other-cert.pem",
        "spring.ssl.bundle.pem.other.keystore.private-key=classpath:tls/other-key.pem",
        "server.ssl.bundle=other", // for a client that names no server: not trusted by ours
        "server.ssl.server-name-bundles[0].server-name=localhost",
        "server.ssl.server-name-bundles[0].bundle=localhost"};
    for (boolean http2 : new boolean[] {false, true}) {
      try (ConfigurableApplicationContext server =
          startOverTls(concat(byServerName, "server.http2.enabled=" + http2))) {
        int port = port(server);
        // the server's own certificate is not the one our client trusts: only the name chose it
        try (SSLSocket unnamed = (SSLSocket) trustingTheServer().getSocketFactory()
            .createSocket("localhost", port)) {
          unnamed.setSoTimeout(30_000);
          assertThatThrownBy(unnamed::startHandshake)
              .as("HTTP/2 " + http2 + ", no server name").isInstanceOf(SSLHandshakeException.class);
        }
        String[] alpn = http2 ? new String[] {"http/1.1"} : new String[0];
        String negotiated = http2 ? "http/1.1" : "";
        expectAnswer(exchange(port, TOO_LONG, negotiated, alpn), 414,
            "The request line is too long: shorten the URI");
        expectAnswer(exchange(port, NOT_A_URI, negotiated, alpn), 400, NO_URI);
      }
    }
  }

  @Test
  @DisplayName("the handler that waits for ALPN lets through what comes before the negotiation"
      + " ends; at the first message or event after it, it adds the refusal handler before Reactor"
      + " Netty's request handler if HTTP/1.1 was negotiated, nothing if HTTP/2 was, and leaves;"
      + " every message goes on, unchanged and in order")
  void afterNegotiationAddsTheHandlerToHttp11AloneAndLeaves() {
    for (boolean http11 : new boolean[] {true, false}) {
      for (boolean readFirst : new boolean[] {true, false}) {
        String scenario = (http11 ? "HTTP/1.1, " : "HTTP/2, ") + (readFirst ? "read" : "event")
            + " first";
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelPipeline pipeline = channel.pipeline();
        // Reactor Netty's pipeline as set up on a server over TLS of HTTP/2 and HTTP/1.1
        pipeline.addLast(NettyPipeline.H2OrHttp11Codec, new ChannelInboundHandlerAdapter())
            .addLast(NettyPipeline.ReactiveBridge, new ChannelInboundHandlerAdapter());
        new NettyErrorBodies().apply(HttpServer.create()).configuration().doOnChannelInit()
            .onChannelInit(ConnectionObserver.emptyListener(), channel, null);
        pipeline.fireUserEventTriggered("an event during the handshake");
        pipeline.fireChannelRead("a read the negotiation lets through while it is there");
        assertThat(pipeline.names()).as(scenario).contains(NettyErrorBodies.AFTER_NEGOTIATION_NAME);

        // what Reactor Netty's negotiation handler does at the end of the handshake
        if (http11) {
          pipeline.addBefore(NettyPipeline.ReactiveBridge, NettyPipeline.HttpCodec,
                  new ChannelInboundHandlerAdapter())
              .addBefore(NettyPipeline.ReactiveBridge, NettyPipeline.HttpTrafficHandler,
                  new ChannelInboundHandlerAdapter());
        } else {
          pipeline.remove(NettyPipeline.ReactiveBridge);
          pipeline.addLast(NettyPipeline.HttpCodec, new ChannelInboundHandlerAdapter())
              .addLast(NettyPipeline.H2MultiplexHandler, new ChannelInboundHandlerAdapter());
        }
        pipeline.remove(NettyPipeline.H2OrHttp11Codec);
        if (readFirst) {
          pipeline.fireChannelRead("a read held back until the negotiation ended");
        } else {
          pipeline.fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        }

        assertThat(new ArrayList<>(pipeline.toMap().keySet())).as(scenario).isEqualTo(http11
            ? List.of(NettyPipeline.HttpCodec, NettyErrorBodies.HANDLER_NAME,
                NettyPipeline.HttpTrafficHandler, NettyPipeline.ReactiveBridge)
            : List.of(NettyPipeline.HttpCodec, NettyPipeline.H2MultiplexHandler));
        pipeline.fireChannelRead("a read after");
        List<Object> read = new ArrayList<>();
        for (Object message; (message = channel.readInbound()) != null; ) {
          read.add(message);
        }
        assertThat(read).as(scenario).isEqualTo(readFirst
            ? List.of("a read the negotiation lets through while it is there",
                "a read held back until the negotiation ended", "a read after")
            : List.of("a read the negotiation lets through while it is there", "a read after"));
        channel.finishAndReleaseAll();
      }
    }
  }
}

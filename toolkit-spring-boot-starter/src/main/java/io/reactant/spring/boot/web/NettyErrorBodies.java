package io.reactant.spring.boot.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Gives the answers that Reactor Netty sends on its own, to a request it cannot decode, the {@code
 * {"message"}} body of the other refusals: 414 for a request line over {@code
 * server.netty.max-initial-line-length}, 431 for headers over {@code
 * server.max-http-request-header-size}, 400 for a request that is not HTTP, in its head or in its
 * body (a chunk size that is no number), or whose forwarded headers it cannot read (under {@code
 * server.forward-headers-strategy=native}: an {@code X-Forwarded-Prefix} without its leading
 * {@code /}, an {@code X-Forwarded-Port} that is no number). Reactor Netty answers them on its
 * own, before any handler of Spring sees the request or while one reads its body (or, for the
 * forwarded headers, as it hands the request over), with an empty body, and offers no hook
 * for them; what it offers, and its maintainers point to (reactor/reactor-netty#3327), is a channel
 * handler of one's own: this customizer adds one after the server's HTTP/1.1 codec (before Reactor
 * Netty's handler of HTTP/1.1 requests), which replaces each such answer on its way out (same
 * status, still closing the connection) and lets every other one through. The same goes for the 400
 * that Spring's adapter of Reactor Netty answers, before any filter, to a request whose target is
 * no URI ({@code ?q=%zz}, a {@code %} at its end): with the status alone, the connection kept open.
 * Only the answer to such a request is replaced: an application's own empty 400 goes through as it
 * is. On a connection kept alive, a request not decoded that comes right after the answer to the
 * one before, while that exchange has not ended yet, is held back until it has: Reactor Netty
 * (1.3.8) would hand its refusal to that exchange, which has answered already, and send nothing.
 *
 * <p>It covers HTTP/1.1 on each server Spring Boot sets up: on a server of HTTP/1.1 alone, in clear
 * text or over TLS ({@code server.ssl}: the handler is added when the connection is set up, behind
 * the TLS handler); on one that takes HTTP/2 in clear text too ({@code server.http2.enabled}
 * without SSL: h2c), whose HTTP/1.1 requests it answers the same way, a connection that turns to
 * HTTP/2 (by prior knowledge or an upgrade) going through it untouched, its frames not HTTP/1.1
 * messages; and on one that takes HTTP/2 over TLS ({@code server.http2.enabled} with {@code
 * server.ssl}), whose connections choose their protocol by ALPN at the end of the handshake, after
 * the connection is set up: {@link AfterNegotiation} adds the handler to a connection that chose
 * HTTP/1.1 (or named no protocol, which means HTTP/1.1) and leaves one that chose HTTP/2 as
 * Reactor Netty set it up. HTTP/2's own refusals are its codec's (frames, not these answers), left
 * as they are. Installed, on a Reactor Netty server, by {@code reactant.http.error-bodies.enabled}
 * (unless {@code reactant.http.error-bodies.server-refusals=false}); stateless and thread-safe
 * (each connection has handlers of its own).
 */
public final class NettyErrorBodies implements NettyServerCustomizer {

  /** The name of the channel handler in a connection's pipeline. */
  static final String HANDLER_NAME = "reactant.refusalBodies";

  /**
   * The name of the channel handler that waits, on a connection over TLS that may take HTTP/2, for
   * the protocol to be negotiated.
   */
  static final String AFTER_NEGOTIATION_NAME = "reactant.refusalBodiesAfterNegotiation";

  @Override
  public HttpServer apply(HttpServer server) {
    return server.doOnChannelInit((observer, channel, remoteAddress) -> {
      ChannelPipeline pipeline = channel.pipeline();
      if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
        // HTTP/1.1, in clear text or over TLS, after its codec (and, on an h2c server, after its
        // upgrade handler)
        addRefusalBodies(pipeline);
      } else if (pipeline.get(NettyPipeline.H2OrHttp11Codec) != null) {
        // over TLS, HTTP/2 or HTTP/1.1, whose codec Reactor Netty adds once ALPN has chosen one
        pipeline.addAfter(NettyPipeline.H2OrHttp11Codec, AFTER_NEGOTIATION_NAME,
            new AfterNegotiation());
      }
    });
  }

  /** Adds a {@link RefusalBodies} to a pipeline of HTTP/1.1, before its request handler. */
  private static void addRefusalBodies(ChannelPipeline pipeline) {
    pipeline.addBefore(NettyPipeline.HttpTrafficHandler, HANDLER_NAME, new RefusalBodies());
  }

  /**
   * Waits on a connection over TLS whose protocol ALPN negotiates at the end of the handshake
   * (HTTP/2, or HTTP/1.1, also when the client names no protocol), placed right after Reactor
   * Netty's handler of that negotiation ({@link NettyPipeline#H2OrHttp11Codec}, a Netty {@code
   * ApplicationProtocolNegotiationHandler}), which adds the negotiated protocol's handlers behind
   * it and then removes itself. Once it is gone, at the first message or event that reaches this
   * handler, this handler adds a {@link RefusalBodies} if HTTP/1.1 was negotiated (the pipeline
   * then holds Reactor Netty's {@link NettyPipeline#HttpTrafficHandler}), and in any case removes
   * itself: an HTTP/2 connection is left as Reactor Netty set it up. What reaches it before goes
   * through untouched, as does every message.
   *
   * <p>A message or the event may come first: the negotiation handler holds back every read of the
   * connection until the handshake ends and, as it removes itself, hands them on before it passes
   * the handshake's event on; with no read held back, the event comes first. It adds nothing when
   * the handshake fails (the negotiation handler closes the connection). One per connection; not
   * thread-safe (a channel's handlers run on its event loop).
   */
  static final class AfterNegotiation extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      settleOnceNegotiated(ctx);
      ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      settleOnceNegotiated(ctx);
      ctx.fireUserEventTriggered(event);
    }

    private void settleOnceNegotiated(ChannelHandlerContext ctx) {
      ChannelPipeline pipeline = ctx.pipeline();
      if (ctx.isRemoved() || pipeline.get(NettyPipeline.H2OrHttp11Codec) != null) {
        return;
      }
      if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
        addRefusalBodies(pipeline);
      }
      pipeline.remove(this);
    }
  }

  /** What a request read was, for the answer to it. */
  enum Read {
    /** Decoded, its target a URI: the application answers it. */
    REQUEST,
    /**
     * Not decoded, its head or its body (too long, too large, not HTTP): Reactor Netty answers it.
     */
    UNDECODED,
    /** Decoded, its target no URI: Spring's adapter answers it. */
    NO_URI,
    /**
     * Decoded, then refused by Reactor Netty for its {@code Host} or forwarded headers ({@code
     * Forwarded}, {@code X-Forwarded-*} under {@code server.forward-headers-strategy=native}) that
     * name no address, port or prefix: Reactor Netty answers it.
     */
    BAD_ADDRESS_HEADERS
  }

  /** A request read, and what it was when read. */
  private record Seen(Read read, HttpRequest request) {

    /**
     * What it turned out to be by its answer: Reactor Netty marks a request it refuses after this
     * handler saw it (its address headers, an HTTP/2 version line) with a failed decoder result.
     */
    Read byItsAnswer() {
      if (read != Read.REQUEST || !request.decoderResult().isFailure()) {
        return read;
      }
      return request.decoderResult().cause() instanceof IllegalArgumentException
          ? Read.BAD_ADDRESS_HEADERS : Read.UNDECODED;
    }
  }

  /**
   * Notes, for each request in the order read, what it was, and replaces the empty answer to one
   * that was not decoded or whose target is no URI (any other answer goes through, an
   * application's own empty 400 included). One per connection, whose requests it sees in order;
   * not thread-safe (a channel's handlers run on its event loop).
   */
  static final class RefusalBodies extends ChannelDuplexHandler {

    static final String BAD_ADDRESS_HEADERS = "The request's Host or forwarded headers (Forwarded,"
        + " X-Forwarded-Host, -Port, -Prefix) name no valid address, port or path prefix";

    static final String NO_URI = "The request target is not a valid URI: percent-encode a '%'"
        + " itself as %25, and each character outside ASCII or reserved as its UTF-8 bytes"
        + " (\u00e9 is %C3%A9)";

    /** Each request read and not answered yet, with what it was, in the order read. */
    private final ArrayDeque<Seen> unanswered = new ArrayDeque<>();

    /**
     * The messages read and held back, in order, while the exchange before them ends. Taken (and
     * so released or passed on) once, by whoever takes it: the event loop, or the thread that
     * ends the exchange when the executor takes no more tasks.
     */
    private final AtomicReference<@Nullable ArrayDeque<Object>> held = new AtomicReference<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        unanswered.add(new Seen(request.decoderResult().isFailure() ? Read.UNDECODED
            : isUri(request.uri()) ? Read.REQUEST : Read.NO_URI, request));
      } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()
          && unanswered.peekLast() != null && unanswered.peekLast().read() == Read.REQUEST) {
        // the body of the last request read is not HTTP (a chunk size that is no number):
        // Reactor Netty answers that request itself, unless it was answered already
        unanswered.add(new Seen(Read.UNDECODED, unanswered.pollLast().request()));
      }
      pass(ctx, msg);
    }

    /**
     * Passes a message on, unless it is held back: a request that was not decoded, read while
     * the exchange before it is still bound to the connection (its answer sent, its end not yet
     * run), is held, with every message read after it, until that exchange ends. Reactor Netty
     * (1.3.8) would refuse it through that exchange, which has answered already, and send nothing;
     * once the exchange has ended it refuses it on its own. The release runs on the connection's
     * event loop after the end, in the order read.
     */
    private void pass(ChannelHandlerContext ctx, Object msg) {
      ArrayDeque<Object> holding = held.get();
      if (holding != null) {
        holding.add(msg);
        return;
      }
      ChannelOperations<?, ?> previous = msg instanceof HttpRequest request
          && request.decoderResult().isFailure() ? ChannelOperations.get(ctx.channel()) : null;
      if (previous instanceof HttpServerRequest) {
        holdBack(ctx, msg, previous.onTerminate());
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    /**
     * Holds {@code msg} back, with every message read after it, until {@code end} ends, and then
     * passes them on, on the handler's executor (the connection's event loop). Should that
     * executor take no more tasks by then (it is shutting down), they are released at once, on
     * the thread that ended the exchange: the connection may never tell this handler that it
     * closed, and the refusal was an error dropped, logged by Reactor. Runs on the executor.
     */
    void holdBack(ChannelHandlerContext ctx, Object msg, Mono<Void> end) {
      ArrayDeque<Object> messages = new ArrayDeque<>();
      messages.add(msg);
      held.set(messages);
      end.subscribe(null, error -> releaseLater(ctx), () -> releaseLater(ctx));
    }

    private void releaseLater(ChannelHandlerContext ctx) {
      try {
        ctx.executor().execute(() -> release(ctx));
      } catch (RejectedExecutionException shuttingDown) {
        drop(held.getAndSet(null));
      }
    }

    /** Passes on the messages held back, in order (which may hold them again, see above). */
    private void release(ChannelHandlerContext ctx) {
      ArrayDeque<Object> messages = held.getAndSet(null);
      if (messages == null || ctx.isRemoved()) {
        drop(messages);
        return;
      }
      for (Object msg = messages.poll(); msg != null; msg = messages.poll()) {
        pass(ctx, msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      drop(held.getAndSet(null));
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      drop(held.getAndSet(null));
    }

    private static void drop(@Nullable ArrayDeque<Object> messages) {
      if (messages != null) {
        messages.forEach(ReferenceCountUtil::release);
      }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse response
          && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
        Seen seen = unanswered.poll();
        Read answered = seen == null ? null : seen.byItsAnswer();
        String message = answered == null || answered == Read.REQUEST
            || !(msg instanceof FullHttpResponse full) || full.content().isReadable()
            || full.headers().contains(HttpHeaderNames.CONTENT_TYPE) ? null
            : messageFor(answered, full.status().code());
        if (message != null) {
          ctx.write(withMessage((FullHttpResponse) msg, message), promise);
          return;
        }
      }
      ctx.write(msg, promise);
    }

    /** The message for the empty answer of {@code status} to a request read as {@code read}. */
    private static @Nullable String messageFor(Read read, int status) {
      if (read == Read.NO_URI) {
        return status == 400 ? NO_URI : null;
      }
      if (read == Read.BAD_ADDRESS_HEADERS) {
        return status == 400 ? BAD_ADDRESS_HEADERS : null;
      }
      return switch (status) {
        case 414 -> "The request line is too long: shorten the URI";
        case 431 -> "The request's header fields are too large";
        case 400 -> "The request is not valid HTTP/1.1";
        default -> null;
      };
    }

    /**
     * Whether Spring's adapter reads the request target as a URI: its path and query (an
     * absolute target's after its authority) after a base URL.
     */
    static boolean isUri(String target) {
      String path = target;
      int scheme = target.indexOf("://");
      if (!target.startsWith("/") && scheme >= 0) {
        int end = target.indexOf('/', scheme + 3);
        int query = target.indexOf('?', scheme + 3);
        end = end < 0 ? query : query < 0 ? end : Math.min(end, query);
        path = end < 0 ? "" : target.substring(end);
      }
      try {
        new URI("http://localhost" + path);
        return true;
      } catch (URISyntaxException e) {
        return false;
      }
    }
  }

  /**
   * The empty answer with a {@code {"message"}} body instead, its status and headers kept, framed
   * by its {@code Content-Length} alone: Reactor Netty frames its empty answer to a {@code HEAD}
   * with {@code Transfer-Encoding: chunked}, which may not stand beside it (RFC 9112, 6.2). The
   * server's codec leaves out the body of an answer to a {@code HEAD}.
   */
  private static FullHttpResponse withMessage(FullHttpResponse empty, String message) {
    byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse answer = new DefaultFullHttpResponse(empty.protocolVersion(),
        empty.status(), Unpooled.wrappedBuffer(body));
    answer.headers().set(empty.headers()).remove(HttpHeaderNames.TRANSFER_ENCODING)
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    empty.release();
    return answer;
  }
}

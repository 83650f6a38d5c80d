package io.reactant.sample.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.NettyPipeline;

/**
 * Gives the answers that Reactor Netty sends on its own, to a request it cannot decode, the
 * {@code {"message"}} body of the other refusals: 414 for a request line over
 * {@code server.netty.max-initial-line-length}, 431 for headers over
 * {@code server.max-http-request-header-size}, 400 for a request that is not HTTP. Reactor Netty
 * answers them before any handler of Spring sees the request, with an empty body, and offers no
 * hook for them; what it offers, and its maintainers point to (reactor/reactor-netty#3327), is a
 * channel handler of one's own: this one, after the HTTP/1.1 codec, replaces each such answer on
 * its way out (same status, still closing the connection) and lets every other one through. The
 * same goes for the 400 that Spring's adapter of Reactor Netty answers, before any filter, to a
 * request whose target is no URI ({@code ?q=%zz}, a {@code %} at its end): with the status alone,
 * the connection kept open.
 */
@Configuration(proxyBeanMethods = false)
class NettyErrorBodies {

  @Bean
  NettyServerCustomizer decodingFailureBodies() {
    return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
      if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) { // HTTP/1.1
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "sample.decodingFailureBodies",
            DecodingFailureBodies.INSTANCE);
        channel.pipeline().addAfter("sample.decodingFailureBodies", "sample.noUriBodies",
            new NoUriBodies());
      }
    });
  }

  /** Replaces Reactor Netty's empty answer to a request it could not decode. */
  @ChannelHandler.Sharable
  static final class DecodingFailureBodies extends ChannelOutboundHandlerAdapter {

    static final DecodingFailureBodies INSTANCE = new DecodingFailureBodies();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      String message = msg instanceof FullHttpResponse response ? messageFor(response) : null;
      ctx.write(message == null ? msg : withMessage((FullHttpResponse) msg, message), promise);
    }

    /**
     * The message for Reactor Netty's answer to a request it could not decode (the status alone,
     * no body, the connection closed), or null for any other response.
     */
    private static String messageFor(FullHttpResponse response) {
      if (response.content().isReadable()
          || !response.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)
          || response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
        return null;
      }
      return switch (response.status().code()) {
        case 414 -> "The request line is too long: shorten the URI";
        case 431 -> "The request's header fields are too large";
        case 400 -> "The request is not valid HTTP/1.1";
        default -> null;
      };
    }
  }

  /** The empty answer with a {@code {"message"}} body instead, its status and headers kept. */
  private static FullHttpResponse withMessage(FullHttpResponse empty, String message) {
    byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse answer = new DefaultFullHttpResponse(empty.protocolVersion(),
        empty.status(), Unpooled.wrappedBuffer(body));
    answer.headers().set(empty.headers())
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    empty.release();
    return answer;
  }

  /**
   * Gives a body to the 400 that Spring's adapter answers, with the status alone, to a request
   * whose target is no URI: it notes, for each request in the order read, whether its target is
   * one, and replaces the answer to one that is not, if it is that empty 400 (any other answer
   * goes through). One per connection, whose requests it sees in order; not thread-safe (a
   * channel's handlers run on its event loop).
   */
  static final class NoUriBodies extends ChannelDuplexHandler {

    static final String MESSAGE = "The request target is not a valid URI: percent-encode a '%'"
        + " itself as %25, and each character outside ASCII or reserved as its UTF-8 bytes"
        + " (\u00e9 is %C3%A9)";

    /** For each request read and not answered yet, whether its target is no URI. */
    private final ArrayDeque<Boolean> noUri = new ArrayDeque<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        noUri.add(!isUri(request.uri()));
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse response
          && response.status().codeClass() != HttpStatusClass.INFORMATIONAL
          && Boolean.TRUE.equals(noUri.poll()) && msg instanceof FullHttpResponse full
          && full.status().code() == 400 && !full.content().isReadable()
          && !full.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
        ctx.write(withMessage(full, MESSAGE), promise);
        return;
      }
      ctx.write(msg, promise);
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
}

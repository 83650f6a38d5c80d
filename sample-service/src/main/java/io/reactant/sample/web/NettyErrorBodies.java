package io.reactant.sample.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.nio.charset.StandardCharsets;
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
 * its way out (same status, still closing the connection) and lets every other one through.
 */
@Configuration(proxyBeanMethods = false)
class NettyErrorBodies {

  @Bean
  NettyServerCustomizer decodingFailureBodies() {
    return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
      if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) { // HTTP/1.1
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "sample.decodingFailureBodies",
            DecodingFailureBodies.INSTANCE);
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
      if (message == null) {
        ctx.write(msg, promise);
        return;
      }
      FullHttpResponse empty = (FullHttpResponse) msg;
      byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
      FullHttpResponse answer = new DefaultFullHttpResponse(empty.protocolVersion(),
          empty.status(), Unpooled.wrappedBuffer(body));
      answer.headers().set(empty.headers())
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      empty.release();
      ctx.write(answer, promise);
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
}

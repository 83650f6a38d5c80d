package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Sinks;

/**
 * What {@link NettyErrorBodies.RefusalBodies} holds back while the exchange before it ends is
 * released whatever becomes of the executor that would pass it on.
 */
@ExtendWith(OutputCaptureExtension.class)
class RefusalBodiesHoldBackTests {

  private static ByteBuf undecodedRequest() {
    return Unpooled.copiedBuffer("GET /" + "a".repeat(5_000) + " HTTP/1.1\r\n", US_ASCII);
  }

  @Test
  @DisplayName("messages held back are released at once when the previous exchange ends after the"
      + " handler's executor has shut down (it takes no task to pass them on) while the"
      + " connection stays open, which would never drop them: no buffer leaks, nothing logged")
  void heldMessagesAreReleasedWhenTheExecutorIsGone(CapturedOutput output) throws Exception {
    EventLoopGroup loop = new DefaultEventLoopGroup(1);
    EventExecutorGroup handlers = new DefaultEventExecutorGroup(1);
    try {
      NettyErrorBodies.RefusalBodies handler = new NettyErrorBodies.RefusalBodies();
      Channel channel = new LocalChannel();
      channel.pipeline().addLast(handlers, handler);
      loop.register(channel).sync();
      // the registration's future completes before the loop fires the handler's handlerAdded and
      // channelRegistered, which hop to the handler's executor: wait for the loop to have handed
      // them over, so that they run there before the executor is shut down below (else Netty
      // logs their refusal, RejectedExecutionException, which the assertion at the end reads)
      loop.submit(() -> { }).sync();
      ChannelHandlerContext ctx = channel.pipeline().context(handler);
      ByteBuf request = undecodedRequest();
      Sinks.Empty<Void> previousEnded = Sinks.empty();
      ctx.executor().submit(() -> handler.holdBack(ctx, request, previousEnded.asMono())).sync();
      handlers.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
      assertThat(channel.isOpen()).isTrue();
      assertThat(request.refCnt()).as("held back").isEqualTo(1);

      previousEnded.tryEmitEmpty();

      assertThat(request.refCnt()).as("released").isZero();
      assertThat(output.getAll()).doesNotContain("ERROR")
          .doesNotContain("RejectedExecutionException");
    } finally {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  @DisplayName("when the connection's event loop shuts down first, closing the connection drops"
      + " what is held back, and the previous exchange's end later is no error: nothing is"
      + " released twice, nothing is logged (Reactor logged the loop's refusal of the task as an"
      + " error dropped)")
  void theEndAfterTheEventLoopShutDownIsNoError(CapturedOutput output) throws Exception {
    EventLoopGroup loop = new DefaultEventLoopGroup(1);
    NettyErrorBodies.RefusalBodies handler = new NettyErrorBodies.RefusalBodies();
    Channel channel = new LocalChannel();
    channel.pipeline().addLast(handler);
    loop.register(channel).sync();
    ChannelHandlerContext ctx = channel.pipeline().context(handler);
    ByteBuf request = undecodedRequest();
    Sinks.Empty<Void> previousEnded = Sinks.empty();
    channel.eventLoop().submit(() -> handler.holdBack(ctx, request, previousEnded.asMono()))
        .sync();
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    assertThat(request.refCnt()).as("dropped as the connection closed").isZero();

    previousEnded.tryEmitEmpty();

    assertThat(output.getAll()).doesNotContain("ERROR")
        .doesNotContain("RejectedExecutionException");
  }
}

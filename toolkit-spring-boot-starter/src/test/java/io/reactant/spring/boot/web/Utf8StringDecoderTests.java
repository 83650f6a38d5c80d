package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The strict reader of text bodies, read whole and line by line. */
class Utf8StringDecoderTests {

  private static final ResolvableType STRING = ResolvableType.forClass(String.class);

  private final Utf8StringDecoder decoder = new Utf8StringDecoder();

  private static byte[] body(String before, byte[] middle, String after) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(before.getBytes(UTF_8));
    body.writeBytes(middle);
    body.writeBytes(after.getBytes(UTF_8));
    return body.toByteArray();
  }

  @Test
  @DisplayName("R23 a text read line by line (a Flux<String> body) answers the lines before one"
      + " that is not valid UTF-8, then fails with 400 saying so and where in that line (Spring's"
      + " splitting gives it no offset in the body), wherever the buffers split it; one in UTF-8"
      + " is read as sent; a whole text says where in the body")
  void linesNotUtf8FailAtTheirLineWhereverSplit() {
    byte[] invalid = body("caf\u00e9\nx", new byte[] {(byte) 0xE2, (byte) 0x82}, "\nlast");
    byte[] valid = body("caf\u00e9\nx", "\u20ac".getBytes(UTF_8), "\nlast");
    for (int at = 1; at < invalid.length; at++) {
      StepVerifier.create(decoder.decode(split(invalid, at), STRING, MediaType.TEXT_PLAIN, null))
          .expectNext("caf\u00e9")
          .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(NotUtf8InputException.class)
              .hasMessageContaining("A line of the body is not valid UTF-8 (at byte 1 of the"
                  + " line)"))
          .verify();
      StepVerifier.create(decoder.decodeToMono(split(invalid, at), STRING, MediaType.TEXT_PLAIN,
              null))
          .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(NotUtf8InputException.class)
              .hasMessageContaining("The body is not valid UTF-8 (at byte 7)"))
          .verify();
      StepVerifier.create(decoder.decode(split(valid, at), STRING, MediaType.TEXT_PLAIN, null))
          .expectNext("caf\u00e9", "x\u20ac", "last").verifyComplete();
    }
  }

  private static Flux<DataBuffer> split(byte[] body, int at) {
    return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(body, 0, at)),
        DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(body, at, body.length)));
  }

  @Test
  @DisplayName("a whole text that is not valid UTF-8 is released once when it is refused, as one"
      + " read is: the reference it was given, not another that its sender keeps")
  void aWholeTextNotUtf8IsReleasedOnce() {
    NettyDataBufferFactory netty = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
    for (boolean malformed : new boolean[] {true, false}) {
      byte[] bytes = body("a", malformed ? new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
          (byte) 0x80} : new byte[0], "b");
      NettyDataBuffer buffer = netty.wrap(Unpooled.wrappedBuffer(bytes));
      buffer.retain(); // the sender's
      StepVerifier.FirstStep<String> decoded = StepVerifier.create(
          decoder.decodeToMono(Flux.just(buffer), STRING, MediaType.TEXT_PLAIN, null));
      if (malformed) {
        decoded.expectError(NotUtf8InputException.class).verify();
      } else {
        decoded.expectNext("ab").verifyComplete();
      }
      assertThat(buffer.getNativeBuffer().refCnt()).as("malformed: %s", malformed).isOne();
      buffer.release();
    }
  }

  @Test
  @DisplayName("R23 a text read line by line that is not valid UTF-8 releases every buffer it was"
      + " given once (those of the lines it answered, the refused one and the lines after it),"
      + " wherever they split it: not a reference that their sender keeps")
  void linesNotUtf8ReleaseEveryBuffer() {
    NettyDataBufferFactory netty = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
    byte[] text = body("a\nb", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\nc\nd");
    for (int at = 1; at < text.length; at++) {
      NettyDataBuffer first = netty.wrap(Unpooled.wrappedBuffer(Arrays.copyOfRange(text, 0, at)));
      NettyDataBuffer second = netty.wrap(Unpooled.wrappedBuffer(
          Arrays.copyOfRange(text, at, text.length)));
      first.retain(); // the sender's
      second.retain();
      StepVerifier.create(decoder.decode(Flux.just(first, second), STRING, MediaType.TEXT_PLAIN,
              null))
          .expectNext("a").expectError(NotUtf8InputException.class).verify();
      assertThat(first.getNativeBuffer().refCnt()).as("split at %d", at).isOne();
      assertThat(second.getNativeBuffer().refCnt()).as("split at %d", at).isOne();
      first.release();
      second.release();
    }
  }

  @Test
  @DisplayName("only a String is read, of any media type, as Spring's StringDecoder.allMimeTypes()")
  void readsStringsOfAnyMediaType() {
    assertThat(decoder.canDecode(STRING, MediaType.APPLICATION_OCTET_STREAM)).isTrue();
    assertThat(decoder.canDecode(STRING, null)).isTrue();
    assertThat(decoder.canDecode(ResolvableType.forClass(CharSequence.class),
        MediaType.TEXT_PLAIN)).isFalse();
  }
}

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
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The strict reader of JSON bodies, on bodies read whole and as a stream of values. */
class Utf8JsonDecoderTests {

  private final Utf8JsonDecoder decoder = new Utf8JsonDecoder(JsonMapper.builder().build());

  record Order(String order) {
  }

  private static byte[] body(String before, byte[] middle, String after) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(before.getBytes(UTF_8));
    body.writeBytes(middle);
    body.writeBytes(after.getBytes(UTF_8));
    return body.toByteArray();
  }

  /** The body in two buffers, split at {@code at}. */
  private Flux<Object> decodeSplit(byte[] body, int at) {
    DataBuffer first =
        DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(body, 0, at));
    DataBuffer second =
        DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(body, at, body.length));
    return decoder.decode(Flux.just(first, second), ResolvableType.forClass(Order.class),
        MediaType.APPLICATION_JSON, null);
  }

  @Test
  @DisplayName("a body read as a stream of values (a Flux body) that is not valid UTF-8 fails as a"
      + " whole body does, wherever the buffers split it: the check was only on whole bodies, so"
      + " the overlong C0 AF was the order 'a/b'")
  void streamOfValuesNotUtf8FailsWhereverItIsSplit() {
    byte[][] invalid = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0,
        (byte) 0x80}, {(byte) 0xC3}};
    for (byte[] bytes : invalid) {
      byte[] body = body("[{\"order\": \"x\"}, {\"order\": \"a", bytes, "b\"}]");
      for (int at = 1; at < body.length; at++) {
        StepVerifier.create(decodeSplit(body, at))
            .thenConsumeWhile(new Order("x")::equals) // the value before, if its buffer was whole
            .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DecodingException.class)
                .hasStackTraceContaining("not valid UTF-8"))
            .verify();
      }
    }
  }

  @Test
  @DisplayName("a stream of values in valid UTF-8 is read as sent wherever the buffers split it,"
      + " inside a character of 2, 3 or 4 bytes or a byte order mark included")
  void streamOfValuesInUtf8IsReadWhereverItIsSplit() {
    byte[] body = body("\uFEFF[{\"order\": \"Caf\u00e9 \u2211 \uD83D\uDE00\"},",
        new byte[0], " {\"order\": \"\u00df\"}]");
    for (int at = 1; at < body.length; at++) {
      StepVerifier.create(decodeSplit(body, at))
          .expectNext(new Order("Caf\u00e9 \u2211 \uD83D\uDE00"), new Order("\u00df"))
          .verifyComplete();
    }
  }
  @Test
  @DisplayName("a whole body that is not valid UTF-8 is released when it is refused, as the parser"
      + " releases one it reads: a server's pooled buffer leaked on each such request")
  void aWholeBodyNotUtf8IsReleased() {
    NettyDataBufferFactory netty = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
    for (boolean malformed : new boolean[] {true, false}) {
      byte[] bytes = body("{\"order\": \"a", malformed ? new byte[] {(byte) 0xC0, (byte) 0xAF}
          : new byte[0], "b\"}");
      NettyDataBuffer buffer = netty.wrap(Unpooled.wrappedBuffer(bytes));
      StepVerifier.FirstStep<Object> decoded = StepVerifier.create(decoder.decodeToMono(
          Flux.just(buffer), ResolvableType.forClass(Order.class), MediaType.APPLICATION_JSON,
          null));
      if (malformed) {
        decoded.expectError(DecodingException.class).verify();
      } else {
        decoded.expectNext(new Order("ab")).verifyComplete();
      }
      assertThat(buffer.getNativeBuffer().refCnt()).as(new String(bytes, UTF_8)).isZero();
    }
  }
}

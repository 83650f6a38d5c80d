package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.json.JacksonJsonDecoder;
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

  /** A heap buffer that counts the copies made out of it (and the views made to copy). */
  private static final class CountingByteBuf extends UnpooledHeapByteBuf {
    int copies;

    CountingByteBuf(byte[] bytes) {
      super(UnpooledByteBufAllocator.DEFAULT, bytes, bytes.length);
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuffer dst) {
      copies++;
      return super.getBytes(index, dst);
    }

    @Override
    public ByteBuffer nioBuffer(int index, int length) { // what a DataBuffer copies through
      copies++;
      return super.nioBuffer(index, length);
    }

    @Override
    public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
      copies++;
      return super.getBytes(index, dst, dstIndex, length);
    }
  }

  /** How many times decoding the body copied bytes out of its buffer. */
  private static int copies(JacksonJsonDecoder reader, String text, boolean stream) {
    CountingByteBuf bytes = new CountingByteBuf((stream ? "[" + text + "]" : text)
        .getBytes(UTF_8));
    DataBuffer buffer = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT).wrap(bytes);
    ResolvableType type = ResolvableType.forClass(Order.class);
    StepVerifier.create(stream
            ? reader.decode(Flux.just(buffer), type, MediaType.APPLICATION_JSON, null)
            : reader.decodeToMono(Flux.just(buffer), type, MediaType.APPLICATION_JSON, null))
        .expectNextCount(1).verifyComplete();
    return bytes.copies;
  }

  @Test
  @DisplayName("a valid body, whole or a stream of values, ASCII or not, is checked in place: no"
      + " more copies than Spring's own reader makes (the check copied each whole body, and each"
      + " buffer of a stream that was not all ASCII)")
  void aValidBodyIsCheckedWithoutACopy() {
    JacksonJsonDecoder spring = new JacksonJsonDecoder(JsonMapper.builder().build());
    for (String text : new String[] {"{\"order\": \"ab\"}",
        "{\"order\": \"Caf\u00e9 \uD83D\uDE00\"}"}) {
      for (boolean stream : new boolean[] {false, true}) {
        assertThat(copies(decoder, text, stream)).as("%s as a stream: %s", text, stream)
            .isEqualTo(copies(spring, text, stream));
      }
    }
  }

  @Test
  @DisplayName("seeded random bytes, split anywhere, are refused exactly when the JDK's strict"
      + " UTF-8 decoder refuses them, at the byte it reports")
  void randomBytesAreRefusedAsTheJdkRefusesThem() {
    Random random = new Random(7);
    byte[] alphabet = {'a', 0x7F, (byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0,
        (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0, (byte) 0xE1,
        (byte) 0xEC, (byte) 0xED, (byte) 0xEE, (byte) 0xEF, (byte) 0xF0, (byte) 0xF1, (byte) 0xF3,
        (byte) 0xF4, (byte) 0xF5, (byte) 0xFF};
    for (int n = 0; n < 5_000; n++) {
      byte[] bytes = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int expected;
      try {
        UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        expected = -1;
      } catch (CharacterCodingException e) {
        expected = Utf8Input.firstByteNotUtf8(ByteBuffer.wrap(bytes));
      }
      int at = random.nextInt(bytes.length + 1);
      Utf8Checker checker = new Utf8Checker();
      boolean valid = checker.accept(DefaultDataBufferFactory.sharedInstance.wrap(
              Arrays.copyOfRange(bytes, 0, at)), 0)
          && checker.accept(DefaultDataBufferFactory.sharedInstance.wrap(
              Arrays.copyOfRange(bytes, at, bytes.length)), 0)
          && checker.complete();
      assertThat(valid ? -1 : (int) checker.malformedAt()).as(Arrays.toString(bytes))
          .isEqualTo(expected);
    }
  }
}

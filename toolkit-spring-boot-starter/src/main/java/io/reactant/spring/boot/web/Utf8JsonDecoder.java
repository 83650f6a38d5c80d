package io.reactant.spring.boot.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.util.MimeType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring's reader of JSON request bodies, which refuses a body in UTF-8 that is not valid UTF-8
 * (a {@link DecodingException}, which WebFlux answers with 400, as the actor endpoints do).
 * Jackson reads UTF-8 without checking it all: an overlong form ({@code C0 AF} for {@code /}) and
 * a sequence past U+10FFFF ({@code F4 90 80 80}, read as two lone surrogates) would reach the
 * controllers as characters the client never sent. A body in UTF-16 or UTF-32, which Jackson
 * detects by its first bytes, is read as before. The charset a {@code Content-Type} names changes
 * nothing: Spring's reader of a whole body hands Jackson the bytes as sent, which it reads as
 * UTF-8 unless they are UTF-16 or UTF-32. A body read as a stream of values ({@code Flux}) is
 * checked as it comes, wherever its buffers split it. A body it refuses is released, as the
 * parser releases one it reads. Installed for the application's own handlers by
 * {@code reactant.http.strict-input.enabled}; thread-safe, as Spring's is.
 */
public final class Utf8JsonDecoder extends JacksonJsonDecoder {

  /** Reads JSON with the mapper, as Spring's {@link JacksonJsonDecoder} does. */
  public Utf8JsonDecoder(JsonMapper mapper) {
    super(mapper);
  }

  @Override
  public @Nullable Object decode(DataBuffer buffer, ResolvableType targetType,
      @Nullable MimeType mimeType, @Nullable Map<String, Object> hints) throws DecodingException {
    // whatever charset the Content-Type names: the parser reads the bytes as UTF-8 all the same
    // (or as the UTF-16 or UTF-32 it detects by their first bytes)
    int length = buffer.readableByteCount();
    ByteBuffer bytes = ByteBuffer.allocate(length);
    buffer.toByteBuffer(buffer.readPosition(), bytes, 0, length);
    int malformed = Utf8Input.firstByteNotUtf8(bytes);
    if (malformed >= 0) {
      DataBufferUtils.release(buffer); // as the parser releases a body it reads
      throw notUtf8(malformed);
    }
    return super.decode(buffer, targetType, mimeType, hints);
  }

  /**
   * A body read as a stream of values (a {@code Flux} body), after Spring re-encoded one in another
   * charset it names to UTF-8: checked buffer by buffer, a character split between two included.
   */
  @Override
  protected Flux<DataBuffer> processInput(Publisher<DataBuffer> input, ResolvableType elementType,
      @Nullable MimeType mimeType, @Nullable Map<String, Object> hints) {
    Flux<DataBuffer> buffers = super.processInput(input, elementType, mimeType, hints);
    return Flux.defer(() -> {
      Utf8Stream stream = new Utf8Stream();
      return buffers.<DataBuffer>handle((buffer, sink) -> {
        if (stream.goesOn(buffer)) {
          sink.next(buffer);
        } else {
          DataBufferUtils.release(buffer);
          sink.error(notUtf8(stream.malformedAt));
        }
      }).concatWith(Mono.defer(() -> stream.pending.length == 0 ? Mono.empty()
          : Mono.error(notUtf8(stream.malformedAt)))); // it ends inside a character
    });
  }

  private static DecodingException notUtf8(long at) {
    return new DecodingException("JSON decoding error", new StreamReadException(
        "The body is not valid UTF-8 (at byte " + at + ")"));
  }

  /** Checks buffers as one UTF-8 text. */
  private static final class Utf8Stream {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer out = CharBuffer.allocate(1024);
    /** The bytes the last buffer ended with: the start of a character. */
    byte[] pending = new byte[0];
    /** The offset of the first byte of {@code pending} (or of a malformed one) in the body. */
    long malformedAt;

    /** Whether the buffer goes on as UTF-8 from the bytes pending. */
    boolean goesOn(DataBuffer buffer) {
      int length = buffer.readableByteCount();
      if (pending.length == 0) {
        int ascii = 0;
        while (ascii < length && buffer.getByte(buffer.readPosition() + ascii) >= 0) {
          ascii++;
        }
        if (ascii == length) {
          malformedAt += length;
          return true;
        }
      }
      ByteBuffer in = ByteBuffer.allocate(pending.length + length);
      in.put(pending);
      buffer.toByteBuffer(buffer.readPosition(), in, pending.length, length);
      in.clear();
      while (true) {
        CoderResult result = decoder.decode(in, out, false);
        out.clear();
        if (result.isError()) {
          malformedAt += in.position();
          return false;
        }
        if (result.isUnderflow()) {
          break;
        }
      }
      malformedAt += in.position();
      pending = new byte[in.remaining()];
      in.get(pending);
      return true;
    }
  }
}

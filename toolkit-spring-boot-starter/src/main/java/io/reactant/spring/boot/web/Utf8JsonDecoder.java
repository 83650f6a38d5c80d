package io.reactant.spring.boot.web;

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
    // (or as the UTF-16 or UTF-32 it detects by their first bytes); read in place, not copied
    int start = buffer.readPosition();
    int length = buffer.readableByteCount();
    int ascii = 0;
    while (ascii < length && buffer.getByte(start + ascii) >= 0) {
      ascii++;
    }
    if (ascii < length && !(length >= 2
        && Utf8Input.isUtf16OrUtf32(buffer.getByte(start), buffer.getByte(start + 1)))) {
      Utf8Checker checker = new Utf8Checker();
      if (!checker.accept(buffer, ascii) || !checker.complete()) {
        DataBufferUtils.release(buffer); // as the parser releases a body it reads
        throw notUtf8(checker.malformedAt());
      }
    }
    return super.decode(buffer, targetType, mimeType, hints);
  }

  /**
   * A body read as a stream of values (a {@code Flux} body), after Spring re-encoded one in another
   * charset it names to UTF-8: checked buffer by buffer, in place, a character split between two
   * included.
   */
  @Override
  protected Flux<DataBuffer> processInput(Publisher<DataBuffer> input, ResolvableType elementType,
      @Nullable MimeType mimeType, @Nullable Map<String, Object> hints) {
    Flux<DataBuffer> buffers = super.processInput(input, elementType, mimeType, hints);
    return Flux.defer(() -> {
      Utf8Checker checker = new Utf8Checker();
      return buffers.<DataBuffer>handle((buffer, sink) -> {
        if (checker.accept(buffer, 0)) {
          sink.next(buffer);
        } else {
          DataBufferUtils.release(buffer);
          sink.error(notUtf8(checker.malformedAt()));
        }
      }).concatWith(Mono.defer(() -> checker.complete() ? Mono.empty()
          : Mono.error(notUtf8(checker.malformedAt())))); // it ends inside a character
    });
  }

  private static DecodingException notUtf8(long at) {
    return new DecodingException("JSON decoding error", new StreamReadException(
        "The body is not valid UTF-8 (at byte " + at + ")"));
  }
}

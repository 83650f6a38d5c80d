package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.AbstractCharSequenceDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import reactor.core.publisher.Mono;

/**
 * Spring's reader of text bodies ({@code @RequestBody String}, {@code bodyToMono(String.class)},
 * of any media type, read whole or line by line as a {@code Flux<String>}), which refuses a body
 * in UTF-8 (the {@code Content-Type}'s charset, or none) that is not valid UTF-8 with a
 * {@link NotUtf8InputException} (a 400): Spring's {@code StringDecoder} reads such bytes as U+FFFD.
 * A body in a charset the {@code Content-Type} names is decoded in it, and refused likewise when
 * a byte is no character there (windows-1252 0x81), which Spring reads as U+FFFD. The refusal of
 * a body read whole names the malformed byte's offset in it; of one read line by line, its offset
 * in its line (Spring's splitting, which strips the delimiters, is final: no offset in the body
 * reaches this reader). Each text in UTF-8 is checked in place (nothing is copied) before it is
 * decoded;
 * one it refuses is released once, as one it reads, by Spring's decoding around it. As {@code
 * StringDecoder.allMimeTypes()} otherwise. Installed for the application's own handlers, ahead of
 * Spring's, by {@code reactant.http.strict-input.enabled}; thread-safe.
 */
public final class Utf8StringDecoder extends AbstractCharSequenceDecoder<String> {

  /** Reads any media type, line by line at Spring's default delimiters, as Spring's does. */
  public Utf8StringDecoder() {
    super(DEFAULT_DELIMITERS, true, MimeTypeUtils.ALL);
  }

  @Override
  public boolean canDecode(ResolvableType elementType, @Nullable MimeType mimeType) {
    return elementType.resolve() == String.class && super.canDecode(elementType, mimeType);
  }

  /** The text read whole: a refusal says where in the body (each line's says where in it). */
  @Override
  public Mono<String> decodeToMono(Publisher<DataBuffer> input, ResolvableType elementType,
      @Nullable MimeType mimeType, @Nullable Map<String, Object> hints) {
    return super.decodeToMono(input, elementType, mimeType, hints)
        .onErrorMap(NotUtf8InputException.class, NotUtf8InputException::ofBody);
  }

  @Override
  protected String decodeInternal(DataBuffer buffer, Charset charset) {
    if (!charset.equals(UTF_8)) {
      return decodeStrictly(buffer, charset);
    }
    long malformed = Utf8Checker.firstByteNotUtf8(buffer);
    if (malformed >= 0) {
      throw NotUtf8InputException.line(malformed, UTF_8); // the caller releases the text
    }
    return buffer.toString(charset);
  }

  /**
   * The text in a charset other than UTF-8, refused at its first byte that is no character in it
   * (windows-1252 has none for 0x81, US-ASCII for any byte over 0x7F), which Spring's decoding
   * reads as U+FFFD. The bytes are copied to be decoded.
   */
  private static String decodeStrictly(DataBuffer buffer, Charset charset) {
    int length = buffer.readableByteCount();
    ByteBuffer bytes = ByteBuffer.allocate(length);
    buffer.toByteBuffer(buffer.readPosition(), bytes, 0, length);
    try {
      return charset.newDecoder().decode(bytes).toString(); // reports, does not replace
    } catch (CharacterCodingException notInCharset) {
      throw NotUtf8InputException.line(bytes.position(), charset); // where the decoder stopped
    }
  }
}

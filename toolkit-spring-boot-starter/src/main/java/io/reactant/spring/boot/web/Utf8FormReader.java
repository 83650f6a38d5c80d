package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.codec.FormHttpMessageReader;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Spring's reader of form bodies ({@code application/x-www-form-urlencoded}: {@code
 * ServerWebExchange.getFormData()}, so {@code @ModelAttribute}, and {@code formData()} of a
 * functional route), which refuses a form in UTF-8 (the {@code Content-Type}'s charset, or none)
 * whose bytes, as sent or once percent-decoded, are not UTF-8, with a {@link
 * NotUtf8InputException} (a 400): Spring's reader decodes both to U+FFFD ({@code name=caf%FF} is
 * the name {@code caf\uFFFD}). A percent-encoded character may not be cut short by a character as
 * itself ({@code %C3&x=%A9}, {@code %C3+%A9}), as in a path. A form in another charset that its
 * {@code Content-Type} names is read in it, and refused likewise when a byte, as sent or once
 * percent-decoded, is no character there (windows-1252 0x81, which Spring's reader reads as
 * U+FFFD). A {@code %} not followed by two hexadecimal digits, on which Spring's reader throws
 * (a 500), is refused too, in any charset. The whole body is checked in place; one whose bytes
 * are all ASCII and whose percent-encoded bytes are too costs that pass alone, else its text is
 * decoded once more to be checked as Spring's reader reads it (a form in another charset is
 * copied and decoded once more). A body it refuses is released.
 * Installed for the application's own handlers, ahead of Spring's, by
 * {@code reactant.http.strict-input.enabled}; thread-safe.
 */
public final class Utf8FormReader extends FormHttpMessageReader {

  @Override
  public Mono<MultiValueMap<String, String>> readMono(ResolvableType elementType,
      ReactiveHttpInputMessage message, Map<String, Object> hints) {
    MediaType type = message.getHeaders().getContentType();
    Charset charset = type != null && type.getCharset() != null ? type.getCharset()
        : getDefaultCharset();
    boolean utf8 = charset.equals(UTF_8);
    return DataBufferUtils.join(message.getBody(), getMaxInMemorySize()).flatMap(body -> {
      if (utf8 ? !isUtf8Form(body) : !isFormIn(body, charset)) {
        DataBufferUtils.release(body);
        return Mono.error(utf8 ? NotUtf8InputException.form()
            : NotUtf8InputException.form(charset));
      }
      return parse(elementType, new Checked(message.getHeaders(), body), hints);
    });
  }

  /**
   * Spring's reading, whose decoding of a {@code %} that is no escape ({@code %zz}, {@code %A} at
   * the end, {@code %-1}) throws: a 400, not the 500 it was.
   */
  private Mono<MultiValueMap<String, String>> parse(ResolvableType elementType,
      ReactiveHttpInputMessage message, Map<String, Object> hints) {
    return super.readMono(elementType, message, hints).onErrorMap(IllegalArgumentException.class,
        e -> NotUtf8InputException.malformedEscape());
  }

  /**
   * Whether the form's bytes are UTF-8 as sent and once percent-decoded. Its bytes are read as
   * Spring's reader reads them: as UTF-8 text, whose {@code %} and two hexadecimal digits
   * (digits of other scripts included) stand for a byte.
   */
  private static boolean isUtf8Form(DataBuffer body) {
    int start = body.readPosition();
    int end = start + body.readableByteCount();
    boolean ascii = true;
    boolean encodedAscii = true;
    for (int i = start; i < end; i++) {
      byte b = body.getByte(i);
      if (b < 0) {
        ascii = false;
        break;
      }
      if (b == '%' && i + 1 < end && Character.digit(body.getByte(i + 1), 16) >= 8) {
        encodedAscii = false; // %80 to %FF: a byte outside ASCII
      }
    }
    if (ascii && encodedAscii) {
      return true;
    }
    return (ascii || Utf8Checker.firstByteNotUtf8(body) < 0)
        && Utf8Input.isUtf8OncePercentDecoded(body.toString(UTF_8));
  }

  /**
   * Whether a form in {@code charset}, not UTF-8, is text in it as sent and once percent-decoded:
   * Spring's reader decodes it in that charset, then each run of escapes ({@code %E9%80}) as the
   * bytes of a text in it, a byte that is no character there (windows-1252 0x81) read as U+FFFD.
   * The bytes are copied to be decoded.
   */
  private static boolean isFormIn(DataBuffer body, Charset charset) {
    int length = body.readableByteCount();
    ByteBuffer bytes = ByteBuffer.allocate(length);
    body.toByteBuffer(body.readPosition(), bytes, 0, length);
    CharsetDecoder decoder = charset.newDecoder(); // reports, does not replace; each decode resets
    String text;
    try {
      text = decoder.decode(bytes).toString();
    } catch (CharacterCodingException notInCharset) {
      return false;
    }
    byte[] run = new byte[text.length() / 3];
    int escaped = 0;
    for (int i = 0; i <= text.length(); i++) {
      int high = i + 2 < text.length() && text.charAt(i) == '%'
          ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (low >= 0) {
        run[escaped++] = (byte) (high << 4 | low);
        i += 2;
      } else if (escaped > 0) {
        try {
          decoder.decode(ByteBuffer.wrap(run, 0, escaped));
        } catch (CharacterCodingException notInCharset) {
          return false;
        }
        escaped = 0;
      }
    }
    return true;
  }

  /** The message with the body already read, for Spring's reader to parse. */
  private static final class Checked implements ReactiveHttpInputMessage {

    private final HttpHeaders headers;
    private final DataBuffer body;

    Checked(HttpHeaders headers, DataBuffer body) {
      this.headers = headers;
      this.body = body;
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }

    @Override
    public Flux<DataBuffer> getBody() {
      return Flux.just(body);
    }
  }
}

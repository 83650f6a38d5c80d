package io.reactant.spring.boot.web;

import java.nio.charset.Charset;
import org.springframework.web.server.ServerWebInputException;

/**
 * Input that the client sent as UTF-8, or in the charset its {@code Content-Type} names, and is
 * not, refused by strict input's readers of text and form bodies and its check of multipart
 * parts: a 400 whose reason says what was wrong. Not a {@code DecodingException}, which a
 * controller's argument reader would word as "Failed to read HTTP message": an application's
 * handler of {@link ServerWebInputException} sees the reason as it is, and
 * {@link NotUtf8InputExceptionHandler} answers it where none does.
 */
final class NotUtf8InputException extends ServerWebInputException {

  /** The offset of the malformed byte in the text read (a body or a line of one), or -1. */
  private final long at;
  /** The charset the text read was sent in (UTF-8 unless its Content-Type named another). */
  private final String charset;

  NotUtf8InputException(String reason) {
    this(reason, -1, "UTF-8");
  }

  private NotUtf8InputException(String reason, long at, String charset) {
    super(reason);
    this.at = at;
    this.charset = charset;
  }

  /**
   * A text read line by line: Spring's splitting (final) hands the reader each line without its
   * delimiter, so the offset is the byte's in its line, not in the body.
   */
  static NotUtf8InputException line(long at, Charset charset) {
    return new NotUtf8InputException("A line of the body is not valid " + charset.name()
        + " (at byte " + at + " of the line)", at, charset.name());
  }

  /** The same refusal of a text read whole, at the same offset: one in the body. */
  NotUtf8InputException ofBody() {
    return at < 0 ? this : new NotUtf8InputException("The body is not valid " + charset
        + " (at byte " + at + ")", at, charset);
  }

  static NotUtf8InputException malformedEscape() {
    return new NotUtf8InputException("The form holds a '%' that is not followed by two"
        + " hexadecimal digits: percent-encode a '%' itself as %25");
  }

  static NotUtf8InputException part() {
    return new NotUtf8InputException("A part's name or text is not valid UTF-8, or not valid in"
        + " the charset its Content-Type names (or holds U+FFFD, which stands for such bytes once"
        + " read): send the bytes of each character in the part's charset, UTF-8 unless it names"
        + " another");
  }

  /**
   * A part whose headers Spring's reader could not read (its {@code Content-Disposition}, a
   * {@code filename*} with a '%' that is no escape or in a charset other than UTF-8 and
   * ISO-8859-1, or its {@code Content-Type}), on which it threw an {@link IllegalArgumentException}
   * (a 500 otherwise); its message, which names no input, is left out.
   */
  static NotUtf8InputException partHeaders() {
    return new NotUtf8InputException("A part's headers do not parse: its Content-Disposition (a"
        + " filename* must be UTF-8'' or ISO-8859-1'' and percent-encoded bytes), or its"
        + " Content-Type");
  }

  static NotUtf8InputException fileName() {
    return new NotUtf8InputException("A part's file name is not text: its bytes are not valid"
        + " UTF-8 (or it holds U+FFFD, which stands for such bytes once read), or it holds a"
        + " control character; send the UTF-8 bytes of each character (in filename*=UTF-8'',"
        + " percent-encoded), and no control character");
  }

  static NotUtf8InputException form() {
    return new NotUtf8InputException("The form is not UTF-8 once percent-decoded: percent-encode"
        + " the UTF-8 bytes of each character (\u00e9 is %C3%A9)");
  }

  /** A form in {@code charset}, not UTF-8, with bytes that charset has no character for. */
  static NotUtf8InputException form(Charset charset) {
    return new NotUtf8InputException("The form is not " + charset.name() + ", as sent or once"
        + " percent-decoded: it holds bytes that charset has no character for; send the bytes of"
        + " each character in it, or the form in UTF-8");
  }
}

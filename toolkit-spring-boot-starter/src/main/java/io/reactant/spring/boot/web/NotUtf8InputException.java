package io.reactant.spring.boot.web;

import org.springframework.web.server.ServerWebInputException;

/**
 * Input that the client sent as UTF-8 and is not, refused by strict input's readers of text and
 * form bodies and its check of multipart parts: a 400 whose reason says what was wrong. Not a
 * {@code DecodingException}, which a controller's argument reader would word as "Failed to read
 * HTTP message": an application's
 * handler of {@link ServerWebInputException} sees the reason as it is, and
 * {@link NotUtf8InputExceptionHandler} answers it where none does.
 */
final class NotUtf8InputException extends ServerWebInputException {

  /** The offset of the malformed byte in the text read (a body or a line of one), or -1. */
  private final long at;

  NotUtf8InputException(String reason) {
    this(reason, -1);
  }

  private NotUtf8InputException(String reason, long at) {
    super(reason);
    this.at = at;
  }

  static NotUtf8InputException body(long at) {
    return new NotUtf8InputException("The body is not valid UTF-8 (at byte " + at + ")", at);
  }

  /**
   * A text read line by line: Spring's splitting (final) hands the reader each line without its
   * delimiter, so the offset is the byte's in its line, not in the body.
   */
  static NotUtf8InputException line(long at) {
    return new NotUtf8InputException("A line of the body is not valid UTF-8 (at byte " + at
        + " of the line)", at);
  }

  /** The same refusal of a text read whole, at the same offset: one in the body. */
  NotUtf8InputException ofBody() {
    return at < 0 ? this : body(at);
  }

  static NotUtf8InputException malformedEscape() {
    return new NotUtf8InputException("The form holds a '%' that is not followed by two"
        + " hexadecimal digits: percent-encode a '%' itself as %25");
  }

  static NotUtf8InputException part() {
    return new NotUtf8InputException("A part's name or text is not valid UTF-8 (or holds U+FFFD,"
        + " which stands for such bytes once read): send the UTF-8 bytes of each character, or"
        + " name the part's charset in its Content-Type");
  }

  static NotUtf8InputException form() {
    return new NotUtf8InputException("The form is not UTF-8 once percent-decoded: percent-encode"
        + " the UTF-8 bytes of each character (\u00e9 is %C3%A9)");
  }
}

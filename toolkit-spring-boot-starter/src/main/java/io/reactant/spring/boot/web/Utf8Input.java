package io.reactant.spring.boot.web;

import java.nio.ByteBuffer;

/**
 * Checks that what a client sent as UTF-8 is UTF-8. Jackson reads a UTF-8 body without checking
 * it all (an overlong form, {@code C0 AF} for {@code /}, and a sequence past U+10FFFF, {@code F4
 * 90 80 80}, read as two lone surrogates), and Spring decodes a malformed percent-encoded sequence
 * in a path, a query or a form to U+FFFD: either way the application would see characters the
 * client never sent. The generic actor endpoints refuse such input with 400, and so do an
 * application's own controllers with {@code reactant.http.strict-input.enabled} ({@link
 * Utf8JsonDecoder}, {@link PercentEncodedPathFilter}, {@link Utf8FormReader}), which use these
 * checks. Stateless and thread-safe.
 */
public final class Utf8Input {

  private Utf8Input() {
  }

  /**
   * The offset (from its position) of the first byte of {@code body} that is no part of a UTF-8
   * character, or -1 if there is none, or if the body is in an encoding of JSON that the parser
   * detects by its first bytes (UTF-16 or UTF-32: a byte order mark, or a zero among the first
   * two bytes). A body that ends inside a character is malformed there. Reads the bytes from the
   * buffer's position to its limit and leaves the buffer as it was. An all-ASCII body costs one
   * pass over its bytes.
   */
  public static int firstByteNotUtf8(ByteBuffer body) {
    int start = body.position();
    int length = body.remaining();
    int ascii = 0;
    while (ascii < length && body.get(start + ascii) >= 0) {
      ascii++;
    }
    if (ascii == length) {
      return -1;
    }
    if (length >= 2 && isUtf16OrUtf32(body.get(start), body.get(start + 1))) {
      return -1; // the parser decodes these itself
    }
    Utf8Checker checker = new Utf8Checker();
    return checker.accept(body, ascii) && checker.complete() ? -1 : (int) checker.malformedAt();
  }

  /**
   * Whether a JSON text whose first two bytes are these is in UTF-16 or UTF-32, as the parser
   * detects it: a byte order mark, or a zero among them.
   */
  static boolean isUtf16OrUtf32(byte b0, byte b1) {
    return b0 == 0 || b1 == 0 || b0 == (byte) 0xFE && b1 == (byte) 0xFF
        || b0 == (byte) 0xFF && b1 == (byte) 0xFE;
  }

  /**
   * Whether {@code raw}, a path, a segment of one, a query or a form as the client sent it (not
   * decoded), is UTF-8 once percent-decoded: its percent-encoded bytes with its other characters
   * (as their UTF-8 bytes). A {@code %} not followed by two hexadecimal digits stands for itself;
   * the digits are read as Spring's decoding reads them ({@link Character#digit}, which takes
   * other scripts' digits too). A lone surrogate is no UTF-8.
   */
  public static boolean isUtf8OncePercentDecoded(String raw) {
    Utf8Checker decoded = new Utf8Checker();
    for (int i = 0; i < raw.length(); ) {
      char c = raw.charAt(i);
      int high = c == '%' && i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (low >= 0) {
        if (!decoded.accept((byte) (high << 4 | low))) {
          return false;
        }
        i += 3;
      } else {
        // a character as itself is UTF-8, unless a lone surrogate (codePointAt answers it as
        // is), but it cuts short a character the percent-encoded bytes before it began
        int codePoint = raw.codePointAt(i);
        if (!decoded.complete() || codePoint == c && Character.isSurrogate(c)) {
          return false;
        }
        i += Character.charCount(codePoint);
      }
    }
    return decoded.complete();
  }
}

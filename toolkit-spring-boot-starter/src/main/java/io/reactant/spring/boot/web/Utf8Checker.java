package io.reactant.spring.boot.web;

import java.nio.ByteBuffer;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * Checks bytes as one UTF-8 text, read in place from the buffers that hold them (nothing is
 * copied) and across buffers (a character may be split between two): the well-formed sequences of
 * the Unicode standard's table 3-7, so no overlong form, surrogate or code point past U+10FFFF.
 * One instance checks one text; not thread-safe.
 */
final class Utf8Checker {

  /** Continuation bytes the character being read still needs. */
  private int needed;
  /** The bounds of the next continuation byte (the second byte of E0, ED, F0, F4 is narrower). */
  private int lower = 0x80;
  private int upper = 0xBF;
  /** Bytes read so far. */
  private long offset;
  /** The offset of the first byte of the character being read, or of the malformed one. */
  private long start;

  /**
   * The offset (from its read position) of the first byte of {@code text}, one whole UTF-8 text,
   * that is no part of a UTF-8 character (or of the character it ends inside), or -1 if there is
   * none; the buffer is left as it was. An all-ASCII text costs one pass over its bytes.
   */
  static long firstByteNotUtf8(DataBuffer text) {
    int start = text.readPosition();
    int length = text.readableByteCount();
    int ascii = 0;
    while (ascii < length && text.getByte(start + ascii) >= 0) {
      ascii++;
    }
    if (ascii == length) {
      return -1;
    }
    Utf8Checker checker = new Utf8Checker();
    return checker.accept(text, ascii) && checker.complete() ? -1 : checker.malformedAt();
  }

  /**
   * Reads the readable bytes of the buffer from {@code from} (relative to its read position; the
   * bytes before it are taken to be ASCII), leaving the buffer as it was. Returns false at the
   * first byte that breaks UTF-8, after which {@link #malformedAt} says where its character
   * starts.
   */
  boolean accept(DataBuffer buffer, int from) {
    int position = buffer.readPosition();
    int end = position + buffer.readableByteCount();
    offset += from;
    for (int i = position + from; i < end; i++) {
      if (!accept(buffer.getByte(i))) {
        return false;
      }
    }
    return true;
  }

  /** As {@link #accept(DataBuffer, int)}, for the bytes from its position to its limit. */
  boolean accept(ByteBuffer bytes, int from) {
    int end = bytes.limit();
    offset += from;
    for (int i = bytes.position() + from; i < end; i++) {
      if (!accept(bytes.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Reads one more byte: false if it breaks UTF-8 (then {@link #malformedAt} says where). */
  boolean accept(byte next) {
    int b = next & 0xFF;
    if (needed == 0) {
      if (b >= 0x80) {
        start = offset;
        if (b >= 0xC2 && b <= 0xDF) {
          needed = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
          needed = 2;
          lower = b == 0xE0 ? 0xA0 : 0x80;
          upper = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
          needed = 3;
          lower = b == 0xF0 ? 0x90 : 0x80;
          upper = b == 0xF4 ? 0x8F : 0xBF;
        } else {
          return false; // a continuation byte, C0, C1, or F5 and above
        }
      }
    } else {
      if (b < lower || b > upper) {
        return false;
      }
      lower = 0x80;
      upper = 0xBF;
      needed--;
    }
    offset++;
    return true;
  }

  /** Whether the bytes read end where a character ends (else they end inside one). */
  boolean complete() {
    return needed == 0;
  }

  /** The offset of the first byte of the malformed character, or of the one the text ends in. */
  long malformedAt() {
    return start;
  }
}

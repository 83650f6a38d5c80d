package io.reactant.sample.web;

import org.jspecify.annotations.Nullable;

/**
 * What a name that a client chooses may be (a counter's name, an account's owner). Stateless.
 *
 * <p>A name is 1 to a maximum of characters (code points, so a character outside the BMP counts
 * once) of letters, marks, numbers, punctuation, symbols (emoji included) and the space U+0020,
 * with no space at either end: no control character (C0, DEL, C1), no invisible format character
 * (a zero-width space, a bidi override), no other space or separator (a tab, a line break,
 * U+00A0, U+2028), no private-use, unassigned or lone surrogate code point. The classes are the
 * JDK's Unicode (Unicode 13 on JDK 17: a character assigned later is unassigned there). Names are
 * compared as sent, not normalized: {@code café} in one and in two code points are two names.
 */
public final class Names {

  /** What a name may hold, as the refusals say it. */
  public static final String ALLOWED = "letters, marks, numbers, punctuation, symbols and spaces"
      + " (no space at either end)";

  private Names() {
  }

  /**
   * What makes the text no name (the message a client gets, naming the field), or null when it
   * is one of at most {@code maxLength} characters.
   */
  public static @Nullable String problem(String value, String field, int maxLength) {
    if (value.isBlank()) {
      return "'" + field + "' is required and must not be blank";
    }
    int length = 0;
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      length++;
      if (length > maxLength) {
        return "'" + field + "' must be at most " + maxLength + " characters";
      }
      String kind = forbidden(c);
      if (kind != null) {
        return "'" + field + "' may hold only " + ALLOWED + ": character " + length + " is "
            + String.format("U+%04X", c) + ", " + kind;
      }
      i += Character.charCount(c);
    }
    if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
      return "'" + field + "' may hold only " + ALLOWED + ": it "
          + (value.charAt(0) == ' ' ? "begins" : "ends") + " with a space";
    }
    return null;
  }

  /**
   * The first character that no name may hold (a control or invisible character, a separator
   * other than the space, ...), said as {@code "U+0009, a control character (character 5)"}, or
   * null when there is none: for free text, such as a pizza order, that takes any other
   * character, spaces at its ends included.
   */
  public static @Nullable String forbiddenCharacter(String value) {
    int position = 0;
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      position++;
      String kind = forbidden(c);
      if (kind != null) {
        return String.format("U+%04X", c) + ", " + kind + " (character " + position + ")";
      }
      i += Character.charCount(c);
    }
    return null;
  }

  /** Returns the name, or answers 400 with {@link #problem}'s message. */
  public static String require(@Nullable String value, String field, int maxLength) {
    String problem = value == null ? "'" + field + "' is required and must not be blank"
        : problem(value, field, maxLength);
    if (problem != null) {
      throw Requests.badRequest(problem);
    }
    return value;
  }

  /** What kind of character a name may not hold this one is, or null when it may. */
  private static @Nullable String forbidden(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL -> "a control character";
      case Character.FORMAT -> "an invisible format character";
      case Character.SPACE_SEPARATOR -> c == ' ' ? null : "a space other than U+0020";
      case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line or paragraph separator";
      case Character.PRIVATE_USE -> "a private-use character";
      case Character.SURROGATE -> "a lone surrogate";
      case Character.UNASSIGNED -> "not an assigned character";
      default -> null; // letters, marks, numbers, punctuation, symbols
    };
  }
}

package io.reactant.sample.counter;

import io.reactant.actor.ActorId;
import org.jspecify.annotations.Nullable;

/**
 * What a counter's name may be, and the actor id a name gives. Stateless.
 *
 * <p>A name is 1 to {@value #MAX_LENGTH} characters (code points, so a character outside the BMP
 * counts once) of letters, marks, digits, punctuation, symbols (emoji included) and the space
 * U+0020, with no space at either end: no control character (C0, DEL, C1), no invisible format
 * character (a zero-width space, a bidi override), no other space or separator (a tab, a line
 * break, U+00A0, U+2028), no private-use, unassigned or lone surrogate code point. Names are
 * compared as sent: {@code café} in one and in two code points are two counters.
 *
 * <p>A counter's actor id is {@value #ID_PREFIX} followed by its name. Actor ids are one space
 * across types (rules R1, R23), so a name taken as an id could address another type's actor (the
 * singleton {@code pizzaParlor}) or take an id another type needs ({@code account-7}); no other
 * type of the sample has an id with this prefix.
 */
final class CounterNames {

  /** The beginning of every counter's actor id. */
  static final String ID_PREFIX = "counter-";
  /** The longest name, in characters (code points). */
  static final int MAX_LENGTH = 64;
  /** What a name may hold, as the refusals say it. */
  static final String ALLOWED = "letters, marks, digits, punctuation, symbols and spaces (no space"
      + " at either end)";

  private CounterNames() {
  }

  /**
   * What makes this actor id no counter's, or null when it is {@value #ID_PREFIX} followed by a
   * counter name.
   */
  static @Nullable String problemOfId(String id) {
    if (!id.startsWith(ID_PREFIX)) {
      return "'" + id + "' is no counter: a counter's id is '" + ID_PREFIX + "' followed by its name";
    }
    return problem(id.substring(ID_PREFIX.length()));
  }

  /** What makes the text no counter name (the message a client gets), or null when it is one. */
  static @Nullable String problem(String name) {
    if (name.isBlank()) {
      return "'name' is required and must not be blank";
    }
    int length = 0;
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      length++;
      if (length > MAX_LENGTH) {
        return "'name' must be at most " + MAX_LENGTH + " characters";
      }
      String kind = forbidden(c);
      if (kind != null) {
        return "'name' may hold only " + ALLOWED + ": character " + length + " is "
            + String.format("U+%04X", c) + ", " + kind;
      }
      i += Character.charCount(c);
    }
    if (name.charAt(0) == ' ' || name.charAt(name.length() - 1) == ' ') {
      return "'name' may hold only " + ALLOWED + ": it "
          + (name.charAt(0) == ' ' ? "begins" : "ends") + " with a space";
    }
    return null;
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

package io.reactant.sample.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link Names} against a reference written from the rule's text (its class comment): seeded
 * random names, each code point drawn from the whole range or from a few that matter.
 */
class NamesTests {

  private static final int MAX = 64;

  /** The general categories the rule's text names: letters, marks, numbers, punctuation, symbols. */
  private static final Set<Integer> ALLOWED = Set.of(
      (int) Character.UPPERCASE_LETTER, (int) Character.LOWERCASE_LETTER,
      (int) Character.TITLECASE_LETTER, (int) Character.MODIFIER_LETTER,
      (int) Character.OTHER_LETTER,
      (int) Character.NON_SPACING_MARK, (int) Character.ENCLOSING_MARK,
      (int) Character.COMBINING_SPACING_MARK,
      (int) Character.DECIMAL_DIGIT_NUMBER, (int) Character.LETTER_NUMBER,
      (int) Character.OTHER_NUMBER,
      (int) Character.CONNECTOR_PUNCTUATION, (int) Character.DASH_PUNCTUATION,
      (int) Character.START_PUNCTUATION, (int) Character.END_PUNCTUATION,
      (int) Character.INITIAL_QUOTE_PUNCTUATION, (int) Character.FINAL_QUOTE_PUNCTUATION,
      (int) Character.OTHER_PUNCTUATION,
      (int) Character.MATH_SYMBOL, (int) Character.CURRENCY_SYMBOL,
      (int) Character.MODIFIER_SYMBOL, (int) Character.OTHER_SYMBOL);

  /** Whether the rule's text makes {@code value} a name: written from the text, not the code. */
  private static boolean isNameByTheText(String value) {
    int[] points = value.codePoints().toArray();
    if (points.length < 1 || points.length > MAX) {
      return false;
    }
    if (points[0] == ' ' || points[points.length - 1] == ' ') {
      return false;
    }
    for (int c : points) {
      if (c != ' ' && !ALLOWED.contains(Character.getType(c))) {
        return false;
      }
    }
    return true;
  }

  /** Code points that matter: spaces and separators, controls, format, ends of ranges. */
  private static final int[] EDGES = {' ', '\t', '\n', 0x7F, 0x85, 0x9F, 0xA0, 0xAD, 0x200B,
      0x200D, 0x202E, 0x2028, 0x2029, 0x3000, 0xFEFF, 0xE000, 0xF8FF, 0xD800, 0xDFFF, 0x10FFFF,
      0xBD, 0x2167, 0xB2, 0x1F600, 0x0301, 'a', '7', '-'};

  private static String randomName(Random random) {
    int length = random.nextInt(MAX + 4);
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int pick = random.nextInt(10);
      int c = pick < 3 ? random.nextInt(Character.MAX_CODE_POINT + 1)
          : pick < 5 ? random.nextInt(0x3000)
          : pick < 7 ? EDGES[random.nextInt(EDGES.length)]
          : 'a' + random.nextInt(26);
      name.appendCodePoint(c);
    }
    return name.toString();
  }

  @Test
  @DisplayName("a name is refused exactly when the rule's text refuses it: 20,000 seeded random"
      + " names, each code point from the whole range, the BMP's start, or the edges of the rule")
  void refusesWhatTheTextRefusesAndAcceptsWhatItAccepts() {
    Random random = new Random(20261207);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      String name = randomName(random);
      boolean expected = isNameByTheText(name);
      assertThat(Names.problem(name, "name", MAX) == null)
          .as("%s (%s)", name.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList(),
              Names.problem(name, "name", MAX))
          .isEqualTo(expected);
      accepted += expected ? 1 : 0;
    }
    assertThat(accepted).as("names the text accepts among the random ones").isGreaterThan(200);
  }

  @Test
  @DisplayName("numbers other than digits are names, as the rule says: ½ (No), Ⅷ (Nl), ² (No)")
  void numbersOtherThanDigitsAreNames() {
    assertThat(Names.problem("\u00BD \u2167 x\u00B2", "name", MAX)).isNull();
  }
}

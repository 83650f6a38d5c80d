package io.reactant.sample.counter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CounterNamesTests {

  @Test
  @DisplayName("the characters that the sample's firewall refuses before the controller (a line"
      + " break, U+2028, U+2029) and a lone surrogate are no name either: the rule holds without"
      + " the firewall, as on the generic endpoint's ids")
  void lineBreaksAndLoneSurrogatesAreNoName() {
    assertThat(CounterNames.problem("a\nb")).endsWith("character 2 is U+000A, a control character");
    assertThat(CounterNames.problem("a\rb")).endsWith("character 2 is U+000D, a control character");
    assertThat(CounterNames.problem("a\u2028")).endsWith("U+2028, a line or paragraph separator");
    assertThat(CounterNames.problem("\u2029a")).endsWith("U+2029, a line or paragraph separator");
    assertThat(CounterNames.problem("a\uD800")).endsWith("U+D800, a lone surrogate");
    assertThat(CounterNames.problemOfId("counter-a\u0000")).endsWith("U+0000, a control character");
  }

  @Test
  @DisplayName("letters of any script, marks, numbers, punctuation, symbols, emoji and inner spaces"
      + " make names, up to 64 characters (code points)")
  void namesOfAnyScriptAreNames() {
    for (String name : new String[] {"visits", "café", "cafe\u0301", "Zähler 1", "счётчик",
        "訪問数", "a-b_c.d~e!", "✓", "\uD83D\uDE00".repeat(64), "x".repeat(64), "$€ + 1"}) {
      assertThat(CounterNames.problem(name)).as(name).isNull();
    }
    assertThat(CounterNames.problem("x".repeat(65))).isEqualTo("'name' must be at most 64 characters");
    assertThat(CounterNames.problemOfId("counter-visits")).isNull();
    assertThat(CounterNames.problemOfId("visits")).isEqualTo("'visits' is no counter: a counter's"
        + " id is 'counter-' followed by its name");
  }
}

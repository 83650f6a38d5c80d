package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Actor ids are values: equal when their strings are, however they were made. */
class ActorIdTest {

  private static final String[] PREFIXES = {"counter-", "a-", "x", "zähler-", "计数器-", "ünïcödé_"};

  @Test
  @DisplayName("an id made of a prefix and a number equals, and hashes as, the id of its string")
  void prefixAndNumberEqualTheirString() {
    Random random = new Random(20261203L);
    long[] edges = {0, 1, 9, 10, 99, 100, 999_999_999L, 1_000_000_000L, Long.MAX_VALUE};
    for (int n = 0; n < 20_000; n++) {
      String prefix = PREFIXES[random.nextInt(PREFIXES.length)];
      long number = n < edges.length ? edges[n]
          : random.nextBoolean() ? random.nextInt(10_000) : random.nextLong() & Long.MAX_VALUE;
      ActorId made = ActorId.of(prefix, number);
      ActorId parsed = ActorId.of(prefix + number);
      assertThat(made.hashCode()).as("%s%d", prefix, number).isEqualTo((prefix + number).hashCode());
      assertThat(made).isEqualTo(parsed);
      assertThat(parsed).isEqualTo(made);
      assertThat(made.value()).isEqualTo(prefix + number);
      assertThat(made).hasToString(prefix + number);
    }
  }

  @Test
  @DisplayName("ids whose strings differ are not equal; ids split differently but spelled alike are")
  void equalityFollowsTheString() {
    assertThat(ActorId.of("a-", 12)).isNotEqualTo(ActorId.of("a-", 13))
        .isNotEqualTo(ActorId.of("b-", 12))
        .isNotEqualTo(ActorId.of("a-12 "))
        .isNotEqualTo("a-12")
        .isEqualTo(ActorId.of("a-1", 2))
        .isEqualTo(ActorId.of("a-12"));
    assertThat(ActorId.of("a-1", 2)).hasSameHashCodeAs(ActorId.of("a-", 12));
    Random random = new Random(7L);
    for (int n = 0; n < 20_000; n++) {
      long a = random.nextInt(100_000);
      long b = random.nextInt(100_000);
      assertThat(ActorId.of("counter-", a).equals(ActorId.of("counter-", b))).isEqualTo(a == b);
      assertThat(ActorId.of("counter-", a).equals(ActorId.of("counter-" + b))).isEqualTo(a == b);
    }
  }

  @Test
  @DisplayName("a blank id, a blank prefix and a negative number are refused with the reason")
  void badIdsAreRefused() {
    assertThatThrownBy(() -> ActorId.of(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("An actor id must not be blank");
    assertThatThrownBy(() -> ActorId.of("", 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The prefix of an actor id must not be blank");
    assertThatThrownBy(() -> ActorId.of("a-", -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The number of an actor id must not be negative: -1");
    assertThatThrownBy(() -> ActorId.of(null)).isInstanceOf(NullPointerException.class);
  }
}

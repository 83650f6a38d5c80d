package io.reactant.sample;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ActorBudgetTests {

  @Test
  @DisplayName("the counters, the accounts and the singletons that the bounds allow must fit in"
      + " reactant.max-actors (0: no bound), or the startup fails saying which bounds to change")
  void theBoundsFitBelowMaxActors() {
    assertThatCode(() -> ActorBudget.check(50_000, 49_000, 2, 100_000)).doesNotThrowAnyException();
    assertThatCode(() -> ActorBudget.check(50, 48, 2, 100)).doesNotThrowAnyException();
    assertThatCode(() -> ActorBudget.check(Integer.MAX_VALUE, Integer.MAX_VALUE, 2, 0))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> ActorBudget.check(50, 49, 2, 100))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("sample.counters.max (50) and sample.accounts.max (49) with 2 singletons allow"
            + " 101 actors, more than reactant.max-actors (100): lower a bound, or raise"
            + " reactant.max-actors");
    assertThatThrownBy(() -> ActorBudget.check(Integer.MAX_VALUE, Integer.MAX_VALUE, 2,
        Integer.MAX_VALUE)).isInstanceOf(IllegalStateException.class);
  }
}

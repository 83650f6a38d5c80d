package io.reactant.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class ActorBudgetTests {

  @Test
  @DisplayName("bounds that do not fit fail the sample's startup with Spring Boot's report naming the"
      + " property, its value and what to change, not with a stack trace")
  void boundsThatDoNotFitFailTheStartupWithAReport(CapturedOutput output) {
    assertThatThrownBy(() -> new SpringApplicationBuilder(SampleServiceApplication.class)
        .web(WebApplicationType.NONE).run("--sample.counters.max=60000").close())
        .isNotNull();
    String all = output.getOut() + output.getErr();
    assertThat(all).contains("APPLICATION FAILED TO START");
    String report = all.substring(all.indexOf("APPLICATION FAILED TO START"));
    assertThat(report).contains("sample.counters.max").contains("60000")
        .contains("more than reactant.max-actors (100000)");
    assertThat(all).doesNotContain("Application run failed").doesNotContain("\tat ");
  }

  @Test
  @DisplayName("the counters, the accounts and the singletons that the bounds allow must fit in"
      + " reactant.max-actors (0: no bound), or the startup fails saying which bounds to change")
  void theBoundsFitBelowMaxActors() {
    assertThatCode(() -> ActorBudget.check(50_000, 49_000, 2, 100_000)).doesNotThrowAnyException();
    assertThatCode(() -> ActorBudget.check(50, 48, 2, 100)).doesNotThrowAnyException();
    assertThatCode(() -> ActorBudget.check(Integer.MAX_VALUE, Integer.MAX_VALUE, 2, 0))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> ActorBudget.check(50, 49, 2, 100))
        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
        .hasMessage("Property sample.counters.max with value '50' is invalid: sample.counters.max"
            + " (50) and sample.accounts.max (49) with 2 singletons allow 101 actors, more than"
            + " reactant.max-actors (100): lower a bound, or raise reactant.max-actors");
    assertThatThrownBy(() -> ActorBudget.check(Integer.MAX_VALUE, Integer.MAX_VALUE, 2,
        Integer.MAX_VALUE)).isInstanceOf(InvalidConfigurationPropertyValueException.class);
  }
}

package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ContextPropagation;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.web.ActorIngressHandler;
import io.reactant.spring.boot.web.ApiErrorWebExceptionHandler;
import io.reactant.spring.boot.web.NettyErrorBodies;
import io.reactant.spring.boot.web.Utf8JsonDecoder;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;

/**
 * The boolean {@code reactant.*} properties turn their feature on and off as Spring Boot's binder
 * reads them into {@link ReactantProperties}: every spelling it takes for true ({@code true},
 * {@code on}, {@code yes}, {@code 1}, in any case) turns the feature on, every one for false
 * turns it off, and any other value fails the startup naming the property, never a feature that
 * is off while the bound properties say on.
 */
class ReactantFlagPropertiesTests {

  private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantContextPropagationAutoConfiguration.class, ReactantWebFluxAutoConfiguration.class,
          ReactantStrictInputAutoConfiguration.class, JacksonAutoConfiguration.class,
          CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
          HttpHandlerAutoConfiguration.class))
      .withUserConfiguration(CounterActor.class);

  private static final List<String> TRUE = List.of("TRUE", "on", "Yes", "1");
  private static final List<String> FALSE = List.of("off", "NO", "0");

  /** A boolean property, the beans that must be present for the feature to be on. */
  private record Flag(String name, Predicate<AssertableReactiveWebApplicationContext> on,
      List<String> others) {
  }

  private static final List<Flag> FLAGS = List.of(
      new Flag("reactant.http.enabled",
          c -> c.getBeanNamesForType(ActorIngressHandler.class).length == 1, List.of()),
      new Flag("reactant.http.error-bodies.enabled",
          c -> c.getBeanNamesForType(ApiErrorWebExceptionHandler.class).length == 1, List.of()),
      new Flag("reactant.http.error-bodies.server-refusals",
          c -> c.getBeanNamesForType(NettyErrorBodies.class).length == 1,
          List.of("reactant.http.error-bodies.enabled=true")),
      new Flag("reactant.http.strict-input.enabled",
          c -> c.getBeanNamesForType(Utf8JsonDecoder.class).length == 1, List.of()),
      new Flag("reactant.context-propagation.enabled",
          c -> c.getBeanNamesForType(ContextPropagation.class).length == 1, List.of()));

  @Test
  @DisplayName("each boolean reactant.* property turns its feature on with every spelling of true"
      + " that the properties bind (on, yes, 1) and off with every spelling of false (off, no, 0)")
  void everySpellingTheBinderTakesDecidesTheFeature() {
    for (Flag flag : FLAGS) {
      for (String value : TRUE) {
        assertFeature(flag, value, true);
      }
      for (String value : FALSE) {
        assertFeature(flag, value, false);
      }
    }
  }

  private void assertFeature(Flag flag, String value, boolean expected) {
    runner.withPropertyValues(flag.others().toArray(String[]::new))
        .withPropertyValues(flag.name() + "=" + value).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(flag.on().test(context)).as("%s=%s turns the feature %s", flag.name(), value,
              expected ? "on" : "off").isEqualTo(expected);
        });
  }

  @Test
  @DisplayName("a flag written in a relaxed form that the properties bind (camel case, as YAML"
      + " keys often are) turns its feature on too")
  void relaxedNamesDecideTheFeature() {
    runner.withPropertyValues("reactant.http.errorBodies.enabled=true").run(context -> {
      assertThat(context.getBean(ReactantProperties.class).getHttp().getErrorBodies().isEnabled())
          .isTrue();
      assertThat(context).hasSingleBean(ApiErrorWebExceptionHandler.class);
    });
    runner.withPropertyValues("reactant.http.strictInput.enabled=true").run(context ->
        assertThat(context).hasSingleBean(Utf8JsonDecoder.class));
    runner.withPropertyValues("reactant.contextPropagation.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(ContextPropagation.class));
  }

  @Test
  @DisplayName("a boolean reactant.* property with a value that is no boolean (maybe) fails the"
      + " startup naming the property and the value")
  void aValueThatIsNoBooleanFailsTheStartup() {
    for (Flag flag : FLAGS) {
      runner.withPropertyValues(flag.others().toArray(String[]::new))
          .withPropertyValues(flag.name() + "=maybe").run(context -> {
            assertThat(context).as(flag.name()).hasFailed();
            assertThat(context.getStartupFailure()).as(flag.name())
                .hasStackTraceContaining(flag.name()).hasStackTraceContaining("maybe");
          });
    }
  }
}

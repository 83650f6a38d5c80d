package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The startup checks of the {@code reactant.*} properties ({@link ReactantPropertiesCheck}) at
 * the edges of what Spring Boot's binding takes: they refuse what would be silently wrong, with
 * the property's name, and refuse nothing the binding of {@link ReactantProperties} takes as
 * meant.
 */
class ReactantPropertiesCheckEdgeTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class));

  @Test
  @DisplayName("a duration written as a number without a unit too large for a long fails the"
      + " startup naming the property, as a smaller one does (not a bare NumberFormatException)")
  void aHugeUnitlessDurationFailsNamingTheProperty() {
    runner.withPropertyValues("reactant.default-call-timeout=99999999999999999999").run(context ->
        assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageContaining("Property reactant.default-call-timeout with value"
                + " '99999999999999999999' is invalid: a duration needs a unit"));
  }

  @Test
  @DisplayName("a zero written with several digits or a sign (00, -0) is zero in every unit and"
      + " taken; a negative number without a unit is refused for its missing unit")
  void zerosAreTaken() {
    for (String zero : new String[] {"00", "-0", "+000"}) {
      runner.withPropertyValues("reactant.long-turn-warning=" + zero).run(context ->
          assertThat(context.getBean(ActorSystem.class).config().longTurnWarning()).as(zero)
              .isZero());
    }
    runner.withPropertyValues("reactant.long-turn-warning=-1").run(context ->
        assertThat(context).getFailure().hasStackTraceContaining(
            "Property reactant.long-turn-warning with value '-1' is invalid"));
  }

  @Test
  @DisplayName("a setting given an empty value (default-call-timeout: in YAML) keeps its default,"
      + " as Spring Boot binds it: it names a setting, so it is no unknown key")
  void aSettingWithAnEmptyValueKeepsItsDefault() {
    runner.withPropertyValues("reactant.default-call-timeout=", "reactant.parallelism=",
        "reactant.long-turn-warning=").run(context -> {
          assertThat(context).hasNotFailed();
          ActorSystemConfig config = context.getBean(ActorSystem.class).config();
          assertThat(config.defaultCallTimeout()).isEmpty();
          assertThat(config.parallelism()).isEqualTo(ActorSystemConfig.defaults().parallelism());
          assertThat(config.longTurnWarning()).isEqualTo(Duration.ofSeconds(2));
        });
    // an unknown key is still refused, empty or not
    runner.withPropertyValues("reactant.paralelism=").run(context ->
        assertThat(context).getFailure().hasStackTraceContaining("reactant.paralelism"));
  }

  @Test
  @DisplayName("a flag or the id length given an empty value keeps its default as the other settings"
      + " do, rather than fail with 'A null value cannot be assigned to a primitive type'; an empty"
      + " name or base path fails naming it")
  void aFlagOrTheIdLengthWithAnEmptyValueKeepsItsDefault() {
    runner.withPropertyValues("reactant.http.enabled=", "reactant.http.max-id-length=",
        "reactant.http.strict-input.enabled=", "reactant.http.error-bodies.enabled=",
        "reactant.http.error-bodies.server-refusals=", "reactant.context-propagation.enabled=")
        .run(context -> {
          assertThat(context).hasNotFailed();
          ReactantProperties properties = context.getBean(ReactantProperties.class);
          assertThat(properties.getHttp().isEnabled()).isTrue();
          assertThat(properties.getHttp().getMaxIdLength()).isEqualTo(256);
          assertThat(properties.getHttp().getStrictInput().isEnabled()).isFalse();
          assertThat(properties.getHttp().getErrorBodies().isEnabled()).isFalse();
          assertThat(properties.getHttp().getErrorBodies().isServerRefusals()).isTrue();
          assertThat(properties.getContextPropagation().isEnabled()).isTrue();
        });
    // but the texts, which the empty text would set, are refused naming them
    runner.withPropertyValues("reactant.name=").run(context ->
        assertThat(context).getFailure().hasStackTraceContaining("reactant.name must not be blank"));
    runner.withPropertyValues("reactant.http.base-path=").run(context ->
        assertThat(context).getFailure().hasStackTraceContaining(
            "reactant.http.base-path must start with '/'"));
  }

  @Test
  @DisplayName("a value given to a group of settings (reactant.http.strict-input=true, the flag"
      + " being its .enabled), or an empty one (a YAML key whose settings are all commented out),"
      + " fails naming the property, its value and the setting meant, not with 'No converter"
      + " found' or 'No setter found' for a class of the starter")
  void aValueGivenToAGroupFailsNamingTheSettingMeant() {
    for (String group : new String[] {"reactant.http", "reactant.http.strict-input",
        "reactant.http.error-bodies", "reactant.context-propagation"}) {
      runner.withPropertyValues(group + "=true").run(context ->
          assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
              .as(group).isInstanceOf(InvalidConfigurationPropertyValueException.class)
              .hasMessage("Property " + group + " with value 'true' is invalid: " + group
                  + " is a group of settings, not one: did you mean " + group
                  + ".enabled=true?"));
    }
    // an empty value, as a YAML key whose settings are all commented out gives it, failed with
    // "No setter found for property: http"
    runner.withPropertyValues("reactant.http=").run(context ->
        assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessage("Property reactant.http with value '' is invalid: reactant.http is a group"
                + " of settings, not one: give it a setting (reactant.http.enabled...), or remove"
                + " it (in YAML, a key whose settings are all commented out)"));
    runner.withPropertyValues("reactant.http.strict-input.enabled=true")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  @DisplayName("a property named reactant itself (an environment variable REACTANT, a"
      + " reactant=... line) is ignored, as Spring Boot's binding of the properties ignores it")
  void aPropertyNamedReactantItselfIsIgnored() {
    runner.withInitializer(c -> c.getEnvironment().getPropertySources().addLast(
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            Map.of("REACTANT", "/opt/reactant"))))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ActorSystem.class));
    runner.withPropertyValues("reactant=on").run(context ->
        assertThat(context).hasNotFailed().hasSingleBean(ActorSystem.class));
  }
}

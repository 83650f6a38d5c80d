package io.reactant.spring.boot.autoconfigure;

import java.util.List;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Refuses a value given to a group of {@code reactant.*} settings rather than to one of them:
 * {@code reactant.http.strict-input=true}, where the flag is {@code
 * reactant.http.strict-input.enabled}. Spring Boot's binding would fail on it with "No converter
 * found" for a class of the starter, naming neither the property nor its value; this names both,
 * and the setting meant. So is an empty one, which a YAML key whose settings are all commented out
 * gives ({@code http:} alone): Spring Boot's binding would fail on it with "No setter found for
 * property: http" (and bind it, with a setter, to a group of defaults that drops the group's
 * settings given in other sources).
 */
final class GroupValues {

  /** The groups under {@code reactant}, each with a flag {@code enabled}. */
  static final List<String> GROUPS = List.of("reactant.http", "reactant.http.strict-input",
      "reactant.http.error-bodies", "reactant.context-propagation");

  private GroupValues() {
  }

  /**
   * Checks the groups as the binder reads them (relaxed names, environment variables).
   *
   * @throws InvalidConfigurationPropertyValueException naming the first group given a value,
   *     which Spring Boot's failure analysis reports with its origin
   */
  static void check(Environment environment) {
    Binder binder = Binder.get(environment);
    for (String group : GROUPS) {
      String value = binder.bind(group, String.class).map(String::trim).orElse(null);
      if (value != null) {
        throw new InvalidConfigurationPropertyValueException(group, value, group
            + " is a group of settings, not one: " + (value.isEmpty()
                ? "give it a setting (" + group + ".enabled...), or remove it (in YAML, a key"
                    + " whose settings are all commented out)"
                : "did you mean " + group + ".enabled=" + value + "?"));
      }
    }
  }
}

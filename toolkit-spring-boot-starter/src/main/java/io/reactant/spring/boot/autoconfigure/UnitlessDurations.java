package io.reactant.spring.boot.autoconfigure;

import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Refuses a {@code reactant.*} duration written as a number without a unit: Spring Boot reads
 * {@code reactant.shutdown-grace-period=30} as 30 milliseconds, which is never what a grace
 * period, a call timeout or a long turn's threshold of 30 meant. {@code 0} is taken (zero in every
 * unit), and so is any number with a unit ({@code 30s}, {@code 250ms}) or in ISO-8601
 * ({@code PT30S}).
 */
final class UnitlessDurations {

  static final List<String> PROPERTIES = List.of("reactant.default-call-timeout",
      "reactant.shutdown-grace-period", "reactant.long-turn-warning");

  private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+");
  private static final Pattern ZERO = Pattern.compile("[-+]?0+");

  private UnitlessDurations() {
  }

  /**
   * Checks the duration properties as the binder reads them (relaxed names, environment variables).
   *
   * @throws InvalidConfigurationPropertyValueException naming the first one given as a non-zero
   *     number without a unit, which Spring Boot's failure analysis reports with its origin
   */
  static void check(Environment environment) {
    Binder binder = Binder.get(environment);
    for (String name : PROPERTIES) {
      String value = binder.bind(name, String.class).map(String::trim).orElse(null);
      if (value != null && NUMBER.matcher(value).matches()
          && !ZERO.matcher(value).matches()) {
        // any number of digits: one too large for a long names the property too
        throw new InvalidConfigurationPropertyValueException(name, value, "a duration needs a"
            + " unit (" + value + "s, " + value + "ms, " + value + "m...); without one Spring Boot"
            + " reads milliseconds");
      }
    }
  }
}

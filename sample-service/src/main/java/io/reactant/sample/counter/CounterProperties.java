package io.reactant.sample.counter;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The counters' settings ({@code sample.counters.*}).
 *
 * @param max the most counters that clients may create (default 50,000): counters are virtual and
 *     never removed, so any client could otherwise create them up to {@code reactant.max-actors},
 *     after which nothing else (an account) could be created; with {@code sample.accounts.max}
 *     and the singletons it must fit below that bound (checked at startup)
 */
@ConfigurationProperties("sample.counters")
public record CounterProperties(@DefaultValue("50000") int max) {

  public CounterProperties {
    if (max < 0) {
      throw new IllegalArgumentException("sample.counters.max cannot be negative, was " + max);
    }
  }
}

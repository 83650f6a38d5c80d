package io.reactant.sample.bank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bank's settings ({@code sample.accounts.*}).
 *
 * @param max the most accounts that clients may open (default 49,000): anyone may open one, and
 *     accounts are never removed, so openings could otherwise fill {@code reactant.max-actors},
 *     after which no counter nor account could be created
 */
@ConfigurationProperties("sample.accounts")
public record AccountProperties(@DefaultValue("49000") int max) {

  public AccountProperties {
    if (max < 0) {
      throw new IllegalArgumentException("sample.accounts.max cannot be negative, was " + max);
    }
  }
}

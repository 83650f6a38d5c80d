package io.reactant.sample;

import io.reactant.sample.bank.AccountProperties;
import io.reactant.sample.counter.CounterProperties;
import io.reactant.spring.boot.ActorDeclaration;
import io.reactant.spring.boot.ActorDirectory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

/**
 * Checks at startup that the bounds on what clients create fit below {@code reactant.max-actors}:
 * the counters ({@code sample.counters.max}), the accounts ({@code sample.accounts.max}) and the
 * singletons together. Then no client reaches {@code max-actors}, and neither counters nor
 * accounts can take the room of the other. A startup whose bounds do not fit fails with Spring
 * Boot's report of an invalid property, saying what to change.
 */
@Component
class ActorBudget {

  ActorBudget(CounterProperties counters, AccountProperties accounts, ActorDirectory actors) {
    check(counters.max(), accounts.max(),
        actors.declarations().stream().filter(ActorDeclaration::isSingleton).count(),
        actors.system().config().maxActors());
  }

  /**
   * @param maxActors {@code reactant.max-actors}, 0 for no bound
   * @throws InvalidConfigurationPropertyValueException naming {@code sample.counters.max}, if the
   *     actors the bounds allow are more than {@code maxActors}: Spring Boot's failure analysis
   *     reports it with the property's origin, without a stack trace
   */
  static void check(int counters, int accounts, long singletons, int maxActors) {
    long needed = (long) counters + accounts + singletons;
    if (maxActors > 0 && needed > maxActors) {
      throw new InvalidConfigurationPropertyValueException("sample.counters.max", counters,
          "sample.counters.max (" + counters + ") and sample.accounts.max (" + accounts + ") with "
          + singletons + " singletons allow " + needed + " actors, more than reactant.max-actors ("
          + maxActors + "): lower a bound, or raise reactant.max-actors");
    }
  }
}

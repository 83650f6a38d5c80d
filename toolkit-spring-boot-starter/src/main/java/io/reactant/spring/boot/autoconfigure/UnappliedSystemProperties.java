package io.reactant.spring.boot.autoconfigure;

import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Warns at startup of an {@link ActorSystem} bean of the application's that does not have the
 * value of a system property the application set ({@code reactant.parallelism},
 * {@code reactant.mailbox-capacity}, ...: all but {@code reactant.http.*} and
 * {@code reactant.context-propagation.*}): those properties configure only the auto-configured
 * system, so the user who set one would otherwise believe it applies. It names each such property
 * with its value, once, and fails nothing: a shared configuration file may set properties a test's
 * own system does not take. A property left unset or given an empty value is not named (its
 * default is no one's intent), nor one whose value the system has (a system built from {@link
 * ReactantProperties} has them); the auto-configured system, whose {@code ActorSystemCustomizer}
 * beans may override the properties on purpose, is never warned of.
 */
final class UnappliedSystemProperties implements SmartInitializingSingleton {

  private static final Log LOG = LogFactory.getLog(UnappliedSystemProperties.class);

  private final ConfigurableListableBeanFactory beanFactory;

  private final Environment environment;

  UnappliedSystemProperties(ConfigurableListableBeanFactory beanFactory, Environment environment) {
    this.beanFactory = beanFactory;
    this.environment = environment;
  }

  @Override
  public void afterSingletonsInstantiated() {
    String[] systems = beanFactory.getBeanNamesForType(ActorSystem.class, false, false);
    ReactantProperties properties = beanFactory.getBeanProvider(ReactantProperties.class)
        .getIfUnique();
    if (properties == null) {
      return;
    }
    for (String name : systems) {
      if (autoConfigured(name)) {
        continue;
      }
      List<String> unapplied = unapplied(properties,
          beanFactory.getBean(name, ActorSystem.class).config());
      if (!unapplied.isEmpty()) {
        LOG.warn("The ActorSystem bean '" + name + "' is the application's own: the reactant.*"
            + " properties " + unapplied + " do not configure it (they configure only the"
            + " auto-configured system). Give their values to its ActorSystemConfig.Builder (a"
            + " ReactantProperties parameter of its @Bean method has them), or remove them, or let"
            + " the starter build the system and customize it with an ActorSystemCustomizer bean");
      }
    }
  }

  /** Whether bean {@code name} is the system {@link ReactantAutoConfiguration} made. */
  private boolean autoConfigured(String name) {
    try {
      return ReactantAutoConfiguration.class.getName()
          .equals(beanFactory.getMergedBeanDefinition(name).getFactoryBeanName());
    } catch (NoSuchBeanDefinitionException registeredSingleton) {
      return false; // an instance registered as it is: the application's
    }
  }

  /** The system properties set whose value {@code config} does not have, as name=text. */
  private List<String> unapplied(ReactantProperties p, ActorSystemConfig config) {
    List<String> unapplied = new ArrayList<>();
    check(unapplied, "reactant.name", p.getName(), config.name());
    check(unapplied, "reactant.parallelism", p.getParallelism(), config.parallelism());
    check(unapplied, "reactant.turns-per-scheduling", p.getTurnsPerScheduling(),
        config.turnsPerScheduling());
    check(unapplied, "reactant.mailbox-capacity", p.getMailboxCapacity(),
        config.mailboxCapacity());
    check(unapplied, "reactant.max-actors", p.getMaxActors(), config.maxActors());
    check(unapplied, "reactant.default-call-timeout",
        Optional.ofNullable(p.getDefaultCallTimeout()), config.defaultCallTimeout());
    check(unapplied, "reactant.shutdown-grace-period", p.getShutdownGracePeriod(),
        config.shutdownGracePeriod());
    check(unapplied, "reactant.long-turn-warning", p.getLongTurnWarning(),
        config.longTurnWarning());
    return unapplied;
  }

  private void check(List<String> unapplied, String property, Object value, Object systems) {
    if (Objects.equals(value, systems)) {
      return;
    }
    // the text the application wrote (in any of Spring Boot's relaxed forms); none: not set, and
    // an empty value is bound as none too (the default kept), no more an intent than an unset one
    Binder.get(environment).bind(property, Bindable.of(String.class))
        .map(String::trim).ifBound(written -> {
          if (!written.isEmpty()) {
            unapplied.add(property + "=" + written);
          }
        });
  }
}

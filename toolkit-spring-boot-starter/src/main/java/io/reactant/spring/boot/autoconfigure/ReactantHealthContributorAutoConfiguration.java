package io.reactant.spring.boot.autoconfigure;

import io.reactant.actor.ActorSystem;
import io.reactant.spring.boot.actuate.ReactantHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the actor system's health indicator ({@link ReactantHealthIndicator},
 * {@code reactant} in {@code /actuator/health}), when Spring Boot's health support is present.
 * {@code management.health.reactant.enabled=false} turns it off; a bean named
 * {@code reactantHealthIndicator} (or {@code reactantHealthContributor}), or a
 * {@code ReactantHealthIndicator} bean, replaces it. It joins no health group of its own accord:
 * the readiness group already turns {@code OUT_OF_SERVICE} when the application shuts down, before
 * the actor system does.
 */
@AutoConfiguration(after = ReactantAutoConfiguration.class, beforeName =
    "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.Health")
@ConditionalOnBean(ActorSystem.class)
@ConditionalOnEnabledHealthIndicator("reactant")
public final class ReactantHealthContributorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(value = ReactantHealthIndicator.class,
      name = { "reactantHealthIndicator", "reactantHealthContributor" })
  ReactantHealthIndicator reactantHealthIndicator(ActorSystem actorSystem) {
    return new ReactantHealthIndicator(actorSystem);
  }
}

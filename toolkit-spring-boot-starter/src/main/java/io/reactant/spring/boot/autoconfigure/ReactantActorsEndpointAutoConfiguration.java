package io.reactant.spring.boot.autoconfigure;

import io.reactant.actor.ActorSystem;
import io.reactant.spring.boot.ActorBeanRegistrar;
import io.reactant.spring.boot.actuate.ActorsEndpoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the Actuator endpoint {@code actors} ({@link ActorsEndpoint}), when
 * Actuator is present and the endpoint is available (exposed with
 * {@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = ReactantAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnAvailableEndpoint(ActorsEndpoint.class)
@ConditionalOnBean(ActorSystem.class)
public final class ReactantActorsEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ActorsEndpoint actorsEndpoint(ActorSystem actorSystem,
      ObjectProvider<ActorBeanRegistrar> registrar) {
    ActorBeanRegistrar declared = registrar.getIfAvailable();
    return declared == null ? new ActorsEndpoint(actorSystem)
        : new ActorsEndpoint(actorSystem, declared::typeName);
  }
}

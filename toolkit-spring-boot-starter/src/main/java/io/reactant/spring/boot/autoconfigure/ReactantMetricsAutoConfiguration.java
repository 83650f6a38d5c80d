package io.reactant.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.reactant.actor.ActorSystem;
import io.reactant.spring.boot.ActorBeanRegistrar;
import io.reactant.spring.boot.actuate.ActorSystemMetrics;
import io.reactant.spring.boot.actuate.MicrometerTurnListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the actor system's Micrometer metrics: turns, commits, traps and turn
 * duration ({@code reactant.turns}, registered at startup for every declared type), rejects by
 * code ({@code reactant.rejects}), live actors and mailbox depth ({@code reactant.actors},
 * {@code reactant.mailbox.depth}).
 */
@AutoConfiguration(after = ReactantAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ActorSystem.class })
public final class ReactantMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  MicrometerTurnListener reactantTurnMetrics(MeterRegistry registry,
      ObjectProvider<ActorBeanRegistrar> registrar) {
    ActorBeanRegistrar declared = registrar.getIfAvailable();
    if (declared == null) {
      return new MicrometerTurnListener(registry);
    }
    MicrometerTurnListener metrics = new MicrometerTurnListener(registry, declared::typeName);
    declared.declarations().forEach(d -> metrics.registerType(d.type())); // there from the start
    return metrics;
  }

  @Bean
  @ConditionalOnMissingBean
  ActorSystemMetrics reactantActorSystemMetrics(ActorSystem actorSystem) {
    return new ActorSystemMetrics(actorSystem);
  }
}

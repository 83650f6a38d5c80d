package io.reactant.spring.boot.autoconfigure;

import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.ContextPropagation;
import io.reactant.actor.TurnListener;
import io.reactant.spring.boot.ActorBeanRegistrar;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.ActorSystemCustomizer;
import io.reactant.spring.boot.ActorSystemLifecycle;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the actor system: one {@link ActorSystem} configured by the
 * {@code reactant.*} properties and the {@link ActorSystemCustomizer} beans, told of every turn by
 * the {@link TurnListener} beans (and by a listener a customizer sets, after them, unless it is one
 * of the beans, which is told once), and stopped in order on shutdown; and the
 * {@link ActorDirectory} of the actors declared with {@link io.reactant.spring.boot.ActorBean}.
 * A {@link ContextPropagation} bean (one the starter makes over Micrometer's context-propagation
 * library, or the application's own) carries callers' traces and MDC into the turns.
 *
 * <p>An {@code ActorSystem} bean of the application's replaces the auto-configured one, and gets
 * neither the properties that configure a system, nor the customizers, nor the listeners (as
 * Spring Boot's customizers apply to its auto-configured beans only): its builder decides. One
 * that tells no listener while there are {@code TurnListener} beans is warned of at startup, and
 * so is one that lacks the value of a system property the application set.
 */
@AutoConfiguration
@ConditionalOnClass(ActorSystem.class)
@EnableConfigurationProperties(ReactantProperties.class)
public final class ReactantAutoConfiguration {

  /** Fails the startup on a misspelt {@code reactant.*} property or a duration without a unit. */
  @Bean
  static ReactantPropertiesCheck reactantPropertiesCheck() {
    return new ReactantPropertiesCheck();
  }

  @Bean
  static ActorBeanRegistrar reactantActorBeanRegistrar() {
    return new ActorBeanRegistrar();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  ActorSystem actorSystem(ReactantProperties properties, ObjectProvider<TurnListener> listeners,
      ObjectProvider<ActorSystemCustomizer> customizers,
      ObjectProvider<ContextPropagation> contextPropagation) {
    ActorSystemConfig.Builder builder = ActorSystemConfig.builder().name(properties.getName());
    // two without a primary one fail the startup (NoUniqueBeanDefinitionException) instead of
    // leaving the system with none
    ContextPropagation propagation = contextPropagation.getIfAvailable();
    if (propagation != null) {
      builder.contextPropagation(propagation);
    }
    if (properties.getParallelism() != null) {
      builder.parallelism(properties.getParallelism());
    }
    if (properties.getTurnsPerScheduling() != null) {
      builder.turnsPerScheduling(properties.getTurnsPerScheduling());
    }
    if (properties.getMailboxCapacity() != null) {
      builder.mailboxCapacity(properties.getMailboxCapacity());
    }
    if (properties.getMaxActors() != null) {
      builder.maxActors(properties.getMaxActors());
    }
    builder.defaultCallTimeout(properties.getDefaultCallTimeout());
    builder.shutdownGracePeriod(properties.getShutdownGracePeriod());
    builder.longTurnWarning(properties.getLongTurnWarning());
    List<TurnListener> all = listeners.orderedStream().toList();
    TurnListener beans = all.isEmpty() ? null
        : all.size() == 1 ? all.get(0) : new CompositeTurnListener(all);
    if (beans != null) {
      builder.listener(beans);
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    ActorSystemConfig config = builder.build();
    TurnListener set = config.listener();
    if (beans != null && set != beans) {
      // a customizer set a listener: it is told besides the beans (the metrics), not instead; one
      // of the beans is told once, as a bean
      boolean aBean = all.stream().anyMatch(bean -> bean == set);
      config = config.toBuilder()
          .listener(aBean ? beans : new CompositeTurnListener(List.of(beans, set))).build();
    }
    return ActorSystem.create(config);
  }

  @Bean
  @ConditionalOnMissingBean
  ActorDirectory actorDirectory(ActorSystem actorSystem, ConfigurableListableBeanFactory beanFactory,
      ActorBeanRegistrar registrar) {
    return new ActorDirectory(actorSystem, beanFactory, registrar.declarations());
  }

  /** Warns of an application's system that lacks the system properties that were set. */
  @Bean
  static UnappliedSystemProperties reactantUnappliedSystemProperties(
      ConfigurableListableBeanFactory beanFactory, Environment environment) {
    return new UnappliedSystemProperties(beanFactory, environment);
  }

  /** Fails a reactive web application that asked for strict input where it cannot apply. */
  @Bean
  static UnappliedStrictInput reactantUnappliedStrictInput(
      ConfigurableListableBeanFactory beanFactory, ApplicationContext context) {
    return new UnappliedStrictInput(beanFactory, context);
  }

  /**
   * Warns of {@code reactant.http.*} properties in a servlet web application, where nothing of
   * them is served (the actor endpoints are WebFlux's).
   */
  @Bean
  @ConditionalOnWebApplication(type = Type.SERVLET)
  static UnservedHttpProperties reactantUnservedHttpProperties(Environment environment) {
    return new UnservedHttpProperties(environment);
  }

  /** Warns of an application's system that the {@link TurnListener} beans cannot reach. */
  @Bean
  static UnheardTurnListeners reactantUnheardTurnListeners(
      ConfigurableListableBeanFactory beanFactory) {
    return new UnheardTurnListeners(beanFactory);
  }

  /**
   * The orderly shutdown, with the system's own grace period: the property's, unless an
   * {@link ActorSystemCustomizer} set another or the application declared its own system.
   */
  @Bean
  @ConditionalOnMissingBean
  ActorSystemLifecycle actorSystemLifecycle(ActorSystem actorSystem) {
    return new ActorSystemLifecycle(actorSystem, actorSystem.config().shutdownGracePeriod());
  }
}

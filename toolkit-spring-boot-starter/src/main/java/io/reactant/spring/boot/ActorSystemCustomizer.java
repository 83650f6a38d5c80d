package io.reactant.spring.boot;

import io.reactant.actor.ActorSystemConfig;

/**
 * Customizes the configuration of the auto-configured {@link io.reactant.actor.ActorSystem}
 * before it starts, after the {@code reactant.*} properties are applied. Declare beans of this
 * type; they are applied in their {@link org.springframework.core.annotation.Order order}.
 *
 * <pre>{@code
 * @Bean
 * ActorSystemCustomizer deterministicTurns(Scheduler scheduler) {
 *   return builder -> builder.scheduler(scheduler);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ActorSystemCustomizer {

  /** Customizes the configuration being built. */
  void customize(ActorSystemConfig.Builder builder);
}

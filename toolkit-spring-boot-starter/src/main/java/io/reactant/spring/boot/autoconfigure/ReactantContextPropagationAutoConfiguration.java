package io.reactant.spring.boot.autoconfigure;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ContextPropagation;
import io.reactant.context.MicrometerContextPropagation;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of context propagation into actor turns: when Micrometer's context-propagation
 * library is on the classpath, the actor system carries every value registered in its global
 * {@link ContextRegistry} (Micrometer Tracing's current observation and span, and through them
 * the {@code traceId} in the logging MDC; any {@code ThreadLocalAccessor} the application adds)
 * from the thread that sends a message into the turns that run it (see {@link
 * ContextPropagation}), with toolkit-core's {@link MicrometerContextPropagation}.
 *
 * <p>On by default when the library is present, unlike Reactor's own automatic propagation
 * ({@code spring.reactor.context-propagation=auto}, default {@code limited}), which hooks every
 * operator of every pipeline of the application: this one costs a snapshot per message and a
 * restore per turn, in the actor system only, and nothing while no accessor is registered.
 * {@code reactant.context-propagation.enabled=false} turns it off; a {@link ContextPropagation}
 * bean of the application's replaces it.
 */
@AutoConfiguration(before = ReactantAutoConfiguration.class)
@ConditionalOnClass({ ActorSystem.class, ContextSnapshotFactory.class })
@ConditionalOnReactantFlag(value = "reactant.context-propagation.enabled", matchIfMissing = true)
public final class ReactantContextPropagationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ContextPropagation reactantContextPropagation() {
    return MicrometerContextPropagation.create();
  }
}

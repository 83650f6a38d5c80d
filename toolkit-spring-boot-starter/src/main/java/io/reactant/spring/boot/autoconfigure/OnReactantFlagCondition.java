package io.reactant.spring.boot.autoconfigure;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnReactantFlag}: binds the property as a {@code Boolean}
 * with the binder that binds {@link ReactantProperties} (relaxed names, environment variables,
 * Spring Boot's conversion), so that the feature and the bound property always agree.
 */
final class OnReactantFlagCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context,
      AnnotatedTypeMetadata metadata) {
    Map<String, Object> attributes =
        metadata.getAnnotationAttributes(ConditionalOnReactantFlag.class.getName());
    String name = (String) attributes.get("value");
    boolean matchIfMissing = (Boolean) attributes.get("matchIfMissing");
    // a value that is no boolean throws the binder's BindException, which names the property
    boolean on = Binder.get(context.getEnvironment()).bind(name, Boolean.class)
        .orElse(matchIfMissing);
    return on ? ConditionOutcome.match(name + " is on") : ConditionOutcome.noMatch(name + " is off");
  }
}

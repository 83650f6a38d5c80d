package io.reactant.spring.boot;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;

/**
 * Explains a startup that failed because a bean asked to be injected with an actor that is no
 * bean: the interface of a virtual or explicit actor type (an actor per id), or an actor's class
 * (the actor system alone creates its instances, rule R1). The action is to take references from
 * the {@link ActorDirectory}, where Spring's own analysis would say to define such a bean. Ordered
 * before Spring Boot's analyzers; it explains nothing else (not several beans of such a type
 * either, which Spring Boot's analysis of the ambiguity explains), nor an actor's own dependency
 * on another actor, which {@link ActorDeclarationException} explains, naming the dependency.
 */
final class ActorInjectionFailureAnalyzer
    extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException> implements Ordered {

  private final @Nullable ConfigurableListableBeanFactory beanFactory;

  ActorInjectionFailureAnalyzer(BeanFactory beanFactory) {
    this.beanFactory = beanFactory instanceof ConfigurableListableBeanFactory factory
        ? factory : null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  protected @Nullable FailureAnalysis analyze(Throwable rootFailure,
      NoSuchBeanDefinitionException cause) {
    if (cause instanceof NoUniqueBeanDefinitionException) {
      return null; // several beans of the type: Spring's ambiguity, not an actor asked for
    }
    if (findCause(rootFailure, ActorDeclarationException.class) != null) {
      return null; // an actor's dependency: its declaration's analysis names it
    }
    ResolvableType required = cause.getResolvableType();
    Class<?> wanted = required != null ? required.resolve() : cause.getBeanType();
    if (wanted == null || beanFactory == null) {
      return null;
    }
    for (String name : beanFactory.getBeanDefinitionNames()) {
      if (!(beanFactory.getBeanDefinition(name)
          .getAttribute(ActorBeanRegistrar.DECLARATION) instanceof ActorDeclaration d)) {
        continue;
      }
      String kind = d.activation().name().toLowerCase(java.util.Locale.ROOT) + " actor type '"
          + d.name() + "'";
      if (wanted == d.implementation()) {
        return new FailureAnalysis("No bean of type '" + wanted.getName() + "': it implements the "
            + kind + ", whose instances only the actor system creates: a caller holds a reference,"
            + " never the object (rule R1).", action(d), cause);
      }
      if (wanted == d.type() && !d.isSingleton()) {
        return new FailureAnalysis("No bean of type '" + wanted.getName() + "': it is the interface"
            + " of the " + kind + ", which has an actor per id; only a singleton's interface is a"
            + " bean.", action(d), cause);
      }
    }
    return null;
  }

  /** What to do instead of injecting the actor of {@code d}. */
  static String action(ActorDeclaration d) {
    String type = d.type().getSimpleName() + ".class";
    return switch (d.activation()) {
      case SINGLETON -> "Inject the actor interface, " + d.type().getName()
          + ": a singleton's reference is its bean.";
      case VIRTUAL -> "Inject ActorDirectory and take the reference of an id where it is needed:"
          + " actors.get(" + type + ", id).";
      case EXPLICIT -> "Inject ActorDirectory and take the reference of an id where it is needed:"
          + " actors.get(" + type + ", id), or create one with actors.spawn(" + type + ", ...).";
    };
  }
}

package io.reactant.spring.boot;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;

/**
 * Explains a startup that failed on an actor, with the action that fixes it: first a
 * misconfigured {@link ActorBean} declaration (an {@link ActorDeclarationException} among the
 * causes, which names the actor and its dependency), else a bean that asked to be injected with an
 * actor that is no bean: the interface of a virtual or explicit actor type (an actor per id), or
 * an actor's class (the actor system alone creates its instances, rule R1), where Spring's own
 * analysis would say to define such a bean. It explains nothing else (not several beans of such a
 * type either, which Spring Boot's analysis of the ambiguity explains).
 *
 * <p>Ordered before Spring Boot's analyzers, whatever the order of the jars: a declaration's cause
 * may be Spring's (no bean for an actor's dependency), which Spring Boot would explain without
 * naming the actor.
 */
final class ActorFailureAnalyzer implements FailureAnalyzer, Ordered {

  private final @Nullable ConfigurableListableBeanFactory beanFactory;

  /**
   * An analyzer that reads the actors' declarations from this bean factory (null: it explains
   * declarations only), as Spring Boot creates it.
   */
  ActorFailureAnalyzer(@Nullable BeanFactory beanFactory) {
    this.beanFactory = beanFactory instanceof ConfigurableListableBeanFactory factory
        ? factory : null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    ActorDeclarationException declaration = cause(failure, ActorDeclarationException.class);
    if (declaration != null) {
      return new FailureAnalysis(declaration.getMessage(), declaration.action(), declaration);
    }
    NoSuchBeanDefinitionException missing = cause(failure, NoSuchBeanDefinitionException.class);
    return missing == null || missing instanceof NoUniqueBeanDefinitionException
        ? null : actorAskedFor(missing);
  }

  /** The analysis of a bean that asked for an actor, if the missing bean is one. */
  private @Nullable FailureAnalysis actorAskedFor(NoSuchBeanDefinitionException cause) {
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

  /**
   * The first of the failure and its causes that is of this type, or null. Each exception is
   * looked at once: a chain that loops ({@code initCause} back to an exception above) ends there.
   */
  private static <T extends Throwable> @Nullable T cause(Throwable failure, Class<T> type) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
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

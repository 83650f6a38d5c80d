package io.reactant.spring.boot;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Fails the startup of a descendant context that has {@code @ActorBean} classes but no
 * {@link ActorBeanRegistrar} (a child a {@code SpringApplicationBuilder} or a context runner makes
 * with its own configuration, without the Reactant auto-configuration): nothing declares them
 * there, and the directory it gets, an ancestor's, does not know them, so they would never be
 * created and calls to them would fail with code 3. A descendant with a registrar checks its own
 * actors, with the same {@link #refusal refusal}. The registrar registers it.
 *
 * <p>It hears the descendant's {@link ContextRefreshedEvent}, which a context publishes to its
 * ancestors too, once the descendant's singletons exist; what it throws fails that refresh. An
 * actor the directory declares under the same bean name and class (a child that scans the
 * parent's packages again) is not refused: the ancestor creates it.
 */
final class UndeclaredChildActors implements ApplicationListener<ContextRefreshedEvent>,
    ApplicationContextAware {

  /** The name of its bean. */
  static final String BEAN_NAME = "reactantUndeclaredChildActors";

  private @org.jspecify.annotations.Nullable ApplicationContext context;

  @Override
  public void setApplicationContext(ApplicationContext context) {
    this.context = context;
  }

  /**
   * The refusal of an actor declared in a descendant context whose {@link ActorDirectory}, an
   * ancestor's, does not know it.
   */
  static ActorDeclarationException refusal(Class<?> implementation, String beanName) {
    return new ActorDeclarationException("@ActorBean " + implementation.getName() + " (bean '"
        + beanName + "') is declared in a child context whose ActorDirectory is its parent"
        + " context's, which knows only the actors declared there: this one would never be"
        + " created, and calls to it would fail with code 3",
        "Declare the @ActorBean classes in the parent context, which holds the ActorDirectory of"
            + " the actor system, and leave them out of the child's configuration.");
  }

  /**
   * Checks a descendant's actors.
   *
   * @throws ActorDeclarationException naming the first actor of the descendant that its
   *     directory does not know
   */
  @Override
  public void onApplicationEvent(ContextRefreshedEvent event) {
    if (context == null || event.getApplicationContext() == context
        || !(event.getApplicationContext() instanceof ConfigurableApplicationContext child)
        || child.getBeanNamesForType(ActorBeanRegistrar.class, true, false).length > 0) {
      return; // this context, or one that declares its actors itself
    }
    ActorDirectory directory = child.getBeanProvider(ActorDirectory.class).getIfUnique();
    if (directory == null) {
      return;
    }
    ConfigurableListableBeanFactory beans = child.getBeanFactory();
    for (String name : beans.getBeanDefinitionNames()) {
      if (beans.getMergedBeanDefinition(name).isAbstract()) {
        continue;
      }
      Class<?> type = beans.getType(name, false);
      if (type == null || type.isInterface()
          || !AnnotatedElementUtils.hasAnnotation(type, ActorBean.class)
          || known(directory, name, type)) {
        continue;
      }
      throw refusal(type, name);
    }
  }

  private static boolean known(ActorDirectory directory, String name, Class<?> type) {
    for (ActorDeclaration d : directory.declarations()) {
      if (d.beanName().equals(name) && d.implementation() == type) {
        return true;
      }
    }
    return false;
  }
}

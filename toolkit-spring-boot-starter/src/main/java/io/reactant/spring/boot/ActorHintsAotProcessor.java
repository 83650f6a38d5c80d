package io.reactant.spring.boot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Contributes, when Spring AOT processes an application, the runtime hints that a native image
 * needs for each actor type the application declares ({@link ActorBean}: singleton, virtual and
 * explicit ones, scanned, imported or made by {@code @Bean} methods), as the starter's
 * {@link ActorBeanRegistrar} found them:
 *
 * <ul>
 *   <li>a JDK proxy of the actor interface: every actor reference is one;
 *   <li>the interface and each interface it extends, with their public methods invocable: the
 *       actor system reads and validates them, calls them through method handles, and the HTTP
 *       ingress calls the exposed ones on a reference;
 *   <li>the implementation and each of its superclasses up to {@code Object}, for introspection:
 *       the actor system looks for an {@code inspect} override and compares the {@code @Query}
 *       markers of the class with the interface's (a marked method the interface lacks is looked
 *       for in the other interfaces of the class, registered too), and the starter reads the
 *       constructors, fields and methods of the class to check the actor's dependencies and its
 *       {@code @NotExposed} marks.
 * </ul>
 *
 * <p>Nothing is contributed for an application without actors. The JSON binding of the methods the
 * HTTP ingress exposes is {@code web.IngressHintsAotProcessor}'s. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
final class ActorHintsAotProcessor implements BeanFactoryInitializationAotProcessor {

  @Override
  public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
      ConfigurableListableBeanFactory beanFactory) {
    List<ActorDeclaration> declarations = declarations(beanFactory);
    if (declarations.isEmpty()) {
      return null;
    }
    return (generation, code) -> {
      for (ActorDeclaration d : declarations) {
        register(generation.getRuntimeHints(), d);
      }
    };
  }

  /**
   * The actor types declared in this bean factory: those of its {@link ActorBeanRegistrar}s, which
   * have run once Spring AOT processes the factory (they are bean factory post-processors).
   */
  static List<ActorDeclaration> declarations(ConfigurableListableBeanFactory beanFactory) {
    List<ActorDeclaration> declarations = new ArrayList<>();
    for (ActorBeanRegistrar registrar
        : beanFactory.getBeansOfType(ActorBeanRegistrar.class, false, false).values()) {
      declarations.addAll(registrar.declarations());
    }
    return declarations;
  }

  /** Registers the hints of one declared actor type. */
  static void register(RuntimeHints hints, ActorDeclaration d) {
    hints.proxies().registerJdkProxy(d.type());
    Deque<Class<?>> interfaces = new ArrayDeque<>(List.of(d.type()));
    Set<Class<?>> seen = new HashSet<>();
    while (!interfaces.isEmpty()) {
      Class<?> type = interfaces.pop();
      if (seen.add(type)) {
        hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
        interfaces.addAll(Arrays.asList(type.getInterfaces()));
      }
    }
    for (Class<?> c = d.implementation(); c != null && c != Object.class; c = c.getSuperclass()) {
      hints.reflection().registerType(c); // a type hint lets its members be introspected
      for (Class<?> i : c.getInterfaces()) {
        hints.reflection().registerType(i); // the marker check looks for a marked method there
      }
    }
  }
}

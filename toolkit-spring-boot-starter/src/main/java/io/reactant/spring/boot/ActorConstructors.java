package io.reactant.spring.boot;

import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.SmartInstantiationAwareBeanPostProcessor;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.util.ClassUtils;

/**
 * How Spring's bean factory picks and calls the constructor of an actor's prototype bean, as far
 * as the starter checks it before a spawn: the same rules as its {@code ConstructorResolver}, read
 * without creating anything.
 */
final class ActorConstructors {

  /** The primitive types a boxed argument may widen to, in widening order (JLS 5.1.2). */
  private static final List<Class<?>> WIDENING = List.of(byte.class, short.class, char.class,
      int.class, long.class, float.class, double.class);

  private ActorConstructors() {
  }

  /**
   * The constructors Spring chooses from: those its post-processors name (the {@code @Autowired}
   * ones, when a constructor is), else all of them (the public ones only, for a definition that
   * allows no non-public access).
   */
  static Constructor<?>[] candidates(ConfigurableListableBeanFactory factory, ActorDeclaration d) {
    if (factory instanceof AbstractBeanFactory beans) {
      for (BeanPostProcessor processor : beans.getBeanPostProcessors()) {
        if (processor instanceof SmartInstantiationAwareBeanPostProcessor smart) {
          Constructor<?>[] named =
              smart.determineCandidateConstructors(d.implementation(), d.beanName());
          if (named != null) {
            return named;
          }
        }
      }
    }
    return definition(factory, d).isNonPublicAccessAllowed()
        ? d.implementation().getDeclaredConstructors() : d.implementation().getConstructors();
  }

  /**
   * Whether Spring's {@code getBean(name, args)} builds the bean with one of these constructors.
   * It picks, among those with one parameter per argument (the public ones first), one to which
   * each argument is assignable (an instance of its parameter's type, boxed for a primitive one,
   * or a null for a parameter that is not primitive), if there is one. Otherwise, under lenient
   * constructor resolution (a bean definition's default), it takes the first of them all the
   * same, and reflection calls it: with a null as a primitive parameter's default value (0,
   * false) and a boxed primitive widened ({@code Integer} to {@code long}), else failing; under
   * strict resolution it fails.
   */
  static boolean take(ConfigurableListableBeanFactory factory, ActorDeclaration d,
      Constructor<?>[] candidates, Object[] args) {
    Constructor<?> first = null;
    for (int pass = 0; pass < 2; pass++) { // the public constructors first, as Spring sorts them
      for (Constructor<?> c : candidates) {
        if (Modifier.isPublic(c.getModifiers()) != (pass == 0)
            || c.getParameterCount() != args.length) {
          continue;
        }
        if (assignable(c.getParameterTypes(), args)) {
          return true;
        }
        if (first == null) {
          first = c;
        }
      }
    }
    return first != null && definition(factory, d).isLenientConstructorResolution()
        && invocable(first.getParameterTypes(), args);
  }

  /** The merged definition of the actor's bean (a definition's defaults if it is of no kind known). */
  private static AbstractBeanDefinition definition(ConfigurableListableBeanFactory factory,
      ActorDeclaration d) {
    return factory.getMergedBeanDefinition(d.beanName()) instanceof AbstractBeanDefinition abd
        ? abd : new RootBeanDefinition();
  }

  /** Spring's {@code ClassUtils.isAssignableValue} of each argument. */
  private static boolean assignable(Class<?>[] parameters, Object[] args) {
    for (int i = 0; i < args.length; i++) {
      if (!ClassUtils.isAssignableValue(parameters[i], args[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether reflection, as Spring's {@code BeanUtils.instantiateClass} calls it, takes these
   * arguments: a null for any parameter (a primitive one gets its default value), an instance of a
   * reference parameter's type, a boxed primitive that widens to a primitive parameter's type.
   */
  private static boolean invocable(Class<?>[] parameters, Object[] args) {
    for (int i = 0; i < args.length; i++) {
      Object arg = args[i];
      Class<?> p = parameters[i];
      if (arg != null && !(p.isPrimitive() ? widens(arg.getClass(), p) : p.isInstance(arg))) {
        return false;
      }
    }
    return true;
  }

  /** Whether a boxed primitive widens to a primitive type (JLS 5.1.2), or is of that type. */
  private static boolean widens(Class<?> boxed, Class<?> primitive) {
    Class<?> from = MethodType.methodType(boxed).unwrap().returnType();
    if (from == primitive) {
      return true;
    }
    int source = WIDENING.indexOf(from);
    return source >= 0 && WIDENING.indexOf(primitive) > source && primitive != char.class
        && !(from == char.class && primitive == short.class);
  }
}

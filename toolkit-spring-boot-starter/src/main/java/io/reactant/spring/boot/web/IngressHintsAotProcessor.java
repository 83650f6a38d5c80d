package io.reactant.spring.boot.web;

import io.reactant.spring.boot.ActorBeanRegistrar;
import io.reactant.spring.boot.ActorDeclaration;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Contributes, when Spring AOT processes an application whose context has the HTTP ingress (an
 * {@link ActorIngressHandler} bean), the JSON binding hints of what the ingress reads and writes
 * with Jackson: the parameter types of each method it calls over HTTP, and the {@code T} of their
 * {@code Mono<T>} results (with the types they hold: a record's components, a list's elements),
 * for the exposed actor types only and without the methods {@link
 * io.reactant.spring.boot.NotExposed} keeps off HTTP. The error bodies and {@code GET /actors}
 * are maps, which need none; the reflection on the actor interfaces and classes is {@code
 * ActorHintsAotProcessor}'s. Registered in {@code META-INF/spring/aot.factories}; nothing is
 * contributed without WebFlux and Jackson, or without the ingress.
 */
final class IngressHintsAotProcessor implements BeanFactoryInitializationAotProcessor {

  @Override
  public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
      ConfigurableListableBeanFactory beanFactory) {
    ClassLoader loader = beanFactory.getBeanClassLoader();
    if (!ClassUtils.isPresent("org.springframework.web.reactive.function.server.RouterFunction",
        loader) || !ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", loader)) {
      return null; // the ingress's classes would not load
    }
    return Ingress.contribution(beanFactory);
  }

  /** What refers to the ingress's classes, loaded only where WebFlux and Jackson are present. */
  private static final class Ingress {

    static @Nullable BeanFactoryInitializationAotContribution contribution(
        ConfigurableListableBeanFactory beanFactory) {
      if (beanFactory.getBeanNamesForType(ActorIngressHandler.class, true, false).length == 0) {
        return null;
      }
      List<Type> bound = new ArrayList<>();
      for (ActorBeanRegistrar registrar
          : beanFactory.getBeansOfType(ActorBeanRegistrar.class, false, false).values()) {
        for (ActorDeclaration d : registrar.declarations()) {
          // checked for every type, as the ingress does: a mark on a method that is not shared
          // fails here as it would fail the startup
          Set<Method> hidden = NotExposedMethods.of(d);
          if (d.exposed()) {
            bound.addAll(boundTypes(d, hidden));
          }
        }
      }
      if (bound.isEmpty()) {
        return null;
      }
      return (generation, code) -> register(generation.getRuntimeHints().reflection(), bound);
    }
  }

  /**
   * The types Jackson binds for the methods of an exposed actor type that HTTP calls: their
   * parameters' and their results' ({@code T} of {@code Mono<T>}; none for a oneway or a {@code
   * Mono<Void>}), in their order, as the actor interface sees them (a generic parent's type
   * variables resolved: see {@link InterfaceTypes}).
   */
  static Set<Type> boundTypes(ActorDeclaration d, Set<Method> hidden) {
    Set<Type> types = new LinkedHashSet<>();
    InterfaceTypes resolved = InterfaceTypes.of(d.type());
    for (Method m : ExposedActorType.calledOverHttp(d, hidden)) {
      for (Type parameter : m.getGenericParameterTypes()) {
        types.add(resolved.resolve(parameter));
      }
      if (m.getReturnType() != void.class
          && resolved.resolve(m.getGenericReturnType()) instanceof ParameterizedType mono
          && mono.getActualTypeArguments()[0] != Void.class) {
        types.add(mono.getActualTypeArguments()[0]);
      }
    }
    return types;
  }

  static void register(ReflectionHints hints, List<Type> types) {
    new BindingReflectionHintsRegistrar()
        .registerReflectionHints(hints, types.toArray(Type[]::new));
  }
}

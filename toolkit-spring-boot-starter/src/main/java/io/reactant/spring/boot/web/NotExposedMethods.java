package io.reactant.spring.boot.web;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorRefs;
import io.reactant.spring.boot.ActorDeclaration;
import io.reactant.spring.boot.ActorDeclarationException;
import io.reactant.spring.boot.NotExposed;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.ClassUtils;

/**
 * The shared methods of an actor type that {@link NotExposed} keeps off HTTP: those it marks on the
 * actor interface (or an interface it extends), or on the implementation's method (or a superclass
 * method that one overrides).
 */
final class NotExposedMethods {

  private NotExposedMethods() {
  }

  /**
   * Returns the shared methods of the declaration's actor interface that are not exposed.
   *
   * @throws ActorDeclarationException if {@link NotExposed} marks a method of the interface, of an
   *     interface it extends, or of the implementation (up to {@link Actor}) that is not one of the
   *     type's shared methods nor the implementation of one
   */
  static Set<Method> of(ActorDeclaration declaration) {
    Class<?> type = declaration.type();
    Class<?> implementation = declaration.implementation();
    Set<Method> hidden = new HashSet<>();
    Set<String> shared = new HashSet<>();
    for (Method m : type.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      if (ActorRefs.isAnsweredByReference(m)) {
        // equals, hashCode or toString redeclared: no shared method, so no mark may hide it
        if (marked(m)) {
          throw notShared(declaration, m);
        }
        continue;
      }
      Method implemented = BridgeMethodResolver.findBridgedMethod(
          ClassUtils.getMostSpecificMethod(m, implementation));
      shared.add(signature(m));
      shared.add(signature(implemented));
      // the implementation's method, the superclass methods it overrides, and the interface
      // methods it implements, the actor interface's and those of the interfaces it extends
      if (marked(m) || marked(implemented)) {
        hidden.add(m);
      }
    }
    for (Class<?> ifc : interfacesOf(type)) {
      for (Method m : ifc.getDeclaredMethods()) {
        if (m.isAnnotationPresent(NotExposed.class) && !m.isSynthetic()
            && (Modifier.isStatic(m.getModifiers()) || Modifier.isPrivate(m.getModifiers()))) {
          throw notShared(declaration, m);
        }
      }
    }
    for (Class<?> c = implementation; c != null && c != Actor.class && c != Object.class;
        c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(NotExposed.class) && !m.isSynthetic()
            && (Modifier.isStatic(m.getModifiers()) || Modifier.isPrivate(m.getModifiers())
                || !shared.contains(signature(m)))) {
          throw notShared(declaration, m);
        }
      }
    }
    return Set.copyOf(hidden);
  }

  private static boolean marked(Method m) {
    return MergedAnnotations.from(m, SearchStrategy.TYPE_HIERARCHY).isPresent(NotExposed.class);
  }

  /** The interface and every interface it extends. */
  private static Set<Class<?>> interfacesOf(Class<?> type) {
    Set<Class<?>> all = new LinkedHashSet<>();
    Deque<Class<?>> next = new ArrayDeque<>(List.of(type));
    while (!next.isEmpty()) {
      Class<?> ifc = next.pop();
      if (all.add(ifc)) {
        next.addAll(Arrays.asList(ifc.getInterfaces()));
      }
    }
    return all;
  }

  private static String signature(Method m) {
    return m.getName() + Arrays.toString(m.getParameterTypes());
  }

  private static ActorDeclarationException notShared(ActorDeclaration declaration, Method m) {
    String method = m.getName() + "(" + Arrays.stream(m.getParameterTypes())
        .map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
    return new ActorDeclarationException("@NotExposed marks " + m.getDeclaringClass().getName()
        + "." + method + ", which is not a shared method of the actor type '" + declaration.name()
        + "' (" + declaration.type().getName() + "): only a shared method can be kept off HTTP",
        "Remove @NotExposed from " + method + ", or put it on a method of "
            + declaration.type().getName() + " or on its implementation.");
  }
}

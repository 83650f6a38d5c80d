package io.reactant.spring.boot.web;

import io.reactant.spring.boot.ActorDeclaration;
import io.reactant.spring.boot.ActorDeclarationException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An actor type exposed over HTTP: its declaration and its shared methods by name. */
final class ExposedActorType {

  final ActorDeclaration declaration;
  private final Map<String, ActorMethod> methods;

  ExposedActorType(ActorDeclaration declaration) {
    this.declaration = declaration;
    Map<String, ActorMethod> byName = new LinkedHashMap<>();
    Method[] all = declaration.type().getMethods();
    java.util.Arrays.sort(all, Comparator.comparing(Method::getName));
    for (Method m : all) {
      if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
        continue;
      }
      ActorMethod previous = byName.put(m.getName(), new ActorMethod(m));
      if (previous != null) {
        throw new ActorDeclarationException("The actor type '" + declaration.name()
            + "' is exposed over HTTP but overloads the method " + m.getName() + "(): HTTP calls"
            + " name methods without their parameter types",
            "Rename one of the overloads of " + declaration.type().getSimpleName() + "."
                + m.getName() + "(), or set @ActorBean(exposed = false).");
      }
    }
    this.methods = Map.copyOf(byName);
  }

  String name() {
    return declaration.name();
  }

  @Nullable ActorMethod method(String name) {
    return methods.get(name);
  }

  /** Describes the type for {@code GET /actors}: name, activation and methods. */
  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", name());
    m.put("activation", declaration.activation().name().toLowerCase());
    if (declaration.singletonId() != null) {
      m.put("id", declaration.singletonId().value());
    }
    m.put("methods", methods.values().stream()
        .sorted(Comparator.comparing(ActorMethod::name))
        .map(ActorMethod::describe).toList());
    return m;
  }
}

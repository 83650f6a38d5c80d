package io.reactant.spring.boot.web;

import io.reactant.actor.ActorRefs;
import io.reactant.spring.boot.ActorDeclaration;
import io.reactant.spring.boot.ActorDeclarationException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An actor type exposed over HTTP: its declaration and the shared methods that HTTP calls, by name
 * (those {@link io.reactant.spring.boot.NotExposed} marks left out).
 */
final class ExposedActorType {

  final ActorDeclaration declaration;
  /** Whether its actors inspect their ingress calls (rule R26): their own code runs at each. */
  final boolean inspects;
  private final Map<String, ActorMethod> methods;

  /**
   * @param actorTypes the declared actor interfaces, whose references JSON cannot carry
   * @param hidden the shared methods that {@link io.reactant.spring.boot.NotExposed} keeps off
   *     HTTP, which it leaves out, and which the checks below do not count
   * @throws ActorDeclarationException if the interface overloads a method name that HTTP sees, or
   *     a method that HTTP sees takes or returns an actor reference
   */
  ExposedActorType(ActorDeclaration declaration, Set<Class<?>> actorTypes, Set<Method> hidden) {
    this.declaration = declaration;
    Map<String, ActorMethod> byName = new LinkedHashMap<>();
    InterfaceTypes types = InterfaceTypes.of(declaration.type());
    for (Method m : calledOverHttp(declaration, hidden)) {
      requireNoReference(declaration, m, actorTypes, types);
      ActorMethod previous = byName.put(m.getName(), new ActorMethod(m, types));
      if (previous != null) {
        throw new ActorDeclarationException("The actor type '" + declaration.name()
            + "' is exposed over HTTP but overloads the method " + m.getName() + "(): HTTP calls"
            + " name methods without their parameter types",
            "Rename one of the overloads of " + declaration.type().getSimpleName() + "."
                + m.getName() + "(), mark all of them but one @NotExposed, or set"
                + " @ActorBean(exposed = false).");
      }
    }
    this.methods = Map.copyOf(byName);
    this.inspects = ActorRefs.inspectsIngress(declaration.implementation());
  }

  String name() {
    return declaration.name();
  }

  /**
   * The methods of the declaration's actor interface that HTTP calls, by name: its shared methods
   * but the static ones and those {@code hidden} (a bridge, {@code put(Object)} beside
   * {@code put(String)} where the interface redeclares a generic super-interface's method, is the
   * method it bridges to: HTTP calls that one). A method that the interface inherits from
   * several parents, none redeclaring it ({@code C extends A, B}, each with {@code Mono<Integer>
   * touch()}), is one method, the first parent's (the actor system refuses the interface if the
   * parents mark it differently, an update in one and a query in the other): not an overload.
   * Not {@code Object}'s {@code equals}, {@code hashCode} or {@code toString} where the interface
   * redeclares them: a reference answers them itself, they are no shared methods. Not checked:
   * see the constructor.
   */
  static List<Method> calledOverHttp(ActorDeclaration declaration, Set<Method> hidden) {
    List<Method> called = new ArrayList<>();
    Set<String> signatures = new HashSet<>();
    for (Method m : declaration.type().getMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && !ActorRefs.isAnsweredByReference(m)
          && !m.isBridge() && !hidden.contains(m)
          && signatures.add(m.getName() + Arrays.toString(m.getParameterTypes()))) {
        called.add(m);
      }
    }
    called.sort(Comparator.comparing(Method::getName));
    return called;
  }

  /** Refuses a method that takes or returns an actor reference: every call of it would fail. */
  private static void requireNoReference(ActorDeclaration declaration, Method m,
      Set<Class<?>> actorTypes, InterfaceTypes types) {
    String what = "takes";
    Class<?> found = null;
    for (Type p : m.getGenericParameterTypes()) {
      found = found != null ? found : actorTypeIn(types.resolve(p), actorTypes, new HashSet<>());
    }
    if (found == null && types.resolve(m.getGenericReturnType()) instanceof ParameterizedType mono) {
      what = "returns";
      found = actorTypeIn(mono.getActualTypeArguments()[0], actorTypes, new HashSet<>());
    }
    if (found != null) {
      throw new ActorDeclarationException("The actor type '" + declaration.name() + "' is exposed"
          + " over HTTP, but its method " + m.getName() + "() " + what + " a reference to the"
          + " actor type " + found.getSimpleName() + ", which JSON cannot carry",
          "Pass the actor's ActorId instead (a JSON string) and look the actor up with"
              + " ActorDirectory.get, mark the method @NotExposed if only actors and the"
              + " application call it, or set @ActorBean(exposed = false) on "
              + declaration.type().getSimpleName() + "'s actor.");
    }
  }

  /**
   * The first actor type that {@code type} is or holds (as a type argument, an array's component
   * or a record's component), or null.
   */
  private static @Nullable Class<?> actorTypeIn(Type type, Set<Class<?>> actorTypes,
      Set<Class<?>> seen) {
    if (type instanceof ParameterizedType p) {
      Class<?> found = actorTypeIn(p.getRawType(), actorTypes, seen);
      for (Type argument : p.getActualTypeArguments()) {
        found = found != null ? found : actorTypeIn(argument, actorTypes, seen);
      }
      return found;
    }
    if (type instanceof GenericArrayType g) {
      return actorTypeIn(g.getGenericComponentType(), actorTypes, seen);
    }
    if (type instanceof WildcardType w) {
      return w.getUpperBounds().length == 0 ? null
          : actorTypeIn(w.getUpperBounds()[0], actorTypes, seen);
    }
    if (!(type instanceof Class<?> c)) {
      return null;
    }
    if (c.isArray()) {
      return actorTypeIn(c.getComponentType(), actorTypes, seen);
    }
    if (actorTypes.contains(c)) {
      return c;
    }
    Class<?> found = null;
    if (c.isRecord() && seen.add(c)) {
      for (RecordComponent component : c.getRecordComponents()) {
        found = found != null ? found : actorTypeIn(component.getGenericType(), actorTypes, seen);
      }
    }
    return found;
  }

  @Nullable ActorMethod method(String name) {
    return methods.get(name);
  }

  /** The methods HTTP calls. */
  Collection<ActorMethod> methods() {
    return methods.values();
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

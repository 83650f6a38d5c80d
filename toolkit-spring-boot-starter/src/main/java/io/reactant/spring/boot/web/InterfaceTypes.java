package io.reactant.spring.boot.web;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The types of an actor interface's methods as that interface sees them: the type variables of the
 * generic interfaces it extends replaced by the type arguments it gives them ({@code Strings
 * extends Store<String>}: {@code Store.put(T)} takes a {@code String}, {@code Mono<List<T>>} is a
 * {@code Mono<List<String>>}), through any number of levels. A method's own type variables
 * ({@code <U> Mono<U> echo(U)}) and those the interface leaves open stay as they are. Immutable.
 */
final class InterfaceTypes {

  private final Map<TypeVariable<?>, Type> arguments;

  private InterfaceTypes(Map<TypeVariable<?>, Type> arguments) {
    this.arguments = Map.copyOf(arguments);
  }

  /** The type arguments that {@code actorType} gives the type variables of its super-interfaces. */
  static InterfaceTypes of(Class<?> actorType) {
    Map<TypeVariable<?>, Type> arguments = new HashMap<>();
    collect(actorType, arguments);
    return new InterfaceTypes(arguments);
  }

  /** {@code type} with the type variables this interface binds replaced by their arguments. */
  Type resolve(Type type) {
    return arguments.isEmpty() ? type : substitute(type, arguments);
  }

  /**
   * The type arguments that {@code type}, a class or a class given type arguments
   * ({@code Page<UUID>}), gives its own type variables and those of its superclasses and
   * interfaces ({@code User extends Entity<Long>}: {@code Entity}'s {@code I} is {@code Long}).
   */
  static InterfaceTypes ofType(Type type) {
    Map<TypeVariable<?>, Type> arguments = new HashMap<>();
    Class<?> raw;
    if (type instanceof ParameterizedType p) {
      raw = (Class<?>) p.getRawType();
      TypeVariable<?>[] variables = raw.getTypeParameters();
      Type[] given = p.getActualTypeArguments();
      for (int i = 0; i < variables.length && i < given.length; i++) {
        arguments.put(variables[i], given[i]);
      }
    } else {
      raw = (Class<?>) type;
    }
    collect(raw, arguments);
    return new InterfaceTypes(arguments);
  }

  /**
   * The type arguments that {@code type} gives the type parameters of {@code generic}, one of its
   * super-types ({@code Map}'s of a {@code Registry<Integer>}, which extends
   * {@code Map<String, V>}: {@code String} and {@code Integer}); a parameter that nothing binds
   * stays a type variable.
   */
  static Type[] argumentsOf(Type type, Class<?> generic) {
    InterfaceTypes types = ofType(type);
    return Arrays.stream(generic.getTypeParameters()).map(types::resolve).toArray(Type[]::new);
  }

  /** Binds the type variables of {@code type}'s super-types: its interfaces and superclass. */
  private static void collect(Class<?> type, Map<TypeVariable<?>, Type> arguments) {
    List<Type> parents = new ArrayList<>(List.of(type.getGenericInterfaces()));
    if (type.getGenericSuperclass() != null) {
      parents.add(type.getGenericSuperclass()); // none for an interface
    }
    for (Type parent : parents) {
      Class<?> raw;
      if (parent instanceof ParameterizedType p) {
        raw = (Class<?>) p.getRawType();
        TypeVariable<?>[] variables = raw.getTypeParameters();
        Type[] given = p.getActualTypeArguments();
        for (int i = 0; i < variables.length && i < given.length; i++) {
          // the child's own arguments are known before its parent's: a chain resolves whole
          arguments.putIfAbsent(variables[i], substitute(given[i], arguments));
        }
      } else {
        raw = (Class<?>) parent;
      }
      collect(raw, arguments);
    }
  }

  private static Type substitute(Type type, Map<TypeVariable<?>, Type> arguments) {
    if (type instanceof TypeVariable<?> v) {
      return arguments.getOrDefault(v, v);
    }
    if (type instanceof ParameterizedType p) {
      Type[] resolved = substituteAll(p.getActualTypeArguments(), arguments);
      return resolved != null
          ? new Parameterized((Class<?>) p.getRawType(), resolved, p.getOwnerType()) : p;
    }
    if (type instanceof GenericArrayType g) {
      Type component = substitute(g.getGenericComponentType(), arguments);
      if (component == g.getGenericComponentType()) {
        return g;
      }
      return component instanceof Class<?> c ? c.arrayType() : new GenericArray(component);
    }
    if (type instanceof WildcardType w) {
      // Jackson and Candid read a wildcard's upper bound; a lower bound is resolved alike
      Type[] upper = substituteAll(w.getUpperBounds(), arguments);
      Type[] lower = substituteAll(w.getLowerBounds(), arguments);
      return upper == null && lower == null ? w : new Wildcard(
          upper != null ? upper : w.getUpperBounds(), lower != null ? lower : w.getLowerBounds());
    }
    return type; // a class
  }

  /** {@code types} substituted, or null if none changed. */
  private static Type @Nullable [] substituteAll(Type[] types, Map<TypeVariable<?>, Type> arguments) {
    Type[] resolved = new Type[types.length];
    boolean changed = false;
    for (int i = 0; i < types.length; i++) {
      resolved[i] = substitute(types[i], arguments);
      changed |= resolved[i] != types[i];
    }
    return changed ? resolved : null;
  }

  /** A parameterized type whose arguments were resolved. */
  private record Parameterized(Class<?> raw, Type[] arguments, @Nullable Type owner)
      implements ParameterizedType {

    @Override
    public Type[] getActualTypeArguments() {
      return arguments.clone();
    }

    @Override
    public Type getRawType() {
      return raw;
    }

    @Override
    public @Nullable Type getOwnerType() {
      return owner;
    }

    @Override
    public String getTypeName() {
      return raw.getTypeName() + Arrays.stream(arguments).map(Type::getTypeName)
          .collect(Collectors.joining(", ", "<", ">"));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParameterizedType p && raw.equals(p.getRawType())
          && Arrays.equals(arguments, p.getActualTypeArguments());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(arguments) ^ raw.hashCode();
    }

    @Override
    public String toString() {
      return getTypeName();
    }
  }

  /** A wildcard whose bounds were resolved. */
  private record Wildcard(Type[] upper, Type[] lower) implements WildcardType {

    @Override
    public Type[] getUpperBounds() {
      return upper.clone();
    }

    @Override
    public Type[] getLowerBounds() {
      return lower.clone();
    }

    @Override
    public String getTypeName() {
      return lower.length > 0 ? "? super " + lower[0].getTypeName()
          : upper.length == 0 || upper[0] == Object.class ? "?"
          : "? extends " + upper[0].getTypeName();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof WildcardType w && Arrays.equals(upper, w.getUpperBounds())
          && Arrays.equals(lower, w.getLowerBounds());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(upper) ^ Arrays.hashCode(lower);
    }

    @Override
    public String toString() {
      return getTypeName();
    }
  }

  /** An array of a type that is still generic once resolved. */
  private record GenericArray(Type component) implements GenericArrayType {

    @Override
    public Type getGenericComponentType() {
      return component;
    }

    @Override
    public String getTypeName() {
      return component.getTypeName() + "[]";
    }

    @Override
    public String toString() {
      return getTypeName();
    }
  }
}

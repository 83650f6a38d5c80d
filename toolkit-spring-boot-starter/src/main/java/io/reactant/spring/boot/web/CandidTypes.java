package io.reactant.spring.boot.web;

import io.reactant.actor.ActorId;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Names Java types the way Candid, the interface language of the Internet Computer, names the
 * corresponding values: {@code text}, {@code int64}, {@code vec text}, {@code opt nat},
 * {@code record { owner : text; balance : int64 }}, {@code variant { A; B }}.
 *
 * <p>A Java type with no Candid counterpart is named by its simple class name; {@code Object} and
 * a type variable that nothing binds (a generic method's {@code <T>}), which take any JSON value,
 * are {@code reserved}.
 */
final class CandidTypes {

  private CandidTypes() {
  }

  /** Returns the Candid name of a Java type; {@code null} for no value ({@code Void}). */
  static String of(Type type) {
    return of(type, new HashSet<>());
  }

  private static String of(Type type, Set<Class<?>> seen) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == Optional.class) {
        return "opt " + of(args[0], seen);
      }
      if (Collection.class.isAssignableFrom(raw)) {
        return "vec " + of(args[0], seen);
      }
      if (Map.class.isAssignableFrom(raw)) {
        return "vec record { " + of(args[0], seen) + "; " + of(args[1], seen) + " }";
      }
      return of(raw, seen);
    }
    if (type instanceof GenericArrayType g) {
      return "vec " + of(g.getGenericComponentType(), seen);
    }
    if (type instanceof WildcardType w) {
      return of(w.getUpperBounds()[0], seen);
    }
    if (!(type instanceof Class<?> c)) {
      return "reserved";
    }
    return ofClass(c, seen);
  }

  private static String ofClass(Class<?> c, Set<Class<?>> seen) {
    if (c == String.class || c == char.class || c == Character.class) {
      return "text";
    }
    if (c == boolean.class || c == Boolean.class) {
      return "bool";
    }
    if (c == byte.class || c == Byte.class) {
      return "int8";
    }
    if (c == short.class || c == Short.class) {
      return "int16";
    }
    if (c == int.class || c == Integer.class) {
      return "int32";
    }
    if (c == long.class || c == Long.class) {
      return "int64";
    }
    if (c == BigInteger.class) {
      return "int";
    }
    if (c == float.class || c == Float.class) {
      return "float32";
    }
    if (c == double.class || c == Double.class) {
      return "float64";
    }
    if (c == void.class || c == Void.class) {
      return "null";
    }
    if (c == Object.class) {
      return "reserved"; // any JSON value, as an unbound type variable
    }
    if (c == ActorId.class) {
      return "principal";
    }
    if (c == byte[].class) {
      return "blob";
    }
    if (c.isArray()) {
      return "vec " + ofClass(c.getComponentType(), seen);
    }
    if (c.isEnum()) {
      return "variant { " + Arrays.stream(c.getEnumConstants()).map(e -> ((Enum<?>) e).name())
          .collect(Collectors.joining("; ")) + " }";
    }
    if (c.isRecord()) {
      if (!seen.add(c)) {
        return c.getSimpleName();
      }
      RecordComponent[] components = c.getRecordComponents();
      String fields = Arrays.stream(components)
          .map(rc -> rc.getName() + " : " + of(rc.getGenericType(), seen))
          .collect(Collectors.joining("; "));
      seen.remove(c);
      return components.length == 0 ? "record {}" : "record { " + fields + " }";
    }
    return c.getSimpleName();
  }
}

package io.reactant.internal;

import io.reactant.actor.CompositeQuery;
import io.reactant.actor.Query;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The shared methods of an actor interface, validated and resolved once per interface (no
 * reflection lookup per call).
 */
final class MethodTable {

  private static final ClassValue<MethodTable> TABLES = new ClassValue<>() {
    @Override
    protected MethodTable computeValue(Class<?> type) {
      return new MethodTable(type);
    }
  };

  /** How many distinct {@code Method} objects the identity cache remembers. */
  private static final int MAX_SEEN = 64;

  final Class<?> type;
  private final Map<Method, MethodInfo> byMethod;
  /**
   * The {@code Method} objects seen so far and their entries, alternating ({@code [m0, info0, m1,
   * info1, ...]}): a proxy class passes the same {@code Method} instance at every call, so an
   * identity scan of a few entries replaces hashing and comparing the method's name and parameter
   * types. Copied on write; an append lost to a race only costs a later lookup in the map.
   */
  private volatile Object[] seen = new Object[0];

  private MethodTable(Class<?> type) {
    if (!type.isInterface()) {
      throw new IllegalArgumentException(
          "An actor type must be an interface, but " + type.getName() + " is a class");
    }
    Map<Method, MethodInfo> map = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (Method m : type.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      MethodInfo.Kind kind = kindOf(m, problems);
      if (kind != null) {
        map.put(m, new MethodInfo(m, kind));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Invalid actor interface " + type.getName() + ": "
          + String.join("; ", problems));
    }
    this.type = type;
    this.byMethod = Map.copyOf(map);
  }

  /**
   * Returns the table of an actor interface.
   *
   * @throws IllegalArgumentException if the type is not an interface or a method neither returns
   *     {@code Mono} nor is {@code void}
   */
  static MethodTable of(Class<?> type) {
    return TABLES.get(type);
  }

  @Nullable MethodInfo get(Method m) {
    Object[] s = seen;
    for (int i = 0; i < s.length; i += 2) {
      if (s[i] == m) {
        return (MethodInfo) s[i + 1];
      }
    }
    MethodInfo info = byMethod.get(m);
    if (info != null && s.length < 2 * MAX_SEEN) {
      Object[] more = java.util.Arrays.copyOf(s, s.length + 2);
      more[s.length] = m;
      more[s.length + 1] = info;
      seen = more;
    }
    return info;
  }

  private static MethodInfo.@Nullable Kind kindOf(Method m, List<String> problems) {
    boolean query = m.isAnnotationPresent(Query.class);
    boolean composite = m.isAnnotationPresent(CompositeQuery.class);
    String name = m.getName() + "()";
    if (query && composite) {
      problems.add(name + " is marked both @Query and @CompositeQuery");
      return null;
    }
    if (m.getReturnType() == void.class) {
      if (query || composite) {
        problems.add(name + " is a query but returns void (a query must return Mono)");
        return null;
      }
      return MethodInfo.Kind.ONEWAY;
    }
    if (m.getReturnType() != Mono.class) {
      problems.add(name + " returns " + m.getReturnType().getSimpleName()
          + " (a shared method returns Mono<T>, or void for a oneway)");
      return null;
    }
    if (query) {
      return MethodInfo.Kind.QUERY;
    }
    return composite ? MethodInfo.Kind.COMPOSITE_QUERY : MethodInfo.Kind.UPDATE;
  }
}

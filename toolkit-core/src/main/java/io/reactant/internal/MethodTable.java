package io.reactant.internal;

import io.reactant.actor.CompositeQuery;
import io.reactant.actor.Query;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
  /** For each implementation class spawned as this type: its markers that disagree (see below). */
  private final ClassValue<String> markerProblems = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> implementation) {
      return markerProblemsOf(implementation);
    }
  };

  private MethodTable(Class<?> type) {
    if (!type.isInterface()) {
      throw new IllegalArgumentException(
          "An actor type must be an interface, but " + type.getName() + " is a class");
    }
    Map<Method, MethodInfo> map = new HashMap<>();
    List<String> problems = new ArrayList<>();
    if (!Modifier.isPublic(type.getModifiers())) {
      problems.add("the interface is not public (the runtime implements it from another package)");
    }
    Map<String, List<Method>> bySignature = new TreeMap<>();
    for (Method m : type.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      if (isObjectMethod(m)) {
        // equals, hashCode or toString redeclared (to document it): the reference answers it
        if (m.isAnnotationPresent(Query.class) || m.isAnnotationPresent(CompositeQuery.class)) {
          problems.add(m.getName() + "() is Object's, which a reference answers itself (not a"
              + " shared method): it cannot be marked a query");
        }
        continue;
      }
      if (m.getName().equals("finalize") && m.getParameterCount() == 0) {
        // Object's finalize is protected, so an interface may declare it: the proxy's then
        // overrides Object's, and the garbage collector calls it (a oneway) on each freed reference
        problems.add("finalize() would be called by the garbage collector on each reference it"
            + " frees, sending the actor a message (rename it)");
        continue;
      }
      MethodInfo.Kind kind = kindOf(m, problems);
      if (kind != null) {
        map.put(m, new MethodInfo(m, kind, type));
        bySignature.computeIfAbsent(m.getName() + Arrays.toString(m.getParameterTypes()),
            k -> new ArrayList<>()).add(m);
      }
    }
    for (List<Method> same : bySignature.values()) {
      disagreement(same, map, type).ifPresent(problems::add);
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
   * @throws IllegalArgumentException if the type is not a public interface or a method neither
   *     returns {@code Mono} nor is {@code void} (but {@code Object}'s, which are no shared
   *     methods: see {@link #isObjectMethod})
   */
  static MethodTable of(Class<?> type) {
    return TABLES.get(type);
  }

  /**
   * Checks that {@code implementation} marks no method {@code @Query} or {@code
   * @CompositeQuery} that the interface does not mark so: the interface's markers alone decide what
   * a call is, so a marker on the implementation only would be silently ignored (a "query" whose
   * writes commit). That includes a method no call reaches as a message: one of {@code Object}'s
   * ({@code toString()}, which a reference answers itself), one no interface of the class
   * declares (a "query" no client can call), or one that is not public (its own or a
   * superclass's: a protected helper), which implements no interface method. A method of another
   * interface the class implements is left to that interface's markers: the class may be spawned
   * as that type too. Checked once per implementation class.
   *
   * @throws IllegalArgumentException naming each such method and why
   */
  void requireMarkersAgree(Class<?> implementation) {
    String problems = markerProblems.get(implementation);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(implementation.getName() + " marks methods of "
          + type.getName() + " differently from the interface, whose markers decide what a call"
          + " is: " + problems + " (mark the interface's method, or remove the marker)");
    }
  }

  private String markerProblemsOf(Class<?> implementation) {
    Set<String> problems = new TreeSet<>();
    for (Method m : implementation.getMethods()) {
      boolean query = m.isAnnotationPresent(Query.class);
      boolean composite = m.isAnnotationPresent(CompositeQuery.class);
      if (!query && !composite) {
        continue;
      }
      String marker = m.getName() + "() is marked @" + (query ? "Query" : "CompositeQuery");
      if (isObjectMethod(m)) {
        problems.add(marker + " but is Object's, which a reference answers itself: no call"
            + " reaches it as a message");
        continue;
      }
      MethodInfo declared;
      try {
        declared = byMethod.get(type.getMethod(m.getName(), m.getParameterTypes()));
      } catch (NoSuchMethodException notShared) {
        if (!declaredByAnInterfaceOf(implementation, m)) {
          problems.add(marker + " but is no shared method of " + type.getName() + " (nor of"
              + " another interface of the class): no call reaches it, as a query or otherwise");
        }
        continue;
      }
      MethodInfo.Kind marked = query ? MethodInfo.Kind.QUERY : MethodInfo.Kind.COMPOSITE_QUERY;
      if (declared != null && (declared.kind != marked || query && composite)) {
        problems.add(marker + " but the interface makes it " + describe(declared.kind));
      }
    }
    // a method that is not public implements no interface method: a marker on it (a protected
    // helper of an abstract base of actors, say) is silently ignored as well
    for (Class<?> c = implementation; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        boolean query = m.isAnnotationPresent(Query.class);
        if (Modifier.isPublic(m.getModifiers()) || m.isSynthetic()
            || !query && !m.isAnnotationPresent(CompositeQuery.class)) {
          continue;
        }
        problems.add(m.getName() + "() is marked @" + (query ? "Query" : "CompositeQuery")
            + " but is not public, as no interface method is: no call reaches it, as a query or"
            + " otherwise");
      }
    }
    return String.join("; ", problems);
  }

  /**
   * Whether an interface {@code implementation} implements (through its superclasses and the
   * interfaces' parents too) has a public method that {@code m} implements: the same name and
   * number of parameters, each parameter of the interface's taking {@code m}'s (a generic
   * interface's {@code get(T)} erased to {@code get(Object)}, implemented as {@code
   * get(String)}). Loose on purpose: an overload it takes for an implementation is only left
   * unchecked.
   */
  private static boolean declaredByAnInterfaceOf(Class<?> implementation, Method m) {
    Class<?>[] params = m.getParameterTypes();
    for (Class<?> c = implementation; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        for (Method candidate : i.getMethods()) { // its parents' public methods too
          if (candidate.getName().equals(m.getName())
              && !Modifier.isStatic(candidate.getModifiers())
              && takes(candidate.getParameterTypes(), params)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether parameters of types {@code declared} take arguments of types {@code given}. */
  private static boolean takes(Class<?>[] declared, Class<?>[] given) {
    if (declared.length != given.length) {
      return false;
    }
    for (int k = 0; k < declared.length; k++) {
      if (!declared[k].isAssignableFrom(given[k])) {
        return false;
      }
    }
    return true;
  }

  private static String describe(MethodInfo.Kind kind) {
    switch (kind) {
      case QUERY:
        return "a @Query";
      case COMPOSITE_QUERY:
        return "a @CompositeQuery";
      case ONEWAY:
        return "a oneway update";
      default:
        return "an update";
    }
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

  /**
   * The problem of one signature that the interface inherits from several parents (none
   * redeclares it) marked differently: the proxy has one method for it, whose kind would depend
   * on the order of the parents, so the interface must say which it is.
   */
  private static Optional<String> disagreement(List<Method> same,
      Map<Method, MethodInfo> kinds, Class<?> type) {
    if (same.stream().map(m -> kinds.get(m).kind).distinct().count() < 2) {
      return Optional.empty();
    }
    List<String> parents = same.stream()
        .sorted(Comparator.comparing((Method m) -> kinds.get(m).kind)
            .thenComparing(m -> m.getDeclaringClass().getName()))
        .map(m -> describe(kinds.get(m).kind) + " from " + m.getDeclaringClass().getName())
        .collect(Collectors.toList());
    return Optional.of(same.get(0).getName() + "() is inherited as "
        + String.join(" and as ", parents) + " (redeclare it in " + type.getSimpleName()
        + " with the marker it should have)");
  }

  /**
   * Whether {@code m} is one of {@code Object}'s public methods that an interface may redeclare
   * ({@code equals}, {@code hashCode}, {@code toString}; the others are final): a call of it on a
   * reference is {@code Object}'s, which the proxy passes to its handler as {@code Object}'s
   * method and {@link ActorProxy} answers itself, so it is no shared method.
   */
  static boolean isObjectMethod(Method m) {
    // by signature, not by looking it up on Object: no reflection a native image would need hints
    // for (Object's other public methods are final, so no interface declares them)
    switch (m.getName()) {
      case "equals":
        return m.getParameterCount() == 1 && m.getParameterTypes()[0] == Object.class;
      case "hashCode":
      case "toString":
        return m.getParameterCount() == 0;
      default:
        return false;
    }
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

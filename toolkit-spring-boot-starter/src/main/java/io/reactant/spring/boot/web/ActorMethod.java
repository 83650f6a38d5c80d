package io.reactant.spring.boot.web;

import io.reactant.actor.CompositeQuery;
import io.reactant.actor.Query;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One shared method of an exposed actor interface, as the HTTP ingress sees it: its kind, its
 * parameters and its result, with their Candid names.
 */
final class ActorMethod {

  /** What calling the method means, as the ingress reports it. */
  enum Kind {
    UPDATE("update"), QUERY("query"), COMPOSITE_QUERY("query"), ONEWAY("oneway");

    final String json;

    Kind(String json) {
      this.json = json;
    }

    boolean isQuery() {
      return this == QUERY || this == COMPOSITE_QUERY;
    }
  }

  /** A parameter: its name (when compiled with {@code -parameters}), type and Candid name. */
  record Param(String name, Type type, String candid) {
  }

  final Method method;
  final Kind kind;
  final List<Param> params;
  /** The type inside the {@code Mono}, or null for a oneway. */
  final @Nullable Type resultType;
  final String returns;

  /**
   * @param types the types as the exposed actor interface sees them: a method it inherits from a
   *     generic interface takes and returns the type arguments it gives ({@code Strings extends
   *     Store<String>}: {@code put(T)} takes a text), which the ingress binds
   */
  ActorMethod(Method method, InterfaceTypes types) {
    this.method = method;
    this.kind = kindOf(method);
    List<Param> ps = new ArrayList<>();
    for (Parameter p : method.getParameters()) {
      Type type = types.resolve(p.getParameterizedType());
      ps.add(new Param(p.getName(), type, CandidTypes.of(type)));
    }
    this.params = List.copyOf(ps);
    this.resultType = kind == Kind.ONEWAY ? null
        : monoArgument(types.resolve(method.getGenericReturnType()));
    this.returns = resultType == null || resultType == Void.class ? "()"
        : CandidTypes.of(resultType);
  }

  String name() {
    return method.getName();
  }

  /** Returns whether the method has no result: a oneway, or a {@code Mono<Void>}. */
  boolean hasNoResult() {
    return resultType == null || resultType == Void.class;
  }

  /**
   * Returns the Candid signature, for example {@code read : () -> (int64) query}; a name Candid
   * reserves is quoted ({@code "query" : () -> (text)}).
   */
  String candid() {
    String args = params.stream().map(Param::candid).collect(Collectors.joining(", "));
    String result = hasNoResult() ? "" : returns;
    String annotation = switch (kind) {
      case QUERY -> " query";
      case COMPOSITE_QUERY -> " composite_query";
      case ONEWAY -> " oneway";
      case UPDATE -> "";
    };
    return CandidTypes.name(name()) + " : (" + args + ") -> (" + result + ")" + annotation;
  }

  /** Describes the method for {@code GET /actors}. */
  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name());
    m.put("kind", kind.json);
    m.put("params", params.stream().map(p -> Map.of("name", p.name(), "type", p.candid())).toList());
    m.put("returns", returns);
    m.put("candid", candid());
    return m;
  }

  /** Describes the parameters for error messages, for example {@code (order : text)}. */
  String signature() {
    return "(" + params.stream().map(p -> p.name() + " : " + p.candid())
        .collect(Collectors.joining(", ")) + ")";
  }

  private static Kind kindOf(Method method) {
    if (method.getReturnType() == void.class) {
      return Kind.ONEWAY;
    }
    if (method.isAnnotationPresent(Query.class)) {
      return Kind.QUERY;
    }
    return method.isAnnotationPresent(CompositeQuery.class) ? Kind.COMPOSITE_QUERY : Kind.UPDATE;
  }

  private static Type monoArgument(Type returnType) {
    return returnType instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
  }
}

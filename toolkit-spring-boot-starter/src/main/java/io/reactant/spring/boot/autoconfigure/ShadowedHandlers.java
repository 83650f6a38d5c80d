package io.reactant.spring.boot.autoconfigure;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.Resource;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;

/**
 * Fails the startup when the actor endpoints would take every request of a handler of the
 * application's: WebFlux asks the router functions, the endpoints' among them, before the
 * controllers ({@code @RequestMapping}), and the starter's routes ({@code actorIngressRoutes})
 * answer every request to {@code {base}} and to {@code {base}/{type}/{id}/{method}}, any HTTP
 * method (an unknown type is a 404, "No actor type"). A handler whose every path has that shape
 * would never be reached, which {@code reactant.http.base-path=/api} beside an {@code
 * /api/orders/{id}/cancel} of the application's would otherwise do without a word. The same holds
 * for a route of a {@code RouterFunction} bean asked after the endpoints' routes (bean order: one
 * registered after the starter's auto-configuration, as another library's may be).
 *
 * <p>What the endpoints take is read from the {@code actorIngressRoutes} bean itself: its routes
 * that are a path alone (any method), so a bean of the application's that replaces it is held to
 * what it takes (the starter's routes behind a filter: the same; POST calls alone: nothing, as a
 * handler of another method is reached). Left alone: a handler or a route with a path of another
 * shape under the base path ({@code {base}/{type}/{id}/history/all}, {@code {base}/files/**}) or
 * elsewhere, which answers what the endpoints do not take; a route asked before the endpoints'
 * (the application's own {@code RouterFunction} beans, registered before the auto-configuration,
 * by default), which answers first; a route whose paths cannot be read (a negation, a predicate
 * of the application's, resources); and the handlers of a mapping asked before the router
 * functions (Actuator's endpoints, order -100), which the endpoints never shadow.
 */
final class ShadowedHandlers implements SmartInitializingSingleton {

  static final String ROUTES_BEAN = "actorIngressRoutes";

  private final String basePath;
  private final ListableBeanFactory beanFactory;
  private final ObjectProvider<RequestMappingInfoHandlerMapping> mappings;
  private final ObjectProvider<RouterFunctionMapping> routers;

  ShadowedHandlers(String basePath, ListableBeanFactory beanFactory,
      ObjectProvider<RequestMappingInfoHandlerMapping> mappings,
      ObjectProvider<RouterFunctionMapping> routers) {
    this.basePath = basePath;
    this.beanFactory = beanFactory;
    this.mappings = mappings;
    this.routers = routers;
  }

  /** A route as a router function visits it: its predicate and its whole paths, or null. */
  private record Route(RequestPredicate predicate, @Nullable List<String> paths) {
  }

  @Override
  public void afterSingletonsInstantiated() {
    // the router functions (the endpoints' among them) are asked in the first mapping's turn
    OptionalInt routersOrder = routers.orderedStream().mapToInt(RouterFunctionMapping::getOrder)
        .min();
    if (routersOrder.isEmpty() || !beanFactory.containsBean(ROUTES_BEAN)
        || !(beanFactory.getBean(ROUTES_BEAN) instanceof RouterFunction<?> actorRoutes)) {
      return; // no router function is asked: the endpoints take nothing
    }
    List<Route> ownRoutes = routes(actorRoutes);
    Set<String> taken = new LinkedHashSet<>();
    for (Route route : ownRoutes) {
      String path = RoutePaths.onlyPath(route.predicate());
      if (path != null && route.paths() != null && route.paths().size() == 1
          && (route.paths().get(0).equals(basePath)
              || route.paths().get(0).startsWith(basePath + "/"))) {
        taken.add(route.paths().get(0)); // every request to it, whatever its method
      }
    }
    if (taken.isEmpty()) {
      return;
    }
    List<String> shadowed = new ArrayList<>();
    boolean routesShadowed = routesAfter(ownRoutes, taken, shadowed);
    mappings.orderedStream().forEach(mapping -> {
      if (mapping.getOrder() < routersOrder.getAsInt()) {
        return; // asked first (Actuator's endpoints): its handlers take their requests
      }
      for (Map.Entry<RequestMappingInfo, HandlerMethod> handler
          : mapping.getHandlerMethods().entrySet()) {
        List<String> paths = new ArrayList<>();
        boolean reachable = false;
        for (PathPattern pattern : handler.getKey().getPatternsCondition().getPatterns()) {
          paths.add(pattern.getPatternString());
          reachable |= !taken(taken, pattern.getPatternString());
        }
        if (!reachable && !paths.isEmpty()) { // reached by any path it has of another shape
          shadowed.add(handler.getValue() + " (" + String.join(", ", paths) + ")");
        }
      }
    });
    if (!shadowed.isEmpty()) {
      List<String> takenPaths = new ArrayList<>(taken);
      takenPaths.sort(Comparator.comparingInt(String::length));
      throw new InvalidConfigurationPropertyValueException("reactant.http.base-path", basePath,
          "the actor endpoints answer every request to " + String.join(" and ", takenPaths)
          + " before the application's handlers, so " + String.join(", ", shadowed)
          + " would never be reached; give the actor endpoints a base path of their own"
          + " (reactant.http.base-path), or the handler another path"
          + (routesShadowed ? " (or order the RouterFunction bean before " + ROUTES_BEAN
              + ", with @Order)" : ""));
    }
  }

  /**
   * Adds to {@code shadowed} the routes asked after the endpoints' (in the order the router
   * function mappings ask them) that these take every request of; whether it added any.
   */
  private boolean routesAfter(List<Route> ownRoutes, Set<String> taken, List<String> shadowed) {
    Set<RequestPredicate> own = Collections.newSetFromMap(new IdentityHashMap<>());
    ownRoutes.forEach(route -> own.add(route.predicate()));
    Map<RequestPredicate, String> beanOf = new IdentityHashMap<>();
    beanFactory.getBeansOfType(RouterFunction.class, false, false).forEach((name, bean) -> {
      if (!name.equals(ROUTES_BEAN)) {
        routes(bean).forEach(route -> beanOf.putIfAbsent(route.predicate(), name));
      }
    });
    boolean after = false;
    boolean added = false;
    for (RouterFunctionMapping mapping : routers.orderedStream().toList()) {
      RouterFunction<?> composed = mapping.getRouterFunction();
      if (composed == null) {
        continue;
      }
      for (Route route : routes(composed)) {
        if (own.contains(route.predicate())) {
          after = true;
        } else if (after && route.paths() != null && !route.paths().isEmpty()
            && route.paths().stream().allMatch(path -> taken(taken, path))) {
          String bean = beanOf.get(route.predicate());
          String predicate = route.predicate().toString();
          shadowed.add("the route " + String.join(", ", route.paths()) + " of the "
              + (bean != null ? "RouterFunction bean '" + bean + "'" : "router functions") + " "
              + (predicate.startsWith("(") ? predicate : "(" + predicate + ")"));
          added = true;
        }
      }
    }
    return added;
  }

  /** The routes of a router function, in the order it asks them. */
  private static List<Route> routes(RouterFunction<?> function) {
    List<Route> routes = new ArrayList<>();
    Deque<@Nullable List<String>> prefixes = new ArrayDeque<>();
    function.accept(new RouterFunctions.Visitor() {

      private @Nullable List<String> prefix() {
        return prefixes.isEmpty() ? List.of("") : prefixes.peek();
      }

      @Override
      public void startNested(RequestPredicate predicate) {
        prefixes.push(under(prefix(), RoutePaths.of(predicate), true));
      }

      @Override
      public void endNested(RequestPredicate predicate) {
        prefixes.pop();
      }

      @Override
      public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
        routes.add(new Route(predicate, under(prefix(), RoutePaths.of(predicate), false)));
      }

      @Override
      public void resources(Function<ServerRequest, Mono<Resource>> lookup) {
      }

      @Override
      public void attributes(Map<String, Object> attributes) {
      }

      @Override
      public void unknown(RouterFunction<?> routerFunction) {
      }
    });
    return routes;
  }

  /**
   * The whole paths of a route or a nest under its nests' ({@code prefixes}): null if either
   * cannot be read; a route that holds the path to nothing has none (it matches any path); a nest
   * that does holds its routes to its own nest's.
   */
  private static @Nullable List<String> under(@Nullable List<String> prefixes,
      @Nullable List<String> paths, boolean nest) {
    if (prefixes == null || paths == null) {
      return null;
    }
    if (paths.isEmpty()) {
      return nest ? prefixes : (prefixes.equals(List.of("")) ? RoutePaths.NONE : null);
    }
    List<String> whole = new ArrayList<>();
    for (String prefix : prefixes) {
      for (String path : paths) {
        whole.add(prefix.endsWith("/") && path.startsWith("/")
            ? prefix + path.substring(1) : prefix + path);
      }
    }
    return whole;
  }

  /** Whether every path the pattern matches is one the endpoints take. */
  private static boolean taken(Set<String> taken, String pattern) {
    for (String path : taken) {
      if (covers(path, pattern)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether every path {@code pattern} matches is matched by {@code path}, segment by segment:
   * a literal segment of it takes the same literal alone, a capture ({@code {type}}) any one
   * segment that is not empty and spans no more.
   */
  private static boolean covers(String path, String pattern) {
    String[] taking = path.split("/", -1);
    String[] segments = pattern.split("/", -1);
    if (taking.length != segments.length) {
      return false;
    }
    for (int i = 0; i < taking.length; i++) {
      String take = taking[i];
      String segment = segments[i];
      if (segment.contains("**") || segment.contains("{*")) {
        return false; // a segment that may span several, or none
      }
      if (isCapture(take)) {
        if (segment.isEmpty()) {
          return false;
        }
      } else if (take.contains("{") || take.contains("*") || take.contains("?")
          || !take.equals(segment)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the segment is one capture of any text ({@code {name}}), nothing else. */
  private static boolean isCapture(String segment) {
    return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")
        && segment.indexOf('{', 1) < 0 && segment.indexOf(':') < 0
        && segment.indexOf('*') < 0;
  }
}

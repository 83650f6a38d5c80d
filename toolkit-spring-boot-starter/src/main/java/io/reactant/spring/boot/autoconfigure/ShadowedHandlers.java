package io.reactant.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Fails the startup when the actor endpoints would take every request of a handler method of the
 * application's ({@code @RequestMapping}): WebFlux asks the router functions, the endpoints' among
 * them, before the controllers, and the endpoints answer every request to {@code {base}} and to
 * {@code {base}/{type}/{id}/{method}}, any HTTP method (an unknown type is a 404, "No actor
 * type"). A handler whose every path has that shape would never be reached, which {@code
 * reactant.http.base-path=/api} beside an {@code /api/orders/{id}/cancel} of the application's
 * would otherwise do without a word. Left alone: a handler with a path of another shape under the
 * base path ({@code {base}/{type}/{id}/history/all}, {@code {base}/files/**}) or elsewhere, which
 * answers what the endpoints do not take; and the handlers of a mapping asked before the router
 * functions (Actuator's endpoints, order -100), which the endpoints never shadow.
 */
final class ShadowedHandlers implements SmartInitializingSingleton {

  private final String basePath;
  private final ObjectProvider<RequestMappingInfoHandlerMapping> mappings;
  private final ObjectProvider<RouterFunctionMapping> routers;

  ShadowedHandlers(String basePath, ObjectProvider<RequestMappingInfoHandlerMapping> mappings,
      ObjectProvider<RouterFunctionMapping> routers) {
    this.basePath = basePath;
    this.mappings = mappings;
    this.routers = routers;
  }

  @Override
  public void afterSingletonsInstantiated() {
    // the router functions (the endpoints' among them) are asked in the first mapping's turn
    OptionalInt routersOrder = routers.orderedStream().mapToInt(RouterFunctionMapping::getOrder)
        .min();
    if (routersOrder.isEmpty()) {
      return; // no router function is asked: the endpoints take nothing
    }
    List<String> shadowed = new ArrayList<>();
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
          reachable |= !taken(pattern.getPatternString());
        }
        if (!reachable && !paths.isEmpty()) { // reached by any path it has of another shape
          shadowed.add(handler.getValue() + " (" + String.join(", ", paths) + ")");
        }
      }
    });
    if (!shadowed.isEmpty()) {
      throw new InvalidConfigurationPropertyValueException("reactant.http.base-path", basePath,
          "the actor endpoints answer every request to " + basePath + " and " + basePath
          + "/{type}/{id}/{method} before the application's handlers, so "
          + String.join(", ", shadowed) + " would never be reached; give the actor endpoints a"
          + " base path of their own (reactant.http.base-path), or the handler another path");
    }
  }

  /** Whether every path the pattern matches is one the endpoints take. */
  private boolean taken(String pattern) {
    if (pattern.equals(basePath)) {
      return true;
    }
    if (!pattern.startsWith(basePath + "/")) {
      return false;
    }
    String[] segments = pattern.substring(basePath.length() + 1).split("/", -1);
    if (segments.length != 3) {
      return false;
    }
    for (String segment : segments) {
      if (segment.isEmpty() || segment.contains("**") || segment.contains("{*")) {
        return false; // a segment that may span several, or none
      }
    }
    return true;
  }
}

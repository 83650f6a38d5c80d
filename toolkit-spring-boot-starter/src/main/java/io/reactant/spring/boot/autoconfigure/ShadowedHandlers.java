package io.reactant.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Fails the startup when the actor endpoints would take every request of a handler method of the
 * application's ({@code @RequestMapping}, an Actuator endpoint): WebFlux asks the router functions,
 * the endpoints' among them, before the controllers, and the endpoints answer every request to
 * {@code {base}} and to {@code {base}/{type}/{id}/{method}}, any HTTP method (an unknown type is a
 * 404, "No actor type"). A handler whose every path has that shape would never be reached, which
 * {@code reactant.http.base-path=/api} beside an {@code /api/orders/{id}/cancel} of the
 * application's would otherwise do without a word. A handler of another shape under the base path
 * ({@code {base}/{type}/{id}/history/all}, {@code {base}/files/**}) is left alone: it answers what
 * the endpoints do not take.
 */
final class ShadowedHandlers implements SmartInitializingSingleton {

  private final String basePath;
  private final ObjectProvider<RequestMappingInfoHandlerMapping> mappings;

  ShadowedHandlers(String basePath, ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
    this.basePath = basePath;
    this.mappings = mappings;
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<String> shadowed = new ArrayList<>();
    mappings.orderedStream().forEach(mapping -> {
      for (Map.Entry<RequestMappingInfo, HandlerMethod> handler
          : mapping.getHandlerMethods().entrySet()) {
        for (PathPattern pattern : handler.getKey().getPatternsCondition().getPatterns()) {
          if (taken(pattern.getPatternString())) {
            shadowed.add(handler.getValue() + " (" + pattern.getPatternString() + ")");
          }
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

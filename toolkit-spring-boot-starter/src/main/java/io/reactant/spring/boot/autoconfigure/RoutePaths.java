package io.reactant.spring.boot.autoconfigure;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;

/**
 * The path patterns a {@link RequestPredicate} holds a request to, read through Spring's visitor:
 * {@link #of} says one of which patterns every request it matches has, {@link #NONE} that it holds
 * the path to nothing (a method, a header, a query parameter), {@link #UNKNOWN} that it cannot
 * tell (a negation, a predicate of the application's, an "or" of a path and no path). Sound, not
 * complete: an "and" is read by its first part that names paths, which every request it matches
 * has; what it cannot read is never taken for a path.
 */
final class RoutePaths implements RequestPredicates.Visitor {

  /** No hold on the path: the predicate matches requests to any path. */
  static final List<String> NONE = List.of();
  /** What the predicate holds the path to cannot be read. */
  static final @Nullable List<String> UNKNOWN = null;

  /** A composite being read: its kind and what each of its parts held the path to. */
  private record Frame(char kind, List<@Nullable List<String>> parts) {
  }

  private final Deque<Frame> open = new ArrayDeque<>();
  private @Nullable List<String> result = NONE;
  private boolean simple = true;

  private RoutePaths() {
  }

  /**
   * The patterns one of which every request the predicate matches has (the paths of a nested
   * route are under those of its nest), {@link #NONE} if it holds the path to nothing, null if
   * that cannot be read.
   */
  static @Nullable List<String> of(RequestPredicate predicate) {
    RoutePaths paths = new RoutePaths();
    predicate.accept(paths);
    return paths.open.isEmpty() ? paths.result : UNKNOWN;
  }

  /** The pattern of a predicate that is only a path ({@code RequestPredicates.path}), or null. */
  static @Nullable String onlyPath(RequestPredicate predicate) {
    RoutePaths paths = new RoutePaths();
    predicate.accept(paths);
    return paths.simple && paths.open.isEmpty() && paths.result != null
        && paths.result.size() == 1 ? paths.result.get(0) : null;
  }

  private void part(@Nullable List<String> paths, boolean isPath) {
    if (open.isEmpty()) {
      simple &= isPath && result == NONE;
      result = paths;
    } else {
      simple = false;
      open.peek().parts().add(paths);
    }
  }

  private void start(char kind) {
    simple = false;
    open.push(new Frame(kind, new ArrayList<>()));
  }

  private void end() {
    if (open.isEmpty()) {
      return; // unbalanced: left UNKNOWN by of()
    }
    Frame frame = open.pop();
    List<@Nullable List<String>> parts = frame.parts();
    List<String> combined;
    switch (frame.kind()) {
      case '&' -> {
        combined = NONE;
        for (List<String> p : parts) {
          if (p == UNKNOWN) {
            combined = UNKNOWN; // unless a part names paths, which the request must have
          } else if (!p.isEmpty()) {
            combined = p;
            break;
          }
        }
      }
      case '|' -> {
        List<String> union = new ArrayList<>();
        for (List<String> p : parts) {
          if (p == UNKNOWN || p.isEmpty()) {
            union = null; // a part that matches any path, or cannot be read
            break;
          }
          union.addAll(p);
        }
        combined = union;
      }
      default -> combined = UNKNOWN; // a negation: any path but some
    }
    part(combined, false);
  }

  @Override
  public void path(String pattern) {
    part(List.of(pattern), true);
  }

  @Override
  public void method(Set<HttpMethod> methods) {
    part(NONE, false);
  }

  @Override
  public void pathExtension(String extension) {
    part(NONE, false);
  }

  @Override
  public void header(String name, String value) {
    part(NONE, false);
  }

  @Override
  public void queryParam(String name, String value) {
    part(NONE, false);
  }

  @Override
  public void version(String version) {
    part(NONE, false);
  }

  @Override
  public void startAnd() {
    start('&');
  }

  @Override
  public void and() {
  }

  @Override
  public void endAnd() {
    end();
  }

  @Override
  public void startOr() {
    start('|');
  }

  @Override
  public void or() {
  }

  @Override
  public void endOr() {
    end();
  }

  @Override
  public void startNegate() {
    start('!');
  }

  @Override
  public void endNegate() {
    end();
  }

  @Override
  public void unknown(RequestPredicate predicate) {
    part(UNKNOWN, false);
  }
}

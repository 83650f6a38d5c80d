package io.reactant.internal;

import org.jspecify.annotations.Nullable;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

/**
 * Tells Reactor's scalar sources ({@code Mono.just}, {@code Mono.empty}, {@code Mono.error} with a
 * value or a supplier) apart from every other {@code Mono} by their exact class, so that the
 * runtime reads their outcome without subscribing.
 *
 * <p>Why not {@code instanceof Fuseable.ScalarCallable}: on JDK 17 to 22 an {@code instanceof}
 * test against an interface that fails, at a site that has seen many classes, scans the class's
 * list of secondary supertypes with a slow instruction ({@code repne scas}, about 20 ns on the
 * benchmark machine, JDK-8180450; JDK 23 made it a constant-time bitmap test). The runtime asks
 * the question for every turn that a method's {@code Mono} starts, and the answer is "no" for
 * nearly every {@code Mono} worth subscribing to, so it compares classes instead (a pointer
 * comparison). Any other scalar source, or one wrapped by an assembly hook, is not recognised and
 * is subscribed to, which gives the same outcome.
 */
final class ScalarMonos {

  private static final Class<?> JUST = scalarClass(Mono.just(Boolean.TRUE));
  private static final Class<?> EMPTY = scalarClass(Mono.empty());
  private static final Class<?> ERROR = scalarClass(Mono.error(new IllegalStateException()));
  private static final Class<?> ERROR_SUPPLIED =
      scalarClass(Mono.error(IllegalStateException::new));

  private ScalarMonos() {
  }

  /**
   * Returns {@code result} as a scalar source when it is one of Reactor's own, else null (then
   * subscribe to it).
   */
  static Fuseable.@Nullable ScalarCallable<?> scalar(@Nullable Object result) {
    if (result == null) {
      return null;
    }
    Class<?> k = result.getClass();
    return k == JUST || k == EMPTY || k == ERROR || k == ERROR_SUPPLIED
        ? (Fuseable.ScalarCallable<?>) result : null;
  }

  /**
   * The class of {@code mono} if it is a scalar source (an assembly hook installed when this class
   * is initialised may wrap it in one that is not), else {@link Void} (matches no {@code Mono}).
   */
  private static Class<?> scalarClass(Mono<?> mono) {
    return mono instanceof Fuseable.ScalarCallable<?> ? mono.getClass() : Void.class;
  }
}

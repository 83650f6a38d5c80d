package io.reactant.spring.boot.web;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import reactor.util.context.ContextView;

/**
 * Sets, around the ingress's call to an actor, the thread-locals of the values that the request's
 * Reactor Context holds for the accessors of Micrometer's global {@code ContextRegistry} (on
 * WebFlux the request's observation lives there, not in a thread-local, unless Reactor's automatic
 * propagation is on), so that the call captures them for its turns; the thread's own values are
 * put back after it. Values the Reactor Context lacks are left as the thread holds them.
 * Thread-safe. Loaded only where Micrometer's context-propagation library is present.
 */
final class ReactorContextThreadLocals {

  private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

  private ReactorContextThreadLocals() {
  }

  /** Returns one, or null when Micrometer's context-propagation library is not present. */
  static @Nullable ReactorContextThreadLocals ifPresent(@Nullable ClassLoader loader) {
    return ClassUtils.isPresent("io.micrometer.context.ContextSnapshotFactory", loader)
        ? new ReactorContextThreadLocals() : null;
  }

  /** Runs {@code call} in the thread-locals {@code context} holds, then puts back the thread's. */
  <T> T callIn(ContextView context, Supplier<T> call) {
    if (context.isEmpty()) {
      return call.get();
    }
    try (ContextSnapshot.Scope restored = snapshots.setThreadLocalsFrom(context)) {
      return call.get();
    }
  }
}

package io.reactant.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * One shared method of an actor interface, resolved once: its kind and a method handle that
 * invokes it on an implementation with an argument array.
 */
final class MethodInfo {

  /** What calling the method means. */
  enum Kind {
    /** An update: a message queued in the mailbox, executed as one or more turns. */
    UPDATE,
    /** A {@code void} method: an update whose result and errors the caller never sees. */
    ONEWAY,
    /** A query: reads committed state at once, without entering the mailbox. */
    QUERY,
    /** A composite query: a query that may await other queries. */
    COMPOSITE_QUERY;

    boolean isQuery() {
      return this == QUERY || this == COMPOSITE_QUERY;
    }
  }

  private static final MethodType INVOKER_TYPE =
      MethodType.methodType(Object.class, Object.class, Object[].class);

  final @Nullable Method method;
  final Kind kind;
  final String name;
  final String displayName;
  private final @Nullable MethodHandle invoker;

  /** A job of the runtime itself (a timer firing), run as a oneway turn. */
  private MethodInfo(String name, String displayName) {
    this.method = null;
    this.kind = Kind.ONEWAY;
    this.name = name;
    this.displayName = displayName;
    this.invoker = null;
  }

  /**
   * A job of the runtime: {@code name} is what listeners see, the same for every job of its kind
   * (a metric's tag: never an id, which would make one per job); {@code displayName} tells this
   * job from the others in messages and logs.
   */
  static MethodInfo job(String name, String displayName) {
    return new MethodInfo(name, displayName);
  }

  MethodInfo(Method method, Kind kind) {
    this.method = method;
    this.kind = kind;
    this.name = method.getName();
    this.displayName = method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
    try {
      method.setAccessible(true);
      this.invoker = MethodHandles.lookup()
          .unreflect(method)
          .asSpreader(Object[].class, method.getParameterCount())
          .asType(INVOKER_TYPE);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException("Cannot access the shared method " + method, e);
    }
  }

  /** Returns whether {@code instance} implements this method (synthetic jobs: always). */
  boolean isImplementedBy(Object instance) {
    Method m = method;
    return m == null || m.getDeclaringClass().isInstance(instance);
  }

  /** Invokes the method on {@code target}; exceptions thrown by the method propagate unchanged. */
  @Nullable Object invoke(Object target, Object[] args) throws Throwable {
    MethodHandle h = invoker;
    if (h == null) {
      throw new IllegalStateException(displayName + " is a runtime job, not a method");
    }
    return h.invokeExact(target, args);
  }

  @Override
  public String toString() {
    return displayName;
  }
}

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
  /**
   * The interface an actor's class must implement for a call of this method to reach it: the
   * reference's interface, whose table holds this entry (null for a job). A method the interface
   * inherits is implemented by actors of sibling interfaces too; they are not reached through it
   * (rules R1, R23).
   */
  private final @Nullable Class<?> requiredType;
  private final @Nullable MethodHandle invoker;

  /** A job of the runtime itself (a timer firing), run as a oneway turn. */
  private MethodInfo(String name, String displayName) {
    this.method = null;
    this.kind = Kind.ONEWAY;
    this.name = name;
    this.displayName = displayName;
    this.requiredType = null;
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

  /** The entry of {@code method} in the table of {@code referenceType}, which has it. */
  MethodInfo(Method method, Kind kind, Class<?> referenceType) {
    this.method = method;
    this.requiredType = referenceType;
    this.kind = kind;
    this.name = method.getName();
    this.displayName = method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
    try {
      method.setAccessible(true);
      // a varargs method's handle is a collector, whose asType would wrap the caller's array in
      // another (its trailing Object is taken as one element): the proxy passes the array itself
      this.invoker = MethodHandles.lookup()
          .unreflect(method)
          .asFixedArity()
          .asSpreader(Object[].class, method.getParameterCount())
          .asType(INVOKER_TYPE);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException("Cannot access the shared method " + method, e);
    }
  }

  /**
   * Returns whether a call of this method through its reference's interface may run on {@code
   * instance}: whether the instance implements that interface, not only the one declaring the
   * method (synthetic jobs: always). The runtime asks only when the actor's type is not the
   * reference's: the common call pays nothing for it.
   */
  boolean isImplementedBy(Object instance) {
    Class<?> t = requiredType;
    return t == null || t.isInstance(instance);
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

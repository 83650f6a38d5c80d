package io.reactant.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * The constructor of the JDK proxy class of each actor interface, looked up once: creating a
 * reference then costs one constructor call, not a proxy-class lookup per reference.
 *
 * <p>In a native image the proxy class exists only if the image has a proxy hint for the
 * interface (the Spring Boot starter registers one per declared actor type); GraalVM registers
 * that class's {@code InvocationHandler} constructor with it, which the method handle here calls.
 * The constructor is found by a method handle lookup rather than {@code Class.getConstructor}:
 * the proxy class's name is chosen at run time, so no reflection hint could name it.
 */
final class ProxyConstructors {

  private static final ClassValue<MethodHandle> CONSTRUCTORS = new ClassValue<>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      Object sample = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
          (proxy, method, args) -> null);
      try {
        return MethodHandles.lookup()
            .findConstructor(sample.getClass(),
                MethodType.methodType(void.class, InvocationHandler.class))
            .asType(MethodType.methodType(Object.class, InvocationHandler.class));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Cannot construct proxies of " + type.getName(), e);
      }
    }
  };

  private ProxyConstructors() {
  }

  /** Returns a new proxy of {@code type} calling {@code handler}. */
  static Object newProxy(Class<?> type, InvocationHandler handler) {
    try {
      return CONSTRUCTORS.get(type).invokeExact(handler);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("Cannot construct a proxy of " + type.getName(), t);
    }
  }
}

package io.reactant.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * The constructor of the JDK proxy class of each actor interface, looked up once: creating a
 * reference then costs one constructor call, not a proxy-class lookup per reference.
 */
final class ProxyConstructors {

  private static final ClassValue<MethodHandle> CONSTRUCTORS = new ClassValue<>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      Object sample = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
          (proxy, method, args) -> null);
      try {
        return MethodHandles.lookup()
            .unreflectConstructor(sample.getClass().getConstructor(InvocationHandler.class))
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

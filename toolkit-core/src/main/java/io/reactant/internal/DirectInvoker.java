package io.reactant.internal;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * Calls one shared method of an actor interface with a compiled call site of its own.
 *
 * <p>A {@code MethodHandle} held in a field is not a constant to the JIT compiler, so invoking it
 * runs through its lambda forms at every call: a tenth to a fifth of a short turn's time in the
 * profiles. Here each method gets a class of its own, spun by {@link LambdaMetafactory}, whose
 * single call site invokes the interface method directly (and is compiled and inlined like any
 * other). It spreads up to {@value #MAX_ARITY} arguments; a method with more, or whose interface,
 * parameter or return types the generated class could not name (not public, or loaded by a loader
 * this class cannot see), keeps the method handle ({@link #of} returns null).
 *
 * <p>Arguments are passed as they come from the proxy: boxed primitives are unboxed by the
 * generated class; a null for a primitive parameter throws {@link NullPointerException}, like
 * the method handle would. Whatever the method throws propagates unchanged.
 */
abstract class DirectInvoker {

  /** The most arguments a direct invoker spreads. */
  static final int MAX_ARITY = 4;

  /** Invokes the method on {@code target} with {@code args} (exactly its arity). */
  abstract @Nullable Object invoke(Object target, Object[] args) throws Throwable;

  /**
   * Returns a direct invoker of {@code method} (accessible already), or null when it cannot have
   * one (see the class comment).
   */
  static @Nullable DirectInvoker of(Method method) {
    int arity = method.getParameterCount();
    if (arity > MAX_ARITY || !isUsable(method.getDeclaringClass())
        || !isUsable(method.getReturnType())) {
      return null;
    }
    for (Class<?> p : method.getParameterTypes()) {
      if (!isUsable(p)) {
        return null;
      }
    }
    boolean returnsVoid = method.getReturnType() == void.class;
    Class<?> face = FACES[returnsVoid ? 1 : 0][arity];
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MethodHandle impl = lookup.unreflect(method);
      MethodType erased = MethodType.genericMethodType(arity + 1);
      if (returnsVoid) {
        erased = erased.changeReturnType(void.class);
      }
      MethodType instantiated = impl.type().wrap();
      if (returnsVoid) {
        instantiated = instantiated.changeReturnType(void.class);
      }
      Object function = LambdaMetafactory.metafactory(lookup, "call", MethodType.methodType(face),
          erased, impl, instantiated).getTarget().invoke();
      return returnsVoid ? new VoidCall(arity, function) : new ValueCall(arity, function);
    } catch (Throwable e) {
      return null; // the method handle serves it instead
    }
  }

  /**
   * Whether the generated class can name {@code type}: a primitive, or a public class (every class
   * enclosing it public too) that this class's loader resolves to the same class. The generated
   * class lives in this package and loader; a type it could not resolve (an interface loaded by a
   * child loader, as a development-time restart loader does) would fail at the first call, not
   * here.
   */
  private static boolean isUsable(Class<?> type) {
    Class<?> c = type;
    while (c.isArray()) {
      c = c.getComponentType();
    }
    if (c.isPrimitive()) {
      return true;
    }
    for (Class<?> e = c; e != null; e = e.getEnclosingClass()) {
      if (!Modifier.isPublic(e.getModifiers())) {
        return false;
      }
    }
    try {
      return Class.forName(c.getName(), false, DirectInvoker.class.getClassLoader()) == c;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  // the shapes the generated classes implement: a method returning a value (a Mono), or void

  interface R0 {
    Object call(Object t);
  }

  interface R1 {
    Object call(Object t, Object a);
  }

  interface R2 {
    Object call(Object t, Object a, Object b);
  }

  interface R3 {
    Object call(Object t, Object a, Object b, Object c);
  }

  interface R4 {
    Object call(Object t, Object a, Object b, Object c, Object d);
  }

  interface V0 {
    void call(Object t);
  }

  interface V1 {
    void call(Object t, Object a);
  }

  interface V2 {
    void call(Object t, Object a, Object b);
  }

  interface V3 {
    void call(Object t, Object a, Object b, Object c);
  }

  interface V4 {
    void call(Object t, Object a, Object b, Object c, Object d);
  }

  private static final Class<?>[][] FACES = {
      {R0.class, R1.class, R2.class, R3.class, R4.class},
      {V0.class, V1.class, V2.class, V3.class, V4.class},
  };

  // one field per arity, the one of the method's arity set: a final field of an interface type
  // whose value has one class is a call the JIT can inline

  /** A method returning a value. */
  private static final class ValueCall extends DirectInvoker {
    private final int arity;
    private final @Nullable R0 r0;
    private final @Nullable R1 r1;
    private final @Nullable R2 r2;
    private final @Nullable R3 r3;
    private final @Nullable R4 r4;

    ValueCall(int arity, Object f) {
      this.arity = arity;
      this.r0 = arity == 0 ? (R0) f : null;
      this.r1 = arity == 1 ? (R1) f : null;
      this.r2 = arity == 2 ? (R2) f : null;
      this.r3 = arity == 3 ? (R3) f : null;
      this.r4 = arity == 4 ? (R4) f : null;
    }

    @Override
    @Nullable Object invoke(Object t, Object[] a) {
      switch (arity) {
        case 0: return r0.call(t);
        case 1: return r1.call(t, a[0]);
        case 2: return r2.call(t, a[0], a[1]);
        case 3: return r3.call(t, a[0], a[1], a[2]);
        default: return r4.call(t, a[0], a[1], a[2], a[3]);
      }
    }
  }

  /** A {@code void} method (a oneway): returns null. */
  private static final class VoidCall extends DirectInvoker {
    private final int arity;
    private final @Nullable V0 v0;
    private final @Nullable V1 v1;
    private final @Nullable V2 v2;
    private final @Nullable V3 v3;
    private final @Nullable V4 v4;

    VoidCall(int arity, Object f) {
      this.arity = arity;
      this.v0 = arity == 0 ? (V0) f : null;
      this.v1 = arity == 1 ? (V1) f : null;
      this.v2 = arity == 2 ? (V2) f : null;
      this.v3 = arity == 3 ? (V3) f : null;
      this.v4 = arity == 4 ? (V4) f : null;
    }

    @Override
    @Nullable Object invoke(Object t, Object[] a) {
      switch (arity) {
        case 0: v0.call(t); break;
        case 1: v1.call(t, a[0]); break;
        case 2: v2.call(t, a[0], a[1]); break;
        case 3: v3.call(t, a[0], a[1], a[2]); break;
        default: v4.call(t, a[0], a[1], a[2], a[3]); break;
      }
      return null;
    }
  }
}

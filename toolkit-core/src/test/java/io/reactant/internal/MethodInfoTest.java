package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How the runtime invokes a shared method on an actor's instance: arguments spread from the array
 * the proxy built, primitives unboxed, the result or the exception passed on unchanged, whatever
 * the interface's visibility or class loader.
 */
public class MethodInfoTest {

  /** Methods of 0 to 5 arguments, returning values of primitive and reference types. */
  public interface Returning {
    String none();

    int one(int a);

    long two(long a, String b);

    double three(double a, boolean b, char c);

    List<Object> four(Object a, byte b, short c, float d);

    String five(String a, String b, String c, String d, String e);
  }

  /** Every arity of a {@code void} method. */
  public interface Oneways {
    void none();

    void one(String a);

    void two(int a, int b);

    void three(String a, long b, Object c);

    void four(int a, int b, int c, int d);
  }

  /** Methods that throw what they are given. */
  public interface Throwing {
    Object raise(RuntimeException e);

    void raiseError(Error e);
  }

  /** A public interface taking a type the generated class cannot name. */
  public interface TakesHidden {
    int size(Hidden h);
  }

  static final class Hidden {
    final int size = 3;
  }

  /** An interface the generated class cannot name at all. */
  interface PackagePrivate {
    int twice(int a);
  }

  private static MethodInfo info(Class<?> type, String name) {
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name)) {
        return new MethodInfo(m, MethodInfo.Kind.UPDATE, type);
      }
    }
    throw new AssertionError("no method " + name + " in " + type);
  }

  private static final Returning RETURNING = new Returning() {
    @Override
    public String none() {
      return "none";
    }

    @Override
    public int one(int a) {
      return a + 1;
    }

    @Override
    public long two(long a, String b) {
      return a * b.length();
    }

    @Override
    public double three(double a, boolean b, char c) {
      return b ? a + c : a - c;
    }

    @Override
    public List<Object> four(Object a, byte b, short c, float d) {
      return List.of(a, b, c, d);
    }

    @Override
    public String five(String a, String b, String c, String d, String e) {
      return a + b + c + d + e;
    }
  };

  @Test
  @DisplayName("methods with 0 to 4 arguments of primitive and reference types get their arguments"
      + " unboxed and return what the method returns")
  void everyArityWithPrimitivesAndReferences() throws Throwable {
    assertThat(info(Returning.class, "none").invoke(RETURNING, new Object[0])).isEqualTo("none");
    assertThat(info(Returning.class, "one").invoke(RETURNING, new Object[] {41})).isEqualTo(42);
    assertThat(info(Returning.class, "two").invoke(RETURNING, new Object[] {7L, "abc"}))
        .isEqualTo(21L);
    assertThat(info(Returning.class, "three").invoke(RETURNING, new Object[] {1.5, true, 'a'}))
        .isEqualTo(1.5 + 'a');
    assertThat(info(Returning.class, "four").invoke(RETURNING,
        new Object[] {"x", (byte) 1, (short) 2, 3.0f}))
        .isEqualTo(List.of("x", (byte) 1, (short) 2, 3.0f));
  }

  @Test
  @DisplayName("a method with 5 arguments gets them all, in order")
  void fiveArguments() throws Throwable {
    MethodInfo five = info(Returning.class, "five");
    assertThat(five.invoke(RETURNING, new Object[] {"a", "b", "c", "d", "e"})).isEqualTo("abcde");
  }

  @Test
  @DisplayName("void methods of every arity run once with their arguments and return null")
  void voidMethodsOfEveryArity() throws Throwable {
    List<Object> seen = new ArrayList<>();
    Oneways target = new Oneways() {
      @Override
      public void none() {
        seen.add("none");
      }

      @Override
      public void one(String a) {
        seen.add(a);
      }

      @Override
      public void two(int a, int b) {
        seen.add(a + b);
      }

      @Override
      public void three(String a, long b, Object c) {
        seen.add(a + b + c);
      }

      @Override
      public void four(int a, int b, int c, int d) {
        seen.add(a * b * c * d);
      }
    };
    assertThat(info(Oneways.class, "none").invoke(target, new Object[0])).isNull();
    assertThat(info(Oneways.class, "one").invoke(target, new Object[] {"a"})).isNull();
    assertThat(info(Oneways.class, "two").invoke(target, new Object[] {2, 3})).isNull();
    assertThat(info(Oneways.class, "three").invoke(target, new Object[] {"b", 4L, null})).isNull();
    assertThat(info(Oneways.class, "four").invoke(target, new Object[] {1, 2, 3, 4})).isNull();
    assertThat(seen).containsExactly("none", "a", 5, "b4null", 24);
  }

  @Test
  @DisplayName("what the method throws, a runtime exception or an error, propagates as the same"
      + " instance")
  void throwablesPropagateUnchanged() {
    Throwing target = new Throwing() {
      @Override
      public Object raise(RuntimeException e) {
        throw e;
      }

      @Override
      public void raiseError(Error e) {
        throw e;
      }
    };
    MethodInfo raise = info(Throwing.class, "raise");
    MethodInfo raiseError = info(Throwing.class, "raiseError");
    IllegalStateException trap = new IllegalStateException("trap");
    assertThatThrownBy(() -> raise.invoke(target, new Object[] {trap})).isSameAs(trap);
    AssertionError error = new AssertionError("error");
    assertThatThrownBy(() -> raiseError.invoke(target, new Object[] {error})).isSameAs(error);
  }

  @Test
  @DisplayName("a null for a primitive parameter throws NullPointerException without running the"
      + " method")
  void nullForAPrimitiveThrowsNullPointerException() {
    int[] runs = {0};
    Returning target = new Returning() {
      @Override
      public String none() {
        return null;
      }

      @Override
      public int one(int a) {
        runs[0]++;
        return a;
      }

      @Override
      public long two(long a, String b) {
        return 0;
      }

      @Override
      public double three(double a, boolean b, char c) {
        return 0;
      }

      @Override
      public List<Object> four(Object a, byte b, short c, float d) {
        return null;
      }

      @Override
      public String five(String a, String b, String c, String d, String e) {
        return null;
      }
    };
    assertThatThrownBy(() -> info(Returning.class, "one").invoke(target, new Object[] {null}))
        .isInstanceOf(NullPointerException.class);
    assertThat(runs[0]).isZero();
  }

  @Test
  @DisplayName("methods of a package-private interface, or taking a package-private type, are"
      + " invoked like any other")
  void nonPublicTypes() throws Throwable {
    MethodInfo twice = info(PackagePrivate.class, "twice");
    assertThat(twice.invoke((PackagePrivate) a -> 2 * a, new Object[] {21})).isEqualTo(42);
    MethodInfo size = info(TakesHidden.class, "size");
    assertThat(size.invoke((TakesHidden) h -> h.size, new Object[] {new Hidden()})).isEqualTo(3);
  }

  @Test
  @DisplayName("a method of an interface loaded by a class loader the runtime cannot see is invoked")
  void interfaceOfAnotherLoader() throws Throwable {
    URL classes = MethodInfoTest.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, null)) {
      Class<?> foreign = isolated.loadClass(Returning.class.getName());
      assertThat(foreign).isNotSameAs(Returning.class);
      MethodInfo one = new MethodInfo(foreign.getMethod("one", int.class), MethodInfo.Kind.UPDATE,
          foreign);
      Object target = Proxy.newProxyInstance(isolated, new Class<?>[] {foreign},
          (proxy, method, args) -> (Integer) args[0] * 3);
      assertThat(one.invoke(target, new Object[] {5})).isEqualTo(15);
    }
  }
}

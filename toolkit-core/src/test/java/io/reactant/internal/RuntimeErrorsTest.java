package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.ActorId;
import io.reactant.error.CallError;
import io.reactant.error.TrapSite;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link RuntimeErrors} gets {@code CallError}'s makers whichever class is initialized first, and
 * from {@code CallError} only, so that no code claims a trap's site or an actor of another type.
 * The cases that need neither class initialized load the toolkit's classes afresh, in a class
 * loader of their own.
 */
class RuntimeErrorsTest {

  /** The toolkit's classes (and the rest of the class path), none of them initialized. */
  private static URLClassLoader fresh() throws Exception {
    String[] path = System.getProperty("java.class.path").split(File.pathSeparator);
    URL[] urls = new URL[path.length];
    for (int i = 0; i < path.length; i++) {
      urls[i] = new File(path[i]).toURI().toURL();
    }
    return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
  }

  /** A trap's error made by the fresh copy of RuntimeErrors, and its site. */
  private static Optional<?> siteOfATrap(ClassLoader loader) throws Exception {
    Class<?> actorId = Class.forName("io.reactant.actor.ActorId", true, loader);
    Object id = actorId.getMethod("of", String.class).invoke(null, "k1");
    Class<?> errors = Class.forName(RuntimeErrors.class.getName(), true, loader);
    Method trapped = errors.getDeclaredMethod("trapped", actorId, Class.class, String.class,
        String.class, Throwable.class);
    trapped.setAccessible(true);
    Object error = trapped.invoke(null, id, Runnable.class, "Runnable.run()",
        "k1 trapped in Runnable.run(): x", new IllegalStateException("x"));
    return (Optional<?>) error.getClass().getMethod("trapSite").invoke(error);
  }

  /** A refusal of a call to an actor of another type made by the fresh copy, and its actor. */
  private static Object actorOfARefusal(ClassLoader loader, Object id) throws Exception {
    Class<?> errors = Class.forName(RuntimeErrors.class.getName(), true, loader);
    Method refusal = errors.getDeclaredMethod("ofAnotherType", id.getClass(), String.class);
    refusal.setAccessible(true);
    Object error = refusal.invoke(null, id, "actor till (Till) has no method Shop.take()");
    return ((Optional<?>) error.getClass().getMethod("actorOfAnotherType").invoke(error))
        .orElseThrow();
  }

  @Test
  @DisplayName("R12 a trap's error has its site when RuntimeErrors is used before CallError was"
      + " initialized, and when CallError was first")
  void eitherClassFirst() throws Exception {
    try (URLClassLoader loader = fresh()) {
      assertThat(siteOfATrap(loader)).isPresent();
    }
    try (URLClassLoader loader = fresh()) {
      Class.forName("io.reactant.error.CallError", true, loader);
      assertThat(siteOfATrap(loader)).isPresent();
    }
  }

  @Test
  @DisplayName("R12 a trap's error has its site while another thread initializes CallError")
  void racingTheInitialization() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        try (URLClassLoader loader = fresh()) {
          CyclicBarrier start = new CyclicBarrier(2);
          Future<?> init = threads.submit(() -> {
            start.await();
            return Class.forName("io.reactant.error.CallError", true, loader);
          });
          Future<Optional<?>> trap = threads.submit(() -> {
            start.await();
            return siteOfATrap(loader);
          });
          init.get(10, TimeUnit.SECONDS);
          assertThat(trap.get(10, TimeUnit.SECONDS)).isPresent();
        }
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  @DisplayName("R12 R23 only CallError installs the makers: a call of install from elsewhere"
      + " before CallError is initialized is refused, and traps' sites and refusals' actors"
      + " still work")
  void installFromElsewhereIsRefused() throws Exception {
    try (URLClassLoader loader = fresh()) {
      Class<?> errors = Class.forName(RuntimeErrors.class.getName(), true, loader);
      Class<?> makersType = Class.forName(RuntimeErrors.Makers.class.getName(), true, loader);
      Object forged = Proxy.newProxyInstance(loader, new Class<?>[] {makersType},
          (proxy, method, args) -> {
            throw new AssertionError("the forged makers were used");
          });
      Method install = errors.getMethod("install", makersType);
      assertThatThrownBy(() -> install.invoke(null, forged))
          .isInstanceOf(InvocationTargetException.class)
          .cause().isInstanceOf(IllegalCallerException.class);
      Class.forName("io.reactant.error.CallError", true, loader); // initializes without error
      assertThat(siteOfATrap(loader)).isPresent();
      Class<?> actorId = Class.forName(ActorId.class.getName(), true, loader);
      Object id = actorId.getMethod("of", String.class).invoke(null, "till");
      assertThat(actorOfARefusal(loader, id)).isEqualTo(id);
    }
  }

  @Test
  @DisplayName("R12 R23 a second install, from anywhere but CallError, is refused")
  void installAfterCallErrorIsRefused() {
    assertThat(CallError.reject("initialized").trapSite()).isEmpty();
    assertThat(CallError.reject("initialized").actorOfAnotherType()).isEmpty();
    RuntimeErrors.Makers forged = new RuntimeErrors.Makers() {
      @Override
      public CallError trapped(TrapSite site, String message, Throwable cause) {
        throw new AssertionError("the forged makers were used");
      }

      @Override
      public CallError ofAnotherType(ActorId actor, String message) {
        throw new AssertionError("the forged makers were used");
      }
    };
    assertThatThrownBy(() -> RuntimeErrors.install(forged))
        .isInstanceOf(IllegalCallerException.class);
    assertThat(RuntimeErrors.ofAnotherType(ActorId.of("k"), "m").actorOfAnotherType())
        .contains(ActorId.of("k"));
    assertThat(RuntimeErrors.trapped(ActorId.of("k"), Runnable.class, "Runnable.run()", "m",
        new IllegalStateException("x")).trapSite()).isPresent();
  }
}

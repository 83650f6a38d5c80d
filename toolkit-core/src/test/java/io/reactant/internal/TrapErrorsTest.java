package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * {@link TrapErrors} gets {@code CallError}'s maker whichever class is initialized first. Each case
 * loads the toolkit's classes afresh, in a class loader of its own, so that neither is initialized
 * yet.
 */
class TrapErrorsTest {

  /** The toolkit's classes (and the rest of the class path), none of them initialized. */
  private static URLClassLoader fresh() throws Exception {
    String[] path = System.getProperty("java.class.path").split(File.pathSeparator);
    URL[] urls = new URL[path.length];
    for (int i = 0; i < path.length; i++) {
      urls[i] = new File(path[i]).toURI().toURL();
    }
    return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
  }

  /** A trap's error made by the fresh copy of TrapErrors, and its site. */
  private static Optional<?> siteOfATrap(ClassLoader loader) throws Exception {
    Class<?> actorId = Class.forName("io.reactant.actor.ActorId", true, loader);
    Object id = actorId.getMethod("of", String.class).invoke(null, "k1");
    Class<?> trapErrors = Class.forName(TrapErrors.class.getName(), true, loader);
    Method trapped = trapErrors.getDeclaredMethod("trapped", actorId, Class.class, String.class,
        String.class, Throwable.class);
    trapped.setAccessible(true);
    Object error = trapped.invoke(null, id, Runnable.class, "Runnable.run()",
        "k1 trapped in Runnable.run(): x", new IllegalStateException("x"));
    return (Optional<?>) error.getClass().getMethod("trapSite").invoke(error);
  }

  @Test
  @DisplayName("R12 a trap's error has its site when TrapErrors is used before CallError was"
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
  @DisplayName("R12 only CallError installs the maker: a call of install from elsewhere before"
      + " CallError is initialized is refused, and CallError and its traps' sites still work")
  void installFromElsewhereIsRefused() throws Exception {
    try (URLClassLoader loader = fresh()) {
      Class<?> trapErrors = Class.forName(TrapErrors.class.getName(), true, loader);
      Class<?> makerType = Class.forName(TrapErrors.Maker.class.getName(), true, loader);
      Object forged = Proxy.newProxyInstance(loader, new Class<?>[] {makerType},
          (proxy, method, args) -> {
            throw new AssertionError("the forged maker was used");
          });
      Method install = trapErrors.getMethod("install", makerType);
      assertThatThrownBy(() -> install.invoke(null, forged))
          .isInstanceOf(InvocationTargetException.class)
          .cause().isInstanceOf(IllegalCallerException.class);
      Class.forName("io.reactant.error.CallError", true, loader); // initializes without error
      assertThat(siteOfATrap(loader)).isPresent();
    }
  }

  @Test
  @DisplayName("R12 a second install, from anywhere but CallError, is refused")
  void installAfterCallErrorIsRefused() {
    assertThat(io.reactant.error.CallError.reject("initialized").trapSite()).isEmpty();
    TrapErrors.Maker forged = (site, message, cause) -> {
      throw new AssertionError("the forged maker was used");
    };
    assertThatThrownBy(() -> TrapErrors.install(forged))
        .isInstanceOf(IllegalCallerException.class);
  }
}

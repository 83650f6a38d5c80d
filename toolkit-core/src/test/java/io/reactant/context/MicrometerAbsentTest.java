package io.reactant.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Micrometer's context-propagation is an optional dependency of toolkit-core: an application
 * without it on its class path creates, calls and shuts down a system, and nothing of core loads
 * {@link MicrometerContextPropagation} unless the application names it.
 */
class MicrometerAbsentTest {

  private static final String HIDDEN = "io.micrometer.context.";

  @Test
  @DisplayName("a system is created, called and shut down where io.micrometer.context is absent,"
      + " and no class of core loads MicrometerContextPropagation")
  void coreRunsWithoutMicrometerContextPropagation() throws Exception {
    WithoutMicrometer loader = new WithoutMicrometer(MicrometerAbsentTest.class.getClassLoader());
    assertThatThrownBy(() -> Class.forName(HIDDEN + "ContextRegistry", false, loader))
        .isInstanceOf(ClassNotFoundException.class);

    Class<?> application = Class.forName(PlainJavaSystem.class.getName(), true, loader);
    assertThat(application.getClassLoader()).isSameAs(loader);
    @SuppressWarnings("unchecked")
    Supplier<String> run =
        (Supplier<String>) application.getDeclaredConstructor().newInstance();

    assertThat(run.get()).isEqualTo("bumped to 2, propagation false");
    assertThat(loader.hasLoaded("io.reactant.actor.ActorSystem")).isTrue();
    assertThat(loader.hasLoaded("reactor.core.publisher.Mono")).isTrue();
    assertThat(loader.hasLoaded(MicrometerContextPropagation.class.getName())).isFalse();
  }

  /**
   * Loads every class but the JDK's itself (from the test's class path: core, Reactor, the test's
   * classes), so that none of them sees a class its own loader would have; hides every class and
   * resource of {@code io.micrometer.context}, as a class path without the library does.
   */
  private static final class WithoutMicrometer extends ClassLoader {

    private final ClassLoader source;

    WithoutMicrometer(ClassLoader source) {
      super("without-micrometer", ClassLoader.getPlatformClassLoader());
      this.source = source;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      if (name.startsWith(HIDDEN)) {
        throw new ClassNotFoundException(name);
      }
      String path = name.replace('.', '/') + ".class";
      try (InputStream in = source.getResourceAsStream(path)) {
        if (in == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] bytes = in.readAllBytes();
        return defineClass(name, bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    protected URL findResource(String name) {
      return hidden(name) ? null : source.getResource(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
      return hidden(name) ? Collections.emptyEnumeration() : source.getResources(name);
    }

    private static boolean hidden(String resource) {
      return resource.replace('/', '.').startsWith(HIDDEN)
          || resource.startsWith("META-INF/services/" + HIDDEN);
    }

    boolean hasLoaded(String name) {
      return findLoadedClass(name) != null;
    }
  }
}

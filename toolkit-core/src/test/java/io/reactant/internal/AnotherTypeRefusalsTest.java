package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.ActorId;
import io.reactant.error.CallError;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Only {@code CallError} hands its maker of the refusals that name an actor of another type to
 * {@link AnotherTypeRefusals}, so that no code claims that fact (rule R23).
 */
class AnotherTypeRefusalsTest {

  @Test
  @DisplayName("R23 a call of install from elsewhere before CallError is initialized is refused,"
      + " and CallError and its refusals' actor still work")
  void installFromElsewhereBeforeCallErrorIsRefused() throws Exception {
    String[] path = System.getProperty("java.class.path").split(File.pathSeparator);
    URL[] urls = new URL[path.length];
    for (int i = 0; i < path.length; i++) {
      urls[i] = new File(path[i]).toURI().toURL();
    }
    // the toolkit's classes afresh, none of them initialized
    try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      Class<?> refusals = Class.forName(AnotherTypeRefusals.class.getName(), true, loader);
      Class<?> makerType = Class.forName(AnotherTypeRefusals.Maker.class.getName(), true, loader);
      Object forged = Proxy.newProxyInstance(loader, new Class<?>[] {makerType},
          (proxy, method, args) -> {
            throw new AssertionError("the forged maker was used");
          });
      Method install = refusals.getMethod("install", makerType);
      assertThatThrownBy(() -> install.invoke(null, forged))
          .isInstanceOf(InvocationTargetException.class)
          .cause().isInstanceOf(IllegalCallerException.class);
      Class.forName("io.reactant.error.CallError", true, loader); // initializes without error
      Class<?> actorId = Class.forName(ActorId.class.getName(), true, loader);
      Object id = actorId.getMethod("of", String.class).invoke(null, "till");
      Method refusal = refusals.getDeclaredMethod("refusal", actorId, String.class);
      refusal.setAccessible(true);
      Object error = refusal.invoke(null, id, "actor till (Till) has no method Shop.take()");
      Optional<?> actor =
          (Optional<?>) error.getClass().getMethod("actorOfAnotherType").invoke(error);
      assertThat(actor.orElseThrow()).isEqualTo(id);
    }
  }

  @Test
  @DisplayName("R23 a second install, from anywhere but CallError, is refused")
  void installAfterCallErrorIsRefused() {
    assertThat(CallError.reject("initialized").actorOfAnotherType()).isEmpty();
    AnotherTypeRefusals.Maker forged = (actor, message) -> {
      throw new AssertionError("the forged maker was used");
    };
    assertThatThrownBy(() -> AnotherTypeRefusals.install(forged))
        .isInstanceOf(IllegalCallerException.class);
    assertThat(AnotherTypeRefusals.refusal(ActorId.of("k"), "m").actorOfAnotherType())
        .contains(ActorId.of("k"));
  }
}

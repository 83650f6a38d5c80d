package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * C2 does not inline a call whose signature names a class that is not loaded yet. The mailbox's
 * batch cursor is read through {@code batch()}, whose result type is {@code Mailbox.Batch}, a
 * class that nothing would load before a take of two envelopes or more: in an actor that only
 * ever takes one envelope at a time (a ping-pong), every {@code batch()} would stay an out-of-line
 * call (the twenty-second session measured 4-6 % of the ping-pong and the chains). The mailbox
 * loads it when it is initialized; this checks that in a class loader of its own, where nothing
 * else has loaded the runtime's classes.
 */
class MailboxClassLoadingTest {

  private static final String BATCH = Mailbox.class.getName() + "$Batch";

  @Test
  @DisplayName("initializing the mailbox loads the batch cursor's class, so that the JIT can inline"
      + " batch()")
  void initializingTheMailboxLoadsTheBatchClass() throws Exception {
    URL classes = Mailbox.class.getProtectionDomain().getCodeSource().getLocation();
    try (RuntimeClassLoader loader = new RuntimeClassLoader(classes)) {
      Class<?> mailbox = Class.forName(Mailbox.class.getName(), false, loader);
      assertThat(mailbox.getClassLoader()).isSameAs(loader);
      assertThat(loader.hasLoaded(BATCH)).as("loaded before the mailbox is initialized").isFalse();

      Class.forName(Mailbox.class.getName(), true, loader);

      assertThat(loader.hasLoaded(BATCH)).as("loaded once the mailbox is initialized").isTrue();
    }
  }

  /** Loads the runtime's classes itself (child first), anything else through the test's loader. */
  private static final class RuntimeClassLoader extends URLClassLoader {

    RuntimeClassLoader(URL classes) {
      super(new URL[] {classes}, MailboxClassLoadingTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("io.reactant.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        return c != null ? c : findClass(name);
      }
    }

    boolean hasLoaded(String name) {
      return findLoadedClass(name) != null;
    }
  }
}

package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Netty's leak detector as an assertion: records every {@code LEAK:} report Netty logs, and makes
 * Netty report every buffer that was collected unreleased. It works only at the detector's level
 * {@code PARANOID} (every buffer tracked), which the surefire execution {@code
 * netty-leak-detection} sets ({@code -Dio.netty.leakDetection.level=paranoid}); at another level
 * {@link #record()} fails rather than pass without checking.
 *
 * <p>Netty reports a leak only once the buffer's tracker was collected and the next buffer is
 * tracked; {@link #assertNoLeak()} forces both: two collections, each waited for until the JVM has
 * queued a reference of its own collected with it (so every tracker collected by the first has
 * been queued when the second's reference is), then an allocation.
 */
final class NettyLeakChecks {

  /** A bound on the wait for a collection's references to be queued, not a measure of speed. */
  private static final long QUEUE_WAIT_MILLIS = 10_000;

  private final List<String> leaks = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      String message = event.getFormattedMessage();
      if (message != null && message.contains("LEAK:")) {
        leaks.add(message);
      }
    }
  };

  private NettyLeakChecks() {
  }

  /**
   * Starts recording the leaks Netty reports, on the root logger. Call it once Spring Boot has set
   * up the logging (after the context started): it resets the logger context, appenders included.
   */
  static NettyLeakChecks record() {
    assertThat(ResourceLeakDetector.getLevel()).as("Netty's leak detection level: run this test in"
        + " the surefire execution netty-leak-detection (mvn verify), which sets it")
        .isEqualTo(ResourceLeakDetector.Level.PARANOID);
    NettyLeakChecks checks = new NettyLeakChecks();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    checks.appender.setContext(root.getLoggerContext());
    checks.appender.setName("netty-leaks");
    checks.appender.start();
    root.addAppender(checks.appender);
    return checks;
  }

  /**
   * Fails if Netty reports a buffer (or any resource it tracks) collected unreleased: one dropped
   * since the detector's level was set, by the server or the test.
   */
  void assertNoLeak() throws InterruptedException {
    collect();
    collect();
    ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(1); // tracking it reports the queued
    probe.release();
    ByteBuf heapProbe = ByteBufAllocator.DEFAULT.heapBuffer(1);
    heapProbe.release();
    assertThat(leaks).as("the leaks Netty reported").isEmpty();
  }

  /** Stops recording. */
  void close() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(appender);
    appender.stop();
  }

  /** Collects garbage, and waits until a reference collected then is queued. */
  private static void collect() throws InterruptedException {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    Reference<Object> canary = new WeakReference<>(new Object(), queue);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUEUE_WAIT_MILLIS);
    Reference<?> queued = null;
    while (queued == null && System.nanoTime() - deadline < 0) {
      System.gc();
      queued = queue.remove(100);
    }
    assertThat(queued).as("a weak reference collected and queued within " + QUEUE_WAIT_MILLIS
        + " ms").isSameAs(canary);
  }
}

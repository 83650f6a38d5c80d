package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.CompositeQuery;
import io.reactant.actor.Query;
import io.reactant.spring.boot.ActorBean;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;

/**
 * On Reactor Netty, a client that closes its connection before a query's answer cancels the
 * query (rule R19: it changes nothing), and the queries a composite query awaits with it, instead
 * of leaving them waiting, with what they hold, until they end or time out.
 */
class IngressClientLeftTests {

  /** What the waiting query waits for was subscribed, and cancelled (fresh for each test). */
  static final class Signals {
    volatile CountDownLatch waiting = new CountDownLatch(1);
    volatile CountDownLatch cancelled = new CountDownLatch(1);
    /** The thread on which the waiting query's Mono was cancelled. */
    volatile @Nullable String cancelledOn;

    void reset() {
      waiting = new CountDownLatch(1);
      cancelled = new CountDownLatch(1);
      cancelledOn = null;
    }
  }

  public interface Waiter {
    /** Waits for ever. */
    @Query
    Mono<String> hang();

    /** Awaits this actor's {@link #hang()}. */
    @CompositeQuery
    Mono<String> relay();
  }

  @ActorBean
  public static final class WaiterActor extends Actor implements Waiter {
    private final Signals signals;

    public WaiterActor(Signals signals) {
      this.signals = signals;
    }

    @Override
    public Mono<String> hang() {
      CountDownLatch waiting = signals.waiting;
      CountDownLatch cancelled = signals.cancelled;
      return Mono.<String>never().doOnSubscribe(s -> waiting.countDown())
          .doOnCancel(() -> {
            signals.cancelledOn = Thread.currentThread().getName();
            cancelled.countDown();
          });
    }

    @Override
    public Mono<String> relay() {
      return await(self(Waiter.class).hang());
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(WaiterActor.class)
  static class App {
    @Bean
    Signals signals() {
      return new Signals();
    }
  }

  private static ConfigurableApplicationContext context;
  private static int port;

  @BeforeAll
  static void start() {
    context = new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
        .properties("server.port=0", "spring.main.banner-mode=off").run();
    port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  @ParameterizedTest(name = "GET /actors/Waiter/waiter/{0}")
  @ValueSource(strings = {"hang", "relay"})
  @DisplayName("R19 a query, or a composite query's awaited part, whose HTTP client closes its"
      + " connection before the answer is cancelled, without reactant.default-call-timeout, on the"
      + " actor system's threads, never on the server's event loop")
  void queryWhoseClientClosedItsConnectionIsCancelled(String method) throws Exception {
    Signals signals = context.getBean(Signals.class);
    signals.reset();
    try (Socket socket = new Socket("localhost", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /actors/Waiter/waiter/" + method + " HTTP/1.1\r\nHost: localhost\r\n"
          + "\r\n").getBytes(ISO_8859_1));
      out.flush();
      assertThat(signals.waiting.await(20, TimeUnit.SECONDS)).as("the query waits").isTrue();
    }
    assertThat(signals.cancelled.await(20, TimeUnit.SECONDS))
        .as("the query was cancelled once its client left").isTrue();
    // its cancellation runs actor code (the Mono's hooks) and the TurnListener, which may block
    assertThat(signals.cancelledOn).as("the thread that cancelled the query's Mono")
        .doesNotStartWith("reactor-http");
  }
}

package io.reactant.spring.boot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystem;
import io.reactant.spring.boot.TestActors.Gate;
import io.reactant.spring.boot.TestActors.Greeter;
import io.reactant.spring.boot.TestActors.GreeterConfiguration;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * A client that closes its connection while its call to an actor is in flight, on a real server:
 * the server cancels the exchange, and with it the call's reply; an update runs on as for any
 * caller that stops listening (R3), a query is cancelled (it changes nothing, R19).
 */
class ClientDisconnectTests {

  /** A bound on each wait of the test on loopback, not a measure of speed. */
  private static final int WAIT_SECONDS = 20;

  /** Counted down as the server cancels an exchange (its client went away). */
  private static volatile CountDownLatch cancelled = new CountDownLatch(1);

  /** Counted down as the server ends an exchange, whatever the way. */
  private static volatile CountDownLatch ended = new CountDownLatch(1);

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(GreeterConfiguration.class)
  static class App {

    @Bean
    WebFilter cancellations() {
      return (exchange, chain) -> chain.filter(exchange).doOnCancel(() -> cancelled.countDown())
          .doFinally(signal -> ended.countDown());
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

  @Test
  @DisplayName("an update queued behind a turn under way, whose client disconnects before it runs,"
      + " runs once when the turn ends and its state is committed; the actor goes on serving")
  void anUpdateWhoseClientLeftWhileQueuedRunsOnceAndCommits() throws Exception {
    cancelled = new CountDownLatch(1);
    Gate gate = context.getBean(Gate.class);
    Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
    ActorSystem system = context.getBean(ActorSystem.class);
    long before = greeter.greeted().block(Duration.ofSeconds(WAIT_SECONDS));
    Mono<Void> held = greeter.hold().cache();
    held.subscribe();
    gate.awaitEntered();
    try (Socket client = new Socket("localhost", port)) {
      client.getOutputStream().write(post("/actors/Greeter/greeter/greet", "[\"gone\"]"));
      awaitQueued(system, 1);
    }
    assertThat(cancelled.await(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the server cancelled the exchange of the client that left").isTrue();
    gate.open();
    held.block(Duration.ofSeconds(WAIT_SECONDS));
    // an update sent after it runs after it (a mailbox is in order); a query would not wait
    assertThat(greeter.greet("next").block(Duration.ofSeconds(WAIT_SECONDS))).isEqualTo("Hi, next");
    assertThat(greeter.greeted().block(Duration.ofSeconds(WAIT_SECONDS)))
        .as("greetings counted: the update of the client that left, then the next").isEqualTo(
            before + 2);
    assertThat(system.mailboxDepth(ActorId.of("greeter"))).isZero();
  }

  @Test
  @DisplayName("R19 a query awaiting its reply, whose client disconnects, is cancelled with the"
      + " exchange (it changes nothing; an update runs on, R3): what its Mono waited for is let"
      + " go, without the default call timeout, and the actor answers the next query")
  void aQueryWhoseClientLeftIsCancelled() throws Exception {
    cancelled = new CountDownLatch(1);
    Gate gate = context.getBean(Gate.class);
    Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
    try (Socket client = new Socket("localhost", port)) {
      client.getOutputStream().write(("GET /actors/Greeter/greeter/late HTTP/1.1\r\n"
          + "Host: localhost\r\n\r\n").getBytes(UTF_8));
      await(gate::lateAwaited, "the late() query never reached the greeter");
    }
    assertThat(cancelled.await(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the server cancelled the exchange of the client that left").isTrue();
    await(() -> !gate.lateAwaited(), "the late() query of the client that left still awaited"
        + " its reply");
    assertThat(greeter.pokes().block(Duration.ofSeconds(WAIT_SECONDS))).isNotNull();
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("a client that closes its connection in the middle of a call's body is no error of"
      + " the server: no call is made, and nothing is logged above debug level (an error with its"
      + " stack at each, which any client could repeat, would flood the log)")
  void aClientLeavingInTheMiddleOfABodyIsNotLoggedAsAnError(CapturedOutput output)
      throws Exception {
    ended = new CountDownLatch(1);
    Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
    long before = greeter.greeted().block(Duration.ofSeconds(WAIT_SECONDS));
    try (Socket client = new Socket("localhost", port)) {
      client.getOutputStream().write(("POST /actors/Greeter/greeter/greet HTTP/1.1\r\n"
          + "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
          + "[\"half").getBytes(UTF_8));
      client.getOutputStream().flush();
    }
    assertThat(ended.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the exchange ended").isTrue();
    assertThat(greeter.greeted().block(Duration.ofSeconds(WAIT_SECONDS))).isEqualTo(before);
    assertThat(output.getAll()).doesNotContain("ERROR").doesNotContain("WARN");
  }

  private static byte[] post(String path, String json) {
    byte[] body = json.getBytes(UTF_8);
    return ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n" + json).getBytes(UTF_8);
  }

  private static void awaitQueued(ActorSystem system, int depth) {
    await(() -> system.mailboxDepth(ActorId.of("greeter")) >= depth,
        "the greeter's mailbox never held " + depth + " message(s)");
  }

  private static void await(java.util.function.BooleanSupplier condition, String failure) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(failure);
      }
      Thread.onSpinWait();
    }
  }
}

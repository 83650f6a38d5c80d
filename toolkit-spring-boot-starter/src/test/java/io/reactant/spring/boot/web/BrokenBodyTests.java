package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.TestActors.Greeter;
import io.reactant.spring.boot.TestActors.GreeterConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.server.WebFilter;

/**
 * A call whose body Reactor Netty refuses part-way (a chunk size that is no number), on a real
 * server: the server has answered 400 on its own, so the actor endpoint makes no call with what
 * came before, and answers nothing more.
 */
@ExtendWith(OutputCaptureExtension.class)
class BrokenBodyTests {

  /** A bound on each wait of the test on loopback, not a measure of speed. */
  private static final int WAIT_SECONDS = 20;

  /** A permit for each exchange the server ended. */
  private static final Semaphore ENDED = new Semaphore(0);

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(GreeterConfiguration.class)
  static class App {

    @Bean
    WebFilter exchangesEnded() {
      return (exchange, chain) -> chain.filter(exchange).doFinally(signal -> ENDED.release());
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

  private static long greeted() {
    Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
    // an update first: a call the broken request sent is before it in the mailbox
    greeter.greet("after").block(Duration.ofSeconds(WAIT_SECONDS));
    return greeter.greeted().block(Duration.ofSeconds(WAIT_SECONDS));
  }

  @Test
  @DisplayName("a chunked body whose arguments came whole before a chunk size that is no number:"
      + " the server answers its 400, the greeter is not called with them, and nothing is logged"
      + " as an error (the endpoint answered after the server had: 'Status and headers already"
      + " sent')")
  void aBodyTheServerRefusedPartWayMakesNoCall(CapturedOutput output) throws Exception {
    long before = greeted();
    ENDED.drainPermits();
    String answer;
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(WAIT_SECONDS * 1_000);
      socket.getOutputStream().write(("POST /actors/Greeter/greeter/greet HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\n[\"x\"]\r\nzz\r\nabc\r\n0\r\n\r\n").getBytes(ISO_8859_1));
      answer = new String(socket.getInputStream().readAllBytes(), UTF_8);
    }
    assertThat(answer).startsWith("HTTP/1.1 400 ");
    assertThat(ENDED.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("the exchange ended").isTrue();
    assertThat(greeted()).as("greetings: one more, the 'after' call only").isEqualTo(before + 1);
    assertThat(output.getAll()).doesNotContain("ERROR").doesNotContain("already sent");
  }

  @Test
  @DisplayName("a call sent with Expect: 100-continue, which the server answers 100 before it reads"
      + " the body, is called and answered as any other")
  void aCallAfterA100ContinueIsMade() throws Exception {
    long before = greeted();
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(WAIT_SECONDS * 1_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(("POST /actors/Greeter/greeter/greet HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
          + "Content-Type: application/json\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
          .getBytes(ISO_8859_1));
      out.flush();
      assertThat(line(in)).startsWith("HTTP/1.1 100 ");
      out.write("[\"y\"]".getBytes(UTF_8));
      out.flush();
      assertThat(new String(in.readAllBytes(), UTF_8)).contains("HTTP/1.1 200 ")
          .endsWith("\"Hi, y\"");
    }
    assertThat(greeted()).as("greetings: the call's and the 'after' call's").isEqualTo(before + 2);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.append((char) b);
    }
    return line.toString();
  }
}

package io.reactant.spring.boot.web;

import static io.reactant.spring.boot.web.KeepAliveChecks.exchange;
import static io.reactant.spring.boot.web.KeepAliveChecks.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.TestActors.CounterActor;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The actor endpoints keep a client's keep-alive connection serving after the answers they give
 * at once, on the thread that reads the request, before its end is read: an unknown type, method
 * or a bad id, a verb the method does not take, the list of actors. Without a filter chain that
 * defers them (Spring Security's), each of these stalled the connection about one time in two on
 * Reactor Netty up to 1.3.7 (reactor/reactor-netty#4361): the client's next request on it waited
 * for ever. The build takes 1.3.8; {@link ReactorNettyVersionCheck} warns on the others.
 */
class IngressKeepAliveTests {

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(CounterActor.class)
  static class App {
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

  @ParameterizedTest(name = "{0} answers {1}")
  @CsvSource({"POST /actors/Nope/x/bump, 404", "POST /actors/Counter/x/nope, 404",
      "POST /actors/Counter/%FF/bump, 400", "GET /actors/Counter/x/bump, 405", "GET /actors, 200"})
  @DisplayName("a keep-alive connection goes on answering after the actor endpoints answer a"
      + " request before it is read whole, its next requests sent after the answer or with it")
  void connectionServesAfterAnImmediateAnswer(String line, int status) throws IOException {
    List<String> answers = exchange(port, request(line, "Content-Length: 0\r\n"),
        request("POST /actors/Counter/keep-alive/bump", "Content-Length: 0\r\n"), 6, 10, line);
    for (int i = 0; i < answers.size(); i += 2) {
      assertThat(answers.get(i)).as("the first answer").startsWith("HTTP/1.1 " + status + " ");
      assertThat(answers.get(i + 1)).as("the answer after it").startsWith("HTTP/1.1 200 ");
    }
  }
}

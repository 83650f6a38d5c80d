package io.reactant.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.TestActors.CounterActor;
import java.net.URI;
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
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code /actuator/actors} over HTTP, with the error bodies on or off: every {@code limit} and id a
 * client can send answers 200, 400 or 404, never a 500 nor a stack trace.
 */
class ActorsEndpointOverHttpTests {

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(CounterActor.class)
  static class App {
  }

  private static final List<ConfigurableApplicationContext> CONTEXTS = new java.util.ArrayList<>();

  @BeforeAll
  static void start() {
    for (String errorBodies : new String[] {"false", "true"}) {
      ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
          .web(WebApplicationType.REACTIVE)
          .properties("server.port=0", "spring.main.banner-mode=off",
              "management.endpoints.web.exposure.include=actors",
              "reactant.http.error-bodies.enabled=" + errorBodies)
          .run();
      context.getBean(ActorDirectory.class).get(Counter.class, "listed").bump().block();
      CONTEXTS.add(context);
    }
  }

  @AfterAll
  static void stop() {
    CONTEXTS.forEach(ConfigurableApplicationContext::close);
  }

  @ParameterizedTest(name = "{0} answers {1}")
  @CsvSource(delimiter = '|', value = {
      "/actuator/actors | 200",
      "/actuator/actors?limit=1 | 200",
      "/actuator/actors?limit=10000 | 200",
      "/actuator/actors?limit= | 200",
      "/actuator/actors?limit=0 | 400",
      "/actuator/actors?limit=-1 | 400",
      "/actuator/actors?limit=10001 | 400",
      "/actuator/actors?limit=2147483647 | 400",
      "/actuator/actors?limit=2147483648 | 400",
      "/actuator/actors?limit=99999999999999999999 | 400",
      "/actuator/actors?limit=abc | 400",
      "/actuator/actors?limit=1.5 | 400",
      "/actuator/actors/listed | 200",
      "/actuator/actors/missing | 404",
      "/actuator/actors/%20 | 404",
      "/actuator/actors/a%2Fb | 404",
      "/actuator/actors/%C3%A9t%C3%A9 | 404",
      "/actuator/actors/%FF | 404"})
  @DisplayName("a limit or an id a client sends answers its status, never a 500 or a stack trace")
  void everyLimitAndIdAnswersAClientStatus(String path, int status) {
    for (ConfigurableApplicationContext context : CONTEXTS) {
      int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
          .build();
      EntityExchangeResult<String> result = client.get()
          .uri(URI.create("http://localhost:" + port + path)).exchange()
          .expectBody(String.class).returnResult();
      String body = String.valueOf(result.getResponseBody());
      assertThat(result.getStatus().value()).as(path + " answered " + body).isEqualTo(status);
      assertThat(body).as(path).doesNotContain("Exception", "\tat ", ".java");
    }
  }
}

package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.TestActors.CounterActor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Actuator's endpoints are mapped before the router functions (order -100, the actor endpoints'
 * -1): one under the actor endpoints' base path, of their shape, is reached all the same, and the
 * startup check of shadowed handlers must not refuse it.
 */
class ShadowedHandlersActuatorTests {

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(CounterActor.class)
  static class App {
  }

  @Test
  @DisplayName("an Actuator endpoint of the shape {base}/{type}/{id}/{method} starts and answers:"
      + " Actuator's handlers come before the actor endpoints")
  void anActuatorEndpointUnderTheBasePathStartsAndAnswers() {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.REACTIVE)
        .properties("server.port=0", "spring.main.banner-mode=off",
            "reactant.http.base-path=/ops", "management.endpoints.web.base-path=/ops/manage/v1")
        .run()) {
      int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
          .get().uri("/ops/manage/v1/health").exchange().expectStatus().isOk()
          .expectBody(String.class).value(body -> assertThat(body).contains("\"status\""));
    }
  }
}

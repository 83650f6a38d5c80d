package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantWebFluxAutoConfiguration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The actor endpoints' routes come before the application's controllers (WebFlux asks its router
 * functions first): a controller method whose every path is one of theirs, {@code
 * {base}/{type}/{id}/{method}} or the base path itself, would never be reached, its requests
 * answered 404 "No actor type". The startup refuses such a base path, naming the handler.
 */
class ShadowedHandlersTests {

  private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
          CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
          HttpHandlerAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class))
      .withUserConfiguration(CounterActor.class);

  @RestController
  static class Orders {

    @PostMapping("/api/orders/{id}/cancel")
    String cancel(@PathVariable String id) {
      return "cancelled " + id;
    }
  }

  @RestController
  static class Index {

    @GetMapping("/api")
    String index() {
      return "index";
    }
  }

  @RestController
  static class Files {

    @GetMapping("/api/files/**")
    String file() {
      return "a file";
    }

    @GetMapping("/api/orders/{id}/lines/{line}")
    String line(@PathVariable String id, @PathVariable String line) {
      return "line " + line + " of " + id;
    }
  }

  @RestController
  static class Aliased {

    @GetMapping({"/api/orders/{id}/cancel", "/orders/{id}/cancel"})
    String cancel(@PathVariable String id) {
      return "cancelled " + id;
    }
  }

  @Test
  @DisplayName("a controller method with another path the endpoints do not take starts, and"
      + " answers there: only a handler whose every path they take is never reached")
  void aHandlerWithAReachablePathStarts() {
    runner.withUserConfiguration(Aliased.class).withPropertyValues("reactant.http.base-path=/api")
        .run(context -> {
          assertThat(context).hasNotFailed();
          WebTestClient.bindToApplicationContext(context).build().get().uri("/orders/7/cancel")
              .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("cancelled 7");
        });
  }

  @Test
  @DisplayName("a controller method of the shape {base}/{type}/{id}/{method}, which the actor"
      + " endpoints would answer 404 'No actor type', fails the startup naming it and the property")
  void aHandlerOfTheEndpointsShapeFailsTheStartup() {
    runner.withUserConfiguration(Orders.class).withPropertyValues("reactant.http.base-path=/api")
        .run(context -> assertThat(
            NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageStartingWith("Property reactant.http.base-path with value '/api' is"
                + " invalid: the actor endpoints answer every request to /api and"
                + " /api/{type}/{id}/{method} before the application's handlers, so")
            .hasMessageContaining(Orders.class.getName() + "#cancel(String)")
            .hasMessageContaining("/api/orders/{id}/cancel"));
  }

  @Test
  @DisplayName("a controller method at the base path itself fails the startup too")
  void aHandlerAtTheBasePathFailsTheStartup() {
    runner.withUserConfiguration(Index.class).withPropertyValues("reactant.http.base-path=/api")
        .run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining(Index.class.getName() + "#index()"));
  }

  @Test
  @DisplayName("controller methods of other shapes under the base path start, and answer")
  void handlersOfOtherShapesStart() {
    runner.withUserConfiguration(Files.class, Orders.class).run(context -> {
      assertThat(context).hasNotFailed(); // Orders is under /api, the endpoints under /actors
    });
    runner.withUserConfiguration(Files.class).withPropertyValues("reactant.http.base-path=/api")
        .run(context -> {
          assertThat(context).hasNotFailed();
          WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
          client.get().uri("/api/orders/7/lines/2").exchange().expectStatus().isOk()
              .expectBody(String.class).isEqualTo("line 2 of 7");
          client.get().uri("/api/files/a/b/c/d").exchange().expectStatus().isOk();
        });
  }
}

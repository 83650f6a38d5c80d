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

  /** Routes of another library's auto-configuration, registered after the starter's. */
  @org.springframework.boot.autoconfigure.AutoConfiguration(
      after = ReactantWebFluxAutoConfiguration.class)
  static class LateRoutes {

    @org.springframework.context.annotation.Bean
    org.springframework.web.reactive.function.server.RouterFunction<
        org.springframework.web.reactive.function.server.ServerResponse> lateOrderRoutes() {
      return org.springframework.web.reactive.function.server.RouterFunctions.route()
          .path("/api/orders", orders -> orders.POST("/{id}/cancel",
              request -> org.springframework.web.reactive.function.server.ServerResponse.ok()
                  .bodyValue("cancelled " + request.pathVariable("id"))))
          .GET("/api/files/{*path}", request -> org.springframework.web.reactive.function.server
              .ServerResponse.ok().bodyValue("a file"))
          .build();
    }
  }

  /** The application's own routes: registered before the auto-configuration's, asked first. */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class OwnRoutes {

    @org.springframework.context.annotation.Bean
    org.springframework.web.reactive.function.server.RouterFunction<
        org.springframework.web.reactive.function.server.ServerResponse> orderRoutes() {
      return org.springframework.web.reactive.function.server.RouterFunctions.route()
          .POST("/api/orders/{id}/cancel", request -> org.springframework.web.reactive.function
              .server.ServerResponse.ok().bodyValue("cancelled " + request.pathVariable("id")))
          .build();
    }
  }

  @Test
  @DisplayName("a route of a RouterFunction bean asked after the actor endpoints' (a library's"
      + " auto-configuration after the starter's), every path of which they take, fails the"
      + " startup naming the bean, the route and the property; its routes of other shapes do not")
  void aRouteAskedAfterTheEndpointsOfTheirShapeFailsTheStartup() {
    runner.withConfiguration(AutoConfigurations.of(LateRoutes.class))
        .withPropertyValues("reactant.http.base-path=/api")
        .run(context -> assertThat(
            NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageStartingWith("Property reactant.http.base-path with value '/api' is"
                + " invalid: the actor endpoints answer every request to /api and"
                + " /api/{type}/{id}/{method} before the application's handlers, so")
            .hasMessageContaining("the route /api/orders/{id}/cancel of the RouterFunction bean"
                + " 'lateOrderRoutes'")
            .hasMessageNotContaining("/api/files")
            .hasMessageContaining("@Order"));
    runner.withConfiguration(AutoConfigurations.of(LateRoutes.class)).run(context -> {
      assertThat(context).hasNotFailed(); // the endpoints are under /actors
      WebTestClient.bindToApplicationContext(context).build().post().uri("/api/orders/7/cancel")
          .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("cancelled 7");
    });
  }

  @Test
  @DisplayName("the application's own RouterFunction bean under the base path, asked before the"
      + " actor endpoints' routes, starts and answers")
  void theApplicationsOwnRoutesAreAskedFirst() {
    runner.withUserConfiguration(OwnRoutes.class).withPropertyValues("reactant.http.base-path=/api")
        .run(context -> {
          assertThat(context).hasNotFailed();
          WebTestClient.bindToApplicationContext(context).build().post()
              .uri("/api/orders/7/cancel").exchange().expectStatus().isOk()
              .expectBody(String.class).isEqualTo("cancelled 7");
        });
  }

  /** Replaces the actor endpoints' routes with fewer: calls only, by POST. */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class PostOnlyActorRoutes {

    @org.springframework.context.annotation.Bean
    org.springframework.web.reactive.function.server.RouterFunction<
        org.springframework.web.reactive.function.server.ServerResponse> actorIngressRoutes(
        ActorIngressHandler handler) {
      return org.springframework.web.reactive.function.server.RouterFunctions.route(
          org.springframework.web.reactive.function.server.RequestPredicates.POST(
              "/api/{type}/{id}/{method}"), handler::call);
    }
  }

  /** Replaces the actor endpoints' routes with the starter's behind a filter of its own. */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class FilteredActorRoutes {

    @org.springframework.context.annotation.Bean
    org.springframework.web.reactive.function.server.RouterFunction<
        org.springframework.web.reactive.function.server.ServerResponse> actorIngressRoutes(
        ActorIngressHandler handler) {
      return handler.routes().filter((request, next) -> next.handle(request));
    }
  }

  @Test
  @DisplayName("an actorIngressRoutes bean of the application's is checked for what it takes:"
      + " one that takes only POST calls leaves a GET handler of that shape reachable (no false"
      + " failure), one that wraps the starter's routes takes what they take")
  void aReplacedRoutesBeanIsCheckedForWhatItTakes() {
    runner.withUserConfiguration(PostOnlyActorRoutes.class, Lines.class)
        .withPropertyValues("reactant.http.base-path=/api").run(context -> {
          assertThat(context).hasNotFailed();
          WebTestClient.bindToApplicationContext(context).build().get().uri("/api/orders/7/lines")
              .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("lines of 7");
        });
    runner.withUserConfiguration(FilteredActorRoutes.class, Lines.class)
        .withPropertyValues("reactant.http.base-path=/api")
        .run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining(Lines.class.getName() + "#lines(String)"));
  }

  @RestController
  static class Lines {

    @GetMapping("/api/orders/{id}/lines")
    String lines(@PathVariable String id) {
      return "lines of " + id;
    }
  }
}

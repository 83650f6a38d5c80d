package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.web.ActorErrorWebExceptionHandler;
import io.reactant.spring.boot.web.ActorIngressHandler;
import io.reactant.spring.boot.web.IngressCallerResolver;
import io.reactant.spring.boot.web.NettyErrorBodies;
import io.reactant.spring.boot.web.ReactorNettyVersionCheck;
import io.reactant.spring.boot.web.SpringSecurityCallerResolver;
import io.reactant.actor.Caller;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

class ReactantWebFluxAutoConfigurationTests {

  private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class))
      .withUserConfiguration(CounterActor.class);

  @Test
  void ingressIsOnByDefaultInAReactiveWebApplication() {
    runner.run(context -> assertThat(context).hasSingleBean(ActorIngressHandler.class)
        .hasBean("actorIngressRoutes").hasSingleBean(ActorErrorWebExceptionHandler.class)
        .hasSingleBean(IngressCallerResolver.class));
  }

  @Test
  @org.junit.jupiter.api.DisplayName("the {\"message\"} bodies of Reactor Netty's own refusals"
      + " (NettyErrorBodies) come with reactant.http.error-bodies.enabled: off by default, off"
      + " with reactant.http.error-bodies.server-refusals=false, replaced by a bean named"
      + " reactantNettyErrorBodies, absent without Reactor Netty")
  void nettyErrorBodiesComeWithTheErrorBodiesOnReactorNetty() {
    String enabled = "reactant.http.error-bodies.enabled=true";
    runner.run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(NettyErrorBodies.class));
    runner.withPropertyValues(enabled).run(context -> assertThat(context)
        .hasSingleBean(NettyErrorBodies.class).hasBean("reactantNettyErrorBodies"));
    runner.withPropertyValues(enabled, "reactant.http.error-bodies.server-refusals=false")
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(NettyErrorBodies.class));
    runner.withPropertyValues(enabled)
        .withBean("reactantNettyErrorBodies", NettyServerCustomizer.class,
            () -> server -> server)
        .run(context -> assertThat(context).doesNotHaveBean(NettyErrorBodies.class)
            .hasBean("reactantNettyErrorBodies"));
    runner.withPropertyValues(enabled)
        .withClassLoader(new FilteredClassLoader(reactor.netty.http.server.HttpServer.class))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(NettyErrorBodies.class)
            .hasSingleBean(io.reactant.spring.boot.web.ApiErrorWebExceptionHandler.class));
  }

  @Test
  @org.junit.jupiter.api.DisplayName("the check of Reactor Netty's version (ReactorNettyVersionCheck)"
      + " comes with a Reactor Netty server, with or without the error bodies, replaced by a bean"
      + " named reactantReactorNettyVersionCheck, absent without Reactor Netty")
  void reactorNettyVersionCheckComesWithReactorNetty() {
    runner.run(context -> assertThat(context).hasSingleBean(ReactorNettyVersionCheck.class)
        .hasBean("reactantReactorNettyVersionCheck"));
    runner.withPropertyValues("reactant.http.error-bodies.enabled=true", "reactant.http.enabled=false")
        .run(context -> assertThat(context).hasSingleBean(ReactorNettyVersionCheck.class));
    runner.withBean("reactantReactorNettyVersionCheck", NettyServerCustomizer.class,
            () -> server -> server)
        .run(context -> assertThat(context).doesNotHaveBean(ReactorNettyVersionCheck.class)
            .hasBean("reactantReactorNettyVersionCheck"));
    runner.withClassLoader(new FilteredClassLoader(reactor.netty.http.server.HttpServer.class))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(ReactorNettyVersionCheck.class));
  }

  @Test
  void ingressCanBeDisabled() {
    runner.withPropertyValues("reactant.http.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(ActorIngressHandler.class)
            .doesNotHaveBean("actorIngressRoutes")
            .hasSingleBean(ActorErrorWebExceptionHandler.class));
  }

  @Test
  void basePathCanBeConfigured() {
    runner.withPropertyValues("reactant.http.base-path=/api/actors").run(context -> {
      RouterFunction<?> routes = context.getBean("actorIngressRoutes", RouterFunction.class);
      org.springframework.test.web.reactive.server.WebTestClient
          .bindToRouterFunction(routes).build()
          .get().uri("/api/actors").exchange().expectStatus().isOk()
          .expectBody().jsonPath("$[0].type").isEqualTo("Counter");
    });
  }

  @Test
  void invalidBasePathFailsTheStartup() {
    runner.withPropertyValues("reactant.http.base-path=actors/").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("reactant.http.base-path must start with '/' and not end with it"));
    runner.withPropertyValues("reactant.http.max-id-length=0").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("reactant.http.max-id-length must be at least 1"));
  }

  @Test
  @org.junit.jupiter.api.DisplayName("a base path that is no literal path (a pattern's {variable},"
      + " * or ?, an empty, . or .. segment, a character a path must encode) fails the startup"
      + " naming the property, instead of routing a pattern or never matching")
  void basePathThatIsNoLiteralPathFailsTheStartup() {
    for (String path : new String[] {"/api/{tenant}", "/a*b", "/a?b", "/api/**", "/a//b", "/a b",
        "/a/./b", "/a/../b", "/a;v=1", "/a%20b", "/akteure/\u00e4", "/a/{type}", "/a\\b"}) {
      runner.withPropertyValues("reactant.http.base-path=" + path).run(context -> {
        assertThat(context).as(path).getFailure().rootCause().hasMessage(
            "reactant.http.base-path must start with '/' and not end with it, and be segments of"
                + " letters, digits and '-._~' separated by '/', none of them . or .., was '" + path
                + "'");
        assertThat(context).getFailure().hasStackTraceContaining("BindException");
      });
    }
    runner.withPropertyValues("reactant.http.base-path=/api/v1.0/my_actors-x~").run(context -> {
      RouterFunction<?> routes = context.getBean("actorIngressRoutes", RouterFunction.class);
      org.springframework.test.web.reactive.server.WebTestClient
          .bindToRouterFunction(routes).build()
          .get().uri("/api/v1.0/my_actors-x~").exchange().expectStatus().isOk();
    });
  }

  @Test
  @org.junit.jupiter.api.DisplayName("the root (/), a trailing slash, an empty base path and one"
      + " without its leading slash fail the startup naming the property; upper case is taken as"
      + " written and routed")
  void rootTrailingSlashAndEmptyBasePathsFailTheStartup() {
    for (String path : new String[] {"/", "/actors/", "", "actors", "//"}) {
      runner.withPropertyValues("reactant.http.base-path=" + path).run(context -> {
        assertThat(context).as(path).getFailure().rootCause().hasMessageContaining(
            "reactant.http.base-path must start with '/' and not end with it");
        assertThat(context).getFailure().hasStackTraceContaining("BindException");
      });
    }
    runner.withPropertyValues("reactant.http.base-path=/API/V1").run(context -> {
      RouterFunction<?> routes = context.getBean("actorIngressRoutes", RouterFunction.class);
      org.springframework.test.web.reactive.server.WebTestClient client =
          org.springframework.test.web.reactive.server.WebTestClient
              .bindToRouterFunction(routes).build();
      client.get().uri("/API/V1").exchange().expectStatus().isOk();
      client.get().uri("/api/v1").exchange().expectStatus().isNotFound();
    });
  }

  @Test
  void maxRequestBodyOutOfRangeFailsTheStartupNamingTheProperty() {
    for (String size : new String[] {"-1B", "3GB"}) {
      runner.withPropertyValues("reactant.http.max-request-body=" + size).run(context -> {
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("reactant.http.max-request-body must be between 0B and"
                + " 2147483647B, was " + DataSize.parse(size));
        // a binding failure, which Spring Boot's failure analysis reports with the property's name
        assertThat(context).getFailure().hasStackTraceContaining("BindException");
      });
    }
  }

  @Test
  void maxRequestBodyCanBeConfigured() {
    runner.withPropertyValues("reactant.http.max-request-body=2KB").run(context ->
        assertThat(context.getBean(ReactantProperties.class).getHttp().getMaxRequestBody().toBytes())
            .isEqualTo(2048));
  }

  @Test
  void userDefinedIngressHandlerBacksOff() {
    runner.withUserConfiguration(UserIngressHandlerConfiguration.class)
        .run(context -> assertThat(context.getBeanNamesForType(ActorIngressHandler.class))
            .containsExactly("myHandler"));
  }

  @Test
  void userDefinedRoutesBackOff() {
    RouterFunction<ServerResponse> mine = RouterFunctions.route()
        .GET("/mine", request -> ServerResponse.ok().build()).build();
    runner.withBean("actorIngressRoutes", RouterFunction.class, () -> mine).run(context ->
        assertThat(context.getBean("actorIngressRoutes")).isSameAs(mine));
  }

  @Test
  void userDefinedCallerResolverBacksOff() {
    IngressCallerResolver mine = exchange -> Mono.just(Caller.principal("service"));
    runner.withBean(IngressCallerResolver.class, () -> mine).run(context ->
        assertThat(context).getBean(IngressCallerResolver.class).isSameAs(mine));
  }

  @Test
  void userDefinedErrorHandlerBacksOff() {
    ActorErrorWebExceptionHandler mine = new ActorErrorWebExceptionHandler(new tools.jackson.databind.json.JsonMapper());
    runner.withBean(ActorErrorWebExceptionHandler.class, () -> mine).run(context ->
        assertThat(context).getBean(ActorErrorWebExceptionHandler.class).isSameAs(mine));
  }

  @Test
  void callerComesFromSpringSecurityWhenItIsPresent() {
    runner.run(context -> assertThat(context).getBean(IngressCallerResolver.class)
        .isInstanceOf(SpringSecurityCallerResolver.class));
  }

  @Test
  void callerComesFromTheExchangePrincipalWithoutSpringSecurity() {
    runner.withClassLoader(new FilteredClassLoader(Authentication.class)).run(context -> {
      IngressCallerResolver resolver = context.getBean(IngressCallerResolver.class);
      assertThat(resolver).isNotInstanceOf(SpringSecurityCallerResolver.class);
      MockServerWebExchange anonymous = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
      assertThat(resolver.resolve(anonymous).block()).isEqualTo(Caller.anonymous());
      org.springframework.web.server.ServerWebExchange named = anonymous.mutate().principal(Mono.just(() -> "carol")).build();
      assertThat(resolver.resolve(named).block()).isEqualTo(Caller.principal("carol"));
    });
  }

  @Test
  void ingressIsNotConfiguredWithoutWebFlux() {
    runner.withClassLoader(new FilteredClassLoader(RouterFunction.class)).run(context ->
        assertThat(context).doesNotHaveBean(ActorIngressHandler.class)
            .doesNotHaveBean(ActorErrorWebExceptionHandler.class));
  }

  @Test
  void ingressIsNotConfiguredInANonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(ActorIngressHandler.class));
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class UserIngressHandlerConfiguration {
    @org.springframework.context.annotation.Bean
    ActorIngressHandler myHandler(io.reactant.spring.boot.ActorDirectory directory) {
      return new ActorIngressHandler(directory, new tools.jackson.databind.json.JsonMapper(),
          IngressCallerResolver.fromPrincipal(),
          new io.reactant.spring.boot.web.IngressSettings("/mine", 1024, 256));
    }
  }
}

package io.reactant.spring.boot.autoconfigure;

import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.web.ActorErrorWebExceptionHandler;
import io.reactant.spring.boot.web.ApiErrorWebExceptionHandler;
import io.reactant.spring.boot.web.ActorIngressHandler;
import io.reactant.spring.boot.web.ActorPathNotFoundHandler;
import io.reactant.spring.boot.web.IngressCallerResolver;
import io.reactant.spring.boot.web.IngressSettings;
import io.reactant.spring.boot.web.NettyErrorBodies;
import io.reactant.spring.boot.web.ReactorNettyVersionCheck;
import io.reactant.spring.boot.web.RequestTooLargeFilter;
import io.reactant.spring.boot.web.SpringSecurityCallerResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the HTTP ingress of the actors in a reactive web application: the
 * generic actor endpoints ({@link ActorIngressHandler}, on unless
 * {@code reactant.http.enabled=false}), the caller identity of ingress calls
 * ({@link IngressCallerResolver}, from Spring Security when it is present) and the mapping of
 * failed actor calls to HTTP responses in any handler ({@link ActorErrorWebExceptionHandler}), and
 * on demand the {@code {"message"}} body of the application's own client errors
 * ({@link ApiErrorWebExceptionHandler}) and, on a Reactor Netty server, of the server's own
 * refusals ({@link NettyErrorBodies}); on a Reactor Netty server, a warning if its version stalls
 * keep-alive connections ({@link ReactorNettyVersionCheck}).
 */
@AutoConfiguration(after = ReactantAutoConfiguration.class,
    afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass({ RouterFunction.class, JsonMapper.class })
@ConditionalOnBean(ActorDirectory.class)
public final class ReactantWebFluxAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ActorErrorWebExceptionHandler actorErrorWebExceptionHandler(ObjectProvider<JsonMapper> mapper) {
    return new ActorErrorWebExceptionHandler(mapper.getIfAvailable(JsonMapper::new));
  }

  /**
   * A warning at startup if the application has a Jackson 2 ObjectMapper bean, ignored here, or
   * the server's JSON codecs are Jackson 2's.
   */
  @Bean
  static UnusedJackson2Mappers reactantUnusedJackson2Mappers(
      ConfigurableListableBeanFactory beanFactory, Environment environment) {
    return new UnusedJackson2Mappers(beanFactory, environment);
  }

  /**
   * The {@code {"message"}} body for the client errors of the application's own handlers, when
   * {@code reactant.http.error-bodies.enabled=true}; the 413's message names the codecs' limit
   * ({@code spring.http.codecs.max-in-memory-size}, Spring's 256KB unless set).
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnReactantFlag("reactant.http.error-bodies.enabled")
  ApiErrorWebExceptionHandler apiErrorWebExceptionHandler(ObjectProvider<JsonMapper> mapper,
      ReactantProperties properties, Environment environment) {
    ReactantProperties.Http http = properties.getHttp();
    DataSize maxBody = Binder.get(environment)
        .bind("spring.http.codecs.max-in-memory-size", DataSize.class)
        .orElse(DataSize.ofKilobytes(256));
    return new ApiErrorWebExceptionHandler(mapper.getIfAvailable(JsonMapper::new),
        http.isEnabled() ? http.getBasePath() : null, maxBody.toBytes());
  }

  /**
   * With the {@code {"message"}} bodies, a form or a multipart part over the server's limits, and
   * a body over the codecs' limit that a functional route or a controller reads itself, is a 413
   * (Spring fails them with a 500).
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnReactantFlag("reactant.http.error-bodies.enabled")
  RequestTooLargeFilter requestTooLargeFilter() {
    return new RequestTooLargeFilter();
  }

  /**
   * With the {@code {"message"}} bodies on a Reactor Netty server, the empty answers the server
   * gives on its own before any handler get the body too ({@link NettyErrorBodies}), unless
   * {@code reactant.http.error-bodies.server-refusals=false}; a bean named
   * {@code reactantNettyErrorBodies} (or a {@code NettyErrorBodies} bean) replaces it.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"reactor.netty.http.server.HttpServer",
      "org.springframework.boot.reactor.netty.NettyServerCustomizer"})
  @ConditionalOnReactantFlag("reactant.http.error-bodies.enabled")
  static class NettyErrorBodiesConfiguration {

    @Bean
    @ConditionalOnMissingBean(value = NettyErrorBodies.class, name = "reactantNettyErrorBodies")
    @ConditionalOnReactantFlag(value = "reactant.http.error-bodies.server-refusals",
        matchIfMissing = true)
    NettyErrorBodies reactantNettyErrorBodies() {
      return new NettyErrorBodies();
    }
  }

  /**
   * On a Reactor Netty server, a warning at startup if its version stalls keep-alive connections
   * ({@link ReactorNettyVersionCheck}); a bean named {@code reactantReactorNettyVersionCheck}
   * replaces it.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"reactor.netty.http.server.HttpServer",
      "org.springframework.boot.reactor.netty.NettyServerCustomizer"})
  static class ReactorNettyVersionCheckConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "reactantReactorNettyVersionCheck")
    ReactorNettyVersionCheck reactantReactorNettyVersionCheck() {
      return new ReactorNettyVersionCheck();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnReactantFlag(value = "reactant.http.enabled", matchIfMissing = true)
  static class IngressConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ActorIngressHandler actorIngressHandler(ActorDirectory directory, ObjectProvider<JsonMapper> mapper,
        IngressCallerResolver callers, ReactantProperties properties) {
      return new ActorIngressHandler(directory, mapper.getIfAvailable(JsonMapper::new), callers,
          settings(properties));
    }

    @Bean
    @ConditionalOnMissingBean(name = "actorIngressRoutes")
    RouterFunction<ServerResponse> actorIngressRoutes(ActorIngressHandler handler) {
      return handler.routes();
    }

    @Bean
    @ConditionalOnMissingBean
    ActorPathNotFoundHandler actorPathNotFoundHandler(ObjectProvider<JsonMapper> mapper,
        ReactantProperties properties) {
      return new ActorPathNotFoundHandler(settings(properties),
          mapper.getIfAvailable(JsonMapper::new));
    }

    @Bean
    ShadowedHandlers reactantShadowedHandlers(ReactantProperties properties,
        ConfigurableListableBeanFactory beanFactory,
        ObjectProvider<RequestMappingInfoHandlerMapping> mappings,
        ObjectProvider<RouterFunctionMapping> routers) {
      return new ShadowedHandlers(properties.getHttp().getBasePath(), beanFactory, mappings,
          routers);
    }

    private static IngressSettings settings(ReactantProperties properties) {
      ReactantProperties.Http http = properties.getHttp();
      return new IngressSettings(http.getBasePath(), http.getMaxRequestBody().toBytes(),
          http.getMaxIdLength());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.security.core.Authentication")
  static class SpringSecurityCallerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IngressCallerResolver springSecurityCallerResolver() {
      return new SpringSecurityCallerResolver();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("org.springframework.security.core.Authentication")
  static class PrincipalCallerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IngressCallerResolver principalCallerResolver() {
      return IngressCallerResolver.fromPrincipal();
    }
  }
}

package io.reactant.spring.boot.web;

import io.reactant.actor.Actor;
import io.reactant.actor.Query;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.TestActors.GreeterConfiguration;
import io.reactant.spring.boot.TestActors.NoteActor;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantWebFluxAutoConfiguration;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * A reactive web application with the test actors, in which the header {@code X-User} stands for
 * an authenticated user and {@code X-Anonymous} for Spring Security's anonymous token.
 */
@Configuration(proxyBeanMethods = false)
@Import({ GreeterConfiguration.class, CounterActor.class, NoteActor.class,
    IngressTestConfiguration.HiddenActor.class })
class IngressTestConfiguration {

  static ReactiveWebApplicationContextRunner runner() {
    return new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
            CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
            HttpHandlerAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class))
        .withUserConfiguration(IngressTestConfiguration.class);
  }

  @Bean
  WebFilter testAuthentication() {
    return (exchange, chain) -> {
      String user = exchange.getRequest().getHeaders().getFirst("X-User");
      if (user != null) {
        UsernamePasswordAuthenticationToken token =
            UsernamePasswordAuthenticationToken.authenticated(user, "n/a", List.of());
        return chain.filter(exchange.mutate().principal(Mono.just(token)).build());
      }
      if (exchange.getRequest().getHeaders().containsHeader("X-Anonymous")) {
        AnonymousAuthenticationToken token = new AnonymousAuthenticationToken("key",
            "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
        return chain.filter(exchange.mutate().principal(Mono.just(token)).build());
      }
      return chain.filter(exchange);
    };
  }

  public interface Hidden {
    @Query
    Mono<String> secret();
  }

  @ActorBean(exposed = false)
  public static final class HiddenActor extends Actor implements Hidden {
    @Override
    public Mono<String> secret() {
      return Mono.just("not over HTTP");
    }
  }
}

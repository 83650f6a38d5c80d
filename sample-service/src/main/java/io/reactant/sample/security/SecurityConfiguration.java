package io.reactant.sample.security;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.NoOpPasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * HTTP Basic for everybody, required for transfers; the actuator's endpoints but health need the
 * role {@code OPERATOR} (health answers anyone, its details to operators only); everything else
 * is open (the actors check their callers themselves, rule R21). The {@code actors} endpoint lists
 * every actor id with its figures (other customers' accounts included) and the metrics name the
 * actor types: an operator's view, not a customer's, let alone an anonymous caller's. Refusals,
 * the firewall's included, answer {@code {"message": "..."}}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  /** The role that opens the actuator's endpoints and health's details. */
  static final String OPERATOR = "OPERATOR";

  @Bean
  SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http,
      MapReactiveUserDetailsService users) {
    ServerAuthenticationEntryPoint unauthorized = (exchange, e) -> {
      exchange.getResponse().getHeaders().set("WWW-Authenticate", "Basic realm=\"Reactant sample\"");
      return write(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "Authentication required:"
          + " send HTTP Basic credentials, for example curl -u alice:wonderland");
    };
    ServerAccessDeniedHandler forbidden = (exchange, e) ->
        write(exchange.getResponse(), HttpStatus.FORBIDDEN, "Access denied");
    return http
        // stateless: every request carries its credentials; no session, no cookie to forge
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .csrf(ServerHttpSecurity.CsrfSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .httpBasic(basic -> basic.authenticationManager(passwordCheck(users))
            .authenticationEntryPoint(unauthorized))
        .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthorized)
            .accessDeniedHandler(forbidden))
        .authorizeExchange(exchanges -> exchanges
            .pathMatchers(HttpMethod.POST, "/api/transfers").authenticated()
            .pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
            .pathMatchers("/actuator", "/actuator/**").hasRole(OPERATOR)
            .anyExchange().permitAll())
        .build();
  }

  /**
   * Answers a request that Spring Security's firewall refuses (an encoded slash, percent sign or
   * semicolon in the path, a TRACE, ...) with a 400 that says why, as every other refusal does,
   * rather than with an empty body.
   */
  @Bean
  ServerExchangeRejectedHandler firewallRefusal() {
    return (exchange, e) -> write(exchange.getResponse(), HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @Bean
  MapReactiveUserDetailsService demoUsers(DemoUsers users) {
    return new MapReactiveUserDetailsService(users.users().stream()
        .map(u -> User.withUsername(u.name()).password("{noop}" + u.password())
            .roles(u.roles().toArray(String[]::new)).build())
        .toArray(UserDetails[]::new));
  }

  /**
   * Checks the demo users' clear-text passwords. Its encoder never asks for an "upgrade":
   * Spring Security would otherwise BCrypt-hash the password again on every successful login
   * (about 80 ms of CPU each on two cores), for a demo whose passwords are public anyway.
   */
  @SuppressWarnings("deprecation")
  private static ReactiveAuthenticationManager passwordCheck(MapReactiveUserDetailsService users) {
    UserDetailsRepositoryReactiveAuthenticationManager manager =
        new UserDetailsRepositoryReactiveAuthenticationManager(users);
    manager.setPasswordEncoder(new DelegatingPasswordEncoder("noop",
        Map.of("noop", NoOpPasswordEncoder.getInstance())));
    return manager;
  }

  private static Mono<Void> write(ServerHttpResponse response, HttpStatus status, String message) {
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    String json = "{\"message\":\""
        + new String(JsonStringEncoder.getInstance().quoteAsCharArray(message)) + "\"}";
    return response.writeWith(Mono.just(response.bufferFactory()
        .wrap(json.getBytes(StandardCharsets.UTF_8))));
  }
}

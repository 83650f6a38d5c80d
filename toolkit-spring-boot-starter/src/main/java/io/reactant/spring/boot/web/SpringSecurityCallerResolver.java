package io.reactant.spring.boot.web;

import io.reactant.actor.Caller;
import java.security.Principal;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The caller identity of an ingress call under Spring Security (rule R21): the name of the
 * authenticated principal, or anonymous when the request is not authenticated (no
 * authentication, an anonymous token, or one that is not authenticated).
 */
public final class SpringSecurityCallerResolver implements IngressCallerResolver {

  private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

  @Override
  public Mono<Caller> resolve(ServerWebExchange exchange) {
    return exchange.getPrincipal().map(this::callerOf).defaultIfEmpty(Caller.anonymous());
  }

  private Caller callerOf(Principal principal) {
    if (principal instanceof Authentication authentication
        && !trust.isAuthenticated(authentication)) {
      return Caller.anonymous();
    }
    String name = principal.getName();
    return name == null || name.isBlank() ? Caller.anonymous() : Caller.principal(name);
  }
}

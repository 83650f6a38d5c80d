package io.reactant.spring.boot.web;

import io.reactant.actor.Caller;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Decides the caller identity (rule R21) of an HTTP ingress call: the principal the actor sees
 * with {@code caller()}.
 *
 * <p>The auto-configuration provides one that takes the authenticated principal when Spring
 * Security is present ({@link SpringSecurityCallerResolver}), else the exchange's principal, and
 * anonymous when there is none. Declare a bean of this type to decide otherwise. Actors cannot
 * forge an identity: only this host-side code chooses it.
 */
@FunctionalInterface
public interface IngressCallerResolver {

  /** Returns the caller of the request; never empty (anonymous when unknown). */
  Mono<Caller> resolve(ServerWebExchange exchange);

  /**
   * Returns the resolver that takes the name of the exchange's principal, or anonymous when the
   * request has none.
   */
  static IngressCallerResolver fromPrincipal() {
    return exchange -> exchange.getPrincipal()
        .filter(p -> p.getName() != null && !p.getName().isBlank())
        .map(p -> Caller.principal(p.getName()))
        .defaultIfEmpty(Caller.anonymous());
  }
}

package io.reactant.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keeps one shared method of an {@linkplain ActorBean#exposed() exposed} actor type off HTTP: the
 * generic endpoints answer a call of it exactly as they answer a method the type does not have
 * (404 with code 3, {@code The actor type 'Payments' has no method 'refund'}, whatever the HTTP
 * method), and {@code GET /actors} does not list it. Actors and the application still call it
 * through references, as before: it changes nothing but the HTTP ingress (rule R23).
 *
 * <p>Every other shared method of an exposed type stays callable by any client the application's
 * security lets through. Mark a method that only actors or the application should call (a credit
 * that only a transfer may make, a refund); hide a whole type with
 * {@code @ActorBean(exposed = false)}.
 *
 * <pre>{@code
 * public interface Payments {
 *   Mono<Receipt> pay(String booking, long amount);
 *
 *   @NotExposed                                 // the box office calls it, never a client
 *   Mono<Receipt> refund(String booking);
 * }
 * }</pre>
 *
 * <p>It may mark the method of the actor interface (or of an interface it extends, where it then
 * holds for every actor type that inherits the method), or the implementation's method (in the
 * {@code @ActorBean} class or a superclass), for an interface that should not depend on the
 * starter: either hides it, and nothing exposes it again. A method hidden so no longer counts
 * against the rules of an exposed type: its name may overload a method HTTP calls, and it may take
 * or return an actor reference. On a type that is not exposed it changes nothing. Put on a method
 * that is not a shared method of the actor type (a static or private method, a helper of the
 * implementation, its method of another interface), it fails the startup when the HTTP ingress is
 * on, saying which.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface NotExposed {
}

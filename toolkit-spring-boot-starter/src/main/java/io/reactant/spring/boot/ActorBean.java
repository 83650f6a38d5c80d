package io.reactant.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * Declares an actor implementation as a Spring bean: its constructor gets its dependencies
 * injected, and the actor system creates its instances.
 *
 * <p>The annotated class extends {@link io.reactant.actor.Actor} and implements its actor
 * interface. It is a prototype bean that is never injected anywhere: each instance is created by
 * the actor system, inside {@code spawn}, so that its constructor runs as the actor's initializer
 * (rule R18: it may declare state and trap, but not send messages). Callers get references
 * (proxies of the interface), never the object (rule R1): from {@link ActorDirectory}, or, for a
 * {@link Activation#SINGLETON singleton}, by injecting the interface itself.
 *
 * <pre>{@code
 * @ActorBean(activation = Activation.VIRTUAL)
 * final class CounterActor extends Actor implements Counter {
 *   private final Var<Long> count = newVar("count", 0L);
 *
 *   CounterActor(Clock clock) { ... }        // dependencies are injected
 *
 *   public Mono<Long> bump() {
 *     return Mono.just(count.update(c -> c + 1));
 *   }
 * }
 * }</pre>
 *
 * <p>Component scanning ({@code @SpringBootApplication}) finds annotated classes; an
 * application may also register them explicitly ({@code @Import}). It may annotate an annotation
 * of the application's too (a composed annotation), whose classes are then actors as well, as are
 * the subclasses of an annotated class. An actor's bean may be defined any way Spring allows: by
 * its class or its class name, a {@code @Bean} method or an XML-style factory method returning
 * it, or a child definition (of an abstract one). Declaring the same actor type, or the same name,
 * twice fails the startup with an explanation, naming the beans; so does a dependency of a
 * singleton or a virtual actor that no bean satisfies, of its constructor or of an injected field
 * or method (a virtual actor would otherwise start, and every call that creates one fail with code
 * 5).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public @interface ActorBean {

  /**
   * The actor interface (the type callers see). By default, the one interface the class
   * implements; required when it implements several.
   */
  Class<?> type() default void.class;

  /**
   * The name of the actor type in HTTP paths ({@code /actors/{name}/...}) and in
   * {@code GET /actors}, and in the {@code type} of metrics and the Actuator endpoint. By default,
   * the simple name of the actor interface.
   */
  String name() default "";

  /** How the instances of this actor type come to life. */
  Activation activation() default Activation.SINGLETON;

  /**
   * The id of a {@link Activation#SINGLETON singleton}: by default, the name with its first
   * letter in lower case ({@code PizzaParlor} is {@code pizzaParlor}). Only for singletons.
   */
  String id() default "";

  /**
   * Whether the actor type is exposed over HTTP (when the ingress is enabled): every shared method
   * of an exposed type is callable by any client the application's security lets through, except
   * those marked {@link NotExposed}.
   */
  boolean exposed() default true;

  /** How the instances of an actor type come to life. */
  enum Activation {

    /** One instance, with a fixed id, created when the application starts. */
    SINGLETON,

    /**
     * A virtual actor per id, as in Orleans and Dapr: an instance is created by the first update
     * or oneway call to an id, whoever makes it (over HTTP, or through a reference from
     * {@link ActorDirectory#get}, which itself creates nothing); every id exists. A query to an id
     * not created yet answers from the initial state and creates nothing.
     */
    VIRTUAL,

    /**
     * Instances created only when asked: by the application, with {@link ActorDirectory#spawn},
     * or by an actor in its turns, through the actor class {@link ActorDirectory#actorClass}
     * gives (rule R20); a call to an id that was never created fails with reject code 3.
     */
    EXPLICIT
  }
}

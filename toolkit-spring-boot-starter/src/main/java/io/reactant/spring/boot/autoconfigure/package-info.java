/**
 * Auto-configuration of Reactant for Spring Boot: the actor system, the actors declared as beans,
 * the HTTP ingress, metrics, the health indicator, the Actuator endpoint, the carrying of callers'
 * traces into actor turns (with Micrometer's context-propagation library), and, when turned on,
 * strict input and {@code {"message"}} error bodies for the application's own WebFlux handlers,
 * configured by the {@code reactant.*} properties
 * ({@link io.reactant.spring.boot.autoconfigure.ReactantProperties}).
 */
@NullMarked
package io.reactant.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;

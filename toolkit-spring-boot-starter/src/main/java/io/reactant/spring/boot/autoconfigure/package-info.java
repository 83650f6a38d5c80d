/**
 * Auto-configuration of Reactant for Spring Boot: the actor system, the actors declared as beans,
 * the HTTP ingress, metrics, the health indicator and the Actuator endpoint, configured by the
 * {@code reactant.*} properties ({@link io.reactant.spring.boot.autoconfigure.ReactantProperties}).
 */
@NullMarked
package io.reactant.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;

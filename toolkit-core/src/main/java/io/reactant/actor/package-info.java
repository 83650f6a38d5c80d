/**
 * Actors: isolated units of state behind a Java interface, the system that runs them, their
 * identities and the annotations that mark query methods.
 *
 * <p>Start with {@link io.reactant.actor.ActorSystem} and {@link io.reactant.actor.Actor}.
 */
@NullMarked
package io.reactant.actor;

import org.jspecify.annotations.NullMarked;

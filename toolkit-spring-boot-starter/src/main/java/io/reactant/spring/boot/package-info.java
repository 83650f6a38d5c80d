/**
 * Spring support for Reactant: actors declared as beans ({@link io.reactant.spring.boot.ActorBean}),
 * the directory that finds and creates them ({@link io.reactant.spring.boot.ActorDirectory}), and
 * the orderly shutdown of the actor system.
 *
 * <p>The auto-configuration in {@code io.reactant.spring.boot.autoconfigure} wires these together;
 * applications use the annotation and the directory.
 */
@NullMarked
package io.reactant.spring.boot;

import org.jspecify.annotations.NullMarked;

/** Endpoints that only the HTTP benchmark switches on, as baselines for the actor endpoints. */
@NullMarked
package io.reactant.sample.bench;

import org.jspecify.annotations.NullMarked;

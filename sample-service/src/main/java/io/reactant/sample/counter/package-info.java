/**
 * Counters (seed 003): a virtual actor per name, created by the first call to that name.
 * {@code bump} is atomic, so concurrent bumps never lose an increment.
 */
@NullMarked
package io.reactant.sample.counter;

import org.jspecify.annotations.NullMarked;

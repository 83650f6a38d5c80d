/**
 * Counters (seed 003): a virtual actor per name, created by the first update to that name (a read
 * of a name never bumped answers 0 and creates nothing). A counter's actor id is {@code counter-}
 * and its name, names are checked, and clients create at most {@code sample.counters.max}
 * counters: the pattern for ids that clients choose.
 * {@code bump} is atomic, so concurrent bumps never lose an increment.
 */
@NullMarked
package io.reactant.sample.counter;

import org.jspecify.annotations.NullMarked;

/**
 * Calls: deferred computations ({@code async*} / {@code await*}) and, later, call options.
 */
@NullMarked
package io.reactant.call;

import org.jspecify.annotations.NullMarked;

/**
 * Calls: deferred computations ({@code async*} / {@code await*}, {@link
 * io.reactant.call.Computation}) and the attributes of a call, a timeout and cycles ({@link
 * io.reactant.call.CallOptions}).
 */
@NullMarked
package io.reactant.call;

import org.jspecify.annotations.NullMarked;

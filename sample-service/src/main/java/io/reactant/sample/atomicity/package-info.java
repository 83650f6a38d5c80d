/**
 * Atomicity (seed 003): an atomic method that traps leaves no trace; a non-atomic one keeps what
 * it committed at its awaits.
 */
@NullMarked
package io.reactant.sample.atomicity;

import org.jspecify.annotations.NullMarked;

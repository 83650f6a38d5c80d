/** The Reactant sample service; each sub-package is one feature. */
@NullMarked
package io.reactant.sample;

import org.jspecify.annotations.NullMarked;

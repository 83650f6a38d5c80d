/**
 * The pizza parlour (seed 002): orders are taken asynchronously, pizzas are made one at a time.
 */
@NullMarked
package io.reactant.sample.pizza;

import org.jspecify.annotations.NullMarked;

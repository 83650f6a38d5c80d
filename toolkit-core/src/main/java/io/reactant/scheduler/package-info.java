/**
 * Schedulers that run actors' turns: a work-stealing pool for production and a deterministic,
 * virtual-time scheduler for tests.
 */
@NullMarked
package io.reactant.scheduler;

import org.jspecify.annotations.NullMarked;

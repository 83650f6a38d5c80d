/**
 * Transactional state: the cells an actor declares, whose writes are tentative until the turn's
 * commit point and rolled back by a trap.
 */
@NullMarked
package io.reactant.state;

import org.jspecify.annotations.NullMarked;

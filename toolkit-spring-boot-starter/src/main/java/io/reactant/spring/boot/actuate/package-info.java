/**
 * Observability of the actor system: Micrometer metrics of turns, rejects and mailboxes, its health
 * indicator, and the Actuator endpoint {@code actors} that lists the live actors.
 */
@NullMarked
package io.reactant.spring.boot.actuate;

import org.jspecify.annotations.NullMarked;

package io.reactant.actor;

/**
 * The identity of a timer set by an actor (rule R25), used to cancel it. Unique within the actor
 * system.
 *
 * @param value the id
 */
public record TimerId(long value) {
}

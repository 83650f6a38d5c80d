package io.reactant.actor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a shared method of an actor interface as a <em>composite query</em> (rule R19): a query
 * that may call and await the query methods of other actors (or its own).
 *
 * <p>Its own state changes persist across its awaits but are discarded at its end; the queries
 * it calls see committed state only. Calling an update method from it is a trap.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CompositeQuery {
}

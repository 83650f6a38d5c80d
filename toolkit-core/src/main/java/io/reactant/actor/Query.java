package io.reactant.actor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a shared method of an actor interface as a <em>query</em> (rule R19).
 *
 * <p>A query reads a consistent committed state of the actor. It does not wait behind queued
 * updates (it runs at once, on the calling thread, or for a call made from a turn, when that turn
 * commits), never observes another turn's tentative state, and the changes it makes are
 * discarded when it ends. It may reject (code 4). Sending a message or awaiting from a query is
 * a trap. Keep queries short: they run on the caller's thread (a host whose thread must not run
 * them, such as a web server's event loop, calls them from {@link ActorSystem#executor()}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Query {
}

package io.reactant.actor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sets the mailbox capacity of the actors of an implementation class, overriding the system's
 * {@link ActorSystemConfig#mailboxCapacity()}. A call that finds the mailbox full fails at once with
 * code 2 ({@link io.reactant.error.RejectCode#SYS_TRANSIENT}): a clean reject, the actor did nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MailboxCapacity {

  /** The maximum number of messages waiting in the mailbox; 0 for unbounded. */
  int value();
}

package io.reactant.spring.boot.web;

import org.apache.commons.logging.Log;

/**
 * A failure of the application's own code on an HTTP call that any client can make again at will:
 * a result that Jackson cannot write as JSON, an argument whose own deserializer fails with an
 * exception that is not Jackson's. Its cause is that code's exception. The ingress answers it 500
 * with the generic message (never the cause's, which describes the server) and logs it through
 * {@link AnsweredTraps#warnOnce}: with its stack the first time its {@link AnsweredTraps.Kind kind}
 * fails so, at debug level afterwards, so that a client repeating the call cannot flood the log.
 * The kind names the actor interface and the method or argument, never anything the client sent.
 */
final class RepeatableFailure extends RuntimeException {

  private final AnsweredTraps.Kind kind;
  private final String what;
  private final String later;

  /**
   * @param kind what failed, of which only the first failure is a warning
   * @param what what failed and what the client got, the line logged
   * @param later what the warning adds: that later failures of this kind are at debug level
   * @param cause the application's exception
   */
  RepeatableFailure(AnsweredTraps.Kind kind, String what, String later, RuntimeException cause) {
    super(cause.getMessage(), cause, false, false);
    this.kind = kind;
    this.what = what;
    this.later = later;
  }

  /** Logs it to {@code log}, once as a warning per kind that {@code logged} remembers. */
  void log(Log log, AnsweredTraps logged) {
    logged.warnOnce(log, kind, what, later, getCause());
  }
}

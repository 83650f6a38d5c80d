package io.reactant.spring.boot.web;

import io.reactant.error.CallError;
import io.reactant.error.TrapSite;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs the traps on an exception of the application (a bug) that a handler answers over HTTP: as
 * a warning with the stack trace the first time a piece of the application's code traps so, its
 * later traps at debug level, so that a client repeating a call that traps cannot flood the log
 * (as the core logs a oneway's or a timer's trap). The piece is the error's {@link
 * CallError#trapSite() site}: the actor interface and the method (or the ingress inspection of
 * one, or the initializer), never the actor's id, which a client may choose, so the kinds are
 * the application's methods and initializers, whatever the ids and the words of the answers. An
 * error with no site (one the application made itself, with a cause whose message it quotes) is
 * of the kind of that cause's class. As a bound all the same it remembers at most
 * {@value #MAX_KINDS} kinds, and past them logs the traps of others at debug level. Logged under
 * {@code io.reactant.spring.boot.web.ErrorBodies}. Thread-safe; one per handler, so per
 * application.
 *
 * <p>The ingress handler also logs with it, through {@link #warnOnce}, the other failures of the
 * application's code that a client can make again at will: a result that cannot be written as
 * JSON, of the kind of its method. They count against the same bound.
 */
final class AnsweredTraps {

  private static final Log LOG = LogFactory.getLog(ErrorBodies.class);

  /** How many kinds it remembers having warned of. */
  static final int MAX_KINDS = 1024;

  private final Set<Kind> warned = ConcurrentHashMap.newKeySet();

  /**
   * A kind of trap: the name of the actor interface and the code of it that trapped, as a {@link
   * TrapSite} says them; or, for an error with no site, the class of its cause and no code.
   */
  record Kind(String type, String where) {

    /** The kind of {@code trapped}, the error of the actor whose code trapped. */
    static Kind of(CallError trapped) {
      TrapSite site = trapped.trapSite().orElse(null);
      if (site != null) {
        return new Kind(site.type().getName(), site.where());
      }
      Throwable cause = trapped.getCause();
      return new Kind(cause == null ? "" : cause.getClass().getName(), "");
    }
  }

  /**
   * Logs {@code error}, a trap answered with {@code answer}: a warning with its stack the first
   * time its kind traps so, debug afterwards. {@code trapped} is the error of the actor that
   * trapped: {@code error} itself, or the callee's error that an actor let through (code 4,
   * rule R12a), which it wraps.
   */
  void log(String answer, CallError error, CallError trapped) {
    log(answer, error, Kind.of(trapped));
  }

  /** As {@link #log(String, CallError, CallError)}, of the kind {@code kind}. */
  void log(String answer, Throwable error, Kind kind) {
    warnOnce(LOG, kind, "An actor trapped on an exception (a bug), answered over HTTP without the"
        + " exception's message: " + answer, "later traps of this method are logged at debug level",
        error);
  }

  /**
   * Logs {@code what} with {@code error}'s stack to {@code log}: as a warning, followed by {@code
   * later}, the first time a failure of {@code kind} is logged so (a kind this remembers, within
   * {@value #MAX_KINDS} kinds), at debug level afterwards.
   */
  void warnOnce(Log log, Kind kind, String what, String later, Throwable error) {
    if (firstOfItsKind(kind)) {
      log.warn(what + "; " + later, error);
    } else if (log.isDebugEnabled()) {
      log.debug(what, error);
    }
  }

  private boolean firstOfItsKind(Kind kind) {
    return !warned.contains(kind) && warned.size() < MAX_KINDS && warned.add(kind);
  }
}

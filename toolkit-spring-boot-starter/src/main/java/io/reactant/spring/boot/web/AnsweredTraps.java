package io.reactant.spring.boot.web;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs the traps on an exception of the application (a bug) that a handler answers over HTTP: as
 * a warning with the stack trace the first time a method of an actor interface traps so, its
 * later traps at debug level, so that a client repeating a call that traps cannot flood the log
 * (as the core logs a oneway's or a timer's trap). The method is the one the answer names
 * ({@code "c1 trapped in Ledger.post(): NullPointerException"}: {@code Ledger.post()}); an answer
 * naming none (an initializer's trap: {@code "c1 trapped in its initializer: ..."}) is of the kind
 * its words after the actor's id say. The kind is read after the last {@code " trapped in "} only (an actor
 * id, which a client may choose, comes before it, and may look like a method or hold those
 * words), so the kinds are the application's methods and initializers; as a bound
 * all the same it remembers at most {@value #MAX_KINDS}, and past them logs the traps of others
 * at debug level. Logged under {@code io.reactant.spring.boot.web.ErrorBodies}.
 * Thread-safe; one per handler, so per application.
 */
final class AnsweredTraps {

  private static final Log LOG = LogFactory.getLog(ErrorBodies.class);

  /** How many methods it remembers having warned of. */
  static final int MAX_KINDS = 1024;

  /** A method's display name in a trap's message, {@code Iface.method()}, where it begins. */
  private static final Pattern METHOD = Pattern.compile("[\\p{javaJavaIdentifierPart}.$]+\\(\\)");

  private static final String TRAPPED_IN = " trapped in ";

  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /**
   * Logs {@code error}, a trap answered with {@code answer}: a warning with its stack the first
   * time its method traps so, debug afterwards.
   */
  void log(String answer, Throwable error) {
    String what = "An actor trapped on an exception (a bug), answered over HTTP without the"
        + " exception's message: " + answer;
    if (firstOfItsKind(kind(answer))) {
      LOG.warn(what + "; later traps of this method are logged at debug level", error);
    } else if (LOG.isDebugEnabled()) {
      LOG.debug(what, error);
    }
  }

  private boolean firstOfItsKind(String kind) {
    return !warned.contains(kind) && warned.size() < MAX_KINDS && warned.add(kind);
  }

  /**
   * The words after the last {@code " trapped in "}: the method named there, or what else is
   * (an initializer and the exception's name). Never what comes before: the actor's id, which a
   * client may choose (one like {@code "k1 trapped in Fake1.m()"} would otherwise name a kind of
   * its own at each initializer's trap, using up the bounded memory).
   */
  private static String kind(String answer) {
    int after = answer.lastIndexOf(TRAPPED_IN);
    if (after < 0) {
      return answer;
    }
    String rest = answer.substring(after + TRAPPED_IN.length());
    Matcher method = METHOD.matcher(rest);
    return method.lookingAt() ? method.group() : rest;
  }
}

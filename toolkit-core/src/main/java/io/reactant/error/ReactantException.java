package io.reactant.error;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception the toolkit throws or signals.
 *
 * <p>Catch this type to handle any failure that comes from Reactant itself, as opposed to the
 * exceptions thrown by user code.
 */
public class ReactantException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ReactantException(String message) {
    super(message);
  }

  public ReactantException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  protected ReactantException(String message, @Nullable Throwable cause, boolean writableStackTrace) {
    super(message, cause, true, writableStackTrace);
  }
}

package io.reactant.sample.web;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** Checks of request fields; each failure is a 400 that names the field. */
public final class Requests {

  private Requests() {
  }

  /**
   * Returns the text, or answers 400 when it is missing, blank or longer than the maximum, in
   * characters (code points: one outside the BMP, two {@code char}s in Java, counts once).
   */
  public static String requireText(@Nullable String value, String field, int maxLength) {
    if (value == null || value.isBlank()) {
      throw badRequest("'" + field + "' is required and must not be blank");
    }
    if (value.length() > maxLength && value.codePointCount(0, value.length()) > maxLength) {
      throw badRequest("'" + field + "' must be at most " + maxLength + " characters");
    }
    return value;
  }

  /** Returns the number, or answers 400 when it is missing or below the minimum. */
  public static long requireAtLeast(@Nullable Long value, String field, long minimum) {
    if (value == null) {
      throw badRequest("'" + field + "' is required");
    }
    if (value < minimum) {
      throw badRequest("'" + field + "' must be at least " + minimum + ", was " + value);
    }
    return value;
  }

  /** Returns a 400 with the message. */
  public static ResponseStatusException badRequest(String message) {
    return new ResponseStatusException(HttpStatus.BAD_REQUEST, message);
  }
}

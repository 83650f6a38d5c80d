package io.reactant.spring.boot.web;

import io.reactant.error.CallError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON bodies of error responses: {@code {"message": "..."}}, plus {@code code} and
 * {@code reject} for a failed call. Never a stack trace.
 */
final class ErrorBodies {

  private ErrorBodies() {
  }

  static Map<String, Object> of(CallError error) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", error.code().code());
    body.put("reject", error.code().name());
    body.put("message", error.rejectMessage());
    return body;
  }

  static Map<String, Object> of(String message) {
    return Map.of("message", message);
  }
}

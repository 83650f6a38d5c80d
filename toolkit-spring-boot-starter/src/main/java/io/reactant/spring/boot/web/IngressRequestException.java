package io.reactant.spring.boot.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A request the ingress refuses before any actor sees it (bad input, wrong HTTP method, body too
 * large): a status and a message for the client. No stack trace: it is an answer, not a bug.
 */
final class IngressRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final HttpStatus status;

  /** Headers of the answer, beside its content type: {@code Accept-Encoding} of a 415, say. */
  final HttpHeaders headers;

  IngressRequestException(HttpStatus status, String message) {
    this(status, message, HttpHeaders.EMPTY);
  }

  IngressRequestException(HttpStatus status, String message, HttpHeaders headers) {
    super(message, null, false, false);
    this.status = status;
    this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
  }
}

package io.reactant.spring.boot.web;

import org.springframework.http.HttpStatus;

/**
 * A request the ingress refuses before any actor sees it (bad input, wrong HTTP method, body too
 * large): a status and a message for the client. No stack trace: it is an answer, not a bug.
 */
final class IngressRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final HttpStatus status;

  IngressRequestException(HttpStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}

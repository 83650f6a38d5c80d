package io.reactant.spring.boot.web;

import io.reactant.error.RejectCode;
import org.springframework.http.HttpStatus;

/**
 * The HTTP status that answers a call failed with a reject code.
 *
 * <table>
 *   <caption>Reject codes and HTTP statuses</caption>
 *   <tr><th>code</th><th>reject</th><th>status</th></tr>
 *   <tr><td>1</td><td>SYS_FATAL</td><td>500 Internal Server Error</td></tr>
 *   <tr><td>2</td><td>SYS_TRANSIENT</td><td>503 Service Unavailable</td></tr>
 *   <tr><td>3</td><td>DESTINATION_INVALID</td><td>404 Not Found</td></tr>
 *   <tr><td>4</td><td>CANISTER_REJECT</td><td>409 Conflict</td></tr>
 *   <tr><td>5</td><td>CANISTER_ERROR</td><td>500 Internal Server Error</td></tr>
 *   <tr><td>6</td><td>SYS_UNKNOWN</td><td>504 Gateway Timeout</td></tr>
 * </table>
 */
public final class RejectCodeHttpStatus {

  private RejectCodeHttpStatus() {
  }

  /** Returns the HTTP status for a reject code. */
  public static HttpStatus of(RejectCode code) {
    return switch (code) {
      case SYS_FATAL, CANISTER_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
      case SYS_TRANSIENT -> HttpStatus.SERVICE_UNAVAILABLE;
      case DESTINATION_INVALID -> HttpStatus.NOT_FOUND;
      case CANISTER_REJECT -> HttpStatus.CONFLICT;
      case SYS_UNKNOWN -> HttpStatus.GATEWAY_TIMEOUT;
    };
  }
}

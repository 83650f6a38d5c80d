package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The error bodies of the application's client errors walk an error's causes, which application
 * code may have chained into a loop ({@code initCause} back to an exception above): the walk must
 * end, and the client be answered, rather than spin for ever on the thread that handles the error
 * (an event loop: every connection on it would stall). A {@code CallError}'s causes cannot loop
 * through {@code CallError}s, the only ones {@code ActorErrorWebExceptionHandler} walks: each
 * constructor sets its cause, which {@code initCause} then refuses to change.
 */
class CyclicCauseChainTests {

  private static final Duration BOUND = Duration.ofSeconds(30);

  private final JsonMapper mapper = new JsonMapper();

  @Test
  @DisplayName("a client error of the application's whose causes loop is answered 400 with its"
      + " reason")
  void aClientErrorWhoseCausesLoopIsAnswered() {
    IllegalStateException a = new IllegalStateException("a");
    IllegalArgumentException b = new IllegalArgumentException("b", a);
    a.initCause(b);
    MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/shop"));
    assertTimeoutPreemptively(BOUND, () -> new ApiErrorWebExceptionHandler(mapper, "/actors", 1024)
        .handle(exchange, new ServerWebInputException("Bad order", null, b)).block(BOUND));
    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(exchange.getResponse().getBodyAsString().block(BOUND))
        .isEqualTo("{\"message\":\"Bad order\"}");
  }
}

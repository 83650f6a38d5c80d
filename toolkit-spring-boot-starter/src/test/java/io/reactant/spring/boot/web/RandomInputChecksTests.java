package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The leak check of the random-input suites tells the client's own text from the server's. */
class RandomInputChecksTests {

  private static final String UNEXPECTED_BACKTICK = "{\"message\":\"Malformed JSON: Unexpected"
      + " character ('`' (code 96)): expected a valid value (JSON String, Number, Array, Object"
      + " or token 'null', 'true' or 'false')\"}";

  @Test
  @DisplayName("a character or token of the request that the answer quotes back is no leak, even"
      + " a backtick (random bytes `WD, seed 1313 and 1457 of ActorIngressRandomInputTests)")
  void theRequestsOwnTextQuotedBackIsNoLeak() {
    assertThatCode(() -> RandomInputChecks.assertLeaksNothing(UNEXPECTED_BACKTICK,
        "`WD".getBytes(UTF_8), "echo")).doesNotThrowAnyException();
    assertThatCode(() -> RandomInputChecks.assertLeaksNothing("{\"message\":\"Malformed JSON:"
        + " Unrecognized token 'W`D': was expecting (JSON String, Number, Array, Object or token"
        + " 'null', 'true' or 'false')\"}", " W`D ".getBytes(UTF_8), "token"))
        .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("a backtick, a Java name or a stack frame the request did not send is a leak, the"
      + " same answer included")
  void whatTheRequestDidNotSendIsALeak() {
    assertThatThrownBy(() -> RandomInputChecks.assertLeaksNothing(UNEXPECTED_BACKTICK,
        "{".getBytes(UTF_8), "not sent")).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> RandomInputChecks.assertLeaksNothing(UNEXPECTED_BACKTICK, null,
        "no body")).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> RandomInputChecks.assertLeaksNothing("{\"message\":\"Expected"
        + " `com.example.Order` value ('`')\"}", "`".getBytes(UTF_8), "type name"))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> RandomInputChecks.assertLeaksNothing("{\"message\":\"bad 'x':"
        + " tools.jackson.core.JsonParseException\"}", "x".getBytes(UTF_8), "exception"))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> RandomInputChecks.assertLeaksNothing("{\"message\":\"'java.lang'\"}",
        "java".getBytes(UTF_8), "more than was sent")).isInstanceOf(AssertionError.class);
  }
}

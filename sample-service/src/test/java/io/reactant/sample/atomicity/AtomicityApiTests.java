package io.reactant.sample.atomicity;

import static io.reactant.sample.SampleTestSupport.expectReject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AtomicityApiTests {

  @Autowired
  WebTestClient client;

  @BeforeEach
  void reset() {
    client.post().uri("/api/atomicity/reset").exchange()
        .expectStatus().isOk().expectBody().json("{\"s\": 0, \"pinged\": false}", JsonCompareMode.STRICT);
  }

  @Test
  @DisplayName("R8 R10 R12 an atomic method that traps answers 500 with code 5 and leaves no trace")
  void atomicTrapLeavesNoTrace() {
    expectReject(client.post().uri("/api/atomicity/atomic").exchange(),
        HttpStatus.INTERNAL_SERVER_ERROR, 5, "CANISTER_ERROR",
        "atomicity trapped in Atomicity.atomic(): ArithmeticException");
    client.get().uri("/api/atomicity").exchange()
        .expectStatus().isOk().expectBody().json("{\"s\": 0, \"pinged\": false}", JsonCompareMode.STRICT);
  }

  @Test
  @DisplayName("R9 R12 a non-atomic method that traps keeps what it committed at its awaits")
  void nonAtomicTrapKeepsWhatItsAwaitsCommitted() {
    expectReject(client.post().uri("/api/atomicity/non-atomic").exchange(),
        HttpStatus.INTERNAL_SERVER_ERROR, 5, "CANISTER_ERROR", "Atomicity.nonAtomic()");
    client.get().uri("/api/atomicity").exchange()
        .expectStatus().isOk().expectBody().json("{\"s\": 3, \"pinged\": true}", JsonCompareMode.STRICT);
  }

  @Test
  void noStackTraceReachesTheClient() {
    client.post().uri("/api/atomicity/atomic").exchange()
        .expectStatus().is5xxServerError()
        .expectBody(String.class).value(body -> org.assertj.core.api.Assertions.assertThat(body)
            .doesNotContain("\tat ").doesNotContain("java.lang.").doesNotContain("trace"));
  }
}

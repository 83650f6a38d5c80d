package io.reactant.sample.atomicity;

import static io.reactant.sample.SampleTestSupport.expectReject;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.sample.SampleTestSupport;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AtomicityApiTests {

  @Autowired
  WebTestClient client;

  @LocalServerPort
  int port;

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

  /** What one request of the concurrent tests sent and answered. */
  private record Answer(String path, int status, String body) {
  }

  private List<Answer> sendAtOnce(List<String> paths) {
    WebClient web = SampleTestSupport.concurrentClient(port);
    return Flux.fromIterable(paths)
        .flatMap(path -> (path.equals("/api/atomicity") ? web.get() : web.post()).uri(path)
            .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                .map(body -> new Answer(path, response.statusCode().value(), body))),
            paths.size())
        .collectList()
        .block();
  }

  @Test
  @DisplayName("R8 R10 R19 200 atomic calls at once, among reads: each traps with code 5, and no"
      + " read ever sees what a trapped turn wrote or sent")
  void concurrentAtomicTrapsNeverShow() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      paths.add(i % 3 == 2 ? "/api/atomicity" : "/api/atomicity/atomic");
    }
    List<Answer> answers = sendAtOnce(paths);

    assertThat(answers).filteredOn(a -> a.path().endsWith("/atomic")).hasSize(200)
        .allSatisfy(a -> {
          assertThat(a.status()).isEqualTo(500);
          assertThat(a.body()).contains("\"code\":5");
        });
    assertThat(answers).filteredOn(a -> a.path().equals("/api/atomicity")).hasSize(100)
        .allSatisfy(a -> assertThat(a.body()).isEqualTo("{\"s\":0,\"pinged\":false}"));
    client.get().uri("/api/atomicity").exchange().expectBody()
        .json("{\"s\": 0, \"pinged\": false}", JsonCompareMode.STRICT);
  }

  @Test
  @DisplayName("R9 R12 R19 100 non-atomic calls at once, among reads: each traps with code 5, reads"
      + " see only what their awaits committed (s = 2 or 3, never the 1 each overwrites in its"
      + " first turn), and what stays is s = 3 with the ping run")
  void concurrentNonAtomicTrapsKeepOnlyCommittedStates() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      paths.add(i % 2 == 1 ? "/api/atomicity" : "/api/atomicity/non-atomic");
    }
    List<Answer> answers = sendAtOnce(paths);

    assertThat(answers).filteredOn(a -> a.path().endsWith("/non-atomic")).hasSize(100)
        .allSatisfy(a -> {
          assertThat(a.status()).isEqualTo(500);
          assertThat(a.body()).contains("\"code\":5");
        });
    assertThat(answers).filteredOn(a -> a.path().equals("/api/atomicity")).hasSize(100)
        .extracting(Answer::body).isSubsetOf("{\"s\":0,\"pinged\":false}",
            "{\"s\":2,\"pinged\":false}", "{\"s\":2,\"pinged\":true}",
            "{\"s\":3,\"pinged\":false}", "{\"s\":3,\"pinged\":true}");
    client.get().uri("/api/atomicity").exchange().expectBody()
        .json("{\"s\": 3, \"pinged\": true}", JsonCompareMode.STRICT);
  }
}

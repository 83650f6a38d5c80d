package io.reactant.sample.bench;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.bench.bare-endpoint=true")
@AutoConfigureWebTestClient
class BareCounterApiTests {

  @Autowired
  WebTestClient client;

  @Test
  void bareCounterAnswersLikeTheActorCounter() {
    client.post().uri("/bench/bare/counters/{name}/bump", "b").exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 1}", JsonCompareMode.STRICT);
    client.post().uri("/bench/bare/counters/{name}/bump", "b").exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 2}", JsonCompareMode.STRICT);
    client.post().uri("/api/counters/{name}/bump", "b").exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 1}", JsonCompareMode.STRICT);
  }
}

package io.reactant.sample.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystem;
import io.reactant.sample.SampleTestSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
import reactor.core.publisher.Flux;

/**
 * The bound on the counters that clients create ({@code sample.counters.max}), in a sample of its
 * own whose bound is small. One test: it fills the bound, and then looks at the full sample.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.counters.max=30")
@AutoConfigureWebTestClient
class CounterBoundApiTests {

  private static final int MAX = 30;
  private static final long SEED = 41L;

  @Autowired
  WebTestClient client;

  @Autowired
  ActorSystem system;

  @LocalServerPort
  int port;

  @Test
  @DisplayName("many clients bumping 90 new names at once (a seeded plan, each name twice or more)"
      + " create exactly sample.counters.max counters; the others answer 503 (code 2) saying the"
      + " bound is reached and create nothing; a full sample still bumps its counters, reads any"
      + " name, refuses a new id on the generic endpoint, and opens accounts (they could fill"
      + " reactant.max-actors through counters)")
  void theCountersThatClientsCreateStayWithinTheBound() {
    Random random = new Random(SEED);
    List<String> plan = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      String name = "bounded-" + i;
      for (int n = 2 + random.nextInt(3); n > 0; n--) {
        plan.add(name);
      }
    }
    Collections.shuffle(plan, random);
    List<Answer> answers = Flux.fromIterable(plan)
        .flatMap(name -> SampleTestSupport.concurrentClient(port).post()
            .uri("/api/counters/{name}/bump", name)
            .exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("")
                .map(body -> new Answer(name, r.statusCode().value(), body))), 64)
        .collectList()
        .block();

    Set<String> created = system.actorIds().stream().map(ActorId::value)
        .filter(id -> id.startsWith("counter-")).collect(Collectors.toSet());
    assertThat(created).as("the counters created").hasSize(MAX);
    Map<String, Long> bumps = new TreeMap<>();
    for (Answer a : answers) {
      if (a.status() == 200) {
        assertThat(created).as(a.toString()).contains("counter-" + a.name());
        bumps.merge(a.name(), 1L, Long::sum);
      } else {
        assertThat(a.status()).as(a.toString()).isEqualTo(503);
        assertThat(a.body()).as(a.toString()).contains("\"code\":2")
            .contains("holds " + MAX + " counters, the most clients may create"
                + " (sample.counters.max)");
        assertThat(created).as(a.toString()).doesNotContain("counter-" + a.name());
      }
    }
    assertThat(bumps).as("names bumped").hasSize(MAX);
    bumps.forEach((name, n) -> client.get().uri("/api/counters/{name}", name).exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": " + n + "}", JsonCompareMode.STRICT));

    // full: the counters there still count, reads answer, nothing new is created
    String existing = bumps.keySet().iterator().next();
    client.post().uri("/api/counters/{name}/bump", existing).exchange()
        .expectStatus().isOk().expectBody()
        .json("{\"value\": " + (bumps.get(existing) + 1) + "}", JsonCompareMode.STRICT);
    client.get().uri("/api/counters/{name}", "never-bumped").exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 0}", JsonCompareMode.STRICT);
    SampleTestSupport.expectReject(client.post().uri("/api/counters/{name}/bump", "one-more")
        .exchange(), HttpStatus.SERVICE_UNAVAILABLE, 2, "SYS_TRANSIENT", "sample.counters.max");
    SampleTestSupport.expectReject(client.post().uri("/actors/Counter/{id}/bump",
        "counter-one-more").exchange(), HttpStatus.CONFLICT, 4, "CANISTER_REJECT",
        "sample.counters.max");
    client.post().uri("/actors/Counter/{id}/bump", "counter-" + existing).exchange()
        .expectStatus().isOk();
    assertThat(system.actorIds().stream().map(ActorId::value)
        .filter(id -> id.startsWith("counter-")).count()).isEqualTo(MAX);
    SampleTestSupport.postJson(client, "/api/accounts", "{\"owner\": \"alice\", \"balance\": 5}")
        .expectStatus().isCreated();
  }

  private record Answer(String name, int status, String body) {
  }
}

package io.reactant.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The metrics' tags stay bounded however many actors clients create: counters are virtual, any new
 * name creates one, so an actor id (or a name a client chose) in a tag would make a series per
 * actor, without bound.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class MetricTagsApiTests {

  @Autowired
  WebTestClient client;

  @Autowired
  MeterRegistry registry;

  @Test
  @DisplayName("no meter is tagged with an actor id or a client's name: http.server.requests names"
      + " the route's pattern, reactant.rejects the type and the method")
  void noMeterIsTaggedWithAnActorId() {
    String mark = UUID.randomUUID().toString();
    for (String name : List.of("tagged-a-" + mark, "tagged-b-" + mark)) {
      String id = "counter-" + name;
      client.post().uri("/actors/Counter/{id}/bump", id).exchange().expectStatus().isOk();
      client.post().uri("/api/counters/{name}/bump", "named-" + name).exchange()
          .expectStatus().isOk();
      // refused by the counter's inspection (409), a method the type lacks (404), an id held by
      // an actor of another type (404): each counted in reactant.rejects or answered before
      client.post().uri("/actors/Counter/{id}/bump", name).exchange()
          .expectStatus().isEqualTo(409);
      client.post().uri("/actors/Counter/{id}/explode", id).exchange().expectStatus().isNotFound();
      client.post().uri("/actors/PizzaParlor/{id}/menu", id).exchange()
          .expectStatus().isNotFound();
    }
    // the server records a request's timer once it has answered: maybe after the client read it
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> {
          assertThat(uris()).contains("/actors/{type}/{id}/{method}", "/api/counters/{name}/bump");
          assertThat(registry.find("reactant.rejects").tag("type", "Counter").meters())
              .as("the refusals counted").isNotEmpty();
        });
    assertThat(registry.getMeters()).flatExtracting(m -> m.getId().getTags())
        .extracting(Tag::getValue).noneMatch(value -> value.contains(mark));
  }

  private List<String> uris() {
    return registry.find("http.server.requests").meters().stream().map(Meter::getId)
        .map(id -> id.getTag("uri")).toList();
  }
}

package io.reactant.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Health, metrics and the {@code actors} endpoint. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ActuatorApiTests {

  @Autowired
  WebTestClient anonymous;

  /** The demo operator: the actuator's endpoints but health need the role OPERATOR. */
  WebTestClient client;

  /** A demo customer: authenticated, not an operator. */
  WebTestClient customer;

  @BeforeEach
  void authenticate() {
    client = anonymous.mutate().defaultHeaders(h -> h.setBasicAuth("ops", "observer")).build();
    customer = anonymous.mutate().defaultHeaders(h -> h.setBasicAuth("bob", "builder")).build();
  }

  @Test
  void healthIsUpForAnyoneWithItsDetailsForOperatorsOnly() {
    anonymous.get().uri("/actuator/health").exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.status").isEqualTo("UP")
        .jsonPath("$.components").doesNotExist();
    client.get().uri("/actuator/health").exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.status").isEqualTo("UP")
        .jsonPath("$.components.diskSpace.status").isEqualTo("UP")
        .jsonPath("$.components.reactant.status").isEqualTo("UP");
    // a customer sees what anyone sees: the details (disk path, actor counts) are an operator's
    customer.get().uri("/actuator/health").exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.status").isEqualTo("UP")
        .jsonPath("$.components").doesNotExist();
  }

  @Test
  void healthOfTheActorSystemShowsItsFiguresToOperatorsOnly() {
    client.post().uri("/api/counters/{name}/bump", "healthy-" + UUID.randomUUID()).exchange()
        .expectStatus().isOk();
    client.get().uri("/actuator/health/reactant").exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.status").isEqualTo("UP")
        .jsonPath("$.details.name").isEqualTo("sample")
        .jsonPath("$.details.actors").value(Integer.class, n -> assertThat(n).isPositive())
        .jsonPath("$.details.queuedMessages").isNumber()
        .jsonPath("$.details.deepestMailbox").isNumber()
        .jsonPath("$.details.maxActors").isEqualTo(100000)
        .jsonPath("$.details.mailboxCapacity").doesNotExist(); // unbounded in the sample
    // anonymous callers see no components (show-details: when-authorized): Actuator answers 404,
    // with nothing in the body
    anonymous.get().uri("/actuator/health/reactant").exchange()
        .expectStatus().isNotFound().expectBody().isEmpty();
    customer.get().uri("/actuator/health/reactant").exchange()
        .expectStatus().isNotFound().expectBody().isEmpty();
  }

  @Test
  void actorsAndMetricsNeedAnAuthenticatedUser() {
    for (String path : new String[] {"/actuator", "/actuator/actors", "/actuator/actors/visits",
        "/actuator/metrics", "/actuator/metrics/reactant.turns"}) {
      anonymous.get().uri(path).exchange()
          .expectStatus().isUnauthorized()
          .expectHeader().exists("WWW-Authenticate")
          .expectBody().jsonPath("$.message").value(String.class,
              m -> assertThat(m).startsWith("Authentication required"));
    }
    anonymous.get().uri("/actuator/actors").headers(h -> h.setBasicAuth("ops", "wrong"))
        .exchange().expectStatus().isUnauthorized();
  }

  @Test
  void actorsAndMetricsAreRefusedToACustomer() {
    // every actor id (other customers' accounts included), its balance and the metrics are an
    // operator's view: a customer who logged in is refused, with the same JSON as other refusals
    for (String path : new String[] {"/actuator", "/actuator/actors", "/actuator/actors/visits",
        "/actuator/actors/account-1", "/actuator/metrics", "/actuator/metrics/reactant.turns"}) {
      customer.get().uri(path).exchange()
          .expectStatus().isForbidden()
          .expectBody().jsonPath("$.message").isEqualTo("Access denied");
    }
  }

  @Test
  void actorsEndpointListsLiveActorsWithTheirMailboxDepth() {
    String name = "listed-" + UUID.randomUUID();
    client.post().uri("/api/counters/{name}/bump", name).exchange().expectStatus().isOk();
    String id = "counter-" + name;
    client.get().uri("/actuator/actors?limit=10000").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.system").isEqualTo("sample")
        .jsonPath("$.limit").isEqualTo(10000)
        .jsonPath("$.actors[?(@.id == 'pizzaParlor')].type").isEqualTo("PizzaParlor")
        .jsonPath("$.actors[?(@.id == '" + id + "')].type").isEqualTo("Counter")
        .jsonPath("$.actors[?(@.id == '" + id + "')].mailboxDepth").isEqualTo(0)
        .jsonPath("$.actors[?(@.id == '" + id + "')].turns").isEqualTo(1)
        .jsonPath("$.actors[?(@.id == '" + id + "')].suspendedCalls").isEqualTo(0);
    client.get().uri("/actuator/actors/{id}", id).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.type").isEqualTo("Counter");
    client.get().uri("/actuator/actors/nobody").exchange().expectStatus().isNotFound();
    client.get().uri("/actuator/actors/{id}", " ").exchange().expectStatus().isNotFound();
  }

  @Test
  void actorsEndpointListsAtMostTheLimitAndRefusesABadOne() {
    client.post().uri("/api/counters/{name}/bump", "limited-" + UUID.randomUUID()).exchange()
        .expectStatus().isOk();
    client.get().uri("/actuator/actors?limit=1").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.limit").isEqualTo(1)
        .jsonPath("$.actors.length()").isEqualTo(1)
        .jsonPath("$.count").value(count -> assertThat((Integer) count).isGreaterThan(1));
    for (String bad : new String[] {"0", "-3", "many", "10001", "2147483647"}) {
      client.get().uri("/actuator/actors?limit=" + bad).exchange()
          .expectStatus().isBadRequest()
          .expectBody(String.class)
          .value(body -> assertThat(body).doesNotContain("Exception").doesNotContain("at io."));
    }
  }

  @Test
  void actorsEndpointSaysWhatLimitItTakes() {
    client.get().uri("/actuator/actors?limit=0").exchange()
        .expectStatus().isBadRequest()
        .expectBody().jsonPath("$.message").isEqualTo("limit must be at least 1, but was 0");
    client.get().uri("/actuator/actors?limit=1000000").exchange()
        .expectStatus().isBadRequest()
        .expectBody().jsonPath("$.message")
        .isEqualTo("limit must be at most 10000, but was 1000000");
  }

  @Test
  void turnAndRejectMetricsArePublished() {
    client.post().uri("/api/counters/{name}/bump", "metered-" + UUID.randomUUID()).exchange()
        .expectStatus().isOk();
    client.post().uri("/api/atomicity/atomic").exchange().expectStatus().is5xxServerError();
    client.get().uri("/actuator/metrics/reactant.turns?tag=type:Counter&tag=outcome:committed").exchange()
        .expectStatus().isOk()
        .expectBody().jsonPath("$.measurements[?(@.statistic == 'COUNT')].value")
        .value(v -> assertThat(((java.util.List<?>) v).get(0)).asString().isNotEqualTo("0.0"));
    client.get().uri("/actuator/metrics/reactant.rejects?tag=code:5").exchange()
        .expectStatus().isOk();
    client.get().uri("/actuator/metrics/reactant.mailbox.depth").exchange()
        .expectStatus().isOk();
  }
}

package io.reactant.sample.bank;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystem;
import io.reactant.sample.SampleTestSupport;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bound on the accounts that clients open ({@code sample.accounts.max}), in a sample of its
 * own whose bound is small. One test: it fills the bound, and then looks at the full sample.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.accounts.max=20")
@AutoConfigureWebTestClient
class AccountBoundApiTests {

  private static final int MAX = 20;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired
  WebTestClient client;

  @Autowired
  ActorSystem system;

  @LocalServerPort
  int port;

  @Test
  @DisplayName("60 anonymous openings at once open exactly sample.accounts.max accounts; the others"
      + " answer 503 (code 2) saying the bound is reached and create nothing; a full bank still"
      + " moves money, and counters are still created (anonymous openings could fill"
      + " reactant.max-actors, and then no counter nor account could be created)")
  void theAccountsThatClientsOpenStayWithinTheBound() {
    List<Answer> answers = Flux.range(0, 60)
        .flatMap(i -> SampleTestSupport.concurrentClient(port).post().uri("/api/accounts")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"owner\": \"alice\", \"balance\": " + i + "}")
            .exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("")
                .map(body -> new Answer(r.statusCode().value(), body))), 60)
        .collectList()
        .block();

    Set<String> accounts = system.actorIds().stream().map(ActorId::value)
        .filter(id -> id.startsWith("account-")).collect(Collectors.toSet());
    assertThat(accounts).as("the accounts in the system").hasSize(MAX);
    Set<String> opened = new HashSet<>();
    for (Answer a : answers) {
      if (a.status() == 201) {
        opened.add(JSON.readTree(a.body()).path("id").asString());
      } else {
        assertThat(a.status()).as(a.toString()).isEqualTo(503);
        assertThat(a.body()).as(a.toString()).contains("\"code\":2")
            .contains("holds " + MAX + " accounts, the most clients may open (sample.accounts.max)");
      }
    }
    assertThat(opened).as("the accounts answered 201").isEqualTo(accounts);

    SampleTestSupport.expectReject(SampleTestSupport.postJson(client, "/api/accounts",
        "{\"owner\": \"bob\", \"balance\": 1}"), HttpStatus.SERVICE_UNAVAILABLE, 2,
        "SYS_TRANSIENT", "sample.accounts.max");
    String rich = accounts.stream().filter(id -> balance(id) > 0).findFirst().orElseThrow();
    String other = accounts.stream().filter(id -> !id.equals(rich)).findFirst().orElseThrow();
    long before = balance(other);
    SampleTestSupport.postJsonAs(client, "alice", "wonderland", "/api/transfers",
        "{\"from\": \"" + rich + "\", \"to\": \"" + other + "\", \"amount\": 1}")
        .expectStatus().isOk();
    assertThat(balance(other)).isEqualTo(before + 1);
    client.post().uri("/api/counters/{name}/bump", "after-the-accounts").exchange()
        .expectStatus().isOk();
    assertThat(system.actorIds().stream().map(ActorId::value)
        .filter(id -> id.startsWith("account-")).count()).isEqualTo(MAX);
  }

  private long balance(String id) {
    return JSON.readTree(client.get().uri("/api/accounts/{id}", id).exchange()
        .expectStatus().isOk().expectBody().returnResult().getResponseBody())
        .path("balance").asLong();
  }

  private record Answer(int status, String body) {
  }
}

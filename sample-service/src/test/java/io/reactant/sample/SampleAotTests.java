package io.reactant.sample;

import static io.reactant.sample.SampleTestSupport.expectMessage;
import static io.reactant.sample.SampleTestSupport.expectReject;
import static io.reactant.sample.SampleTestSupport.postJson;
import static io.reactant.sample.SampleTestSupport.postJsonAs;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.sample.atomicity.Atomicity;
import io.reactant.sample.bank.Account;
import io.reactant.sample.counter.Counter;
import io.reactant.sample.pizza.PizzaParlor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample service processed by Spring Boot's AOT processor (what {@code spring-boot:process-aot}
 * and a native build run, auto-configuration and all) and started from the code it generates, in
 * a JVM of its own ({@link AotProcessedSample}): its actors of every activation, the generic actor
 * ingress, Spring Security and the actuator work as on the JVM without AOT.
 */
class SampleAotTests {

  private static final ParameterizedTypeReference<List<String>> TEXTS =
      new ParameterizedTypeReference<>() { };

  private static AotProcessedSample sample;
  private static WebTestClient anonymous;
  private static WebTestClient ops;

  @BeforeAll
  static void processCompileAndStart() throws Exception {
    sample = AotProcessedSample.start(Path.of("target", "sample-aot"), Duration.ofSeconds(60));
    anonymous = WebTestClient.bindToServer().baseUrl("http://localhost:" + sample.port())
        .responseTimeout(Duration.ofSeconds(10)).build();
    ops = anonymous.mutate().defaultHeaders(h -> h.setBasicAuth("ops", "observer")).build();
  }

  @AfterAll
  static void stop() {
    if (sample != null) {
      sample.close();
    }
  }

  @Test
  @DisplayName("the sample started in AOT mode, from the initializer Boot's processor generated")
  void theSampleStartedFromItsAotCode() {
    assertThat(sample.output())
        .contains("Starting AOT-processed " + SampleServiceApplication.class.getSimpleName());
  }

  @Test
  @DisplayName("the native image metadata Boot's processor wrote holds the starter's hints for each"
      + " of the sample's actor types: a JDK proxy of its interface and the interface's public"
      + " methods")
  void theNativeImageMetadataHoldsTheActorsHints() {
    JsonNode metadata = JsonMapper.builder().build()
        .readTree(sample.reachabilityMetadata().toFile());
    List<String> proxies = new ArrayList<>();
    List<String> invocable = new ArrayList<>();
    for (JsonNode entry : metadata.path("reflection")) {
      JsonNode type = entry.path("type");
      if (type.has("proxy")) {
        type.path("proxy").forEach(i -> proxies.add(i.asString()));
      } else if (entry.path("allPublicMethods").asBoolean(false)) {
        invocable.add(type.asString());
      }
    }
    List<String> actorTypes = List.of(Atomicity.class.getName(), Account.class.getName(),
        Counter.class.getName(), PizzaParlor.class.getName());
    assertThat(proxies).containsAll(actorTypes);
    assertThat(invocable).containsAll(actorTypes);
  }

  @Test
  @DisplayName("health is UP, with the actor system's figures (reactant) for an operator")
  void healthIsUpWithTheActorSystem() {
    anonymous.get().uri("/actuator/health").exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.status").isEqualTo("UP")
        .jsonPath("$.components").doesNotExist();
    ops.get().uri("/actuator/health").exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.status").isEqualTo("UP")
        .jsonPath("$.components.reactant.status").isEqualTo("UP")
        .jsonPath("$.components.reactant.details.name").isEqualTo("sample")
        .jsonPath("$.components.reactant.details.maxActors").isEqualTo(100000);
  }

  @Test
  @DisplayName("a virtual counter is created by its first bump through the controller, and the"
      + " generic actor ingress bumps and reads the same actor")
  void aVirtualCounterAnswersThroughItsControllerAndTheGenericIngress() {
    anonymous.post().uri("/api/counters/aot-visits/bump").exchange()
        .expectStatus().isOk().expectBody().json("{\"value\":1}", JsonCompareMode.STRICT);
    anonymous.post().uri("/actors/Counter/counter-aot-visits/bump").exchange()
        .expectStatus().isOk().expectBody(Long.class).isEqualTo(2L);
    anonymous.get().uri("/api/counters/aot-visits").exchange()
        .expectStatus().isOk().expectBody().json("{\"value\":2}", JsonCompareMode.STRICT);
    anonymous.get().uri("/actors/Counter/counter-aot-visits/read").exchange()
        .expectStatus().isOk().expectBody(Long.class).isEqualTo(2L);
  }

  @Test
  @DisplayName("the singleton parlour's reference, which the generated code leaves out and the"
      + " starter registers again, is injected into its controller and calls the actor")
  void aSingletonsInjectedReferenceCallsTheActor() {
    postJson(anonymous, "/api/pizza/orders", "{\"order\": \"Margherita\"}")
        .expectStatus().isOk().expectBody()
        .json("{\"message\":\"Order received: Margherita\"}", JsonCompareMode.STRICT);
    postJson(anonymous, "/actors/PizzaParlor/pizzaParlor/placeOrder", "[\"Diavola\"]")
        .expectStatus().isOk().expectBody(String.class).isEqualTo("\"Order received: Diavola\"");
    anonymous.get().uri("/api/pizza/orders").exchange()
        .expectStatus().isOk().expectBody()
        .json("{\"orders\":[\"Margherita\",\"Diavola\"]}", JsonCompareMode.STRICT);
  }

  @Test
  @DisplayName("a transfer needs HTTP Basic (401 without), the owner's (403 for another user), and"
      + " moves money between two spawned accounts for the owner, through the controller and the"
      + " generic ingress, which passes the user on as the actor's caller")
  void transfersBetweenSpawnedAccountsNeedTheOwner() {
    String from = open("alice", 100);
    String to = open("bob", 50);
    String transfer = "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": 30}";
    expectMessage(postJson(anonymous, "/api/transfers", transfer), HttpStatus.UNAUTHORIZED,
        "Authentication required");
    expectMessage(postJsonAs(anonymous, "bob", "builder", "/api/transfers", transfer),
        HttpStatus.FORBIDDEN, "bob does not own account " + from);
    postJsonAs(anonymous, "alice", "wonderland", "/api/transfers", transfer)
        .expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(70);
    postJsonAs(anonymous, "alice", "wonderland", "/actors/Account/" + from + "/transfer",
        "[\"" + to + "\", 10]")
        .expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(60);
    anonymous.get().uri("/api/accounts/" + to).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(90);
  }

  @Test
  @DisplayName("the generic ingress describes the sample's four actor types, and an unknown type"
      + " or actor answers a clear 404 (code 3, DESTINATION_INVALID)")
  void theGenericIngressKnowsTheSamplesActorTypes() {
    anonymous.get().uri("/actors").exchange()
        .expectStatus().isOk().expectBody().jsonPath("$[*].type").value(TEXTS,
            types -> assertThat(types)
                .containsExactlyInAnyOrder("Atomicity", "Account", "Counter", "PizzaParlor"));
    expectReject(anonymous.post().uri("/actors/Bakery/b/bake").exchange(), HttpStatus.NOT_FOUND,
        3, "DESTINATION_INVALID", "No actor type 'Bakery'; the exposed types are [Atomicity,"
            + " Account, Counter, PizzaParlor]");
    expectReject(anonymous.get().uri("/api/accounts/account-999").exchange(),
        HttpStatus.NOT_FOUND, 3, "DESTINATION_INVALID", "No actor 'account-999'");
  }

  @Test
  @DisplayName("the actuator's actors endpoint lists a live actor, and the metrics count the"
      + " actors' turns, to an authenticated user only")
  void theActorsEndpointAndTheMetricsShowLiveActorsToAuthenticatedUsers() {
    anonymous.post().uri("/api/counters/aot-listed/bump").exchange().expectStatus().isOk();
    ops.get().uri("/actuator/actors?limit=10000").exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.system").isEqualTo("sample")
        .jsonPath("$.actors[?(@.id == 'counter-aot-listed')].type").value(TEXTS,
            types -> assertThat(types).containsExactly("Counter"));
    ops.get().uri("/actuator/metrics/reactant.turns").exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("reactant.turns");
    expectMessage(anonymous.get().uri("/actuator/actors").exchange(), HttpStatus.UNAUTHORIZED,
        "Authentication required");
  }

  @Test
  @DisplayName("the starter's strict input and error bodies, which the sample turns on, answer"
      + " the controllers' client errors and Reactor Netty's own refusals with a {\"message\"}")
  void strictInputAndErrorBodiesAnswerClientErrors() throws IOException {
    expectMessage(postJson(anonymous, "/api/accounts",
        "{\"owner\": \"carol\", \"balance\": \"lots\"}"),
        HttpStatus.BAD_REQUEST, "Invalid JSON body at 'balance'");
    expectMessage(postJson(anonymous, "/api/pizza/orders",
        "{\"order\": \"A\", \"order\": \"B\"}"), HttpStatus.BAD_REQUEST, "Duplicate");
    expectMessage(anonymous.get().uri("/api/nothing").exchange(), HttpStatus.NOT_FOUND,
        "No endpoint at /api/nothing");
    // Reactor Netty answers 414 and closes the connection: over a raw socket, since a pooling
    // client that sends it on a kept-alive connection may wait for an answer that never comes
    SampleTestSupport.expectRawAnswer(sample.port(), "GET /actors/Counter/" + "c".repeat(5_000)
        + "/read HTTP/1.1\r\nHost: x\r\n\r\n", 414,
        "The request line is too long: shorten the URI");
  }

  /** Opens an account through the controller (an explicit actor spawned) and answers its id. */
  private static String open(String owner, long balance) {
    AtomicReference<String> id = new AtomicReference<>();
    postJson(anonymous, "/api/accounts",
        "{\"owner\": \"" + owner + "\", \"balance\": " + balance + "}")
        .expectStatus().isCreated().expectBody()
        .jsonPath("$.owner").isEqualTo(owner)
        .jsonPath("$.id").value(String.class, id::set);
    assertThat(id.get()).startsWith("account-");
    return id.get();
  }
}

package io.reactant.sample.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.sample.SampleTestSupport;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class CounterApiTests {

  @Autowired
  WebTestClient client;

  @LocalServerPort
  int port;

  private static String fresh() {
    return "named-" + UUID.randomUUID();
  }

  @Test
  void bumpAnswersTheNewValueAndReadAnswersTheCommittedOne() {
    String name = fresh();
    client.get().uri("/api/counters/{name}", name).exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 0}", JsonCompareMode.STRICT);
    client.post().uri("/api/counters/{name}/bump", name).exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 1}", JsonCompareMode.STRICT);
    client.post().uri("/api/counters/{name}/bump", name).exchange()
        .expectBody().json("{\"value\": 2}", JsonCompareMode.STRICT);
    client.get().uri("/api/counters/{name}", name).exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 2}", JsonCompareMode.STRICT);
  }

  @Test
  void blankOrOverlongNameAnswers400AndCreatesNothing() {
    SampleTestSupport.expectMessage(client.get().uri("/api/counters/{name}", " ").exchange(),
        HttpStatus.BAD_REQUEST, "'name' is required and must not be blank");
    SampleTestSupport.expectMessage(client.post().uri("/api/counters/{name}/bump", "c".repeat(65))
        .exchange(), HttpStatus.BAD_REQUEST, "'name' must be at most 64 characters");
    client.get().uri("/actuator/actors/{id}", "c".repeat(65))
        .headers(h -> h.setBasicAuth("ops", "observer")).exchange().expectStatus().isNotFound();
  }

  @Test
  @DisplayName("a name's length is counted in characters (code points), as the message says: 64"
      + " characters outside the BMP (128 UTF-16 units) were refused as over 64 characters")
  void nameLengthCountsCharactersNotUtf16Units() {
    String emoji = "\uD83D\uDE00";
    client.post().uri("/api/counters/{name}/bump", emoji.repeat(64)).exchange()
        .expectStatus().isOk();
    SampleTestSupport.expectMessage(client.post().uri("/api/counters/{name}/bump",
        emoji.repeat(65)).exchange(), HttpStatus.BAD_REQUEST,
        "'name' must be at most 64 characters");
  }

  @Test
  void bumpThatAcceptsNoJsonAnswers406AndDoesNotCount() {
    String name = fresh();
    WebTestClient.ResponseSpec refused = client.post().uri("/api/counters/{name}/bump", name)
        .accept(MediaType.TEXT_PLAIN).exchange();
    client.get().uri("/api/counters/{name}", name).exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 0}", JsonCompareMode.STRICT);
    SampleTestSupport.expectMessage(refused, HttpStatus.NOT_ACCEPTABLE, "application/json");
  }

  @Test
  @DisplayName("an Accept header that gives JSON q=0 (not acceptable) answers 406 with a JSON message"
      + " and does not count, as the generic endpoints do: Spring's negotiation ignored q=0 and"
      + " answered 200 in JSON")
  void bumpThatAcceptsJsonWithQualityZeroAnswers406AndDoesNotCount() {
    for (String accept : new String[] {"application/json;q=0", "application/json;q=0.0, text/plain",
        "*/*;q=0"}) {
      String name = fresh();
      WebTestClient.ResponseSpec refused = client.post().uri("/api/counters/{name}/bump", name)
          .header("Accept", accept).exchange();
      client.get().uri("/api/counters/{name}", name).exchange()
          .expectStatus().isOk().expectBody().json("{\"value\": 0}", JsonCompareMode.STRICT);
      SampleTestSupport.expectMessage(refused, HttpStatus.NOT_ACCEPTABLE,
          "accept it (Accept: application/json)");
    }
    // q=0 for one type leaves the others as they are
    client.post().uri("/api/counters/{name}/bump", fresh())
        .header("Accept", "text/plain;q=0, application/json;q=0.5").exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 1}", JsonCompareMode.STRICT);
  }

  @Test
  @DisplayName("an Accept header that is not a list of media types answers 406 with a JSON message"
      + " and does not count, as one that admits no JSON does")
  void bumpWhoseAcceptIsNoMediaTypeAnswers406AndDoesNotCount() {
    String name = fresh();
    WebTestClient.ResponseSpec refused = client.post().uri("/api/counters/{name}/bump", name)
        .header("Accept", "garbage").exchange();
    client.get().uri("/api/counters/{name}", name).exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 0}", JsonCompareMode.STRICT);
    SampleTestSupport.expectMessage(refused, HttpStatus.NOT_ACCEPTABLE, "application/json");
  }

  @Test
  @DisplayName("a name with a character not percent-encoded (a raw é, as curl sends it) answers 400"
      + " and bumps nothing: the server reads the request line as ISO-8859-1, so its UTF-8 bytes"
      + " bumped the counter 'rawcafÃ©'")
  void nameWithACharacterNotPercentEncodedAnswers400() throws java.io.IOException {
    String answer;
    try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("POST /api/counters/rawcaf\u00e9/bump HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\nContent-Length: 0\r\n\r\n").getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
      answer = new String(socket.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(answer).startsWith("HTTP/1.1 400 ").endsWith("{\"message\":\"The path holds"
        + " characters that are not percent-encoded: percent-encode the UTF-8 bytes of each"
        + " character outside ASCII (\u00e9 is %C3%A9)\"}");
    for (String name : new String[] {"rawcaf%C3%A9", "rawcaf%C3%83%C2%A9"}) {
      client.get().uri(java.net.URI.create("http://localhost:" + port + "/api/counters/" + name))
          .exchange().expectStatus().isOk().expectBody().json("{\"value\": 0}", JsonCompareMode.STRICT);
    }
  }

  @Test
  @DisplayName("a name whose percent-encoding is not UTF-8 (%FF, an overlong %C0%AF, a surrogate)"
      + " answers 400 and bumps nothing, as an actor id does: Spring decodes each malformed byte to"
      + " U+FFFD, so 'x%FF' and 'x%FE' bumped one counter")
  void nameNotUtf8OncePercentDecodedAnswers400() {
    String name = fresh();
    for (String encoded : new String[] {"%FF", "%FE", "%C0%AF", "%ED%A0%80", "%C3"}) {
      SampleTestSupport.expectMessage(client.post().uri(java.net.URI.create("http://localhost:"
          + port + "/api/counters/" + name + encoded + "/bump")).exchange(),
          HttpStatus.BAD_REQUEST, "not UTF-8 once percent-decoded");
    }
    // U+FFFD itself, percent-encoded as UTF-8, is a name like any other
    client.get().uri(java.net.URI.create("http://localhost:" + port + "/api/counters/" + name
        + "%EF%BF%BD")).exchange().expectStatus().isOk().expectBody()
        .json("{\"value\": 0}", JsonCompareMode.STRICT);
  }

  @Autowired
  io.reactant.actor.ActorSystem system;

  @Test
  @DisplayName("R19 R20 an anonymous read of a name never bumped answers 0 and creates no actor")
  void readOfAFreshNameCreatesNothing() {
    String name = fresh();
    client.get().uri("/api/counters/{name}", name).exchange()
        .expectStatus().isOk().expectBody().json("{\"value\": 0}", JsonCompareMode.STRICT);
    assertThat(system.contains(io.reactant.actor.ActorId.of("counter-" + name))).isFalse();
    client.post().uri("/api/counters/{name}/bump", name).exchange().expectStatus().isOk();
    assertThat(system.contains(io.reactant.actor.ActorId.of("counter-" + name))).isTrue();
  }

  @Test
  @DisplayName("R1 R23 a counter's actor id is 'counter-' and its name: the name alone is no actor,"
      + " so a client-chosen name never addresses another type's actor (it was the raw name)")
  void aCounterIdIsItsNameWithAPrefix() {
    String name = fresh();
    client.post().uri("/api/counters/{name}/bump", name).exchange().expectStatus().isOk();
    assertThat(system.contains(io.reactant.actor.ActorId.of("counter-" + name))).isTrue();
    assertThat(system.contains(io.reactant.actor.ActorId.of(name))).isFalse();
  }

  @Test
  @DisplayName("R1 R23 a counter named like a singleton is a counter of its own: 'pizzaParlor'"
      + " answered 404 naming the parlour (the name was its id), 'atomicity' likewise")
  void aCounterNamedLikeASingletonIsACounterOfItsOwn() {
    for (String singleton : new String[] {"pizzaParlor", "atomicity"}) {
      client.get().uri("/api/counters/{name}", singleton).exchange()
          .expectStatus().isOk().expectBody().json("{\"value\": 0}", JsonCompareMode.STRICT);
      client.post().uri("/api/counters/{name}/bump", singleton).exchange()
          .expectStatus().isOk().expectBody().jsonPath("$.value").isNumber();
      assertThat(system.contains(io.reactant.actor.ActorId.of("counter-" + singleton))).isTrue();
    }
  }

  @Test
  @DisplayName("a name with a control character (C0, DEL, C1), an invisible format character (a"
      + " bidi override, a zero-width space), a separator other than the space, or a space at"
      + " either end answers 400 saying what a name may hold, and creates nothing: they were"
      + " counters")
  void nameWithAControlOrInvisibleCharacterAnswers400AndCreatesNothing() {
    String name = fresh();
    String[][] cases = {{"%09", "U+0009"}, {"%0B", "U+000B"}, {"%1B", "U+001B"}, {"%7F", "U+007F"},
        {"%C2%85", "U+0085"}, {"%E2%80%AE", "U+202E"}, {"%E2%80%8B", "U+200B"},
        {"%C2%A0", "U+00A0"}, {"%E3%80%80", "U+3000"}, {"%EE%80%80", "U+E000"}};
    for (String[] c : cases) {
      for (String encoded : new String[] {name + c[0] + "x", c[0] + name}) {
        SampleTestSupport.expectMessage(client.post().uri(java.net.URI.create("http://localhost:"
            + port + "/api/counters/" + encoded + "/bump")).exchange(), HttpStatus.BAD_REQUEST,
            c[1]);
        SampleTestSupport.expectMessage(client.get().uri(java.net.URI.create("http://localhost:"
            + port + "/api/counters/" + encoded)).exchange(), HttpStatus.BAD_REQUEST,
            "letters, marks, numbers, punctuation, symbols and spaces");
      }
    }
    for (String encoded : new String[] {"%20" + name, name + "%20"}) {
      SampleTestSupport.expectMessage(client.post().uri(java.net.URI.create("http://localhost:"
          + port + "/api/counters/" + encoded + "/bump")).exchange(), HttpStatus.BAD_REQUEST,
          "no space at either end");
    }
    assertThat(system.actorIds()).noneMatch(id -> id.value().contains(name));
  }

  @Test
  @DisplayName("R26 the generic endpoint reaches a counter by its id, 'counter-' and its name, and"
      + " its inspection refuses (409, code 4) an id without the prefix or with a name the"
      + " controller refuses, and creates nothing: it created counters of any id")
  void theGenericEndpointRefusesIdsThatAreNoCounterName() {
    String name = fresh();
    SampleTestSupport.expectReject(client.post().uri("/actors/Counter/{id}/bump", name).exchange(),
        HttpStatus.CONFLICT, 4, "CANISTER_REJECT",
        "a counter's id is 'counter-' followed by its name");
    SampleTestSupport.expectReject(client.post().uri(java.net.URI.create("http://localhost:" + port
        + "/actors/Counter/counter-a%09" + name + "/inc")).exchange(), HttpStatus.CONFLICT, 4,
        "CANISTER_REJECT", "U+0009");
    SampleTestSupport.expectReject(client.post().uri("/actors/Counter/{id}/bump", "counter-")
        .exchange(), HttpStatus.CONFLICT, 4, "CANISTER_REJECT", "must not be blank");
    assertThat(system.actorIds()).noneMatch(id -> id.value().contains(name));
    assertThat(system.contains(io.reactant.actor.ActorId.of("counter-"))).isFalse();
  }

  @Test
  void eachNameIsItsOwnCounter() {
    String one = fresh();
    String other = fresh();
    client.post().uri("/api/counters/{name}/bump", one).exchange().expectStatus().isOk();
    client.get().uri("/api/counters/{name}", other).exchange()
        .expectBody().json("{\"value\": 0}", JsonCompareMode.STRICT);
  }

  @Test
  @DisplayName("R2 R8 200 concurrent bumps on one name give exactly 200, each value once")
  void concurrentBumpsAreNeverLost() {
    String name = fresh();
    List<Long> values = Flux.range(0, 200)
        .flatMap(i -> SampleTestSupport.concurrentClient(port).post()
            .uri("/api/counters/{name}/bump", name).retrieve()
            .bodyToMono(new ParameterizedTypeReference<Map<String, Long>>() { })
            .map(body -> body.get("value")), 200)
        .collectList()
        .block();
    assertThat(values).hasSize(200)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    client.get().uri("/api/counters/{name}", name).exchange()
        .expectBody().json("{\"value\": 200}", JsonCompareMode.STRICT);
  }

  @Test
  void counterIsAlsoReachedThroughTheGenericActorEndpoints() {
    String name = fresh();
    client.post().uri("/actors/Counter/{id}/bump", "counter-" + name).exchange()
        .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
    client.post().uri("/actors/Counter/{id}/inc", "counter-" + name).exchange()
        .expectStatus().isNoContent();
    client.get().uri("/actors/Counter/{id}/read", "counter-" + name).exchange()
        .expectStatus().isOk().expectBody(Long.class).isEqualTo(2L);
    client.get().uri("/api/counters/{name}", name).exchange()
        .expectBody().json("{\"value\": 2}", JsonCompareMode.STRICT);
  }

  @Test
  void theBenchmarkBaselineIsNotExposedByDefault() {
    client.post().uri("/bench/bare/counters/{name}/bump", fresh()).exchange()
        .expectStatus().isNotFound();
  }
}

package io.reactant.sample;

import static io.reactant.sample.SampleTestSupport.expectMessage;
import static io.reactant.sample.SampleTestSupport.expectReject;
import static io.reactant.sample.SampleTestSupport.postJson;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The starter's generic endpoints, as the sample exposes them. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ActorEndpointsApiTests {

  @Autowired
  WebTestClient client;

  @LocalServerPort
  int port;

  @Test
  @SuppressWarnings("unchecked")
  void everyActorTypeOfTheSampleIsDescribed() {
    client.get().uri("/actors").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$[*].type").value(types -> org.assertj.core.api.Assertions.assertThat(
            (java.util.List<Object>) types).containsExactlyInAnyOrder("Account", "Atomicity", "Counter", "PizzaParlor"))
        .jsonPath("$[?(@.type == 'PizzaParlor')].methods[?(@.name == 'placeOrder')].params[0].type")
            .isEqualTo("text")
        .jsonPath("$[?(@.type == 'PizzaParlor')].methods[?(@.name == 'getOrders')].kind").isEqualTo("query")
        .jsonPath("$[?(@.type == 'PizzaParlor')].methods[?(@.name == 'getOrders')].returns").isEqualTo("vec text")
        .jsonPath("$[?(@.type == 'Counter')].methods[?(@.name == 'bump')].kind").isEqualTo("update");
  }

  @Test
  @org.junit.jupiter.api.DisplayName("a request Netty cannot decode (a URI too long: 414, headers too"
      + " large: 431, a malformed request line: 400) answers its status with a {\"message\"} body,"
      + " as other refusals do, not an empty one: the starter's NettyErrorBodies, which"
      + " reactant.http.error-bodies.enabled installs on the sample's Reactor Netty server")
  void requestNettyCannotDecodeAnswersWithAMessage() throws java.io.IOException {
    String tooLong = "GET /actors/Counter/" + "c".repeat(5_000) + "/read HTTP/1.1\r\nHost: x\r\n\r\n";
    String tooLarge = "GET /actors HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9_000)
        + "\r\n\r\n";
    String malformed = "GET /actors HTTP/1.1 trailing\r\nHost: x\r\n\r\n";
    expectRawAnswer(tooLong, 414, "The request line is too long: shorten the URI");
    expectRawAnswer(tooLarge, 431, "The request's header fields are too large");
    expectRawAnswer(malformed, 400, "The request is not valid HTTP/1.1");
  }

  @Test
  @org.junit.jupiter.api.DisplayName("R23 a request target that is no URI (a '%' not followed by"
      + " two hexadecimal digits in a path or a query, a '%' at its end), which Spring's adapter of"
      + " Reactor Netty refuses before any filter with an empty 400, answers 400 with a"
      + " {\"message\"} body on a real server; a raw byte outside ASCII is strict input's 400")
  void requestTargetThatIsNoUriAnswers400WithAMessage() throws java.io.IOException {
    String noUri = "The request target is not a valid URI: percent-encode a '%' itself as %25,"
        + " and each character outside ASCII or reserved as its UTF-8 bytes (\u00e9 is %C3%A9)";
    for (String target : new String[] {"/api/counters/a%zz", "/api/counters/a?q=%zz",
        "/actors/Counter/a%/read", "/api/counters/a?q=%"}) {
      expectRawAnswer("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400,
          noUri);
    }
    String raw = new String(("GET /api/counters/caf\u00e9 HTTP/1.1\r\nHost: x\r\n"
        + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
        java.nio.charset.StandardCharsets.ISO_8859_1);
    expectRawAnswer(raw, 400, "The path holds characters that are not percent-encoded:"
        + " percent-encode the UTF-8 bytes of each character outside ASCII (\u00e9 is %C3%A9)");
  }

  @Test
  @org.junit.jupiter.api.DisplayName("an actor id with a character not percent-encoded (a raw é, as"
      + " curl sends it) answers 400 and bumps nothing: the server reads the request line as"
      + " ISO-8859-1, so its UTF-8 bytes named the actor 'rawcafÃ©'")
  void actorIdWithACharacterNotPercentEncodedAnswers400() throws java.io.IOException {
    String request = new String(("POST /actors/Counter/rawcaf\u00e9/bump HTTP/1.1\r\nHost: x\r\n"
        + "Connection: close\r\nContent-Length: 0\r\n\r\n").getBytes(
        java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
    expectRawAnswer(request, 400, "The actor id holds characters that are not percent-encoded:"
        + " percent-encode the UTF-8 bytes of each character outside ASCII (\u00e9 is %C3%A9)");
    for (String id : new String[] {"rawcaf%C3%A9", "rawcaf%C3%83%C2%A9"}) {
      client.get().uri(URI.create("http://localhost:" + port + "/actors/Counter/" + id + "/read"))
          .exchange().expectStatus().isOk().expectBody(Long.class).isEqualTo(0L);
    }
  }

  private void expectRawAnswer(String request, int status, String message) throws java.io.IOException {
    SampleTestSupport.expectRawAnswer(port, request, status, message);
  }

  @Test
  void unknownTypeMethodOrIdAnswers404WithCode3() {
    expectReject(postJson(client, "/actors/Bakery/b/bake", "[]"), HttpStatus.NOT_FOUND, 3,
        "DESTINATION_INVALID", "No actor type 'Bakery'");
    expectReject(postJson(client, "/actors/PizzaParlor/pizzaParlor/burn", "[]"), HttpStatus.NOT_FOUND,
        3, "DESTINATION_INVALID", "no method 'burn'");
    expectReject(postJson(client, "/actors/PizzaParlor/otherParlor/makePizza", "[]"),
        HttpStatus.NOT_FOUND, 3, "DESTINATION_INVALID", "otherParlor");
  }

  @Test
  @org.junit.jupiter.api.DisplayName("a path under /actors that is not /{type}/{id}/{method} answers"
      + " the starter's 404, which says what an endpoint's path is; another path no handler takes"
      + " a 404 that names it, not a static resource and the request's URL")
  void pathNoHandlerTakesAnswers404SayingWhatThePathShouldBe() {
    for (String path : new String[] {"/actors/Counter/a/b/bump", "/actors/Counter"}) {
      expectMessage(postJson(client, path, "[]"), HttpStatus.NOT_FOUND, "No actor endpoint at "
          + path + ": call /actors/{type}/{id}/{method}, or GET /actors for the types");
    }
    expectMessage(client.get().uri("/api/nothing").exchange(), HttpStatus.NOT_FOUND,
        "No endpoint at /api/nothing");
    client.get().uri("/api/nothing").exchange().expectBody(String.class)
        .value(body -> org.assertj.core.api.Assertions.assertThat(body)
            .doesNotContain("static resource").doesNotContain("localhost"));
  }

  @Test
  void badInputAnswers400NamingWhatIsWrong() {
    expectMessage(postJson(client, "/actors/PizzaParlor/pizzaParlor/placeOrder", "[\"Margherita\""),
        HttpStatus.BAD_REQUEST, "Malformed JSON");
    expectMessage(postJson(client, "/actors/PizzaParlor/pizzaParlor/placeOrder", "[]"),
        HttpStatus.BAD_REQUEST, "PizzaParlor.placeOrder(order : text) takes 1 argument, but the array has 0");
    expectMessage(postJson(client, "/actors/PizzaParlor/pizzaParlor/placeOrder", "[7]"),
        HttpStatus.BAD_REQUEST, "Argument 1 (order : text)");
    expectMessage(postJson(client, "/actors/PizzaParlor/pizzaParlor/placeOrder", "{\"order\": \"x\"}"),
        HttpStatus.BAD_REQUEST, "must be a JSON array");
  }

  @Test
  void requestsTheFirewallRefusesAnswer400WithAMessage() {
    expectMessage(client.post().uri(URI.create("http://localhost:" + port + "/actors/Counter/a%2Fb/bump")).exchange(),
        HttpStatus.BAD_REQUEST, "%2F");
    expectMessage(client.post().uri(URI.create("http://localhost:" + port + "/actors/Counter/a%25b/bump")).exchange(),
        HttpStatus.BAD_REQUEST, "%25");
    expectMessage(client.method(HttpMethod.TRACE).uri("/actors").exchange(),
        HttpStatus.BAD_REQUEST, "TRACE");
  }

  @Test
  void getOnAnUpdateAnswers405() {
    expectMessage(client.get().uri("/actors/PizzaParlor/pizzaParlor/makePizza").exchange(),
        HttpStatus.METHOD_NOT_ALLOWED, "GET is only for query methods");
  }

  @Test
  void oversizedBodyAnswers413() {
    expectMessage(postJson(client, "/actors/PizzaParlor/pizzaParlor/placeOrder",
            "[" + SampleTestSupport.oversizedJsonString(1_100_000) + "]"),
        HttpStatus.CONTENT_TOO_LARGE, "larger than the limit of 1048576 bytes");
  }

  @Test
  void trapAnswers500WithCode5() {
    client.post().uri("/actors/Atomicity/atomicity/reset").exchange().expectStatus().isOk();
    expectReject(client.post().uri("/actors/Atomicity/atomicity/atomic").exchange(),
        HttpStatus.INTERNAL_SERVER_ERROR, 5, "CANISTER_ERROR",
        "atomicity trapped in Atomicity.atomic(): ArithmeticException");
  }
}

package io.reactant.sample.pizza;

import static io.reactant.sample.SampleTestSupport.expectMessage;
import static io.reactant.sample.SampleTestSupport.expectReject;
import static io.reactant.sample.SampleTestSupport.postJson;
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
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class PizzaApiTests {

  @Autowired
  WebTestClient client;

  @Autowired
  PizzaParlor parlor;

  @LocalServerPort
  int port;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The parlour is a singleton shared by the tests: make every pizza still ordered. */
  @BeforeEach
  void emptyTheParlour() {
    for (int i = 0; i <= PizzaParlor.MAX_WAITING_ORDERS; i++) {
      String message = client.post().uri("/api/pizza/make").exchange()
          .expectStatus().isOk().returnResult(String.class).getResponseBody().blockFirst();
      if (message != null && message.contains("No orders to make.")) {
        return;
      }
    }
    throw new AssertionError("the parlour never ran out of orders");
  }

  @Test
  void ordersAreTakenThenMadeOldestFirstWithTheSeedsMessages() {
    postJson(client, "/api/pizza/orders", "{\"order\": \"Margherita\"}")
        .expectStatus().isOk().expectBody().json("{\"message\": \"Order received: Margherita\"}", JsonCompareMode.STRICT);
    postJson(client, "/api/pizza/orders", "{\"order\": \"Quattro Formaggi\"}")
        .expectStatus().isOk().expectBody().json("{\"message\": \"Order received: Quattro Formaggi\"}", JsonCompareMode.STRICT);
    client.get().uri("/api/pizza/orders").exchange()
        .expectStatus().isOk()
        .expectBody().json("{\"orders\": [\"Margherita\", \"Quattro Formaggi\"]}", JsonCompareMode.STRICT);
    client.post().uri("/api/pizza/make").exchange()
        .expectStatus().isOk().expectBody().json("{\"message\": \"Made a delicious Margherita pizza!\"}", JsonCompareMode.STRICT);
    client.post().uri("/api/pizza/make").exchange()
        .expectBody().json("{\"message\": \"Made a delicious Quattro Formaggi pizza!\"}", JsonCompareMode.STRICT);
    client.post().uri("/api/pizza/make").exchange()
        .expectBody().json("{\"message\": \"No orders to make.\"}", JsonCompareMode.STRICT);
    client.get().uri("/api/pizza/orders").exchange().expectBody().json("{\"orders\": []}", JsonCompareMode.STRICT);
  }

  @Test
  void twoEqualOrdersMakeTwoPizzas() {
    postJson(client, "/api/pizza/orders", "{\"order\": \"Diavola\"}").expectStatus().isOk();
    postJson(client, "/api/pizza/orders", "{\"order\": \"Diavola\"}").expectStatus().isOk();
    client.post().uri("/api/pizza/make").exchange()
        .expectBody().json("{\"message\": \"Made a delicious Diavola pizza!\"}", JsonCompareMode.STRICT);
    client.get().uri("/api/pizza/orders").exchange().expectBody().json("{\"orders\": [\"Diavola\"]}", JsonCompareMode.STRICT);
  }

  @Test
  void badOrdersAreRefusedAndChangeNothing() {
    expectMessage(postJson(client, "/api/pizza/orders", "{\"order\": \"  \"}"),
        HttpStatus.BAD_REQUEST, "'order' is required and must not be blank");
    expectMessage(postJson(client, "/api/pizza/orders", "{}"), HttpStatus.BAD_REQUEST,
        "'order' is required");
    expectMessage(postJson(client, "/api/pizza/orders", "{\"order\": \"" + "x".repeat(101) + "\"}"),
        HttpStatus.BAD_REQUEST, "at most 100 characters");
    expectMessage(postJson(client, "/api/pizza/orders", "{\"order\": "), HttpStatus.BAD_REQUEST,
        "Invalid JSON body");
    expectMessage(postJson(client, "/api/pizza/orders", "{\"order\": 42}"), HttpStatus.BAD_REQUEST,
        "Invalid JSON body at 'order'");
    expectMessage(postJson(client, "/api/pizza/orders", "{\"order\": \"Margherita\", \"size\": 3}"),
        HttpStatus.BAD_REQUEST, "at 'size'");
    expectMessage(client.post().uri("/api/pizza/orders").contentType(MediaType.TEXT_PLAIN)
        .bodyValue("Margherita").exchange(), HttpStatus.UNSUPPORTED_MEDIA_TYPE, "application/json");
    expectMessage(postJson(client, "/api/pizza/orders",
            "{\"order\": " + SampleTestSupport.oversizedJsonString(1_100_000) + "}"),
        HttpStatus.CONTENT_TOO_LARGE, "larger than the limit of 1048576 bytes");
    client.get().uri("/api/pizza/orders").exchange().expectBody().json("{\"orders\": []}", JsonCompareMode.STRICT);
  }

  @Test
  @org.junit.jupiter.api.DisplayName("an order whose body is not valid UTF-8 answers 400 and is not"
      + " taken, an overlong form or a code point past U+10FFFF included, which the parser would read"
      + " as characters never sent; UTF-8 and UTF-16 are read as sent")
  void orderWhoseBodyIsNotUtf8Answers400AndIsNotTaken() {
    byte[][] invalid = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}};
    for (byte[] bytes : invalid) {
      java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
      body.writeBytes("{\"order\": \"a".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      body.writeBytes(bytes);
      body.writeBytes("b\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      expectMessage(client.post().uri("/api/pizza/orders").contentType(MediaType.APPLICATION_JSON)
          .bodyValue(body.toByteArray()).exchange(), HttpStatus.BAD_REQUEST, "Invalid JSON body");
    }
    client.get().uri("/api/pizza/orders").exchange().expectBody().json("{\"orders\": []}", JsonCompareMode.STRICT);
    postJson(client, "/api/pizza/orders", "{\"order\": \"Caf\u00e9 \uD83D\uDE00\"}").expectStatus().isOk();
    client.post().uri("/api/pizza/orders").contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"order\": \"\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.UTF_16BE))
        .exchange().expectStatus().isOk();
    client.get().uri("/api/pizza/orders").exchange()
        .expectBody().json("{\"orders\": [\"Caf\u00e9 \uD83D\uDE00\", \"\u00e9\"]}", JsonCompareMode.STRICT);
  }

  @Test
  @org.junit.jupiter.api.DisplayName("an order whose body is not valid UTF-8 answers 400 whatever"
      + " charset its Content-Type names: the parser reads the bytes as UTF-8 all the same, so"
      + " under charset=ISO-8859-1 or US-ASCII the overlong C0 AF was the order 'a/b'")
  void orderNotUtf8UnderAnotherCharsetAnswers400() {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes("{\"order\": \"a".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    body.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF});
    body.writeBytes("b\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (String charset : new String[] {"ISO-8859-1", "US-ASCII", "windows-1252", "UTF-16"}) {
      expectMessage(client.post().uri("/api/pizza/orders")
          .header("Content-Type", "application/json;charset=" + charset)
          .bodyValue(body.toByteArray()).exchange(), HttpStatus.BAD_REQUEST, "Invalid JSON body");
    }
    client.get().uri("/api/pizza/orders").exchange().expectBody().json("{\"orders\": []}",
        JsonCompareMode.STRICT);
    // valid UTF-8 under any of them is read as sent
    client.post().uri("/api/pizza/orders")
        .header("Content-Type", "application/json;charset=US-ASCII")
        .bodyValue("{\"order\": \"Caf\u00e9 \uD83D\uDE00\"}".getBytes(
            java.nio.charset.StandardCharsets.UTF_8)).exchange().expectStatus().isOk();
    client.get().uri("/api/pizza/orders").exchange().expectBody()
        .json("{\"orders\": [\"Caf\u00e9 \uD83D\uDE00\"]}", JsonCompareMode.STRICT);
  }

  @Test
  void parlourIsAlsoReachedThroughTheGenericActorEndpoints() {
    postJson(client, "/actors/PizzaParlor/pizzaParlor/placeOrder", "[\"Marinara\"]")
        .expectStatus().isOk().expectBody(String.class).isEqualTo("\"Order received: Marinara\"");
    client.get().uri("/actors/PizzaParlor/pizzaParlor/getOrders").exchange()
        .expectStatus().isOk().expectBody().json("[\"Marinara\"]", JsonCompareMode.STRICT);
  }

  @Test
  @DisplayName("an order's length is counted in characters (code points), as the messages say,"
      + " whichever endpoint sends it: 100 characters outside the BMP (200 UTF-16 units) were"
      + " refused as 'this one has 200'")
  void orderLengthCountsCharactersNotUtf16Units() {
    String emoji = "\uD83D\uDE00";
    postJson(client, "/api/pizza/orders", "{\"order\": \"" + emoji.repeat(100) + "\"}")
        .expectStatus().isOk();
    postJson(client, "/actors/PizzaParlor/pizzaParlor/placeOrder",
        "[\"" + emoji.repeat(100) + "\"]").expectStatus().isOk();
    expectMessage(postJson(client, "/api/pizza/orders", "{\"order\": \"" + emoji.repeat(101)
        + "\"}"), HttpStatus.BAD_REQUEST, "'order' must be at most 100 characters");
    expectReject(postJson(client, "/actors/PizzaParlor/pizzaParlor/placeOrder",
        "[\"" + emoji.repeat(101) + "\"]"), HttpStatus.CONFLICT, 4, "CANISTER_REJECT",
        "an order is at most 100 characters, this one has 101");
    assertThat(parlor.getOrders().block()).containsExactly(emoji.repeat(100), emoji.repeat(100));
  }

  @Test
  @DisplayName("an order holding half a surrogate pair, escaped (\\uD800, \\uDE00 alone, a pair"
      + " reversed), answers 400 on both endpoints and is not taken, as its raw UTF-8 bytes are:"
      + " no character is half a pair; a whole pair escaped is one character")
  void orderWithHalfASurrogatePairEscapedAnswers400() {
    for (String half : new String[] {"\\uD800", "P\\uDE00", "P\\uDE00\\uD83D",
        "P\\uD83Dx"}) {
      expectMessage(postJson(client, "/api/pizza/orders", "{\"order\": \"" + half + "\"}"),
          HttpStatus.BAD_REQUEST, "Invalid JSON body at 'order': ");
      expectMessage(postJson(client, "/actors/PizzaParlor/pizzaParlor/placeOrder",
              "[\"" + half + "\"]"), HttpStatus.BAD_REQUEST,
          "Argument 1 (order : text) of PizzaParlor.placeOrder(order : text) is invalid: ");
    }
    assertThat(parlor.getOrders().block()).isEmpty();
    postJson(client, "/api/pizza/orders", "{\"order\": \"P\\uD83D\\uDE00\"}").expectStatus().isOk();
    assertThat(parlor.getOrders().block()).containsExactly("P\uD83D\uDE00");
  }

  @Test
  @DisplayName("an order with a control or invisible character (a tab, an escape, a bidi override,"
      + " a zero-width space) is refused whichever endpoint sends it, 400 from the controller and"
      + " 409 (code 4) from the parlour, naming the character, and is not taken: the parlour took"
      + " them and echoed them in its answers")
  void orderWithAControlCharacterIsRefusedWhicheverEndpointSendsIt() {
    String[][] cases = {{"\\t", "U+0009, a control character"},
        {"\\u001b[2J", "U+001B, a control character"},
        {"\\u202e", "U+202E, an invisible format character"},
        {"\\u200b", "U+200B, an invisible format character"}};
    for (String[] c : cases) {
      expectMessage(postJson(client, "/api/pizza/orders", "{\"order\": \"Marg" + c[0] + "herita\"}"),
          HttpStatus.BAD_REQUEST, "'order' may not hold " + c[1]);
      expectReject(postJson(client, "/actors/PizzaParlor/pizzaParlor/placeOrder",
          "[\"Marg" + c[0] + "herita\"]"), HttpStatus.CONFLICT, 4, "CANISTER_REJECT",
          "an order may not hold " + c[1]);
    }
    assertThat(parlor.getOrders().block()).isEmpty();
    // an order is free text: a space at its end, punctuation and symbols are fine
    postJson(client, "/api/pizza/orders", "{\"order\": \"Pizza \\\"4 stagioni\\\" \\u2764 \"}")
        .expectStatus().isOk();
  }

  @Test
  void parlourRefusesBlankOverlongAndOverflowingOrdersWhicheverEndpointSendsThem() {
    String endpoint = "/actors/PizzaParlor/pizzaParlor/placeOrder";
    expectReject(postJson(client, endpoint, "[\"   \"]"), HttpStatus.CONFLICT, 4, "CANISTER_REJECT",
        "an order must name a pizza");
    expectReject(postJson(client, endpoint, "[\"" + "x".repeat(101) + "\"]"), HttpStatus.CONFLICT, 4,
        "CANISTER_REJECT", "an order is at most 100 characters, this one has 101");
    try {
      for (int i = 0; i < PizzaParlor.MAX_WAITING_ORDERS; i++) {
        parlor.placeOrder("Margherita " + i).block();
      }
      expectReject(postJson(client, endpoint, "[\"One too many\"]"), HttpStatus.CONFLICT, 4,
          "CANISTER_REJECT", "1000 orders are waiting already");
      expectReject(postJson(client, "/api/pizza/orders", "{\"order\": \"One too many\"}"),
          HttpStatus.CONFLICT, 4, "CANISTER_REJECT", "1000 orders are waiting already");
      assertThat(parlor.getOrders().block()).hasSize(PizzaParlor.MAX_WAITING_ORDERS)
          .doesNotContain("One too many");
    } finally {
      emptyTheParlour();
    }
  }

  @Test
  @DisplayName("R2 R8 300 concurrent orders and makes over HTTP: each order is made once or still"
      + " waits, none is lost or made twice")
  void concurrentOrdersAndMakesLoseNothingAndMakeNothingTwice() {
    WebClient web = SampleTestSupport.concurrentClient(port);
    int requests = 300;
    List<String> answers = Flux.range(0, requests)
        .flatMap(i -> i % 3 == 2
            ? web.post().uri("/api/pizza/make").retrieve().bodyToMono(String.class)
            : web.post().uri("/api/pizza/orders").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"order\": \"Pizza " + i + "\"}").retrieve()
                .bodyToMono(String.class), requests)
        .collectList()
        .block();

    List<String> placed = new ArrayList<>();
    List<String> made = new ArrayList<>();
    for (String answer : answers) {
      String message = JSON.readTree(answer).path("message").asString();
      if (message.startsWith("Order received: ")) {
        placed.add(message.substring("Order received: ".length()));
      } else if (message.startsWith("Made a delicious ")) {
        made.add(message.substring("Made a delicious ".length(), message.length() - " pizza!".length()));
      } else {
        assertThat(message).isEqualTo("No orders to make.");
      }
    }
    assertThat(placed).hasSize(requests - requests / 3);
    List<String> waiting = parlor.getOrders().block();
    assertThat(made).doesNotHaveDuplicates();
    List<String> accounted = new ArrayList<>(made);
    accounted.addAll(waiting);
    assertThat(accounted).as("made and waiting").containsExactlyInAnyOrderElementsOf(placed);
  }
}

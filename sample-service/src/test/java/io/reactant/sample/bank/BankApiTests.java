package io.reactant.sample.bank;

import static io.reactant.sample.SampleTestSupport.expectMessage;
import static io.reactant.sample.SampleTestSupport.expectReject;
import static io.reactant.sample.SampleTestSupport.postJson;
import static io.reactant.sample.SampleTestSupport.postJsonAs;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.sample.SampleTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class BankApiTests {

  private static final Map<String, String> PASSWORDS =
      Map.of("alice", "wonderland", "bob", "builder", "carol", "diamonds");

  @Autowired
  WebTestClient client;

  @Autowired
  io.reactant.actor.ActorSystem system;

  @LocalServerPort
  int port;

  private String open(String owner, long balance) {
    Map<String, Object> account = postJson(client, "/api/accounts",
        "{\"owner\": \"" + owner + "\", \"balance\": " + balance + "}")
        .expectStatus().isCreated()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
        .returnResult().getResponseBody();
    return (String) account.get("id");
  }

  private long balance(String id) {
    Map<String, Object> account = client.get().uri("/api/accounts/{id}", id).exchange()
        .expectStatus().isOk()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
        .returnResult().getResponseBody();
    return ((Number) account.get("balance")).longValue();
  }

  private WebTestClient.ResponseSpec transfer(String user, String from, String to, long amount) {
    return postJsonAs(client, user, PASSWORDS.get(user), "/api/transfers",
        "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": " + amount + "}");
  }

  @Test
  void openingAnAccountAnswers201WithItsLocation() {
    postJson(client, "/api/accounts", "{\"owner\": \"alice\", \"balance\": 100}")
        .expectStatus().isCreated()
        .expectHeader().value(HttpHeaders.LOCATION, location -> assertThat(location).startsWith("/api/accounts/account-"))
        .expectBody()
        .jsonPath("$.id").value(String.class, id -> assertThat(id).startsWith("account-"))
        .jsonPath("$.owner").isEqualTo("alice")
        .jsonPath("$.balance").isEqualTo(100);
  }

  @Test
  void openingAnAccountThatAcceptsNoJsonAnswers406AndOpensNothing() {
    long before = number(open("carol", 1));
    WebTestClient.ResponseSpec refused = client.post().uri("/api/accounts")
        .accept(MediaType.TEXT_PLAIN).contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"owner\": \"carol\", \"balance\": 5}").exchange();
    assertThat(number(open("carol", 1))).isEqualTo(before + 1);
    expectMessage(refused, HttpStatus.NOT_ACCEPTABLE, "application/json");
  }

  /** The number of a generated account id, {@code account-N}. */
  private static long number(String id) {
    return Long.parseLong(id.substring("account-".length()));
  }

  @Test
  void accountIsReadById() {
    String id = open("bob", 42);
    client.get().uri("/api/accounts/{id}", id).exchange()
        .expectStatus().isOk()
        .expectBody().json("{\"id\": \"" + id + "\", \"owner\": \"bob\", \"balance\": 42, \"inFlight\": 0}", JsonCompareMode.STRICT);
  }

  @Test
  @DisplayName("R12a an unknown account answers 404 with code 3")
  void unknownAccountAnswers404() {
    expectReject(client.get().uri("/api/accounts/account-none").exchange(), HttpStatus.NOT_FOUND, 3,
        "DESTINATION_INVALID", "account-none");
  }

  @Test
  void blankAccountIdAnswers404WithCode3() {
    expectReject(client.get().uri("/api/accounts/{id}", " ").exchange(), HttpStatus.NOT_FOUND, 3,
        "DESTINATION_INVALID", "No actor has a blank id");
  }

  @Test
  @DisplayName("an owner with a control or invisible character, or a space at either end, answers"
      + " 400 saying what an owner may hold, and opens nothing: such an account was opened, for an"
      + " owner no user can be")
  void ownerWithAControlCharacterAnswers400() {
    long before = system.actorIds().stream().filter(id -> id.value().startsWith("account-")).count();
    expectMessage(postJson(client, "/api/accounts", "{\"owner\": \"ali\\tce\", \"balance\": 10}"),
        HttpStatus.BAD_REQUEST, "'owner' may hold only letters, marks, numbers, punctuation, symbols"
            + " and spaces (no space at either end): character 4 is U+0009, a control character");
    expectMessage(postJson(client, "/api/accounts", "{\"owner\": \"alice\\u200b\", \"balance\": 10}"),
        HttpStatus.BAD_REQUEST, "character 6 is U+200B, an invisible format character");
    expectMessage(postJson(client, "/api/accounts", "{\"owner\": \"alice \", \"balance\": 10}"),
        HttpStatus.BAD_REQUEST, "it ends with a space");
    assertThat(system.actorIds().stream().filter(id -> id.value().startsWith("account-")).count())
        .isEqualTo(before);
  }

  @Test
  void badAccountsAreRefusedWith400() {
    expectMessage(postJson(client, "/api/accounts", "{\"balance\": 10}"), HttpStatus.BAD_REQUEST,
        "'owner' is required");
    expectMessage(postJson(client, "/api/accounts", "{\"owner\": \"alice\"}"), HttpStatus.BAD_REQUEST,
        "'balance' is required");
    expectMessage(postJson(client, "/api/accounts", "{\"owner\": \"alice\", \"balance\": -1}"),
        HttpStatus.BAD_REQUEST, "'balance' must be at least 0");
    expectMessage(postJson(client, "/api/accounts", "{\"owner\": \"alice\", \"balance\": \"lots\"}"),
        HttpStatus.BAD_REQUEST, "Invalid JSON body at 'balance'");
    expectMessage(postJson(client, "/api/accounts", "{\"owner\": \"alice\", \"balance\": \"12\"}"),
        HttpStatus.BAD_REQUEST, "Invalid JSON body at 'balance'");
    expectMessage(postJson(client, "/api/accounts", "{\"owner\": \"alice\", \"balance\": 1.5}"),
        HttpStatus.BAD_REQUEST, "Invalid JSON body at 'balance'");
    expectMessage(postJson(client, "/api/accounts", "[1, 2]"), HttpStatus.BAD_REQUEST,
        "Invalid JSON body: Expected an object with owner, balance, got an array");
    expectMessage(postJson(client, "/api/accounts", "\"x\""), HttpStatus.BAD_REQUEST,
        "Invalid JSON body: Expected an object with owner, balance, got a string");
    expectMessage(postJson(client, "/api/accounts", "{\"owner\": \"alice\", \"balance\": \"lots\"}"),
        HttpStatus.BAD_REQUEST, "at 'balance': Expected a 64-bit integer, got a string (\"lots\")");
    expectMessage(postJson(client, "/api/accounts", "{\"owner\": \"alice\", \"balance\": 1"),
        HttpStatus.BAD_REQUEST, "Invalid JSON body");
  }

  @Test
  void transferMovesMoneyAndAnswersAReceipt() {
    String from = open("alice", 100);
    String to = open("bob", 0);
    transfer("alice", from, to, 30).expectStatus().isOk().expectBody()
        .json("{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": 30, \"balance\": 70}", JsonCompareMode.STRICT);
    assertThat(balance(from)).isEqualTo(70);
    assertThat(balance(to)).isEqualTo(30);
  }

  @Test
  void transferWithoutCredentialsAnswers401AndChangesNothing() {
    String from = open("alice", 100);
    String to = open("bob", 0);
    expectMessage(postJson(client, "/api/transfers",
            "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": 10}"),
        HttpStatus.UNAUTHORIZED, "Authentication required");
    expectMessage(postJsonAs(client, "alice", "wrong", "/api/transfers",
            "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": 10}"),
        HttpStatus.UNAUTHORIZED, "Authentication required");
    assertThat(balance(from)).isEqualTo(100);
    assertThat(balance(to)).isZero();
  }

  @Test
  @DisplayName("R21 moving money out of an account you do not own answers 403 and changes nothing")
  void transferFromSomeoneElsesAccountAnswers403() {
    String from = open("alice", 100);
    String to = open("bob", 0);
    expectMessage(transfer("bob", from, to, 10), HttpStatus.FORBIDDEN, "bob does not own account " + from);
    assertThat(balance(from)).isEqualTo(100);
    assertThat(balance(to)).isZero();
  }

  @Test
  @DisplayName("R11 insufficient funds answers 409 with code 4 and changes nothing")
  void insufficientFundsAnswers409() {
    String from = open("alice", 100);
    String to = open("bob", 0);
    expectReject(transfer("alice", from, to, 101), HttpStatus.CONFLICT, 4, "CANISTER_REJECT",
        "insufficient funds: " + from + " has 100, the transfer needs 101");
    assertThat(balance(from)).isEqualTo(100);
    assertThat(balance(to)).isZero();
  }

  @Test
  @DisplayName("R9 R12 a credit that traps is refunded: 409, and no money is lost")
  void failedCreditIsRefunded() {
    String from = open("alice", 100);
    String full = open("carol", Long.MAX_VALUE);
    expectReject(transfer("alice", from, full, 10), HttpStatus.CONFLICT, 4, "CANISTER_REJECT",
        "failed and was refunded");
    assertThat(balance(from)).isEqualTo(100);
    assertThat(balance(full)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void transferToAnUnknownAccountAnswers404() {
    String from = open("alice", 100);
    expectReject(transfer("alice", from, "account-none", 10), HttpStatus.NOT_FOUND, 3,
        "DESTINATION_INVALID", "account-none");
    expectReject(transfer("alice", "account-none", from, 10), HttpStatus.NOT_FOUND, 3,
        "DESTINATION_INVALID", "account-none");
    assertThat(balance(from)).isEqualTo(100);
  }

  /** The turns an actor has run, as the actuator counts them. */
  private long turns(String id) {
    Map<String, Object> actor = client.get().uri("/actuator/actors/{id}", id)
        .headers(h -> h.setBasicAuth("ops", "observer")).exchange()
        .expectStatus().isOk()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
        .returnResult().getResponseBody();
    return ((Number) actor.get("turns")).longValue();
  }

  @Test
  @DisplayName("R4 a transfer whose destination the controller finds unknown (or of another type)"
      + " answers 404 without being sent: the debited account runs no transfer (the controller"
      + " sent it with the check, not after it, and the account debited, failed and refunded"
      + " behind the 404)")
  void transferToAnUnknownAccountIsNeverSent() {
    String from = open("alice", 100);
    client.post().uri("/api/counters/{name}/bump", "not-an-account-" + number(from)).exchange()
        .expectStatus().isOk();
    long before = turns(from);
    expectReject(transfer("alice", from, "account-none", 10), HttpStatus.NOT_FOUND, 3,
        "DESTINATION_INVALID", "No actor 'account-none'");
    // an id a counter holds: answered as an id no actor holds, naming no type
    expectReject(transfer("alice", from, "counter-not-an-account-" + number(from), 10),
        HttpStatus.NOT_FOUND, 3, "DESTINATION_INVALID",
        "No actor 'counter-not-an-account-" + number(from) + "'");
    // an update queued behind anything the refusals sent to the account (its mailbox is FIFO)
    postJsonAs(client, "alice", "wonderland", "/actors/Account/" + from + "/settleHeld", "[]")
        .expectStatus().isOk().expectBody().json("0");
    assertThat(turns(from)).as("turns of %s: settleHeld's only", from).isEqualTo(before + 1);
    assertThat(balance(from)).isEqualTo(100);
  }

  @Test
  void badTransfersAreRefusedWith400() {
    String from = open("alice", 100);
    String to = open("bob", 0);
    expectMessage(transfer("alice", from, to, 0), HttpStatus.BAD_REQUEST, "'amount' must be at least 1");
    expectMessage(transfer("alice", from, to, -5), HttpStatus.BAD_REQUEST, "'amount' must be at least 1");
    expectMessage(transfer("alice", from, from, 5), HttpStatus.BAD_REQUEST, "must be different accounts");
    expectMessage(postJsonAs(client, "alice", "wonderland", "/api/transfers",
        "{\"from\": \"" + from + "\", \"amount\": 5}"), HttpStatus.BAD_REQUEST, "'to' is required");
    expectMessage(postJsonAs(client, "alice", "wonderland", "/api/transfers",
        "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": \"five\"}"),
        HttpStatus.BAD_REQUEST, "Invalid JSON body at 'amount'");
    expectMessage(postJsonAs(client, "alice", "wonderland", "/api/transfers", "{\"from\":"),
        HttpStatus.BAD_REQUEST, "Invalid JSON body");
    assertThat(balance(from)).isEqualTo(100);
    assertThat(balance(to)).isZero();
  }

  @Test
  @DisplayName("a field given twice answers 400 and moves no money, as on the generic endpoints:"
      + " which of its values counts is not the reader's guess")
  void fieldGivenTwiceAnswers400AndChangesNothing() {
    String from = open("alice", 100);
    String to = open("bob", 0);
    expectMessage(postJsonAs(client, "alice", "wonderland", "/api/transfers", "{\"from\": \""
            + from + "\", \"to\": \"" + to + "\", \"amount\": 1, \"amount\": 90}"),
        HttpStatus.BAD_REQUEST, "Invalid JSON body: Duplicate Object property \"amount\"");
    expectMessage(postJson(client, "/api/accounts",
            "{\"owner\": \"alice\", \"balance\": 5, \"owner\": \"bob\"}"),
        HttpStatus.BAD_REQUEST, "Invalid JSON body: Duplicate Object property \"owner\"");
    assertThat(balance(from)).isEqualTo(100);
    assertThat(balance(to)).isZero();
    assertThat(number(open("carol", 1))).as("no account opened in between")
        .isEqualTo(number(to) + 1);
  }

  @Test
  @DisplayName("R21 an account called over the generic endpoints checks its caller too")
  void genericEndpointsCarryTheAuthenticatedCaller() {
    String from = open("alice", 100);
    String to = open("bob", 0);
    expectReject(client.post().uri("/actors/Account/{id}/transfer", from)
            .contentType(MediaType.APPLICATION_JSON).bodyValue("[\"" + to + "\", 10]").exchange(),
        HttpStatus.CONFLICT, 4, "CANISTER_REJECT", "anonymous may not move money out of " + from);
    expectReject(postJsonAs(client, "bob", "builder", "/actors/Account/" + from + "/transfer",
            "[\"" + to + "\", 10]"),
        HttpStatus.CONFLICT, 4, "CANISTER_REJECT", "principal:bob may not move money");
    postJsonAs(client, "alice", "wonderland", "/actors/Account/" + from + "/transfer", "[\"" + to + "\", 10]")
        .expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(90);
    client.get().uri("/actors/Account/{id}/view", to).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(10);
  }

  @Test
  @DisplayName("R23 an account's credit and wasCredited, for transfers between accounts only, are"
      + " not exposed: over HTTP they answer as methods Account does not have, for any caller")
  void creditIsNotExposedOverHttp() {
    String to = open("bob", 0);
    for (String method : List.of("credit", "wasCredited")) {
      expectReject(postJson(client, "/actors/Account/" + to + "/" + method, "[1000000, 1, [1]]"),
          HttpStatus.NOT_FOUND, 3, "DESTINATION_INVALID",
          "The actor type 'Account' has no method '" + method + "'");
      expectReject(postJsonAs(client, "bob", "builder", "/actors/Account/" + to + "/" + method,
              "[1]"),
          HttpStatus.NOT_FOUND, 3, "DESTINATION_INVALID",
          "The actor type 'Account' has no method '" + method + "'");
    }
    client.get().uri("/actors").exchange().expectStatus().isOk().expectBody()
        .jsonPath("$[?(@.type == 'Account')].methods[*].name")
        .value((List<String> names) -> assertThat(names)
            .containsExactly("creditsRemembered", "settleHeld", "transfer", "view"));
    assertThat(balance(to)).isZero();
  }

  @Test
  void transferToABlankAccountOverTheGenericEndpointIsRejectedWith409AndChangesNothing() {
    String from = open("alice", 100);
    for (String blank : new String[] {"", " "}) {
      expectReject(postJsonAs(client, "alice", "wonderland", "/actors/Account/" + from + "/transfer",
              "[\"" + blank + "\", 10]"),
          HttpStatus.CONFLICT, 4, "CANISTER_REJECT", "the account to credit must not be blank");
    }
    assertThat(balance(from)).isEqualTo(100);
    client.get().uri("/actors/Account/{id}/view", from).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.inFlight").isEqualTo(0);
  }

  @Test
  @DisplayName("R1 R23 ids are one space across types, and a counter's is 'counter-' and its name:"
      + " a counter that an anonymous client names like the next account takes none of its id (it"
      + " took it, and the opening skipped it), the generic endpoint creates no counter at an"
      + " account's id, a counter named like an account is a counter of its own, and a transfer to"
      + " a counter moves nothing")
  void counterNamedLikeAnAccountNeitherTakesNorReachesIt() {
    String mine = open("alice", 100);
    String squatted = "account-" + (number(mine) + 1);
    client.post().uri("/api/counters/{name}/bump", squatted).exchange().expectStatus().isOk();
    expectReject(client.post().uri("/actors/Counter/{id}/bump", "account-" + (number(mine) + 2))
        .exchange(), HttpStatus.CONFLICT, 4, "CANISTER_REJECT",
        "a counter's id is 'counter-' followed by its name");

    String next = open("bob", 0);
    assertThat(next).as("the opening takes the id the counter is named like").isEqualTo(squatted);
    client.get().uri("/api/accounts/{id}", squatted).exchange().expectStatus().isOk().expectBody()
        .json("{\"owner\": \"bob\", \"balance\": 0}");
    expectReject(postJsonAs(client, "alice", "wonderland", "/actors/Account/" + mine + "/transfer",
            "[\"counter-" + squatted + "\", 10]"), HttpStatus.CONFLICT, 4, "CANISTER_REJECT",
        "failed and was refunded: there is no account counter-" + squatted);
    client.post().uri("/api/counters/{name}/bump", mine).exchange().expectStatus().isOk()
        .expectBody().json("{\"value\": 1}", JsonCompareMode.STRICT);
    client.get().uri("/api/accounts/{id}", mine).exchange().expectStatus().isOk().expectBody()
        .json("{\"balance\": 100, \"inFlight\": 0}");
    client.get().uri("/api/counters/{name}", squatted).exchange().expectStatus().isOk()
        .expectBody().json("{\"value\": 1}", JsonCompareMode.STRICT);
  }

  /** One transfer of the concurrency test and what it answered. */
  private record Outcome(String user, String from, String to, long amount, int status) {
  }

  @Test
  @DisplayName("R2 R9 500 concurrent transfers both ways, some failing, neither create nor lose money")
  void concurrentTransfersNeitherCreateNorLoseMoney() {
    String alices = open("alice", 1_000);
    String bobs = open("bob", 1_000);
    String full = open("carol", Long.MAX_VALUE - 10);
    WebClient web = SampleTestSupport.concurrentClient(port);

    List<Outcome> outcomes = Flux.range(0, 500)
        .flatMap(i -> {
          Outcome planned;
          if (i % 10 == 4) {
            planned = new Outcome("bob", bobs, alices, 5_000, 0);        // always insufficient
          } else if (i % 10 == 9) {
            planned = new Outcome("alice", alices, full, 50, 0);        // the credit traps
          } else if (i % 2 == 0) {
            planned = new Outcome("alice", alices, bobs, 1 + i % 37, 0);
          } else {
            planned = new Outcome("bob", bobs, alices, 1 + i % 41, 0);
          }
          return web.post().uri("/api/transfers")
              .headers(h -> h.setBasicAuth(planned.user(), PASSWORDS.get(planned.user())))
              .contentType(MediaType.APPLICATION_JSON)
              .bodyValue(Map.of("from", planned.from(), "to", planned.to(), "amount", planned.amount()))
              .exchangeToMono(response -> response.releaseBody().thenReturn(new Outcome(
                  planned.user(), planned.from(), planned.to(), planned.amount(),
                  response.statusCode().value())));
        }, 500)
        .collectList()
        .block();

    assertThat(outcomes).hasSize(500).extracting(Outcome::status).containsOnly(200, 409);
    assertThat(outcomes).filteredOn(o -> o.amount() == 5_000 || o.to().equals(full))
        .hasSize(100).allSatisfy(o -> assertThat(o.status()).isEqualTo(409));
    assertThat(outcomes).filteredOn(o -> o.status() == 200).isNotEmpty();

    long alicesExpected = 1_000;
    for (Outcome o : outcomes) {
      if (o.status() == 200) {
        alicesExpected += o.from().equals(alices) ? -o.amount() : o.amount();
      }
    }
    long alicesBalance = balance(alices);
    long bobsBalance = balance(bobs);
    assertThat(alicesBalance).isEqualTo(alicesExpected);
    assertThat(alicesBalance + bobsBalance).isEqualTo(2_000);
    assertThat(balance(full)).isEqualTo(Long.MAX_VALUE - 10);
  }
}

package io.reactant.sample.bank;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.sample.SampleTestSupport;
import io.reactant.spring.boot.web.RandomInputChecks;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bank's invariants under many clients at once, over HTTP: a seeded random plan of transfers
 * among six accounts (cycles, overdrafts, amounts near {@code Long.MAX_VALUE}, an account near
 * {@code Long.MAX_VALUE} that both sends and receives, wrong users, unknown accounts), sent all at
 * once through both the controller and the generic endpoint, with reads and {@code settleHeld}
 * calls among them. {@link BankApiTests} covers two accounts; this covers the many-account plan.
 * {@code -Dreactant.random-input.seed=N} runs another plan.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S")
class BankConcurrencyApiTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<String, String> PASSWORDS =
      Map.of("alice", "wonderland", "bob", "builder", "carol", "diamonds");
  private static final int REQUESTS = 400;

  @Autowired
  WebTestClient client;

  @LocalServerPort
  int port;

  private record Account(String id, String owner) {
  }

  /** One planned request, what it must answer, and what it answered. */
  private record Request(String label, String method, String path, @Nullable String user,
      @Nullable String body, Set<Integer> statuses, @Nullable String from, @Nullable String to,
      long amount) {
  }

  private record Answer(Request request, int status, String body) {
  }

  private String open(String owner, long balance) {
    JsonNode account = JSON.readTree(client.post().uri("/api/accounts")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"owner\": \"" + owner + "\", \"balance\": " + balance + "}").exchange()
        .expectStatus().isCreated().expectBody().returnResult().getResponseBody());
    return account.path("id").asString();
  }

  private JsonNode view(String id) {
    return JSON.readTree(client.get().uri("/api/accounts/{id}", id).exchange()
        .expectStatus().isOk().expectBody().returnResult().getResponseBody());
  }

  @Test
  @DisplayName("R2 R4 R9 R11 R12 R21 400 concurrent requests of a seeded plan among six accounts:"
      + " every answer is a documented one, no balance is ever negative, the money is conserved,"
      + " nothing stays in flight, and each balance is what the answered transfers made")
  void manyConcurrentTransfersAmongSixAccountsKeepTheBanksInvariants() {
    Map<String, Long> initial = new LinkedHashMap<>();
    List<Account> accounts = new ArrayList<>();
    Object[][] openings = {{"alice", 1_000L}, {"alice", 50L}, {"bob", 500L}, {"bob", 0L},
        {"carol", Long.MAX_VALUE - 500}, {"carol", 1L}};
    for (Object[] o : openings) {
      String id = open((String) o[0], (Long) o[1]);
      accounts.add(new Account(id, (String) o[0]));
      initial.put(id, (Long) o[1]);
    }
    long seed = RandomInputChecks.seeds(40).get(0);
    Random random = new Random(seed);
    List<Request> plan = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      plan.add(next(random, accounts, i));
    }

    WebClient web = SampleTestSupport.concurrentClient(port);
    List<Answer> answers = Flux.fromIterable(plan)
        .flatMap(r -> send(web, r), REQUESTS)
        .collectList()
        .block();

    assertThat(answers).hasSize(REQUESTS);
    List<String> wrong = new ArrayList<>();
    for (Answer a : answers) {
      if (!a.request().statuses().contains(a.status())
          || a.body().contains("outcome is unknown") || a.body().contains("Exception:")
              && !a.body().contains("ArithmeticException: long overflow")) {
        wrong.add(a.request().label() + " answered " + a.status() + " " + a.body());
      }
      if (a.request().method().equals("GET") && a.status() == 200) {
        JsonNode v = JSON.readTree(a.body());
        if (v.path("balance").asLong() < 0 || v.path("inFlight").asLong() < 0) {
          wrong.add(a.request().label() + " read a negative figure: " + a.body());
        }
      }
    }
    assertThat(wrong).as("answers that are not the documented ones (seed %d)", seed).isEmpty();

    Map<String, Long> expected = new LinkedHashMap<>(initial);
    for (Answer a : answers) {
      Request r = a.request();
      if (r.from() != null && a.status() == 200) {
        expected.merge(r.from(), -r.amount(), Long::sum);
        expected.merge(r.to(), r.amount(), Long::sum);
      }
    }
    assertThat(answers).as("some transfers moved money, some were refused for funds")
        .anySatisfy(a -> assertThat(a.status()).isEqualTo(200))
        .anySatisfy(a -> assertThat(a.body()).contains("insufficient funds"));

    Map<String, Long> actual = new LinkedHashMap<>();
    BigInteger before = BigInteger.ZERO;
    BigInteger after = BigInteger.ZERO;
    for (Account account : accounts) {
      JsonNode v = view(account.id());
      assertThat(v.path("inFlight").asLong()).as("money in flight of %s", account.id()).isZero();
      long balance = v.path("balance").asLong();
      assertThat(balance).as("balance of %s", account.id()).isNotNegative();
      actual.put(account.id(), balance);
      before = before.add(BigInteger.valueOf(initial.get(account.id())));
      after = after.add(BigInteger.valueOf(balance));
    }
    assertThat(after).as("the money of the six accounts (seed %d)", seed).isEqualTo(before);
    assertThat(actual).as("each balance: its opening and the transfers answered 200 (seed %d)",
        seed)
        .isEqualTo(expected);
  }

  private Mono<Answer> send(WebClient web, Request r) {
    WebClient.RequestBodySpec spec = web.method(HttpMethod.valueOf(r.method())).uri(r.path());
    if (r.user() != null) {
      spec = spec.headers(h -> h.setBasicAuth(r.user(), PASSWORDS.get(r.user())));
    }
    WebClient.RequestHeadersSpec<?> ready = r.body() == null ? spec
        : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(r.body());
    return ready.exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
        .map(body -> new Answer(r, response.statusCode().value(), body)));
  }

  /** A request of the plan: mostly transfers, some faulty in one way, some reads and settles. */
  private static Request next(Random random, List<Account> accounts, int i) {
    Account from = accounts.get(random.nextInt(accounts.size()));
    Account to = accounts.get(random.nextInt(accounts.size()));
    while (to.equals(from)) {
      to = accounts.get(random.nextInt(accounts.size()));
    }
    int kind = random.nextInt(100);
    if (kind < 8) {
      return new Request(i + " view " + from.id(), "GET", "/api/accounts/" + from.id(), null,
          null, Set.of(200), null, null, 0);
    }
    if (kind < 12) {
      return new Request(i + " settleHeld " + from.id(), "POST",
          "/actors/Account/" + from.id() + "/settleHeld", from.owner(), "[]", Set.of(200), null,
          null, 0);
    }
    long amount = switch (random.nextInt(10)) {
      case 0 -> Long.MAX_VALUE;
      case 1 -> Long.MAX_VALUE - random.nextInt(1_000);
      case 2 -> 1 + random.nextInt(2_000);
      default -> 1 + random.nextInt(120);
    };
    boolean generic = random.nextInt(10) < 3;
    String user = from.owner();
    String toId = to.id();
    String fault = "";
    Set<Integer> statuses = Set.of(200, 409);
    int f = random.nextInt(100);
    if (f < 6) {
      user = other(from.owner());
      fault = " by " + user;
      statuses = Set.of(generic ? 409 : 403);
    } else if (f < 9) {
      user = null;
      fault = " anonymously";
      statuses = Set.of(generic ? 409 : 401);
    } else if (f < 12) {
      toId = "account-none-" + i;
      fault = " to an unknown account";
      statuses = Set.of(generic ? 409 : 404);
    } else if (f < 14) {
      toId = from.id();
      fault = " to itself";
      statuses = Set.of(generic ? 409 : 400);
    } else if (f < 17) {
      amount = -random.nextInt(3);
      fault = " of a non-positive amount";
      statuses = Set.of(generic ? 409 : 400);
    }
    boolean moves = statuses.contains(200);
    String label = i + (generic ? " generic" : " controller") + " transfer of " + amount + " from "
        + from.id() + " to " + toId + fault;
    if (generic) {
      return new Request(label, "POST", "/actors/Account/" + from.id() + "/transfer", user,
          "[\"" + toId + "\", " + amount + "]", statuses, moves ? from.id() : null,
          moves ? toId : null, amount);
    }
    return new Request(label, "POST", "/api/transfers", user, "{\"from\": \"" + from.id()
        + "\", \"to\": \"" + toId + "\", \"amount\": " + amount + "}", statuses,
        moves ? from.id() : null, moves ? toId : null, amount);
  }

  private static String other(String owner) {
    List<String> users = new ArrayList<>(new TreeSet<>(PASSWORDS.keySet()));
    return users.get((users.indexOf(owner) + 1) % users.size());
  }
}

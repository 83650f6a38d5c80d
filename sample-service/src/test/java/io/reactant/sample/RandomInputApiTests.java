package io.reactant.sample;

import static io.reactant.spring.boot.web.RandomInputChecks.assertLeaksNothing;
import static io.reactant.spring.boot.web.RandomInputChecks.assertNoFailures;
import static io.reactant.spring.boot.web.RandomInputChecks.bodyText;
import static io.reactant.spring.boot.web.RandomInputChecks.check;
import static io.reactant.spring.boot.web.RandomInputChecks.errorBody;
import static io.reactant.spring.boot.web.RandomInputChecks.pick;
import static io.reactant.spring.boot.web.RandomInputChecks.says;
import static io.reactant.spring.boot.web.RandomInputChecks.seeds;
import static io.reactant.spring.boot.web.RandomInputChecks.shorten;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.web.RandomInputChecks;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seeded random bad input on the sample's REST controllers and generic endpoints, over a real
 * server behind Spring Security, mixed with valid calls: each request answers its documented
 * status and a JSON message that names the problem and nothing of the server, and at the end the
 * counters, the orders, the accounts and the atomicity actor hold what the valid calls alone made.
 * A failure names its seed and request; {@code -Dreactant.random-input.seed=N} runs one seed,
 * {@code -Dreactant.random-input.seed=3000-3039} a range: forty seeds at the most in one run, as
 * the orders they place wait in one parlour, which refuses any past 1,000 (409, not what the
 * model expects of a valid order).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
// a bound on a request's wait, not on its speed, with room for a loaded machine (two cores,
// several builds); the requests that waited past WebTestClient's default of 5 s, and later past
// 30 s, were most likely on a connection Reactor Netty 1.3.6 had stopped reading (see
// KeepAliveApiTests), not slow
@AutoConfigureWebTestClient(timeout = "PT30S")
@ExtendWith(OutputCaptureExtension.class)
class RandomInputApiTests {

  private static final int LIMIT = 1_048_576;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ALICE = "alice:wonderland";
  private static final String BOB = "bob:builder";

  @Autowired
  WebTestClient client;

  @LocalServerPort
  int port;

  /** The accounts and counters of one run, and what the valid calls did to them. */
  private static final class Model {
    final String a;
    final String b;
    final String c;
    /** The counters' names, as a path spells them and as they are. */
    final String[][] names;
    final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> balances = new ConcurrentHashMap<>();
    final List<String> orders = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong opened = new AtomicLong();
    String atomicity = "";

    Model(String a, String b, String c, String prefix) {
      this.a = a;
      this.b = b;
      this.c = c;
      this.names = new String[][] {{prefix + "a", prefix + "a"}, {prefix + "b", prefix + "b"},
          {prefix + "caf%C3%A9", prefix + "café"}, {prefix + "%E2%9C%93", prefix + "✓"},
          {prefix + "a%20b", prefix + "a b"}, {prefix + "%F0%9F%98%80", prefix + "\uD83D\uDE00"}};
    }

    void move(String from, String to, long amount) {
      balances.get(from).addAndGet(-amount);
      balances.get(to).addAndGet(amount);
    }
  }

  private record Case(String label, HttpMethod method, String path, @Nullable String type,
      @Nullable String accept, @Nullable String user, byte @Nullable [] body,
      Set<Integer> statuses, @Nullable Integer code, List<String> fragments,
      Set<Integer> effective, Consumer<Model> effect) {
  }

  private static Case refusal(String label, HttpMethod method, String path, @Nullable String user,
      @Nullable String type, byte @Nullable [] body, int status, String... fragments) {
    return new Case(label, method, path, type, null, user, body, Set.of(status), null,
        List.of(fragments), Set.of(), m -> { });
  }

  private static Case refusal(String label, String path, @Nullable String user, String body,
      int status, String... fragments) {
    return refusal(label, HttpMethod.POST, path, user, "application/json", body.getBytes(UTF_8),
        status, fragments);
  }

  private static Case call(String label, HttpMethod method, String path, @Nullable String user,
      @Nullable String body, Set<Integer> statuses, @Nullable Integer code, Set<Integer> effective,
      Consumer<Model> effect, String... fragments) {
    return new Case(label, method, path, body == null ? null : "application/json", null, user,
        body == null ? null : body.getBytes(UTF_8), statuses, code, List.of(fragments), effective,
        effect);
  }

  @Test
  @DisplayName("R11 R12 R21 R23 seeded random malformed and hostile requests on the controllers and"
      + " the generic endpoints, mixed with valid calls, answer their documented status and"
      + " message, leak nothing, change nothing, and log no warning nor stack trace but the"
      + " traps' (bad input is the client's fault)")
  void randomBadInputAnswersItsStatusAndChangesNothing(CapturedOutput output) {
    int logged = output.getAll().length();
    for (long seed : seeds(11, 12)) {
      Model model = newModel("r" + seed + "-");
      Random random = new Random(seed);
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        String where = "seed " + seed + " request " + i;
        Case c = next(random, model, false);
        check(failures, () -> send(c, model, where));
      }
      assertNoFailures(failures);
      assertSameState(model, "seed " + seed, false);
    }
    // the traps of the atomicity demo are bugs of the server's (a division by zero), logged once
    // each by the starter's ErrorBodies; nothing else may be logged at WARN or above
    List<String> warnings = new ArrayList<>();
    boolean inTrap = false;
    for (String line : output.getAll().substring(logged).lines().toList()) {
      boolean entry = line.matches("^\\d{4}-\\d{2}-\\d{2}T.*");
      if (entry) {
        inTrap = line.contains("ErrorBodies") && line.contains("Atomicity.atomic(): Arithmetic");
      }
      if (!inTrap && (entry ? line.contains(" WARN ") || line.contains(" ERROR ")
          : line.startsWith("\tat "))) {
        warnings.add(line);
      }
    }
    assertThat(warnings).as("warnings, errors and stack traces logged").isEmpty();
  }

  @Test
  @DisplayName("R2 R9 R23 eight threads of seeded random requests, good and bad, on shared accounts,"
      + " counters and orders: every answer is documented, and no money, bump or order is lost"
      + " or made")
  void concurrentRandomBadInputLosesNothing() throws Exception {
    long base = seeds(200).get(0);
    Model model = newModel("q" + base + "-");
    int threads = 8;
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = base + t;
        done.add(pool.submit(() -> {
          Random random = new Random(seed);
          for (int i = 0; i < 80; i++) {
            String where = "seed " + seed + " request " + i;
            Case c = next(random, model, true);
            check(failures, () -> send(c, model, where));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertNoFailures(failures);
    assertSameState(model, "seeds " + base + ".." + (base + threads - 1), true);
  }

  // ---- state ----

  private Model newModel(String prefix) {
    Model model = new Model(open("alice", 1_000), open("alice", 1_000), open("bob", 1_000),
        prefix);
    read(model, model);
    return model;
  }

  private String open(String owner, long balance) {
    JsonNode account = JSON.readTree(client.post().uri("/api/accounts")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"owner\": \"" + owner + "\", \"balance\": " + balance + "}").exchange()
        .expectStatus().isCreated().expectBody().returnResult().getResponseBody());
    return account.path("id").asString();
  }

  /** Reads the committed state of the model's actors into {@code into}. */
  private void read(Model model, Model into) {
    for (String[] name : model.names) {
      into.counters.put(name[1], new AtomicLong(get("/api/counters/" + name[0]).path("value")
          .asLong()));
    }
    for (String id : List.of(model.a, model.b, model.c)) {
      JsonNode account = get("/api/accounts/" + id);
      assertThat(account.path("inFlight").asLong()).as("money in flight of %s", id).isZero();
      into.balances.put(id, new AtomicLong(account.path("balance").asLong()));
    }
    into.orders.clear();
    get("/api/pizza/orders").path("orders").forEach(o -> into.orders.add(o.asString()));
    into.atomicity = get("/api/atomicity").toString();
  }

  private JsonNode get(String path) {
    return JSON.readTree(client.get().uri(URI.create("http://localhost:" + port + path))
        .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
  }

  private void assertSameState(Model model, String where, boolean anyOrder) {
    Model after = new Model(model.a, model.b, model.c, "");
    read(model, after);
    assertThat(show(after, anyOrder)).as("the committed state after %s is what the valid calls"
        + " made", where).isEqualTo(show(model, anyOrder));
    long opened = Long.parseLong(open("carol", 1).substring("account-".length()))
        - Long.parseLong(model.c.substring("account-".length()));
    assertThat(opened).as("accounts opened after %s: the valid openings and this one", where)
        .isEqualTo(model.opened.get() + 1);
  }

  private static String show(Model model, boolean anyOrder) {
    Map<String, Long> counters = new TreeMap<>();
    model.counters.forEach((id, n) -> counters.put(id, n.get()));
    Map<String, Long> balances = new TreeMap<>();
    model.balances.forEach((id, n) -> balances.put(id, n.get()));
    List<String> orders = new ArrayList<>(model.orders);
    if (anyOrder) {
      Collections.sort(orders);
    }
    return "counters=" + counters + " balances=" + balances + " orders=" + orders
        + " atomicity=" + model.atomicity;
  }

  // ---- sending ----

  private void send(Case c, Model model, String where) {
    WebTestClient.RequestBodySpec spec = client.method(c.method())
        .uri(URI.create("http://localhost:" + port + c.path()));
    if (c.type() != null) {
      spec.header("Content-Type", c.type());
    }
    if (c.accept() != null) {
      spec.header("Accept", c.accept());
    }
    if (c.user() != null) {
      String[] user = c.user().split(":");
      spec.headers(h -> h.setBasicAuth(user[0], user[1]));
    }
    String asked = where + " (" + c.label() + "): " + c.method() + " " + c.path()
        + (c.type() == null ? "" : " Content-Type: " + c.type())
        + (c.accept() == null ? "" : " Accept: " + c.accept())
        + (c.body() == null ? "" : " " + shorten(new String(c.body(), UTF_8)));
    EntityExchangeResult<byte[]> result;
    try {
      result = (c.body() == null ? spec : spec.bodyValue(c.body())).exchange().expectBody()
          .returnResult();
    } catch (IllegalStateException noAnswer) { // WebTestClient's bound on the wait
      throw new AssertionError(asked + " got no answer: " + noAnswer.getMessage(), noAnswer);
    }
    int status = result.getStatus().value();
    String text = bodyText(result);
    String what = asked + " answered " + status + " " + shorten(text);
    assertThat(c.statuses()).as(what).contains(status);
    if (c.effective().contains(status)) {
      c.effect().accept(model);
    }
    assertLeaksNothing(text, c.body(), what);
    if (status < 300) {
      return;
    }
    says(errorBody(result, text, what), c.code(), c.fragments(), what);
  }

  // ---- the requests ----

  private static Case next(Random random, Model model, boolean concurrent) {
    return random.nextInt(3) == 0 ? valid(random, model, concurrent) : bad(random, model);
  }

  private static Case valid(Random random, Model model, boolean concurrent) {
    String[] name = model.names[random.nextInt(model.names.length)];
    switch (random.nextInt(10)) {
      case 0 -> {
        return call("bump", HttpMethod.POST, "/api/counters/" + name[0] + "/bump", null, null,
            Set.of(200), null, Set.of(200), m -> m.counters.get(name[1]).incrementAndGet());
      }
      case 1 -> {
        boolean inc = random.nextBoolean();
        return call(inc ? "inc" : "generic bump", HttpMethod.POST,
            "/actors/Counter/counter-" + name[0] + (inc ? "/inc" : "/bump"), null,
            random.nextBoolean() ? "[]" : null, Set.of(inc ? 204 : 200), null,
            Set.of(inc ? 204 : 200), m -> m.counters.get(name[1]).incrementAndGet());
      }
      case 2 -> {
        String path = random.nextBoolean() ? "/api/counters/" + name[0]
            : "/actors/Counter/counter-" + name[0] + "/read";
        return call("read", HttpMethod.GET, path, null, null, Set.of(200), null, Set.of(),
            m -> { });
      }
      case 3 -> {
        // an order is free text, but no tab (a control character, refused)
        String order = "P" + text(random, 30).replace('\t', ' ');
        boolean generic = random.nextBoolean();
        return call("order", HttpMethod.POST, generic ? "/actors/PizzaParlor/pizzaParlor/placeOrder"
                : "/api/pizza/orders", null,
            JSON.writeValueAsString(generic ? List.of(order) : Map.of("order", order)),
            Set.of(200), null, Set.of(200), m -> m.orders.add(order));
      }
      case 4, 5 -> {
        boolean forth = random.nextBoolean();
        String from = forth ? model.a : model.b;
        String to = random.nextInt(4) == 0 ? model.c : forth ? model.b : model.a;
        long amount = 1 + random.nextInt(random.nextInt(5) == 0 ? 2_000 : 60);
        boolean generic = random.nextInt(3) == 0;
        String path = generic ? "/actors/Account/" + from + "/transfer" : "/api/transfers";
        String body = generic ? "[\"" + to + "\", " + amount + "]"
            : "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": " + amount + "}";
        if (!concurrent && model.balances.get(from).get() < amount) {
          return call("insufficient", HttpMethod.POST, path, ALICE, body, Set.of(409), 4,
              Set.of(), m -> { }, "insufficient funds");
        }
        return call("transfer", HttpMethod.POST, path, ALICE, body,
            concurrent ? Set.of(200, 409) : Set.of(200), 4, Set.of(200),
            m -> m.move(from, to, amount), "insufficient funds");
      }
      case 6 -> { // a trap: rolled back (rule R12)
        String path = random.nextBoolean() ? "/api/atomicity/atomic"
            : "/actors/Atomicity/atomicity/atomic";
        return call("atomic", HttpMethod.POST, path, null, null, Set.of(500), 5, Set.of(),
            m -> { }, "atomicity trapped in Atomicity.atomic(): ArithmeticException");
      }
      case 7 -> {
        return call("open", HttpMethod.POST, "/api/accounts", null,
            "{\"owner\": \"carol\", \"balance\": " + random.nextInt(100) + "}", Set.of(201), null,
            Set.of(201), m -> m.opened.incrementAndGet());
      }
      case 8 -> {
        String path = random.nextBoolean() ? "/api/accounts/" + model.a
            : "/actors/Account/" + model.b + "/view";
        return call("view", HttpMethod.GET, path, null, null, Set.of(200), null, Set.of(),
            m -> { });
      }
      default -> {
        String path = random.nextBoolean() ? "/api/pizza/orders"
            : "/actors/PizzaParlor/pizzaParlor/getOrders";
        return call("orders", HttpMethod.GET, path, null, null, Set.of(200), null, Set.of(),
            m -> { });
      }
    }
  }

  private static final String INVALID = "Invalid JSON body";

  private static Case bad(Random random, Model model) {
    String transfer = "{\"from\": \"" + model.a + "\", \"to\": \"" + model.b + "\", \"amount\": 5}";
    String[][] bodies = {{"/api/pizza/orders", null, "{\"order\": \"Margherita\"}"},
        {"/api/accounts", null, "{\"owner\": \"alice\", \"balance\": 5}"},
        {"/api/transfers", ALICE, transfer}};
    String[] target = bodies[random.nextInt(bodies.length)];
    String path = target[0];
    String user = target[1];
    String valid = target[2];
    switch (random.nextInt(18)) {
      case 0 -> {
        return refusal("truncated", path, user,
            valid.substring(0, 1 + random.nextInt(valid.length() - 1)), 400, INVALID);
      }
      case 1 -> {
        String[] garbage = {" x", "}", " {}", ",", " // c", " /*", " 1", " \"a\""};
        return refusal("trailing garbage", path, user, valid + pick(random, garbage), 400,
            INVALID);
      }
      case 2 -> {
        String[] broken = {"{'order': 'a'}", "{order: \"a\"}", "/* c */ {\"order\": \"a\"}",
            "{\"owner\": \"a\", \"balance\": NaN}", "{\"owner\": \"a\", \"balance\": Infinity}",
            "{\"owner\": \"a\", \"balance\": +1}", "{\"owner\": \"a\", \"balance\": 01}",
            "{\"order\": \"a\",}", "{\"order\" \"a\"}", "{\"order\": \"a\u0001\"}",
            "{\"order\": \"\\x\"}", "{\"order\": tru}", "[", "{", "\"", "\u201Corder\u201D"};
        return refusal("broken JSON", path, user, pick(random, broken), 400, INVALID);
      }
      case 3 -> { // bytes that are not UTF-8
        byte[][] invalid = {{(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
            (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
        byte[] bytes = invalid[random.nextInt(invalid.length)];
        boolean generic = random.nextBoolean();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes((generic ? "[\"P" : "{\"order\": \"P").getBytes(UTF_8));
        body.writeBytes(bytes);
        body.writeBytes((generic ? "\"]" : "\"}").getBytes(UTF_8));
        return refusal("invalid UTF-8", HttpMethod.POST,
            generic ? "/actors/PizzaParlor/pizzaParlor/placeOrder" : "/api/pizza/orders", null,
            "application/json", body.toByteArray(), 400, generic ? "Malformed JSON" : INVALID);
      }
      case 4 -> {
        String[][] wrong = {{"/api/pizza/orders", "{\"order\": 42}", "at 'order'"},
            {"/api/pizza/orders", "{\"order\": [\"a\"]}", "at 'order'"},
            {"/api/pizza/orders", "{\"order\": {}}", "at 'order'"},
            {"/api/pizza/orders", "[\"Margherita\"]", "Expected an object"},
            {"/api/pizza/orders", "{\"order\": \"a\", \"size\": 3}", "at 'size'"},
            {"/api/accounts", "{\"owner\": \"a\", \"balance\": \"12\"}", "at 'balance'"},
            {"/api/accounts", "{\"owner\": \"a\", \"balance\": 1.5}", "at 'balance'"},
            {"/api/accounts", "{\"owner\": true, \"balance\": 1}", "at 'owner'"},
            {"/api/transfers", "{\"from\": \"" + model.a + "\", \"to\": \"" + model.b
                + "\", \"amount\": \"5\"}", "at 'amount'"},
            {"/actors/PizzaParlor/pizzaParlor/placeOrder", "[42]", "Argument 1 (order : text)"},
            {"/actors/PizzaParlor/pizzaParlor/placeOrder", "[\"a\", \"b\"]", "takes 1 argument"},
            {"/actors/Counter/counter-" + model.names[0][0] + "/bump", "[1]", "takes 0 arguments"}};
        String[] w = wrong[random.nextInt(wrong.length)];
        return refusal("wrong type", w[0], w[0].equals("/api/transfers") ? ALICE : null, w[1],
            400, w[2]);
      }
      case 5 -> {
        String[] huge = {"99999999999999999999", "1e400", "-1e999999999", "1" + "0".repeat(1_200),
            "9223372036854775808", "0." + "0".repeat(400) + "1"};
        String number = pick(random, huge);
        boolean bank = random.nextBoolean();
        return bank
            ? refusal("huge number", "/api/accounts", null, "{\"owner\": \"a\", \"balance\": "
                + number + "}", 400, INVALID)
            : refusal("huge number", "/api/transfers", ALICE, "{\"from\": \"" + model.a
                + "\", \"to\": \"" + model.b + "\", \"amount\": " + number + "}", 400, INVALID);
      }
      case 6 -> {
        int depth = 1 + random.nextInt(700);
        return refusal("nesting " + depth, "/api/pizza/orders", null,
            "{\"order\": " + "[".repeat(depth) + "]".repeat(depth) + "}", 400, INVALID);
      }
      case 7 -> { // long text: refused by the controller's check, or by the actor (code 4)
        String order = "x".repeat(101 + random.nextInt(random.nextInt(16) == 0 ? LIMIT - 200 : 5000));
        return random.nextBoolean()
            ? refusal("long order", "/api/pizza/orders", null, "{\"order\": \"" + order + "\"}",
                400, "'order' must be at most 100 characters")
            : call("long order", HttpMethod.POST, "/actors/PizzaParlor/pizzaParlor/placeOrder",
                null, "[\"" + order + "\"]", Set.of(409), 4, Set.of(), m -> { },
                "an order is at most 100 characters");
      }
      case 8 -> {
        String[][] twice = {{"/api/pizza/orders", null, "{\"order\": \"A\", \"order\": \"B\"}"},
            {"/api/accounts", null, "{\"owner\": \"carol\", \"balance\": 1, \"balance\": 2}"},
            {"/api/transfers", ALICE, "{\"from\": \"" + model.a + "\", \"to\": \"" + model.b
                + "\", \"amount\": 1, \"amount\": 2}"}};
        String[] t = twice[random.nextInt(twice.length)];
        return refusal("duplicate key", t[0], t[1], t[2], 400, "Duplicate");
      }
      case 9 -> {
        String[][] nulls = {{"/api/pizza/orders", "{\"order\": null}", "'order' is required"},
            {"/api/accounts", "{\"owner\": \"a\", \"balance\": null}", "'balance' is required"},
            {"/api/transfers", "{\"from\": \"" + model.a + "\", \"to\": \"" + model.b
                + "\", \"amount\": null}", "'amount' is required"},
            {"/api/pizza/orders", "null", "No request body", "request body"}};
        String[] n = nulls[random.nextInt(nulls.length)];
        return refusal("null", n[0], n[0].equals("/api/transfers") ? ALICE : null, n[1], 400, n[2]);
      }
      case 10 -> {
        String[] types = {"text/plain", "application/xml", "application/x-www-form-urlencoded",
            "application/octet-stream", "text/json"};
        boolean generic = random.nextBoolean();
        return refusal("content type", HttpMethod.POST,
            generic ? "/actors/PizzaParlor/pizzaParlor/placeOrder" : path, generic ? null : user,
            pick(random, types), (generic ? "[\"Margherita\"]" : valid).getBytes(UTF_8), 415,
            "application/json");
      }
      case 11 -> {
        String[][] methods = {{"PUT", "/api/pizza/orders", "405"},
            {"DELETE", "/api/counters/" + model.names[0][0], "405"},
            {"GET", "/api/pizza/make", "405"}, {"PATCH", "/api/transfers", "405"},
            {"PUT", "/actors/PizzaParlor/pizzaParlor/placeOrder", "405"},
            {"GET", "/actors/PizzaParlor/pizzaParlor/makePizza", "405"},
            {"TRACE", "/api/pizza/orders", "400"}, {"BREW", "/actors", "400"}};
        String[] m = methods[random.nextInt(methods.length)];
        return refusal("HTTP method", HttpMethod.valueOf(m[0]), m[1], null, null, null,
            Integer.parseInt(m[2]));
      }
      case 12 -> { // ids and names: unknown, blank, too long, or refused by the firewall
        String[][] paths = {
            {"POST", "/api/counters/%20/bump", "400", "'name' is required"},
            {"POST", "/api/counters/" + "n".repeat(65) + "/bump", "400", "at most 64"},
            {"GET", "/api/accounts/account-none", "404", "account-none"},
            {"GET", "/api/accounts/%C3%A9t%C3%A9", "404", "été"},
            {"POST", "/actors/Gr%C3%BC%C3%9Fer/x/bump", "404", "No actor type 'Grüßer'"},
            {"POST", "/actors/Counter/x/b%C3%BCmp", "404", "has no method 'bümp'"},
            {"POST", "/actors/Counter/%FF/bump", "400", "not UTF-8"},
            {"POST", "/actors/Counter/" + "n".repeat(257) + "/bump", "400", "at most 256"},
            {"POST", "/actors/Counter/a/b/bump", "404", "No actor endpoint"},
            {"POST", "/api/counters/a%2Fb/bump", "400", "rejected"},
            {"POST", "/actors/Counter/a%2Fb/bump", "400", "rejected"},
            {"POST", "/api/counters/../bump", "400", "rejected"},
            {"POST", "/actors/Counter/../x/bump", "400", "rejected"},
            {"POST", "/actors/Counter/%2E%2E/bump", "400", "rejected"},
            {"POST", "/actors/Counter/a%3Bb/bump", "400", "rejected"},
            {"POST", "/actors/Counter/a;b/bump", "400", "rejected"},
            {"POST", "/actors/Counter/a%25b/bump", "400", "rejected"},
            {"POST", "/actors/Counter/a%5Cb/bump", "400", "rejected"},
            {"POST", "/actors/Counter/a%00b/bump", "400", "rejected"}};
        String[] p = paths[random.nextInt(paths.length)];
        boolean call = p[2].equals("404") && !p[3].equals("No actor endpoint");
        return new Case("path", HttpMethod.valueOf(p[0]), p[1], null, null, null, null,
            Set.of(Integer.parseInt(p[2])), call ? 3 : null, List.of(p[3]), Set.of(), m -> { });
      }
      case 13 -> { // over the limit (a megabyte is sent whole, so not too often)
        if (random.nextBoolean()) {
          return bad(random, model);
        }
        boolean generic = random.nextBoolean();
        String big = "z".repeat(LIMIT + 1 + random.nextInt(100));
        return refusal("oversized", generic ? "/actors/PizzaParlor/pizzaParlor/placeOrder"
                : "/api/pizza/orders", null,
            generic ? "[\"" + big + "\"]" : "{\"order\": \"" + big + "\"}", 413,
            "larger than the limit of " + LIMIT + " bytes");
      }
      case 14 -> {
        String[] paths = {"/api/pizza/orders?order=Margherita",
            "/api/accounts?owner=alice&balance=5",
            "/actors/PizzaParlor/pizzaParlor/placeOrder?order=Margherita"};
        String p = pick(random, paths);
        return refusal("query instead of body", HttpMethod.POST, p, null, null, null, 400,
            "request body", "takes 1 argument, but the array has 0");
      }
      case 15 -> {
        boolean generic = random.nextBoolean();
        String[] accepts = {"text/plain", "application/xml", "text/html, image/*",
            "application/json;q=0", "garbage"};
        return new Case("accept", HttpMethod.POST, generic ? "/actors/Counter/counter-"
            + model.names[0][0] + "/bump" : "/api/counters/" + model.names[0][0] + "/bump", null,
            pick(random, accepts), null, null, Set.of(406), null, List.of("application/json"),
            Set.of(), m -> { });
      }
      case 16 -> { // input not UTF-8 beyond a JSON body (reactant.http.strict-input)
        String[] queries = {"x=%FF", "x=%C0%AF", "x=%C3&y=%A9", "%ED%A0%80=1", "x=caf%C3"};
        String query = pick(random, queries);
        if (random.nextBoolean()) { // a query: refused before the controller reads it
          String view = "/api/accounts/" + model.a + "?" + query;
          return random.nextBoolean()
              ? refusal("query not UTF-8", HttpMethod.GET, view, null, null, null, 400,
                  "The query is not UTF-8 once percent-decoded")
              : refusal("query not UTF-8", HttpMethod.POST, "/api/pizza/orders?" + query, null,
                  "application/json", "{\"order\": \"Margherita\"}".getBytes(UTF_8), 400,
                  "The query is not UTF-8 once percent-decoded");
        }
        // a form (not UTF-8) where JSON is read: 415 as any form, which nobody reads
        return refusal("form not UTF-8", HttpMethod.POST, path, user,
            "application/x-www-form-urlencoded", ("order=" + query).getBytes(UTF_8), 415,
            "application/json");
      }
      default -> { // transfers the bank refuses
        String from = model.a;
        String to = model.b;
        Function<String, String> body = amount -> "{\"from\": \"" + from + "\", \"to\": \"" + to
            + "\", \"amount\": " + amount + "}";
        List<Case> refused = List.of(
            refusal("not the owner", "/api/transfers", BOB, body.apply("5"), 403,
                "bob does not own account " + from),
            refusal("anonymous", "/api/transfers", null, body.apply("5"), 401,
                "Authentication required"),
            refusal("wrong password", "/api/transfers", "alice:nope", body.apply("5"), 401,
                "Authentication required"),
            refusal("no amount", "/api/transfers", ALICE, body.apply("0"), 400,
                "'amount' must be at least 1"),
            refusal("negative", "/api/transfers", ALICE, body.apply("-7"), 400,
                "'amount' must be at least 1"),
            refusal("to itself", "/api/transfers", ALICE, "{\"from\": \"" + from + "\", \"to\": \""
                + from + "\", \"amount\": 5}", 400, "must be different accounts"),
            call("unknown account", HttpMethod.POST, "/api/transfers", ALICE, "{\"from\": \""
                + from + "\", \"to\": \"account-none\", \"amount\": 5}", Set.of(404), 3,
                Set.of(), m -> { }, "account-none"),
            call("anonymous generic", HttpMethod.POST, "/actors/Account/" + from + "/transfer",
                null, "[\"" + to + "\", 5]", Set.of(409), 4, Set.of(), m -> { },
                "anonymous may not move money out of " + from),
            call("credit from outside", HttpMethod.POST, "/actors/Account/" + to + "/credit",
                ALICE, "[1000000, 1, [1]]", Set.of(404), 3, Set.of(), m -> { },
                "The actor type 'Account' has no method 'credit'"));
        return refused.get(random.nextInt(refused.size()));
      }
    }
  }

  /** Random text of {@link #PIECES}. */
  private static String text(Random random, int max) {
    return RandomInputChecks.text(random, max, PIECES);
  }

  /** Letters, escapes, quotes, non-ASCII and surrogate pairs (no 'j'). */
  private static final String[] PIECES = {"a", "b", "z", " ", "é", "ß", "\uD83D\uDE00", "\"",
      "\\", "/", "\t", "%", "<", "'", "∑", "{", "]", "1"};
}

package io.reactant.spring.boot.web;

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

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.ArrayList;
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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seeded random bad input on the generic actor endpoints, mixed with valid calls: each request
 * answers its documented status and JSON body, with a message that names the problem and names
 * nothing of the server, and at the end the actors' committed state is what the valid calls
 * alone made. A failure names its seed and request; {@code -Dreactant.random-input.seed=N} runs
 * one seed, {@code -Dreactant.random-input.seed=1000-1200} a range of them.
 */
class ActorIngressRandomInputTests {

  /** {@code reactant.http.max-request-body} of the test application. */
  private static final int LIMIT = 4096;
  /** {@code reactant.http.max-id-length} of the test application. */
  private static final int MAX_ID = 40;
  private static final int REQUESTS_PER_SEED = 400;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** Ids of virtual counters, as a path spells them, and the id each names. */
  private static final String[][] IDS = {
      {"c1", "c1"}, {"c-2", "c-2"}, {"caf%C3%A9", "café"}, {"%F0%9F%98%80", "\uD83D\uDE00"},
      {"a%20b", "a b"}, {"..", ".."}, {"%2E%2E", ".."}, {"a%2Fb", "a/b"}, {"x%3By", "x;y"},
      {"%25", "%"}, {"%E2%88%91", "∑"}, {"n" + "n".repeat(MAX_ID - 1), "n".repeat(MAX_ID)}};

  private final ReactiveWebApplicationContextRunner runner = IngressTestConfiguration.runner()
      .withPropertyValues("reactant.http.max-request-body=" + LIMIT + "B",
          "reactant.http.max-id-length=" + MAX_ID);

  /** What the valid calls alone did to the actors' committed state. */
  private static final class Model {
    final AtomicLong greeted = new AtomicLong();
    final AtomicLong pokes = new AtomicLong();
    final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    void bump(String id) {
      counters.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
    }
  }

  /**
   * A request and what it must answer.
   *
   * @param statuses the statuses it may answer
   * @param code the reject code of a failed call's body; null for a refusal ({@code {"message"}})
   * @param fragments texts one of which the message holds; empty for any message
   * @param effective the statuses at which {@code effect} happened
   * @param result the JSON of a 200's body, when it is known
   */
  private record Case(String label, HttpMethod method, String path, @Nullable String type,
      @Nullable String accept, byte @Nullable [] body, Set<Integer> statuses,
      @Nullable Integer code, List<String> fragments, Set<Integer> effective,
      Consumer<Model> effect, @Nullable String result) {
  }

  private static Case refusal(String label, HttpMethod method, String path, @Nullable String type,
      byte @Nullable [] body, int status, String... fragments) {
    return new Case(label, method, path, type, null, body, Set.of(status), null,
        List.of(fragments), Set.of(), m -> { }, null);
  }

  private static Case refusal(String label, String path, String body, int status,
      String... fragments) {
    return refusal(label, HttpMethod.POST, path, "application/json", body.getBytes(UTF_8), status,
        fragments);
  }

  @Test
  @DisplayName("R12a R23 seeded random malformed and hostile requests, mixed with valid calls, each"
      + " answer their documented status and message, leak nothing, and change nothing")
  void randomBadInputAnswersItsStatusAndChangesNothing() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      for (long seed : seeds(1, 2, 3, 4)) {
        Model before = state(client, "seed " + seed + " before");
        Model model = state(client, "seed " + seed + " before");
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_SEED; i++) {
          String where = "seed " + seed + " request " + i;
          check(failures, () -> send(client, next(random, false), model, where));
        }
        assertNoFailures(failures);
        assertSameState(client, model, "seed " + seed + " (before: " + show(before) + ")");
      }
    });
  }

  @Test
  @DisplayName("R2 R12a R23 eight threads of seeded random requests, good and bad, against small"
      + " mailboxes: every answer is documented, and the committed state is what the calls that"
      + " answered success made")
  void concurrentRandomBadInputLosesNothing() {
    runner.withPropertyValues("reactant.mailbox-capacity=3").run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      Model model = state(client, "before");
      int threads = 8;
      long base = seeds(100).get(0);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          long seed = base + t;
          done.add(pool.submit(() -> {
            Random random = new Random(seed);
            for (int i = 0; i < 150; i++) {
              int n = i;
              check(failures, () -> send(client, next(random, true), model, "seed " + seed
                  + " request " + n));
            }
          }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertNoFailures(failures);
      assertSameState(client, model, "seeds " + base + ".." + (base + threads - 1));
    });
  }

  /** The committed state, read with queries (the oneways' count behind an update, rule R4). */
  private static Model state(WebTestClient client, String when) {
    Model model = new Model();
    // an update behind every oneway already queued, so that pokes counts them all; a mailbox
    // still full of them answers 503 until it has room
    int status = 503;
    for (int i = 0; i < 10_000 && status == 503; i++) {
      status = client.post().uri("/actors/Greeter/greeter/whoCalls").exchange()
          .expectBody().returnResult().getStatus().value();
    }
    assertThat(status).as("%s: the update behind the oneways", when).isEqualTo(200);
    model.greeted.set(readLong(client, "/actors/Greeter/greeter/greeted", when));
    model.pokes.set(readLong(client, "/actors/Greeter/greeter/pokes", when));
    for (String[] id : IDS) {
      model.counters.put(id[1],
          new AtomicLong(readLong(client, "/actors/Counter/" + id[0] + "/read", when)));
    }
    return model;
  }

  private static long readLong(WebTestClient client, String path, String when) {
    Long value = client.get().uri(URI.create(path)).exchange().expectStatus().isOk()
        .expectBody(Long.class).returnResult().getResponseBody();
    assertThat(value).as("%s: %s", when, path).isNotNull();
    return value;
  }

  private static void assertSameState(WebTestClient client, Model model, String where) {
    Model after = state(client, where + " after");
    assertThat(show(after)).as("the committed state after %s is what the valid calls made", where)
        .isEqualTo(show(model));
  }

  private static String show(Model model) {
    Map<String, Long> counters = new TreeMap<>();
    model.counters.forEach((id, n) -> counters.put(id, n.get()));
    return "greeted=" + model.greeted.get() + " pokes=" + model.pokes.get() + " counters="
        + counters;
  }

  private static void send(WebTestClient client, Case c, Model model, String where) {
    WebTestClient.RequestBodySpec spec = client.method(c.method()).uri(URI.create(c.path()));
    if (c.type() != null) {
      spec.header("Content-Type", c.type());
    }
    if (c.accept() != null) {
      spec.header("Accept", c.accept());
    }
    EntityExchangeResult<byte[]> result = (c.body() == null ? spec : spec.bodyValue(c.body()))
        .exchange().expectBody().returnResult();
    int status = result.getStatus().value();
    String text = bodyText(result);
    String what = where + " (" + c.label() + "): " + c.method() + " " + c.path()
        + (c.body() == null ? "" : " " + shorten(new String(c.body(), UTF_8))) + " answered "
        + status + " " + shorten(text);
    assertThat(c.statuses()).as(what).contains(status);
    if (c.effective().contains(status)) {
      c.effect().accept(model);
    }
    assertLeaksNothing(text, c.body(), what);
    if (status < 300) {
      if (status == 200 && c.result() != null) {
        assertThat(JSON.readTree(text)).as(what).isEqualTo(JSON.readTree(c.result()));
      }
      return;
    }
    assertThat(result.getResponseHeaders().getContentType()).as(what)
        .isEqualTo(MediaType.APPLICATION_JSON);
    JsonNode body = errorBody(result, text, what);
    if (status == 503) {
      assertThat(body.path("code").asInt()).as(what).isEqualTo(2);
      assertThat(body.path("message").asString()).as(what).contains("is full");
      return;
    }
    says(body, c.code(), c.fragments(), what);
  }

  // ---- the requests ----

  /** A method of the test application, with a valid body and its number of parameters. */
  private record Target(String path, String valid, int params) {
  }

  private static final List<Target> TARGETS = List.of(
      new Target("/actors/Greeter/greeter/greet", "[\"Ada\"]", 1),
      new Target("/actors/Greeter/greeter/divide", "[6, 3]", 2),
      new Target("/actors/Greeter/greeter/echo", "[{\"to\": \"Ada\", \"lines\": [\"hi\"]}]", 1),
      new Target("/actors/Greeter/greeter/label", "[{\"to\": \"Ada\", \"grams\": 5}]", 1),
      new Target("/actors/Greeter/greeter/tune", "[1, \"DARK\", 0.5, 2.5]", 4),
      new Target("/actors/Greeter/greeter/pair", "[\"other\"]", 1),
      new Target("/actors/Counter/c1/bump", "[]", 0));

  private static final String MALFORMED = "Malformed JSON";

  /** The next request: valid about a third of the time. */
  private static Case next(Random random, boolean busy) {
    return random.nextInt(3) == 0 ? valid(random, busy) : bad(random);
  }

  private static Case valid(Random random, boolean busy) {
    // a call that reaches a mailbox may find it full while other threads send (code 2)
    Set<Integer> ok = busy ? Set.of(200, 503) : Set.of(200);
    switch (random.nextInt(11)) {
      case 0, 1 -> {
        String name = text(random, random.nextInt(4) == 0 ? 300 : 12);
        return new Case("greet", HttpMethod.POST, "/actors/Greeter/greeter/greet",
            "application/json", null, json(List.of(name)), ok, null, List.of(), Set.of(200),
            m -> m.greeted.incrementAndGet(), JSON.writeValueAsString("Hi, " + name));
      }
      case 2, 3 -> {
        String[] id = IDS[random.nextInt(IDS.length)];
        String query = random.nextBoolean() ? "" : "?x=" + random.nextInt(9);
        byte[] body = random.nextBoolean() ? null : "[]".getBytes(UTF_8);
        String method = random.nextInt(4) == 0 ? "b%75mp" : "bump";
        return new Case("bump " + id[1], HttpMethod.POST, "/actors/Co%75nter/" + id[0] + "/"
            + method + query, body == null ? null : "application/json", null, body, ok, null,
            List.of(), Set.of(200), m -> m.bump(id[1]), null);
      }
      case 4 -> {
        return new Case("poke", HttpMethod.POST, "/actors/Greeter/greeter/poke",
            "application/json", null, "[]".getBytes(UTF_8), busy ? Set.of(202, 503) : Set.of(202),
            null, List.of(), Set.of(202), m -> m.pokes.incrementAndGet(), null);
      }
      case 5 -> {
        int a = random.nextInt();
        int b = random.nextInt(5) == 0 ? 0 : random.nextInt(2001) - 1000;
        if (b == 0) { // a trap: rolled back (rule R12)
          return new Case("divide by zero", HttpMethod.POST, "/actors/Greeter/greeter/divide",
              "application/json", null, ("[" + a + ", 0]").getBytes(UTF_8),
              busy ? Set.of(500, 503) : Set.of(500), 5,
              List.of("greeter trapped in Greeter.divide(): ArithmeticException"), Set.of(),
              m -> { }, null);
        }
        return new Case("divide", HttpMethod.POST, "/actors/Greeter/greeter/divide",
            "application/json", null, ("[" + a + ", " + b + "]").getBytes(UTF_8), ok, null,
            List.of(), Set.of(200), m -> m.greeted.addAndGet(1000), String.valueOf(a / b));
      }
      case 6 -> { // a reject commits (rule R11)
        String why = text(random, 20) + "!";
        return new Case("refuse", HttpMethod.POST, "/actors/Greeter/greeter/refuse",
            "application/json", null, json(List.of(why)),
            busy ? Set.of(409, 503) : Set.of(409), 4, List.of(why), Set.of(409),
            m -> m.greeted.addAndGet(100), null);
      }
      case 7 -> {
        String path = random.nextBoolean() ? "/actors/Greeter/greeter/greeted"
            : "/actors/Counter/" + IDS[random.nextInt(IDS.length)][0] + "/read";
        HttpMethod method = random.nextInt(3) == 0 ? HttpMethod.HEAD : HttpMethod.GET;
        // a GET's body and query are no arguments
        byte[] body = random.nextBoolean() ? null : "[1, 2]".getBytes(UTF_8);
        return new Case("read", method, path + (random.nextBoolean() ? "?a=1" : ""),
            body == null ? null : "application/json", null, body, Set.of(200), null, List.of(),
            Set.of(), m -> { }, null);
      }
      case 8 -> {
        String to = text(random, 10);
        List<String> lines = List.of(text(random, 8), text(random, 30));
        String letter = JSON.writeValueAsString(Map.of("to", to, "lines", lines));
        String type = random.nextBoolean() ? "application/json;charset=UTF-8"
            : "application/vnd.letter+json";
        return new Case("echo", HttpMethod.POST, "/actors/Greeter/greeter/echo", type, null,
            ("[" + letter + "]").getBytes(UTF_8), ok, null, List.of(), Set.of(), m -> { },
            letter);
      }
      case 9 -> { // a body as long as the limit, and one byte less
        int size = LIMIT - random.nextInt(2);
        String name = "x".repeat(size - 4);
        return new Case("greet at the limit", HttpMethod.POST, "/actors/Greeter/greeter/greet",
            "application/json", null, ("[\"" + name + "\"]").getBytes(UTF_8), ok, null, List.of(),
            Set.of(200), m -> m.greeted.incrementAndGet(), JSON.writeValueAsString("Hi, " + name));
      }
      default -> {
        String path = random.nextBoolean() ? "/actors/Greeter/greeter/greet" : "/actors";
        return new Case("options", HttpMethod.OPTIONS, path, null, null, null, Set.of(204), null,
            List.of(), Set.of(), m -> { }, null);
      }
    }
  }

  private static Case bad(Random random) {
    Target t = TARGETS.get(random.nextInt(TARGETS.size()));
    switch (random.nextInt(20)) {
      case 0 -> {
        String cut = t.valid().substring(0, 1 + random.nextInt(t.valid().length() - 1));
        return refusal("truncated", t.path(), cut, 400, MALFORMED);
      }
      case 1 -> {
        String[] garbage = {" x", "]", " [1]", ",", "}", " \"a\"", " // c", " /*", " 1", "\u0000"};
        return refusal("trailing garbage", t.path(), t.valid() + pick(random, garbage), 400,
            MALFORMED);
      }
      case 2 -> {
        String[] broken = {"['Ada']", "[/* c */ 1, 2]", "// c\n[1, 2]", "# c\n[1, 2]",
            "[NaN, 1]", "[1, Infinity]", "[-Infinity, 1]", "[+1, 2]", "[01, 2]", "[.5, 2]",
            "[1., 2]", "[0x10, 2]", "[1, 2,]", "[1,, 2]", "[1 2]", "[{to: \"a\", \"lines\": []}]",
            "[{'to': \"a\", \"lines\": []}]", "[\"a\u0001b\"]", "[\"\\x\"]", "[\"\\u12\"]",
            "[\"a\n\"]", "[tru]", "[nul]", "[\"abc]", "[\u201CAda\u201D]", "{", "[}", "\""};
        return refusal("broken JSON", t.path(), pick(random, broken), 400, MALFORMED);
      }
      case 3 -> { // bytes that are not UTF-8
        byte[][] invalid = {{(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
            {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("[\"a".getBytes(UTF_8));
        body.writeBytes(invalid[random.nextInt(invalid.length)]);
        body.writeBytes("b\"]".getBytes(UTF_8));
        return refusal("invalid UTF-8", HttpMethod.POST, "/actors/Greeter/greeter/greet",
            "application/json", body.toByteArray(), 400, MALFORMED);
      }
      case 4 -> { // random bytes: malformed, or JSON of the wrong shape
        byte[] body = new byte[1 + random.nextInt(64)];
        random.nextBytes(body);
        return refusal("random bytes", HttpMethod.POST, t.path(), "application/json", body, 400);
      }
      case 5 -> {
        String[][] wrong = {
            {"/actors/Greeter/greeter/greet", "[42]", "Argument 1 (name : text)"},
            {"/actors/Greeter/greeter/greet", "[true]", "Argument 1 (name : text)"},
            {"/actors/Greeter/greeter/greet", "[{\"name\": \"Ada\"}]", "Argument 1 (name : text)"},
            {"/actors/Greeter/greeter/greet", "[[\"Ada\"]]", "Argument 1 (name : text)"},
            {"/actors/Greeter/greeter/greet", "[1.5]", "Argument 1 (name : text)"},
            {"/actors/Greeter/greeter/divide", "[\"6\", 3]", "Argument 1 (a : int32)"},
            {"/actors/Greeter/greeter/divide", "[6, 1.5]", "Argument 2 (b : int32)"},
            {"/actors/Greeter/greeter/divide", "[true, 1]", "Argument 1 (a : int32)"},
            {"/actors/Greeter/greeter/divide", "[6, {}]", "Argument 2 (b : int32)"},
            {"/actors/Greeter/greeter/divide", "[6, [3]]", "Argument 2 (b : int32)"},
            {"/actors/Greeter/greeter/echo", "[{\"to\": 1, \"lines\": []}]", "at 'to'"},
            {"/actors/Greeter/greeter/echo", "[{\"to\": \"a\", \"lines\": \"x\"}]", "at 'lines'"},
            {"/actors/Greeter/greeter/echo", "[{\"to\": \"a\", \"lines\": [], \"cc\": 1}]", "'cc'"},
            {"/actors/Greeter/greeter/echo", "[\"Ada\"]", "Argument 1 (letter"},
            {"/actors/Greeter/greeter/tune", "[128, \"DARK\", 0.5, 1]", "Argument 1 (level : int8)"},
            {"/actors/Greeter/greeter/tune", "[1, \"PURPLE\", 0.5, 1]", "Argument 2 (shade"},
            {"/actors/Greeter/greeter/tune", "[1, 1, 0.5, 1]", "Argument 2 (shade"},
            {"/actors/Greeter/greeter/tune", "[1, \"DARK\", 1e39, 1]", "Argument 3 (ratio"},
            {"/actors/Greeter/greeter/tune", "[1, \"DARK\", \"0.5\", 1]", "Argument 3 (ratio"},
            {"/actors/Greeter/greeter/pair", "[\" \"]", "An actor id must not be blank"},
            {"/actors/Greeter/greeter/pair", "[7]", "Argument 1 (other : principal)"},
            {"/actors/Greeter/greeter/label", "[{\"to\": \"a\", \"grams\": \"5\"}]", "at 'grams'"}};
        String[] w = wrong[random.nextInt(wrong.length)];
        return refusal("wrong type", w[0], w[1], 400, w[2]);
      }
      case 6 -> { // wrong arity
        int n = random.nextInt(6);
        if (n == t.params()) {
          n++;
        }
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          args.add(random.nextBoolean() ? (Object) i : "x" + i);
        }
        return refusal("arity", t.path(), JSON.writeValueAsString(args), 400,
            " takes " + t.params() + " argument" + (t.params() == 1 ? "" : "s")
                + ", but the array has " + n);
      }
      case 7 -> { // numbers past any type
        String[] huge = {"2147483648", "-2147483649", "99999999999999999999", "1e400",
            "-1e999999999", "1" + "0".repeat(1_200), "1e-400", "0." + "0".repeat(500) + "1",
            "9223372036854775808", "1E+2", "12345678901234567890123456789"};
        String number = pick(random, huge);
        boolean first = random.nextBoolean();
        String body = first ? "[" + number + ", 3]" : "[6, " + number + "]";
        return refusal("huge number", "/actors/Greeter/greeter/divide", body, 400,
            "Argument " + (first ? 1 : 2) + " (", MALFORMED);
      }
      case 8 -> { // deep nesting
        int depth = (t.params() == 0 ? 2 : 1) + random.nextInt(700); // [] is bump's valid body
        String body = "[".repeat(depth) + "]".repeat(depth);
        return refusal("nesting " + depth, t.path(), body, 400, "Argument 1 (",
            "takes " + t.params() + " argument", "nesting depth", "must be a JSON array");
      }
      case 9 -> {
        int depth = 2 + random.nextInt(600);
        String body = "[{\"to\": \"a\", \"lines\": [], \"x\": " + "{\"a\":".repeat(depth) + "1"
            + "}".repeat(depth) + "}]";
        return refusal("nested object " + depth, "/actors/Greeter/greeter/echo", body, 400,
            "at 'x'", "nesting depth");
      }
      case 10 -> {
        String body = "[\"" + "y".repeat(LIMIT - 20 - random.nextInt(LIMIT / 2)) + "\", 3]";
        return refusal("long string", "/actors/Greeter/greeter/divide", body, 400,
            "Argument 1 (a : int32)");
      }
      case 11 -> {
        String[] twice = {"[{\"to\": \"a\", \"lines\": [], \"to\": \"b\"}]",
            "[{\"to\": \"a\", \"lines\": [], \"lines\": [\"x\"]}]",
            "[{\"to\": \"a\", \"grams\": 1, \"grams\": 2}]"};
        int i = random.nextInt(twice.length);
        return refusal("duplicate key",
            i == 2 ? "/actors/Greeter/greeter/label" : "/actors/Greeter/greeter/echo",
            twice[i], 400, "Duplicate");
      }
      case 12 -> {
        String[][] nulls = {{"/actors/Greeter/greeter/divide", "[null, 1]", "must not be null"},
            {"/actors/Greeter/greeter/divide", "[1, null]", "must not be null"},
            {"/actors/Greeter/greeter/tune", "[null, \"DARK\", 1, 1]", "must not be null"},
            {"/actors/Greeter/greeter/greet", "[null]", "must not be null"},
            {"/actors/Greeter/greeter/label", "[{\"to\": \"a\", \"grams\": null}]", "got null"},
            {"/actors/Greeter/greeter/echo", "[{\"to\": \"a\", \"lines\": [null]}]", "got null"},
            {"/actors/Greeter/greeter/echo", "[{\"to\": null, \"lines\": []}]", "got null"},
            {"/actors/Greeter/greeter/greet", "null", "must be a JSON array"}};
        String[] n = nulls[random.nextInt(nulls.length)];
        return refusal("null", n[0], n[1], 400, n[2]);
      }
      case 13 -> {
        String[] types = {"text/plain", "application/xml", "application/x-www-form-urlencoded",
            "application/octet-stream", "text/json", "multipart/form-data; boundary=x",
            "text/html;charset=UTF-8"};
        return refusal("content type", HttpMethod.POST, "/actors/Greeter/greeter/greet",
            pick(random, types), "[\"Ada\"]".getBytes(UTF_8), 415,
            "Content-Type: application/json");
      }
      case 14 -> {
        HttpMethod[] methods = {HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH,
            HttpMethod.TRACE, HttpMethod.valueOf("BREW")};
        HttpMethod method = methods[random.nextInt(methods.length)];
        return refusal("HTTP method", method, t.path(), "application/json",
            t.valid().getBytes(UTF_8), 405, method.name() + " is not allowed here");
      }
      case 15 -> {
        String path = t.path().endsWith("/bump") ? "/actors/Greeter/greeter/divide" : t.path();
        return refusal("GET on an update", HttpMethod.GET, path, null, null, 405,
            "GET is only for query methods");
      }
      case 16 -> { // ids and names that no actor or method has, or that are no id
        String[][] paths = {
            {"/actors/Gr%C3%BC%C3%9Fer/greeter/greet", "404", "No actor type 'Grüßer'"},
            {"/actors/Greeter/greeter/gr%C3%A9et", "404", "has no method 'gréet'"},
            {"/actors/Greeter/greeter/%F0%9F%98%80", "404", "has no method '\uD83D\uDE00'"},
            {"/actors/Greeter/%E2%9C%93/greet", "404", "✓"},
            {"/actors/Memo/never%20spawned/text", "404", "never spawned"},
            {"/actors/Greeter/greeter/..", "404", "has no method '..'"},
            {"/actors/Hidden/hidden/secret", "404", "No actor type 'Hidden'"},
            {"/actors/Counter/%FF/bump", "400", "not UTF-8"},
            {"/actors/Counter/caf%E9/bump", "400", "not UTF-8"},
            {"/actors/Counter/%C0%AF/bump", "400", "not UTF-8"},
            {"/actors/Counter/%ED%A0%80/bump", "400", "not UTF-8"},
            {"/actors/Counter/%20/bump", "400", "must not be blank"},
            {"/actors/Counter/%09%0A/bump", "400", "must not be blank"},
            {"/actors/Counter/" + "m".repeat(MAX_ID + 1) + "/bump", "400", "at most 40 characters"},
            {"/actors/Counter/%C3%A9" + "m".repeat(MAX_ID) + "/bump", "400", "at most 40"},
            {"/actors/Counter/a/b/bump", "404", "No actor endpoint"},
            {"/actors/Counter/../../bump", "404", "No actor endpoint"},
            {"/actors/Counter/bump", "404", "No actor endpoint"},
            {"/actors/Counter//bump", "404", "No actor endpoint"}};
        String[] p = paths[random.nextInt(paths.length)];
        int status = Integer.parseInt(p[1]);
        boolean call = status == 404 && !p[2].equals("No actor endpoint");
        return new Case("path", HttpMethod.POST, p[0], "application/json", null,
            (p[0].contains("greet") ? "[\"Ada\"]" : "[]").getBytes(UTF_8), Set.of(status),
            call ? 3 : null, List.of(p[2]), Set.of(), m -> { }, null);
      }
      case 17 -> { // over the limit, by a little or a lot
        int size = LIMIT + 1 + (random.nextBoolean() ? random.nextInt(8) : random.nextInt(LIMIT));
        String body = "[\"" + "z".repeat(size - 4) + "\"]";
        return refusal("oversized", t.path(), body, 413, "larger than the limit of 4096 bytes");
      }
      case 18 -> { // query parameters instead of a body
        Target with = TARGETS.get(random.nextInt(TARGETS.size() - 1));
        return refusal("query instead of body", HttpMethod.POST,
            with.path() + "?name=Ada&a=6&b=3&args=%5B%22Ada%22%5D", null, null, 400,
            "takes " + with.params() + " argument", "but the array has 0");
      }
      default -> {
        String[] accepts = {"text/plain", "application/xml", "text/html, image/*",
            "application/json;q=0", "no/such; q=x", "garbage"};
        Target with = TARGETS.get(random.nextInt(TARGETS.size()));
        return new Case("accept", HttpMethod.POST, with.path(), "application/json",
            pick(random, accepts), with.valid().getBytes(UTF_8), Set.of(406), null,
            List.of("accept it (Accept: application/json)"), Set.of(), m -> { }, null);
      }
    }
  }

  private static byte[] json(Object value) {
    return JSON.writeValueAsBytes(value);
  }

  /** Random text of {@link #PIECES}. */
  private static String text(Random random, int max) {
    return RandomInputChecks.text(random, max, PIECES);
  }

  /** Letters, escapes, quotes, non-ASCII and surrogate pairs (no 'j'). */
  private static final String[] PIECES = {"a", "b", "z", " ", "é", "ß", "\uD83D\uDE00", "\"",
      "\\", "/", "\n", "\t", "%", "<", "'", "∑", "\u0000", "\u2028", "{", "]", "1"};
}

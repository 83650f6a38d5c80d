package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.CompositeQuery;
import io.reactant.actor.Query;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantWebFluxAutoConfiguration;
import io.reactant.state.Var;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The generic endpoints against the shapes an actor interface may take beyond a plain method:
 * varargs, methods inherited twice, generic interfaces and methods, default methods, markers
 * through inheritance, parameters no JSON builds, and the results that are not a plain value. Over
 * a real server.
 */
class InterfaceShapesTests {

  private static ReactiveWebApplicationContextRunner server() {
    return new ReactiveWebApplicationContextRunner(
        AnnotationConfigReactiveWebServerApplicationContext::new)
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
            CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
            HttpHandlerAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class,
            NettyReactiveWebServerAutoConfiguration.class))
        .withPropertyValues("server.port=0");
  }

  private static void withServer(Consumer<WebTestClient> test, Class<?>... actors) {
    server().withUserConfiguration(actors).run(context -> {
      assertThat(context).hasNotFailed();
      int port = ((ReactiveWebServerApplicationContext) context.getSourceApplicationContext())
          .getWebServer().getPort();
      test.accept(WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build());
    });
  }

  /** The status and body of a POST, as {@code "200 6"}. */
  private static String post(WebTestClient client, String path, String json) {
    EntityExchangeResult<byte[]> result = client.post().uri(path)
        .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange()
        .expectBody().returnResult();
    String body = RandomInputChecks.bodyText(result);
    RandomInputChecks.assertLeaksNothing(body, json.getBytes(UTF_8), path + " " + json);
    return result.getStatus().value() + " " + body;
  }

  private static String get(WebTestClient client, String path) {
    EntityExchangeResult<byte[]> result = client.get().uri(path).exchange().expectBody()
        .returnResult();
    return result.getStatus().value() + " " + RandomInputChecks.bodyText(result);
  }

  /** The Candid signatures {@code GET /actors} lists for a type, in order. */
  private static List<String> candid(WebTestClient client, String type) {
    List<String> candid = new java.util.ArrayList<>();
    client.get().uri("/actors").exchange().expectStatus().isOk().expectBody()
        .jsonPath("$[?(@.type == '" + type + "')].methods[*].candid")
        .value((List<String> all) -> candid.addAll(all));
    return candid;
  }

  private static String refused(String message) {
    return "400 {\"message\":\"" + message + "\"}";
  }

  public interface Summer {
    Mono<Integer> sum(int... xs);

    Mono<String> join(String separator, String... parts);
  }

  @ActorBean
  public static final class SummerActor extends Actor implements Summer {
    @Override
    public Mono<Integer> sum(int... xs) {
      return Mono.just(Arrays.stream(xs).sum());
    }

    @Override
    public Mono<String> join(String separator, String... parts) {
      return Mono.just(String.join(separator, parts));
    }
  }

  @Test
  @DisplayName("a varargs parameter is one argument, a JSON array (none is []): its elements sent"
      + " as arguments of their own, a lone element or a null answer 400 saying so")
  void varargsParameterIsOneArrayArgument() {
    withServer(client -> {
      String sum = "/actors/Summer/summer/sum";
      assertThat(post(client, sum, "[[1, 2, 3]]")).isEqualTo("200 6");
      assertThat(post(client, sum, "[[]]")).isEqualTo("200 0");
      assertThat(post(client, sum, "[1, 2, 3]")).isEqualTo(refused(
          "Summer.sum(xs : vec int32) takes 1 argument, but the array has 3"));
      assertThat(post(client, sum, "[]")).isEqualTo(refused(
          "Summer.sum(xs : vec int32) takes 1 argument, but the array has 0"));
      assertThat(post(client, sum, "[1]")).isEqualTo(refused("Argument 1 (xs : vec int32) of"
          + " Summer.sum(xs : vec int32) is invalid: Expected an array, got an integer"));
      assertThat(post(client, sum, "[null]")).isEqualTo(refused("Argument 1 (xs : vec int32) of"
          + " Summer.sum(xs : vec int32) must not be null"));
      assertThat(post(client, sum, "[[1, null]]")).isEqualTo(refused("Argument 1 (xs : vec"
          + " int32) of Summer.sum(xs : vec int32) is invalid: at '[1]': Expected a 32-bit"
          + " integer, got null"));
      String join = "/actors/Summer/summer/join";
      assertThat(post(client, join, "[\"-\", [\"a\", \"b\"]]")).isEqualTo("200 \"a-b\"");
      assertThat(post(client, join, "[\"-\", []]")).isEqualTo("200 \"\"");
      assertThat(post(client, join, "[\"-\", \"a\", \"b\"]")).isEqualTo(refused(
          "Summer.join(separator : text, parts : vec text) takes 2 arguments, but the array"
              + " has 3"));
      assertThat(post(client, join, "[\"-\", \"a\"]")).isEqualTo(refused("Argument 2 (parts :"
          + " vec text) of Summer.join(separator : text, parts : vec text) is invalid: Expected"
          + " an array, got a string"));
      assertThat(candid(client, "Summer")).containsExactly("join : (text, vec text) -> (text)",
          "sum : (vec int32) -> (int32)");
    }, SummerActor.class);
  }

  public interface Written {
    Mono<Integer> touch();
  }

  public interface AlsoWritten {
    Mono<Integer> touch();
  }

  /** Inherits {@code touch()} from two parents that agree: one method, no overload. */
  public interface Twice extends Written, AlsoWritten {
  }

  @ActorBean
  public static final class TwiceActor extends Actor implements Twice {
    private final Var<Integer> touches = newVar("touches", 0);

    @Override
    public Mono<Integer> touch() {
      return Mono.just(touches.update(t -> t + 1));
    }
  }

  @Test
  @DisplayName("R19 a method an exposed interface inherits from two parents that agree on it is"
      + " one method, not an overload: the type starts and HTTP lists and calls it once")
  void methodInheritedFromTwoParentsIsNoOverload() {
    withServer(client -> {
      assertThat(post(client, "/actors/Twice/twice/touch", "[]")).isEqualTo("200 1");
      assertThat(post(client, "/actors/Twice/twice/touch", "[]")).isEqualTo("200 2");
      assertThat(candid(client, "Twice")).containsExactly("touch : () -> (int32)");
    }, TwiceActor.class);
  }

  public interface Read {
    @Query
    Mono<Integer> touch();
  }

  /** Inherits {@code touch()} as an update and as a query: the actor system refuses it. */
  public interface WrittenAndRead extends Written, Read {
  }

  @ActorBean
  public static final class WrittenAndReadActor extends Actor implements WrittenAndRead {
    @Override
    public Mono<Integer> touch() {
      return Mono.just(1);
    }
  }

  /** Settles the inherited method as a query by redeclaring it with its marker. */
  public interface Settled extends Written, Read {
    @Override
    @Query
    Mono<Integer> touch();
  }

  @ActorBean
  public static final class SettledActor extends Actor implements Settled {
    private final Var<Integer> touches = newVar("touches", 0);

    @Override
    public Mono<Integer> touch() {
      return Mono.just(touches.update(t -> t + 1));
    }
  }

  @Test
  @DisplayName("R19 an exposed interface that inherits a method as an update and as a query fails"
      + " the startup with the actor system's reason, not as an overload; redeclared as a query it"
      + " is one over HTTP, and commits nothing")
  void methodInheritedAsUpdateAndQueryIsTheActorSystemsRefusal() {
    server().withUserConfiguration(WrittenAndReadActor.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("touch() is inherited as an update from "
              + Written.class.getName() + " and as a @Query from " + Read.class.getName())
          .hasMessageNotContaining("overloads");
    });
    withServer(client -> {
      assertThat(get(client, "/actors/Settled/settled/touch")).isEqualTo("200 1");
      assertThat(post(client, "/actors/Settled/settled/touch", "[]")).isEqualTo("200 1");
      assertThat(candid(client, "Settled")).containsExactly("touch : () -> (int32) query");
    }, SettledActor.class);
  }

  public record Pair(String left, String right) {
  }

  /** A generic interface with a query, a list of its type and a default method. */
  public interface Store<T> {
    Mono<T> put(T item);

    @Query
    Mono<T> last();

    @Query
    Mono<List<T>> all();

    default Mono<String> describe() {
      return last().map(l -> "last " + l);
    }
  }

  /** Gives {@code T}, redeclaring none of the methods. */
  public interface Strings extends Store<String> {
  }

  @ActorBean
  public static final class StringsActor extends Actor implements Strings {
    private final Var<String> last = newVar("last", "none");

    @Override
    public Mono<String> put(String item) {
      last.set(item);
      return Mono.just(item.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public Mono<String> last() {
      return Mono.just(last.get());
    }

    @Override
    public Mono<List<String>> all() {
      return Mono.just(List.of(last.get()));
    }
  }

  /** Gives {@code T} through an interface that is generic itself. */
  public interface Keeper<K> extends Store<K> {
  }

  public interface Pairs extends Keeper<Pair> {
  }

  @ActorBean
  public static final class PairsActor extends Actor implements Pairs {
    private final Var<Pair> last = newVar("last", new Pair("-", "-"));

    @Override
    public Mono<Pair> put(Pair item) {
      last.set(item);
      return Mono.just(new Pair(item.right(), item.left()));
    }

    @Override
    public Mono<Pair> last() {
      return Mono.just(last.get());
    }

    @Override
    public Mono<List<Pair>> all() {
      return Mono.just(List.of(last.get()));
    }
  }

  @Test
  @DisplayName("R23 a method inherited from a generic interface takes and returns the type argument"
      + " the actor interface gives (through any number of levels): a wrong JSON value answers"
      + " 400 and reaches no actor, instead of trapping it; GET /actors names the types and lists"
      + " each method once, a default method among them")
  void genericInterfaceMethodsBindTheTypeArgument() {
    withServer(client -> {
      String strings = "/actors/Strings/strings/";
      assertThat(post(client, strings + "put", "[\"jam\"]")).isEqualTo("200 \"JAM\"");
      assertThat(post(client, strings + "put", "[3]")).isEqualTo(refused("Argument 1 (item :"
          + " text) of Strings.put(item : text) is invalid: Expected a string, got an integer"));
      assertThat(post(client, strings + "put", "[1.5]")).isEqualTo(refused("Argument 1 (item :"
          + " text) of Strings.put(item : text) is invalid: Expected a string, got a number with"
          + " a fraction"));
      assertThat(post(client, strings + "put", "[true]")).isEqualTo(refused("Argument 1 (item :"
          + " text) of Strings.put(item : text) is invalid: Expected a string, got a boolean"));
      assertThat(post(client, strings + "put", "[{\"a\": 1}]")).startsWith("400 ")
          .contains("Expected a string, got an object");
      assertThat(get(client, strings + "last")).isEqualTo("200 \"jam\"");
      assertThat(get(client, strings + "all")).isEqualTo("200 [\"jam\"]");
      assertThat(post(client, strings + "describe", "[]")).isEqualTo("200 \"last jam\"");
      assertThat(candid(client, "Strings")).containsExactly("all : () -> (vec text) query",
          "describe : () -> (text)", "last : () -> (text) query", "put : (text) -> (text)");

      String pairs = "/actors/Pairs/pairs/";
      assertThat(post(client, pairs + "put", "[{\"left\": \"a\", \"right\": \"b\"}]"))
          .isEqualTo("200 {\"left\":\"b\",\"right\":\"a\"}");
      assertThat(post(client, pairs + "put", "[{\"left\": \"a\"}]")).isEqualTo(refused(
          "Argument 1 (item : record { left : text; right : text }) of Pairs.put(item : record {"
              + " left : text; right : text }) is invalid: at 'right': Expected a string, got"
              + " nothing: the field is missing"));
      assertThat(post(client, pairs + "put", "[\"ab\"]")).startsWith("400 ")
          .contains("Expected an object with left, right, got a string");
      assertThat(get(client, pairs + "all")).isEqualTo("200 [{\"left\":\"a\",\"right\":\"b\"}]");
      assertThat(candid(client, "Pairs")).containsExactly(
          "all : () -> (vec record { left : text; right : text }) query",
          "describe : () -> (text)",
          "last : () -> (record { left : text; right : text }) query",
          "put : (record { left : text; right : text }) -> (record { left : text; right : text"
              + " })");
    }, StringsActor.class, PairsActor.class);
  }

  @Test
  @DisplayName("a decimal argument reaches the actor as sent, every digit of it (a BigDecimal is"
      + " not read through a double), and a number's own text is what a refusal quotes")
  void decimalsAreExact() {
    withServer(client -> {
      String exact = "/actors/Scalars/scalars/exact";
      assertThat(post(client, exact, "[0.1000000000000000000001, [12345678901234567890.5, 1e400]]"))
          .isEqualTo("200 \"0.1000000000000000000001 [12345678901234567890.5, 1E+400]\"");
      assertThat(post(client, exact, "[1, []]")).isEqualTo("200 \"1 []\"");
      assertThat(post(client, "/actors/Scalars/scalars/count", "[1e3]")).startsWith("400 ")
          .endsWith("is invalid: Expected a 64-bit integer, got a number with an exponent\"}");
      assertThat(post(client, "/actors/Scalars/scalars/ratios", "[[1e400], []]")).startsWith("400 ")
          .endsWith("is invalid: at '[0]': Numeric value out of range of a 64-bit float\"}");
      assertThat(post(client, "/actors/Scalars/scalars/ratios", "[[], [1e39]]")).startsWith("400 ")
          .endsWith("is invalid: at '[0]': Numeric value (1e39) out of range of a 32-bit float\"}");
    }, ScalarsActor.class);
  }

  @Test
  @DisplayName("GET /actors names a UUID and an Instant, JSON strings, text and a BigDecimal, a JSON"
      + " number, float64: Candid, not their Java names; a 400 names them alike")
  void candidOfUuidsInstantsAndDecimals() {
    withServer(client -> {
      assertThat(candid(client, "Scalars")).contains("find : (opt text) -> (text)",
          "since : (text) -> (text)", "exact : (float64, vec float64) -> (text)");
      assertThat(post(client, "/actors/Scalars/scalars/since", "[\"now\"]")).startsWith("400 ")
          .contains("Argument 1 (at : text) of Scalars.since(at : text) is invalid");
    }, ScalarsActor.class);
  }

  /** A generic interface whose type variable appears inside wildcards. */
  public interface Bag<T> {
    Mono<Integer> addAll(List<? extends T> items);

    Mono<Integer> count(java.util.Map<String, ? super T> tally);
  }

  public interface Names extends Bag<String> {
  }

  @ActorBean
  public static final class NamesActor extends Actor implements Names {
    private final Var<Integer> letters = newVar("letters", 0);

    @Override
    public Mono<Integer> addAll(List<? extends String> items) {
      items.forEach(item -> letters.update(n -> n + item.length()));
      return Mono.just(letters.get());
    }

    @Override
    public Mono<Integer> count(java.util.Map<String, ? super String> tally) {
      return Mono.just(tally.size());
    }
  }

  @Test
  @DisplayName("R23 a type argument inside a wildcard of a generic interface's method is bound too"
      + " (List<? extends T> of a Bag<String> takes strings only): a wrong element answers 400"
      + " instead of reaching the actor and trapping it")
  void typeArgumentsInsideWildcardsAreBound() {
    withServer(client -> {
      String names = "/actors/Names/names/";
      assertThat(post(client, names + "addAll", "[[\"ab\", \"cde\"]]")).isEqualTo("200 5");
      assertThat(post(client, names + "addAll", "[[\"ab\", 3]]")).isEqualTo(refused("Argument 1"
          + " (items : vec text) of Names.addAll(items : vec text) is invalid: at '[1]': Expected a"
          + " string, got an integer"));
      // a lower bound reads as its upper one, any JSON value (as Jackson reads "? super T")
      assertThat(post(client, names + "count", "[{\"a\": \"x\", \"b\": 2}]")).isEqualTo("200 2");
      assertThat(candid(client, "Names")).containsExactly("addAll : (vec text) -> (int32)",
          "count : (vec record { text; reserved }) -> (int32)");
      assertThat(post(client, names + "addAll", "[[]]")).isEqualTo("200 5");
    }, NamesActor.class);
  }

  /** Generic methods: their own type variables, bound or not. */
  public interface Echo {
    <T> Mono<T> echo(T value);

    <N extends Number> Mono<String> number(N n);

    Mono<String> any(Object value);
  }

  @ActorBean
  public static final class EchoActor extends Actor implements Echo {
    @Override
    public <T> Mono<T> echo(T value) {
      return Mono.just(value);
    }

    @Override
    public <N extends Number> Mono<String> number(N n) {
      return Mono.just(n.getClass().getSimpleName() + " " + n);
    }

    @Override
    public Mono<String> any(Object value) {
      return Mono.just(value.getClass().getSimpleName());
    }
  }

  @Test
  @DisplayName("a generic method's type variable takes any JSON value of its bound (a string, a"
      + " number, an object as a map, an array as a list; not null), named reserved in Candid, as"
      + " Object is")
  void genericMethodTakesAnyJsonValueOfItsBound() {
    withServer(client -> {
      String echo = "/actors/Echo/echo/echo";
      assertThat(post(client, echo, "[\"x\"]")).isEqualTo("200 \"x\"");
      assertThat(post(client, echo, "[1.5]")).isEqualTo("200 1.5");
      assertThat(post(client, echo, "[{\"a\": [1, true]}]")).isEqualTo("200 {\"a\":[1,true]}");
      assertThat(post(client, echo, "[null]")).isEqualTo(refused("Argument 1 (value : reserved)"
          + " of Echo.echo(value : reserved) must not be null"));
      String number = "/actors/Echo/echo/number";
      assertThat(post(client, number, "[7]")).isEqualTo("200 \"Integer 7\"");
      assertThat(post(client, number, "[1.5]")).isEqualTo("200 \"Double 1.5\"");
      assertThat(post(client, number, "[\"7\"]")).startsWith("400 ");
      assertThat(post(client, "/actors/Echo/echo/any", "[{}]")).isEqualTo("200 \"LinkedHashMap\"");
      assertThat(post(client, "/actors/Echo/echo/any", "[[]]")).isEqualTo("200 \"ArrayList\"");
      assertThat(candid(client, "Echo")).containsExactly("any : (reserved) -> (text)",
          "echo : (reserved) -> (reserved)", "number : (reserved) -> (text)");
    }, EchoActor.class);
  }

  /** A counter whose queries write: what they write must never commit. */
  public interface Counting {
    @Query
    Mono<Long> peek();

    @CompositeQuery
    Mono<Long> peekTwice();

    Mono<Long> bump();
  }

  /** Inherits the markers. */
  public interface Tally extends Counting {
  }

  /** Redeclares the parent's query without its marker: an update here. */
  public interface Ledger extends Counting {
    @Override
    Mono<Long> peek();
  }

  /** The methods of {@link Counting}, for its children (the class implements only the child). */
  abstract static class WritingCounter extends Actor {
    private final Var<Long> n = newVar("n", 0L);

    public Mono<Long> peek() {
      return Mono.just(n.update(x -> x + 100));
    }

    public Mono<Long> peekTwice() {
      return Mono.just(n.update(x -> x + 1_000));
    }

    public Mono<Long> bump() {
      return Mono.just(n.update(x -> x + 1));
    }
  }

  @ActorBean
  public static final class TallyActor extends WritingCounter implements Tally {
  }

  @ActorBean
  public static final class LedgerActor extends WritingCounter implements Ledger {
  }

  @Test
  @DisplayName("R19 R23 @Query and @CompositeQuery inherited from a parent interface are queries"
      + " over HTTP (what they write is not committed: the state after says so); redeclared"
      + " without the marker in the child, the method is an update there and commits")
  void markersInheritedThroughInterfacesDecideTheKindOverHttp() {
    withServer(client -> {
      String tally = "/actors/Tally/tally/";
      assertThat(post(client, tally + "bump", "[]")).isEqualTo("200 1");
      assertThat(get(client, tally + "peek")).isEqualTo("200 101");
      assertThat(post(client, tally + "peekTwice", "[]")).isEqualTo("200 1001");
      assertThat(get(client, tally + "peek")).as("nothing committed").isEqualTo("200 101");
      assertThat(post(client, tally + "bump", "[]")).isEqualTo("200 2");
      assertThat(candid(client, "Tally")).containsExactly("bump : () -> (int64)",
          "peek : () -> (int64) query", "peekTwice : () -> (int64) composite_query");

      String ledger = "/actors/Ledger/ledger/";
      assertThat(post(client, ledger + "peek", "[]")).isEqualTo("200 100");
      assertThat(post(client, ledger + "bump", "[]")).as("the update committed")
          .isEqualTo("200 101");
      assertThat(get(client, ledger + "peek")).as("an update is not read with GET")
          .startsWith("405 ");
      assertThat(candid(client, "Ledger")).contains("peek : () -> (int64)");
    }, TallyActor.class, LedgerActor.class);
  }

  public interface Shape {
  }

  public abstract static class AbstractShape {
  }

  public record Drawing(String name, Shape shape) {
  }

  /** Parameters that no JSON builds, an Optional, a primitive and a boxed integer. */
  public interface Odd {
    Mono<String> shape(Shape shape);

    Mono<String> abstractShape(AbstractShape shape);

    Mono<String> drawing(Drawing drawing);

    Mono<String> later(Mono<String> value);

    Mono<String> maybe(Optional<String> value);

    Mono<Integer> twice(int n);

    Mono<Integer> twiceBoxed(Integer n);
  }

  @ActorBean
  public static final class OddActor extends Actor implements Odd {
    private final Var<Integer> calls = newVar("calls", 0);

    @Override
    public Mono<String> shape(Shape shape) {
      calls.update(c -> c + 1);
      return Mono.just("shape");
    }

    @Override
    public Mono<String> abstractShape(AbstractShape shape) {
      calls.update(c -> c + 1);
      return Mono.just("abstract");
    }

    @Override
    public Mono<String> drawing(Drawing drawing) {
      calls.update(c -> c + 1);
      return Mono.just("drawing");
    }

    @Override
    public Mono<String> later(Mono<String> value) {
      calls.update(c -> c + 1);
      return value;
    }

    @Override
    public Mono<String> maybe(Optional<String> value) {
      return Mono.just(value.orElse("empty") + " after " + calls.get() + " calls");
    }

    @Override
    public Mono<Integer> twice(int n) {
      return Mono.just(2 * n);
    }

    @Override
    public Mono<Integer> twiceBoxed(Integer n) {
      return Mono.just(2 * n);
    }
  }

  @Test
  @DisplayName("a parameter of a type no JSON builds (an interface, an abstract class, a Mono),"
      + " alone or as a field, answers 400 saying no value will do, naming no Java type and"
      + " reaching no actor, and logs its warning once per argument however often a client"
      + " sends it; an Optional takes null; null for an int or an Integer answers 400")
  @ExtendWith(OutputCaptureExtension.class)
  void parametersNoJsonBuildsAnswer400(CapturedOutput output) {
    withServer(client -> {
      String odd = "/actors/Odd/odd/";
      String noValue = " cannot be sent over HTTP: the service does not say how to read its type"
          + " from JSON";
      assertThat(post(client, odd + "shape", "[{}]")).isEqualTo(refused(
          "Argument 1 (shape : reserved) of Odd.shape(shape : reserved)" + noValue));
      assertThat(post(client, odd + "shape", "[1]")).isEqualTo(refused(
          "Argument 1 (shape : reserved) of Odd.shape(shape : reserved)" + noValue));
      assertThat(post(client, odd + "abstractShape", "[{}]")).isEqualTo(refused(
          "Argument 1 (shape : reserved) of Odd.abstractShape(shape : reserved)"
              + noValue));
      assertThat(post(client, odd + "later", "[\"x\"]")).isEqualTo(refused(
          "Argument 1 (value : reserved) of Odd.later(value : reserved)" + noValue));
      assertThat(post(client, odd + "drawing", "[{\"name\": \"d\", \"shape\": {}}]"))
          .isEqualTo(refused("Argument 1 (drawing : record { name : text; shape : reserved }) of"
              + " Odd.drawing(drawing : record { name : text; shape : reserved })" + noValue
              + " (at 'shape')"));
      assertThat(post(client, odd + "maybe", "[null]")).isEqualTo("200 \"empty after 0 calls\"");
      assertThat(post(client, odd + "maybe", "[\"x\"]")).isEqualTo("200 \"x after 0 calls\"");
      assertThat(post(client, odd + "twice", "[null]")).isEqualTo(refused(
          "Argument 1 (n : int32) of Odd.twice(n : int32) must not be null"));
      assertThat(post(client, odd + "twiceBoxed", "[null]")).isEqualTo(refused(
          "Argument 1 (n : int32) of Odd.twiceBoxed(n : int32) must not be null"));
      assertThat(post(client, odd + "twiceBoxed", "[21]")).isEqualTo("200 42");
      // shape was sent twice: one warning for its argument, one for each of the others
      String warning = "The HTTP ingress cannot read Argument 1 (shape : reserved) of Odd.shape(";
      assertThat(output.getOut().split(Pattern.quote(warning), -1))
          .as("warnings for shape's argument").hasSize(2);
      assertThat(output.getOut()).contains("The HTTP ingress cannot read Argument 1 (value : reserved)");
    }, OddActor.class);
  }

  /** Results that are not a plain value. */
  public interface Results {
    Mono<Void> nothing();

    Mono<String> empty();

    Mono<Optional<String>> find(String key);

    Mono<byte[]> bytes(byte[] in);

    Mono<Pair> half();
  }

  @ActorBean
  public static final class ResultsActor extends Actor implements Results {
    @Override
    public Mono<Void> nothing() {
      return Mono.empty();
    }

    @Override
    public Mono<String> empty() {
      return Mono.empty();
    }

    @Override
    public Mono<Optional<String>> find(String key) {
      return Mono.just(key.isEmpty() ? Optional.empty() : Optional.of(key));
    }

    @Override
    public Mono<byte[]> bytes(byte[] in) {
      return Mono.just(in);
    }

    @Override
    public Mono<Pair> half() {
      return Mono.just(new Pair("left", null));
    }
  }

  @Test
  @DisplayName("a Mono<Void> and an empty Mono of any type answer 204; an empty Optional 200 with"
      + " null; a blob is base64 (taken also as an array of bytes, 0 to 255: a text not base64 or"
      + " a number out of that range answers 400 saying so); a record's null field is written as"
      + " null")
  void resultsThatAreNotAPlainValue() {
    withServer(client -> {
      String results = "/actors/Results/results/";
      assertThat(post(client, results + "nothing", "[]")).isEqualTo("204 ");
      assertThat(post(client, results + "empty", "[]")).isEqualTo("204 ");
      assertThat(post(client, results + "find", "[\"\"]")).isEqualTo("200 null");
      assertThat(post(client, results + "find", "[\"k\"]")).isEqualTo("200 \"k\"");
      assertThat(post(client, results + "bytes", "[\"AQLI\"]")).isEqualTo("200 \"AQLI\"");
      assertThat(post(client, results + "bytes", "[[1, 2, 200]]")).isEqualTo("200 \"AQLI\"");
      assertThat(post(client, results + "bytes", "[[0, 255]]")).isEqualTo("200 \"AP8=\"");
      String blob = "Argument 1 (in : blob) of Results.bytes(in : blob) is invalid: ";
      assertThat(post(client, results + "bytes", "[[1, 2, -56]]")).isEqualTo(refused(blob
          + "at '[2]': Numeric value (-56) out of range of a byte of a blob (0 to 255)"));
      assertThat(post(client, results + "bytes", "[[1, 2, 256]]")).isEqualTo(refused(blob
          + "at '[2]': Numeric value (256) out of range of a byte of a blob (0 to 255)"));
      assertThat(post(client, results + "bytes", "[\"!!\"]")).isEqualTo(refused(blob
          + "Expected a base64 string or an array of integers from 0 to 255, got a string"
          + " that is not valid base64"));
      assertThat(post(client, results + "bytes", "[[1, \"2\"]]")).isEqualTo(refused(blob
          + "at '[1]': Expected an integer from 0 to 255, got a string"));
      assertThat(post(client, results + "bytes", "[[1, null]]")).isEqualTo(refused(blob
          + "at '[1]': Expected an integer from 0 to 255, got null"));
      assertThat(post(client, results + "bytes", "[{}]")).isEqualTo(refused(blob
          + "Expected a base64 string or an array of integers from 0 to 255, got an object"));
      assertThat(post(client, results + "half", "[]"))
          .isEqualTo("200 {\"left\":\"left\",\"right\":null}");
      assertThat(candid(client, "Results")).containsExactly("bytes : (blob) -> (blob)",
          "\"empty\" : () -> (text)", "find : (text) -> (opt text)",
          "half : () -> (record { left : text; right : text })", "nothing : () -> ()");
    }, ResultsActor.class);
  }

  /** Parameters read from JSON numbers, a timestamp and an optional UUID. */
  public interface Scalars {
    Mono<String> find(Optional<java.util.UUID> id);

    Mono<String> since(java.time.Instant at);

    Mono<Long> count(long n);

    Mono<String> ratio(double r);

    Mono<String> ratios(double[] rs, List<Float> more);

    Mono<String> exact(java.math.BigDecimal amount, List<java.math.BigDecimal> more);

    Mono<String> grid(double[][] rows, float[] singles);

    Mono<String> letter(char c);

    Mono<String> single(float f);
  }

  @ActorBean
  public static final class ScalarsActor extends Actor implements Scalars {
    @Override
    public Mono<String> find(Optional<java.util.UUID> id) {
      return Mono.just(id.map(Object::toString).orElse("none"));
    }

    @Override
    public Mono<String> since(java.time.Instant at) {
      return Mono.just(at.toString());
    }

    @Override
    public Mono<Long> count(long n) {
      return Mono.just(n);
    }

    @Override
    public Mono<String> ratio(double r) {
      return Mono.just(Double.toString(r));
    }

    @Override
    public Mono<String> ratios(double[] rs, List<Float> more) {
      return Mono.just(Arrays.toString(rs) + " " + more);
    }

    @Override
    public Mono<String> exact(java.math.BigDecimal amount, List<java.math.BigDecimal> more) {
      return Mono.just(amount + " " + more);
    }

    @Override
    public Mono<String> grid(double[][] rows, float[] singles) {
      return Mono.just(Arrays.deepToString(rows) + " " + singles.length + " "
          + (singles.length == 0 ? "" : singles[0] + ".." + singles[singles.length - 1]));
    }

    @Override
    public Mono<String> letter(char c) {
      return Mono.just(Integer.toHexString(c));
    }

    @Override
    public Mono<String> single(float f) {
      return Mono.just(Float.toString(f));
    }
  }

  @Test
  @DisplayName("a string where a number, a timestamp or a UUID is expected answers 400 saying a"
      + " string came: an empty or blank one is not read as null, and \"NaN\" or \"Infinity\" is"
      + " not a number")
  void stringsAreNotNumbersNullsOrInfinities() {
    withServer(client -> {
      String find = "/actors/Scalars/scalars/find";
      assertThat(post(client, find, "[null]")).isEqualTo("200 \"none\"");
      assertThat(post(client, find, "[\"00000000-0000-0000-0000-000000000001\"]"))
          .isEqualTo("200 \"00000000-0000-0000-0000-000000000001\"");
      assertThat(post(client, find, "[\"\"]")).startsWith("400 ")
          .endsWith("is invalid: Expected a UUID, got an empty string\"}");
      assertThat(post(client, find, "[\"  \"]")).startsWith("400 ").contains("Expected a UUID, got");
      assertThat(post(client, "/actors/Scalars/scalars/since", "[\"\"]")).startsWith("400 ")
          .endsWith("is invalid: Expected a timestamp such as 2024-01-31T12:00:00Z, got an empty"
              + " string\"}");
      String count = "/actors/Scalars/scalars/count";
      assertThat(post(client, count, "[\"12\"]")).startsWith("400 ")
          .endsWith("is invalid: Expected a 64-bit integer, got a string (\\\"12\\\")\"}");
      assertThat(post(client, count, "[\"\"]")).startsWith("400 ")
          .endsWith("is invalid: Expected a 64-bit integer, got an empty string\"}");
      assertThat(post(client, count, "[\" \"]")).startsWith("400 ")
          .endsWith("is invalid: Expected a 64-bit integer, got a string (\\\" \\\")\"}");
      String ratio = "/actors/Scalars/scalars/ratio";
      assertThat(post(client, ratio, "[0.25]")).isEqualTo("200 \"0.25\"");
      for (String text : new String[] {"NaN", "Infinity", "-Infinity", "INF", "1.5"}) {
        assertThat(post(client, ratio, "[\"" + text + "\"]")).as(text).startsWith("400 ")
            .endsWith("is invalid: Expected a number, got a string (\\\"" + text + "\\\")\"}");
      }
      String ratios = "/actors/Scalars/scalars/ratios";
      assertThat(post(client, ratios, "[[0.5], [1.5]]")).isEqualTo("200 \"[0.5] [1.5]\"");
      assertThat(post(client, ratios, "[[0.5, \"NaN\"], []]")).startsWith("400 ")
          .contains("Argument 1 ").endsWith("is invalid: at '[1]': Expected a number, got a"
              + " string (\\\"NaN\\\")\"}");
      assertThat(post(client, ratios, "[[], [\"Infinity\"]]")).startsWith("400 ")
          .contains("Argument 2 ").endsWith("is invalid: at '[0]': Expected a number, got a"
              + " string (\\\"Infinity\\\")\"}");
    }, ScalarsActor.class);
  }

  @Test
  @DisplayName("arrays of floats and doubles read element by element at their edges: empty,"
      + " nested (double[][]: the path names both indexes), 20,000 elements; a null, a text, an"
      + " array or a boolean where an element is expected answers 400 naming it and its index")
  void floatArraysAtTheirEdges() {
    withServer(client -> {
      String grid = "/actors/Scalars/scalars/grid";
      String prefix = "is invalid: ";
      assertThat(post(client, grid, "[[], []]")).isEqualTo("200 \"[] 0 \"");
      assertThat(post(client, grid, "[[[]], [1]]")).isEqualTo("200 \"[[]] 1 1.0..1.0\"");
      assertThat(post(client, grid, "[[[0.5], [1, 2]], [1e-50]]"))
          .isEqualTo("200 \"[[0.5], [1.0, 2.0]] 1 0.0..0.0\"");
      StringBuilder many = new StringBuilder("[");
      for (int i = 0; i < 20_000; i++) {
        many.append(i == 0 ? "" : ",").append(i);
      }
      assertThat(post(client, grid, "[[], " + many + "]]"))
          .isEqualTo("200 \"[] 20000 0.0..19999.0\"");
      assertThat(post(client, grid, "[[[0.5], [1, \"NaN\"]], []]")).startsWith("400 ")
          .endsWith(prefix + "at '[1].[1]': Expected a number, got a string (\\\"NaN\\\")\"}");
      assertThat(post(client, grid, "[[[0.5, null]], []]")).startsWith("400 ")
          .endsWith(prefix + "at '[0].[1]': Expected a number, got null\"}");
      assertThat(post(client, grid, "[[[1e309]], []]")).startsWith("400 ")
          .endsWith(prefix + "at '[0].[0]': Numeric value out of range of a 64-bit float\"}");
      assertThat(post(client, grid, "[[], [null]]")).startsWith("400 ").contains("Argument 2 ")
          .endsWith(prefix + "at '[0]': Expected a number, got null\"}");
      assertThat(post(client, grid, "[[], [[1]]]")).startsWith("400 ")
          .endsWith(prefix + "at '[0]': Expected a number, got an array\"}");
      assertThat(post(client, grid, "[[], [true]]")).startsWith("400 ")
          .endsWith(prefix + "at '[0]': Expected a number, got a boolean\"}");
    }, ScalarsActor.class);
  }

  @Test
  @DisplayName("a float32's largest value as Java writes it (3.4028235E38, which a double reads a"
      + " little above Float.MAX_VALUE) is a float, alone and in an array; a number that a float"
      + " holds only as an infinity answers 400")
  void theLargestFloatIsAFloat() {
    withServer(client -> {
      String grid = "/actors/Scalars/scalars/grid";
      String single = "/actors/Scalars/scalars/single";
      assertThat(post(client, single, "[3.4028235e38]")).isEqualTo("200 \"3.4028235E38\"");
      assertThat(post(client, single, "[-3.4028235E38]")).isEqualTo("200 \"-3.4028235E38\"");
      assertThat(post(client, grid, "[[], [3.4028235e38, -3.4028235e38]]"))
          .isEqualTo("200 \"[] 2 3.4028235E38..-3.4028235E38\"");
      assertThat(post(client, single, "[3.5e38]")).startsWith("400 ")
          .endsWith("is invalid: Numeric value (3.5e38) out of range of a 32-bit float\"}");
      assertThat(post(client, grid, "[[], [1, 3.5e38]]")).startsWith("400 ")
          .endsWith("is invalid: at '[1]': Numeric value (3.5e38) out of range of a 32-bit"
              + " float\"}");
    }, ScalarsActor.class);
  }

  @Test
  @DisplayName("a char is a character too: half of a surrogate pair escaped (\\uD800, \\uDE00)"
      + " answers 400, as it does for a String; a character of the BMP reads as before")
  void aCharIsNoHalfOfASurrogatePair() {
    withServer(client -> {
      String letter = "/actors/Scalars/scalars/letter";
      assertThat(post(client, letter, "[\"a\"]")).isEqualTo("200 \"61\"");
      assertThat(post(client, letter, "[\"\\u00e9\"]")).isEqualTo("200 \"e9\"");
      assertThat(post(client, letter, "[\"\\uD800\"]")).startsWith("400 ")
          .contains("half of a surrogate pair (\\\\uD800 at index 0)");
      assertThat(post(client, letter, "[\"\\uDE00\"]")).startsWith("400 ")
          .contains("half of a surrogate pair (\\\\uDE00 at index 0)");
    }, ScalarsActor.class);
  }
}

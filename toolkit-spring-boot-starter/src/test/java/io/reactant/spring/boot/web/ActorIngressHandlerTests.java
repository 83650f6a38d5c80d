package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorSystem;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.TestActors.Gate;
import io.reactant.spring.boot.TestActors.Greeter;
import io.reactant.spring.boot.TestActors.Note;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Caller;
import io.reactant.actor.TurnListener;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.spring.boot.ActorSystemCustomizer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.server.reactive.HttpHandler;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantWebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;

/** The HTTP contract of the generic actor endpoints. */
class ActorIngressHandlerTests {

  private final ReactiveWebApplicationContextRunner runner = IngressTestConfiguration.runner();

  private void withClient(Consumer<WebTestClient> test) {
    withClient(runner, (context, client) -> test.accept(client));
  }

  private static void withClient(ReactiveWebApplicationContextRunner runner,
      java.util.function.BiConsumer<AssertableReactiveWebApplicationContext, WebTestClient> test) {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      test.accept(context, WebTestClient.bindToApplicationContext(context).build());
    });
  }

  private static ResponseSpec post(WebTestClient client, String path, String json) {
    return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
  }

  private static void expectError(ResponseSpec response, HttpStatus status, int code, String reject,
      String message) {
    response.expectStatus().isEqualTo(status)
        .expectHeader().contentType(MediaType.APPLICATION_JSON)
        .expectBody()
        .jsonPath("$.code").isEqualTo(code)
        .jsonPath("$.reject").isEqualTo(reject)
        .jsonPath("$.message").value(String.class, m -> assertThat(m).contains(message));
  }

  private static void expectRefusal(ResponseSpec response, HttpStatus status, String message) {
    response.expectStatus().isEqualTo(status)
        .expectBody()
        .jsonPath("$.code").doesNotExist()
        .jsonPath("$.message").value(String.class, m -> assertThat(m).contains(message));
  }

  @Test
  void describesEveryExposedTypeAsACandidInterface() {
    withClient(client -> client.get().uri("/actors").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.length()").isEqualTo(3)
        .jsonPath("$[?(@.type == 'Hidden')]").doesNotExist()
        .jsonPath("$[?(@.type == 'Greeter')].activation").isEqualTo("singleton")
        .jsonPath("$[?(@.type == 'Greeter')].id").isEqualTo("greeter")
        .jsonPath("$[?(@.type == 'Counter')].activation").isEqualTo("virtual")
        .jsonPath("$[?(@.type == 'Memo')].activation").isEqualTo("explicit")
        .jsonPath("$[?(@.type == 'Greeter')].methods[?(@.name == 'greet')].kind").isEqualTo("update")
        .jsonPath("$[?(@.type == 'Greeter')].methods[?(@.name == 'greet')].params[0].name").isEqualTo("name")
        .jsonPath("$[?(@.type == 'Greeter')].methods[?(@.name == 'greet')].params[0].type").isEqualTo("text")
        .jsonPath("$[?(@.type == 'Greeter')].methods[?(@.name == 'greet')].returns").isEqualTo("text")
        .jsonPath("$[?(@.type == 'Greeter')].methods[?(@.name == 'greeted')].kind").isEqualTo("query")
        .jsonPath("$[?(@.type == 'Greeter')].methods[?(@.name == 'greeted')].candid")
            .isEqualTo("greeted : () -> (int64) query")
        .jsonPath("$[?(@.type == 'Greeter')].methods[?(@.name == 'poke')].kind").isEqualTo("oneway")
        .jsonPath("$[?(@.type == 'Greeter')].methods[?(@.name == 'forget')].returns").isEqualTo("()")
        .jsonPath("$[?(@.type == 'Greeter')].methods[?(@.name == 'echo')].params[0].type")
            .isEqualTo("record { to : text; lines : vec text }"));
  }

  @Test
  @DisplayName("R23 ingress update replies only after commit: a query then reads the committed state")
  void updateAnswersItsResultAfterTheTurnCommitted() {
    withClient(client -> {
      post(client, "/actors/Greeter/greeter/greet", "[\"Ada\"]")
          .expectStatus().isOk()
          .expectHeader().contentType(MediaType.APPLICATION_JSON)
          .expectBody(String.class).isEqualTo("\"Hi, Ada\"");
      client.get().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
    });
  }

  @Test
  void updateWithoutResultAnswers204() {
    withClient(client -> post(client, "/actors/Greeter/greeter/forget", "[]")
        .expectStatus().isNoContent().expectBody().isEmpty());
  }

  @Test
  void callWithoutArgumentsMayHaveAnEmptyBody() {
    withClient(client -> client.post().uri("/actors/Counter/empty-body/bump").exchange()
        .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L));
  }

  @Test
  @DisplayName("R3 R4 a oneway is accepted with 202 and delivered in order before the next call")
  void onewayIsAcceptedAndDeliveredInOrder() {
    withClient(client -> {
      post(client, "/actors/Greeter/greeter/poke", "[]").expectStatus().isAccepted()
          .expectBody().isEmpty();
      post(client, "/actors/Greeter/greeter/greet", "[\"after the poke\"]").expectStatus().isOk();
      client.get().uri("/actors/Greeter/greeter/pokes").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
    });
  }

  @Test
  @DisplayName("R19 a query without arguments can be read with GET or POST")
  void queryCanBeReadWithGetOrPost() {
    withClient(client -> {
      post(client, "/actors/Counter/c1/bump", "[]").expectStatus().isOk();
      client.get().uri("/actors/Counter/c1/read").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
      post(client, "/actors/Counter/c1/read", "[]")
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
    });
  }

  @Test
  void getOnAnUpdateIsNotAllowed() {
    withClient(client -> expectRefusal(client.get().uri("/actors/Counter/c1/bump").exchange(),
        HttpStatus.METHOD_NOT_ALLOWED, "GET is only for query methods without arguments"));
  }

  @Test
  void virtualActorIsActivatedByTheFirstCallToItsId() {
    withClient((context, client) -> {
      ActorSystem system = context.getBean(ActorSystem.class);
      assertThat(system.contains(io.reactant.actor.ActorId.of("fresh"))).isFalse();
      post(client, "/actors/Counter/fresh/bump", "[]").expectStatus().isOk()
          .expectBody(Long.class).isEqualTo(1L);
      assertThat(system.contains(io.reactant.actor.ActorId.of("fresh"))).isTrue();
    });
  }

  @Test
  @DisplayName("R19 R20 an anonymous GET of a query on a virtual id never activated answers its"
      + " initial state and creates nothing, past reactant.max-actors too")
  void queryOfAFreshVirtualIdCreatesNothing() {
    int[] singletons = new int[1];
    runner.run(context -> singletons[0] = context.getBean(ActorSystem.class).actorIds().size());
    withClient(runner.withPropertyValues("reactant.max-actors=" + singletons[0]),
        (context, client) -> {
          ActorSystem system = context.getBean(ActorSystem.class);
          for (int i = 0; i < 5; i++) {
            client.get().uri("/actors/Counter/read-only-" + i + "/read").exchange()
                .expectStatus().isOk().expectBody(Long.class).isEqualTo(0L);
          }
          assertThat(system.actorIds()).hasSize(singletons[0]);
        });
  }

  private void withClient(java.util.function.BiConsumer<AssertableReactiveWebApplicationContext, WebTestClient> test) {
    withClient(runner, test);
  }

  @Test
  void explicitActorAnswersOnceSpawned() {
    withClient((context, client) -> {
      Note note = context.getBean(ActorDirectory.class).spawn(Note.class, "hello");
      String id = io.reactant.actor.ActorRefs.idOf(note).value();
      client.get().uri("/actors/Memo/" + id + "/text").exchange()
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"hello\"");
    });
  }

  @Test
  void recordsTravelAsJsonObjects() {
    withClient(client -> post(client, "/actors/Greeter/greeter/echo",
        "[{\"to\": \"Ada\", \"lines\": [\"dear\", \"friend\"]}]")
        .expectStatus().isOk()
        .expectBody().jsonPath("$.to").isEqualTo("Ada").jsonPath("$.lines[1]").isEqualTo("friend"));
  }

  @Test
  @DisplayName("R21 ingress caller is the authenticated principal, in updates and queries")
  void callerIsTheAuthenticatedPrincipal() {
    withClient(client -> {
      client.post().uri("/actors/Greeter/greeter/whoCalls").header("X-User", "alice").exchange()
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"principal:alice\"");
      client.get().uri("/actors/Greeter/greeter/whoQueries").header("X-User", "bob").exchange()
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"principal:bob\"");
    });
  }

  @Test
  @DisplayName("R21 ingress caller is anonymous when the request is not authenticated")
  void callerIsAnonymousWithoutAuthentication() {
    withClient(client -> {
      client.post().uri("/actors/Greeter/greeter/whoCalls").exchange()
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"anonymous\"");
      client.post().uri("/actors/Greeter/greeter/whoCalls").header("X-Anonymous", "yes").exchange()
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"anonymous\"");
    });
  }

  @Test
  @DisplayName("R21 a user named as another system's actor is a principal of that name, not that"
      + " foreign actor")
  void aUserNamedAsAForeignActorIsAPrincipal() {
    try (ActorSystem other = ActorSystem.create(ActorSystemConfig.builder().name("other").build())) {
      Caller foreign = Caller.foreignActor(other, ActorId.of("owner"));
      withClient(client -> client.post().uri("/actors/Greeter/greeter/whoCalls")
          .header("X-User", foreign.name()).exchange()
          .expectStatus().isOk().expectBody(String.class)
          .isEqualTo("\"principal:" + foreign.name() + "\"")
          .value(body -> assertThat(body).doesNotContain(foreign.toString())));
    }
  }

  @Test
  @DisplayName("R21 a caller resolver that answers an actor's identity, of this system or another,"
      + " makes no call: the request fails with a 500")
  void aResolverCannotMakeAnActorTheCaller() {
    try (ActorSystem other = ActorSystem.create(ActorSystemConfig.builder().name("other").build())) {
      for (Caller forged : List.of(Caller.foreignActor(other, ActorId.of("owner")),
          Caller.actor(ActorId.of("owner")))) {
        withClient(runner.withBean(IngressCallerResolver.class,
            () -> exchange -> Mono.just(forged)), (context, client) -> {
              client.post().uri("/actors/Greeter/greeter/greet").contentType(MediaType.APPLICATION_JSON)
                  .bodyValue("[\"Ada\"]").exchange()
                  .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
              Greeter greeter = context.getBean(ActorDirectory.class).system()
                  .lookup(Greeter.class, "greeter");
              assertThat(greeter.greeted().block()).as("no call reached the actor").isZero();
            });
      }
    }
  }

  @Test
  @DisplayName("R12a unknown type, method or id answers 404 with code 3")
  void unknownTypeMethodOrIdAnswers404WithCode3() {
    withClient(client -> {
      expectError(post(client, "/actors/Nobody/x/greet", "[]"), HttpStatus.NOT_FOUND, 3,
          "DESTINATION_INVALID", "No actor type 'Nobody'");
      expectError(post(client, "/actors/Hidden/hidden/secret", "[]"), HttpStatus.NOT_FOUND, 3,
          "DESTINATION_INVALID", "No actor type 'Hidden'");
      expectError(post(client, "/actors/Greeter/greeter/shout", "[]"), HttpStatus.NOT_FOUND, 3,
          "DESTINATION_INVALID", "has no method 'shout'");
      expectError(post(client, "/actors/Greeter/somebody-else/greet", "[\"x\"]"),
          HttpStatus.NOT_FOUND, 3, "DESTINATION_INVALID", "somebody-else");
      expectError(client.get().uri("/actors/Memo/never-spawned/text").exchange(),
          HttpStatus.NOT_FOUND, 3, "DESTINATION_INVALID", "never-spawned");
    });
  }

  @Test
  @DisplayName("R11 an explicit reject answers 409 with code 4 and commits the turn")
  void rejectAnswers409WithCode4() {
    withClient(client -> {
      expectError(post(client, "/actors/Greeter/greeter/refuse", "[\"not today\"]"),
          HttpStatus.CONFLICT, 4, "CANISTER_REJECT", "not today");
      client.get().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectBody(Long.class).isEqualTo(100L);
    });
  }

  @Test
  @DisplayName("R12 a trap answers 500 with code 5, rolls the turn back, and leaks no stack trace")
  void trapAnswers500WithCode5() {
    withClient(client -> {
      byte[] body = post(client, "/actors/Greeter/greeter/divide", "[1, 0]")
          .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
          .expectBody()
          .jsonPath("$.code").isEqualTo(5)
          .jsonPath("$.reject").isEqualTo("CANISTER_ERROR")
          .jsonPath("$.message").value(String.class,
              m -> assertThat(m).isEqualTo("greeter trapped in Greeter.divide():"
                  + " ArithmeticException"))
          .returnResult().getResponseBody();
      assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8))
          .doesNotContain("\tat ").doesNotContain("io.reactant.internal");
      client.get().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectBody(Long.class).isEqualTo(0L);
    });
  }

  /** An actor whose methods trap with JDK exceptions whose messages describe the server. */
  public interface Fragile {
    Mono<Integer> dereference();

    Mono<Integer> cast();

    @io.reactant.actor.Query
    Mono<Integer> peek();

    Mono<Integer> relay();

    Mono<Integer> explain();

    Mono<Integer> guarded();

    Mono<Integer> exhaust();

    /** A oneway that traps on a JDK exception. */
    void crash();

    /** Sets a timer whose job traps on a JDK exception. */
    Mono<Void> crashLater();
  }

  /** A value of a server class, which no client should hear of. */
  record ServerSecret(String value) {
  }

  @io.reactant.spring.boot.ActorBean
  public static final class FragileActor extends io.reactant.actor.Actor implements Fragile {
    private final io.reactant.state.Var<Long> touched = newVar("touched", 0L);
    private String missing;
    private final Object secret = new ServerSecret("s3cr3t");

    @Override
    public Mono<Integer> dereference() {
      touched.update(n -> n + 1);
      return Mono.just(missing.length());
    }

    @Override
    public Mono<Integer> cast() {
      return Mono.just(((String) secret).length());
    }

    @Override
    public Mono<Integer> peek() {
      throw new IllegalStateException("the pool of jdbc:postgresql://db.internal:5432/ledger is"
          + " exhausted");
    }

    @Override
    public Mono<Integer> relay() {
      // a trap of the callee, unhandled, reaches this caller as code 4 with the same message
      return await(self(Fragile.class).dereference());
    }

    @Override
    public Mono<Integer> explain() {
      return trap("the ledger is closed for the night");
    }

    @Override
    public Mono<Integer> guarded() {
      return Mono.just(1);
    }

    @Override
    public Mono<Integer> exhaust() {
      return Mono.just(java.util.List.<Integer>of().iterator().next()); // throws, with no message
    }

    @Override
    public void crash() {
      touched.update(n -> n + missing.length());
    }

    @Override
    public Mono<Void> crashLater() {
      setTimer(Duration.ZERO, () -> {
        touched.update(n -> n + ((String) secret).length());
        return Mono.empty();
      });
      return Mono.empty();
    }

    @Override
    protected boolean inspect(io.reactant.actor.IngressMessage message) {
      return !message.method().equals("guarded") || missing.isEmpty();
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("R12 a trap on a JDK exception (a bug) answered over HTTP is logged as a warning"
      + " naming the actor and the method, with its stack trace (one whose exception has no message"
      + " too), the first time that method traps so; answered three times, and once more through a"
      + " caller that let it through (code 4), its later traps go to debug level, so a client"
      + " repeating the call cannot flood the log; the answers are unchanged; an actor's own trap"
      + " or reject is not logged")
  void trapsOnJdkExceptionsAreLoggedOnceWithTheirStack(CapturedOutput output) {
    withClient(runner.withUserConfiguration(FragileActor.class), (context, client) -> {
      for (int i = 0; i < 3; i++) {
        post(client, "/actors/Fragile/fragile/dereference", "[]").expectStatus().isEqualTo(500)
            .expectBody().jsonPath("$.message")
            .isEqualTo("fragile trapped in Fragile.dereference(): NullPointerException");
      }
      post(client, "/actors/Fragile/fragile/relay", "[]").expectStatus().isEqualTo(409)
          .expectBody().jsonPath("$.message")
          .isEqualTo("fragile trapped in Fragile.dereference(): NullPointerException");
      post(client, "/actors/Fragile/fragile/exhaust", "[]").expectStatus().isEqualTo(500)
          .expectBody().jsonPath("$.message")
          .isEqualTo("fragile trapped in Fragile.exhaust(): NoSuchElementException");
      post(client, "/actors/Fragile/fragile/explain", "[]").expectStatus().isEqualTo(500);
      String log = output.getAll();
      java.util.function.Function<String, Long> warnings = method -> log.lines()
          .filter(line -> line.contains("WARN") && line.contains(method)).count();
      assertThat(warnings.apply("Fragile.dereference(): NullPointerException")).isEqualTo(1);
      assertThat(warnings.apply("Fragile.exhaust(): NoSuchElementException")).isEqualTo(1);
      assertThat(log).contains("java.util.NoSuchElementException")
          .contains("at io.reactant.spring.boot.web.ActorIngressHandlerTests$FragileActor.exhaust")
          .doesNotContain("the ledger is closed for the night");
    });
  }

  @Test
  @DisplayName("R12 a trap's JDK exception message (which names server classes and fields) does not"
      + " reach the HTTP client: it gets the actor, the method and the exception's simple name;"
      + " an actor's own Trap message does")
  void trapMessagesOfJdkExceptionsDoNotReachTheClient() {
    withClient(runner.withUserConfiguration(FragileActor.class), (context, client) -> {
      java.util.function.BiFunction<ResponseSpec, String, String> message = (response, status) ->
          new String(response.expectStatus().isEqualTo(Integer.parseInt(status))
              .expectBody().returnResult().getResponseBody(), UTF_8);
      assertThat(message.apply(post(client, "/actors/Fragile/fragile/dereference", "[]"), "500"))
          .isEqualTo("{\"code\":5,\"reject\":\"CANISTER_ERROR\",\"message\":\"fragile trapped"
              + " in Fragile.dereference(): NullPointerException\"}");
      assertThat(message.apply(post(client, "/actors/Fragile/fragile/cast", "[]"), "500"))
          .contains("fragile trapped in Fragile.cast(): ClassCastException\"")
          .doesNotContain("ServerSecret").doesNotContain("io.reactant");
      assertThat(message.apply(client.get().uri("/actors/Fragile/fragile/peek").exchange(), "500"))
          .contains("fragile trapped in Fragile.peek(): IllegalStateException\"")
          .doesNotContain("jdbc");
      assertThat(message.apply(post(client, "/actors/Fragile/fragile/relay", "[]"), "409"))
          .contains("\"code\":4").contains("Fragile.dereference(): NullPointerException\"")
          .doesNotContain("missing");
      assertThat(message.apply(post(client, "/actors/Fragile/fragile/explain", "[]"), "500"))
          .contains("the ledger is closed for the night");
      // the same for a trap of the ingress inspection, which refuses the call before it is queued
      assertThat(message.apply(post(client, "/actors/Fragile/fragile/guarded", "[]"), "500"))
          .contains("fragile trapped in Fragile.guarded(): NullPointerException (in its ingress"
              + " inspection)\"").doesNotContain("missing");
      // the exception, with its message, is still the reply's cause for the process
      Fragile fragile = context.getBean(Fragile.class);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> fragile.dereference().block())
          .hasMessageContaining("because \"this.missing\" is null");
    });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("R3 R12 R25 a oneway or a timer's job that traps on a JDK exception (a bug, which no"
      + " caller hears of) is logged as a warning naming the actor and the method, with its stack"
      + " trace, once: sent three times, set three times, the later traps go to debug level, so"
      + " a client repeating a oneway (or a recurring timer) cannot flood the log")
  void onewayAndTimerTrapsOnJdkExceptionsAreLogged(CapturedOutput output) {
    withClient(runner.withUserConfiguration(FragileActor.class), (context, client) -> {
      for (int i = 0; i < 3; i++) {
        post(client, "/actors/Fragile/fragile/crash", "[]").expectStatus().isAccepted();
        post(client, "/actors/Fragile/fragile/crashLater", "[]").expectStatus().isNoContent();
      }
      String oneway = "fragile trapped in Fragile.crash(): NullPointerException";
      String job = "fragile trapped in timer ";
      io.reactant.actor.ActorSystem system = context.getBean(io.reactant.actor.ActorSystem.class);
      io.reactant.actor.ActorId fragile = io.reactant.actor.ActorId.of("fragile");
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (system.actor(fragile).orElseThrow().traps() < 6 && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // the oneways' and the jobs' turns end on the actors' threads
      }
      assertThat(system.actor(fragile).orElseThrow().traps()).isEqualTo(6);
      java.util.function.Function<String, Long> warnings = text -> output.getAll().lines()
          .filter(line -> line.contains("WARN") && line.contains(text)).count();
      assertThat(warnings.apply(oneway)).isEqualTo(1);
      assertThat(warnings.apply(job)).isEqualTo(1);
      assertThat(warnings.apply(job + "1: ClassCastException")).isEqualTo(1);
      assertThat(output.getAll())
          .contains("at io.reactant.spring.boot.web.ActorIngressHandlerTests$FragileActor.crash")
          .contains("at io.reactant.spring.boot.web.ActorIngressHandlerTests$FragileActor.lambda");
    });
  }

  /** A virtual actor whose initializer refuses some ids. */
  public interface Picky {
    Mono<String> hello();
  }

  @io.reactant.spring.boot.ActorBean(activation = io.reactant.spring.boot.ActorBean.Activation.VIRTUAL)
  public static final class PickyActor extends io.reactant.actor.Actor implements Picky {
    public PickyActor() {
      if (actorId().value().startsWith("reserved")) {
        trap("ids starting with 'reserved' are not for clients");
      }
      if (actorId().value().startsWith("null")) {
        Object nothing = null;
        nothing.hashCode();
      }
    }

    @Override
    public Mono<String> hello() {
      return Mono.just("hello");
    }
  }

  @Test
  @DisplayName("R12 R18 a virtual actor whose initializer traps answers the actor's trap message,"
      + " not Spring's wrapping of it (which names the bean's class), and creates nothing")
  void virtualActorWhoseInitializerTrapsAnswersItsOwnMessage() {
    withClient(runner.withUserConfiguration(PickyActor.class), (context, client) -> {
      client.post().uri("/actors/Picky/reserved-1/hello").exchange()
          .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
          .expectBody().jsonPath("$.code").isEqualTo(5)
          .jsonPath("$.message").isEqualTo("reserved-1 trapped in its initializer: ids starting"
              + " with 'reserved' are not for clients");
      client.post().uri("/actors/Picky/null-1/hello").exchange()
          .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
          .expectBody().jsonPath("$.message")
          .isEqualTo("null-1 trapped in its initializer: NullPointerException");
      assertThat(context.getBean(ActorSystem.class).actorIds()).extracting(id -> id.value())
          .doesNotContain("reserved-1", "null-1");
      client.post().uri("/actors/Picky/fine/hello").exchange()
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"hello\"");
    });
  }

  /** Where each piece of an actor's code ran: the names of the threads. */
  public static final class ThreadLog {
    final java.util.Queue<String> threads = new java.util.concurrent.ConcurrentLinkedQueue<>();

    void record(String what) {
      threads.add(what + " on " + Thread.currentThread().getName());
    }
  }

  /** A virtual actor that inspects its ingress calls and has a query. */
  public interface Tracked {
    Mono<Void> touch();

    @io.reactant.actor.Query
    Mono<String> look();
  }

  @io.reactant.spring.boot.ActorBean(activation = io.reactant.spring.boot.ActorBean.Activation.VIRTUAL)
  public static final class TrackedActor extends io.reactant.actor.Actor implements Tracked {
    private final ThreadLog log;

    public TrackedActor(ThreadLog log) {
      this.log = log;
      log.record("activation");
    }

    @Override
    protected boolean inspect(io.reactant.actor.IngressMessage message) {
      log.record("inspection");
      return true;
    }

    @Override
    public Mono<Void> touch() {
      log.record("update");
      return done();
    }

    @Override
    public Mono<String> look() {
      log.record("query");
      return Mono.just("seen");
    }
  }

  @Test
  @DisplayName("R19 R26 over a real server, a query, an inspection and a virtual actor's activation"
      + " run on the actor system's pool, as turns do, never on the server's event loop")
  void actorCodeNeverRunsOnTheEventLoop() {
    new ReactiveWebApplicationContextRunner(
        org.springframework.boot.web.server.reactive.context
            .AnnotationConfigReactiveWebServerApplicationContext::new)
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
            CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
            HttpHandlerAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class,
            org.springframework.boot.reactor.netty.autoconfigure
                .NettyReactiveWebServerAutoConfiguration.class))
        .withUserConfiguration(TrackedActor.class)
        .withBean(ThreadLog.class)
        .withPropertyValues("server.port=0", "reactant.name=pool")
        .run(context -> {
          assertThat(context).hasNotFailed();
          int port = ((org.springframework.boot.web.server.reactive.context
              .ReactiveWebServerApplicationContext) context.getSourceApplicationContext())
              .getWebServer().getPort();
          WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
              .build();
          client.get().uri("/actors/Tracked/fresh/look").exchange().expectStatus().isOk()
              .expectBody(String.class).isEqualTo("\"seen\"");
          client.post().uri("/actors/Tracked/other/touch").exchange().expectStatus().isNoContent();
          client.post().uri("/actors/Tracked/other/touch").exchange().expectStatus().isNoContent();
          client.get().uri("/actors/Tracked/other/look").exchange().expectStatus().isOk();
          ThreadLog log = context.getBean(ThreadLog.class);
          assertThat(log.threads).hasSize(8).allMatch(t -> t.matches(".* on pool-\\d+"),
              "on a thread of the actor system's pool");
        });
  }

  @Test
  void malformedJsonAnswers400() {
    withClient(client -> expectRefusal(post(client, "/actors/Greeter/greeter/greet", "[\"Ada\""),
        HttpStatus.BAD_REQUEST, "Malformed JSON"));
  }

  @Test
  @DisplayName("a body that is not UTF-8 answers 400 and reaches no actor, an overlong form or a code"
      + " point past U+10FFFF included, which the parser would read as characters never sent")
  void bodyThatIsNotUtf8Answers400() {
    withClient(client -> {
      byte[][] invalid = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
          {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
          {(byte) 0xFF}, {(byte) 0xC3}};
      for (byte[] bytes : invalid) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes("[\"a".getBytes(UTF_8));
        body.writeBytes(bytes);
        body.writeBytes("b\"]".getBytes(UTF_8));
        expectRefusal(client.post().uri("/actors/Greeter/greeter/greet")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body.toByteArray()).exchange(),
            HttpStatus.BAD_REQUEST, "Malformed JSON: the body is not valid UTF-8 (at byte 3)");
      }
      client.get().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectBody(Long.class).isEqualTo(0L);
      // UTF-8, and UTF-16, which the parser detects by its zero bytes, are read as sent
      post(client, "/actors/Greeter/greeter/greet", "[\"caf\u00e9 \uD83D\uDE00\"]")
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"Hi, caf\u00e9 \uD83D\uDE00\"");
      client.post().uri("/actors/Greeter/greeter/greet").contentType(MediaType.APPLICATION_JSON)
          .bodyValue("[\"\u00e9\"]".getBytes(java.nio.charset.StandardCharsets.UTF_16BE)).exchange()
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"Hi, \u00e9\"");
    });
  }

  @Test
  void bodyThatIsNotAnArrayAnswers400() {
    withClient(client -> expectRefusal(post(client, "/actors/Greeter/greeter/greet", "{\"name\": \"Ada\"}"),
        HttpStatus.BAD_REQUEST, "must be a JSON array of the arguments of Greeter.greet(name : text)"));
  }

  @Test
  void wrongNumberOfArgumentsAnswers400() {
    withClient(client -> expectRefusal(post(client, "/actors/Greeter/greeter/greet", "[\"Ada\", \"Bob\"]"),
        HttpStatus.BAD_REQUEST, "takes 1 argument, but the array has 2"));
  }

  @Test
  void wrongArgumentTypesAnswer400NamingTheArgument() {
    withClient(client -> {
      expectRefusal(post(client, "/actors/Greeter/greeter/divide", "[\"6\", 3]"),
          HttpStatus.BAD_REQUEST, "Argument 1 (a : int32) of Greeter.divide(a : int32, b : int32) is invalid");
      expectRefusal(post(client, "/actors/Greeter/greeter/divide", "[6, 1.5]"),
          HttpStatus.BAD_REQUEST, "Argument 2 (b : int32)");
      expectRefusal(post(client, "/actors/Greeter/greeter/greet", "[42]"),
          HttpStatus.BAD_REQUEST, "Argument 1 (name : text)");
      expectRefusal(post(client, "/actors/Greeter/greeter/greet", "[null]"),
          HttpStatus.BAD_REQUEST, "must not be null");
      expectRefusal(post(client, "/actors/Greeter/greeter/echo", "[{\"to\": \"Ada\", \"lines\": [], \"cc\": 1}]"),
          HttpStatus.BAD_REQUEST, "Argument 1 (letter");
    });
  }

  @Test
  @DisplayName("a null or missing field inside an argument answers 400 naming it, as a null argument"
      + " does, and never reaches the actor; an Optional field may be null or missing")
  void nullOrMissingFieldInsideAnArgumentAnswers400() {
    withClient(client -> {
      String echo = "/actors/Greeter/greeter/echo";
      expectRefusal(post(client, echo, "[{\"to\": null, \"lines\": []}]"),
          HttpStatus.BAD_REQUEST, "Argument 1 (letter : record { to : text; lines : vec text }) of"
              + " Greeter.echo(letter : record { to : text; lines : vec text }) is invalid: at 'to':"
              + " Expected a string, got null");
      expectRefusal(post(client, echo, "[{\"lines\": []}]"),
          HttpStatus.BAD_REQUEST, "is invalid: at 'to': Expected a string, got nothing: the field is missing");
      expectRefusal(post(client, echo, "[{\"to\": \"Ada\", \"lines\": [\"dear\", null]}]"),
          HttpStatus.BAD_REQUEST, "is invalid: at 'lines.[1]': Expected a string, got null");
      expectRefusal(post(client, echo, "[{\"to\": \"Ada\"}]"),
          HttpStatus.BAD_REQUEST, "is invalid: at 'lines': Expected an array, got nothing: the field is missing");
      String label = "/actors/Greeter/greeter/label";
      expectRefusal(post(client, label, "[{\"to\": \"Ada\", \"note\": \"fragile\"}]"),
          HttpStatus.BAD_REQUEST, "is invalid: at 'grams': Expected a 64-bit integer, got nothing: the field is missing");
      expectRefusal(post(client, label, "[{\"to\": \"Ada\", \"note\": \"fragile\", \"grams\": null}]"),
          HttpStatus.BAD_REQUEST, "is invalid: at 'grams': Expected a 64-bit integer, got null");
      post(client, label, "[{\"to\": \"Ada\", \"note\": \"fragile\", \"grams\": 5}]")
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"Ada, fragile, 5 g\"");
      post(client, label, "[{\"to\": \"Ada\", \"note\": null, \"grams\": 5}]")
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"Ada, no note, 5 g\"");
      post(client, label, "[{\"to\": \"Ada\", \"grams\": 5}]")
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"Ada, no note, 5 g\"");
    });
  }

  @Test
  @DisplayName("a number out of its type's range answers 400, not a byte wrapped around or an"
      + " infinite float; an enum is named, not numbered")
  void numbersOutOfRangeAndNumberedEnumsAnswer400() {
    withClient(client -> {
      String tune = "/actors/Greeter/greeter/tune";
      post(client, tune, "[-128, \"DARK\", 0.5, 1e300]").expectStatus().isOk()
          .expectBody(String.class).isEqualTo("\"-128 DARK 0.5 1.0E300\"");
      expectRefusal(post(client, tune, "[128, \"DARK\", 0.5, 1]"), HttpStatus.BAD_REQUEST,
          "Argument 1 (level : int8) of Greeter.tune(level : int8, shade : variant { LIGHT; DARK },"
              + " ratio : float32, weight : float64) is invalid: Numeric value (128) out of range of"
              + " an 8-bit integer (-128 - 127)");
      expectRefusal(post(client, tune, "[255, \"DARK\", 0.5, 1]"), HttpStatus.BAD_REQUEST,
          "Argument 1 (level : int8)");
      expectRefusal(post(client, tune, "[1, 1, 0.5, 1]"), HttpStatus.BAD_REQUEST,
          "Argument 2 (shade : variant { LIGHT; DARK }) of Greeter.tune(level : int8, shade :"
              + " variant { LIGHT; DARK }, ratio : float32, weight : float64) is invalid: Expected"
              + " one of [LIGHT, DARK], got an integer");
      expectRefusal(post(client, tune, "[1, \"DARK\", 1e39, 1]"), HttpStatus.BAD_REQUEST,
          "Argument 3 (ratio : float32) of Greeter.tune(level : int8, shade : variant { LIGHT; DARK"
              + " }, ratio : float32, weight : float64) is invalid: Numeric value (1e39) out of range"
              + " of a 32-bit float");
      expectRefusal(post(client, tune, "[1, \"DARK\", 0.5, -1e400]"), HttpStatus.BAD_REQUEST,
          "Argument 4 (weight : float64) of Greeter.tune(level : int8, shade : variant { LIGHT; DARK"
              + " }, ratio : float32, weight : float64) is invalid: Numeric value out of range of a"
              + " 64-bit float");
    });
  }

  @Test
  @DisplayName("a float or double too large for it in an array answers 400, as it does alone,"
      + " instead of reaching the actor as infinite")
  void numbersOutOfRangeInArraysAnswer400() {
    withClient(client -> {
      String weigh = "/actors/Greeter/greeter/weigh";
      post(client, weigh, "[[0.5, -3e38], [1e300]]").expectStatus().isOk()
          .expectBody(String.class).isEqualTo("\"[0.5, -3.0E38] [1.0E300]\"");
      expectRefusal(post(client, weigh, "[[0.5, 1e39], [1]]"), HttpStatus.BAD_REQUEST,
          "Argument 1 (ratios : vec float32)");
      expectRefusal(post(client, weigh, "[[0.5, -1e39], [1]]"), HttpStatus.BAD_REQUEST,
          "is invalid: at '[1]': Numeric value (-1e39) out of range of a 32-bit float");
      expectRefusal(post(client, weigh, "[[0.5], [1, 1e400]]"), HttpStatus.BAD_REQUEST,
          "Argument 2 (weights : vec float64) of Greeter.weigh(ratios : vec float32, weights : vec"
              + " float64) is invalid: at '[1]': Numeric value out of range of a 64-bit float");
    });
  }

  @Test
  @DisplayName("a field given twice in an argument answers 400: which of its values counts is not"
      + " the reader's guess")
  void duplicateFieldAnswers400() {
    withClient(client -> expectRefusal(post(client, "/actors/Greeter/greeter/echo",
            "[{\"to\": \"Ada\", \"lines\": [], \"to\": \"Bob\"}]"),
        HttpStatus.BAD_REQUEST, "Malformed JSON: Duplicate Object property \"to\""));
  }

  @Test
  @DisplayName("R21 an actor id (Candid principal) travels as its text, in arguments and results")
  void actorIdsTravelAsText() {
    withClient(client -> {
      client.get().uri("/actors").exchange().expectBody()
          .jsonPath("$[?(@.type == 'Greeter')].methods[?(@.name == 'pair')].candid")
          .isEqualTo("pair : (principal) -> (vec principal)");
      post(client, "/actors/Greeter/greeter/pair", "[\"counter-7\"]").expectStatus().isOk()
          .expectBody().json("[\"greeter\", \"counter-7\"]");
      expectRefusal(post(client, "/actors/Greeter/greeter/pair", "[\" \"]"),
          HttpStatus.BAD_REQUEST, "Argument 1 (other : principal) of Greeter.pair(other :"
              + " principal) is invalid: An actor id must not be blank");
      expectRefusal(post(client, "/actors/Greeter/greeter/pair", "[{}]"), HttpStatus.BAD_REQUEST,
          "is invalid: Expected an actor id (a string), got an object");
    });
  }

  /** An actor whose interface takes an actor reference, which JSON cannot carry. */
  public interface Relay {
    Mono<Void> forward(String text, java.util.List<Greeter> to);
  }

  @io.reactant.spring.boot.ActorBean
  public static final class RelayActor extends io.reactant.actor.Actor implements Relay {
    @Override
    public Mono<Void> forward(String text, java.util.List<Greeter> to) {
      return done();
    }
  }

  @Test
  @DisplayName("R21 an exposed method that takes or returns an actor reference, which JSON cannot"
      + " carry, fails the startup saying to pass its ActorId, not every call it gets")
  void exposedMethodWithAnActorReferenceFailsTheStartup() {
    runner.withUserConfiguration(RelayActor.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOfSatisfying(io.reactant.spring.boot.ActorDeclarationException.class, e -> {
            assertThat(e).hasMessage("The actor type 'Relay' is exposed over HTTP, but its method"
                + " forward() takes a reference to the actor type Greeter, which JSON cannot carry");
            assertThat(e.action()).contains("ActorId").contains("exposed = false");
          });
    });
  }

  /** A generic interface, whose method an actor interface redeclares with its type argument. */
  public interface Store<T> {
    Mono<Long> put(T item);
  }

  /** The compiler adds a bridge, {@code put(Object)}, beside {@code put(String)}. */
  public interface Bin extends Store<String> {
    @Override
    Mono<Long> put(String item);
  }

  @io.reactant.spring.boot.ActorBean
  public static final class BinActor extends io.reactant.actor.Actor implements Bin {
    private final io.reactant.state.Var<Long> items = newVar("items", 0L);

    @Override
    public Mono<Long> put(String item) {
      return Mono.just(items.update(n -> n + item.length()));
    }
  }

  @Test
  @DisplayName("R23 an exposed interface that redeclares a generic super-interface's method with"
      + " its type argument starts, and HTTP calls that method: the compiler's bridge is no"
      + " overload")
  void redeclaredGenericMethodIsNoOverload() {
    withClient(runner.withUserConfiguration(BinActor.class), (context, client) -> {
      post(client, "/actors/Bin/bin/put", "[\"jam\"]").expectStatus().isOk()
          .expectBody(Long.class).isEqualTo(3L);
      expectRefusal(post(client, "/actors/Bin/bin/put", "[3]"), HttpStatus.BAD_REQUEST,
          "Argument 1 (item : text) of Bin.put(item : text) is invalid");
      client.get().uri("/actors").exchange().expectBody()
          .jsonPath("$[?(@.type == 'Bin')].methods[*].candid")
          .value((java.util.List<String> candid) -> assertThat(candid)
              .containsExactly("put : (text) -> (int64)"));
    });
  }

  @Test
  void badInputChangesNothing() {
    withClient(client -> {
      post(client, "/actors/Greeter/greeter/greet", "[7]").expectStatus().isBadRequest();
      client.get().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectBody(Long.class).isEqualTo(0L);
    });
  }

  @Test
  void bodyThatIsNotJsonAnswers415() {
    withClient(client -> expectRefusal(client.post().uri("/actors/Greeter/greeter/greet")
            .contentType(MediaType.TEXT_PLAIN).bodyValue("[\"Ada\"]").exchange(),
        HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type: application/json"));
  }

  @Test
  @DisplayName("a body in a content coding (Content-Encoding: gzip), which this server does not"
      + " decode, answers 415 naming the coding with Accept-Encoding: identity (RFC 9110 15.5.16)"
      + " before the actor runs, instead of reading the coded bytes as JSON; identity is the body"
      + " as it is")
  void bodyInAContentCodingAnswers415() throws java.io.IOException {
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(zipped)) {
      gzip.write("[\"Ada\"]".getBytes(UTF_8));
    }
    withClient(client -> {
      for (String coding : new String[] {"gzip", "GZIP", "identity, gzip", "br"}) {
        ResponseSpec answer = client.post().uri("/actors/Greeter/greeter/greet")
            .contentType(MediaType.APPLICATION_JSON).header("Content-Encoding", coding)
            .bodyValue(zipped.toByteArray()).exchange();
        answer.expectHeader().valueEquals("Accept-Encoding", "identity");
        expectRefusal(answer, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The request body is in a"
            + " content coding this server does not decode (Content-Encoding: " + coding
            + "): send it as it is, without Content-Encoding");
      }
      client.get().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectBody(Long.class).isEqualTo(0L);
      client.post().uri("/actors/Greeter/greeter/greet").contentType(MediaType.APPLICATION_JSON)
          .header("Content-Encoding", "identity").bodyValue("[\"Ada\"]").exchange()
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"Hi, Ada\"");
    });
  }

  @Test
  @DisplayName("a request whose Accept admits no JSON answers 406 with a JSON message before the"
      + " actor runs, as an annotated controller that produces JSON does")
  void requestThatAcceptsNoJsonAnswers406BeforeTheActorRuns() {
    withClient(client -> {
      for (String accept : new String[] {"text/plain", "application/xml, text/*",
          "application/json;q=0", "not a media type"}) {
        client.post().uri("/actors/Greeter/greeter/greet").header("Accept", accept)
            .contentType(MediaType.APPLICATION_JSON).bodyValue("[\"Ada\"]").exchange()
            .expectStatus().isEqualTo(HttpStatus.NOT_ACCEPTABLE)
            .expectHeader().contentType(MediaType.APPLICATION_JSON)
            .expectBody().jsonPath("$.code").doesNotExist()
            .jsonPath("$.message").isEqualTo("The response is application/json; accept it"
                + " (Accept: application/json)");
        client.get().uri("/actors/Greeter/greeter/greeted").header("Accept", accept).exchange()
            .expectStatus().isEqualTo(HttpStatus.NOT_ACCEPTABLE);
        client.get().uri("/actors").header("Accept", accept).exchange()
            .expectStatus().isEqualTo(HttpStatus.NOT_ACCEPTABLE);
      }
      client.get().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(0L);
      // what admits JSON is answered; an answer without a body has nothing to accept
      for (String accept : new String[] {"application/json", "application/*", "*/*",
          "text/plain, application/json;q=0.1", "text/html, */*;q=0.8"}) {
        client.post().uri("/actors/Greeter/greeter/greet").header("Accept", accept)
            .contentType(MediaType.APPLICATION_JSON).bodyValue("[\"Ada\"]").exchange()
            .expectStatus().isOk();
      }
      client.post().uri("/actors/Greeter/greeter/forget").header("Accept", "text/plain")
          .exchange().expectStatus().isNoContent();
      client.post().uri("/actors/Greeter/greeter/poke").header("Accept", "text/plain")
          .exchange().expectStatus().isAccepted();
    });
  }

  @Test
  void contentTypeThatIsNotAMediaTypeAnswers415() {
    // WebTestClient refuses to send such a header: the request is handed to the server directly
    withClient((context, client) -> {
      MockServerHttpRequest request = MockServerHttpRequest.post("/actors/Greeter/greeter/greet")
          .header("Content-Type", "garbage").body(reactor.core.publisher.Flux.just(
              DefaultDataBufferFactory.sharedInstance.wrap("[\"Ada\"]".getBytes(UTF_8))));
      MockServerHttpResponse response = new MockServerHttpResponse();
      WebHttpHandlerBuilder.applicationContext(context).build().handle(request, response).block();
      assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
      assertThat(response.getBodyAsString().block())
          .contains("The Content-Type header is not a media type").doesNotContain("Exception");
      client.get().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectBody(Long.class).isEqualTo(0L);
    });
  }

  @Test
  void blankActorIdAnswers400() {
    withClient(client -> expectRefusal(client.post().uri("/actors/Greeter/{id}/greet", " ")
            .contentType(MediaType.APPLICATION_JSON).bodyValue("[\"Ada\"]").exchange(),
        HttpStatus.BAD_REQUEST, "An actor id must not be blank"));
  }

  @Test
  void otherHttpMethodsAnswer405WithTheAllowedOnes() {
    withClient(client -> {
      client.put().uri("/actors/Greeter/greeter/greet").contentType(MediaType.APPLICATION_JSON)
          .bodyValue("[\"Ada\"]").exchange()
          .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
          .expectHeader().valueEquals("Allow", "POST, OPTIONS")
          .expectBody().jsonPath("$.message").value(String.class,
              m -> assertThat(m).startsWith("PUT is not allowed here"));
      client.put().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
          .expectHeader().valueEquals("Allow", "GET, HEAD, POST, OPTIONS")
          .expectBody().jsonPath("$.message").value(String.class,
              m -> assertThat(m).endsWith("GET reads this query"));
      client.delete().uri("/actors").exchange()
          .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
          .expectHeader().valueEquals("Allow", "GET, HEAD, OPTIONS");
      client.options().uri("/actors/Greeter/greeter/greet").exchange()
          .expectStatus().isNoContent()
          .expectHeader().valueEquals("Allow", "POST, OPTIONS");
      client.options().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectStatus().isNoContent()
          .expectHeader().valueEquals("Allow", "GET, HEAD, POST, OPTIONS");
      client.options().uri("/actors").exchange()
          .expectStatus().isNoContent()
          .expectHeader().valueEquals("Allow", "GET, HEAD, OPTIONS");
      client.head().uri("/actors").exchange().expectStatus().isOk();
      client.head().uri("/actors/Greeter/greeter/greeted").exchange().expectStatus().isOk();
      client.head().uri("/actors/Greeter/greeter/greet").exchange()
          .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
          .expectHeader().valueEquals("Allow", "POST, OPTIONS");
      client.get().uri("/actors/Greeter/greeter/greet").exchange()
          .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
          .expectHeader().valueEquals("Allow", "POST, OPTIONS");
      client.get().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectBody(Long.class).isEqualTo(0L);
    });
  }

  @Test
  @DisplayName("OPTIONS and other HTTP methods on the base path spelled with encoded characters answer as on the base path, not 500")
  void basePathWithEncodedCharactersAnswersAsTheBasePath() {
    withClient(client -> {
      java.net.URI encoded = java.net.URI.create("/act%6Frs"); // the router decodes it: /actors
      client.options().uri(encoded).exchange()
          .expectStatus().isNoContent()
          .expectHeader().valueEquals("Allow", "GET, HEAD, OPTIONS");
      client.delete().uri(encoded).exchange()
          .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
          .expectHeader().valueEquals("Allow", "GET, HEAD, OPTIONS")
          .expectBody().jsonPath("$.message").value(String.class,
              m -> assertThat(m).startsWith("DELETE is not allowed here: GET describes"));
      client.get().uri(encoded).exchange().expectStatus().isOk();
    });
  }

  @Test
  @DisplayName("a path under the base path that is not /{type}/{id}/{method} answers 404 with a JSON"
      + " message saying what the path should be, never Spring Boot's error page")
  void pathWithTheWrongNumberOfSegmentsAnswers404WithAJsonMessage() {
    withClient(client -> {
      for (String path : new String[] {"/actors/Counter", "/actors/Counter/c1",
          "/actors/Counter/c1/bump/extra", "/actors/", "/actors/Counter/c1/bump/"}) {
        for (ResponseSpec response : List.of(post(client, path, "[]"),
            client.get().uri(path).exchange(), client.delete().uri(path).exchange())) {
          response.expectStatus().isNotFound()
              .expectHeader().contentType(MediaType.APPLICATION_JSON)
              .expectBody()
              .jsonPath("$.code").doesNotExist()
              .jsonPath("$.trace").doesNotExist()
              .jsonPath("$.error").doesNotExist()
              .jsonPath("$.message").value(String.class, m -> assertThat(m)
                  .contains("No actor endpoint at " + path)
                  .contains("/actors/{type}/{id}/{method}"));
        }
      }
      client.get().uri("/actors/Counter/c1/read").exchange().expectStatus().isOk();
    });
  }

  @Test
  void applicationsOwnControllerUnderTheBasePathStillAnswersAndKeepsItsOwn404() {
    withClient(runner.withUserConfiguration(OwnActorsController.class), (context, client) -> {
      client.get().uri("/actors/Counter/c1/history/all").exchange()
          .expectStatus().isOk()
          .expectBody(String.class).isEqualTo("history of c1");
      client.get().uri("/actors/Counter/none/history/all").exchange()
          .expectStatus().isNotFound()
          .expectBody(String.class).value(body -> assertThat(body)
              .doesNotContain("No actor endpoint"));
      // a path no handler takes still gets the ingress's answer
      client.get().uri("/actors/Counter/c1/history/all/more").exchange()
          .expectStatus().isNotFound()
          .expectBody().jsonPath("$.message").value(String.class, m -> assertThat(m)
              .contains("No actor endpoint at /actors/Counter/c1/history/all/more"));
    });
  }

  /** An application's own controller under the actor endpoints' base path. */
  @org.springframework.web.bind.annotation.RestController
  static class OwnActorsController {

    @org.springframework.web.bind.annotation.GetMapping("/actors/Counter/{id}/history/all")
    String history(@org.springframework.web.bind.annotation.PathVariable String id) {
      if (id.equals("none")) {
        throw new org.springframework.web.server.ResponseStatusException(HttpStatus.NOT_FOUND,
            "no history of none");
      }
      return "history of " + id;
    }
  }

  @Test
  void optionsAndOtherHttpMethodsOnAnUnknownTypeOrMethodAnswer404() {
    withClient(client -> {
      expectError(client.options().uri("/actors/Nothing/x/greet").exchange(),
          HttpStatus.NOT_FOUND, 3,
          "DESTINATION_INVALID", "No actor type 'Nothing'");
      expectError(client.options().uri("/actors/Greeter/greeter/nothing").exchange(),
          HttpStatus.NOT_FOUND, 3,
          "DESTINATION_INVALID", "The actor type 'Greeter' has no method 'nothing'");
      expectError(client.put().uri("/actors/Nothing/x/greet").exchange(),
          HttpStatus.NOT_FOUND, 3,
          "DESTINATION_INVALID", "No actor type 'Nothing'");
      expectError(client.delete().uri("/actors/Greeter/greeter/nothing").exchange(),
          HttpStatus.NOT_FOUND, 3,
          "DESTINATION_INVALID", "The actor type 'Greeter' has no method 'nothing'");
    });
  }

  @Test
  void argumentAsLongAsTheBodyLimitIsRefusedWithAShortMessage() {
    withClient(client -> {
      String huge = "x".repeat(900_000);
      byte[] body = post(client, "/actors/Greeter/greeter/divide", "[\"" + huge + "\", 3]")
          .expectStatus().isBadRequest()
          .expectBody().jsonPath("$.message").value(String.class, m -> assertThat(m)
              .startsWith("Argument 1 (a : int32) of Greeter.divide(a : int32, b : int32) is invalid")
              .hasSizeLessThan(1_200))
          .returnResult().getResponseBody();
      assertThat(body).hasSizeLessThan(1_300);
    });
  }

  @Test
  void overlongActorIdAnswers400AndActivatesNothing() {
    withClient(runner.withPropertyValues("reactant.http.max-id-length=8"), (context, client) -> {
      expectRefusal(client.post().uri("/actors/Counter/{id}/bump", "n".repeat(9))
              .contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange(),
          HttpStatus.BAD_REQUEST, "An actor id is at most 8 characters (reactant.http.max-id-length);"
              + " this one has 9");
      assertThat(context.getBean(ActorSystem.class).contains(io.reactant.actor.ActorId.of("n".repeat(9))))
          .isFalse();
      post(client, "/actors/Counter/" + "n".repeat(8) + "/bump", "[]").expectStatus().isOk();
    });
  }

  @Test
  @DisplayName("reactant.http.max-id-length counts characters (code points), as documented: an id"
      + " of 8 characters outside the BMP (16 UTF-16 units) was refused at a limit of 8, and the"
      + " message counted the units")
  void maxIdLengthCountsCharactersNotUtf16Units() {
    withClient(runner.withPropertyValues("reactant.http.max-id-length=8"), (context, client) -> {
      String emoji = "%F0%9F%98%80"; // U+1F600, a surrogate pair in Java
      client.post().uri(java.net.URI.create("/actors/Counter/" + emoji.repeat(8) + "/bump"))
          .contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange().expectStatus().isOk();
      assertThat(context.getBean(ActorSystem.class)
          .contains(io.reactant.actor.ActorId.of("\uD83D\uDE00".repeat(8)))).isTrue();
      expectRefusal(client.post().uri(java.net.URI.create("/actors/Counter/" + emoji.repeat(9)
              + "/bump")).contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange(),
          HttpStatus.BAD_REQUEST, "An actor id is at most 8 characters (reactant.http.max-id-length);"
              + " this one has 9");
    });
  }

  @Test
  @DisplayName("an actor id whose percent-encoding is not UTF-8 answers 400 and activates nothing,"
      + " rather than reaching the actor of U+FFFD that other bytes decode to as well")
  void actorIdThatIsNotUtf8Answers400() {
    withClient((context, client) -> {
      for (String id : new String[] {"%FF", "caf%E9", "%C0%AF"}) {
        expectRefusal(client.post().uri(java.net.URI.create("/actors/Counter/" + id + "/bump"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange(),
            HttpStatus.BAD_REQUEST, "The actor id is not UTF-8 once percent-decoded");
      }
      assertThat(context.getBean(ActorSystem.class).actorIds())
          .noneMatch(id -> id.value().contains("\uFFFD"));
      // the character itself, properly encoded, is an id like any other
      client.post().uri(java.net.URI.create("/actors/Counter/caf%C3%A9%EF%BF%BD/bump"))
          .contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
      client.get().uri(java.net.URI.create("/actors/Counter/caf%C3%A9%EF%BF%BD/read")).exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
    });
  }

  @Test
  @DisplayName("an actor id with a character not percent-encoded answers 400 and activates nothing:"
      + " a server reads the request line's bytes as ISO-8859-1, so a raw é names another actor")
  void actorIdWithACharacterNotPercentEncodedAnswers400() {
    withClient((context, client) -> {
      expectRefusal(client.post().uri(java.net.URI.create("/actors/Counter/raw\u00e9/bump"))
              .contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange(),
          HttpStatus.BAD_REQUEST, "The actor id holds characters that are not percent-encoded:"
              + " percent-encode the UTF-8 bytes of each character outside ASCII (\u00e9 is %C3%A9)");
      assertThat(context.getBean(ActorSystem.class).actorIds())
          .noneMatch(id -> id.value().startsWith("raw"));
      client.post().uri(java.net.URI.create("/actors/Counter/raw%C3%A9/bump"))
          .contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
    });
  }

  @Test
  @DisplayName("R12a past reactant.max-actors a call naming a new virtual id answers 503 with code 2"
      + " and a message for the client, which names no property or field")
  void newVirtualIdPastMaxActorsAnswers503() {
    int[] singletons = new int[1];
    runner.run(context -> singletons[0] = context.getBean(ActorSystem.class).actorIds().size());
    int limit = singletons[0] + 1;
    withClient(runner.withPropertyValues("reactant.max-actors=" + limit), (context, client) -> {
      ActorSystem system = context.getBean(ActorSystem.class);
      post(client, "/actors/Counter/last-one/bump", "[]").expectStatus().isOk();
      post(client, "/actors/Counter/one-too-many/bump", "[]")
          .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
          .expectBody().jsonPath("$.code").isEqualTo(2)
          .jsonPath("$.message").isEqualTo("The actor system is full (" + limit + " actors): the"
              + " actor 'one-too-many' was not created");
      assertThat(system.contains(io.reactant.actor.ActorId.of("one-too-many"))).isFalse();
      post(client, "/actors/Counter/last-one/bump", "[]").expectStatus().isOk()
          .expectBody(Long.class).isEqualTo(2L);
    });
  }

  @Test
  void wrongKindOfArgumentIsDescribedWithoutJavaTypeNames() {
    withClient(client -> {
      byte[] body = post(client, "/actors/Greeter/greeter/greet", "[{\"name\": \"Ada\"}]")
          .expectStatus().isBadRequest()
          .expectBody().jsonPath("$.message").isEqualTo("Argument 1 (name : text) of"
              + " Greeter.greet(name : text) is invalid: Expected a string, got an object")
          .returnResult().getResponseBody();
      assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8))
          .doesNotContain("java.").doesNotContain("JsonToken");
      expectRefusal(post(client, "/actors/Greeter/greeter/greet", "[\"Ada\"] [\"Bob\"]"),
          HttpStatus.BAD_REQUEST, "Malformed JSON: Unexpected content after the JSON value");
    });
  }

  @Test
  void bodyOverTheLimitAnswers413() {
    withClient(runner.withPropertyValues("reactant.http.max-request-body=64B"), (context, client) -> {
      String big = "[\"" + "x".repeat(100) + "\"]";
      expectRefusal(post(client, "/actors/Greeter/greeter/greet", big),
          HttpStatus.CONTENT_TOO_LARGE, "larger than the limit of 64 bytes");
      post(client, "/actors/Greeter/greeter/greet", "[\"small\"]").expectStatus().isOk();
    });
  }

  @Test
  @DisplayName("R12a a full mailbox answers 503 with code 2, and the actor is untouched")
  void fullMailboxAnswers503WithCode2() {
    withClient(runner.withPropertyValues("reactant.mailbox-capacity=2"), (context, client) -> {
      Greeter greeter = context.getBean(Greeter.class);
      Gate gate = holdGreeter(context, greeter);
      var first = greeter.greet("one");
      var second = greeter.greet("two");
      expectError(post(client, "/actors/Greeter/greeter/greet", "[\"three\"]"),
          HttpStatus.SERVICE_UNAVAILABLE, 2, "SYS_TRANSIENT", "is full (capacity 2)");
      gate.open();
      assertThat(first.block()).isEqualTo("Hi, one");
      assertThat(second.block()).isEqualTo("Hi, two");
      client.get().uri("/actors/Greeter/greeter/greeted").exchange()
          .expectBody(Long.class).isEqualTo(2L);
    });
  }

  @Test
  @DisplayName("R3 R12a a oneway refused before it is queued (full mailbox, no such actor, system shut"
      + " down) answers the refusal's status, not 202: a 202 says the message was sent")
  void onewayRefusedBeforeItIsQueuedAnswersTheRefusal() {
    withClient(runner.withPropertyValues("reactant.mailbox-capacity=1"), (context, client) -> {
      Greeter greeter = context.getBean(Greeter.class);
      Gate gate = holdGreeter(context, greeter);
      var queued = greeter.greet("queued");
      expectError(post(client, "/actors/Greeter/greeter/poke", "[]"),
          HttpStatus.SERVICE_UNAVAILABLE, 2, "SYS_TRANSIENT", "is full (capacity 1)");
      expectError(post(client, "/actors/Greeter/nobody/poke", "[]"),
          HttpStatus.NOT_FOUND, 3, "DESTINATION_INVALID", "No actor 'nobody'");
      gate.open();
      assertThat(queued.block()).isEqualTo("Hi, queued");
      // the mailbox has room again. (What follows a oneway in order is
      // onewayIsAcceptedAndDeliveredInOrder's: here a call posted while the poke is still
      // queued would find the mailbox of capacity 1 full)
      post(client, "/actors/Greeter/greeter/poke", "[]").expectStatus().isAccepted();
      context.getBean(ActorSystem.class).close();
      expectError(post(client, "/actors/Greeter/greeter/poke", "[]"),
          HttpStatus.SERVICE_UNAVAILABLE, 2, "SYS_TRANSIENT", "shut down");
    });
  }

  /** Has the greeter enter a turn that holds it until its gate opens; returns the gate. */
  private static Gate holdGreeter(AssertableReactiveWebApplicationContext context,
      Greeter greeter) {
    Gate gate = context.getBean(Gate.class);
    greeter.hold();
    try {
      gate.awaitEntered();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return gate;
  }

  @Test
  @DisplayName("R12a a closed actor system answers 503 with code 2")
  void closedSystemAnswers503WithCode2() {
    withClient((context, client) -> {
      context.getBean(ActorSystem.class).close();
      expectError(post(client, "/actors/Counter/c/bump", "[]"), HttpStatus.SERVICE_UNAVAILABLE, 2,
          "SYS_TRANSIENT", "shut down");
    });
  }

  @Test
  @DisplayName("R22 a call without a reply within the timeout answers 504 with code 6")
  void timedOutCallAnswers504WithCode6() {
    // no grace period: the shutdown would wait its 30 s for the call, which never ends
    withClient(runner.withPropertyValues("reactant.default-call-timeout=100ms",
        "reactant.shutdown-grace-period=0s"), (context, client) ->
        expectError(post(client, "/actors/Greeter/greeter/never", "[]"), HttpStatus.GATEWAY_TIMEOUT,
            6, "SYS_UNKNOWN", "may or may not have run"));
  }

  @Test
  @DisplayName("R22 R19 a query without a reply within reactant.default-call-timeout answers 504 with"
      + " code 6, as an update does, instead of holding its request for ever")
  void timedOutQueryAnswers504WithCode6() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    withClient(runner.withPropertyValues("reactant.default-call-timeout=5s")
        .withBean(ActorSystemCustomizer.class, () -> builder -> builder.scheduler(scheduler))
        .withBean(TurnListener.class, () -> new TurnListener() {
          @Override
          public void callRejected(ActorId actor, String method, RejectCode code) {
            rejects.add(actor + " " + method + " " + code);
          }
        }),
        (context, client) -> {
          HttpHandler server = WebHttpHandlerBuilder.applicationContext(context).build();
          MockServerHttpResponse response = new MockServerHttpResponse();
          CompletableFuture<Void> answered = server.handle(
              MockServerHttpRequest.get("/actors/Greeter/greeter/stuck").build(), response)
              .toFuture();
          scheduler.runUntilIdle();
          scheduler.advanceTimeBy(Duration.ofMillis(4_999));
          assertThat(answered).as("answered before its timeout").isNotDone();
          scheduler.advanceTimeBy(Duration.ofMillis(1));
          assertThat(answered).isCompleted();
          assertThat(response.getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
          assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
          assertThat(response.getBodyAsString().block()).contains("\"code\":6")
              .contains("\"reject\":\"SYS_UNKNOWN\"")
              .contains("The query Greeter.stuck() on greeter timed out after PT5S")
              .doesNotContain("Exception");
          assertThat(rejects)
              .as("told as a failed call, as an update's timeout is (reactant.rejects)")
              .containsExactly("greeter stuck SYS_UNKNOWN");
        });
  }

  @Test
  @DisplayName("R22 R19 a query that times out counts once in reactant.rejects, with code 6, though"
      + " its Mono fails later: the query is bounded by the actor system, which cancels it")
  void timedOutQueryCountsOnceInRejects() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    withClient(runner.withPropertyValues("reactant.default-call-timeout=5s")
        .withBean(ActorSystemCustomizer.class, () -> builder -> builder.scheduler(scheduler))
        .withBean(TurnListener.class,
            () -> new io.reactant.spring.boot.actuate.MicrometerTurnListener(registry)),
        (context, client) -> {
          HttpHandler server = WebHttpHandlerBuilder.applicationContext(context).build();
          MockServerHttpResponse response = new MockServerHttpResponse();
          CompletableFuture<Void> answered = server.handle(
              MockServerHttpRequest.get("/actors/Greeter/greeter/late").build(), response)
              .toFuture();
          scheduler.runUntilIdle();
          scheduler.advanceTimeBy(Duration.ofSeconds(5));
          assertThat(answered).isCompleted();
          assertThat(response.getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);

          Gate gate = context.getBean(Gate.class);
          boolean stillAwaited = gate.lateAwaited();
          gate.failLate(io.reactant.error.CallError.reject("too late"));
          scheduler.runUntilIdle();

          assertThat(registry.find("reactant.rejects").counters())
              .as("one failed call, counted once")
              .singleElement().satisfies(c -> {
                assertThat(c.getId().getTag("method")).isEqualTo("late");
                assertThat(c.getId().getTag("code")).isEqualTo("6");
                assertThat(c.count()).isEqualTo(1.0);
              });
          assertThat(stillAwaited).as("the timed-out query was cancelled").isFalse();
        });
  }

  /** A deterministic system whose TurnListener bean records every failed call. */
  private ReactiveWebApplicationContextRunner deterministic(DeterministicScheduler scheduler,
      List<String> rejects, String... properties) {
    return runner.withPropertyValues(properties)
        .withBean(ActorSystemCustomizer.class, () -> builder -> builder.scheduler(scheduler))
        .withBean(TurnListener.class, () -> new TurnListener() {
          @Override
          public void callRejected(ActorId actor, String method, RejectCode code) {
            rejects.add(actor + " " + method + " " + code);
          }
        });
  }

  /** The value of a gauge of the actor system's metrics. */
  private static double gauge(ActorSystem system, String name) {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    new io.reactant.spring.boot.actuate.ActorSystemMetrics(system).bindTo(registry);
    return registry.get(name).gauge().value();
  }

  @Test
  @DisplayName("R3 R23 updates whose requests are cancelled (the client went away) while they wait in"
      + " a full mailbox still run and commit, each once; then nothing stays queued, counted or"
      + " scheduled (the mailbox gauges are 0, no bounded wait is left, no failure is counted)")
  void updatesOfCancelledRequestsCommitAndLeaveNothingBehind() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    int requests = 100;
    withClient(deterministic(scheduler, rejects, "reactant.default-call-timeout=10s",
        "reactant.mailbox-capacity=" + requests), (context, client) -> {
          ActorSystem system = context.getBean(ActorSystem.class);
          HttpHandler server = WebHttpHandlerBuilder.applicationContext(context).build();
          int actors = system.actorCount();
          for (int i = 0; i < requests; i++) {
            server.handle(MockServerHttpRequest.post("/actors/Greeter/greeter/greet")
                .contentType(MediaType.APPLICATION_JSON).body("[\"caller " + i + "\"]"),
                new MockServerHttpResponse()).subscribe().dispose();
          }
          assertThat(system.queuedMessages()).as("sent when made, whoever waits for the reply")
              .isEqualTo(requests);
          MockServerHttpResponse refused = new MockServerHttpResponse();
          server.handle(MockServerHttpRequest.post("/actors/Greeter/greeter/greet")
              .contentType(MediaType.APPLICATION_JSON).body("[\"one too many\"]"), refused)
              .block(Duration.ofSeconds(10));
          assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

          scheduler.runUntilIdle();

          Greeter greeter = context.getBean(Greeter.class);
          assertThat(scheduler.await(greeter.greeted())).as("every cancelled request's update ran"
              + " and committed, once").isEqualTo((long) requests);
          assertThat(gauge(system, "reactant.mailbox.depth")).isZero();
          assertThat(gauge(system, "reactant.mailbox.depth.max")).isZero();
          assertThat(gauge(system, "reactant.actors")).isEqualTo(actors);
          assertThat(system.busyActors()).isZero();
          assertThat(scheduler.delayedTasks()).as("the bounded waits of the answered calls")
              .isZero();
          scheduler.advanceTimeBy(Duration.ofSeconds(20));
          assertThat(rejects).containsExactly("greeter greet SYS_TRANSIENT");
        });
  }

  @Test
  @DisplayName("R19 R22 queries whose requests are cancelled before their reply are cancelled then,"
      + " before their bound: each fails once with code 6, answering no one; then nothing stays"
      + " scheduled")
  void queriesOfCancelledRequestsAreCancelledAndLeaveNothingBehind() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    int requests = 100;
    withClient(deterministic(scheduler, rejects, "reactant.default-call-timeout=5s"),
        (context, client) -> {
          ActorSystem system = context.getBean(ActorSystem.class);
          HttpHandler server = WebHttpHandlerBuilder.applicationContext(context).build();
          List<reactor.core.Disposable> pending = new java.util.ArrayList<>();
          List<MockServerHttpResponse> responses = new java.util.ArrayList<>();
          for (int i = 0; i < requests; i++) {
            MockServerHttpResponse response = new MockServerHttpResponse();
            responses.add(response);
            pending.add(server.handle(MockServerHttpRequest.get("/actors/Greeter/greeter/stuck")
                .build(), response).subscribe());
          }
          scheduler.runUntilIdle(); // each query ran on the actors' executor and waits its bound
          assertThat(scheduler.delayedTasks()).isEqualTo(requests);

          pending.forEach(reactor.core.Disposable::dispose);
          scheduler.runUntilIdle(); // the cancellations run on the actors' executor

          assertThat(scheduler.delayedTasks()).as("the bounds of the cancelled queries").isZero();
          assertThat(rejects).as("each query was cancelled with its request, told once")
              .hasSize(requests).containsOnly("greeter stuck SYS_UNKNOWN");
          scheduler.advanceTimeBy(Duration.ofSeconds(5));
          assertThat(rejects).as("none timed out after").hasSize(requests);
          assertThat(responses).allSatisfy(r -> assertThat(r.isCommitted()).isFalse());
          assertThat(system.busyActors()).isZero();
          assertThat(gauge(system, "reactant.mailbox.depth")).isZero();
        });
  }

  @Test
  @DisplayName("R19 R3 a query whose client leaves before its reply is cancelled at once, without"
      + " reactant.default-call-timeout: what its Mono waited for is let go, it is told once with"
      + " code 6, and the client gets no answer")
  void queryWhoseClientLeftIsCancelled() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();
    withClient(deterministic(scheduler, rejects), (context, client) -> {
      ActorSystem system = context.getBean(ActorSystem.class);
      Gate gate = context.getBean(Gate.class);
      HttpHandler server = WebHttpHandlerBuilder.applicationContext(context).build();
      MockServerHttpResponse response = new MockServerHttpResponse();
      reactor.core.Disposable exchange = server.handle(
          MockServerHttpRequest.get("/actors/Greeter/greeter/late").build(), response).subscribe();
      scheduler.runUntilIdle(); // the query ran on the actors' executor, and waits
      assertThat(gate.lateAwaited()).as("the query waits for its answer").isTrue();

      exchange.dispose(); // the client left: the server cancels the exchange
      scheduler.runUntilIdle();

      assertThat(gate.lateAwaited()).as("the query was cancelled").isFalse();
      assertThat(rejects).containsExactly("greeter late SYS_UNKNOWN");
      assertThat(response.isCommitted()).isFalse();
      assertThat(scheduler.delayedTasks()).isZero();
      assertThat(system.busyActors()).isZero();
    });
  }

  /** A result Jackson fails to write: its accessor throws, with a message about the server. */
  public record Secretive(String name) {
    @Override
    public String name() {
      throw new IllegalStateException("the vault's key is 1234");
    }
  }

  /** An actor whose queries answer what cannot be written, or a lot. */
  public interface Unwritable {
    @io.reactant.actor.Query
    Mono<Secretive> peek();

    @io.reactant.actor.Query
    Mono<String> big();

    /** An update: counts, then answers what cannot be written. */
    Mono<Secretive> take();

    @io.reactant.actor.Query
    Mono<Integer> taken();
  }

  @io.reactant.spring.boot.ActorBean
  public static final class UnwritableActor extends io.reactant.actor.Actor implements Unwritable {
    @Override
    public Mono<Secretive> peek() {
      return Mono.just(new Secretive("x"));
    }

    @Override
    public Mono<String> big() {
      return Mono.just("x".repeat(8 << 20));
    }

    private int taken;

    @Override
    public Mono<Secretive> take() {
      taken++;
      return Mono.just(new Secretive("y"));
    }

    @Override
    public Mono<Integer> taken() {
      return Mono.just(taken);
    }
  }

  @Test
  @DisplayName("R19 a query whose result cannot be written as JSON answers 500 with the generic"
      + " message, without the exception's message or a stack trace; a large result is answered"
      + " whole")
  void queryWhoseResultCannotBeWrittenAnswers500() {
    withClient(runner.withUserConfiguration(UnwritableActor.class), (context, client) -> {
      byte[] body = client.get().uri("/actors/Unwritable/unwritable/peek").exchange()
          .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
          .expectHeader().contentType(MediaType.APPLICATION_JSON)
          .expectBody().returnResult().getResponseBody();
      assertThat(new String(body, UTF_8)).isEqualTo(
          "{\"message\":\"Internal error; the service's log has the details\"}");
      String big = client.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(16 << 20)).build()
          .get().uri("/actors/Unwritable/unwritable/big").exchange()
          .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
      assertThat(big).hasSize((8 << 20) + 2);
    });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("R3 a result that cannot be written as JSON, which any client can ask for again, is"
      + " logged as a warning with its stack trace the first time each method's result fails so"
      + " and at debug level afterwards, so that the log is not flooded; an update's says that"
      + " its turn committed (its changes stand) though the client got a 500")
  void resultsThatCannotBeWrittenAreLoggedOncePerMethod(CapturedOutput output) {
    String logger = ActorIngressHandler.class.getName();
    org.springframework.boot.logging.LoggingSystem logging =
        org.springframework.boot.logging.LoggingSystem.get(getClass().getClassLoader());
    logging.setLogLevel(logger, org.springframework.boot.logging.LogLevel.DEBUG);
    try {
      withClient(runner.withUserConfiguration(UnwritableActor.class), (context, client) -> {
        for (int i = 0; i < 50; i++) {
          client.get().uri("/actors/Unwritable/unwritable/peek").exchange()
              .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
              .expectBody().jsonPath("$.message")
              .isEqualTo("Internal error; the service's log has the details");
        }
        for (int i = 0; i < 3; i++) {
          post(client, "/actors/Unwritable/unwritable/take", "[]")
              .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        }
        client.get().uri("/actors/Unwritable/unwritable/taken").exchange()
            .expectStatus().isOk().expectBody(String.class).isEqualTo("3");
        List<String> lines = output.getAll().lines().toList();
        java.util.function.BiFunction<String, String, Long> count = (level, method) ->
            lines.stream().filter(line -> line.contains(level) && line.contains(method)).count();
        assertThat(count.apply("WARN", "Unwritable.peek()")).isEqualTo(1);
        assertThat(count.apply("DEBUG", "Unwritable.peek()")).isEqualTo(49);
        assertThat(count.apply("WARN", "Unwritable.take()")).isEqualTo(1);
        assertThat(count.apply("DEBUG", "Unwritable.take()")).isEqualTo(2);
        assertThat(count.apply("ERROR", "")).isZero();
        assertThat(lines).filteredOn(line -> line.contains("WARN")
            && line.contains("Unwritable.take()")).singleElement().asString()
            .contains("committed");
        assertThat(lines).filteredOn(line -> line.contains("WARN")
            && line.contains("Unwritable.peek()")).singleElement().asString()
            .doesNotContain("committed");
        // the stack trace of the first, which names the accessor that threw
        assertThat(output.getAll()).contains("at io.reactant.spring.boot.web"
            + ".ActorIngressHandlerTests$Secretive.name");
      });
    } finally {
      logging.setLogLevel(logger, null);
    }
  }

  /** An argument whose own deserializer throws an exception of its own on some values. */
  @tools.jackson.databind.annotation.JsonDeserialize(using = CodeDeserializer.class)
  public record Code(String value) {
  }

  /**
   * Reads a {@link Code}: refuses "boom" with an IllegalArgumentException (not Jackson's), reads
   * "none" as null.
   */
  public static final class CodeDeserializer extends tools.jackson.databind.ValueDeserializer<Code> {
    @Override
    public Code deserialize(tools.jackson.core.JsonParser p,
        tools.jackson.databind.DeserializationContext context) {
      String text = p.getString();
      if (text.equals("boom")) {
        throw new IllegalArgumentException("no such code, see the vault");
      }
      return text.equals("none") ? null : new Code(text);
    }
  }

  /** An actor whose arguments' own code may refuse what a client sends. */
  public interface Choosy {
    Mono<String> enter(Code code);
  }

  @io.reactant.spring.boot.ActorBean
  public static final class ChoosyActor extends io.reactant.actor.Actor implements Choosy {
    @Override
    public Mono<String> enter(Code code) {
      return Mono.just(code.value());
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("an argument whose own deserializer fails on what a client sends with an exception"
      + " that is not Jackson's (a bug, which any client can repeat) answers 500 with the generic"
      + " message, and is logged as a warning with its stack the first time for that argument,"
      + " then at debug level")
  void argumentsWhoseDeserializerFailsAreLoggedOncePerArgument(CapturedOutput output) {
    String logger = ActorIngressHandler.class.getName();
    org.springframework.boot.logging.LoggingSystem logging =
        org.springframework.boot.logging.LoggingSystem.get(getClass().getClassLoader());
    logging.setLogLevel(logger, org.springframework.boot.logging.LogLevel.DEBUG);
    try {
      withClient(runner.withUserConfiguration(ChoosyActor.class), (context, client) -> {
        for (int i = 0; i < 50; i++) {
          post(client, "/actors/Choosy/choosy/enter", "[\"boom\"]")
              .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
              .expectBody().jsonPath("$.message")
              .isEqualTo("Internal error; the service's log has the details");
        }
        post(client, "/actors/Choosy/choosy/enter", "[\"ok\"]").expectStatus().isOk()
            .expectBody(String.class).isEqualTo("\"ok\"");
        List<String> lines = output.getAll().lines().toList();
        java.util.function.Function<String, Long> count = level -> lines.stream()
            .filter(line -> line.contains(level) && line.contains("Choosy.enter(")).count();
        assertThat(count.apply("WARN")).isEqualTo(1);
        assertThat(count.apply("DEBUG")).isEqualTo(49);
        assertThat(lines).filteredOn(line -> line.contains("ERROR")).isEmpty();
        assertThat(output.getAll()).contains("java.lang.IllegalArgumentException: no such code")
            .contains("at io.reactant.spring.boot.web.ActorIngressHandlerTests$CodeDeserializer");
      });
    } finally {
      logging.setLogLevel(logger, null);
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("an argument whose own deserializer reads a JSON value as null is refused with a 400"
      + " that says it must not be null, as a JSON null is, not answered as a 500 of the server")
  void argumentsThatTheirDeserializerReadsAsNullAreABadRequest(CapturedOutput output) {
    withClient(runner.withUserConfiguration(ChoosyActor.class), (context, client) -> {
      post(client, "/actors/Choosy/choosy/enter", "[\"none\"]")
          .expectStatus().isBadRequest()
          .expectBody().jsonPath("$.message")
          .isEqualTo("Argument 1 (code : record { value : text }) of Choosy.enter(code : record {"
              + " value : text }) must not be null");
      assertThat(output.getAll()).doesNotContain("failed to read");
    });
  }
}

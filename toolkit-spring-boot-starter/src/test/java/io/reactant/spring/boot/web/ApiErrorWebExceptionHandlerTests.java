package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantWebFluxAutoConfiguration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.ReactiveMultipartAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * The {@code {"message"}} body of the application's own client errors
 * ({@code reactant.http.error-bodies.enabled}): what each says, what it leaves to the next
 * handler, and how an application replaces it.
 */
class ApiErrorWebExceptionHandlerTests {

  private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
          CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
          HttpHandlerAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class))
      .withUserConfiguration(CounterActor.class, ShopController.class)
      .withPropertyValues("spring.http.codecs.max-in-memory-size=1KB");

  record Order(String order) {
  }

  record Payment(long amount) {
  }

  /** Bound from the query. */
  static final class Page {
    private int size;

    public int getSize() {
      return size;
    }

    public void setSize(int size) {
      this.size = size;
    }
  }

  /** The application's own controller. */
  @RestController
  static class ShopController {

    @PostMapping("/api/orders")
    Order order(@RequestBody Order order) {
      return order;
    }

    @PostMapping("/api/payments")
    Payment pay(@RequestBody Payment payment) {
      return payment;
    }

    @GetMapping("/api/count")
    int count(@RequestParam int n) {
      return n;
    }

    @GetMapping("/api/page")
    int page(@ModelAttribute Page page) {
      return page.getSize();
    }

    /** What a validator finds: a field error in its words. */
    @PostMapping("/api/validated")
    Mono<Order> validated() throws NoSuchMethodException {
      BeanPropertyBindingResult result = new BeanPropertyBindingResult(new Order(""), "order");
      result.addError(new FieldError("order", "order", "", false, null, null,
          "must not be blank"));
      return Mono.error(new WebExchangeBindException(new org.springframework.core.MethodParameter(
          ShopController.class.getDeclaredMethod("order", Order.class), 0), result));
    }

    @PostMapping("/api/notes")
    String note(@RequestPart("note") String note) {
      return note;
    }

    @PostMapping("/api/form")
    Mono<String> form(ServerWebExchange exchange) {
      return exchange.getFormData().map(form -> String.valueOf(form.getFirst("note")));
    }

    @GetMapping("/api/taken")
    Mono<String> taken() {
      return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT, "That name is taken"));
    }

    @GetMapping("/api/unavailable")
    Mono<String> unavailable() {
      return Mono.error(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
          "the database at 10.0.0.7 is down"));
    }

    @GetMapping("/api/bug")
    Mono<String> bug() {
      return Mono.error(new IllegalStateException("secret internals"));
    }

    /** Reads its body itself, within the codecs' limit as Spring's readers do. */
    @PostMapping("/api/raw")
    Mono<Integer> raw(ServerWebExchange exchange) {
      return DataBufferUtils.join(exchange.getRequest().getBody(), 1024)
          .map(buffer -> {
            int size = buffer.readableByteCount();
            DataBufferUtils.release(buffer);
            return size;
          });
    }
  }

  /** The application's own functional routes. */
  @Configuration(proxyBeanMethods = false)
  static class ShopRoutes {
    @Bean
    RouterFunction<ServerResponse> shopRoutes() {
      return RouterFunctions.route()
          .POST("/api/routed", request -> request.bodyToMono(Order.class)
              .flatMap(order -> ServerResponse.ok().bodyValue(order)))
          .POST("/api/routed-text", request -> request.bodyToMono(String.class)
              .flatMap(text -> ServerResponse.ok().bodyValue(text.length())))
          // what the application reads from elsewhere (a response of another service) is not
          // the client's body: its limit is the server's error, not a 413
          .POST("/api/elsewhere", request -> Mono.error(
              new DataBufferLimitException("Exceeded limit on max bytes to buffer : 1024")))
          .build();
    }
  }

  /** An application's own advice for bad input. */
  @RestControllerAdvice
  static class OwnAdvice {
    @ExceptionHandler
    Mono<Map<String, String>> badInput(ServerWebInputException e) {
      return Mono.just(Map.of("error", "mine"));
    }
  }

  private void withClient(String enabled, Consumer<WebTestClient> test) {
    runner.withPropertyValues("reactant.http.error-bodies.enabled=" + enabled).run(context -> {
      assertThat(context).hasNotFailed();
      test.accept(WebTestClient.bindToApplicationContext(context).build());
    });
  }

  private static void says(WebTestClient.ResponseSpec response, int status, String message) {
    response.expectStatus().isEqualTo(status)
        .expectHeader().contentType(MediaType.APPLICATION_JSON)
        .expectBody(String.class).value(body -> assertThat(body)
            .doesNotContain("Exception", "java.", "\tat ", "timestamp")
            .isEqualTo("{\"message\":\"" + message.replace("\"", "\\\"") + "\"}"));
  }

  private static WebTestClient.ResponseSpec post(WebTestClient client, String path,
      MediaType type, byte[] body) {
    return client.post().uri(path).contentType(type).bodyValue(body).exchange();
  }

  @Test
  @DisplayName("a form or a multipart part larger than the server takes answers 413 with a"
      + " {\"message\"}, the part's without naming the codecs' limit (not the one it went over):"
      + " Spring's exchange failed them with a 500; a body within the limits reads as sent")
  void aFormOrPartOverItsLimitAnswers413() {
    runner.withConfiguration(AutoConfigurations.of(ReactiveMultipartAutoConfiguration.class))
        .withPropertyValues("reactant.http.error-bodies.enabled=true",
            "spring.webflux.multipart.max-in-memory-size=512B").run(context -> {
              WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
              MediaType multipart = MediaType.parseMediaType("multipart/form-data;boundary=b0");
              for (int size : new int[] {700, 100}) {
                byte[] parts = ("--b0\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
                    + "n".repeat(size) + "\r\n--b0--\r\n").getBytes(UTF_8);
                WebTestClient.ResponseSpec answer = post(client, "/api/notes", multipart, parts);
                if (size > 512) {
                  says(answer, 413, "The request body, or one of its parts, is larger than this"
                      + " server takes");
                } else {
                  answer.expectStatus().isOk().expectBody(String.class).isEqualTo("n".repeat(size));
                }
              }
              says(post(client, "/api/form", MediaType.APPLICATION_FORM_URLENCODED,
                  ("note=" + "f".repeat(2_000)).getBytes(UTF_8)), 413,
                  "The request body is larger than the limit of 1024 bytes");
              post(client, "/api/form", MediaType.APPLICATION_FORM_URLENCODED,
                  "note=f".getBytes(UTF_8)).expectStatus().isOk().expectBody(String.class)
                  .isEqualTo("f");
            });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("a body over the codecs' limit read by a functional route's bodyToMono or by a"
      + " controller that joins it itself answers 413 with a {\"message\"} naming the limit, strict"
      + " input on or off, and logs no error (a client can repeat it); a limit the application"
      + " hits reading something else stays a 500; the actor endpoints' own 413 is unchanged")
  void aBodyOverTheLimitOfARouteOrItsOwnReadingAnswers413(CapturedOutput output) {
    for (String strict : new String[] {"false", "true"}) {
      runner.withUserConfiguration(ShopRoutes.class)
          .withPropertyValues("reactant.http.error-bodies.enabled=true",
              "reactant.http.strict-input.enabled=" + strict,
              "reactant.http.max-request-body=64B")
          .withConfiguration(AutoConfigurations.of(
              io.reactant.spring.boot.autoconfigure.ReactantStrictInputAutoConfiguration.class))
          .run(context -> {
            assertThat(context).hasNotFailed();
            int logged = output.getAll().length();
            WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
            byte[] big = ("{\"order\": \"" + "z".repeat(2_000) + "\"}").getBytes(UTF_8);
            says(post(client, "/api/routed", MediaType.APPLICATION_JSON, big), 413,
                "The request body is larger than the limit of 1024 bytes");
            says(post(client, "/api/raw", MediaType.APPLICATION_JSON, big), 413,
                "The request body is larger than the limit of 1024 bytes");
            // a form's body that a route reads as a text, not through the exchange's form
            says(post(client, "/api/routed-text", MediaType.APPLICATION_FORM_URLENCODED,
                ("note=" + "f".repeat(2_000)).getBytes(UTF_8)), 413,
                "The request body is larger than the limit of 1024 bytes");
            post(client, "/api/routed", MediaType.APPLICATION_JSON,
                "{\"order\": \"a\"}".getBytes(UTF_8)).expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"order\":\"a\"}");
            post(client, "/api/raw", MediaType.APPLICATION_JSON, "{}".getBytes(UTF_8))
                .expectStatus().isOk().expectBody(String.class).isEqualTo("2");
            post(client, "/actors/Counter/c1/bump", MediaType.APPLICATION_JSON,
                ("[\"" + "x".repeat(100) + "\"]").getBytes(UTF_8))
                .expectStatus().isEqualTo(413).expectBody().jsonPath("$.message")
                .isEqualTo("The request body is larger than the limit of 64 bytes"
                    + " (reactant.http.max-request-body)");
            assertThat(output.getAll().substring(logged)).doesNotContain("ERROR")
                .doesNotContain("DataBufferLimitException");
            post(client, "/api/elsewhere", MediaType.APPLICATION_JSON, "{}".getBytes(UTF_8))
                .expectStatus().isEqualTo(500);
          });
    }
  }

  @Test
  @DisplayName("with strict input a JSON body in a content coding (Content-Encoding: gzip), which"
      + " the server does not decode, is refused with 400 as the bytes that are not UTF-8 it is,"
      + " before the controller or route sees it; without strict input, Spring reads its coded"
      + " bytes as JSON")
  void aBodyInAContentCodingIsRefusedByStrictInput() throws java.io.IOException {
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(zipped)) {
      gzip.write("{\"order\": \"a\"}".getBytes(UTF_8));
    }
    for (String strict : new String[] {"true", "false"}) {
      runner.withUserConfiguration(ShopRoutes.class)
          .withPropertyValues("reactant.http.error-bodies.enabled=true",
              "reactant.http.strict-input.enabled=" + strict)
          .withConfiguration(AutoConfigurations.of(
              io.reactant.spring.boot.autoconfigure.ReactantStrictInputAutoConfiguration.class))
          .run(context -> {
            WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
            for (String path : new String[] {"/api/orders", "/api/routed"}) {
              WebTestClient.ResponseSpec answer = client.post().uri(path)
                  .contentType(MediaType.APPLICATION_JSON).header("Content-Encoding", "gzip")
                  .bodyValue(zipped.toByteArray()).exchange();
              if (strict.equals("true")) {
                says(answer, 400, "Invalid JSON body: The body is not valid UTF-8 (at byte 1)");
              } else {
                answer.expectStatus().isBadRequest().expectBody(String.class)
                    .value(body -> assertThat(body).doesNotContain("UTF-8"));
              }
            }
          });
    }
  }

  @Test
  @DisplayName("the application's client errors answer {\"message\"}: invalid JSON says where, a"
      + " binding names the field, a type mismatch or a validator's finding says no Java, and"
      + " 404, 405, 406, 413, 415 and a ResponseStatusException of 4xx say it in the client's"
      + " words")
  void clientErrorsAnswerTheMessageBody() {
    withClient("true", client -> {
      says(post(client, "/api/orders", MediaType.APPLICATION_JSON, "{\"order\": ".getBytes(UTF_8)),
          400, "Invalid JSON body: Unexpected end-of-input within/between Object entries");
      says(post(client, "/api/orders", MediaType.APPLICATION_JSON,
          "{\"order\": [1]}".getBytes(UTF_8)), 400, "Invalid JSON body at 'order': Expected a"
          + " string, got an array");
      says(post(client, "/api/payments", MediaType.APPLICATION_JSON,
          "{\"amount\": \"five\"}".getBytes(UTF_8)), 400, "Invalid JSON body at 'amount': Expected"
          + " a 64-bit integer, got a string (\"five\")");
      says(client.get().uri("/api/count?n=abc").exchange(), 400, "Type mismatch.");
      says(client.get().uri("/api/count").exchange(), 400,
          "Required query parameter 'n' is not present.");
      says(client.get().uri("/api/page?size=abc").exchange(), 400,
          "Invalid request: 'size' is invalid");
      says(client.post().uri("/api/validated").exchange(), 400,
          "Invalid request: 'order' must not be blank");
      says(client.get().uri("/nowhere/x").exchange(), 404, "No endpoint at /nowhere/x");
      WebTestClient.ResponseSpec wrongMethod = client.get().uri("/api/orders").exchange();
      wrongMethod.expectHeader().valueEquals("Allow", "POST");
      says(wrongMethod, 405, "Request method 'GET' is not supported.");
      says(client.post().uri("/api/orders").contentType(MediaType.APPLICATION_JSON)
          .accept(MediaType.TEXT_PLAIN).bodyValue("{\"order\": \"a\"}").exchange(), 406,
          "The response is application/json; accept it (Accept: application/json)");
      says(post(client, "/api/orders", MediaType.APPLICATION_JSON,
          ("{\"order\": \"" + "z".repeat(2_000) + "\"}").getBytes(UTF_8)), 413,
          "The request body is larger than the limit of 1024 bytes");
      says(post(client, "/api/orders", MediaType.TEXT_PLAIN, "order".getBytes(UTF_8)), 415,
          "Send the body as application/json");
      says(post(client, "/api/orders", MediaType.APPLICATION_FORM_URLENCODED,
          "order=a".getBytes(UTF_8)), 415, "Send the body as application/json");
      says(client.get().uri("/api/taken").exchange(), 409, "That name is taken");
    });
  }

  @Test
  @DisplayName("what is not the application's client error goes on: a 5xx or another exception to"
      + " Spring Boot's handler (whose body hides the message), a path no handler takes under the"
      + " actor endpoints' base path to the ingress's answer")
  void otherErrorsGoOn() {
    withClient("true", client -> {
      client.get().uri("/api/unavailable").exchange().expectStatus().isEqualTo(503)
          .expectBody(String.class).value(body -> assertThat(body).contains("\"status\":503")
              .doesNotContain("10.0.0.7"));
      client.get().uri("/api/bug").exchange().expectStatus().isEqualTo(500)
          .expectBody(String.class).value(body -> assertThat(body).contains("\"status\":500")
              .doesNotContain("secret"));
      client.post().uri("/actors/Counter/c1/bump/extra").exchange().expectStatus().isNotFound()
          .expectBody().jsonPath("$.message").value(String.class,
              m -> assertThat(m).startsWith("No actor endpoint at /actors/Counter/c1/bump/extra"));
    });
  }

  @Test
  @DisplayName("off by default: Spring Boot's error body answers the application's client errors")
  void offByDefault() {
    runner.run(context -> {
      assertThat(context).doesNotHaveBean(ApiErrorWebExceptionHandler.class);
      WebTestClient.bindToApplicationContext(context).build().get().uri("/api/count").exchange()
          .expectStatus().isBadRequest()
          .expectBody().jsonPath("$.status").isEqualTo(400).jsonPath("$.path").isEqualTo("/api/count");
    });
  }

  @Test
  @DisplayName("an application replaces it: its own @ControllerAdvice answers first, and a bean of"
      + " its own makes the starter's back off")
  void applicationReplacesIt() {
    runner.withPropertyValues("reactant.http.error-bodies.enabled=true")
        .withUserConfiguration(OwnAdvice.class).run(context -> {
          WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
          client.get().uri("/api/count").exchange().expectStatus().isOk()
              .expectBody().jsonPath("$.error").isEqualTo("mine");
          says(client.get().uri("/api/taken").exchange(), 409, "That name is taken");
        });
    ApiErrorWebExceptionHandler mine = new ApiErrorWebExceptionHandler(
        new tools.jackson.databind.json.JsonMapper(), null, 1);
    runner.withPropertyValues("reactant.http.error-bodies.enabled=true")
        .withBean(ApiErrorWebExceptionHandler.class, () -> mine)
        .run(context -> assertThat(context).getBean(ApiErrorWebExceptionHandler.class)
            .isSameAs(mine));
  }
}

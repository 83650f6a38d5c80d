package io.reactant.spring.boot.autoconfigure;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.TestActors.Gate;
import io.reactant.spring.boot.TestActors.GreeterActor;
import io.reactant.spring.boot.TestActors.Greetings;
import io.reactant.spring.boot.web.NotUtf8InputExceptionHandler;
import io.reactant.spring.boot.web.PercentEncodedPathFilter;
import io.reactant.spring.boot.web.Utf8FormDataFilter;
import io.reactant.spring.boot.web.Utf8FormReader;
import io.reactant.spring.boot.web.Utf8JsonDecoder;
import io.reactant.spring.boot.web.Utf8StringDecoder;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * The starter with {@code reactant.http.strict-input.enabled=false} on a real Reactor Netty
 * server: the application's own controllers read input as Spring and Jackson read it, none of
 * strict input's readers, filters or JSON settings installed, while the actor endpoints still
 * refuse what is not UTF-8, which is their own rule whatever the property.
 */
class StrictInputOffOnAServerTests {

  record Order(String order) {
  }

  /** An application's own controller: it answers what it read. */
  @RestController
  static class EchoController {

    @PostMapping("/api/notes")
    String note(@RequestBody String note) {
      return note;
    }

    @PostMapping("/api/orders")
    String order(@RequestBody Order order) {
      return order.order();
    }

    @GetMapping("/api/names/{name}")
    String name(@PathVariable String name) {
      return name;
    }

    @GetMapping("/api/search")
    String search(@RequestParam String q) {
      return q;
    }

    @PostMapping("/api/form")
    Mono<String> form(ServerWebExchange exchange) {
      return exchange.getFormData().map(form -> String.valueOf(form.getFirst("name")));
    }
  }

  /** An application with the starter, an actor that takes a text, and the controller. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({GreeterActor.class, EchoController.class})
  static class App {

    @Bean
    Greetings greetings() {
      return new Greetings("Hello, ");
    }

    @Bean
    Gate gate() {
      return new Gate();
    }
  }

  /** The bytes of {@code before}, then {@code middle}, then those of {@code after}. */
  private static byte[] bytes(String before, int[] middle, String after) {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(before.getBytes(UTF_8));
    for (int b : middle) {
      body.write(b);
    }
    body.writeBytes(after.getBytes(UTF_8));
    return body.toByteArray();
  }

  private static final int[] OVERLONG_SLASH = {0xC0, 0xAF};

  private static WebTestClient.ResponseSpec post(WebTestClient client, String path,
      MediaType type, byte[] body) {
    return client.post().uri(path).contentType(type).bodyValue(body).exchange();
  }

  private static void expectEcho(WebTestClient.ResponseSpec response, String echoed) {
    response.expectStatus().isOk().expectBody(String.class).isEqualTo(echoed);
  }

  @Test
  @DisplayName("R23 with reactant.http.strict-input.enabled=false on a Reactor Netty server, the"
      + " application's controllers get what Spring reads (U+FFFD for bytes not UTF-8 in a text,"
      + " a form, a path or a query, an overlong '/' in JSON, 42 as a text, the last of a field"
      + " given twice), no strict reader or filter installed, while the actor endpoints still"
      + " refuse a body or an id that is not UTF-8 with 400 {\"message\"}")
  void strictInputOffLeavesTheControllersAloneAndTheActorEndpointsStrict() {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.REACTIVE)
        .properties("server.port=0", "spring.main.banner-mode=off",
            "reactant.http.strict-input.enabled=false")
        .run()) {
      assertThat(context.getBeansOfType(Utf8JsonDecoder.class)).isEmpty();
      assertThat(context.getBeansOfType(Utf8FormReader.class)).isEmpty();
      assertThat(context.getBeansOfType(Utf8FormDataFilter.class)).isEmpty();
      assertThat(context.getBeansOfType(PercentEncodedPathFilter.class)).isEmpty();
      assertThat(context.getBeansOfType(NotUtf8InputExceptionHandler.class)).isEmpty();
      assertThat(context.containsBean("reactantStrictJson")).isFalse();
      assertThat(context.getBeansOfType(WebFilter.class).values())
          .noneMatch(filter -> filter.getClass().getPackageName()
              .equals(Utf8FormDataFilter.class.getPackageName()));
      assertThat(context.getBean(ServerCodecConfigurer.class).getReaders())
          .noneMatch(reader -> reader instanceof Utf8FormReader
              || reader instanceof org.springframework.http.codec.DecoderHttpMessageReader<?> d
              && (d.getDecoder() instanceof Utf8JsonDecoder
                  || d.getDecoder() instanceof Utf8StringDecoder));

      int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      String base = "http://localhost:" + port;
      WebTestClient client = WebTestClient.bindToServer().baseUrl(base).build();
      expectEcho(post(client, "/api/notes", MediaType.TEXT_PLAIN,
          bytes("a", OVERLONG_SLASH, "b")), "a\uFFFD\uFFFDb");
      expectEcho(post(client, "/api/orders", MediaType.APPLICATION_JSON,
          bytes("{\"order\": \"a", OVERLONG_SLASH, "b\"}")), "a/b");
      expectEcho(post(client, "/api/orders", MediaType.APPLICATION_JSON,
          "{\"order\": 42}".getBytes(UTF_8)), "42");
      expectEcho(post(client, "/api/orders", MediaType.APPLICATION_JSON,
          "{\"order\": \"a\", \"order\": \"b\"}".getBytes(UTF_8)), "b");
      expectEcho(post(client, "/api/form", MediaType.APPLICATION_FORM_URLENCODED,
          "name=caf%FF".getBytes(UTF_8)), "caf\uFFFD");
      expectEcho(client.get().uri(URI.create(base + "/api/names/caf%FF")).exchange(),
          "caf\uFFFD");
      expectEcho(client.get().uri(URI.create(base + "/api/search?q=x%FF")).exchange(),
          "x\uFFFD");

      // the actor endpoints hold to their own rules
      expectEcho(post(client, "/actors/Greeter/greeter/greet", MediaType.APPLICATION_JSON,
          "[\"Caf\u00e9\"]".getBytes(UTF_8)), "\"Hello, Caf\u00e9\"");
      post(client, "/actors/Greeter/greeter/greet", MediaType.APPLICATION_JSON,
          bytes("[\"a", OVERLONG_SLASH, "b\"]")).expectStatus().isBadRequest()
          .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
          .expectBody().jsonPath("$.message").value(String.class, m -> assertThat(m)
              .contains("UTF-8"));
      client.get().uri(URI.create(base + "/actors/Greeter/caf%FF/greeted")).exchange()
          .expectStatus().isBadRequest().expectBody().jsonPath("$.message")
          .value(String.class, m -> assertThat(m).contains("UTF-8"));
      client.get().uri("/actors/Greeter/greeter/greeted").exchange().expectStatus().isOk()
          .expectBody(Long.class).isEqualTo(1L);
    }
  }
}

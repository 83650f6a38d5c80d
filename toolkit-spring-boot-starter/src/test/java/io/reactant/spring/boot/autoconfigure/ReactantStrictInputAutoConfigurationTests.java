package io.reactant.spring.boot.autoconfigure;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.web.NotUtf8InputExceptionHandler;
import io.reactant.spring.boot.web.PercentEncodedPathFilter;
import io.reactant.spring.boot.web.Utf8FormDataFilter;
import io.reactant.spring.boot.web.Utf8FormReader;
import io.reactant.spring.boot.web.Utf8JsonDecoder;
import java.net.URI;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

class ReactantStrictInputAutoConfigurationTests {

  private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantWebFluxAutoConfiguration.class, ReactantStrictInputAutoConfiguration.class,
          JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
          WebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
          ErrorWebFluxAutoConfiguration.class))
      .withUserConfiguration(CounterActor.class, OrdersController.class);

  record Order(String order) {
  }

  /** The application's own controller: it answers what it read. */
  @RestController
  static class OrdersController {

    @PostMapping("/api/orders")
    Order order(@RequestBody Order order) {
      return order;
    }

    @PostMapping("/api/orders/stream")
    Flux<Order> orders(@RequestBody Flux<Order> orders) {
      return orders;
    }

    @GetMapping("/api/names/{name}")
    String name(@PathVariable String name) {
      return name;
    }

    @PostMapping("/api/notes")
    String note(@RequestBody String note) {
      return note;
    }

    @GetMapping("/api/search")
    String search(@RequestParam String q) {
      return q;
    }

    @PostMapping("/api/form")
    Mono<String> form(ServerWebExchange exchange) {
      return exchange.getFormData().map(form -> String.valueOf(form.getFirst("name")));
    }

    @PostMapping("/api/upload")
    String upload(@org.springframework.web.bind.annotation.RequestPart("name") String name) {
      return name;
    }

    @PostMapping("/api/parts")
    Mono<String> parts(ServerWebExchange exchange) {
      return exchange.getMultipartData().map(parts -> String.join(",", parts.keySet()));
    }

    @PostMapping("/api/file")
    Mono<Integer> file(@org.springframework.web.bind.annotation.RequestPart("file")
        org.springframework.http.codec.multipart.FilePart file) {
      return org.springframework.core.io.buffer.DataBufferUtils.join(file.content())
          .map(content -> {
            int length = content.readableByteCount();
            org.springframework.core.io.buffer.DataBufferUtils.release(content);
            return length;
          });
    }

    @PostMapping("/api/filename")
    String filename(@org.springframework.web.bind.annotation.RequestPart("file")
        org.springframework.http.codec.multipart.FilePart file) {
      return file.filename();
    }

    @RequestMapping(path = "/api/model", method = {RequestMethod.GET, RequestMethod.POST})
    String model(@ModelAttribute NameForm form) {
      return form.name();
    }
  }

  record NameForm(String name) {
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

  /** Whether this JDK's {@code URLDecoder} reads a '%' and two digits of another script. */
  private static boolean urlDecoderTakesOtherScriptsDigits() {
    try {
      java.net.URLDecoder.decode("%\uFF18\uFF10", UTF_8);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static final int[] OVERLONG_SLASH = {0xC0, 0xAF};

  private static WebTestClient.ResponseSpec post(WebTestClient client, String path, MediaType type,
      byte[] body) {
    return client.post().uri(path).contentType(type).bodyValue(body).exchange();
  }

  /**
   * Expects the input, not UTF-8, to reach the controller {@code altered} without strict input,
   * and with it to be refused with 400 and a {"message"} that contains {@code refusal}.
   */
  private static void alteredOrRefused(boolean strict, WebTestClient.ResponseSpec response,
      String altered, String refusal) {
    if (!strict) {
      response.expectStatus().isOk().expectBody(String.class).isEqualTo(altered);
      return;
    }
    response.expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_JSON)
        .expectBody().jsonPath("$.message").value(String.class, m -> assertThat(m)
            .contains(refusal).doesNotContain("Exception"));
  }

  private static WebTestClient.ResponseSpec get(WebTestClient client, String uri) {
    return client.get().uri(URI.create(uri)).exchange();
  }

  /** {"order": "a", C0 AF (an overlong '/'), "b"}. */
  private static byte[] overlongBody(boolean stream) {
    byte[] start = ((stream ? "[" : "") + "{\"order\": \"a").getBytes(UTF_8);
    byte[] end = ("b\"}" + (stream ? "]" : "")).getBytes(UTF_8);
    byte[] body = new byte[start.length + 2 + end.length];
    System.arraycopy(start, 0, body, 0, start.length);
    body[start.length] = (byte) 0xC0;
    body[start.length + 1] = (byte) 0xAF;
    System.arraycopy(end, 0, body, start.length + 2, end.length);
    return body;
  }

  private void withClient(String enabled, Consumer<WebTestClient> test) {
    runner.withPropertyValues("reactant.http.strict-input.enabled=" + enabled).run(context -> {
      assertThat(context).hasNotFailed();
      test.accept(WebTestClient.bindToApplicationContext(context).build());
    });
  }

  private static WebTestClient.ResponseSpec post(WebTestClient client, String path, byte[] body) {
    return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
        .exchange();
  }

  @Test
  @DisplayName("strict input is off by default: no decoder, filter or JSON customizer of the"
      + " starter's, and the application's controllers read as Spring reads")
  void strictInputIsOffByDefault() {
    runner.run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(Utf8JsonDecoder.class).doesNotHaveBean(PercentEncodedPathFilter.class)
        .doesNotHaveBean(Utf8FormReader.class).doesNotHaveBean(Utf8FormDataFilter.class)
        .doesNotHaveBean(NotUtf8InputExceptionHandler.class)
        .doesNotHaveBean("reactantStrictJson").doesNotHaveBean("reactantUtf8JsonCodec"));
    withClient("false", client -> {
      // what the feature refuses reaches the controller
      post(client, "/api/orders", "{\"order\": 42}".getBytes(UTF_8)).expectStatus().isOk()
          .expectBody().jsonPath("$.order").isEqualTo("42");
      post(client, "/api/orders", "{\"order\": \"A\", \"order\": \"B\"}".getBytes(UTF_8))
          .expectStatus().isOk();
      post(client, "/api/orders", overlongBody(false)).expectStatus().isOk()
          .expectBody().jsonPath("$.order").isEqualTo("a/b");
      client.get().uri(URI.create("/api/names/x%FF")).exchange().expectStatus().isOk()
          .expectBody(String.class).isEqualTo("x\uFFFD");
    });
  }

  @Test
  @DisplayName("R23 with reactant.http.strict-input.enabled the application's own controller"
      + " refuses with 400 a body that is not UTF-8 (whole or a stream of values), a field given"
      + " twice, a number as a text, and a path not UTF-8 or not percent-encoded; the server has"
      + " one JSON reader, the starter's")
  void strictInputRefusesWhatTheActorEndpointsRefuse() {
    runner.withPropertyValues("reactant.http.strict-input.enabled=true").run(context -> {
      // the server reads JSON with the starter's decoder alone: Spring Boot's is replaced
      assertThat(context.getBean(org.springframework.http.codec.ServerCodecConfigurer.class)
          .getReaders().stream()
          .filter(r -> r instanceof org.springframework.http.codec.DecoderHttpMessageReader<?> d
              && d.getDecoder() instanceof org.springframework.http.codec.AbstractJacksonDecoder)
          .<org.springframework.core.codec.Decoder<?>>map(
              r -> ((org.springframework.http.codec.DecoderHttpMessageReader<?>) r).getDecoder())
          .filter(d -> d.canDecode(org.springframework.core.ResolvableType.forClass(Order.class),
              MediaType.APPLICATION_JSON)).<Object>map(d -> d).toList())
          .containsExactly(context.getBean(Utf8JsonDecoder.class));
    });
    withClient("true", client -> {
      post(client, "/api/orders", overlongBody(false)).expectStatus().isBadRequest();
      post(client, "/api/orders/stream", overlongBody(true)).expectStatus().isBadRequest();
      post(client, "/api/orders", "{\"order\": \"A\", \"order\": \"B\"}".getBytes(UTF_8))
          .expectStatus().isBadRequest();
      post(client, "/api/orders", "{\"order\": 42}".getBytes(UTF_8)).expectStatus()
          .isBadRequest();
      for (String path : new String[] {"/api/names/x%FF", "/api/names/%C0%AF",
          "/api/names/caf\u00e9"}) {
        client.get().uri(URI.create(path)).exchange().expectStatus().isBadRequest()
            .expectHeader().contentType(MediaType.APPLICATION_JSON)
            .expectBody().jsonPath("$.message").value(String.class, m -> assertThat(m)
                .as(path).contains("percent-encode the UTF-8 bytes"));
      }
      // valid input still reads as sent
      post(client, "/api/orders", "{\"order\": \"Caf\u00e9 \uD83D\uDE00\"}".getBytes(UTF_8))
          .expectStatus().isOk().expectBody().jsonPath("$.order")
          .isEqualTo("Caf\u00e9 \uD83D\uDE00");
      client.get().uri(URI.create("/api/names/caf%C3%A9")).exchange().expectStatus().isOk()
          .expectBody(String.class).isEqualTo("caf\u00e9");
      // the actor endpoints' paths are left to them, which say it of the actor id
      client.post().uri(URI.create("/actors/Counter/%FF/bump")).exchange().expectStatus()
          .isBadRequest()
          .expectBody().jsonPath("$.message").value(String.class, m -> assertThat(m)
              .startsWith("The actor id is not UTF-8"));
    });
  }

  @Test
  @DisplayName("R23 a query parameter that is not UTF-8 once percent-decoded, or with a character"
      + " not percent-encoded, reaches the controller as U+FFFD (or as ISO-8859-1) without strict"
      + " input, and with it is refused with 400 {\"message\"}; one in UTF-8 reads as sent")
  void queryNotUtf8IsRefusedWithStrictInput() {
    for (boolean strict : new boolean[] {false, true}) {
      withClient(String.valueOf(strict), client -> {
        alteredOrRefused(strict, get(client, "/api/search?q=x%FF"), "x\uFFFD",
            "The query is not UTF-8 once percent-decoded");
        alteredOrRefused(strict, get(client, "/api/model?name=%ED%A0%80"), "\uFFFD",
            "The query is not UTF-8 once percent-decoded");
        alteredOrRefused(strict, get(client, "/api/search?q=%C3&x=%A9"), "\uFFFD",
            "The query is not UTF-8 once percent-decoded");
        // a raw character: the server reads the request line as ISO-8859-1 (the test's does not)
        alteredOrRefused(strict, get(client, "/api/search?q=caf\u00e9"), "caf\u00e9",
            "The query holds characters that are not percent-encoded");
        get(client, "/api/search?q=Caf%C3%A9+%F0%9F%98%80").expectStatus().isOk()
            .expectBody(String.class).isEqualTo("Caf\u00e9 \uD83D\uDE00");
      });
    }
  }

  @Test
  @DisplayName("R23 a text body (@RequestBody String, any media type) that is not valid UTF-8"
      + " reaches the controller with U+FFFD without strict input, and with it is refused with 400"
      + " {\"message\"}; one in UTF-8, or in a charset its Content-Type names, reads as sent")
  void textBodyNotUtf8IsRefusedWithStrictInput() {
    for (boolean strict : new boolean[] {false, true}) {
      withClient(String.valueOf(strict), client -> {
        alteredOrRefused(strict, post(client, "/api/notes", MediaType.TEXT_PLAIN,
            bytes("a", OVERLONG_SLASH, "b")), "a\uFFFD\uFFFDb",
            "The body is not valid UTF-8 (at byte 1)");
        alteredOrRefused(strict, post(client, "/api/notes", MediaType.APPLICATION_OCTET_STREAM,
            bytes("ab", new int[] {0xE2, 0x82}, "")), "ab\uFFFD",
            "The body is not valid UTF-8 (at byte 2)");
        post(client, "/api/notes", MediaType.TEXT_PLAIN, "Caf\u00e9 \uD83D\uDE00".getBytes(UTF_8))
            .expectStatus().isOk().expectBody(String.class).isEqualTo("Caf\u00e9 \uD83D\uDE00");
        post(client, "/api/notes", MediaType.parseMediaType("text/plain;charset=ISO-8859-1"),
            new byte[] {'C', 'a', 'f', (byte) 0xE9}).expectStatus().isOk()
            .expectBody(String.class).isEqualTo("Caf\u00e9");
        // a charset Java does not know: Spring's 415, not a 500 (asserted so: see above)
        assertThat(post(client, "/api/notes", "text/plain;charset=no-such-charset",
            "a".getBytes(UTF_8)).expectBody(String.class).returnResult().getStatus().value())
            .isEqualTo(415);
      });
    }
  }

  @Test
  @DisplayName("R23 a form (getFormData, @ModelAttribute) whose bytes, as sent or percent-decoded,"
      + " are not UTF-8 reaches the controller with U+FFFD without strict input, and with it is"
      + " refused with 400 {\"message\"}; one in UTF-8 reads as sent")
  void formNotUtf8IsRefusedWithStrictInput() {
    MediaType form = MediaType.APPLICATION_FORM_URLENCODED;
    for (boolean strict : new boolean[] {false, true}) {
      withClient(String.valueOf(strict), client -> {
        String refusal = "The form is not UTF-8 once percent-decoded";
        alteredOrRefused(strict, post(client, "/api/form", form,
            bytes("name=caf", new int[] {0xFF}, "")), "caf\uFFFD", refusal);
        alteredOrRefused(strict, post(client, "/api/form", form,
            "name=caf%FF".getBytes(UTF_8)), "caf\uFFFD", refusal);
        alteredOrRefused(strict, post(client, "/api/form", form,
            "name=%C3&x=%A9".getBytes(UTF_8)), "\uFFFD", refusal);
        alteredOrRefused(strict, post(client, "/api/model", form,
            "name=%C0%AF".getBytes(UTF_8)), "\uFFFD\uFFFD", refusal);
        // a '%' and two digits of another script are a byte to Spring's reader where the JDK's
        // URLDecoder takes them (17: %\uFF18\uFF10 is 80), a malformed escape where it does not
        // (25: Spring's reader throws, a 500 without strict input); strict input refuses it
        byte[] otherDigits = "name=%\uFF18\uFF10".getBytes(UTF_8);
        if (strict || urlDecoderTakesOtherScriptsDigits()) {
          alteredOrRefused(strict, post(client, "/api/model", form, otherDigits), "\uFFFD",
              refusal);
        } else {
          post(client, "/api/model", form, otherDigits).expectStatus().is5xxServerError();
        }
        for (String valid : new String[] {"name=Caf%C3%A9+%F0%9F%98%80",
            "name=Caf\u00e9+\uD83D\uDE00"}) {
          post(client, "/api/form", form, valid.getBytes(UTF_8)).expectStatus().isOk()
              .expectBody(String.class).isEqualTo("Caf\u00e9 \uD83D\uDE00");
        }
        post(client, "/api/model", form, "name=a%2Fb".getBytes(UTF_8)).expectStatus().isOk()
            .expectBody(String.class).isEqualTo("a/b");
        // a form in the charset it names is valid there, percent-encoded or not: read as sent
        MediaType cp1252 = MediaType.parseMediaType(
            MediaType.APPLICATION_FORM_URLENCODED_VALUE + ";charset=windows-1252");
        for (String path : new String[] {"/api/form", "/api/model"}) {
          post(client, path, cp1252, bytes("name=caf", new int[] {0xE9}, "+%80")).expectStatus()
              .isOk().expectBody(String.class).isEqualTo("caf\u00e9 \u20ac");
          post(client, path, cp1252, "name=caf%E9".getBytes(UTF_8)).expectStatus().isOk()
              .expectBody(String.class).isEqualTo("caf\u00e9");
        }
        // a charset named, or another type whose name begins as a form's (no form: no fields)
        post(client, "/api/form", MediaType.parseMediaType(
                MediaType.APPLICATION_FORM_URLENCODED_VALUE + "; charset=UTF-8"),
            "name=Caf%C3%A9".getBytes(UTF_8)).expectStatus().isOk().expectBody(String.class)
            .isEqualTo("Caf\u00e9");
        post(client, "/api/form", MediaType.parseMediaType(
                MediaType.APPLICATION_FORM_URLENCODED_VALUE + "-x"), "name=a".getBytes(UTF_8))
            .expectStatus().isOk().expectBody(String.class).isEqualTo("null");
      });
    }
  }

  /** A POST whose Content-Type header is {@code type} as it is (not parsed by the client). */
  private static WebTestClient.ResponseSpec post(WebTestClient client, String path, String type,
      byte[] body) {
    return client.post().uri(path).header(org.springframework.http.HttpHeaders.CONTENT_TYPE, type)
        .body((message, context) -> message.writeWith(
            Mono.just(message.bufferFactory().wrap(body)))).exchange();
  }

  @Test
  @DisplayName("R23 strict input takes for a form what Spring reads as one: a form whose"
      + " Content-Type has a tab before its charset is refused when not UTF-8; one whose charset"
      + " Java does not know (no form to Spring, which reads no field: its fields silently lost)"
      + " is refused with 415 by strict input, not read as empty nor answered with a 500")
  void strictInputReadsAsAFormWhatSpringReadsAsOne() {
    for (boolean strict : new boolean[] {false, true}) {
      withClient(String.valueOf(strict), client -> {
        alteredOrRefused(strict, post(client, "/api/form",
            MediaType.APPLICATION_FORM_URLENCODED_VALUE + "\t;charset=UTF-8",
            "name=caf%FF".getBytes(UTF_8)), "caf\uFFFD",
            "The form is not UTF-8 once percent-decoded");
        post(client, "/api/form", MediaType.APPLICATION_FORM_URLENCODED_VALUE + "\t",
            "name=caf%C3%A9".getBytes(UTF_8)).expectStatus().isOk().expectBody(String.class)
            .isEqualTo("caf\u00e9");
        // (asserted so: the client's diagnostics of a failure would parse the Content-Type)
        for (String path : new String[] {"/api/form", "/api/model"}) {
          var noForm = post(client, path, MediaType.APPLICATION_FORM_URLENCODED_VALUE
              + ";charset=no-such-charset", "name=a".getBytes(UTF_8)).expectBody(String.class)
              .returnResult();
          assertThat(noForm.getStatus().value()).as(path).isEqualTo(strict ? 415 : 200);
          if (strict) {
            assertThat(noForm.getResponseBody()).as(path).contains("Unsupported Media Type");
          }
        }
      });
    }
  }

  @Test
  @DisplayName("R23 with error bodies on too, a form or multipart request whose Content-Type does"
      + " not parse is strict input's 415 with its reason, and a text body's is Spring's reason:"
      + " the error-body handler told a form's sender to 'Send the body as application/json'")
  void aContentTypeThatDoesNotParseIsSaidSoWithErrorBodies() {
    runner.withPropertyValues("reactant.http.strict-input.enabled=true",
        "reactant.http.error-bodies.enabled=true").run(context -> {
          assertThat(context).hasNotFailed();
          WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
          String form = MediaType.APPLICATION_FORM_URLENCODED_VALUE + ";charset=no-such-charset";
          String multipart = "multipart/form-data;boundary=b0undary;charset=no-such-charset";
          byte[] parts = ("--b0undary\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx"
              + "\r\n--b0undary--\r\n").getBytes(UTF_8);
          for (Object[] sent : new Object[][] {
              {"/api/form", form, "name=a".getBytes(UTF_8), "form"},
              {"/api/model", form, "name=a".getBytes(UTF_8), "form"},
              {"/api/parts", multipart, parts, "multipart body"}}) {
            post(client, (String) sent[0], (String) sent[1], (byte[]) sent[2]).expectStatus()
                .isEqualTo(415).expectBody().jsonPath("$.message").value(String.class, m ->
                    assertThat(m).as((String) sent[0]).startsWith("The " + sent[3] + "'s"
                        + " Content-Type is not a media type, or names a charset this server does"
                        + " not know").contains("no-such-charset"));
          }
          post(client, "/api/notes", "text/plain;charset=no-such-charset", "a".getBytes(UTF_8))
              .expectStatus().isEqualTo(415).expectBody().jsonPath("$.message")
              .value(String.class, m -> assertThat(m).contains("no-such-charset"));
        });
  }

  @Test
  @DisplayName("R23 valid input reads as without strict input: an empty form (no field), a form"
      + " with '+' and %2B, a multipart request's text part, a query with '+' and %2B")
  void validFormsMultipartAndQueriesReadAsSent() {
    for (boolean strict : new boolean[] {false, true}) {
      withClient(String.valueOf(strict), client -> {
        post(client, "/api/form", MediaType.APPLICATION_FORM_URLENCODED, new byte[0])
            .expectStatus().isOk().expectBody(String.class).isEqualTo("null");
        post(client, "/api/form", MediaType.APPLICATION_FORM_URLENCODED,
            "name=a+b%2Bc".getBytes(UTF_8)).expectStatus().isOk().expectBody(String.class)
            .isEqualTo("a b+c");
        org.springframework.http.client.MultipartBodyBuilder parts =
            new org.springframework.http.client.MultipartBodyBuilder();
        parts.part("name", "Caf\u00e9 \uD83D\uDE00");
        client.post().uri("/api/upload").bodyValue(parts.build()).exchange().expectStatus()
            .isOk().expectBody(String.class).isEqualTo("Caf\u00e9 \uD83D\uDE00");
        get(client, "/api/search?q=a+b%2Bc").expectStatus().isOk().expectBody(String.class)
            .isEqualTo("a b+c");
      });
    }
  }

  /** A multipart/form-data body of one part, whose name and content are these bytes. */
  private static WebTestClient.ResponseSpec postPart(WebTestClient client, String path,
      byte[] name, String headers, byte[] content) {
    byte[] body = bytes("--b0undary\r\nContent-Disposition: form-data; name=\"", new int[0], "");
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    all.writeBytes(body);
    all.writeBytes(name);
    all.writeBytes(("\"" + headers + "\r\n\r\n").getBytes(UTF_8));
    all.writeBytes(content);
    all.writeBytes("\r\n--b0undary--\r\n".getBytes(UTF_8));
    return post(client, path, MediaType.parseMediaType("multipart/form-data;boundary=b0undary"),
        all.toByteArray());
  }

  @Test
  @DisplayName("R23 a multipart text part (@RequestPart String, getMultipartData, @ModelAttribute)"
      + " whose value or name is not valid UTF-8 reaches the controller with U+FFFD without strict"
      + " input, and with it is refused with 400 {\"message\"} (a U+FFFD sent too, which it"
      + " stands for); a file part's bytes, binary, and a text part in UTF-8 or in the charset it"
      + " names read as sent; with a Content-Type that does not parse (no parts to Spring), 415")
  void multipartTextPartNotUtf8IsRefusedWithStrictInput() {
    byte[] name = "name".getBytes(UTF_8);
    for (boolean strict : new boolean[] {false, true}) {
      withClient(String.valueOf(strict), client -> {
        String refusal = "not valid UTF-8";
        for (String path : new String[] {"/api/upload", "/api/model"}) {
          alteredOrRefused(strict, postPart(client, path, name, "",
              bytes("caf", OVERLONG_SLASH, "")), "caf\uFFFD\uFFFD", refusal);
          postPart(client, path, name, "", "caf\u00e9 \uD83D\uDE00".getBytes(UTF_8))
              .expectStatus().isOk().expectBody(String.class).isEqualTo("caf\u00e9 \uD83D\uDE00");
          postPart(client, path, name, "\r\nContent-Type: text/plain;charset=ISO-8859-1",
              new byte[] {'c', 'a', 'f', (byte) 0xE9}).expectStatus().isOk()
              .expectBody(String.class).isEqualTo("caf\u00e9");
        }
        // Spring's reader decodes a part before strict input sees it: a U+FFFD the client sent
        // is refused as the malformed bytes it stands for
        alteredOrRefused(strict, postPart(client, "/api/upload", name, "",
            "a\uFFFD".getBytes(UTF_8)), "a\uFFFD", refusal);
        alteredOrRefused(strict, postPart(client, "/api/parts", bytes("na", new int[] {0xFF},
            "me"), "", "x".getBytes(UTF_8)), "na\uFFFDme", refusal);
        postPart(client, "/api/parts", "caf\u00e9".getBytes(UTF_8), "", "x".getBytes(UTF_8))
            .expectStatus().isOk().expectBody(String.class).isEqualTo("caf\u00e9");
        // a Content-Type that does not parse: Spring reads no part (the fields silently lost)
        var noParts = post(client, "/api/parts", "multipart/form-data;boundary=b0undary;"
            + "charset=no-such-charset", ("--b0undary\r\nContent-Disposition: form-data;"
            + " name=\"name\"\r\n\r\nx\r\n--b0undary--\r\n").getBytes(UTF_8))
            .expectBody(String.class).returnResult();
        assertThat(noParts.getStatus().value()).isEqualTo(strict ? 415 : 200);
        // a file part is binary: its bytes are not text
        postPart(client, "/api/file", "file".getBytes(UTF_8), "; filename=\"f.bin\"\r\n"
            + "Content-Type: application/octet-stream", new byte[] {(byte) 0xFF, (byte) 0xC0, 0})
            .expectStatus().isOk().expectBody(Integer.class).isEqualTo(3);
      });
    }
  }

  /**
   * A multipart/form-data body of one file part whose Content-Disposition has these bytes after
   * its name, posted to the controller that answers the part's file name.
   */
  private static WebTestClient.ResponseSpec postFileNamed(WebTestClient client, byte[] fileName) {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    all.writeBytes("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; ".getBytes(UTF_8));
    all.writeBytes(fileName);
    all.writeBytes(("\r\nContent-Type: application/octet-stream\r\n\r\nxyz\r\n--b0undary--\r\n")
        .getBytes(UTF_8));
    return post(client, "/api/filename",
        MediaType.parseMediaType("multipart/form-data;boundary=b0undary"), all.toByteArray());
  }

  @Test
  @DisplayName("R23 a multipart file part whose file name (FilePart.filename()) is not text, its"
      + " bytes not UTF-8 as sent or in filename*=UTF-8'' (which Spring reads as U+FFFD), or a"
      + " control character, reaches the controller so without strict input, and with it is"
      + " refused with 400 {\"message\"}; a file name in UTF-8 reads as sent, path separators"
      + " included (the application's to judge, as Spring leaves them)")
  void multipartFileNameNotTextIsRefusedWithStrictInput() {
    for (boolean strict : new boolean[] {false, true}) {
      withClient(String.valueOf(strict), client -> {
        String refusal = "A part's file name is not text";
        alteredOrRefused(strict, postFileNamed(client, bytes("filename=\"caf", new int[] {0xFF},
            ".txt\"")), "caf\uFFFD.txt", refusal);
        alteredOrRefused(strict, postFileNamed(client, "filename*=UTF-8''caf%FF.txt"
            .getBytes(UTF_8)), "caf\uFFFD.txt", refusal);
        alteredOrRefused(strict, postFileNamed(client, bytes("filename=\"a", new int[] {0xEF,
            0xBF, 0xBD}, "\"")), "a\uFFFD", refusal);
        alteredOrRefused(strict, postFileNamed(client, "filename*=UTF-8''a%0Ab".getBytes(UTF_8)),
            "a\nb", refusal);
        alteredOrRefused(strict, postFileNamed(client, bytes("filename=\"a", new int[] {0x01},
            "b\"")), "a\u0001b", refusal);
        alteredOrRefused(strict, postFileNamed(client, "filename*=UTF-8''a%C2%85b"
            .getBytes(UTF_8)), "a\u0085b", refusal);
        for (String valid : new String[] {"filename=\"caf\u00e9 \uD83D\uDE00.txt\"",
            "filename*=UTF-8''caf%C3%A9%20%F0%9F%98%80.txt"}) {
          postFileNamed(client, valid.getBytes(UTF_8)).expectStatus().isOk()
              .expectBody(String.class).isEqualTo("caf\u00e9 \uD83D\uDE00.txt");
        }
        postFileNamed(client, "filename=\"../a\\\\b.txt\"".getBytes(UTF_8)).expectStatus().isOk()
            .expectBody(String.class).isEqualTo("../a\\b.txt");
      });
    }
  }

  @Test
  @DisplayName("R23 with strict input a multipart part whose Content-Disposition does not parse (a"
      + " filename* with a '%' that is no escape, or in a charset other than UTF-8 and"
      + " ISO-8859-1, or one Java does not know) is refused with 400 {\"message\"}: Spring's"
      + " reader threw, and the client got a 500")
  void strictInputRefusesAPartWhoseContentDispositionDoesNotParse() {
    withClient("true", client -> {
      for (String fileName : new String[] {"filename*=UTF-8''caf%zz.txt",
          "filename*=windows-1252''caf%E9.txt", "filename*=x-no-such''caf.txt"}) {
        postFileNamed(client, fileName.getBytes(UTF_8)).expectStatus().isBadRequest()
            .expectHeader().contentType(MediaType.APPLICATION_JSON).expectBody()
            .jsonPath("$.message").value(String.class, m -> assertThat(m).as(fileName)
                .startsWith("A part's headers do not parse"));
      }
      postFileNamed(client, "filename*=ISO-8859-1''caf%E9.txt".getBytes(UTF_8)).expectStatus()
          .isOk().expectBody(String.class).isEqualTo("caf\u00e9.txt");
    });
  }

  @Test
  @DisplayName("R23 a text body, a form or a multipart text part in a charset its Content-Type"
      + " names with bytes that charset has no character for (windows-1252 0x81, US-ASCII 0xE9)"
      + " reaches the controller with U+FFFD without strict input, and with it is refused with"
      + " 400 {\"message\"}, as malformed UTF-8 is; text in that charset reads as sent")
  void inputNotInTheCharsetItNamesIsRefusedWithStrictInput() {
    MediaType text = MediaType.parseMediaType("text/plain;charset=windows-1252");
    MediaType form = MediaType.parseMediaType(
        MediaType.APPLICATION_FORM_URLENCODED_VALUE + ";charset=windows-1252");
    for (boolean strict : new boolean[] {false, true}) {
      withClient(String.valueOf(strict), client -> {
        alteredOrRefused(strict, post(client, "/api/notes", text, bytes("caf", new int[] {0x81},
            "")), "caf\uFFFD", "The body is not valid windows-1252 (at byte 3)");
        alteredOrRefused(strict, post(client, "/api/notes",
            MediaType.parseMediaType("text/plain;charset=US-ASCII"), bytes("ab", new int[] {0xE9},
            "")), "ab\uFFFD", "The body is not valid US-ASCII (at byte 2)");
        post(client, "/api/notes", text, bytes("caf", new int[] {0xE9, 0x80}, "")).expectStatus()
            .isOk().expectBody(String.class).isEqualTo("caf\u00e9\u20ac");
        String refusal = "The form is not windows-1252";
        for (String path : new String[] {"/api/form", "/api/model"}) {
          alteredOrRefused(strict, post(client, path, form, bytes("name=caf", new int[] {0x81},
              "")), "caf\uFFFD", refusal);
          alteredOrRefused(strict, post(client, path, form, "name=caf%81".getBytes(UTF_8)),
              "caf\uFFFD", refusal);
          post(client, path, form, bytes("name=caf", new int[] {0xE9}, "+%80")).expectStatus()
              .isOk().expectBody(String.class).isEqualTo("caf\u00e9 \u20ac");
        }
        // a text part's value holds U+FFFD; @RequestPart String reads the part's bytes as Spring
        // encodes that value again in its charset, which has no U+FFFD either: "caf?"
        byte[] name = "name".getBytes(UTF_8);
        for (String path : new String[] {"/api/upload", "/api/model"}) {
          alteredOrRefused(strict, postPart(client, path, name,
              "\r\nContent-Type: text/plain;charset=windows-1252", bytes("caf", new int[] {0x81},
              "")), path.equals("/api/upload") ? "caf?" : "caf\uFFFD", "not valid");
          postPart(client, path, name, "\r\nContent-Type: text/plain;charset=windows-1252",
              bytes("caf", new int[] {0xE9}, "")).expectStatus().isOk().expectBody(String.class)
              .isEqualTo("caf\u00e9");
        }
      });
    }
  }

  @Test
  @DisplayName("R23 with strict input a form with a '%' that is no escape (%zz, %A at its end,"
      + " %-1) is refused with 400 {\"message\"}, in UTF-8 or another charset: Spring's reader"
      + " threw, and the client got a 500")
  void strictInputRefusesAFormWithAMalformedEscape() {
    withClient("true", client -> {
      for (String type : new String[] {"", ";charset=ISO-8859-1"}) {
        for (String body : new String[] {"name=a%zz", "a=1&name=a%A", "name=%-1"}) {
          post(client, "/api/model", MediaType.parseMediaType(
                  MediaType.APPLICATION_FORM_URLENCODED_VALUE + type), body.getBytes(UTF_8))
              .expectStatus().isBadRequest().expectHeader()
              .contentType(MediaType.APPLICATION_JSON).expectBody().jsonPath("$.message")
              .value(String.class, m -> assertThat(m).as(body + type)
                  .startsWith("The form holds a '%' that is not followed by two hexadecimal"));
        }
      }
    });
  }

  @Test
  @DisplayName("R23 strict input holds under a server base path, in functional routes too (their"
      + " JSON bodies and forms), and keeps Spring Boot's codec limit"
      + " (spring.http.codecs.max-in-memory-size: a controller answers 413 above it)")
  void strictInputHoldsUnderABasePathInRoutesAndKeepsTheCodecLimit() {
    runner.withPropertyValues("reactant.http.strict-input.enabled=true",
            "spring.webflux.base-path=/app", "spring.http.codecs.max-in-memory-size=200B")
        .withUserConfiguration(OrdersRoute.class).run(context -> {
          assertThat(context).hasNotFailed();
          WebTestClient client = WebTestClient.bindToServer(new org.springframework.test.web
              .reactive.server.HttpHandlerConnector(context.getBean(
                  org.springframework.http.server.reactive.HttpHandler.class))).build();
          for (String path : new String[] {"/app/api/orders", "/app/api/route"}) {
            post(client, path, overlongBody(false)).expectStatus().isBadRequest();
            post(client, path, "{\"order\": 42}".getBytes(UTF_8)).expectStatus().isBadRequest();
            post(client, path, "{\"order\": \"Caf\u00e9\"}".getBytes(UTF_8)).expectStatus().isOk()
                .expectBody().jsonPath("$.order").isEqualTo("Caf\u00e9");
          }
          // as without strict input (a functional route answers Spring's 500 for it, either way)
          post(client, "/app/api/orders", ("{\"order\": \"" + "x".repeat(300) + "\"}")
              .getBytes(UTF_8)).expectStatus().isEqualTo(413);
          // a route's formData() reads the form strictly too
          post(client, "/app/api/route/form", MediaType.APPLICATION_FORM_URLENCODED,
              "name=caf%FF".getBytes(UTF_8)).expectStatus().isBadRequest().expectBody()
              .jsonPath("$.message").value(String.class, m -> assertThat(m)
                  .startsWith("The form is not UTF-8 once percent-decoded"));
          post(client, "/app/api/route/form", MediaType.APPLICATION_FORM_URLENCODED,
              "name=caf%C3%A9".getBytes(UTF_8)).expectStatus().isOk().expectBody(String.class)
              .isEqualTo("caf\u00e9");
          assertThat(context.getBean(Utf8FormReader.class).getMaxInMemorySize()).isEqualTo(200);
          // a text body too (the strict reader of text is given the limit)
          post(client, "/app/api/notes", MediaType.TEXT_PLAIN, "x".repeat(300).getBytes(UTF_8))
              .expectStatus().isEqualTo(413);
          client.get().uri(URI.create("/app/api/names/x%FF")).exchange().expectStatus()
              .isBadRequest().expectBody().jsonPath("$.message").value(String.class,
                  m -> assertThat(m).contains("percent-encode the UTF-8 bytes"));
          client.post().uri(URI.create("/app/actors/Counter/%FF/bump")).exchange().expectStatus()
              .isBadRequest().expectBody().jsonPath("$.message").value(String.class,
                  m -> assertThat(m).startsWith("The actor id is not UTF-8"));
        });
  }

  @Test
  @DisplayName("R23 strict input's form filter runs before Spring Security's CSRF check, which"
      + " reads the token from the form it gives: a form not UTF-8 is refused with 400"
      + " {\"message\"} whatever its token, right, wrong or missing (the check reads the form to"
      + " look for it), a request with no token expected (no cookie) is the check's 403 first, and"
      + " a valid form is read once, by the check and the handler alike; the path filter runs after"
      + " the chain")
  void strictInputsFormFilterRunsBeforeTheCsrfCheck() {
    for (boolean strict : new boolean[] {false, true}) {
      runner.withUserConfiguration(CsrfChecked.class)
          .withPropertyValues("reactant.http.strict-input.enabled=" + strict).run(context -> {
            assertThat(context).hasNotFailed();
            WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
            java.util.function.BiFunction<String, String, WebTestClient.ResponseSpec> form =
                (cookie, body) -> {
                  WebTestClient.RequestBodySpec request = client.post().uri("/api/form")
                      .contentType(MediaType.APPLICATION_FORM_URLENCODED);
                  if (cookie != null) {
                    request.cookie("XSRF-TOKEN", cookie);
                  }
                  return request.bodyValue(body.getBytes(UTF_8)).exchange();
                };
            String refusal = "The form is not UTF-8 once percent-decoded";
            alteredOrRefused(strict, form.apply("t0ken", "_csrf=t0ken&name=caf%FF"), "caf\uFFFD",
                refusal);
            if (strict) { // without strict input the check finds no token or a wrong one: 403
              alteredOrRefused(true, form.apply("t0ken", "name=caf%FF"), null, refusal);
              alteredOrRefused(true, form.apply("t0ken", "_csrf=other&name=caf%FF"), null,
                  refusal);
            }
            form.apply(null, "_csrf=t0ken&name=caf%FF").expectStatus().isForbidden();
            form.apply("t0ken", "_csrf=other&name=caf%C3%A9").expectStatus().isForbidden();
            form.apply("t0ken", "_csrf=t0ken&name=caf%C3%A9").expectStatus().isOk()
                .expectBody(String.class).isEqualTo("caf\u00e9");
            // the path filter runs after Spring Security's chain: the check refuses first
            client.post().uri(URI.create("/api/names/x%FF")).exchange().expectStatus()
                .isForbidden();
          });
    }
  }

  /** Spring Security's CSRF check, in a chain at the order Spring Security gives its own. */
  @Configuration(proxyBeanMethods = false)
  static class CsrfChecked {
    @Bean
    @org.springframework.core.annotation.Order(-100)
    org.springframework.security.web.server.WebFilterChainProxy csrfChain() {
      org.springframework.security.web.server.csrf.CsrfWebFilter csrf =
          new org.springframework.security.web.server.csrf.CsrfWebFilter();
      csrf.setCsrfTokenRepository(org.springframework.security.web.server.csrf
          .CookieServerCsrfTokenRepository.withHttpOnlyFalse());
      csrf.setRequestHandler(new org.springframework.security.web.server.csrf
          .ServerCsrfTokenRequestAttributeHandler());
      return new org.springframework.security.web.server.WebFilterChainProxy(
          new org.springframework.security.web.server.MatcherSecurityWebFilterChain(
              org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers
                  .anyExchange(), java.util.List.of(csrf)));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OrdersRoute {
    @Bean
    org.springframework.web.reactive.function.server.RouterFunction<
        org.springframework.web.reactive.function.server.ServerResponse> ordersRoute() {
      return org.springframework.web.reactive.function.server.RouterFunctions.route()
          .POST("/api/route", request -> request.bodyToMono(Order.class).flatMap(order ->
              org.springframework.web.reactive.function.server.ServerResponse.ok()
                  .bodyValue(order)))
          .POST("/api/route/form", request -> request.formData().flatMap(form ->
              org.springframework.web.reactive.function.server.ServerResponse.ok()
                  .bodyValue(String.valueOf(form.getFirst("name")))))
          .build();
    }
  }

  @Test
  @DisplayName("an application's own decoder or path filter replaces the starter's")
  void anApplicationsOwnDecoderAndFilterReplaceTheStartersOwn() {
    runner.withPropertyValues("reactant.http.strict-input.enabled=true")
        .withUserConfiguration(OwnStrictInput.class).run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(Utf8JsonDecoder.class)
              .hasSingleBean(PercentEncodedPathFilter.class);
          assertThat(context.getBean(Utf8JsonDecoder.class))
              .isSameAs(context.getBean(OwnStrictInput.class).decoder);
          assertThat(context.getBean(PercentEncodedPathFilter.class))
              .isSameAs(context.getBean(OwnStrictInput.class).filter);
          // the filter checks every path, the actor endpoints' included
          WebTestClient.bindToApplicationContext(context).build().post()
              .uri(URI.create("/actors/Counter/%FF/bump")).exchange().expectStatus().isBadRequest()
              .expectBody().jsonPath("$.message").value(String.class, m -> assertThat(m)
                  .startsWith("The path is not UTF-8"));
        });
  }

  /** The JSON reader the server reads an {@code Order} with. */
  private static Object serverJsonReader(
      org.springframework.context.ApplicationContext context) {
    return context.getBean(org.springframework.http.codec.ServerCodecConfigurer.class).getReaders()
        .stream().filter(r -> r.canRead(org.springframework.core.ResolvableType.forClass(
            Order.class), MediaType.APPLICATION_JSON))
        .map(r -> ((org.springframework.http.codec.DecoderHttpMessageReader<?>) r).getDecoder())
        .findFirst().orElseThrow();
  }

  @Test
  @DisplayName("R23 a JSON reader the application sets through its codec configuration"
      + " (a CodecCustomizer, a WebFluxConfigurer, a custom codec) is not silently discarded nor"
      + " left to read unchecked: with strict input the startup fails saying how to keep it; a"
      + " Utf8JsonDecoder set there is kept")
  void anApplicationsOwnJsonReaderInTheCodecsFailsTheStartup() {
    for (Class<?> own : new Class<?>[] {OwnJsonCodecCustomizer.class, OwnJsonWebFluxConfigurer.class,
        OwnJsonCustomCodec.class}) {
      runner.withPropertyValues("reactant.http.strict-input.enabled=true")
          .withUserConfiguration(own).run(context -> assertThat(context).hasFailed()
              .getFailure().rootCause().hasMessageContaining("its own JSON reader")
              .hasMessageContaining("Utf8JsonDecoder bean"));
    }
    runner.withPropertyValues("reactant.http.strict-input.enabled=true")
        .withUserConfiguration(OwnStrictJsonCodecCustomizer.class).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(serverJsonReader(context)).isSameAs(OwnStrictJsonCodecCustomizer.DECODER);
        });
  }

  @Test
  @DisplayName("the startup that strict input fails over the application's own JSON reader is"
      + " explained by a failure analysis (registered in spring.factories) naming the property,"
      + " the reader's class and what to do, not a bare stack trace")
  void anApplicationsOwnJsonReaderIsExplainedByAFailureAnalysis() {
    runner.withPropertyValues("reactant.http.strict-input.enabled=true")
        .withUserConfiguration(OwnJsonWebFluxConfigurer.class).run(context -> {
          assertThat(context).hasFailed();
          org.springframework.boot.diagnostics.FailureAnalysis analysis =
              registeredAnalysis(context.getStartupFailure());
          assertThat(analysis).as("the analysis of the registered analyzers").isNotNull();
          assertThat(analysis.getDescription())
              .contains("reactant.http.strict-input.enabled=true")
              .contains(org.springframework.http.codec.json.JacksonJsonDecoder.class.getName())
              .contains("codec configuration");
          assertThat(analysis.getAction())
              .contains("Utf8JsonDecoder bean")
              .contains("new Utf8JsonDecoder(mapper)")
              .contains("reactant.http.strict-input.enabled=false");
        });
  }

  @Test
  @DisplayName("strict input asked for in a reactive web application where it cannot apply (Spring"
      + " Boot's Jackson auto-configuration absent) fails the startup naming the property and the"
      + " missing class, explained by the failure analysis, instead of starting without it")
  void strictInputThatCannotApplyFailsTheStartup() {
    runner.withPropertyValues("reactant.http.strict-input.enabled=true")
        .withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
            org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer.class))
        .run(context -> {
          assertThat(context).hasFailed();
          org.springframework.boot.diagnostics.FailureAnalysis analysis =
              registeredAnalysis(context.getStartupFailure());
          assertThat(analysis).as("the analysis of the registered analyzers").isNotNull();
          assertThat(analysis.getDescription())
              .contains("reactant.http.strict-input.enabled=true")
              .contains(org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer
                  .class.getName());
          assertThat(analysis.getAction()).contains("spring-boot-jackson")
              .contains("reactant.http.strict-input.enabled=false");
        });
  }

  @Test
  @DisplayName("strict input that does not apply is no failure where it was not asked for, where"
      + " its auto-configuration is not imported (excluded, a test slice), or outside a reactive"
      + " web application")
  void strictInputNotAppliedOnPurposeStarts() {
    org.springframework.boot.test.context.FilteredClassLoader noJackson =
        new org.springframework.boot.test.context.FilteredClassLoader(
            org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer.class);
    runner.withClassLoader(noJackson).run(context -> assertThat(context).hasNotFailed());
    // a test slice that imports the starter's other auto-configurations (an excluded one is
    // not imported either)
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
            CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
            HttpHandlerAutoConfiguration.class))
        .withUserConfiguration(CounterActor.class).withClassLoader(noJackson)
        .withPropertyValues("reactant.http.strict-input.enabled=true")
        .run(context -> assertThat(context).hasNotFailed());
    new org.springframework.boot.test.context.runner.ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantStrictInputAutoConfiguration.class))
        .withUserConfiguration(CounterActor.class)
        .withPropertyValues("reactant.http.strict-input.enabled=true")
        .run(context -> assertThat(context).hasNotFailed());
  }

  /** What the failure analyzers of spring.factories say of a failure, as Spring Boot asks them. */
  private static org.springframework.boot.diagnostics.@org.jspecify.annotations.Nullable
      FailureAnalysis registeredAnalysis(Throwable failure) {
    java.util.List<org.springframework.boot.diagnostics.FailureAnalyzer> analyzers =
        org.springframework.core.io.support.SpringFactoriesLoader.forDefaultResourceLocation(
            ReactantStrictInputAutoConfigurationTests.class.getClassLoader()).load(
                org.springframework.boot.diagnostics.FailureAnalyzer.class,
                org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver.of(
                    org.springframework.beans.factory.BeanFactory.class,
                    new org.springframework.beans.factory.support.DefaultListableBeanFactory())
                    .and(org.springframework.core.env.Environment.class,
                        new org.springframework.core.env.StandardEnvironment()),
                // as Spring Boot does: an analyzer whose classes are absent is left out
                org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler
                    .handleMessage((message, absent) -> { }));
    org.springframework.core.annotation.AnnotationAwareOrderComparator.sort(analyzers);
    for (org.springframework.boot.diagnostics.FailureAnalyzer analyzer : analyzers) {
      org.springframework.boot.diagnostics.FailureAnalysis analysis = analyzer.analyze(failure);
      if (analysis != null) {
        return analysis;
      }
    }
    return null;
  }

  @Test
  @DisplayName("R23 ordinary applications start with strict input, their JSON read by the"
      + " starter's decoder: one with a JsonMapper bean of its own, one with a"
      + " JsonMapperBuilderCustomizer, one whose CodecCustomizer sets only the limit of a body")
  void ordinaryApplicationsStartWithStrictInput() {
    for (Class<?> own : new Class<?>[] {OwnMapper.class, OwnMapperCustomizer.class,
        OwnCodecLimit.class}) {
      runner.withPropertyValues("reactant.http.strict-input.enabled=true")
          .withUserConfiguration(own).run(context -> {
            assertThat(context).as(own.getSimpleName()).hasNotFailed();
            assertThat(serverJsonReader(context)).as(own.getSimpleName())
                .isSameAs(context.getBean(Utf8JsonDecoder.class));
            post(WebTestClient.bindToApplicationContext(context).build(), "/api/orders",
                overlongBody(false)).expectStatus().isBadRequest();
          });
    }
  }

  @Test
  @SuppressWarnings("removal") // Spring Boot's Jackson 2 support, deprecated, is what is tested
  @DisplayName("R23 strict input beside Spring Boot's Jackson 2 support (spring-boot-jackson2, its"
      + " ObjectMapper bean): the server's JSON is still Jackson 3's, read by the starter's"
      + " decoder, and refuses what it refuses")
  void strictInputHoldsBesideSpringBootsJackson2Support() {
    runner.withConfiguration(AutoConfigurations.of(
            org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration.class))
        .withPropertyValues("reactant.http.strict-input.enabled=true").run(context -> {
          assertThat(context).hasNotFailed().hasBean("jackson2ObjectMapper");
          assertThat(serverJsonReader(context)).isSameAs(context.getBean(Utf8JsonDecoder.class));
          WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
          post(client, "/api/orders", overlongBody(false)).expectStatus().isBadRequest();
          post(client, "/api/orders", "{\"order\": 42}".getBytes(UTF_8)).expectStatus()
              .isBadRequest();
        });
  }

  @Test
  @SuppressWarnings("removal") // Spring Boot's Jackson 2 support, deprecated, is what is tested
  @DisplayName("R23 strict input with spring.http.codecs.preferred-json-mapper=jackson2 (Spring"
      + " Boot's Jackson 2 codecs) fails the startup naming that property, not the application's"
      + " codec configuration, which set no reader: strict input reads JSON with Jackson 3")
  void strictInputWithJackson2CodecsNamesThePreferredJsonMapper() {
    runner.withConfiguration(AutoConfigurations.of(
            org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration.class))
        .withPropertyValues("reactant.http.strict-input.enabled=true",
            "spring.http.codecs.preferred-json-mapper=jackson2")
        .run(context -> {
          assertThat(context).hasFailed();
          org.springframework.boot.diagnostics.FailureAnalysis analysis =
              registeredAnalysis(context.getStartupFailure());
          assertThat(analysis).as("the analysis of the registered analyzers").isNotNull();
          assertThat(analysis.getDescription())
              .contains("reactant.http.strict-input.enabled=true")
              .contains("spring.http.codecs.preferred-json-mapper=jackson2")
              .contains("Jackson 2").doesNotContain("application's codec configuration");
          assertThat(analysis.getAction())
              .contains("spring.http.codecs.preferred-json-mapper")
              .contains("reactant.http.strict-input.enabled=false")
              .doesNotContain("Utf8JsonDecoder bean");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnMapper {
    @Bean
    JsonMapper ownMapper() {
      return JsonMapper.builder().build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnMapperCustomizer {
    @Bean
    org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer ownCustomizer() {
      return builder -> builder.disable(
          tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnCodecLimit {
    @Bean
    org.springframework.boot.http.codec.CodecCustomizer ownLimit() {
      return configurer -> configurer.defaultCodecs().maxInMemorySize(64 * 1024);
    }
  }

  @Test
  @DisplayName("R23 an application with @EnableWebFlux starts with strict input, whose JSON reader"
      + " replaces Spring's default one (Spring Boot's codec customizers do not run there, so"
      + " that reader is over a mapper of its own, nothing the application set); a JSON reader"
      + " the application sets there still fails the startup")
  void anApplicationWithEnableWebFluxStartsWithStrictInput() {
    runner.withPropertyValues("reactant.http.strict-input.enabled=true")
        .withUserConfiguration(OwnWebFlux.class).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(serverJsonReader(context)).isSameAs(context.getBean(Utf8JsonDecoder.class));
          post(WebTestClient.bindToApplicationContext(context).build(), "/api/orders",
              overlongBody(false)).expectStatus().isBadRequest();
        });
    runner.withPropertyValues("reactant.http.strict-input.enabled=true")
        .withUserConfiguration(OwnWebFlux.class, OwnJsonWebFluxConfigurer.class)
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("its own JSON reader"));
  }

  @Configuration(proxyBeanMethods = false)
  @org.springframework.web.reactive.config.EnableWebFlux
  static class OwnWebFlux {
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnJsonCodecCustomizer {
    @Bean
    org.springframework.boot.http.codec.CodecCustomizer ownJson() {
      return configurer -> configurer.defaultCodecs().jacksonJsonDecoder(
          new org.springframework.http.codec.json.JacksonJsonDecoder(JsonMapper.builder().build()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnJsonWebFluxConfigurer {
    @Bean
    org.springframework.web.reactive.config.WebFluxConfigurer ownJson() {
      return new org.springframework.web.reactive.config.WebFluxConfigurer() {
        @Override
        public void configureHttpMessageCodecs(
            org.springframework.http.codec.ServerCodecConfigurer configurer) {
          configurer.defaultCodecs().jacksonJsonDecoder(
              new org.springframework.http.codec.json.JacksonJsonDecoder(
                  JsonMapper.builder().build(), MediaType.APPLICATION_JSON));
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnJsonCustomCodec {
    @Bean
    org.springframework.boot.http.codec.CodecCustomizer ownJson() {
      return configurer -> configurer.customCodecs().register(
          new org.springframework.http.codec.json.JacksonJsonDecoder(JsonMapper.builder().build()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStrictJsonCodecCustomizer {
    static final Utf8JsonDecoder DECODER = new Utf8JsonDecoder(JsonMapper.builder().build());

    @Bean
    org.springframework.boot.http.codec.CodecCustomizer ownJson() {
      return configurer -> configurer.defaultCodecs().jacksonJsonDecoder(DECODER);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStrictInput {
    final Utf8JsonDecoder decoder = new Utf8JsonDecoder(JsonMapper.builder().build());
    final PercentEncodedPathFilter filter =
        new PercentEncodedPathFilter(null, JsonMapper.builder().build());

    @Bean
    Utf8JsonDecoder ownDecoder() {
      return decoder;
    }

    @Bean
    PercentEncodedPathFilter ownFilter() {
      return filter;
    }
  }
}

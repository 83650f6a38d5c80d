package io.reactant.spring.boot.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.reactant.actor.ActorSystem;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.tracing.TracedApplication.Sightings;
import io.reactant.spring.boot.tracing.TracedApplication.Spans;
import io.reactant.spring.boot.tracing.TracedApplication.Spy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * End to end, with Micrometer Tracing over Brave and a real server: the turns of the calls that
 * an HTTP request makes run in the request's trace (its server span is their current span, and
 * the MDC holds its ids), and nothing of it stays on the actor system's thread (one thread here,
 * so every turn runs on the same one). Without Reactor's automatic context propagation.
 */
@SpringBootTest(classes = TracedApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"management.tracing.sampling.probability=1.0", "reactant.parallelism=1",
        "reactant.name=traced", "spring.main.banner-mode=off"})
@AutoConfigureWebTestClient
class TracingPropagationTests {

  @Autowired
  WebTestClient client;

  @LocalServerPort
  int port;

  @Autowired
  Spans spans;

  @Autowired
  Sightings sightings;

  @Autowired
  ActorDirectory actors;

  /** A new W3C trace id, of 32 hex digits. */
  static String newTraceId() {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /**
   * Posts to {@code path} in the trace {@code traceId} (none: the server starts one), as a traced
   * client does, and returns the answer's text.
   */
  static String post(WebTestClient client, String path, @Nullable String traceId) {
    WebTestClient.RequestBodySpec request =
        client.post().uri(path).contentType(MediaType.APPLICATION_JSON);
    if (traceId != null) {
      request.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
    }
    String body = request.bodyValue("[]").exchange().expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody();
    assertThat(body).isNotNull();
    // the actor endpoints answer a JSON string, the application's controller the text
    return body.startsWith("\"") ? body.substring(1, body.length() - 1) : body;
  }

  /** The server span of the request in trace {@code traceId}, once the tracer finished it. */
  FinishedSpan serverSpan(String traceId) throws InterruptedException {
    return spans.await(s -> s.getKind() == Span.Kind.SERVER && s.getTraceId().equals(traceId));
  }

  /** Asserts that {@code sighting} is in {@code server}'s span, with the MDC holding its ids. */
  static void assertInSpan(String sighting, FinishedSpan server) {
    String[] s = sighting.split("\\|");
    assertThat(s[0]).as("trace id of the current span").isEqualTo(server.getTraceId());
    assertThat(s[1]).as("id of the current span").isEqualTo(server.getSpanId());
    assertThat(s[2]).as("the MDC's traceId").isEqualTo(server.getTraceId());
    assertThat(s[3]).as("the MDC's spanId").isEqualTo(server.getSpanId());
  }

  static String thread(String sighting) {
    return sighting.split("\\|")[4];
  }

  @Test
  @DisplayName("R23 the turn of an actor endpoint's call runs in the request's server span, with"
      + " its ids in the MDC")
  void endpointTurnRunsInTheRequestsSpan() throws InterruptedException {
    String trace = newTraceId();
    String seen = post(client, "/actors/Spy/endpoint/look", trace);
    assertInSpan(seen, serverSpan(trace));
    assertThat(thread(seen)).startsWith("traced-");
  }

  @Test
  @DisplayName("R12 a call that traps (500) marks the request's server span as an error, with the"
      + " call's error (as an exception Spring's handlers resolve does); a rejected call (409) is"
      + " the client's and leaves it clear, as any 4xx")
  void aTrapMarksTheServerSpanAsAnError() throws InterruptedException {
    String trapped = newTraceId();
    client.post().uri("/actors/Spy/failing/divide").contentType(MediaType.APPLICATION_JSON)
        .header("traceparent", "00-" + trapped + "-00f067aa0ba902b7-01").bodyValue("[0]")
        .exchange().expectStatus().isEqualTo(500);
    FinishedSpan server = serverSpan(trapped);
    assertThat(server.getTags()).containsEntry("status", "500");
    assertThat(server.getError()).as("the server span's error, of " + server)
        .isInstanceOf(io.reactant.error.CallError.class);
    assertThat(server.getTags()).containsEntry("exception", "CallError");
    String rejected = newTraceId();
    client.post().uri("/actors/Spy/failing/refuse").contentType(MediaType.APPLICATION_JSON)
        .header("traceparent", "00-" + rejected + "-00f067aa0ba902b7-01").bodyValue("[]")
        .exchange().expectStatus().isEqualTo(409);
    FinishedSpan clear = serverSpan(rejected);
    assertThat(clear.getTags()).containsEntry("status", "409");
    assertThat(clear.getError()).isNull();
  }

  @Test
  @DisplayName("R13 R23 an actor-to-actor call made in the request's turn, and the continuation"
      + " after its await, run in the request's span")
  void calleeAndContinuationKeepTheTrace() throws InterruptedException {
    String trace = newTraceId();
    String[] seen = post(client, "/actors/Spy/relay/relay", trace).split(" ");
    FinishedSpan server = serverSpan(trace);
    assertThat(seen).hasSize(3);
    for (String s : seen) {
      assertInSpan(s, server);
    }
  }

  @Test
  @DisplayName("R25 a recurring timer set in a request's turn fires in that request's span, each"
      + " time, after the request was answered and its span finished")
  void recurringTimerKeepsTheRequestsTrace() throws InterruptedException {
    String trace = newTraceId();
    client.post().uri("/actors/Spy/timer/tick").contentType(MediaType.APPLICATION_JSON)
        .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01").bodyValue("[]")
        .exchange().expectStatus().isNoContent();
    FinishedSpan server = serverSpan(trace);
    for (int i = 0; i < 3; i++) {
      assertInSpan(sightings.next(), server);
    }
  }

  @Test
  @DisplayName("R23 two requests' turns on the same pool thread each run in their own trace, and"
      + " neither the span nor the MDC stays on the thread after them")
  void nothingLeaksBetweenRequestsOnOneThread() throws InterruptedException {
    String first = newTraceId();
    String second = newTraceId();
    String one = post(client, "/actors/Spy/leak/look", first);
    String two = post(client, "/actors/Spy/leak/look", second);
    String untraced = post(client, "/actors/Spy/leak/look", null); // the server starts a trace
    assertInSpan(one, serverSpan(first));
    assertInSpan(two, serverSpan(second));
    String[] third = untraced.split("\\|");
    assertThat(third[0]).isNotIn(first, second).isEqualTo(third[2]);
    assertThat(thread(two)).isEqualTo(thread(one));
    assertThat(thread(untraced)).isEqualTo(thread(one));

    // a message sent from a thread without a trace runs without one, on that same thread
    assertThat(MDC.get("traceId")).isNull();
    String direct = actors.get(Spy.class, "leak").look().block(Duration.ofSeconds(10));
    assertThat(direct).isEqualTo("-|-|-|-|" + thread(one));
    // and code the system's executor runs on that thread outside any turn sees nothing either
    ActorSystem system = actors.system();
    String outside = Mono.fromCallable(() -> String.valueOf(MDC.get("traceId")) + "|"
            + Thread.currentThread().getName())
        .subscribeOn(Schedulers.fromExecutor(system.executor())).block(Duration.ofSeconds(10));
    assertThat(outside).isEqualTo("null|" + thread(one));
  }

  @Test
  @DisplayName("R13 R23 24 concurrent requests to one actor, each in its own trace (their calls"
      + " may queue together, their turns and continuations interleave on the one pool thread):"
      + " each turn, callee's turn and continuation runs in its own request's span")
  void concurrentRequestsToOneActorKeepTheirOwnTraces() throws Exception {
    int requests = 24;
    HttpClient http = HttpClient.newHttpClient();
    List<String> traces = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String trace = newTraceId();
      traces.add(trace);
      answers.add(http.sendAsync(HttpRequest.newBuilder(
              URI.create("http://localhost:" + port + "/actors/Spy/crowd/relay"))
          .header("Content-Type", "application/json")
          .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
          .timeout(Duration.ofSeconds(20))
          .POST(HttpRequest.BodyPublishers.ofString("[]")).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> answer = answers.get(i).get(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as("request %d", i).isEqualTo(200);
      String body = answer.body();
      String[] seen = body.substring(1, body.length() - 1).split(" ");
      FinishedSpan server = serverSpan(traces.get(i));
      assertThat(seen).as("request %d: the turn, the callee's turn, the continuation", i)
          .hasSize(3);
      for (String sighting : seen) {
        assertInSpan(sighting, server);
      }
    }
  }

  @Test
  @DisplayName("R23 without spring.reactor.context-propagation=auto, a call made by the"
      + " application's own WebFlux handler carries no trace: its turn runs in none")
  void ownHandlerCarriesNoTraceWithoutAutomaticPropagation() throws InterruptedException {
    String trace = newTraceId();
    String seen = post(client, "/own/handler", trace);
    serverSpan(trace); // the request was traced
    assertThat(seen).startsWith("-|-|-|-|");
  }
}

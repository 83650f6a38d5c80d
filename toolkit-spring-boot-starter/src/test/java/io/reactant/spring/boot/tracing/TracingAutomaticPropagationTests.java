package io.reactant.spring.boot.tracing;

import static io.reactant.spring.boot.tracing.TracingPropagationTests.assertInSpan;
import static io.reactant.spring.boot.tracing.TracingPropagationTests.newTraceId;
import static io.reactant.spring.boot.tracing.TracingPropagationTests.post;

import io.micrometer.tracing.Span;
import io.reactant.spring.boot.tracing.TracedApplication.Spans;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Hooks;

/**
 * End to end as {@link TracingPropagationTests}, with Reactor's automatic context propagation
 * ({@code spring.reactor.context-propagation=auto}), which the application's own WebFlux
 * handlers need for their calls to carry the request's trace.
 */
@SpringBootTest(classes = TracedApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"management.tracing.sampling.probability=1.0", "reactant.parallelism=1",
        "reactant.name=traced", "spring.main.banner-mode=off",
        "spring.reactor.context-propagation=auto"})
@AutoConfigureWebTestClient
class TracingAutomaticPropagationTests {

  @Autowired
  WebTestClient client;

  @Autowired
  Spans spans;

  /** The hook Spring Boot installs is global to the JVM: the other tests run without it. */
  @AfterAll
  static void disableAutomaticPropagation() {
    Hooks.disableAutomaticContextPropagation();
  }

  @Test
  @DisplayName("R23 with spring.reactor.context-propagation=auto, a call made by the application's"
      + " own WebFlux handler runs its turn in the request's server span")
  void ownHandlerCarriesTheTraceWithAutomaticPropagation() throws InterruptedException {
    String trace = newTraceId();
    String seen = post(client, "/own/handler", trace);
    assertInSpan(seen, spans.await(s -> s.getKind() == Span.Kind.SERVER
        && s.getTraceId().equals(trace)));
  }

  @Test
  @DisplayName("R23 the actor endpoints keep the request's span with automatic propagation too")
  void endpointTurnRunsInTheRequestsSpan() throws InterruptedException {
    String trace = newTraceId();
    String seen = post(client, "/actors/Spy/auto/look", trace);
    assertInSpan(seen, spans.await(s -> s.getKind() == Span.Kind.SERVER
        && s.getTraceId().equals(trace)));
  }
}

package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.spring.boot.ActorDirectory;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The starter tells the actor system's refusal of a call to another type's actor (rules R1, R23) by
 * what the refusal says as data, not by its words: words an actor or an application chose that read
 * like it reach the client as they are, and an id whose text has the refusal's punctuation in it is
 * still hidden whole.
 */
class AnotherTypeRefusalWordsTests {

  /** Words that read as the actor system's refusal of actor {@code bob} of type {@code Customer}. */
  private static final String LOOKALIKE = "actor bob (Customer) has no method of payment on file";

  /** An id that has the refusal's punctuation and phrase in it. */
  private static final String ODD_ID = "x (Desk) has no method Desk.ask() (Ledger";

  private final ReactiveWebApplicationContextRunner runner = IngressTestConfiguration.runner()
      .withUserConfiguration(DeskActor.class, LedgerActor.class, DeskRoutes.class);

  /** A singleton that rejects in words it is given, and asks a desk a client names. */
  public interface Desk {
    Mono<String> refuse(String words);

    Mono<String> ask(String desk);
  }

  @ActorBean
  public static final class DeskActor extends Actor implements Desk {
    private final ActorDirectory actors;

    public DeskActor(ActorDirectory actors) {
      this.actors = actors;
    }

    @Override
    public Mono<String> refuse(String words) {
      throw new CallError(RejectCode.DESTINATION_INVALID, words); // a reject (R11): code 4
    }

    @Override
    public Mono<String> ask(String desk) {
      return await(actors.system().lookup(Desk.class, desk).refuse("no")); // lets a refusal through
    }
  }

  /** An explicit type, whose actors hold the ids a desk's path is called with. */
  public interface Ledger {
    Mono<Long> total();
  }

  @ActorBean(activation = Activation.EXPLICIT)
  public static final class LedgerActor extends Actor implements Ledger {
    @Override
    public Mono<Long> total() {
      return Mono.just(0L);
    }
  }

  /** An application's own handlers: one fails in words of its own, one calls a desk by id. */
  @Configuration(proxyBeanMethods = false)
  static class DeskRoutes {
    @Bean
    RouterFunction<ServerResponse> deskRoutes(ActorDirectory actors) {
      return RouterFunctions.route()
          .GET("/words", request -> Mono.error(new CallError(RejectCode.DESTINATION_INVALID,
              request.queryParam("words").orElseThrow())))
          .GET("/desks", request -> actors.system()
              .lookup(Desk.class, request.queryParam("id").orElseThrow()).refuse("no")
              .flatMap(words -> ServerResponse.ok().bodyValue(words)))
          .build();
    }
  }

  @Test
  @DisplayName("R11 R23 an actor's own code-3 reject whose words read like the actor system's"
      + " refusal of another type's actor answers 409 code 4 with those words, not as an unknown id")
  void anActorsWordsThatReadLikeTheRefusalReachTheClient() {
    withDesks(client -> assertThat(answer(client, "POST", "/actors/Desk/desk/refuse",
        json(List.of(LOOKALIKE))))
        .contains("409").contains("\"code\":4").contains("\"message\":\"" + LOOKALIKE + "\""));
  }

  @Test
  @DisplayName("R23 an application handler's code-3 CallError whose words read like the actor"
      + " system's refusal of another type's actor answers 404 with those words")
  void anApplicationsWordsThatReadLikeTheRefusalReachTheClient() {
    withDesks(client -> assertThat(answer(client, "GET", "/words?words={w}", null, LOOKALIKE))
        .contains("404").contains("\"code\":3").contains("\"message\":\"" + LOOKALIKE + "\""));
  }

  @Test
  @DisplayName("R1 R23 an id with ' (', ') has no method ' and a type's name in it, held by another"
      + " type's actor, answers whole as an id no actor holds: through a singleton's path, from an"
      + " application's handler, and through an actor that lets the refusal through")
  void anOddIdHeldByAnotherTypeAnswersAsAnUnknownId() {
    withDesks(client -> {
      for (String[] call : List.of(
          new String[] {"POST", "/actors/Desk/{id}/refuse", "[\"no\"]"},
          new String[] {"GET", "/desks?id={id}", null},
          new String[] {"POST", "/actors/Desk/desk/ask", "[\"{id}\"]"})) {
        String body = call[2];
        String unknown = answer(client, call[0], call[1],
            body == null ? null : body.replace("{id}", "nobody"), "nobody");
        assertThat(unknown).as(call[1]).contains("No actor 'nobody'");
        assertThat(answer(client, call[0], call[1],
            body == null ? null : body.replace("{id}", ODD_ID), ODD_ID)).as(call[1])
            .isEqualTo(unknown.replace("nobody", ODD_ID));
      }
    });
  }

  private void withDesks(Consumer<WebTestClient> test) {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      context.getBean(ActorDirectory.class).spawn(Ledger.class, ActorId.of(ODD_ID));
      test.accept(WebTestClient.bindToApplicationContext(context).build());
    });
  }

  private static String json(Object value) {
    return JsonMapper.builder().build().writeValueAsString(value);
  }

  /** The status, headers that matter and body of a request, to compare two answers whole. */
  private static String answer(WebTestClient client, String method, String path, String body,
      Object... uriVariables) {
    WebTestClient.RequestBodySpec request = client.method(HttpMethod.valueOf(method))
        .uri(path, uriVariables);
    WebTestClient.RequestHeadersSpec<?> sent = body == null ? request
        : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    EntityExchangeResult<String> result = sent.exchange().expectBody(String.class).returnResult();
    return result.getStatus().value() + " " + result.getResponseHeaders().getContentType() + " "
        + result.getResponseBody();
  }
}

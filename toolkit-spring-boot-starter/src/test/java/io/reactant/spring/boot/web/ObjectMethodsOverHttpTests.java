package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.spring.boot.ActorDeclaration;
import io.reactant.spring.boot.ActorDeclarationException;
import io.reactant.spring.boot.NotExposed;
import io.reactant.state.Var;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * An exposed actor interface that redeclares {@code equals}, {@code hashCode} and {@code toString}
 * (to document them): they are {@code Object}'s, which a reference answers itself, not shared
 * methods, so HTTP neither lists nor calls them.
 */
class ObjectMethodsOverHttpTests {

  private final ReactiveWebApplicationContextRunner runner = IngressTestConfiguration.runner();

  /** A tally whose interface documents the Object methods of its references. */
  public interface Tally {
    Mono<Long> add(long amount);

    /** Two references are equal when they name one actor. */
    @Override
    boolean equals(Object other);

    @Override
    int hashCode();

    /** Names the actor, not its count. */
    @Override
    String toString();
  }

  @ActorBean
  public static final class TallyActor extends Actor implements Tally {
    private final Var<Long> total = newVar("total", 0L);

    @Override
    public Mono<Long> add(long amount) {
      return Mono.just(total.update(t -> t + amount));
    }

    @Override
    public String toString() {
      return "tally " + total.get();
    }
  }

  /** The status, {@code Allow} and body a request answers, to compare two answers whole. */
  private static String answer(WebTestClient client, HttpMethod method, String path) {
    EntityExchangeResult<String> result = client.method(method).uri(path)
        .contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange()
        .expectBody(String.class).returnResult();
    return result.getStatus().value() + " " + result.getResponseHeaders().getAllow() + " "
        + result.getResponseHeaders().getContentType() + " " + result.getResponseBody();
  }

  @Test
  @DisplayName("R23 an exposed type that redeclares equals, hashCode and toString starts; HTTP"
      + " answers each exactly as a method the type does not have (404, code 3, its message),"
      + " and GET /actors lists its shared methods only")
  void redeclaredObjectMethodsAreNotCalledOverHttp() {
    runner.withUserConfiguration(TallyActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      for (String name : List.of("toString", "hashCode", "equals")) {
        for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.OPTIONS, HttpMethod.PUT)) {
          assertThat(answer(client, method, "/actors/Tally/tally/" + name))
              .as(method + " " + name)
              .isEqualTo(answer(client, method, "/actors/Tally/tally/nothing")
                  .replace("nothing", name))
              .startsWith("404");
        }
        client.post().uri("/actors/Tally/tally/" + name)
            .contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange()
            .expectStatus().isNotFound()
            .expectBody().jsonPath("$.code").isEqualTo(3)
            .jsonPath("$.message").isEqualTo("The actor type 'Tally' has no method '" + name + "'");
      }
      client.post().uri("/actors/Tally/tally/add")
          .contentType(MediaType.APPLICATION_JSON).bodyValue("[2]").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(2L);
      client.get().uri("/actors").exchange()
          .expectStatus().isOk().expectBody()
          .jsonPath("$[?(@.type == 'Tally')].methods[*].name")
          .value((List<String> names) -> assertThat(names).containsExactly("add"));
      Tally tally = context.getBean(Tally.class);
      assertThat(tally.toString()).as("the reference's, not the actor's")
          .isEqualTo("ActorRef[Tally tally]");
      assertThat(tally).isEqualTo(context.getBean(Tally.class));
    });
  }

  @Test
  @DisplayName("the methods HTTP calls, whose types the AOT processor hints for JSON binding, leave"
      + " out the redeclared Object methods")
  void calledOverHttpLeavesObjectMethodsOut() throws NoSuchMethodException {
    ActorDeclaration tally = new ActorDeclaration("Tally", Tally.class, TallyActor.class,
        "tallyActor", Activation.SINGLETON, ActorId.of("tally"), true);
    assertThat(ExposedActorType.calledOverHttp(tally, Set.of())).extracting(Method::getName)
        .containsExactly("add");
    assertThat(IngressHintsAotProcessor.boundTypes(tally, Set.of()))
        .containsExactly(long.class, Long.class);
    assertThat(NotExposedMethods.of(tally)).isEmpty();
    assertThat(new ExposedActorType(tally, Set.of(Tally.class), Set.of()).methods())
        .extracting(ActorMethod::name).containsExactly("add");
    assertThat(Tally.class.getMethod("toString").getDeclaringClass()).isEqualTo(Tally.class);
  }

  /** Marks the redeclared toString @NotExposed: it is no shared method to keep off HTTP. */
  public interface MarkedTally {
    Mono<Long> add(long amount);

    @NotExposed
    @Override
    String toString();
  }

  @ActorBean
  public static final class MarkedTallyActor extends Actor implements MarkedTally {
    @Override
    public Mono<Long> add(long amount) {
      return Mono.just(amount);
    }
  }

  @Test
  @DisplayName("R23 @NotExposed on a redeclared toString fails the startup as on any method that"
      + " is not a shared method, as it does on the implementation's toString")
  void notExposedOnARedeclaredObjectMethodFailsTheStartup() {
    runner.withUserConfiguration(MarkedTallyActor.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(ActorDeclarationException.class)
          .hasMessage("@NotExposed marks " + MarkedTally.class.getName() + ".toString(), which is"
              + " not a shared method of the actor type 'MarkedTally' ("
              + MarkedTally.class.getName() + "): only a shared method can be kept off HTTP");
    });
  }
}

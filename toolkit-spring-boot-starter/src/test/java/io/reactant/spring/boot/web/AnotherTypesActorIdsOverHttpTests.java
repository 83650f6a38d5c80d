package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.CompositeQuery;
import io.reactant.actor.IngressMessage;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.state.Var;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
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

/**
 * A call over HTTP through one type's path to an id that an actor of another type holds tells the
 * client nothing about that actor: not its type, and, where the path's type is a singleton or
 * explicit one, not even that the id is taken (rules R1, R23: ids are one space across types).
 */
class AnotherTypesActorIdsOverHttpTests {

  private final ReactiveWebApplicationContextRunner runner = IngressTestConfiguration.runner()
      .withUserConfiguration(KioskActor.class, StallActor.class, BoothActor.class,
          VaultActor.class, TentActor.class, RelayActor.class, KioskRoutes.class);

  /** What every test type offers: an update, queries, a oneway and a composite query. */
  public interface Shop {
    Mono<Long> sell(long items);

    @Query
    Mono<Long> sold();

    @Query
    Mono<Long> soldOver(long floor);

    void restock();

    @CompositeQuery
    Mono<Long> report();
  }

  /** A singleton. */
  public interface Kiosk extends Shop {
  }

  /** An explicit type. */
  public interface Stall extends Shop {
  }

  /** A virtual type. */
  public interface Booth extends Shop {
  }

  /** The shop's methods, counting what they sell. */
  public abstract static class ShopActor extends Actor implements Shop {
    private final Var<Long> sold = newVar("sold", 0L);

    @Override
    public Mono<Long> sell(long items) {
      return Mono.just(sold.update(s -> s + items));
    }

    @Override
    public Mono<Long> sold() {
      return Mono.just(sold.get());
    }

    @Override
    public Mono<Long> soldOver(long floor) {
      return Mono.just(sold.get() - floor);
    }

    @Override
    public void restock() {
      sold.set(0L);
    }

    @Override
    public Mono<Long> report() {
      return Mono.just(sold.get());
    }
  }

  @ActorBean(type = Kiosk.class)
  public static final class KioskActor extends ShopActor implements Kiosk {
  }

  @ActorBean(type = Stall.class, activation = Activation.EXPLICIT)
  public static final class StallActor extends ShopActor implements Stall {
  }

  @ActorBean(type = Booth.class, activation = Activation.VIRTUAL)
  public static final class BoothActor extends ShopActor implements Booth {
  }

  /**
   * An internal singleton, kept off HTTP, whose type a client must not learn; it inspects its
   * ingress calls and refuses them all (rule R26), which no call through another type's path runs.
   */
  public interface Vault {
    Mono<Long> open();
  }

  @ActorBean(exposed = false, id = "vault-7")
  public static final class VaultActor extends Actor implements Vault {
    @Override
    protected boolean inspect(IngressMessage message) {
      return false;
    }

    @Override
    public Mono<Long> open() {
      return Mono.just(7L);
    }
  }

  /** A type kept off HTTP whose class implements every path's type too, so the system delivers. */
  public interface Tent extends Shop {
  }

  @ActorBean(type = Tent.class, exposed = false)
  public static final class TentActor extends ShopActor implements Tent, Kiosk, Stall, Booth {
  }

  /** An exposed singleton whose methods call a kiosk that a client names. */
  public interface Relay {
    @CompositeQuery
    Mono<Long> soldAt(String kiosk);

    Mono<Long> sellAt(String kiosk, long items);
  }

  @ActorBean
  public static final class RelayActor extends Actor implements Relay {
    private final ActorDirectory actors;

    public RelayActor(ActorDirectory actors) {
      this.actors = actors;
    }

    @Override
    public Mono<Long> soldAt(String kiosk) {
      return await(actors.system().lookup(Kiosk.class, kiosk).sold());
    }

    @Override
    public Mono<Long> sellAt(String kiosk, long items) {
      return await(actors.system().lookup(Kiosk.class, kiosk).sell(items));
    }
  }

  /** An application's own handler that calls the kiosk a client names: its errors escape it. */
  @Configuration(proxyBeanMethods = false)
  static class KioskRoutes {
    @Bean
    RouterFunction<ServerResponse> kioskRoutes(ActorDirectory actors) {
      return RouterFunctions.route().GET("/kiosks/{id}", request ->
          actors.system().lookup(Kiosk.class, request.pathVariable("id")).sold()
              .flatMap(sold -> ServerResponse.ok().bodyValue(sold))).build();
    }
  }

  /** Every way HTTP calls a method: method, path tail (after the id) and body (null: none). */
  private static final List<String[]> CALLS = List.of(
      new String[] {"POST", "sell", "[2]"},
      new String[] {"GET", "sold", null},
      new String[] {"HEAD", "sold", null},
      new String[] {"POST", "sold", "[]"},
      new String[] {"POST", "soldOver", "[1]"},
      new String[] {"POST", "restock", "[]"},
      new String[] {"GET", "report", null},
      new String[] {"POST", "report", "[]"});

  @Test
  @DisplayName("R1 R23 through a singleton's or an explicit type's path, an id another type's actor"
      + " holds (an internal singleton not exposed too) answers every call exactly as an id no"
      + " actor holds: updates, queries by GET, HEAD and POST, oneways and composite queries")
  void takenIdOfASingletonOrExplicitPathAnswersAsAnUnknownId() {
    withShops(shops -> {
      for (String pathType : List.of("Kiosk", "Stall")) {
        for (String[] held : foreignIds(pathType)) {
          for (String[] call : CALLS) {
            String taken = answer(shops.client(), call[0],
                "/actors/" + pathType + "/" + held[0] + "/" + call[1], call[2]);
            String unknown = answer(shops.client(), call[0],
                "/actors/" + pathType + "/nobody/" + call[1], call[2]);
            assertThat(taken).as("%s %s through %s", call[0], held[0], pathType)
                .isEqualTo(unknown.replace("nobody", held[0]))
                .doesNotContain("(" + held[1] + ")");
            if (!call[0].equals("HEAD")) {
              assertThat(unknown).contains("404").contains("\"code\":3")
                  .contains("No actor 'nobody'");
            }
          }
        }
      }
      assertThat(shops.client().post().uri("/actors/Kiosk/kiosk/sold").exchange()
          .expectStatus().isOk().expectBody(Long.class).returnResult().getResponseBody())
          .as("nothing sold at the kiosk").isEqualTo(0L);
    });
  }

  @Test
  @DisplayName("R1 R23 through a virtual type's path, an id another type's actor holds answers 404"
      + " code 3 saying the id is held by an actor that is not of the path's type, without naming"
      + " its type; nothing is created, nothing runs")
  void takenIdOfAVirtualPathAnswersHeldWithoutItsType() {
    withShops(shops -> {
      for (String[] held : foreignIds("Booth")) {
        for (String[] call : CALLS) {
          WebTestClient.RequestBodySpec request = shops.client()
              .method(HttpMethod.valueOf(call[0]))
              .uri("/actors/Booth/" + held[0] + "/" + call[1]);
          WebTestClient.RequestHeadersSpec<?> sent = call[2] == null ? request
              : request.contentType(MediaType.APPLICATION_JSON).bodyValue(call[2]);
          WebTestClient.ResponseSpec response = sent.exchange().expectStatus().isNotFound();
          if (!call[0].equals("HEAD")) {
            response.expectBody()
                .jsonPath("$.code").isEqualTo(3)
                .jsonPath("$.reject").isEqualTo("DESTINATION_INVALID")
                .jsonPath("$.message").isEqualTo("The actor id '" + held[0]
                    + "' is held by an actor that is not of the type 'Booth'");
          }
        }
      }
      ActorDirectory actors = shops.context().getBean(ActorDirectory.class);
      assertThat(actors.system().actor(ActorId.of("kiosk")).orElseThrow().type())
          .isEqualTo(Kiosk.class);
      assertThat(actors.singleton(Kiosk.class).sold().block()).isZero();
    });
  }

  @Test
  @DisplayName("R1 R23 an application's own handler whose call to an id another type's actor holds"
      + " fails answers as an id no actor holds, and so does an actor's call that it lets through"
      + " (a composite query's part, an update's call): the actor system's message stays the"
      + " actors' and the application's")
  void refusalThatEscapesAHandlerOrAnActorNamesNoType() {
    withShops(shops -> {
      // not the tent: its class is a kiosk too, which a reference of the application reaches
      for (String[] held : foreignIds("Kiosk").stream().filter(h -> !h[0].equals("tent")).toList()) {
        String unknown = answer(shops.client(), "GET", "/kiosks/nobody", null);
        assertThat(unknown).startsWith("404").contains("No actor 'nobody'");
        assertThat(answer(shops.client(), "GET", "/kiosks/" + held[0], null)).as(held[0])
            .isEqualTo(unknown.replace("nobody", held[0]));
        for (String method : List.of("soldAt", "sellAt")) {
          String arguments = method.equals("soldAt") ? "[\"%s\"]" : "[\"%s\", 1]";
          String unknownThere = answer(shops.client(), "POST", "/actors/Relay/relay/" + method,
              arguments.formatted("nobody"));
          assertThat(answer(shops.client(), "POST", "/actors/Relay/relay/" + method,
              arguments.formatted(held[0]))).as("%s %s", method, held[0])
              .isEqualTo(unknownThere.replace("nobody", held[0]));
        }
      }
      ActorDirectory actors = shops.context().getBean(ActorDirectory.class);
      assertThatThrownBy(() -> actors.system().lookup(Kiosk.class, "vault-7").sold().block())
          .as("the actor system's own message").isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.rejectMessage())
                  .isEqualTo("actor vault-7 (Vault) has no method Shop.sold()"));
    });
  }

  /** The status, headers that matter and body of a request, to compare two answers whole. */
  private static String answer(WebTestClient client, String method, String path,
      String body) {
    WebTestClient.RequestBodySpec request = client.method(HttpMethod.valueOf(method)).uri(path);
    WebTestClient.RequestHeadersSpec<?> sent = body == null ? request
        : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    EntityExchangeResult<String> result = sent.exchange().expectBody(String.class).returnResult();
    return result.getStatus().value() + " " + result.getResponseHeaders().getAllow() + " "
        + result.getResponseHeaders().getContentType() + " " + result.getResponseBody();
  }

  private void withShops(Consumer<Context> test) {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      ActorDirectory actors = context.getBean(ActorDirectory.class);
      actors.spawn(Stall.class, ActorId.of("stall-1"));
      assertThat(actors.get(Booth.class, "booth-1").sell(1).block()).isEqualTo(1L);
      test.accept(new Context(context, WebTestClient.bindToApplicationContext(context).build()));
    });
  }

  private record Context(ApplicationContext context, WebTestClient client) {
  }

  /** The ids of actors of other types than {@code pathType}, and the type names they hold. */
  private static List<String[]> foreignIds(String pathType) {
    return List.of(
        new String[] {"vault-7", "Vault"},
        new String[] {"hidden", "Hidden"},
        new String[] {"kiosk", "Kiosk"},
        new String[] {"stall-1", "Stall"},
        new String[] {"booth-1", "Booth"},
        new String[] {"greeter", "Greeter"},
        new String[] {"tent", "Tent"})
        .stream().filter(held -> !held[1].equals(pathType)).toList();
  }
}

package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.Query;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorDeclarationException;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.NotExposed;
import io.reactant.spring.boot.TestActors.Greeter;
import io.reactant.state.Var;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** {@link NotExposed}: shared methods of an exposed actor type that HTTP does not reach. */
class NotExposedMethodsTests {

  private final ReactiveWebApplicationContextRunner runner = IngressTestConfiguration.runner();

  /** Payments, whose refund only the box office may make. */
  public interface Payments {
    Mono<Long> pay(long amount);

    @NotExposed
    Mono<Long> refund(long amount);

    @NotExposed
    @Query
    Mono<Long> refunded();

    @Query
    Mono<Long> balance();
  }

  @ActorBean
  public static final class PaymentsActor extends Actor implements Payments {
    private final Var<Long> balance = newVar("balance", 0L);
    private final Var<Long> refunded = newVar("refunded", 0L);

    @Override
    public Mono<Long> pay(long amount) {
      return Mono.just(balance.update(b -> b + amount));
    }

    @Override
    public Mono<Long> refund(long amount) {
      refunded.update(r -> r + amount);
      return Mono.just(balance.update(b -> b - amount));
    }

    @Override
    public Mono<Long> refunded() {
      return Mono.just(refunded.get());
    }

    @Override
    public Mono<Long> balance() {
      return Mono.just(balance.get());
    }
  }

  /** An exposed actor that calls the hidden refund of the payments singleton. */
  public interface BoxOffice {
    Mono<Long> cancel(long amount);
  }

  @ActorBean
  public static final class BoxOfficeActor extends Actor implements BoxOffice {
    private final Payments payments;

    public BoxOfficeActor(Payments payments) {
      this.payments = payments;
    }

    @Override
    public Mono<Long> cancel(long amount) {
      return await(payments.refund(amount));
    }
  }

  private void withPayments(Consumer<WebTestClient> test) {
    runner.withUserConfiguration(PaymentsActor.class, BoxOfficeActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      test.accept(WebTestClient.bindToApplicationContext(context).build());
    });
  }

  /** The status, {@code Allow} and body a request answers, to compare two answers whole. */
  private static String answer(WebTestClient client, HttpMethod method, String path) {
    EntityExchangeResult<String> result = client.method(method).uri(path)
        .contentType(MediaType.APPLICATION_JSON).bodyValue("[1]").exchange()
        .expectBody(String.class).returnResult();
    return result.getStatus().value() + " " + result.getResponseHeaders().getAllow() + " "
        + result.getResponseHeaders().getContentType() + " " + result.getResponseBody();
  }

  @Test
  @DisplayName("R23 a method marked @NotExposed on the actor interface answers every HTTP method"
      + " exactly as a method the type does not have: 404 with code 3, nothing revealing it")
  void hiddenMethodAnswersAsAnUnknownMethod() {
    withPayments(client -> {
      for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.GET, HttpMethod.HEAD,
          HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE)) {
        for (String hidden : List.of("refund", "refunded")) {
          assertThat(answer(client, method, "/actors/Payments/payments/" + hidden))
              .as(method + " " + hidden)
              .isEqualTo(answer(client, method, "/actors/Payments/payments/nothing")
                  .replace("nothing", hidden))
              .startsWith("404");
        }
      }
      client.post().uri("/actors/Payments/payments/refund")
          .contentType(MediaType.APPLICATION_JSON).bodyValue("[1]").exchange()
          .expectBody().jsonPath("$.code").isEqualTo(3)
          .jsonPath("$.reject").isEqualTo("DESTINATION_INVALID")
          .jsonPath("$.message").isEqualTo("The actor type 'Payments' has no method 'refund'");
      client.get().uri("/actors/Payments/payments/balance").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(0L);
    });
  }

  @Test
  @DisplayName("R23 GET /actors does not list a method marked @NotExposed, and lists the others")
  void describeLeavesHiddenMethodsOut() {
    withPayments(client -> client.get().uri("/actors").exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$[?(@.type == 'Payments')].methods[*].name")
            .value((List<String> names) -> assertThat(names).containsExactly("balance", "pay"))
        .jsonPath("$[?(@.type == 'BoxOffice')].methods[*].name")
            .value((List<String> names) -> assertThat(names).containsExactly("cancel")));
  }

  @Test
  @DisplayName("R23 actors and the application still call a method marked @NotExposed")
  void actorsAndTheApplicationStillCallAHiddenMethod() {
    runner.withUserConfiguration(PaymentsActor.class, BoxOfficeActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      Payments payments = context.getBean(Payments.class);
      assertThat(payments.pay(100).block()).isEqualTo(100L);
      assertThat(payments.refund(10).block()).isEqualTo(90L);
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      client.post().uri("/actors/BoxOffice/boxOffice/cancel")
          .contentType(MediaType.APPLICATION_JSON).bodyValue("[15]").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(75L);
      assertThat(payments.refunded().block()).isEqualTo(25L);
    });
  }

  /** Tickets, whose implementation (not its interface) keeps a method off HTTP. */
  public interface Tickets {
    Mono<String> book(String seat);

    Mono<Long> cancelAll();
  }

  @ActorBean
  public static final class TicketsActor extends Actor implements Tickets {
    @Override
    public Mono<String> book(String seat) {
      return Mono.just("booked " + seat);
    }

    @NotExposed
    @Override
    public Mono<Long> cancelAll() {
      return Mono.just(0L);
    }
  }

  /** An implementation that hides a method in its superclass. */
  public abstract static class QuietTickets extends Actor implements Tickets {
    @NotExposed
    @Override
    public Mono<Long> cancelAll() {
      return Mono.just(0L);
    }
  }

  @ActorBean
  public static final class SubclassTicketsActor extends QuietTickets {
    @Override
    public Mono<String> book(String seat) {
      return Mono.just("booked " + seat);
    }

    @Override
    public Mono<Long> cancelAll() {
      return Mono.just(1L);
    }
  }

  @Test
  @DisplayName("R23 @NotExposed on the implementation's method, or on the superclass method it"
      + " overrides, hides it too: an interface need not depend on the starter")
  void implementationMayHideAMethod() {
    for (Class<?> actor : List.of(TicketsActor.class, SubclassTicketsActor.class)) {
      runner.withUserConfiguration(actor).run(context -> {
        assertThat(context).hasNotFailed();
        WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
        client.post().uri("/actors/Tickets/tickets/cancelAll").exchange()
            .expectStatus().isNotFound().expectBody().jsonPath("$.message")
            .isEqualTo("The actor type 'Tickets' has no method 'cancelAll'");
        client.post().uri("/actors/Tickets/tickets/book").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("[\"A1\"]").exchange()
            .expectStatus().isOk().expectBody(String.class).isEqualTo("\"booked A1\"");
        client.get().uri("/actors").exchange().expectBody()
            .jsonPath("$[?(@.type == 'Tickets')].methods[*].name")
            .value((List<String> names) -> assertThat(names).containsExactly("book"));
        assertThat(context.getBean(Tickets.class).cancelAll().block()).isNotNull();
      });
    }
  }

  /** A generic interface whose method the implementation marks with its own parameter type. */
  public interface Store<T> {
    Mono<Void> put(T item);
  }

  public interface Shelf extends Store<String> {
    @Query
    Mono<Long> size();
  }

  @ActorBean
  public static final class ShelfActor extends Actor implements Shelf {
    private final Var<Long> size = newVar("size", 0L);

    @NotExposed
    @Override
    public Mono<Void> put(String item) {
      size.update(n -> n + 1);
      return done();
    }

    @Override
    public Mono<Long> size() {
      return Mono.just(size.get());
    }
  }

  @Test
  @DisplayName("R23 @NotExposed on the implementation of a generic interface's method (a bridge"
      + " method between them) hides it")
  void implementationOfAGenericMethodMayHideIt() {
    runner.withUserConfiguration(ShelfActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      client.post().uri("/actors/Shelf/shelf/put").contentType(MediaType.APPLICATION_JSON)
          .bodyValue("[\"jam\"]").exchange().expectStatus().isNotFound();
      context.getBean(Shelf.class).put("jam").block();
      client.get().uri("/actors/Shelf/shelf/size").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
    });
  }

  /** A generic interface whose method is hidden. */
  public interface Stock<T> {
    @NotExposed
    Mono<Void> restock(T item);
  }

  /** Redeclares the hidden method with its type argument: the compiler adds a bridge. */
  public interface Pantry extends Stock<String> {
    @Override
    Mono<Void> restock(String item);

    @Query
    Mono<Long> count();
  }

  /** Inherits the hidden method as it is. */
  public interface Cellar extends Stock<Long> {
    @Query
    Mono<Long> count();
  }

  @ActorBean
  public static final class PantryActor extends Actor implements Pantry {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Void> restock(String item) {
      count.update(n -> n + 1);
      return done();
    }

    @Override
    public Mono<Long> count() {
      return Mono.just(count.get());
    }
  }

  @ActorBean
  public static final class CellarActor extends Actor implements Cellar {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Void> restock(Long item) {
      count.update(n -> n + item);
      return done();
    }

    @Override
    public Mono<Long> count() {
      return Mono.just(count.get());
    }
  }

  @Test
  @DisplayName("R23 a method marked @NotExposed in a generic super-interface stays hidden in a type"
      + " that inherits it with a type argument, redeclared there (a bridge) or not")
  void hiddenMethodOfAGenericSuperInterfaceStaysHidden() {
    runner.withUserConfiguration(PantryActor.class, CellarActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      client.post().uri("/actors/Pantry/pantry/restock").contentType(MediaType.APPLICATION_JSON)
          .bodyValue("[\"jam\"]").exchange().expectStatus().isNotFound();
      client.post().uri("/actors/Cellar/cellar/restock").contentType(MediaType.APPLICATION_JSON)
          .bodyValue("[5]").exchange().expectStatus().isNotFound();
      client.get().uri("/actors").exchange().expectBody()
          .jsonPath("$[?(@.type == 'Pantry' || @.type == 'Cellar')].methods[*].name")
          .value((List<String> names) -> assertThat(names).containsExactly("count", "count"));
      assertThat(context.getBean(Pantry.class).count().block()).isZero();
      assertThat(context.getBean(Cellar.class).count().block()).isZero();
      context.getBean(Pantry.class).restock("jam").block();
      assertThat(context.getBean(Pantry.class).count().block()).isEqualTo(1L);
    });
  }

  /** A method hidden in an interface that the actor interface extends. */
  public interface Audited {
    @NotExposed
    Mono<Long> audit();
  }

  public interface Ledger extends Audited {
    Mono<Long> post(long amount);
  }

  /** An actor interface that redeclares the hidden method without the mark: it stays hidden. */
  public interface Journal extends Audited {
    @Override
    Mono<Long> audit();
  }

  @ActorBean
  public static final class LedgerActor extends Actor implements Ledger {
    @Override
    public Mono<Long> post(long amount) {
      return Mono.just(amount);
    }

    @Override
    public Mono<Long> audit() {
      return Mono.just(7L);
    }
  }

  @ActorBean
  public static final class JournalActor extends Actor implements Journal {
    @Override
    public Mono<Long> audit() {
      return Mono.just(8L);
    }
  }

  @Test
  @DisplayName("R23 a method marked @NotExposed in an interface the actor interface extends stays"
      + " hidden, redeclared or not")
  void hiddenMethodOfASuperInterfaceStaysHidden() {
    runner.withUserConfiguration(LedgerActor.class, JournalActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      client.post().uri("/actors/Ledger/ledger/audit").exchange().expectStatus().isNotFound();
      client.post().uri("/actors/Journal/journal/audit").exchange().expectStatus().isNotFound();
      client.post().uri("/actors/Ledger/ledger/post").contentType(MediaType.APPLICATION_JSON)
          .bodyValue("[3]").exchange().expectStatus().isOk();
      assertThat(context.getBean(Ledger.class).audit().block()).isEqualTo(7L);
      assertThat(context.getBean(Journal.class).audit().block()).isEqualTo(8L);
    });
  }

  /** Overloads of which HTTP sees one. */
  public interface Shop {
    Mono<String> order(String item);

    @NotExposed
    Mono<String> order(String item, int count);
  }

  @ActorBean
  public static final class ShopActor extends Actor implements Shop {
    @Override
    public Mono<String> order(String item) {
      return order(item, 1);
    }

    @Override
    public Mono<String> order(String item, int count) {
      return Mono.just(count + " " + item);
    }
  }

  /** Overloads that HTTP would see both of. */
  public interface Bakery {
    Mono<String> bake(String bread);

    Mono<String> bake(String bread, int loaves);
  }

  @ActorBean
  public static final class BakeryActor extends Actor implements Bakery {
    @Override
    public Mono<String> bake(String bread) {
      return Mono.just(bread);
    }

    @Override
    public Mono<String> bake(String bread, int loaves) {
      return Mono.just(loaves + " " + bread);
    }
  }

  @Test
  @DisplayName("R23 an overloaded name whose other overloads are @NotExposed starts: HTTP calls the"
      + " one it sees")
  void hiddenOverloadsLeaveOneMethodToCall() {
    runner.withUserConfiguration(ShopActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      client.post().uri("/actors/Shop/shop/order").contentType(MediaType.APPLICATION_JSON)
          .bodyValue("[\"tea\"]").exchange()
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"1 tea\"");
      client.post().uri("/actors/Shop/shop/order").contentType(MediaType.APPLICATION_JSON)
          .bodyValue("[\"tea\", 2]").exchange().expectStatus().isBadRequest();
      client.get().uri("/actors").exchange().expectBody()
          .jsonPath("$[?(@.type == 'Shop')].methods[*].candid")
          .value((List<String> candid) -> assertThat(candid)
              .containsExactly("order : (text) -> (text)"));
      assertThat(context.getBean(Shop.class).order("tea", 3).block()).isEqualTo("3 tea");
    });
  }

  @Test
  @DisplayName("R23 an overloaded name that HTTP sees twice still fails the startup, saying to"
      + " rename one or mark it @NotExposed")
  void visibleOverloadsStillFailTheStartup() {
    runner.withUserConfiguration(BakeryActor.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOfSatisfying(ActorDeclarationException.class, e -> {
            assertThat(e).hasMessage("The actor type 'Bakery' is exposed over HTTP but overloads"
                + " the method bake(): HTTP calls name methods without their parameter types");
            assertThat(e.action()).contains("Rename one of the overloads of Bakery.bake()")
                .contains("@NotExposed").contains("exposed = false");
          });
    });
  }

  /** A hidden method that takes an actor reference, which JSON cannot carry. */
  public interface Relay {
    Mono<String> ping();

    @NotExposed
    Mono<Void> forward(String text, List<Greeter> to);

    @NotExposed
    Mono<Greeter> next();
  }

  @ActorBean
  public static final class RelayActor extends Actor implements Relay {
    private final ActorDirectory actors;

    public RelayActor(ActorDirectory actors) {
      this.actors = actors;
    }

    @Override
    public Mono<String> ping() {
      return Mono.just("pong");
    }

    @Override
    public Mono<Void> forward(String text, List<Greeter> to) {
      return done();
    }

    @Override
    public Mono<Greeter> next() {
      return Mono.just(actors.get(Greeter.class, "greeter"));
    }
  }

  @Test
  @DisplayName("R21 R23 an exposed type whose methods that take or return an actor reference are"
      + " @NotExposed starts, and the application passes references through them")
  void hiddenMethodsMayTakeOrReturnActorReferences() {
    runner.withUserConfiguration(RelayActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      client.post().uri("/actors/Relay/relay/ping").exchange()
          .expectStatus().isOk().expectBody(String.class).isEqualTo("\"pong\"");
      client.post().uri("/actors/Relay/relay/forward").exchange().expectStatus().isNotFound();
      Relay relay = context.getBean(Relay.class);
      Greeter greeter = relay.next().block();
      assertThat(greeter.greet("Ada").block()).isEqualTo("Hi, Ada");
      relay.forward("hello", List.of(greeter)).block();
    });
  }

  /** A type that is not exposed at all, with a hidden method: the mark changes nothing. */
  public interface Vault {
    @NotExposed
    Mono<Long> open();
  }

  @ActorBean(exposed = false)
  public static final class VaultActor extends Actor implements Vault {
    @Override
    public Mono<Long> open() {
      return Mono.just(1L);
    }
  }

  @Test
  @DisplayName("R23 @NotExposed on a type that is not exposed changes nothing: the type stays off"
      + " HTTP, and the application calls the method")
  void hiddenMethodOfATypeNotExposedChangesNothing() {
    runner.withUserConfiguration(VaultActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      client.post().uri("/actors/Vault/vault/open").exchange().expectStatus().isNotFound()
          .expectBody().jsonPath("$.message").value((String m) -> assertThat(m)
              .startsWith("No actor type 'Vault'"));
      assertThat(context.getBean(Vault.class).open().block()).isEqualTo(1L);
    });
  }

  /** An implementation that marks a helper of its own, which is no shared method. */
  @ActorBean
  public static final class HelperMarkingTicketsActor extends Actor implements Tickets {
    @Override
    public Mono<String> book(String seat) {
      return Mono.just(seat(seat));
    }

    @Override
    public Mono<Long> cancelAll() {
      return Mono.just(0L);
    }

    @NotExposed
    public String seat(String seat) {
      return "booked " + seat;
    }
  }

  /** An implementation that marks a method of another interface it implements. */
  public interface Refunds {
    Mono<Long> refundAll();
  }

  @ActorBean(type = Tickets.class)
  public static final class OtherInterfaceTicketsActor extends Actor implements Tickets, Refunds {
    @Override
    public Mono<String> book(String seat) {
      return Mono.just(seat);
    }

    @Override
    public Mono<Long> cancelAll() {
      return Mono.just(0L);
    }

    @NotExposed
    @Override
    public Mono<Long> refundAll() {
      return Mono.just(0L);
    }
  }

  /** An actor interface that marks a static method, which is no shared method. */
  public interface Counted {
    Mono<Long> count();

    @NotExposed
    static Counted none() {
      return null;
    }
  }

  @ActorBean
  public static final class CountedActor extends Actor implements Counted {
    @Override
    public Mono<Long> count() {
      return Mono.just(0L);
    }
  }

  /** An actor type not exposed whose implementation marks a helper: a mistake all the same. */
  @ActorBean(exposed = false)
  public static final class HiddenHelperVaultActor extends Actor implements Vault {
    @Override
    public Mono<Long> open() {
      return Mono.just(key());
    }

    @NotExposed
    long key() {
      return 1L;
    }
  }

  @Test
  @DisplayName("R23 @NotExposed on a method that is not a shared method of the actor type fails the"
      + " startup naming it and saying what to do")
  void markOnAMethodThatIsNotSharedFailsTheStartup() {
    Function<Class<?>, ActorDeclarationException> failure = actor -> {
      ActorDeclarationException[] thrown = new ActorDeclarationException[1];
      runner.withUserConfiguration(actor).run(context -> {
        assertThat(context).as(actor.getSimpleName()).hasFailed();
        assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOfSatisfying(ActorDeclarationException.class, e -> thrown[0] = e);
      });
      return thrown[0];
    };
    ActorDeclarationException helper = failure.apply(HelperMarkingTicketsActor.class);
    assertThat(helper).hasMessage("@NotExposed marks " + HelperMarkingTicketsActor.class.getName()
        + ".seat(String), which is not a shared method of the actor type 'Tickets' ("
        + Tickets.class.getName() + "): only a shared method can be kept off HTTP");
    assertThat(helper.action()).isEqualTo("Remove @NotExposed from seat(String), or put it on"
        + " a method of " + Tickets.class.getName() + " or on its implementation.");
    assertThat(failure.apply(OtherInterfaceTicketsActor.class)).hasMessageContaining(
        OtherInterfaceTicketsActor.class.getName() + ".refundAll(), which is not a shared method"
            + " of the actor type 'Tickets'");
    assertThat(failure.apply(CountedActor.class)).hasMessageContaining(
        "@NotExposed marks " + Counted.class.getName() + ".none(), which is not a shared method"
            + " of the actor type 'Counted'");
    assertThat(failure.apply(HiddenHelperVaultActor.class)).hasMessageContaining(
        HiddenHelperVaultActor.class.getName() + ".key(), which is not a shared method");
  }

  /** A method that several actor types share through one interface. */
  public interface Refundable {
    Mono<Long> refund(long amount);
  }

  /** A till, whose refund only the application may make: its implementation hides it. */
  public interface Till extends Refundable {
    @Query
    Mono<Long> cash();
  }

  @ActorBean
  public static final class TillActor extends Actor implements Till {
    private final Var<Long> cash = newVar("cash", 100L);

    @NotExposed
    @Override
    public Mono<Long> refund(long amount) {
      return Mono.just(cash.update(c -> c - amount));
    }

    @Override
    public Mono<Long> cash() {
      return Mono.just(cash.get());
    }
  }

  /** A safe, not exposed at all, that shares the method too. */
  public interface Safe extends Refundable {
  }

  @ActorBean(exposed = false)
  public static final class SafeActor extends Actor implements Safe {
    private final Var<Long> cash = newVar("cash", 1000L);

    @Override
    public Mono<Long> refund(long amount) {
      return Mono.just(cash.update(c -> c - amount));
    }
  }

  /** A gift shop whose refund any client may ask for. */
  public interface GiftShop extends Refundable {
  }

  @ActorBean
  public static final class GiftShopActor extends Actor implements GiftShop {
    private final Var<Long> refunded = newVar("refunded", 0L);

    @Override
    public Mono<Long> refund(long amount) {
      return Mono.just(refunded.update(r -> r + amount));
    }
  }

  /** Another exposed type whose refund any client may ask for. */
  public interface Kiosk extends Refundable {
  }

  @ActorBean
  public static final class KioskActor extends Actor implements Kiosk {
    @Override
    public Mono<Long> refund(long amount) {
      return Mono.just(-amount);
    }
  }

  @Test
  @DisplayName("R23 a method hidden in one actor type (or a type not exposed) is not reached"
      + " through another exposed type sharing its interface: /actors/GiftShop/till/refund"
      + " answers as an id no actor holds (GiftShop is a singleton), and changes nothing")
  void hiddenMethodIsNotReachedThroughAnotherType() {
    runner.withUserConfiguration(TillActor.class, SafeActor.class, GiftShopActor.class,
        KioskActor.class).run(context -> {
          assertThat(context).hasNotFailed();
          WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
          for (String[] target : List.of(new String[] {"till", "Till"},
              new String[] {"safe", "Safe"})) {
            client.post().uri("/actors/GiftShop/" + target[0] + "/refund")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[30]").exchange()
                .expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo(3)
                .jsonPath("$.message").isEqualTo("No actor '" + target[0] + "'");
          }
          assertThat(context.getBean(Till.class).cash().block()).isEqualTo(100L);
          assertThat(context.getBean(Safe.class).refund(0).block()).isEqualTo(1000L);
          client.post().uri("/actors/GiftShop/giftShop/refund")
              .contentType(MediaType.APPLICATION_JSON).bodyValue("[30]").exchange()
              .expectStatus().isOk().expectBody(Long.class).isEqualTo(30L);
          // a type exposing the shared method is not reached through another's path either: a
          // GiftShop reference reaches only actors that implement GiftShop (rules R1, R23)
          client.post().uri("/actors/GiftShop/kiosk/refund")
              .contentType(MediaType.APPLICATION_JSON).bodyValue("[30]").exchange()
              .expectStatus().isNotFound().expectBody()
              .jsonPath("$.message").isEqualTo("No actor 'kiosk'");
          client.post().uri("/actors/Kiosk/kiosk/refund")
              .contentType(MediaType.APPLICATION_JSON).bodyValue("[30]").exchange()
              .expectStatus().isOk().expectBody(Long.class).isEqualTo(-30L);
        });
  }

  /** A booth, whose actor type has no refund, though its implementation has one. */
  public interface Booth {
    @Query
    Mono<Long> cash();
  }

  @ActorBean(type = Booth.class)
  public static final class BoothActor extends Actor implements Booth, Refundable {
    private final Var<Long> cash = newVar("cash", 100L);

    @Override
    public Mono<Long> cash() {
      return Mono.just(cash.get());
    }

    @Override
    public Mono<Long> refund(long amount) {
      return Mono.just(cash.update(c -> c - amount));
    }
  }

  @Test
  @DisplayName("R23 a method that an actor's implementation has but its actor type does not is not"
      + " reached through another exposed type's path: it answers as an id no actor holds")
  void methodOutsideTheActorTypeIsNotReachedThroughAnotherType() {
    runner.withUserConfiguration(BoothActor.class, GiftShopActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      client.post().uri("/actors/GiftShop/booth/refund")
          .contentType(MediaType.APPLICATION_JSON).bodyValue("[30]").exchange()
          .expectStatus().isNotFound().expectBody()
          .jsonPath("$.code").isEqualTo(3)
          .jsonPath("$.message").isEqualTo("No actor 'booth'");
      client.post().uri("/actors/Booth/booth/refund")
          .contentType(MediaType.APPLICATION_JSON).bodyValue("[30]").exchange()
          .expectStatus().isNotFound();
      assertThat(context.getBean(Booth.class).cash().block()).isEqualTo(100L);
    });
  }

  /** A till whose implementation is a gift shop too, and keeps its refund off HTTP. */
  @ActorBean(type = Till.class)
  public static final class TwinTillActor extends Actor implements Till, GiftShop {
    private final Var<Long> cash = newVar("cash", 100L);

    @NotExposed
    @Override
    public Mono<Long> refund(long amount) {
      return Mono.just(cash.update(c -> c - amount));
    }

    @Override
    public Mono<Long> cash() {
      return Mono.just(cash.get());
    }
  }

  @Test
  @DisplayName("R23 an actor whose class implements another exposed type's interface too is not"
      + " reached through that type's path for a method its own type keeps off HTTP: the actor"
      + " system lets the call through (the class implements GiftShop), the ingress refuses it as"
      + " an id no actor holds")
  void methodHiddenByAnActorOfBothTypesIsNotReachedThroughTheOther() {
    runner.withUserConfiguration(TwinTillActor.class, GiftShopActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
      client.post().uri("/actors/GiftShop/till/refund")
          .contentType(MediaType.APPLICATION_JSON).bodyValue("[30]").exchange()
          .expectStatus().isNotFound().expectBody()
          .jsonPath("$.code").isEqualTo(3)
          .jsonPath("$.message").isEqualTo("No actor 'till'");
      assertThat(context.getBean(Till.class).cash().block()).isEqualTo(100L);
      client.post().uri("/actors/GiftShop/giftShop/refund")
          .contentType(MediaType.APPLICATION_JSON).bodyValue("[30]").exchange()
          .expectStatus().isOk().expectBody(Long.class).isEqualTo(30L);
    });
  }
}

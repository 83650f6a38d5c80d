package io.reactant.sample.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorClass;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorRefs;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.IngressMessage;
import io.reactant.actor.CompositeQuery;
import io.reactant.actor.Query;
import io.reactant.actor.TimerId;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.ActorSystemCustomizer;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantWebFluxAutoConfiguration;
import io.reactant.state.TxMap;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A small stateful service written from the README and docs/starter.md alone: warehouses (one
 * virtual actor each) hold stock; an order desk (a singleton) creates one actor per order, which
 * reserves its lines across warehouses with awaits, holds them for a payment window (a timer) and
 * gives them back when unpaid, refused or cancelled. Stock is only ever moved, never created or
 * lost: every test ends by counting it.
 */
class InventoryServiceTests {

  static final Duration PAYMENT_WINDOW = Duration.ofMinutes(15);

  /** One line of an order: a quantity of a sku from one warehouse. */
  public record Line(String warehouse, String sku, int quantity) {
  }

  /** Holds stock; only orders take it out or put it back. */
  public interface Warehouse {
    /** Adds stock and answers what is on hand. */
    Mono<Integer> restock(String sku, int quantity);

    /** Takes stock for an order; rejects when there is not enough. */
    Mono<Integer> take(String sku, int quantity);

    /** Gives back stock an order took. */
    Mono<Void> putBack(String sku, int quantity);

    @Query
    Mono<Integer> onHand(String sku);
  }

  public enum Status { RESERVING, RESERVED, PAID, FAILED, RELEASED }

  /** What an order holds. */
  public record OrderView(Status status, List<Line> lines) {
  }

  /** One order: reserves its lines, then is paid, cancelled or expires. */
  public interface Order {
    Mono<Void> reserve();

    Mono<Void> pay();

    Mono<Void> cancel();

    @Query
    Mono<OrderView> view();
  }

  /** Creates orders. */
  public interface OrderDesk {
    /** Creates an order, reserves its lines and answers its id; rejects if they cannot be. */
    Mono<String> place(List<Line> lines);

    /** The stock of a sku across warehouses (R19: awaits each warehouse's query). */
    @CompositeQuery
    Mono<Integer> totalOnHand(String sku, List<String> warehouses);
  }

  @ActorBean(activation = Activation.VIRTUAL)
  static final class WarehouseActor extends Actor implements Warehouse {
    private final TxMap<String, Integer> stock = newMap("stock");

    @Override
    protected boolean inspect(IngressMessage message) {   // R26: ingress only
      if (!message.method().equals("restock")) {
        throw CallError.reject("only orders move stock out of a warehouse");
      }
      return (Integer) message.arguments().get(1) > 0;
    }

    @Override
    public Mono<Integer> restock(String sku, int quantity) {
      // an overflow traps (R12): nothing of the turn stays
      return Mono.just(stock.update(sku, 0, n -> Math.addExact(n, quantity)));
    }

    @Override
    public Mono<Integer> take(String sku, int quantity) {
      int left = stock.getOrDefault(sku, 0);
      if (quantity <= 0) {
        return trap("take of " + quantity);
      }
      if (left < quantity) {
        return reject(actorId() + " has " + left + " " + sku + ", " + quantity + " wanted");
      }
      stock.put(sku, left - quantity);
      return Mono.just(left - quantity);
    }

    @Override
    public Mono<Void> putBack(String sku, int quantity) {
      stock.update(sku, 0, n -> n + quantity);
      return done();
    }

    @Override
    public Mono<Integer> onHand(String sku) {
      return Mono.just(stock.getOrDefault(sku, 0));
    }
  }

  static final ActorClass<Order, List<Line>> ORDERS = ActorClass.of(Order.class, OrderActor::new);

  @ActorBean
  static final class OrderDeskActor extends Actor implements OrderDesk {
    @Override
    public Mono<Integer> totalOnHand(String sku, List<String> warehouses) {
      return await(Flux.fromIterable(warehouses)
          .flatMap(w -> actorOf(Warehouse.class, ActorId.of(w)).onHand(sku), Integer.MAX_VALUE)
          .reduce(0, Integer::sum));
    }

    @Override
    public Mono<String> place(List<Line> lines) {
      if (lines.isEmpty()) {
        return reject("an order needs at least one line");
      }
      return await(spawn(ORDERS, List.copyOf(lines)))
          .flatMap(order -> await(order.reserve()).thenReturn(ActorRefs.idOf(order).value()));
    }
  }

  @ActorBean(activation = Activation.EXPLICIT)
  static final class OrderActor extends Actor implements Order {
    private final List<Line> lines;
    private final Var<Status> status = newVar("status", Status.RESERVING);
    private final Var<List<Line>> taken = newVar("taken", List.of());
    private final Var<@Nullable TimerId> expiry = newVar("expiry", null);

    OrderActor(List<Line> lines) {
      this.lines = lines;
    }

    @Override
    protected boolean inspect(IngressMessage message) {  // R26: only the desk reserves
      return !message.method().equals("reserve");
    }

    @Override
    public Mono<Void> reserve() {
      if (status.get() != Status.RESERVING || !taken.get().isEmpty()) {
        return reject("order " + actorId() + " is already " + status.get());
      }
      return reserveFrom(0);
    }

    private Mono<Void> reserveFrom(int i) {
      if (i == lines.size()) {
        status.set(Status.RESERVED);
        expiry.set(setTimer(PAYMENT_WINDOW, () -> giveBack(Status.RESERVED)));
        return done();
      }
      Line line = lines.get(i);
      Warehouse warehouse = actorOf(Warehouse.class, ActorId.of(line.warehouse()));
      return await(warehouse.take(line.sku(), line.quantity()))
          .map(left -> true)
          .onErrorResume(CallError.class, e -> Mono.just(false))   // R12b: the next turn
          .flatMap(tookIt -> {
            if (!tookIt) {
              status.set(Status.FAILED);
              return returnTaken().then(Mono.defer(() -> reject("order " + actorId()
                  + " cannot be reserved: line " + (i + 1) + " (" + line + ") is short")));
            }
            taken.set(append(taken.get(), line));
            return reserveFrom(i + 1);
          });
    }

    private Mono<Void> returnTaken() {
      List<Mono<Void>> puts = new ArrayList<>();
      for (Line line : taken.get()) {
        puts.add(actorOf(Warehouse.class, ActorId.of(line.warehouse()))
            .putBack(line.sku(), line.quantity()));
      }
      taken.set(List.of());
      return await(Mono.when(puts));
    }

    private Mono<Void> giveBack(Status from) {
      if (status.get() != from) {
        return done();
      }
      status.set(Status.RELEASED);
      return returnTaken();
    }

    @Override
    public Mono<Void> pay() {
      if (status.get() != Status.RESERVED) {
        return reject("order " + actorId() + " is " + status.get() + ", not RESERVED");
      }
      status.set(Status.PAID);
      TimerId timer = expiry.get();
      if (timer != null) {
        cancelTimer(timer);
      }
      return done();
    }

    @Override
    public Mono<Void> cancel() {
      if (status.get() != Status.RESERVED) {
        return reject("order " + actorId() + " is " + status.get() + ", not RESERVED");
      }
      TimerId timer = expiry.get();
      if (timer != null) {
        cancelTimer(timer);
      }
      return giveBack(Status.RESERVED);
    }

    @Override
    public Mono<OrderView> view() {
      return Mono.just(new OrderView(status.get(), status.get() == Status.PAID
          || status.get() == Status.RESERVED ? taken.get() : List.of()));
    }

    private static List<Line> append(List<Line> list, Line line) {
      List<Line> copy = new ArrayList<>(list);
      copy.add(line);
      return List.copyOf(copy);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import({ WarehouseActor.class, OrderDeskActor.class, OrderActor.class })
  static class InventoryConfiguration {
  }

  private static ReactiveWebApplicationContextRunner runner() {
    return new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
            CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
            HttpHandlerAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class))
        .withUserConfiguration(InventoryConfiguration.class);
  }

  private static ResponseSpec post(WebTestClient client, String path, String json) {
    return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json)
        .exchange();
  }

  private static int onHand(WebTestClient client, String warehouse, String sku) {
    Integer n = post(client, "/actors/Warehouse/" + warehouse + "/onHand", "[\"" + sku + "\"]")
        .expectStatus().isOk().expectBody(Integer.class).returnResult().getResponseBody();
    return n == null ? -1 : n;
  }

  private static void expectError(ResponseSpec response, HttpStatus status, int code,
      String message) {
    response.expectStatus().isEqualTo(status).expectBody()
        .jsonPath("$.code").isEqualTo(code)
        .jsonPath("$.message").value(String.class, m -> assertThat(m).contains(message));
  }

  @Test
  @DisplayName("R11 R12 R19 R26 over HTTP: an order reserves, a short one rejects and gives back,"
      + " an overflow traps, inspection refuses ingress")
  void ordersOverHttp() {
    runner().run(context -> {
      assertThat(context).hasNotFailed();
      WebTestClient client = WebTestClient.bindToApplicationContext(context).build();

      post(client, "/actors/Warehouse/north/restock", "[\"apple\", 5]").expectStatus().isOk()
          .expectBody(Integer.class).isEqualTo(5);
      post(client, "/actors/Warehouse/south/restock", "[\"apple\", 3]").expectStatus().isOk();

      String json = post(client, "/actors/OrderDesk/orderDesk/place",
          "[[{\"warehouse\": \"north\", \"sku\": \"apple\", \"quantity\": 4},"
              + " {\"warehouse\": \"south\", \"sku\": \"apple\", \"quantity\": 2}]]")
          .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
      assertThat(json).matches("\"order-\\d+\"");   // a JSON string
      String id = json.substring(1, json.length() - 1);
      assertThat(onHand(client, "north", "apple")).isEqualTo(1);
      assertThat(onHand(client, "south", "apple")).isEqualTo(1);

      // R11: the second line is short; the first line's stock is given back before the reject
      expectError(post(client, "/actors/OrderDesk/orderDesk/place",
          "[[{\"warehouse\": \"north\", \"sku\": \"apple\", \"quantity\": 1},"
              + " {\"warehouse\": \"south\", \"sku\": \"apple\", \"quantity\": 2}]]"),
          HttpStatus.CONFLICT, 4, "is short");
      assertThat(onHand(client, "north", "apple")).isEqualTo(1);
      assertThat(onHand(client, "south", "apple")).isEqualTo(1);

      // R12: an overflow traps and leaves the stock as it was
      expectError(post(client, "/actors/Warehouse/north/restock",
          "[\"apple\", " + Integer.MAX_VALUE + "]"), HttpStatus.INTERNAL_SERVER_ERROR, 5,
          "ArithmeticException");
      assertThat(onHand(client, "north", "apple")).isEqualTo(1);

      // R26: ingress may not take stock, nor reserve an order itself, nor restock nothing
      expectError(post(client, "/actors/Warehouse/north/take", "[\"apple\", 1]"),
          HttpStatus.CONFLICT, 4, "only orders move stock");
      expectError(post(client, "/actors/Order/" + id + "/reserve", ""), HttpStatus.CONFLICT, 4,
          "reserve");
      expectError(post(client, "/actors/Warehouse/north/restock", "[\"apple\", 0]"),
          HttpStatus.CONFLICT, 4, "restock");

      expectError(post(client, "/actors/Warehouse/west/take", "[\"apple\", 1]"),
          HttpStatus.CONFLICT, 4, "only orders move stock");

      // R19: a composite query awaits each warehouse's query; a warehouse never stocked answers
      // 0 and, like the warehouse the inspection refused, is not created
      post(client, "/actors/OrderDesk/orderDesk/totalOnHand",
          "[\"apple\", [\"north\", \"south\", \"east\"]]")
          .expectStatus().isOk().expectBody(Integer.class).isEqualTo(2);
      ActorSystem system = context.getBean(ActorSystem.class);
      assertThat(system.contains(ActorId.of("east"))).isFalse();
      assertThat(system.contains(ActorId.of("west"))).isFalse();

      // the order, spawned by the desk through an ActorClass, is reachable as a declared type

      post(client, "/actors/Order/" + id + "/pay", "").expectStatus().isNoContent();
      expectError(post(client, "/actors/Order/" + id + "/cancel", ""), HttpStatus.CONFLICT, 4,
          "is PAID");
      client.get().uri("/actors/Order/" + id + "/view").exchange().expectStatus().isOk()
          .expectBody().jsonPath("$.status").isEqualTo("PAID")
          .jsonPath("$.lines.length()").isEqualTo(2);
    });
  }

  @Test
  @DisplayName("R25 an unpaid order's hold expires on its timer and gives its stock back;"
      + " a paid one keeps it")
  void unpaidOrdersExpire() {
    DeterministicScheduler scheduler = DeterministicScheduler.withSeed(7);
    runner().withBean(ActorSystemCustomizer.class, () -> b -> b.scheduler(scheduler))
        .run(context -> {
          assertThat(context).hasNotFailed();
          ActorDirectory actors = context.getBean(ActorDirectory.class);
          Warehouse north = actors.get(Warehouse.class, "north");
          OrderDesk desk = actors.singleton(OrderDesk.class);
          scheduler.await(north.restock("pear", 10));

          String unpaid = scheduler.await(desk.place(List.of(new Line("north", "pear", 3))));
          String paid = scheduler.await(desk.place(List.of(new Line("north", "pear", 4))));
          scheduler.await(actors.get(Order.class, paid).pay());
          assertThat(scheduler.await(north.onHand("pear"))).isEqualTo(3);

          scheduler.advanceTimeBy(PAYMENT_WINDOW.minusSeconds(1));
          assertThat(scheduler.await(north.onHand("pear"))).isEqualTo(3);
          scheduler.advanceTimeBy(Duration.ofSeconds(1));
          assertThat(scheduler.await(north.onHand("pear"))).isEqualTo(6);
          assertThat(scheduler.await(actors.get(Order.class, unpaid).view()).status())
              .isEqualTo(Status.RELEASED);
          assertThatThrownBy(() -> scheduler.await(actors.get(Order.class, unpaid).pay()))
              .isInstanceOfSatisfying(CallError.class,
                  e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT));
        });
  }

  @Test
  @DisplayName("R2 R9 R13 200 orders from 8 threads across 3 warehouses: no stock created or lost")
  void concurrentOrdersConserveStock() {
    runner().run(context -> {
      assertThat(context).hasNotFailed();
      ActorDirectory actors = context.getBean(ActorDirectory.class);
      OrderDesk desk = actors.singleton(OrderDesk.class);
      List<String> warehouses = List.of("w1", "w2", "w3");
      List<String> skus = List.of("apple", "pear");
      for (String w : warehouses) {
        for (String sku : skus) {
          actors.get(Warehouse.class, w).restock(sku, 40).block(Duration.ofSeconds(5));
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<@Nullable String>> placed = new ArrayList<>();
      List<Status> fates = new ArrayList<>(); // what becomes of order n once placed
      for (int n = 0; n < 200; n++) {
        Random random = new Random(n);
        List<Line> lines = new ArrayList<>();
        for (int l = 0, count = 1 + random.nextInt(3); l < count; l++) {
          lines.add(new Line(warehouses.get(random.nextInt(3)), skus.get(random.nextInt(2)),
              1 + random.nextInt(4)));
        }
        int fate = n % 3;
        fates.add(fate == 0 ? Status.PAID : fate == 1 ? Status.RELEASED : Status.RESERVED);
        Callable<@Nullable String> order = () -> {
          String id;
          try {
            id = desk.place(lines).block(Duration.ofSeconds(5));
          } catch (CallError e) {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
            return null;
          }
          Order ref = actors.get(Order.class, id);
          if (fate == 0) {
            ref.pay().block(Duration.ofSeconds(5));
          } else if (fate == 1) {
            ref.cancel().block(Duration.ofSeconds(5));
          }
          return id;
        };
        placed.add(pool.submit(order));
      }
      List<String> ids = new ArrayList<>();
      Map<String, Status> expected = new HashMap<>();
      for (int n = 0; n < placed.size(); n++) {
        String id = placed.get(n).get(10, TimeUnit.SECONDS);
        if (id != null) {
          ids.add(id);
          expected.put(id, fates.get(n));
        }
      }
      pool.shutdown();

      Map<String, Integer> held = new HashMap<>();   // paid or still reserved, by sku
      for (String id : ids) {
        OrderView view = actors.get(Order.class, id).view().block(Duration.ofSeconds(5));
        assertThat(view).isNotNull();
        // paid, cancelled, or left unpaid inside its payment window (real time: it stays reserved)
        assertThat(view.status()).as(id).isEqualTo(expected.get(id));
        for (Line line : view.lines()) {
          held.merge(line.sku(), line.quantity(), Integer::sum);
        }
      }
      for (String sku : skus) {
        int onHand = 0;
        for (String w : warehouses) {
          int n = actors.get(Warehouse.class, w).onHand(sku).block(Duration.ofSeconds(5));
          assertThat(n).isNotNegative();
          onHand += n;
        }
        assertThat(onHand + held.getOrDefault(sku, 0)).as(sku).isEqualTo(3 * 40);
      }
      // the first order placed finds every shelf full; the orders kept would need more than 40
      // of some item in some warehouse (their lines are fixed by their seeds), so some ran short
      assertThat(ids.size()).isBetween(1, 199);
    });
  }
}

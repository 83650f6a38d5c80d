package io.reactant.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.actor.TimerId;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import io.reactant.state.TxMap;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * An example written from the README alone, outside the toolkit's packages: an inventory that
 * holds reservations for a while (a timer) and restocks from a warehouse (an actor-to-actor
 * await), with an update, a query and rejects, on virtual time.
 */
class InventoryExampleTest {

  static final Duration HOLD = Duration.ofMinutes(15);

  /** Ships stock to whoever asks. */
  public interface Warehouse {
    Mono<Void> receive(String sku, int quantity);

    /** Ships up to {@code wanted} and answers how many it shipped; rejects an unknown sku. */
    Mono<Integer> ship(String sku, int wanted);

    @Query
    Mono<Integer> onHand(String sku);
  }

  /** Sells from its own stock; a reservation is held for {@link #HOLD} unless confirmed. */
  public interface Inventory {
    /** Reserves stock and answers the reservation's number; rejects when there is not enough. */
    Mono<Long> reserve(String sku, int quantity);

    Mono<Void> confirm(long reservation);

    /** Asks the warehouse for stock and answers how much arrived. */
    Mono<Integer> restock(String sku, int wanted);

    @Query
    Mono<Integer> available(String sku);
  }

  static final class WarehouseActor extends Actor implements Warehouse {
    private final TxMap<String, Integer> stock = newMap("stock");

    @Override
    public Mono<Void> receive(String sku, int quantity) {
      stock.update(sku, 0, n -> n + quantity);
      return done();
    }

    @Override
    public Mono<Integer> ship(String sku, int wanted) {
      Integer onHand = stock.get(sku);
      if (onHand == null) {
        return reject("the warehouse does not stock " + sku);
      }
      int shipped = Math.min(onHand, wanted);
      stock.put(sku, onHand - shipped);
      return Mono.just(shipped);
    }

    @Override
    public Mono<Integer> onHand(String sku) {
      return Mono.just(stock.getOrDefault(sku, 0));
    }
  }

  /** A reservation held until it is confirmed or its timer fires. */
  record Held(String sku, int quantity, TimerId expiry) {
  }

  static final class InventoryActor extends Actor implements Inventory {
    private final Warehouse warehouse;
    private final TxMap<String, Integer> available = newMap("available");
    private final TxMap<Long, Held> held = newMap("held");
    private final LongVar lastReservation = newLongVar("lastReservation", 0);

    InventoryActor(Warehouse warehouse) {
      this.warehouse = warehouse;
    }

    @Override
    public Mono<Long> reserve(String sku, int quantity) {
      int left = available.getOrDefault(sku, 0);
      if (left < quantity) {
        return reject("only " + left + " " + sku + " left, " + quantity + " wanted");
      }
      available.put(sku, left - quantity);
      long number = lastReservation.add(1);
      TimerId expiry = setTimer(HOLD, () -> expire(number));  // starts when this turn commits
      held.put(number, new Held(sku, quantity, expiry));
      return Mono.just(number);
    }

    private Mono<Void> expire(long number) {  // a message to itself: a turn of its own
      Held h = held.remove(number);
      if (h != null) {
        available.update(h.sku(), 0, n -> n + h.quantity());
      }
      return done();
    }

    @Override
    public Mono<Void> confirm(long reservation) {
      Held h = held.remove(reservation);
      if (h == null) {
        return reject("reservation " + reservation + " is not held");
      }
      cancelTimer(h.expiry());
      return done();
    }

    @Override
    public Mono<Integer> restock(String sku, int wanted) {
      return await(warehouse.ship(sku, wanted))       // commit point: others may run meanwhile
          .map(shipped -> {                           // a new turn of this actor
            available.update(sku, 0, n -> n + shipped);
            return shipped;
          });
    }

    @Override
    public Mono<Integer> available(String sku) {
      return Mono.just(available.getOrDefault(sku, 0));
    }
  }

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());
  private final Warehouse warehouse = system.spawn(Warehouse.class, WarehouseActor::new);
  private final Inventory inventory =
      system.spawn(Inventory.class, () -> new InventoryActor(warehouse));

  @AfterEach
  void close() {
    system.close();
    scheduler.runUntilIdle();
  }

  private void stock(String sku, int quantity) {
    scheduler.await(warehouse.receive(sku, quantity));
    assertThat(scheduler.await(inventory.restock(sku, quantity))).isEqualTo(quantity);
  }

  @Test
  @DisplayName("restock awaits the warehouse's shipment and adds only what was shipped")
  void restockAddsWhatTheWarehouseShipped() {
    scheduler.await(warehouse.receive("apple", 5));

    assertThat(scheduler.await(inventory.restock("apple", 8))).isEqualTo(5);

    assertThat(scheduler.await(inventory.available("apple"))).isEqualTo(5);
    assertThat(scheduler.await(warehouse.onHand("apple"))).isZero();
  }

  @Test
  @DisplayName("a reject of the awaited warehouse reaches the restock's caller as a reject")
  void warehouseRejectReachesTheRestockCaller() {
    assertThatThrownBy(() -> scheduler.await(inventory.restock("durian", 1)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).isEqualTo("the warehouse does not stock durian");
        });
    assertThat(scheduler.await(inventory.available("durian"))).isZero();
  }

  @Test
  @DisplayName("a reservation takes stock at once and gives it back when its hold expires")
  void unconfirmedReservationExpires() {
    stock("apple", 10);

    scheduler.await(inventory.reserve("apple", 3));
    assertThat(scheduler.await(inventory.available("apple"))).isEqualTo(7);

    scheduler.advanceTimeBy(HOLD.minusSeconds(1));
    assertThat(scheduler.await(inventory.available("apple"))).isEqualTo(7);

    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(scheduler.await(inventory.available("apple"))).isEqualTo(10);
  }

  @Test
  @DisplayName("confirming a reservation cancels its expiry: the stock stays sold")
  void confirmedReservationKeepsItsStock() {
    stock("apple", 10);
    long reservation = scheduler.await(inventory.reserve("apple", 3));

    scheduler.await(inventory.confirm(reservation));
    scheduler.advanceTimeBy(HOLD.multipliedBy(2));

    assertThat(scheduler.await(inventory.available("apple"))).isEqualTo(7);
    assertThatThrownBy(() -> scheduler.await(inventory.confirm(reservation)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT));
  }

  @Test
  @DisplayName("reserving more than is available is rejected, takes nothing and sets no timer")
  void overReservationIsRejected() {
    stock("apple", 2);

    assertThatThrownBy(() -> scheduler.await(inventory.reserve("apple", 3)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).isEqualTo("only 2 apple left, 3 wanted");
        });
    assertThat(scheduler.await(inventory.available("apple"))).isEqualTo(2);
    assertThat(scheduler.delayedTasks()).isZero();
  }

  @Test
  @DisplayName("while restock awaits the warehouse, a reservation sent after it runs first")
  void reservationRunsWhileRestockAwaits() {
    stock("apple", 4);
    scheduler.await(warehouse.receive("apple", 6));

    Mono<Integer> restock = inventory.restock("apple", 6);   // sent now, suspended at its await
    Mono<Long> reserve = inventory.reserve("apple", 4);      // sent after it, runs in between

    assertThat(scheduler.await(reserve)).isEqualTo(1L);
    assertThat(scheduler.await(restock)).isEqualTo(6);
    assertThat(scheduler.await(inventory.available("apple"))).isEqualTo(6);
  }
}

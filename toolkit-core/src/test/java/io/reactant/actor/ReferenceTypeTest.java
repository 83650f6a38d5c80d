package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A reference of actor interface {@code I} reaches only an actor whose class implements {@code I}
 * (rules R1, R23): one of a sibling interface that shares a super-interface's method is refused as
 * an actor without the method is, for every kind of call and every kind of caller.
 */
class ReferenceTypeTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  /** Methods that several actor types share through one interface. */
  public interface Refundable {
    Mono<Long> refund(long amount);

    void drop(long amount);

    @Query
    Mono<Long> cash();

    /** Awaits {@code shop.cash()}: its value, or the code and message it was refused with. */
    @CompositeQuery
    Mono<String> cashThrough(GiftShop shop);

    /** Awaits {@code shop.refund(amount)}: its value, or the code and message it was refused with. */
    Mono<String> refundThrough(GiftShop shop, long amount);
  }

  public interface Till extends Refundable {
  }

  public interface GiftShop extends Refundable {
  }

  static class Register extends Actor implements Refundable {
    private final Var<Long> cash = newVar("cash", 100L);

    @Override
    public Mono<Long> refund(long amount) {
      return Mono.just(cash.update(c -> c - amount));
    }

    @Override
    public void drop(long amount) {
      cash.update(c -> c - amount);
    }

    @Override
    public Mono<Long> cash() {
      return Mono.just(cash.get());
    }

    @Override
    public Mono<String> cashThrough(GiftShop shop) {
      return told(await(shop.cash()));
    }

    @Override
    public Mono<String> refundThrough(GiftShop shop, long amount) {
      return told(await(shop.refund(amount)));
    }

    private static Mono<String> told(Mono<Long> reply) {
      return reply.map(String::valueOf)
          .onErrorResume(CallError.class, e -> Mono.just(e.getMessage()));
    }
  }

  static final class TillActor extends Register implements Till {
  }

  static final class GiftShopActor extends Register implements GiftShop {
  }

  private static Consumer<Throwable> noRefundOnTheTill() {
    return t -> assertThat(t).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID);
      assertThat(e.getMessage()).contains("actor till (Till) has no method Refundable.");
    });
  }

  @Test
  @DisplayName("R1 R23 a call, a oneway, a query and a composite query's part through a"
      + " sub-interface's reference to an actor of a sibling type answer code 3 and change nothing")
  void aSiblingTypesActorIsNotReached() {
    Till till = system.spawn(Till.class, ActorId.of("till"), TillActor::new);
    GiftShop shop = system.spawn(GiftShop.class, ActorId.of("shop"), GiftShopActor::new);
    GiftShop wrong = system.lookup(GiftShop.class, ActorId.of("till"));

    assertThatThrownBy(() -> scheduler.await(wrong.refund(30)))
        .satisfies(noRefundOnTheTill())
        .hasMessageContaining("has no method Refundable.refund()");
    assertThatThrownBy(() -> scheduler.await(wrong.cash()))
        .satisfies(noRefundOnTheTill())
        .hasMessageContaining("has no method Refundable.cash()");
    assertThatThrownBy(() -> ActorRefs.sendOneway(wrong,
        Refundable.class.getMethod("drop", long.class), 30L))
        .satisfies(noRefundOnTheTill());
    wrong.drop(30);
    scheduler.runUntilIdle();
    // from an actor's turn and from a composite query's part
    assertThat(scheduler.await(shop.refundThrough(wrong, 30)))
        .isEqualTo("[3 DESTINATION_INVALID] actor till (Till) has no method Refundable.refund()");
    assertThat(scheduler.await(shop.cashThrough(wrong)))
        .isEqualTo("[3 DESTINATION_INVALID] actor till (Till) has no method Refundable.cash()");

    assertThat(scheduler.await(till.cash())).isEqualTo(100L);
    assertThat(scheduler.await(shop.cash())).isEqualTo(100L);
  }

  @Test
  @DisplayName("R1 R20 R23 an actor an ActorClass creates is not reached through a sibling type's"
      + " reference either")
  void anActorClassInstanceOfASiblingTypeIsNotReached() {
    ActorClass<Till, Long> tills = ActorClass.of(Till.class, ignored -> new TillActor());
    Till till = scheduler.await(system.spawn(tills, 0L));
    GiftShop wrong = system.lookup(GiftShop.class, ActorRefs.idOf(till));

    assertThatThrownBy(() -> scheduler.await(wrong.refund(30)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID))
        .hasMessageContaining("has no method Refundable.refund()");
    assertThat(scheduler.await(till.cash())).isEqualTo(100L);
  }

  @Test
  @DisplayName("R1 R23 a reference typed by the shared super-interface reaches the actors of both"
      + " types, and a sub-interface's reference reaches an actor of that sub-interface")
  void theSharedInterfaceReachesBoth() {
    Till till = system.spawn(Till.class, ActorId.of("till"), TillActor::new);
    GiftShop shop = system.spawn(GiftShop.class, ActorId.of("shop"), GiftShopActor::new);
    Refundable anyTill = system.lookup(Refundable.class, ActorId.of("till"));
    Refundable anyShop = system.lookup(Refundable.class, ActorId.of("shop"));
    GiftShop shopAgain = system.lookup(GiftShop.class, ActorId.of("shop"));

    assertThat(scheduler.await(anyTill.refund(10))).isEqualTo(90L);
    assertThat(scheduler.await(anyShop.refund(20))).isEqualTo(80L);
    anyTill.drop(1);
    scheduler.runUntilIdle();
    assertThat(scheduler.await(anyTill.cash())).isEqualTo(89L);
    assertThat(scheduler.await(shopAgain.refund(5))).isEqualTo(75L);
    assertThat(scheduler.await(till.refundThrough(shopAgain, 5))).isEqualTo("70");
    assertThat(scheduler.await(till.cashThrough(shopAgain))).isEqualTo("70");
    assertThat(scheduler.await(anyShop.cashThrough(shop))).isEqualTo("70");
  }
}

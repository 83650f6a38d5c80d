package io.reactant.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorClass;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorRefs;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Caller;
import io.reactant.actor.Query;
import io.reactant.actor.TimerId;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import io.reactant.state.TxMap;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

/**
 * An example written from the README and the javadoc alone, with the public API only: an auction
 * house that opens auctions as instances of an actor class, bidders that escrow their bids and
 * are refunded when outbid or refused (compensation), and auctions that close on timers, on
 * virtual time. The assertions check the rules the example relies on.
 */
class AuctionHouseExampleTest {

  /** An auction closes this long after its last accepted bid ("going, going, gone"). */
  static final Duration QUIET = Duration.ofMinutes(2);
  /** A bid must beat the leading one by at least this much. */
  static final long INCREMENT = 5;
  static final long PURSE = 1_000;

  /** What a bidder holds: money free to bid, money escrowed in auctions, and what it won. */
  record Purse(long free, long escrowed, List<String> items) {
    long total() {
      return free + escrowed;
    }
  }

  /** What an auction shows to anyone: its item, the price to beat, the leader, whether open. */
  record Standing(String item, long price, Optional<ActorId> leader, boolean open) {
  }

  /** A lot to auction: the constructor argument of the auction actor class. */
  record Lot(String item, long reserve, Duration deadline) {
  }

  public interface Bidder {
    /** Escrows {@code amount} and bids it; rejects (and refunds) when the auction refuses. */
    Mono<Void> bid(Auction auction, long amount);

    /** Told by an auction that a higher bid replaced this bidder's: releases the escrow. */
    void outbid(Auction auction);

    /** Told by an auction that it closed with this bidder ahead: the escrow pays the price. */
    void won(Auction auction, String item);

    @Query
    Mono<Purse> purse();
  }

  public interface Auction {
    /** Takes a bid; the caller must be the bidder itself. */
    Mono<Void> bid(Bidder bidder, long amount);

    @Query
    Mono<Standing> standing();
  }

  public interface AuctionHouse {
    /** Opens an auction of a lot: a new actor, whose creator is the house. */
    Mono<Auction> open(Lot lot);

    /** Told by an auction it created that its item sold. */
    void sold(String item, long price);

    @Query
    Mono<Map<String, Long>> sales();
  }

  static final class BidderActor extends Actor implements Bidder {
    private final LongVar free;
    private final TxMap<ActorId, Long> escrow = newMap("escrow");   // by auction
    private final Var<List<String>> items = newVar("items", List.of());

    BidderActor(long purse) {
      this.free = newLongVar("free", purse);
    }

    @Override
    public Mono<Void> bid(Auction auction, long amount) {
      if (amount <= 0 || amount > free.get()) {
        return reject("cannot bid " + amount + " with " + free.get() + " free");
      }
      ActorId on = ActorRefs.idOf(auction);
      if (escrow.containsKey(on)) {
        return reject("already bidding on " + on);
      }
      free.add(-amount);
      escrow.put(on, amount);                                 // committed at the await
      return await(auction.bid(self(Bidder.class), amount))
          .onErrorResume(CallError.class, e -> {              // a new turn: compensate
            release(on);
            return reject(e.rejectMessage());                 // commits the refund (R11)
          });
    }

    private void release(ActorId auction) {
      Long held = escrow.remove(auction);
      if (held != null) {
        free.add(held);
      }
    }

    @Override
    public void outbid(Auction auction) {
      release(ActorRefs.idOf(auction));
    }

    @Override
    public void won(Auction auction, String item) {
      escrow.remove(ActorRefs.idOf(auction));                 // the escrow pays the price
      items.update(list -> append(list, item));
    }

    @Override
    public Mono<Purse> purse() {
      long escrowed = 0;
      for (long held : escrow.snapshot().values()) {
        escrowed += held;
      }
      return Mono.just(new Purse(free.get(), escrowed, items.get()));
    }
  }

  /** A bid that leads: the bidder's reference is a value, kept in the state (R21). */
  record Lead(Bidder bidder, long amount) {
    ActorId bidderId() {
      return ActorRefs.idOf(bidder);
    }
  }

  static final class AuctionActor extends Actor implements Auction {
    private final Lot lot;
    private final Var<Optional<Lead>> lead = newVar("lead", Optional.empty());
    private final Var<Boolean> open = newVar("open", true);
    private final Var<Optional<TimerId>> quiet = newVar("quiet", Optional.empty());
    private final TimerId deadline;

    AuctionActor(Lot lot) {
      this.lot = lot;
      this.deadline = setTimer(lot.deadline(), this::close);   // starts once the actor exists
    }

    @Override
    public Mono<Void> bid(Bidder bidder, long amount) {
      if (!open.get()) {
        return reject("the auction of " + lot.item() + " is closed");
      }
      if (!caller().equals(Caller.actor(ActorRefs.idOf(bidder)))) {   // unforgeable (R21)
        return reject(caller() + " cannot bid for " + ActorRefs.idOf(bidder));
      }
      long price = price();
      if (amount < price) {
        return reject("a bid of " + lot.item() + " must be at least " + price);
      }
      lead.get().ifPresent(previous -> previous.bidder().outbid(self(Auction.class)));
      lead.set(Optional.of(new Lead(bidder, amount)));
      quiet.get().ifPresent(this::cancelTimer);
      quiet.set(Optional.of(setTimer(QUIET, this::close)));
      Math.addExact(amount, INCREMENT);                         // the next price must exist
      return done();
    }

    private long price() {
      return lead.get().map(l -> l.amount() + INCREMENT).orElse(lot.reserve());
    }

    /** A timer's job: a message to itself, a turn of its own (R25). */
    private Mono<Void> close() {
      if (!open.get()) {
        return done();
      }
      open.set(false);
      cancelTimer(deadline);
      quiet.get().ifPresent(this::cancelTimer);
      lead.get().ifPresent(winner -> {
        winner.bidder().won(self(Auction.class), lot.item());
        house().sold(lot.item(), winner.amount());
      });
      return done();
    }

    private AuctionHouse house() {
      ActorId house = creator().actorId().orElseThrow();      // the house that opened it (R21)
      return actorOf(AuctionHouse.class, house);
    }

    @Override
    public Mono<Standing> standing() {
      return Mono.just(new Standing(lot.item(), price(), lead.get().map(Lead::bidderId),
          open.get()));
    }
  }

  static final ActorClass<Auction, Lot> AUCTIONS = ActorClass.of(Auction.class, AuctionActor::new);

  static final class AuctionHouseActor extends Actor implements AuctionHouse {
    private final TxMap<String, Long> sales = newMap("sales");

    @Override
    public Mono<Auction> open(Lot lot) {
      return await(spawn(AUCTIONS, lot));                    // created when this turn commits
    }

    @Override
    public void sold(String item, long price) {
      if (!caller().isActor()) {
        trap("only auctions report sales");
      }
      sales.put(item, price);
    }

    @Override
    public Mono<Map<String, Long>> sales() {
      return Mono.just(sales.snapshot());
    }
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> next = new ArrayList<>(list);
    next.add(item);
    return List.copyOf(next);
  }

  private DeterministicScheduler scheduler = DeterministicScheduler.create();
  private ActorSystem system = systemOn(scheduler);
  private AuctionHouse house = system.spawn(AuctionHouse.class, AuctionHouseActor::new);

  private static ActorSystem systemOn(DeterministicScheduler scheduler) {
    return ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());
  }

  @AfterEach
  void close() {
    system.close();
    scheduler.runUntilIdle();
  }

  private Bidder bidder(String name) {
    return system.spawn(Bidder.class, ActorId.of(name), () -> new BidderActor(PURSE));
  }

  private Auction open(String item, long reserve, Duration deadline) {
    return scheduler.await(house.open(new Lot(item, reserve, deadline)));
  }

  private static void assertRejected(Runnable call, RejectCode code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.rejectMessage()).isEqualTo(message);
    });
  }

  @Test
  @DisplayName("R20 R21 R25 an auction the house opened closes when bidding goes quiet and pays"
      + " its creator; the outbid bidder is refunded")
  void auctionClosesWhenQuietAndPaysTheHouse() {
    Bidder alice = bidder("alice");
    Bidder bob = bidder("bob");
    Auction vase = open("vase", 50, Duration.ofHours(1));

    scheduler.await(alice.bid(vase, 100));
    scheduler.await(bob.bid(vase, 120));

    assertThat(alice.purse().block()).isEqualTo(new Purse(PURSE, 0, List.of()));
    assertThat(bob.purse().block()).isEqualTo(new Purse(PURSE - 120, 120, List.of()));
    assertThat(vase.standing().block())
        .isEqualTo(new Standing("vase", 125, Optional.of(ActorId.of("bob")), true));

    scheduler.advanceTimeBy(QUIET.minusSeconds(1));
    assertThat(vase.standing().block().open()).isTrue();
    scheduler.advanceTimeBy(Duration.ofSeconds(1));

    assertThat(vase.standing().block().open()).isFalse();
    assertThat(bob.purse().block()).isEqualTo(new Purse(PURSE - 120, 0, List.of("vase")));
    assertThat(house.sales().block()).isEqualTo(Map.of("vase", 120L));
    assertThat(scheduler.delayedTasks()).as("the deadline was cancelled with the close").isZero();
  }

  @Test
  @DisplayName("R25 each accepted bid restarts the quiet timer; the deadline set by the"
      + " initializer closes the auction whatever the bidding")
  void bidsPostponeTheCloseUntilTheDeadline() {
    Bidder alice = bidder("alice");
    Bidder bob = bidder("bob");
    Auction clock = open("clock", 10, Duration.ofMinutes(5));

    long bid = 10;
    for (int round = 0; round < 3; round++) {                 // a bid every 90 s: never quiet
      Bidder next = round % 2 == 0 ? alice : bob;
      scheduler.await(next.bid(clock, bid));
      bid += INCREMENT;
      scheduler.advanceTimeBy(Duration.ofSeconds(90));
      assertThat(clock.standing().block().open()).isTrue();
    }
    scheduler.advanceTimeBy(Duration.ofSeconds(29));          // 4:59 since the opening
    assertThat(clock.standing().block().open()).isTrue();
    scheduler.advanceTimeBy(Duration.ofSeconds(1));           // the deadline, 5 minutes

    assertThat(clock.standing().block().open()).isFalse();
    assertThat(alice.purse().block()).isEqualTo(new Purse(PURSE - 20, 0, List.of("clock")));
    assertThat(bob.purse().block()).isEqualTo(new Purse(PURSE, 0, List.of()));
    assertThat(house.sales().block()).isEqualTo(Map.of("clock", 20L));
    assertThat(scheduler.delayedTasks()).as("the quiet timer was cancelled with the close")
        .isZero();
    assertRejected(() -> scheduler.await(bob.bid(clock, 500)),
        RejectCode.CANISTER_REJECT, "the auction of clock is closed");
    assertThat(bob.purse().block()).as("refunded").isEqualTo(new Purse(PURSE, 0, List.of()));
  }

  @Test
  @DisplayName("R11 R12b a refused bid is compensated: the bidder catches the reject in a new"
      + " turn and refunds its escrow")
  void refusedBidIsRefunded() {
    Bidder alice = bidder("alice");
    Auction lamp = open("lamp", 50, Duration.ofHours(1));

    assertRejected(() -> scheduler.await(alice.bid(lamp, 40)),
        RejectCode.CANISTER_REJECT, "a bid of lamp must be at least 50");

    assertThat(alice.purse().block()).isEqualTo(new Purse(PURSE, 0, List.of()));
    assertThat(lamp.standing().block().leader()).isEmpty();
  }

  @Test
  @DisplayName("R21 a caller cannot bid for someone else: an ingress call is anonymous")
  void nobodyBidsForSomeoneElse() {
    Bidder bob = bidder("bob");
    Auction lamp = open("lamp", 50, Duration.ofHours(1));

    assertRejected(() -> scheduler.await(lamp.bid(bob, 60)),
        RejectCode.CANISTER_REJECT, "anonymous cannot bid for bob");
    assertThat(lamp.standing().block().leader()).isEmpty();
  }

  @Test
  @DisplayName("R10 R12 R25 a bid that traps after taking the lead is rolled back: the leader keeps"
      + " it and is never told it was outbid, the quiet timer is not restarted, the bidder is"
      + " refunded")
  void trappedBidLeavesNoTrace() {
    Bidder alice = bidder("alice");
    Bidder whale = system.spawn(Bidder.class, ActorId.of("whale"),
        () -> new BidderActor(Long.MAX_VALUE));
    Auction ring = open("ring", 50, Duration.ofHours(1));
    scheduler.await(alice.bid(ring, 60));
    scheduler.advanceTimeBy(QUIET.minusSeconds(10));

    // the auction takes the lead, tells alice and restarts its timer, then overflows: a trap
    assertThatThrownBy(() -> scheduler.await(whale.bid(ring, Long.MAX_VALUE)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);   // the whale's reject
          assertThat(e.rejectMessage()).startsWith(ActorRefs.idOf(ring) + " trapped in "
              + "Auction.bid(): ArithmeticException");
        });

    assertThat(whale.purse().block()).isEqualTo(new Purse(Long.MAX_VALUE, 0, List.of()));
    assertThat(alice.purse().block()).as("never told it was outbid")
        .isEqualTo(new Purse(PURSE - 60, 60, List.of()));
    assertThat(ring.standing().block())
        .isEqualTo(new Standing("ring", 65, Optional.of(ActorId.of("alice")), true));
    scheduler.advanceTimeBy(Duration.ofSeconds(10));          // alice's quiet timer still runs
    assertThat(ring.standing().block().open()).isFalse();
    assertThat(alice.purse().block()).isEqualTo(new Purse(PURSE - 60, 0, List.of("ring")));
  }

  static List<Long> seeds() {
    return IntStream.range(0, 40).mapToObj(i -> (long) i).toList();
  }

  /** What a race ended with: the winner, its price, and every bidder's purse, in order. */
  record Outcome(ActorId winner, long price, List<Purse> purses, Map<String, Long> sales) {
  }

  /**
   * Six bidders bid four rounds at once on one auction, in the interleaving of the scheduler's
   * seed: amounts drawn from the seed, or all the same amount when {@code sameAmount}.
   */
  private Outcome race(long seed, boolean sameAmount) {
    system.close();
    scheduler.runUntilIdle();
    scheduler = DeterministicScheduler.withSeed(seed);
    system = systemOn(scheduler);
    house = system.spawn(AuctionHouse.class, AuctionHouseActor::new);
    Auction car = open("car", 100, Duration.ofHours(1));
    List<Bidder> bidders = IntStream.range(0, 6).mapToObj(i -> bidder("bidder-" + i)).toList();
    Random random = new Random(seed);

    List<Mono<Void>> bids = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      for (Bidder b : bidders) {
        long amount = sameAmount ? 200 : 100 + random.nextInt(400);
        bids.add(b.bid(car, amount).onErrorResume(CallError.class,
            e -> Mono.empty()));
      }
      scheduler.runUntilIdle();
    }
    for (Mono<Void> b : bids) {
      scheduler.await(b);
    }
    Standing before = car.standing().block();
    scheduler.advanceTimeBy(Duration.ofHours(1));
    return new Outcome(before.leader().orElseThrow(), before.price() - INCREMENT,
        bidders.stream().map(b -> b.purse().block()).toList(), house.sales().block());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  @DisplayName("R2 R4 R9 R13 bidders racing on one auction, in any interleaving: money is"
      + " conserved, one winner pays its bid, every loser is refunded; a seed replays its race")
  void racingBiddersConserveMoney(long seed) {
    Outcome outcome = race(seed, false);

    long money = 0;
    for (int i = 0; i < outcome.purses().size(); i++) {
      Purse p = outcome.purses().get(i);
      assertThat(p.escrowed()).as("nothing stays escrowed once the auction closed").isZero();
      money += p.total();
      if (ActorId.of("bidder-" + i).equals(outcome.winner())) {
        assertThat(p).isEqualTo(new Purse(PURSE - outcome.price(), 0, List.of("car")));
      } else {
        assertThat(p).isEqualTo(new Purse(PURSE, 0, List.of()));
      }
    }
    assertThat(outcome.sales()).isEqualTo(Map.of("car", outcome.price()));
    assertThat(money + outcome.price()).isEqualTo(PURSE * outcome.purses().size());
    assertThat(race(seed, false)).as("the same seed, the same race").isEqualTo(outcome);
  }

  @Test
  @DisplayName("R4 the same bids in other interleavings end otherwise: when all bid the same, the"
      + " bid the auction takes first wins, and the seeds make different bidders first")
  void interleavingsChangeTheWinner() {
    Set<ActorId> winners = new HashSet<>();
    for (long seed : seeds()) {
      Outcome outcome = race(seed, true);
      assertThat(outcome.price()).isEqualTo(200L);
      winners.add(outcome.winner());
    }
    assertThat(winners).hasSizeGreaterThan(1);
  }
}

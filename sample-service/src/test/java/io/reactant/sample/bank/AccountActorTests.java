package io.reactant.sample.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorRefs;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Caller;
import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.sample.bank.Account.AccountView;
import io.reactant.sample.bank.Account.Opening;
import io.reactant.sample.bank.Account.TransferReceipt;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The account actor alone, on the toolkit's deterministic scheduler: every interleaving a seed
 * picks is replayable.
 */
class AccountActorTests {

  private static final long MAX = Long.MAX_VALUE;

  private static ActorSystem system(DeterministicScheduler scheduler, Duration callTimeout) {
    return ActorSystem.create(ActorSystemConfig.builder().name("bank-test").scheduler(scheduler)
        .defaultCallTimeout(callTimeout).build());
  }

  private static Account open(ActorSystem system, String id, String owner, long balance) {
    return system.spawn(Account.class, ActorId.of(id),
        () -> new AccountActor(new Opening(owner, balance)));
  }

  private static Account as(String user, Account account) {
    return ActorRefs.withIngressCaller(account, Caller.principal(user));
  }

  /**
   * {@code account} called by {@code user}, waiting longer than any call between accounts: the
   * tests watch a transfer's credit time out, not the caller's own call.
   */
  private static Account patient(String user, Account account) {
    return CallOptions.timeout(Duration.ofMinutes(10)).on(as(user, account));
  }

  @Test
  @DisplayName("no interleaving of a refund with a credit overflows a balance: money is neither created nor destroyed")
  void refundNeverOverflowsWhateverArrivedMeanwhile() {
    for (long seed = 0; seed < 300; seed++) {
      DeterministicScheduler scheduler = DeterministicScheduler.withSeed(seed);
      try (ActorSystem system = system(scheduler, Duration.ofSeconds(10))) {
        // a's transfer to b fails (b's credit would overflow) and is refunded; c's credit to a
        // would not fit with a's money home, so it is refused whenever it comes: before a's
        // transfer, after its refund, or while a's 10 are out (where a check of the balance alone
        // took it, and the refund then wrapped a's balance negative)
        Map<String, Account> accounts = Map.of(
            "a", open(system, "a", "alice", MAX - 6),
            "b", open(system, "b", "bob", MAX - 1),
            "c", open(system, "c", "carol", 1_000));
        BigInteger before = total(scheduler, accounts);
        List<String> failures = new ArrayList<>();
        as("alice", accounts.get("a")).transfer("b", 10)
            .subscribe(r -> { }, e -> failures.add(((CallError) e).rejectMessage()));
        as("carol", accounts.get("c")).transfer("a", 10)
            .subscribe(r -> { }, e -> failures.add(((CallError) e).rejectMessage()));
        scheduler.runUntilIdle();

        assertThat(failures).as("seed %d", seed).hasSize(2)
            .anySatisfy(m -> assertThat(m).startsWith("the transfer of 10 to b failed and was refunded"))
            .anySatisfy(m -> assertThat(m).startsWith("the transfer of 10 to a failed and was refunded"));
        assertThat(scheduler.await(accounts.get("a").view()))
            .isEqualTo(new AccountView("a", "alice", MAX - 6, 0));
        assertThat(scheduler.await(accounts.get("c").view()).balance()).isEqualTo(1_000);
        assertThat(total(scheduler, accounts)).as("seed %d", seed).isEqualTo(before);
      }
    }
  }

  @Test
  @DisplayName("a credit that would leave the money in flight without room for its refund traps, and changes nothing")
  void creditRefusedWhileARefundWouldNotFit() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = system(scheduler, Duration.ofSeconds(10))) {
      Account a = open(system, "a", "alice", MAX - 6);
      system.spawn(Account.class, ActorId.of("never"), NeverCredited::new);
      Account c = open(system, "c", "carol", 1_000);
      // a's 10 go out to an account that never answers: they stay in flight
      as("alice", a).transfer("never", 10).subscribe(r -> { }, e -> { });
      scheduler.runUntilIdle();
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", MAX - 16, 10));

      assertThatThrownBy(() -> scheduler.await(as("carol", c).transfer("a", 10)))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
            assertThat(e.rejectMessage()).contains("refunded").contains("overflow");
          });
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", MAX - 16, 10));
      assertThat(scheduler.await(c.view()).balance()).isEqualTo(1_000);
      // a credit that leaves room for the refund is taken
      TransferReceipt receipt = scheduler.await(as("carol", c).transfer("a", 6));
      assertThat(receipt.balance()).isEqualTo(994);
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", MAX - 10, 10));
    }
  }

  @Test
  @DisplayName("R22 R4 a credit that timed out and never ran is refunded once the other account says so")
  void timedOutCreditThatNeverRanIsRefunded() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = system(scheduler, Duration.ofSeconds(5))) {
      Account a = open(system, "a", "alice", 100);
      system.spawn(Account.class, ActorId.of("never"), NeverCredited::new);
      List<Throwable> failures = new ArrayList<>();
      patient("alice", a).transfer("never", 30)
          .subscribe(r -> { }, failures::add);
      scheduler.runUntilIdle();
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 70, 30));

      scheduler.advanceTimeBy(Duration.ofSeconds(6));
      assertThat(failures).singleElement().isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
        assertThat(e.rejectMessage()).isEqualTo("the transfer of 30 to never failed and was"
            + " refunded: it timed out and did not arrive");
      });
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 100, 0));
    }
  }

  @Test
  @DisplayName("R22 R4 a credit that ran though its reply timed out completes the transfer: no money is created")
  void timedOutCreditThatRanCompletesTheTransfer() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = system(scheduler, Duration.ofSeconds(5))) {
      Account a = open(system, "a", "alice", 100);
      Account late = system.spawn(Account.class, ActorId.of("late"), () -> new LateReply(false));
      List<Object> outcome = new ArrayList<>();
      patient("alice", a).transfer("late", 30)
          .subscribe(outcome::add, outcome::add);
      scheduler.runUntilIdle();
      scheduler.advanceTimeBy(Duration.ofSeconds(6));
      assertThat(outcome).containsExactly(new TransferReceipt("a", "late", 30, 70));
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 70, 0));
      assertThat(scheduler.await(late.view()).balance()).isEqualTo(30);
    }
  }

  @Test
  @DisplayName("R22 a transfer whose credit and whose question both time out holds the amount in flight")
  void unknownOutcomeIsHeldInFlight() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = system(scheduler, Duration.ofSeconds(5))) {
      Account a = open(system, "a", "alice", 100);
      system.spawn(Account.class, ActorId.of("late"), () -> new LateReply(true));
      List<Throwable> failures = new ArrayList<>();
      patient("alice", a).transfer("late", 30)
          .subscribe(r -> { }, failures::add);
      scheduler.runUntilIdle();
      scheduler.advanceTimeBy(Duration.ofSeconds(11));
      assertThat(failures).singleElement().isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
        assertThat(e.rejectMessage()).contains("timed out and its outcome is unknown")
            .contains("stays in flight");
      });
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 70, 30));
    }
  }

  /**
   * Sends two transfers of 30 from {@code a} (alice's, opened with 100): to "landed", whose credit
   * runs, and to "lost", whose credit does not; both credits and both questions about them time
   * out, so both are held (40 left, 60 in flight). Returns the two fake accounts, in that order.
   */
  private static LateReply[] holdTwoTransfers(ActorSystem system, DeterministicScheduler scheduler,
      Account a) {
    LateReply[] fakes = new LateReply[2];
    system.spawn(Account.class, ActorId.of("landed"), () -> fakes[0] = new LateReply(true, true));
    system.spawn(Account.class, ActorId.of("lost"), () -> fakes[1] = new LateReply(true, false));
    for (String to : new String[] {"landed", "lost"}) {
      patient("alice", a).transfer(to, 30).subscribe(r -> { }, e -> { });
    }
    scheduler.runUntilIdle();
    scheduler.advanceTimeBy(Duration.ofSeconds(11)); // both credits and both questions timed out
    assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 40, 60));
    return fakes;
  }

  @Test
  @DisplayName("R25 a held transfer is settled by the account's own timer once the other account answers")
  void heldTransferIsSettledOnATimer() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = system(scheduler, Duration.ofSeconds(5))) {
      Account a = open(system, "a", "alice", 100);
      LateReply[] fakes = holdTwoTransfers(system, scheduler, a);

      // the first retry's questions time out again: both stay held, and one timer asks again
      scheduler.advanceTimeBy(AccountActor.SETTLE_RETRY.plusSeconds(10));
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 40, 60));
      assertThat(fakes[0].questions.get() + fakes[1].questions.get())
          .as("each held transfer asked once at its timeout and once on the timer").isEqualTo(4);

      fakes[0].answerLate.set(false);
      fakes[1].answerLate.set(false);
      scheduler.advanceTimeBy(AccountActor.SETTLE_RETRY);
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 70, 0));
      assertThat(fakes[0].questions.get() + fakes[1].questions.get()).isEqualTo(6);
      scheduler.advanceTimeBy(AccountActor.SETTLE_RETRY.multipliedBy(3));
      assertThat(fakes[0].questions.get() + fakes[1].questions.get())
          .as("nothing held: no timer asks again").isEqualTo(6);
    }
  }

  /** A bank whose turns cost 10 cycles each, every account starting with {@code balance}. */
  private static ActorSystem meteredSystem(DeterministicScheduler scheduler, long balance) {
    return ActorSystem.create(ActorSystemConfig.builder().name("bank-test").scheduler(scheduler)
        .defaultCallTimeout(Duration.ofSeconds(5)).fees(10, 0).initialBalance(balance).build());
  }

  /**
   * Holds a transfer of 30 from {@code a} (alice's, opened with 100) to a fake account "late",
   * with cycles to spare, whose credit runs but answers too late, as does the question about it.
   */
  private static LateReply holdOneTransfer(ActorSystem system, DeterministicScheduler scheduler,
      Account a) {
    LateReply[] fake = new LateReply[1];
    system.spawn(Account.class, ActorId.of("late"), () -> fake[0] = new LateReply(true, true));
    system.topUp(ActorId.of("late"), 1_000_000);
    patient("alice", a).transfer("late", 30).subscribe(r -> { }, e -> { });
    scheduler.runUntilIdle();
    scheduler.advanceTimeBy(Duration.ofSeconds(11)); // the credit and the question timed out
    assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 70, 30));
    return fake[0];
  }

  @Test
  @DisplayName("R25 R22 a transfer whose own turn trapped before settling it (out of cycles) is settled on the timer")
  void transferLeftUnsettledByATrappedTurnIsSettledOnTheTimer() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = meteredSystem(scheduler, 10)) {
      Account a = open(system, "a", "alice", 100);
      Account b = open(system, "b", "bob", 0);
      system.topUp(ActorId.of("b"), 1_000_000);
      // a's transfer turn pays its last 10 cycles; the turn the credit's reply comes to traps
      assertThatThrownBy(() -> scheduler.await(as("alice", a).transfer("b", 30)))
          .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
              .contains("out of cycles"));
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 70, 30));
      assertThat(scheduler.await(b.view())).isEqualTo(new AccountView("b", "bob", 30, 0));

      system.topUp(ActorId.of("a"), 1_000_000);
      scheduler.advanceTimeBy(AccountActor.SETTLE_RETRY);
      assertThat(scheduler.await(a.view())).as("asked on the timer: it arrived")
          .isEqualTo(new AccountView("a", "alice", 70, 0));
      assertThat(scheduler.await(b.view())).isEqualTo(new AccountView("b", "bob", 30, 0));
    }
  }

  @Test
  @DisplayName("R25 R22 a held transfer is still asked about on the timer after a firing whose turn trapped (out of cycles)")
  void heldTransferIsAskedAgainAfterATimerTurnTrapped() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = meteredSystem(scheduler, 30)) {
      Account a = open(system, "a", "alice", 100);
      LateReply late = holdOneTransfer(system, scheduler, a);
      assertThat(system.cyclesBalance(ActorId.of("a"))).as("3 turns paid").isZero();

      // the timer fires, but its turn cannot pay its fee: it traps and rolls back
      scheduler.advanceTimeBy(AccountActor.SETTLE_RETRY.plusSeconds(10));
      assertThat(late.questions.get()).as("only the transfer's own question").isEqualTo(1);

      system.topUp(ActorId.of("a"), 1_000_000);
      late.answerLate.set(false);
      scheduler.advanceTimeBy(AccountActor.SETTLE_RETRY.multipliedBy(3));
      assertThat(late.questions.get()).as("asked again on the timer while held").isEqualTo(2);
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 70, 0));
    }
  }

  @Test
  @DisplayName("R25 R22 a held transfer whose question's answer came to a turn that trapped (out of cycles) is asked about again")
  void heldTransferIsAskedAgainAfterItsAnswerTrapped() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = meteredSystem(scheduler, 40)) {
      Account a = open(system, "a", "alice", 100);
      LateReply late = holdOneTransfer(system, scheduler, a);

      // the timer's turn pays the last 10 and asks; the turn its answer (a timeout) comes to traps
      scheduler.advanceTimeBy(AccountActor.SETTLE_RETRY.plusSeconds(10));
      assertThat(late.questions.get()).isEqualTo(2);
      assertThat(system.cyclesBalance(ActorId.of("a"))).isZero();

      system.topUp(ActorId.of("a"), 1_000_000);
      late.answerLate.set(false);
      scheduler.advanceTimeBy(AccountActor.SETTLE_RETRY.multipliedBy(3));
      assertThat(late.questions.get()).as("asked again on the timer").isGreaterThan(2);
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 70, 0));
    }
  }

  @Test
  @DisplayName("a transfer that arrives takes the amount out of flight")
  void arrivedTransferLeavesNothingInFlight() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = system(scheduler, Duration.ofSeconds(10))) {
      Account a = open(system, "a", "alice", 100);
      Account b = open(system, "b", "bob", 0);
      assertThat(scheduler.await(as("alice", a).transfer("b", 40)))
          .isEqualTo(new TransferReceipt("a", "b", 40, 60));
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 60, 0));
      assertThat(scheduler.await(b.view())).isEqualTo(new AccountView("b", "bob", 40, 0));
    }
  }

  @Test
  @DisplayName("R22 R4 settleHeld asks again about held transfers: one that arrived completes, one that did not is refunded")
  void settleHeldResolvesHeldTransfers() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = system(scheduler, Duration.ofSeconds(5))) {
      Account a = open(system, "a", "alice", 100);
      LateReply[] fakes = holdTwoTransfers(system, scheduler, a);
      assertThatThrownBy(() -> scheduler.await(as("bob", a).settleHeld()))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.rejectMessage()).contains("may not settle"));

      fakes[0].answerLate.set(false);
      fakes[1].answerLate.set(false);
      assertThat(scheduler.await(as("alice", a).settleHeld())).isEqualTo(2L);
      assertThat(scheduler.await(a.view())).isEqualTo(new AccountView("a", "alice", 70, 0));
      assertThat(scheduler.await(as("alice", a).settleHeld())).isZero();
    }
  }

  @Test
  @DisplayName("what an account remembers of another's credits is bounded by that one's unsettled transfers to it, even with one held")
  void rememberedCreditsStayBounded() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = system(scheduler, Duration.ofSeconds(5))) {
      Account a = open(system, "a", "alice", 10_000);
      Account b = open(system, "b", "bob", 0);
      system.spawn(Account.class, ActorId.of("late"), () -> new LateReply(true));
      patient("alice", a).transfer("late", 1)
          .subscribe(r -> { }, e -> { });
      scheduler.runUntilIdle();
      scheduler.advanceTimeBy(Duration.ofSeconds(11)); // transfer 1 held: its outcome unknown
      assertThat(scheduler.await(a.view()).inFlight()).isEqualTo(1);
      for (int i = 0; i < 300; i++) {
        scheduler.await(as("alice", a).transfer("b", 1));
      }
      assertThat(scheduler.await(b.view()).balance()).isEqualTo(300);
      // b remembers only a's last credit (a's other transfers to b are settled)
      assertThat(scheduler.await(b.creditsRemembered())).isEqualTo(Map.of("a", 1));
    }
  }

  @Test
  @DisplayName("R4 R22 under random scheduling delays and timeouts, money is neither created nor destroyed")
  void moneyIsKeptUnderRandomDelaysAndTimeouts() {
    String[] owners = {"alice", "bob", "carol"};
    long[] opening = {1_000, MAX - 50, 500};
    Map<String, Integer> outcomes = new java.util.TreeMap<>();
    for (long seed = 0; seed < 150; seed++) {
      Random random = new Random(seed);
      // a busy pool in virtual time: each actor waits up to 7.5 s to run, timers fire on time
      DeterministicScheduler scheduler =
          DeterministicScheduler.withRunDelays(seed, Duration.ofMillis(7_500));
      try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("slow-bank")
          .scheduler(scheduler).defaultCallTimeout(Duration.ofSeconds(5)).build())) {
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          accounts.add(open(system, "acct-" + i, owners[i], opening[i]));
        }
        BigInteger before = BigInteger.valueOf(1_500).add(BigInteger.valueOf(MAX - 50));
        for (int t = 0; t < 12; t++) {
          int from = random.nextInt(3);
          int to = (from + 1 + random.nextInt(2)) % 3;
          patient(owners[from], accounts.get(from))
              .transfer("acct-" + to, 1 + random.nextInt(200))
              .subscribe(r -> outcomes.merge("completed", 1, Integer::sum),
                  e -> outcomes.merge(kind(e), 1, Integer::sum));
        }
        // before the accounts' own timers ask again, the owners settle what was held, if they can
        scheduler.advanceTimeBy(AccountActor.SETTLE_RETRY.minusSeconds(10));
        for (int i = 0; i < 3; i++) {
          patient(owners[i], accounts.get(i))
              .settleHeld().subscribe(n -> outcomes.merge("settled by the owner", n.intValue(),
                  Integer::sum), e -> { });
        }
        // then the timers ask, every minute while anything is held
        scheduler.advanceTimeBy(Duration.ofMinutes(90));
        BigInteger balances = BigInteger.ZERO;
        BigInteger inFlight = BigInteger.ZERO;
        for (Account account : accounts) {
          AccountView view = scheduler.await(account.view());
          assertThat(view.balance()).as("seed %d: %s", seed, view).isNotNegative();
          assertThat(view.inFlight()).as("seed %d: %s", seed, view).isNotNegative();
          balances = balances.add(BigInteger.valueOf(view.balance()));
          inFlight = inFlight.add(BigInteger.valueOf(view.inFlight()));
        }
        // money held in flight is still someone's: either its sender's (not arrived) or counted
        // in a balance already (arrived, not confirmed); nothing else may differ
        assertThat(balances).as("seed %d: no money created", seed).isLessThanOrEqualTo(before);
        assertThat(balances.add(inFlight)).as("seed %d: no money destroyed", seed)
            .isGreaterThanOrEqualTo(before);
        assertThat(inFlight).as("seed %d: every held transfer was settled in time", seed).isZero();
        assertThat(balances).as("seed %d", seed).isEqualTo(before);
      }
    }
    // the seeds reach every path: credits that trapped, timed out and arrived or not, unknown
    assertThat(outcomes).as("%s", outcomes).containsKeys("completed", "refunded: trapped",
        "refunded: timed out, did not arrive", "insufficient funds", "held: unknown",
        "settled by the owner");
    assertThat(outcomes.get("settled by the owner")).as("%s", outcomes).isPositive();
  }

  private static String kind(Throwable e) {
    String m = ((CallError) e).rejectMessage();
    if (m.contains("did not arrive")) {
      return "refunded: timed out, did not arrive";
    }
    if (m.contains("outcome is unknown")) {
      return "held: unknown";
    }
    if (m.contains("trapped")) {
      return "refunded: trapped";
    }
    return m.startsWith("insufficient funds") ? "insufficient funds" : "other: " + m;
  }

  private static BigInteger total(DeterministicScheduler scheduler, Map<String, Account> accounts) {
    BigInteger sum = BigInteger.ZERO;
    for (Account account : accounts.values()) {
      AccountView view = scheduler.await(account.view());
      sum = sum.add(BigInteger.valueOf(view.balance())).add(BigInteger.valueOf(view.inFlight()));
    }
    return sum;
  }

  /** A stand-in for another account: it never transfers, holds nothing else of its own. */
  abstract static class FakeAccount extends Actor implements Account {
    @Override
    public Mono<AccountView> view() {
      return Mono.just(new AccountView(actorId().value(), "fake", 0, 0));
    }

    @Override
    public Mono<Long> settleHeld() {
      return Mono.just(0L);
    }

    @Override
    public Mono<Map<String, Integer>> creditsRemembered() {
      return Mono.just(Map.of());
    }

    @Override
    public Mono<TransferReceipt> transfer(String to, long amount) {
      return reject("never transfers");
    }
  }

  /** An account whose credit never answers (its reply awaits a future that never completes). */
  static final class NeverCredited extends FakeAccount {
    @Override
    public Mono<Long> credit(long amount, long transfer, List<Long> unsettledHere) {
      return await(Mono.<Long>never()); // nothing credited, no reply
    }

    @Override
    public Mono<Boolean> wasCredited(long transfer) {
      return Mono.just(false);
    }
  }

  /**
   * An account whose credit is taken at once (unless {@code applies} is false) but whose reply
   * waits for a gate that never opens: a credit whose caller times out. Its answer to
   * wasCredited waits for the gate too while {@code answerLate} is set: a question that times out.
   */
  static final class LateReply extends FakeAccount {
    private final Sinks.One<Boolean> gate = Sinks.one(); // never opened
    final java.util.concurrent.atomic.AtomicBoolean answerLate;
    /** How many times an account asked whether a credit arrived. */
    final java.util.concurrent.atomic.AtomicInteger questions =
        new java.util.concurrent.atomic.AtomicInteger();
    private final boolean applies;
    private final LongVar balance = newLongVar("balance", 0);
    private final LongVar last = newLongVar("last", 0);

    LateReply(boolean answerLate) {
      this(answerLate, true);
    }

    LateReply(boolean answerLate, boolean applies) {
      this.answerLate = new java.util.concurrent.atomic.AtomicBoolean(answerLate);
      this.applies = applies;
    }

    @Override
    public Mono<AccountView> view() {
      return Mono.just(new AccountView(actorId().value(), "late", balance.get(), 0));
    }

    @Override
    public Mono<Long> credit(long amount, long transfer, List<Long> unsettledHere) {
      if (applies) {
        balance.update(b -> b + amount);
        last.set(transfer);
      }
      return await(gate.asMono()).map(open -> balance.get()); // committed at the await
    }

    @Override
    public Mono<Boolean> wasCredited(long transfer) {
      questions.incrementAndGet();
      return answerLate.get() ? await(gate.asMono()).map(open -> last.get() == transfer)
          : Mono.just(last.get() == transfer);
    }
  }
}

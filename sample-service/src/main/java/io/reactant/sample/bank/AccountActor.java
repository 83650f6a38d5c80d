package io.reactant.sample.bank;

import io.reactant.actor.Actor;
import io.reactant.actor.Caller;
import io.reactant.actor.TimerId;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.state.LongVar;
import io.reactant.state.TxMap;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An account: created by {@code POST /api/accounts} with its owner and initial balance.
 *
 * <p>A transfer is non-atomic on purpose: it debits, then awaits the credit of the other account
 * (a commit point: the debit and the credit message become permanent together), and refunds in
 * its next turn if the credit failed. Money in flight is always in exactly one place: debited
 * here and not yet credited there, or credited there, or refunded here.
 *
 * <p>A credit that timed out (code 6) may still run (rule R22), so a blind refund could create
 * money. Each transfer out is numbered, and an account remembers which numbered credits it took
 * from each other account, as long as that account may still ask. After a timeout the transfer
 * asks the other account whether its number was credited ({@link Account#wasCredited}): messages
 * between two actors arrive in the order they were sent (rule R4), and a credit is one turn, so
 * when the question is answered the credit has run or never will. The transfer then completes or
 * refunds. If the question times out too, the amount stays in flight ({@code inFlight} in the
 * view), held, and its number stays unsettled, until the account asks again: on a timer, every
 * {@link #SETTLE_RETRY} while any transfer is unsettled (rule R25), or when the owner calls {@link
 * #settleHeld}. The timer asks about every unsettled transfer, so one whose own turns trapped
 * before settling it (cycles that run out) is settled too; asks that overlap get the same answer
 * (each follows the credit, rule R4) and settle a transfer once.
 * Each credit lists the sender's unsettled numbers to its destination, and the destination
 * forgets the others: what it remembers of a sender is bounded by that sender's unsettled
 * transfers to it, in flight or held.
 *
 * <p>While a transfer is in flight its amount counts in {@code outgoing()}, and a credit is
 * refused (it traps) unless the balance, the money out and the credit together fit in a
 * {@code long}: so a refund, which moves money from the transfers out back to the balance, can
 * never overflow, even when credits arrived while the transfer was out.
 */
@ActorBean(activation = Activation.EXPLICIT)
final class AccountActor extends Actor implements Account {

  /** How often the account asks about its unsettled transfers by itself while it has any. */
  static final Duration SETTLE_RETRY = Duration.ofMinutes(1);

  private final String owner;
  private final LongVar balance;
  /** The number of the last transfer out (transfers are numbered from 1). */
  private final LongVar transfersOut;
  /** The transfers out whose outcome this account does not know yet, by number. */
  private final TxMap<Long, Unsettled> unsettled;
  /** For each account that credited this one: the numbers of its credits that it may still ask about. */
  private final TxMap<String, List<Long>> credits;
  /**
   * The recurring timer that asks about the unsettled transfers, while one is set (at most one at
   * a time): set by a transfer, cancelled by a firing that finds nothing unsettled.
   */
  private final Var<Optional<TimerId>> settleTimer;

  AccountActor(Opening opening) {
    this.owner = opening.owner();
    this.balance = newLongVar("balance", opening.balance());
    this.transfersOut = newLongVar("transfersOut", 0L);
    this.unsettled = newMap("unsettled");
    this.credits = newMap("credits");
    this.settleTimer = newVar("settleTimer", Optional.empty());
  }

  @Override
  public Mono<AccountView> view() {
    return Mono.just(new AccountView(actorId().value(), owner, balance.get(), outgoing()));
  }

  @Override
  public Mono<Long> credit(long amount, long transfer, List<Long> unsettledHere) {
    Caller caller = caller();
    if (!caller.isActor()) {
      return reject("credit is only for transfers between accounts");
    }
    if (amount <= 0) {
      return reject("amount must be positive, was " + amount);
    }
    // overflow traps; the money out counts, so that its refund fits too
    Math.addExact(Math.addExact(balance.get(), outgoing()), amount);
    List<Long> known = credits.getOrDefault(caller.name(), List.of());
    List<Long> kept = new ArrayList<>(known.size() + 1);
    for (long n : known) {
      if (unsettledHere.contains(n)) {
        kept.add(n); // the sender may still ask about it
      }
    }
    kept.add(transfer);
    credits.put(caller.name(), List.copyOf(kept));
    return Mono.just(balance.update(b -> b + amount));
  }

  @Override
  public Mono<Boolean> wasCredited(long transfer) {
    Caller caller = caller();
    if (!caller.isActor()) {
      return reject("wasCredited is only for transfers between accounts");
    }
    return Mono.just(credits.getOrDefault(caller.name(), List.of()).contains(transfer));
  }

  @Override
  public Mono<Map<String, Integer>> creditsRemembered() {
    Map<String, Integer> counts = new TreeMap<>();
    credits.forEach((sender, numbers) -> counts.put(sender, numbers.size()));
    return Mono.just(counts);
  }

  @Override
  public Mono<TransferReceipt> transfer(String to, long amount) {
    Caller caller = caller();
    if (caller.kind() != Caller.Kind.PRINCIPAL || !caller.name().equals(owner)) {
      return reject(caller + " may not move money out of " + actorId() + ", which " + owner + " owns");
    }
    if (amount <= 0) {
      return reject("amount must be positive, was " + amount);
    }
    if (to.isBlank()) {
      return reject("the account to credit must not be blank");
    }
    if (to.equals(actorId().value())) {
      return reject("an account cannot transfer to itself");
    }
    long available = balance.get();
    if (available < amount) {
      return reject("insufficient funds: " + actorId() + " has " + available + ", the transfer needs "
          + amount);
    }
    balance.set(available - amount);                                   // tentative debit
    long number = transfersOut.update(n -> n + 1);
    unsettled.put(number, new Unsettled(to, amount));
    startSettleTimer();
    Account destination = actorOf(Account.class, to);
    Mono<Long> credit = destination.credit(amount, number, unsettledTo(to));  // tentative send
    return await(credit)                        // commit point: the debit and the credit are sent
        .map(credited -> arrived(number, to, amount).receipt())        // a new turn
        .onErrorResume(CallError.class, failed -> {                    // a new turn
          if (failed.code() == RejectCode.DESTINATION_INVALID) {
            // not the actor system's message, which names the type of another actor at that id
            return refund(number, to, amount, "there is no account " + to);
          }
          if (failed.code() != RejectCode.SYS_UNKNOWN) {
            return refund(number, to, amount, failed.rejectMessage());
          }
          // timed out: the credit may still run. Ask behind it whether it did (rule R4)
          return await(destination.wasCredited(number))
              .map(Answer::of)
              .onErrorResume(CallError.class, unanswered -> Mono.just(Answer.UNKNOWN))
              .flatMap(answer -> switch (answer) {
                case CREDITED -> Mono.just(arrived(number, to, amount).receipt());
                case NOT_CREDITED -> refund(number, to, amount, "it timed out and did not arrive");
                case UNKNOWN -> {
                  yield reject("the transfer of " + amount + " to " + to + " timed out and its"
                      + " outcome is unknown: the amount stays in flight, held by " + actorId()
                      + " until it learns the outcome (it asks again every " + SETTLE_RETRY + ")");
                }
              });
        });
  }

  /**
   * The money of the transfers out not settled yet: debited here, not known to be credited there.
   * It never overflows with the balance: a transfer moves money from one to the other, and a
   * credit is refused unless the balance, this and the credit fit together.
   */
  private long outgoing() {
    long[] sum = {0};
    unsettled.forEach((n, u) -> sum[0] += u.amount());
    return sum[0];
  }

  /** The numbers of the transfers out to {@code to} not settled yet: {@code to} remembers those. */
  private List<Long> unsettledTo(String to) {
    List<Long> numbers = new ArrayList<>();
    unsettled.forEach((n, u) -> {
      if (u.to().equals(to)) {
        numbers.add(n);
      }
    });
    return List.copyOf(numbers);
  }

  @Override
  public Mono<Long> settleHeld() {
    Caller caller = caller();
    if (caller.kind() != Caller.Kind.PRINCIPAL || !caller.name().equals(owner)) {
      return reject(caller + " may not settle the transfers of " + actorId() + ", which " + owner
          + " owns");
    }
    return settle();
  }

  /**
   * Asks about every unsettled transfer, one after the other: held ones, and those whose own
   * turns are still under way or trapped (cycles that run out) before they settled them. Those
   * still unknown stay as they were. Answers how many were settled. Asks may overlap (the
   * transfer's own, a timer firing, the owner's settleHeld): every question follows the credit
   * (rule R4), so all get the same answer, and whichever comes second finds the transfer settled
   * and leaves it ({@link #arrived} and {@link #returned} settle a transfer once).
   */
  private Mono<Long> settle() {
    List<Long> numbers = new ArrayList<>();
    unsettled.forEach((n, u) -> numbers.add(n));
    return Flux.fromIterable(numbers)
        .concatMap(n -> {
          Unsettled u = unsettled.get(n);
          if (u == null) {
            return Mono.just(false); // settled meanwhile by another ask
          }
          return await(actorOf(Account.class, u.to()).wasCredited(n))
              .map(Answer::of)
              .onErrorResume(CallError.class, unanswered -> Mono.just(Answer.UNKNOWN))
              .map(answer -> switch (answer) {
                case CREDITED -> arrived(n, u.to(), u.amount()).settledNow();
                case NOT_CREDITED -> returned(n, u.amount());
                case UNKNOWN -> false;
              });
        })
        .filter(settled -> settled)
        .count();
  }

  /** Sets the recurring timer that asks about unsettled transfers, if none is set. */
  private void startSettleTimer() {
    if (settleTimer.get().isEmpty()) {
      settleTimer.set(Optional.of(recurringTimer(SETTLE_RETRY, this::settleOnTimer)));
    }
  }

  /**
   * A firing of the settle timer: asks about the unsettled transfers or, when there are none,
   * cancels the timer (the next transfer sets a new one). Recurring rather than a one-shot timer
   * that a firing would set again: a firing whose turn traps (a trap rolls back all it did; one
   * that cannot pay its turn's cycles never runs at all) would leave the transfers with no timer.
   */
  private Mono<Long> settleOnTimer() {
    if (unsettled.size() == 0) {
      settleTimer.get().ifPresent(this::cancelTimer);
      settleTimer.set(Optional.empty());
      return Mono.just(0L);
    }
    return settle();
  }

  /**
   * A transfer out whose outcome this account does not know yet: its credit or the answer to it
   * still on the way, or both timed out (then held: asked about again on the timer).
   */
  private record Unsettled(String to, long amount) {
  }

  /** What a transfer whose credit timed out learned by asking. */
  private enum Answer {
    CREDITED, NOT_CREDITED, UNKNOWN;

    static Answer of(boolean credited) {
      return credited ? CREDITED : NOT_CREDITED;
    }
  }

  /**
   * Settles a transfer out whose credit ran (once: a later ask finds it settled). Its receipt, and
   * whether this call settled it.
   */
  private Arrival arrived(long number, String to, long amount) {
    boolean now = unsettled.remove(number) != null;
    return new Arrival(new TransferReceipt(actorId().value(), to, amount, balance.get()), now);
  }

  /** A transfer's receipt, and whether the call that made it settled the transfer. */
  private record Arrival(TransferReceipt receipt, boolean settledNow) {
  }

  private Mono<TransferReceipt> refund(long number, String to, long amount, String why) {
    returned(number, amount);
    return reject("the transfer of " + amount + " to " + to + " failed and was refunded: " + why);
  }

  /**
   * Settles a transfer out whose credit did not run: its amount comes back to the balance, once
   * (a later ask finds it settled). Whether this call settled it.
   */
  private boolean returned(long number, long amount) {
    if (unsettled.remove(number) == null) {
      return false;
    }
    balance.update(b -> b + amount);
    return true;
  }
}

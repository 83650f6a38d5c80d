package io.reactant.sample.bank;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
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
 * {@link #SETTLE_RETRY} while anything is held (rule R25), or when the owner calls {@link
 * #settleHeld}.
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

  /** How long a held transfer waits before the account asks about it again by itself. */
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
   * The recurring timer that asks about the held transfers, while one is set (at most one at a
   * time): set by the first transfer held, cancelled by a firing that finds nothing held.
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
    unsettled.put(number, new Unsettled(to, amount, false));
    Account destination = actorOf(Account.class, ActorId.of(to));
    Mono<Long> credit = destination.credit(amount, number, unsettledTo(to));  // tentative send
    return await(credit)                        // commit point: the debit and the credit are sent
        .map(credited -> arrived(number, to, amount))                  // a new turn
        .onErrorResume(CallError.class, failed -> {                    // a new turn
          if (failed.code() != RejectCode.SYS_UNKNOWN) {
            return refund(number, to, amount, failed.rejectMessage());
          }
          // timed out: the credit may still run. Ask behind it whether it did (rule R4)
          return await(destination.wasCredited(number))
              .map(Answer::of)
              .onErrorResume(CallError.class, unanswered -> Mono.just(Answer.UNKNOWN))
              .flatMap(answer -> switch (answer) {
                case CREDITED -> Mono.just(arrived(number, to, amount));
                case NOT_CREDITED -> refund(number, to, amount, "it timed out and did not arrive");
                case UNKNOWN -> {
                  hold(number, to, amount);
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
   * Asks again about every held transfer, one after the other; those still unknown stay held.
   * Answers how many were settled. A transfer stays held while it is asked about: if the turn its
   * answer comes to traps (cycles that run out), the timer asks again. So two asks may overlap (a
   * timer firing during the owner's settleHeld): both get the same answer, since both questions
   * follow the credit (rule R4), and the one answered second finds the transfer settled and
   * leaves it.
   */
  private Mono<Long> settle() {
    List<Long> held = new ArrayList<>();
    unsettled.forEach((n, u) -> {
      if (u.held()) {
        held.add(n);
      }
    });
    return Flux.fromIterable(held)
        .concatMap(n -> {
          Unsettled u = unsettled.get(n);
          if (u == null) {
            return Mono.just(false); // settled meanwhile by another ask
          }
          return await(actorOf(Account.class, ActorId.of(u.to())).wasCredited(n))
              .map(Answer::of)
              .onErrorResume(CallError.class, unanswered -> Mono.just(Answer.UNKNOWN))
              .map(answer -> {
                if (unsettled.get(n) == null) {
                  return false; // another ask settled it while this one waited
                }
                switch (answer) {
                  case CREDITED -> arrived(n, u.to(), u.amount());
                  case NOT_CREDITED -> returned(n, u.amount());
                  case UNKNOWN -> hold(n, u.to(), u.amount());
                }
                return answer != Answer.UNKNOWN;
              });
        })
        .filter(settled -> settled)
        .count();
  }

  /** Holds a transfer whose outcome is unknown, and sets the timer that asks again if none is. */
  private void hold(long number, String to, long amount) {
    unsettled.put(number, new Unsettled(to, amount, true));
    if (settleTimer.get().isEmpty()) {
      settleTimer.set(Optional.of(recurringTimer(SETTLE_RETRY, this::settleOnTimer)));
    }
  }

  /**
   * A firing of the settle timer: asks about the held transfers or, when none is held, cancels
   * the timer (a transfer held later sets a new one). Recurring rather than a one-shot timer that
   * a firing would set again: a firing whose turn traps (a trap rolls back all it did; one that
   * cannot pay its turn's cycles never runs at all) would leave the held transfers with no timer.
   */
  private Mono<Long> settleOnTimer() {
    boolean[] anyHeld = {false};
    unsettled.forEach((n, u) -> anyHeld[0] |= u.held());
    if (!anyHeld[0]) {
      settleTimer.get().ifPresent(this::cancelTimer);
      settleTimer.set(Optional.empty());
      return Mono.just(0L);
    }
    return settle();
  }

  /**
   * A transfer out whose outcome this account does not know yet: in flight, or held after its
   * credit and the question about it both timed out.
   */
  private record Unsettled(String to, long amount, boolean held) {
  }

  /** What a transfer whose credit timed out learned by asking. */
  private enum Answer {
    CREDITED, NOT_CREDITED, UNKNOWN;

    static Answer of(boolean credited) {
      return credited ? CREDITED : NOT_CREDITED;
    }
  }

  private TransferReceipt arrived(long number, String to, long amount) {
    unsettled.remove(number);
    return new TransferReceipt(actorId().value(), to, amount, balance.get());
  }

  private Mono<TransferReceipt> refund(long number, String to, long amount, String why) {
    returned(number, amount);
    return reject("the transfer of " + amount + " to " + to + " failed and was refunded: " + why);
  }

  /** Settles a transfer out whose credit did not run: its amount comes back to the balance. */
  private void returned(long number, long amount) {
    unsettled.remove(number);
    balance.update(b -> b + amount);
  }
}

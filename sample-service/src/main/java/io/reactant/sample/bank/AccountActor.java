package io.reactant.sample.bank;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.Caller;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.state.LongVar;
import io.reactant.state.TxMap;
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
 * money. Each transfer out is numbered, and each account remembers the number of the last credit
 * it took from each other account. After a timeout the transfer asks the other account for that
 * number ({@link Account#lastCreditFrom}): messages between two actors arrive in the order they
 * were sent (rule R4), and a credit is one turn, so when that question is answered the credit has
 * run or never will. The transfer then completes or refunds. If the question times out too, the
 * amount stays in flight ({@code inFlight} in the view), held, for a later reconciliation.
 *
 * <p>While a transfer is in flight its amount is kept in {@code outgoing}, and a credit is refused
 * (it traps) unless the balance, the money out and the credit together fit in a {@code long}: so
 * a refund, which moves money from {@code outgoing} back to the balance, can never overflow, even
 * when credits arrived while the transfer was out.
 */
@ActorBean(activation = Activation.EXPLICIT)
final class AccountActor extends Actor implements Account {

  /** What a transfer knows of its credit when the question whether it arrived went unanswered. */
  private static final long UNKNOWN = -1;

  private final String owner;
  private final LongVar balance;
  /** The money of this account's transfers that are in flight: debited, not yet credited there. */
  private final LongVar outgoing;
  /** The number of the last transfer out (transfers are numbered from 1). */
  private final LongVar transfersOut;
  /** For each account that credited this one: the number of its last transfer credited here. */
  private final TxMap<String, Long> lastCredits;

  AccountActor(Opening opening) {
    this.owner = opening.owner();
    this.balance = newLongVar("balance", opening.balance());
    this.outgoing = newLongVar("outgoing", 0L);
    this.transfersOut = newLongVar("transfersOut", 0L);
    this.lastCredits = newMap("lastCredits");
  }

  @Override
  public Mono<AccountView> view() {
    return Mono.just(new AccountView(actorId().value(), owner, balance.get(), outgoing.get()));
  }

  @Override
  public Mono<Long> credit(long amount, long transfer) {
    Caller caller = caller();
    if (!caller.isActor()) {
      return reject("credit is only for transfers between accounts");
    }
    if (amount <= 0) {
      return reject("amount must be positive, was " + amount);
    }
    // overflow traps; the money out counts, so that its refund fits too
    Math.addExact(Math.addExact(balance.get(), outgoing.get()), amount);
    lastCredits.put(caller.name(), transfer);
    return Mono.just(balance.update(b -> b + amount));
  }

  @Override
  public Mono<Long> lastCreditFrom() {
    Caller caller = caller();
    if (!caller.isActor()) {
      return reject("lastCreditFrom is only for transfers between accounts");
    }
    return Mono.just(lastCredits.getOrDefault(caller.name(), 0L));
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
    outgoing.update(o -> o + amount);                        // cannot overflow: o + balance did not
    long number = transfersOut.update(n -> n + 1);
    Account destination = actorOf(Account.class, ActorId.of(to));
    Mono<Long> credit = destination.credit(amount, number);            // tentative send
    return await(credit)                        // commit point: the debit and the credit are sent
        .map(credited -> arrived(to, amount))                          // a new turn
        .onErrorResume(CallError.class, failed -> {                    // a new turn
          if (failed.code() != RejectCode.SYS_UNKNOWN) {
            return refund(to, amount, failed.rejectMessage());
          }
          // timed out: the credit may still run. Ask behind it whether it did (rule R4)
          return await(destination.lastCreditFrom())
              .onErrorResume(CallError.class, unanswered -> Mono.just(UNKNOWN))
              .flatMap(last -> {
                if (last == UNKNOWN) {
                  return reject("the transfer of " + amount + " to " + to + " timed out and its"
                      + " outcome is unknown: the amount stays in flight, held by " + actorId());
                }
                return last >= number
                    ? Mono.just(arrived(to, amount))
                    : refund(to, amount, "it timed out and did not arrive");
              });
        });
  }

  private TransferReceipt arrived(String to, long amount) {
    outgoing.update(o -> o - amount);
    return new TransferReceipt(actorId().value(), to, amount, balance.get());
  }

  private Mono<TransferReceipt> refund(String to, long amount, String why) {
    outgoing.update(o -> o - amount);
    balance.update(b -> b + amount);
    return reject("the transfer of " + amount + " to " + to + " failed and was refunded: " + why);
  }
}

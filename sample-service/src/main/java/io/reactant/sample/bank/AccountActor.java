package io.reactant.sample.bank;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.Caller;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.state.LongVar;
import reactor.core.publisher.Mono;

/**
 * An account: created by {@code POST /api/accounts} with its owner and initial balance.
 *
 * <p>A transfer is non-atomic on purpose: it debits, then awaits the credit of the other account
 * (a commit point: the debit and the credit message become permanent together), and refunds in
 * its next turn if the credit failed. Money in flight is always in exactly one place: debited
 * here and not yet credited there, or credited there, or refunded here. A credit that timed out
 * (code 6) may still run, so it is not refunded: its amount stays in flight ({@code inFlight} in
 * the view), held, where a real bank would reconcile it with the other account.
 *
 * <p>While a transfer is in flight its amount is kept in {@code outgoing}, and a credit is refused
 * (it traps) unless the balance, the money out and the credit together fit in a {@code long}: so
 * a refund, which moves money from {@code outgoing} back to the balance, can never overflow, even
 * when credits arrived while the transfer was out.
 */
@ActorBean(activation = Activation.EXPLICIT)
final class AccountActor extends Actor implements Account {

  private final String owner;
  private final LongVar balance;
  /** The money of this account's transfers that are in flight: debited, not yet credited there. */
  private final LongVar outgoing;

  AccountActor(Opening opening) {
    this.owner = opening.owner();
    this.balance = newLongVar("balance", opening.balance());
    this.outgoing = newLongVar("outgoing", 0L);
  }

  @Override
  public Mono<AccountView> view() {
    return Mono.just(new AccountView(actorId().value(), owner, balance.get(), outgoing.get()));
  }

  @Override
  public Mono<Long> credit(long amount) {
    if (!caller().isActor()) {
      return reject("credit is only for transfers between accounts");
    }
    if (amount <= 0) {
      return reject("amount must be positive, was " + amount);
    }
    // overflow traps; the money out counts, so that its refund fits too
    Math.addExact(Math.addExact(balance.get(), outgoing.get()), amount);
    return Mono.just(balance.update(b -> b + amount));
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
    Mono<Long> credit = actorOf(Account.class, ActorId.of(to)).credit(amount);  // tentative send
    return await(credit)                        // commit point: the debit and the credit are sent
        .map(credited -> {                                             // a new turn: it arrived
          outgoing.update(o -> o - amount);
          return new TransferReceipt(actorId().value(), to, amount, balance.get());
        })
        .onErrorResume(CallError.class, failed -> {                    // a new turn
          if (failed.code() == RejectCode.SYS_UNKNOWN) {
            // timed out: the credit may still run (rule R22), so a refund could create money
            return reject("the transfer of " + amount + " to " + to + " timed out and may still"
                + " arrive; the amount stays in flight, held by " + actorId());
          }
          outgoing.update(o -> o - amount);                            // refund
          balance.update(b -> b + amount);
          return reject("the transfer of " + amount + " to " + to + " failed and was refunded: "
              + failed.rejectMessage());
        });
  }
}

package io.reactant.sample.bank;

import io.reactant.actor.Query;
import io.reactant.spring.boot.NotExposed;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/** A bank account. */
public interface Account {

  /** The account's id, owner and committed balance. */
  @Query
  Mono<AccountView> view();

  /**
   * Adds money; only another account may call it (a transfer), with the number of that transfer
   * among the caller's transfers out, and the numbers of the caller's transfers to this account
   * whose outcome it does not know yet (it may ask about those, and about no other). Answers the
   * new balance. A credit that would overflow traps (rule R12) and changes nothing; so does one
   * after which the money in flight could no longer be refunded without overflowing. Not
   * exposed over HTTP (the check of its caller stays, for the application's own calls).
   */
  @NotExposed
  Mono<Long> credit(long amount, long transfer, List<Long> unsettledHere);

  /**
   * Whether the calling account's transfer of that number was credited here; only another
   * account may call it. An update, not a query, on purpose: it runs after every credit the caller
   * sent before it (rule R4), so a transfer whose credit timed out learns whether it arrived. Not
   * exposed over HTTP.
   */
  @NotExposed
  Mono<Boolean> wasCredited(long transfer);

  /**
   * Asks about the transfers out not settled yet (those whose credit and whose question both
   * timed out, held in flight, and any still under way), and completes or refunds each one whose
   * outcome it learns; only the owner may call it (the account also asks by itself, on a timer,
   * while any transfer is unsettled). Answers how many it settled.
   */
  Mono<Long> settleHeld();

  /**
   * For each account that credited this one, how many of its credits this account still
   * remembers (those it may be asked about): bounded by that account's unsettled transfers here.
   */
  @Query
  Mono<Map<String, Integer>> creditsRemembered();

  /**
   * Moves money to another account; only the owner may call it (rule R21). Rejects (code 4) when
   * the funds are insufficient, and when the credit fails, after refunding the debit. When the
   * credit times out (code 6), it asks the other account whether the credit arrived, and completes
   * or refunds accordingly; if that too times out, the amount stays in flight, held.
   */
  Mono<TransferReceipt> transfer(String to, long amount);

  /**
   * What an account is.
   *
   * @param id the account's id
   * @param owner the user who may move money out of it
   * @param balance the committed balance
   * @param inFlight the money of transfers out that have not arrived yet (debited from the balance)
   */
  record AccountView(String id, String owner, long balance, long inFlight) {
  }

  /**
   * A transfer that happened.
   *
   * @param from the debited account
   * @param to the credited account
   * @param amount the money moved
   * @param balance the balance of {@code from} once the transfer completed
   */
  record TransferReceipt(String from, String to, long amount, long balance) {
  }

  /**
   * What a new account starts with.
   *
   * @param owner its owner
   * @param balance its initial balance
   */
  record Opening(String owner, long balance) {
  }
}

package io.reactant.sample.bank;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The accounts that clients may open: at most {@code sample.accounts.max}, each opening taking a
 * slot before it spawns and giving it back if the spawn fails. Thread-safe, lock-free.
 */
@Component
final class AccountQuota {

  private final int max;
  private final AtomicInteger taken = new AtomicInteger();

  AccountQuota(AccountProperties properties) {
    this.max = properties.max();
  }

  /** Takes a slot for an opening, if the bound leaves one; answers whether. */
  boolean take() {
    int n;
    do {
      n = taken.get();
      if (n >= max) {
        return false;
      }
    } while (!taken.compareAndSet(n, n + 1));
    return true;
  }

  /** Gives back the slot of an opening that created no account. */
  void giveBack() {
    taken.decrementAndGet();
  }

  /** The refusal of an opening once the bound is reached. */
  String fullMessage() {
    return "The sample holds " + max + " accounts, the most clients may open (sample.accounts.max)";
  }
}

package io.reactant.sample.bank;

import io.reactant.actor.ActorRefs;
import io.reactant.actor.Caller;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.sample.bank.Account.AccountView;
import io.reactant.sample.bank.Account.Opening;
import io.reactant.sample.bank.Account.TransferReceipt;
import io.reactant.sample.web.Names;
import io.reactant.sample.web.Requests;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.web.IngressCallerResolver;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code /api/accounts} and {@code /api/transfers}. A transfer needs an authenticated user (HTTP
 * Basic) who owns the debited account; the account checks it again (rule R21). Anyone may open an
 * account, up to {@code sample.accounts.max} of them: past it an opening answers 503 (code 2, as
 * one past {@code reactant.max-actors} does) and creates nothing. Account ids are the actor
 * system's ({@code account-1}); a client chooses none.
 */
@RestController
@RequestMapping(produces = MediaType.APPLICATION_JSON_VALUE)
class AccountController {

  private static final int MAX_OWNER_LENGTH = 64;
  private static final int MAX_ID_LENGTH = 64;

  private final ActorDirectory actors;
  private final IngressCallerResolver callers;
  private final AccountQuota quota;

  AccountController(ActorDirectory actors, IngressCallerResolver callers, AccountQuota quota) {
    this.actors = actors;
    this.callers = callers;
    this.quota = quota;
  }

  @PostMapping("/api/accounts")
  Mono<ResponseEntity<AccountView>> open(@RequestBody OpenAccountRequest request) {
    String owner = Names.require(request.owner(), "owner", MAX_OWNER_LENGTH);
    long balance = Requests.requireAtLeast(request.balance(), "balance", 0);
    if (!quota.take()) {
      return Mono.error(new CallError(RejectCode.SYS_TRANSIENT, quota.fullMessage()));
    }
    Account account;
    try {
      account = actors.spawn(Account.class, new Opening(owner, balance));
    } catch (RuntimeException failed) {
      quota.giveBack();
      throw failed;
    }
    return account.view().map(view ->
        ResponseEntity.created(URI.create("/api/accounts/" + view.id())).body(view));
  }

  @GetMapping("/api/accounts/{id}")
  Mono<AccountView> account(@PathVariable String id) {
    return actors.get(Account.class, id).view();
  }

  @PostMapping("/api/transfers")
  Mono<TransferReceipt> transfer(@RequestBody TransferRequest request, ServerWebExchange exchange) {
    String from = Requests.requireText(request.from(), "from", MAX_ID_LENGTH);
    String to = Requests.requireText(request.to(), "to", MAX_ID_LENGTH);
    long amount = Requests.requireAtLeast(request.amount(), "amount", 1);
    if (from.equals(to)) {
      throw Requests.badRequest("'from' and 'to' must be different accounts");
    }
    Account source = actors.get(Account.class, from);
    Account destination = actors.get(Account.class, to);
    return callers.resolve(exchange).flatMap(caller -> source.view()   // 404 if unknown
        .flatMap(view -> {
          if (!isOwner(caller, view)) {
            return Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN,
                caller.name() + " does not own account " + view.id()));
          }
          // a call is sent where it is written: deferred, the transfer is sent only once the
          // destination is known, not beside the check (then a 404 would answer a transfer that
          // ran, debited, failed and refunded behind it)
          return destination.view()                                      // 404 if unknown
              .then(Mono.defer(() ->
                  ActorRefs.withIngressCaller(source, caller).transfer(to, amount)));
        }));
  }

  private static boolean isOwner(Caller caller, AccountView account) {
    return caller.kind() == Caller.Kind.PRINCIPAL && caller.name().equals(account.owner());
  }

  /** A new account: its owner and initial balance. */
  record OpenAccountRequest(@Nullable String owner, @Nullable Long balance) {
  }

  /** A transfer: from an account the user owns, to another account. */
  record TransferRequest(@Nullable String from, @Nullable String to, @Nullable Long amount) {
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;

/**
 * Rule R22: when a call ends, the cycles attached to it that its callee did not accept (commit)
 * return to the sender's balance, and {@code cyclesRefunded()} after the await reports them. Each
 * way a call can end: replied, rejected (code 4, which commits), trapped (code 5, which rolls back
 * what the trapped turn accepted), across a commit point of the callee, timed out (code 6), a
 * oneway, and a sender whose own turn traps before or after the send.
 */
class CallRefundTest {

  private static final long WALLET = 1_000;

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  /** How a callee ends its call. */
  enum End { REPLY, REJECT, TRAP }

  public interface Vault {
    /** Accepts up to {@code take} of the attached cycles, then ends as {@code end}. */
    Mono<Long> take(long take, End end);

    /**
     * Accepts {@code first} in its first turn, awaits a second (the await commits that turn),
     * accepts {@code second} in the continuation, then ends as {@code end}.
     */
    Mono<Long> takeAcrossAwait(long first, long second, End end);

    /** A oneway: accepts up to {@code take}, then ends as {@code end}. */
    void tip(long take, End end);

    @Query
    Mono<Long> savings();
  }

  static final class VaultActor extends Actor implements Vault {
    private final DeterministicScheduler clock;

    VaultActor(DeterministicScheduler clock) {
      this.clock = clock;
    }

    @Override
    public Mono<Long> take(long take, End end) {
      return end(acceptCycles(take), end);
    }

    @Override
    public Mono<Long> takeAcrossAwait(long first, long second, End end) {
      long before = acceptCycles(first);
      return await(Mono.delay(Duration.ofSeconds(1), clock))
          .flatMap(tick -> end(before + acceptCycles(second), end));
    }

    @Override
    public void tip(long take, End end) {
      long accepted = acceptCycles(take);
      if (end == End.REJECT) {
        throw CallError.reject("took " + accepted + " and said no"); // a oneway's reject commits
      }
      end(accepted, end);
    }

    private static Mono<Long> end(long accepted, End end) {
      return switch (end) {
        case REPLY -> Mono.just(accepted);
        case REJECT -> reject("took " + accepted + " and said no");
        case TRAP -> trap("took " + accepted + " and trapped");
      };
    }

    @Override
    public Mono<Long> savings() {
      return Mono.just(cyclesBalance());
    }
  }

  public interface Payer {
    /**
     * Attaches {@code cycles} to {@code vault.take(take, end)} (or {@code takeAcrossAwait(take,
     * second, end)} when {@code second} is not negative), awaits it, and tells the outcome, the
     * refund and the balance.
     */
    Mono<String> pay(Vault vault, long cycles, long take, long second, End end);

    /** As {@link #pay}, with a bounded wait of {@code patience}. */
    Mono<String> payImpatiently(Vault vault, long cycles, long take, long second,
        Duration patience);

    /**
     * Pays as {@link #pay} (a reply), then, in the continuation, attaches {@code more} to a second
     * call and traps: the continuation rolls back, the first call's refund stays.
     */
    Mono<String> payThenTrap(Vault vault, long cycles, long take, long more);

    /** Attaches {@code cycles} to {@code vault.take(take, REPLY)}, then traps in the same turn. */
    Mono<Void> attachThenTrap(Vault vault, long cycles, long take);

    /** Attaches {@code cycles} to a oneway {@code vault.tip(take, end)}. */
    Mono<Void> tip(Vault vault, long cycles, long take, End end);

    @Query
    Mono<Long> cycles();
  }

  static final class PayerActor extends Actor implements Payer {
    @Override
    public Mono<String> pay(Vault vault, long cycles, long take, long second, End end) {
      Vault paying = CallOptions.cycles(cycles).on(vault);
      return report(second < 0 ? paying.take(take, end)
          : paying.takeAcrossAwait(take, second, end));
    }

    @Override
    public Mono<String> payImpatiently(Vault vault, long cycles, long take, long second,
        Duration patience) {
      return report(CallOptions.timeout(patience).withCycles(cycles).on(vault)
          .takeAcrossAwait(take, second, End.REPLY));
    }

    private Mono<String> report(Mono<Long> call) {
      return await(call)
          .map(accepted -> "accepted " + accepted)
          .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code()))
          .map(s -> s + ", refunded " + cyclesRefunded() + ", balance " + cyclesBalance());
    }

    @Override
    public Mono<String> payThenTrap(Vault vault, long cycles, long take, long more) {
      return await(CallOptions.cycles(cycles).on(vault).take(take, End.REPLY))
          .map(accepted -> {
            CallOptions.cycles(more).on(vault).take(more, End.REPLY);
            return trap("refunded " + cyclesRefunded() + ", then trapped");
          });
    }

    @Override
    public Mono<Void> attachThenTrap(Vault vault, long cycles, long take) {
      CallOptions.cycles(cycles).on(vault).take(take, End.REPLY);
      return trap("attached " + cycles + ", then trapped");
    }

    @Override
    public Mono<Void> tip(Vault vault, long cycles, long take, End end) {
      CallOptions.cycles(cycles).on(vault).tip(take, end);
      return done();
    }

    @Override
    public Mono<Long> cycles() {
      return Mono.just(cyclesBalance());
    }
  }

  private Vault vault() {
    return system.spawn(Vault.class, () -> new VaultActor(scheduler));
  }

  private Payer payer() {
    Payer payer = system.spawn(Payer.class, PayerActor::new);
    system.topUp(ActorRefs.idOf(payer), WALLET);
    return payer;
  }

  private long balance(Object actor) {
    return system.cyclesBalance(ActorRefs.idOf(actor));
  }

  @ParameterizedTest(name = "{0} cycles attached, {1} taken, the callee ends with {2}: {3}")
  @CsvSource(delimiter = '|', value = {
      "300 | 300 | REPLY  | accepted 300, refunded 0, balance 700   | 300",
      "300 | 120 | REPLY  | accepted 120, refunded 180, balance 880 | 120",
      "300 | 0   | REPLY  | accepted 0, refunded 300, balance 1000  | 0",
      "300 | 999 | REPLY  | accepted 300, refunded 0, balance 700   | 300",
      "300 | 300 | REJECT | code 4, refunded 0, balance 700         | 300",
      "300 | 120 | REJECT | code 4, refunded 180, balance 880       | 120",
      "300 | 0   | REJECT | code 4, refunded 300, balance 1000      | 0",
      "300 | 300 | TRAP   | code 5, refunded 300, balance 1000      | 0",
      "300 | 120 | TRAP   | code 5, refunded 300, balance 1000      | 0",
  })
  @DisplayName("R22 R11 R12 a call's unaccepted cycles return to the sender when it ends, and"
      + " cyclesRefunded() reports them: all accepted refunds nothing, part refunds the rest, none"
      + " refunds all; a reject (code 4) commits, so the callee keeps what it accepted; a trap"
      + " (code 5) rolls the acceptance back and refunds all")
  void refundByOutcome(long cycles, long take, End end, String outcome, long vaultGot) {
    Vault vault = vault();
    Payer payer = payer();
    assertThat(scheduler.await(payer.pay(vault, cycles, take, -1, end))).isEqualTo(outcome);
    assertThat(balance(vault)).as("the callee's balance").isEqualTo(vaultGot);
    assertThat(balance(payer) + balance(vault)).as("cycles conserved").isEqualTo(WALLET);
  }

  @ParameterizedTest(name = "{0} taken, then {1} after the await, ends with {2}: {3}")
  @CsvSource(delimiter = '|', value = {
      "100 | 50  | REPLY  | accepted 150, refunded 150, balance 850 | 150",
      "100 | 50  | REJECT | code 4, refunded 150, balance 850       | 150",
      "100 | 50  | TRAP   | code 5, refunded 200, balance 900       | 100",
      "300 | 50  | TRAP   | code 5, refunded 0, balance 700         | 300",
      "0   | 300 | TRAP   | code 5, refunded 300, balance 1000      | 0",
  })
  @DisplayName("R22 R6 R13 R12 cycles a callee accepted before an await are committed there: a trap"
      + " in the continuation rolls back only what the continuation accepted, and the refund is"
      + " what neither turn kept")
  void refundAcrossTheCalleesCommitPoint(long first, long second, End end, String outcome,
      long vaultGot) {
    Vault vault = vault();
    Payer payer = payer();
    Mono<String> paid = payer.pay(vault, 300, first, second, end);
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(scheduler.await(paid)).isEqualTo(outcome);
    assertThat(balance(vault)).as("the callee's balance").isEqualTo(vaultGot);
    assertThat(balance(payer) + balance(vault)).as("cycles conserved").isEqualTo(WALLET);
  }

  @Test
  @DisplayName("R22 a bounded wait that runs out (code 6) brings no refund: cyclesRefunded() is 0;"
      + " the late reply returns what the callee did not accept, in both of its turns, to the"
      + " balance, unreported")
  void timedOutCallRefundsLateAndUnreported() {
    Vault vault = vault();
    Payer payer = payer();
    Mono<String> paid = payer.payImpatiently(vault, 300, 100, 50, Duration.ofMillis(500));
    scheduler.advanceTimeBy(Duration.ofMillis(500));
    assertThat(scheduler.await(paid)).isEqualTo("code 6, refunded 0, balance 700");
    assertThat(balance(vault)).as("the first turn committed at its await").isEqualTo(100L);
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    scheduler.runUntilIdle();
    assertThat(balance(vault)).isEqualTo(150L);
    assertThat(balance(payer)).as("the late refund landed").isEqualTo(WALLET - 150);
  }

  @Test
  @DisplayName("R22 R10 a sender whose turn traps after attaching cycles to a send keeps them: the"
      + " send is revoked, the rollback restores the balance, and no refund comes to add them twice")
  void senderTrappingBeforeTheCommitKeepsItsCycles() {
    Vault vault = vault();
    Payer payer = payer();
    assertThatThrownBy(() -> scheduler.await(payer.attachThenTrap(vault, 300, 120)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    scheduler.runUntilIdle();
    assertThat(balance(payer)).isEqualTo(WALLET);
    assertThat(balance(vault)).isZero();
  }

  @Test
  @DisplayName("R22 R12 a sender whose continuation traps after the reply keeps the refund that"
      + " came with it (the refund is no change of the trapped turn's) and gets back what the"
      + " trapped continuation attached to a second call (revoked)")
  void senderTrappingAfterTheReplyKeepsTheRefund() {
    Vault vault = vault();
    Payer payer = payer();
    assertThatThrownBy(() -> scheduler.await(payer.payThenTrap(vault, 300, 120, 50)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("refunded 180, then trapped");
        });
    scheduler.runUntilIdle();
    assertThat(balance(vault)).as("only the first call was made").isEqualTo(120L);
    assertThat(balance(payer)).isEqualTo(WALLET - 120);
  }

  @ParameterizedTest(name = "{0} taken, the callee ends with {1}: {2} kept")
  @CsvSource(delimiter = '|', value = {
      "120 | REPLY  | 120",
      "300 | REPLY  | 300",
      "0   | REPLY  | 0",
      "120 | REJECT | 120",
      "120 | TRAP   | 0",
  })
  @DisplayName("R22 a oneway's unaccepted cycles return to its sender when its turn ends, as a"
      + " call's do (it has no reply to report them with)")
  void onewayRefund(long take, End end, long vaultGot) {
    Vault vault = vault();
    Payer payer = payer();
    scheduler.await(payer.tip(vault, 300, take, end));
    scheduler.runUntilIdle();
    assertThat(balance(vault)).isEqualTo(vaultGot);
    assertThat(balance(payer)).isEqualTo(WALLET - vaultGot);
  }
}

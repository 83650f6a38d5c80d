package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** Rules R7 and R19: what a query reads of an update that awaits. */
class QueryDuringAwaitTest {

  public interface Ledger {
    /** Writes 1, awaits {@code gate}, then writes 2 and traps. */
    Mono<Integer> writeAwaitThenTrap(Mono<Integer> gate);

    /** Writes 5, then awaits this actor's own {@link #read()}. */
    Mono<Integer> writeThenAwaitOwnQuery();

    @Query
    Mono<Integer> read();
  }

  static final class LedgerActor extends Actor implements Ledger {
    private final Var<Integer> v = newVar("v", 0);

    @Override
    public Mono<Integer> writeAwaitThenTrap(Mono<Integer> gate) {
      v.set(1);
      return await(gate).map(x -> {
        v.set(2);
        throw new IllegalStateException("after the await");
      });
    }

    @Override
    public Mono<Integer> writeThenAwaitOwnQuery() {
      v.set(5);
      return await(self(Ledger.class).read());
    }

    @Override
    public Mono<Integer> read() {
      return Mono.just(v.get());
    }
  }

  @Test
  @DisplayName("R7 R19 a query while an update waits at an await reads the writes made before it,"
      + " committed there; the continuation's writes, rolled back by its trap, it never reads")
  void queryDuringAnAwaitReadsWhatItCommitted() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .build())) {
      Ledger ledger = system.spawn(Ledger.class, ActorId.of("ledger"), LedgerActor::new);
      Sinks.One<Integer> gate = Sinks.one();
      CompletableFuture<Integer> update = ledger.writeAwaitThenTrap(gate.asMono()).toFuture();
      scheduler.runUntilIdle();
      assertThat(update).isNotDone();

      assertThat(ledger.read().block()).as("during the await").isEqualTo(1);

      gate.tryEmitValue(0);
      scheduler.runUntilIdle();
      assertThat(update).failsWithin(java.time.Duration.ZERO)
          .withThrowableThat().havingCause().isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
      assertThat(ledger.read().block()).as("after the continuation trapped").isEqualTo(1);
    }
  }

  @Test
  @DisplayName("R5 R7 R19 an update that awaits its own query reads its writes made before the"
      + " await: the query runs when the turn commits there")
  void updateAwaitingItsOwnQueryReadsItsWrites() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .build())) {
      Ledger ledger = system.spawn(Ledger.class, ActorId.of("ledger"), LedgerActor::new);

      assertThat(scheduler.await(ledger.writeThenAwaitOwnQuery())).isEqualTo(5);
    }
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.error.Trap;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** What {@link CallError} and {@link Trap} document of themselves. */
class CallErrorContractTest {

  public interface Fragile {
    Mono<Long> divide(long by);

    /** Throws a Trap it made itself and catches it: an ordinary exception, so the turn commits. */
    Mono<Long> catchOwnTrap();

    @Query
    Mono<Long> count();
  }

  static final class FragileActor extends Actor implements Fragile {
    private final LongVar count = newLongVar("count", 0);

    @Override
    public Mono<Long> divide(long by) {
      count.add(1);
      return Mono.just(10 / by);
    }

    @Override
    public Mono<Long> catchOwnTrap() {
      count.add(1);
      try {
        throw new Trap("mine");
      } catch (Trap caught) {
        return Mono.just(count.get());
      }
    }

    @Override
    public Mono<Long> count() {
      return Mono.just(count.get());
    }
  }

  @Test
  @DisplayName("R12 a code 5 carries the callee's exception as its cause, and no stack trace of"
      + " its own; getMessage prefixes the code, rejectMessage does not")
  void codeFiveCarriesTheCause() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Fragile fragile = system.spawn(Fragile.class, ActorId.of("f"), FragileActor::new);
      assertThatThrownBy(() -> scheduler.await(fragile.divide(0)))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.getCause()).isInstanceOf(ArithmeticException.class);
            assertThat(e.getStackTrace()).isEmpty();
            assertThat(e.getMessage()).startsWith("[5 CANISTER_ERROR] ")
                .endsWith(e.rejectMessage());
          });
      assertThat(fragile.count().block()).as("rolled back").isZero();
    }
    CallError reject = CallError.reject("no");
    assertThat(reject.code()).isEqualTo(RejectCode.CANISTER_REJECT);
    assertThat(reject.getMessage()).isEqualTo("[4 CANISTER_REJECT] no");
    assertThat(reject.getStackTrace()).isEmpty();
  }

  @Test
  @DisplayName("R12 a Trap the actor's code constructs, throws and catches itself is an ordinary"
      + " exception: the turn commits")
  void ownTrapCaughtIsOrdinary() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Fragile fragile = system.spawn(Fragile.class, FragileActor::new);
      assertThat(scheduler.await(fragile.catchOwnTrap())).isEqualTo(1L);
      assertThat(fragile.count().block()).isEqualTo(1L);
    }
  }
}

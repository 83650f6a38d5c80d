package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.call.CallOptions;
import io.reactant.scheduler.DeterministicScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The cycles balance near {@link Long#MAX_VALUE} (rule R22). */
class CyclesSaturationTest {

  public interface Sink {
    void receive(String what);
  }

  public interface Rich {
    /** Accepts every attached cycle, reads its balance, then sends a message (which costs a fee). */
    Mono<Long> acceptThenSend(Sink sink);
  }

  public interface Payer {
    Mono<Long> pay(Rich rich, Sink sink, long cycles);
  }

  static final class SinkActor extends Actor implements Sink {
    @Override
    public void receive(String what) {
    }
  }

  static final class RichActor extends Actor implements Rich {
    @Override
    public Mono<Long> acceptThenSend(Sink sink) {
      acceptCycles(Long.MAX_VALUE);
      long balance = cyclesBalance();
      sink.receive("sent by a rich actor");
      return Mono.just(balance);
    }
  }

  static final class PayerActor extends Actor implements Payer {
    @Override
    public Mono<Long> pay(Rich rich, Sink sink, long cycles) {
      return await(CallOptions.cycles(cycles).on(rich).acceptThenSend(sink));
    }
  }

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("test")
      .scheduler(scheduler).fees(0, 1).initialBalance(1_000).build());

  @AfterEach
  void close() {
    system.close();
    scheduler.runUntilIdle();
  }

  @Test
  @DisplayName("R22 an actor whose balance is at Long.MAX_VALUE that accepts more cycles sees its"
      + " balance saturated in the turn, and can still pay for its sends")
  void acceptingPastTheMaximumSaturatesInTheTurn() {
    Rich rich = system.spawn(Rich.class, RichActor::new);
    Payer payer = system.spawn(Payer.class, PayerActor::new);
    Sink sink = system.spawn(Sink.class, SinkActor::new);
    system.topUp(ActorRefs.idOf(rich), Long.MAX_VALUE - 1_000);

    assertThat(scheduler.await(payer.pay(rich, sink, 10))).isEqualTo(Long.MAX_VALUE);
    // the 10 cycles past the maximum are lost; the balance did not wrap negative
    assertThat(system.cyclesBalance(ActorRefs.idOf(rich))).isGreaterThanOrEqualTo(Long.MAX_VALUE - 1);
  }
}

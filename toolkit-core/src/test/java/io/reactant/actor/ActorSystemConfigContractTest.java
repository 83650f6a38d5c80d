package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.scheduler.WorkStealingScheduler;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The defaults, the validation and the copying that {@link ActorSystemConfig} documents. */
class ActorSystemConfigContractTest {

  @Test
  @DisplayName("the defaults are those documented: a pool of one thread per core owned by the"
      + " system, 32 turns per scheduling, unbounded mailboxes and actors, unbounded waits, no"
      + " fees, no listener, a long-turn warning after 2 s")
  void defaults() {
    ActorSystemConfig d = ActorSystemConfig.defaults();
    assertThat(d.name()).isEqualTo("reactant");
    assertThat(d.scheduler()).isNull();
    assertThat(d.parallelism()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(d.turnsPerScheduling()).isEqualTo(32);
    assertThat(d.idleSpins()).isPositive();
    assertThat(d.hasListener()).isFalse();
    assertThat(d.mailboxCapacity()).isZero();
    assertThat(d.maxActors()).isZero();
    assertThat(d.defaultCallTimeout()).isEmpty();
    assertThat(d.turnFee()).isZero();
    assertThat(d.messageFee()).isZero();
    assertThat(d.initialBalance()).isZero();
    assertThat(d.shutdownGracePeriod()).isPositive();
    assertThat(d.longTurnWarning()).isEqualTo(Duration.ofSeconds(2));
    assertThat(ActorSystemConfig.builder().build().toString()).isEqualTo(d.toString());
  }

  @Test
  @DisplayName("every setter refuses what its field cannot hold, naming it: negative counts,"
      + " fees and durations, a zero or negative default timeout, a pool past 32767 threads, nulls")
  void settersRefuseBadValues() {
    ActorSystemConfig.Builder b = ActorSystemConfig.builder();
    assertThatThrownBy(() -> b.mailboxCapacity(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mailboxCapacity");
    assertThatThrownBy(() -> b.fees(-1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("turnFee=-1");
    assertThatThrownBy(() -> b.fees(0, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messageFee=-1");
    assertThatThrownBy(() -> b.initialBalance(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialBalance");
    assertThatThrownBy(() -> b.defaultCallTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultCallTimeout");
    assertThatThrownBy(() -> b.defaultCallTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultCallTimeout");
    assertThatThrownBy(() -> b.shutdownGracePeriod(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownGracePeriod");
    assertThatThrownBy(() -> b.longTurnWarning(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longTurnWarning");
    // a ForkJoinPool holds at most 32767 threads: more was its bare IllegalArgumentException
    assertThatThrownBy(() -> b.parallelism(WorkStealingScheduler.MAX_PARALLELISM + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parallelism must be at most 32767, was 32768");
    assertThat(b.parallelism(WorkStealingScheduler.MAX_PARALLELISM).build().parallelism())
        .isEqualTo(32767);
    assertThatThrownBy(() -> b.shutdownGracePeriod(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.longTurnWarning(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.listener(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.scheduler(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.name(null)).isInstanceOf(NullPointerException.class);

    ActorSystemConfig lenient = b.defaultCallTimeout(Duration.ofSeconds(1))
        .defaultCallTimeout(null).shutdownGracePeriod(Duration.ZERO).longTurnWarning(Duration.ZERO)
        .mailboxCapacity(0).build();
    assertThat(lenient.defaultCallTimeout()).as("null: unbounded again").isEmpty();
    assertThat(lenient.shutdownGracePeriod()).isZero();
    assertThat(lenient.longTurnWarning()).as("zero: reports off").isZero();
  }

  @Test
  @DisplayName("toBuilder copies every field, the listener and the scheduler included, and the"
      + " system answers the configuration it was started with")
  void toBuilderCopiesEverything() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    TurnListener listener = new TurnListener() {
    };
    ActorSystemConfig config = ActorSystemConfig.builder().name("copied").scheduler(scheduler)
        .parallelism(3).turnsPerScheduling(4).idleSpins(5).listener(listener).mailboxCapacity(6)
        .maxActors(7).defaultCallTimeout(Duration.ofSeconds(8)).fees(9, 10).initialBalance(11)
        .shutdownGracePeriod(Duration.ofSeconds(12)).longTurnWarning(Duration.ofSeconds(13))
        .build();
    ActorSystemConfig copy = config.toBuilder().build();
    assertThat(copy.toString()).isEqualTo(config.toString());
    assertThat(copy.listener()).isSameAs(listener);
    assertThat(copy.hasListener()).isTrue();
    assertThat(copy.scheduler()).isSameAs(scheduler);
    assertThat(config.toBuilder().name("changed").build().name()).isEqualTo("changed");
    assertThat(config.name()).as("immutable").isEqualTo("copied");
    try (ActorSystem system = ActorSystem.create(config)) {
      assertThat(system.config()).isSameAs(config);
    }
  }
}

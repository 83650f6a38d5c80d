package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** What {@link MailboxCapacity} promises: it overrides the system's capacity, 0 for unbounded. */
class MailboxCapacityContractTest {

  public interface Echo {
    Mono<Integer> echo(int n);
  }

  static class EchoActor extends Actor implements Echo {
    @Override
    public Mono<Integer> echo(int n) {
      return Mono.just(n);
    }
  }

  @MailboxCapacity(0)
  static final class UnboundedEchoActor extends EchoActor {
  }

  @MailboxCapacity(-1)
  static final class NegativeEchoActor extends EchoActor {
  }

  private static ActorSystem boundedTo(int capacity, DeterministicScheduler scheduler) {
    return ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .mailboxCapacity(capacity).build());
  }

  @Test
  @DisplayName("R12a @MailboxCapacity(0) makes an actor's mailbox unbounded in a system that"
      + " bounds every other mailbox")
  void zeroOverridesTheSystemsBound() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = boundedTo(2, scheduler)) {
      Echo bounded = system.spawn(Echo.class, EchoActor::new);
      Echo unbounded = system.spawn(Echo.class, UnboundedEchoActor::new);
      List<Mono<Integer>> sent = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        sent.add(unbounded.echo(i));
      }
      assertThat(system.mailboxDepth(ActorRefs.idOf(unbounded))).as("all queued").isEqualTo(50);
      bounded.echo(0);
      bounded.echo(1);
      assertThatThrownBy(() -> scheduler.await(bounded.echo(2)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
      for (int i = 0; i < 50; i++) {
        assertThat(scheduler.await(sent.get(i))).isEqualTo(i);
      }
    }
  }

  @Test
  @DisplayName("a negative @MailboxCapacity is refused at spawn, naming the class, and creates"
      + " nothing")
  void negativeCapacityIsRefused() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = boundedTo(2, scheduler)) {
      assertThatThrownBy(() -> system.spawn(Echo.class, NegativeEchoActor::new))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("NegativeEchoActor").hasMessageContaining("negative");
      assertThat(system.actorCount()).isZero();
    }
  }
}

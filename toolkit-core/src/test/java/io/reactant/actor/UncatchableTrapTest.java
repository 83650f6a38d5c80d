package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.error.Trap;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rule R12 with R13, R18, R19 and R22: a trap the toolkit raises, or {@code Actor.trap}, cannot be
 * caught. The code that catches it goes on, but its turn, query or initializer still traps: the
 * turn rolls back and revokes its sends, the caller sees code 5.
 */
class UncatchableTrapTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("traps")
      .scheduler(scheduler).fees(0, 0).initialBalance(100).build());

  @AfterEach
  void close() {
    system.close();
  }

  public interface Sink {
    void receive(String what);

    @Query
    Mono<List<String>> received();
  }

  static final class SinkActor extends Actor implements Sink {
    private final Var<List<String>> received = newVar("received", List.of());

    @Override
    public void receive(String what) {
      received.set(List.copyOf(append(received.get(), what)));
    }

    @Override
    public Mono<List<String>> received() {
      return Mono.just(received.get());
    }
  }

  private static List<String> append(List<String> list, String what) {
    List<String> next = new java.util.ArrayList<>(list);
    next.add(what);
    return next;
  }

  public interface Catcher {
    /** Writes, sends, then calls Actor.trap and catches it. */
    Mono<String> catchExplicitTrap(Sink sink);

    /** Writes, then attaches more cycles than it has to a call and catches the trap. */
    Mono<String> catchOutOfCycles(Sink sink);

    /** Writes, then awaits its own future (a deadlock) and recovers from the trap. */
    Mono<String> recoverFromDeadlock(String key);

    /**
     * Awaits two futures at once, catches Actor.trap in the continuation of the first while the
     * second still waits, and sends from a cleanup that runs when the call's Mono is cancelled.
     */
    Mono<String> trapBesidePendingAwait(Sink sink);

    /** Sends from a query and catches the trap. */
    @Query
    Mono<String> querySendsAndCatches(Sink sink);

    /** Sends from a query, catches the trap and throws a reject of its own instead. */
    @Query
    Mono<String> querySendsAndThrowsAReject(Sink sink);

    /** An update whose inspection sends, catches the trap and throws a reject of its own. */
    Mono<String> inspectedBySendingThenRejecting(Sink sink);

    @Query
    Mono<Long> writes();
  }

  static final java.util.concurrent.ConcurrentHashMap<String, Mono<String>> FUTURES =
      new java.util.concurrent.ConcurrentHashMap<>();

  static final class CatcherActor extends Actor implements Catcher {
    private final Var<Long> writes = newVar("writes", 0L);

    @Override
    public Mono<String> catchExplicitTrap(Sink sink) {
      writes.set(writes.get() + 1);
      sink.receive("from a turn that traps");
      try {
        trap("explicit");
      } catch (Trap caught) {
        return Mono.just("caught " + caught.getMessage());
      }
      return Mono.just("not reached");
    }

    @Override
    public Mono<String> catchOutOfCycles(Sink sink) {
      writes.set(writes.get() + 1);
      try {
        CallOptions.cycles(1_000).on(sink).receive("paid");
      } catch (Trap caught) {
        return Mono.just("caught " + caught.getMessage());
      }
      return Mono.just("sent");
    }

    @Override
    public Mono<String> recoverFromDeadlock(String key) {
      writes.set(writes.get() + 1);
      return await(FUTURES.get(key)).onErrorResume(Trap.class, e -> Mono.just("recovered"));
    }

    @Override
    public Mono<String> trapBesidePendingAwait(Sink sink) {
      Mono<String> trapping = await(Mono.just("first")).map(v -> {
        try {
          trap("explicit, beside a pending await");
        } catch (Trap caught) {
          // the continuation goes on, and its turn still traps
        }
        return v;
      });
      return Mono.zip(trapping, await(Mono.<String>never()), (a, b) -> a + b)
          .doFinally(signal -> sink.receive("cleanup after " + signal));
    }

    @Override
    public Mono<String> querySendsAndCatches(Sink sink) {
      try {
        sink.receive("from a query");
      } catch (Trap caught) {
        return Mono.just("caught " + caught.getMessage());
      }
      return Mono.just("sent");
    }

    @Override
    public Mono<String> querySendsAndThrowsAReject(Sink sink) {
      try {
        sink.receive("from a query");
      } catch (Trap caught) {
        throw CallError.reject("a reject instead of the trap");
      }
      return Mono.just("sent");
    }

    @Override
    protected boolean inspect(IngressMessage message) {
      if (message.method().equals("inspectedBySendingThenRejecting")) {
        try {
          ((Sink) message.arguments().get(0)).receive("from an inspection");
        } catch (Trap caught) {
          throw CallError.reject("a reject instead of the trap");
        }
      }
      return true;
    }

    @Override
    public Mono<String> inspectedBySendingThenRejecting(Sink sink) {
      return Mono.just("accepted");
    }

    @Override
    public Mono<Long> writes() {
      return Mono.just(writes.get());
    }
  }

  private Consumer<Throwable> trapped(String message) {
    return failure -> assertThat(failure).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
      assertThat(e.rejectMessage()).contains(message);
    });
  }

  @Test
  @DisplayName("R12 Actor.trap caught by the actor's code still rolls the turn back and revokes its sends")
  void explicitTrapCannotBeCaught() {
    Catcher catcher = system.spawn(Catcher.class, CatcherActor::new);
    Sink sink = system.spawn(Sink.class, SinkActor::new);
    assertThatThrownBy(() -> scheduler.await(catcher.catchExplicitTrap(sink)))
        .satisfies(trapped("explicit"));
    assertThat(scheduler.await(catcher.writes())).isZero();
    assertThat(scheduler.await(sink.received())).isEmpty();
  }

  @Test
  @DisplayName("R22 running out of cycles traps even if the actor's code catches it")
  void outOfCyclesCannotBeCaught() {
    Catcher catcher = system.spawn(Catcher.class, CatcherActor::new);
    Sink sink = system.spawn(Sink.class, SinkActor::new);
    assertThatThrownBy(() -> scheduler.await(catcher.catchOutOfCycles(sink)))
        .satisfies(trapped("out of cycles"));
    assertThat(scheduler.await(catcher.writes())).isZero();
    assertThat(scheduler.await(sink.received())).isEmpty();
  }

  @Test
  @DisplayName("R13 an await that would deadlock traps even if an operator after it recovers")
  void deadlockTrapCannotBeRecovered() {
    Catcher catcher = system.spawn(Catcher.class, CatcherActor::new);
    Mono<String> mine = catcher.recoverFromDeadlock("own");
    FUTURES.put("own", mine);
    assertThatThrownBy(() -> scheduler.await(mine)).satisfies(trapped("would deadlock"));
    assertThat(scheduler.await(catcher.writes())).isZero();
  }

  @Test
  @DisplayName("R10 R12 cleanup that a trapped turn's cancellation of its pending awaits runs"
      + " (doFinally) belongs to that turn: its send is revoked, not delivered as an ingress call")
  void cleanupOfATrappedTurnSendsNothing() {
    Catcher catcher = system.spawn(Catcher.class, CatcherActor::new);
    Sink sink = system.spawn(Sink.class, SinkActor::new);
    assertThatThrownBy(() -> scheduler.await(catcher.trapBesidePendingAwait(sink)))
        .satisfies(trapped("explicit, beside a pending await"));
    scheduler.runUntilIdle();
    assertThat(scheduler.await(sink.received())).isEmpty();
  }

  @Test
  @DisplayName("R10 R22 a continuation that cannot pay its turn fee traps before it runs, and the"
      + " cleanup its cancellation runs sends nothing, for free or otherwise")
  void cleanupOfATurnThatCannotPaySendsNothing() {
    DeterministicScheduler feeScheduler = DeterministicScheduler.create();
    try (ActorSystem paying = ActorSystem.create(ActorSystemConfig.builder().name("fees")
        .scheduler(feeScheduler).fees(10, 0).initialBalance(10).build())) {
      Catcher catcher = paying.spawn(Catcher.class, CatcherActor::new);
      Sink sink = paying.spawn(Sink.class, SinkActor::new);
      assertThatThrownBy(() -> feeScheduler.await(catcher.trapBesidePendingAwait(sink)))
          .satisfies(trapped("out of cycles"));
      feeScheduler.runUntilIdle();
      assertThat(feeScheduler.await(sink.received())).isEmpty();
    }
  }

  @Test
  @DisplayName("R19 a query that catches the trap of its send still fails with code 5, and sends nothing")
  void querySendTrapCannotBeCaught() {
    Catcher catcher = system.spawn(Catcher.class, CatcherActor::new);
    Sink sink = system.spawn(Sink.class, SinkActor::new);
    assertThatThrownBy(() -> scheduler.await(catcher.querySendsAndCatches(sink)))
        .satisfies(trapped("cannot send messages (rule R19)"));
    assertThat(scheduler.await(sink.received())).isEmpty();
  }

  @Test
  @DisplayName("R19 R26 R12a a query or an inspection that catches the trap of its send and throws"
      + " a reject instead still fails with code 5: a trap is not turned into a reject")
  void queryTrapCannotBeReplacedByAThrownReject() {
    Catcher catcher = system.spawn(Catcher.class, CatcherActor::new);
    Sink sink = system.spawn(Sink.class, SinkActor::new);
    assertThatThrownBy(() -> scheduler.await(catcher.querySendsAndThrowsAReject(sink)))
        .satisfies(trapped("cannot send messages (rule R19)"));
    assertThatThrownBy(() -> scheduler.await(catcher.inspectedBySendingThenRejecting(sink)))
        .satisfies(trapped("cannot send messages (rule R19)"));
    assertThat(scheduler.await(sink.received())).isEmpty();
  }

  public interface Plain {
    @Query
    Mono<String> hello();
  }

  static final class SendingInitializerActor extends Actor implements Plain {
    SendingInitializerActor(Sink sink) {
      try {
        sink.receive("from an initializer");
      } catch (Trap caught) {
        // an initializer that swallows the trap is still refused
      }
    }

    @Override
    public Mono<String> hello() {
      return Mono.just("hello");
    }
  }

  @Test
  @DisplayName("R18 an initializer that catches the trap of its send still fails the spawn, and creates nothing")
  void initializerSendTrapCannotBeCaught() {
    Sink sink = system.spawn(Sink.class, SinkActor::new);
    assertThatThrownBy(() -> system.spawn(Plain.class, ActorId.of("p"),
        () -> new SendingInitializerActor(sink)))
        .satisfies(trapped("cannot send messages (rule R18)"));
    assertThat(system.actorIds()).containsExactly(ActorRefs.idOf(sink));
    assertThat(scheduler.await(sink.received())).isEmpty();
  }
}

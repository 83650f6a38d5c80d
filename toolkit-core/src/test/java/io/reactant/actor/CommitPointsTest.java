package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.Computation;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Rules R6 to R11 and R13 to R16: tentative effects, commit points, await, await?, await*. */
class CommitPointsTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  /** A receiver of messages that records them. */
  public interface Sink {
    Mono<Void> receive(String message);

    @Query
    Mono<List<String>> received();
  }

  static final class SinkActor extends Actor implements Sink {
    private final Var<List<String>> received = newVar("received", List.of());

    @Override
    public Mono<Void> receive(String message) {
      List<String> next = new ArrayList<>(received.get());
      next.add(message);
      received.set(List.copyOf(next));
      return done();
    }

    @Override
    public Mono<List<String>> received() {
      return Mono.just(received.get());
    }
  }

  public interface Subject {
    Mono<Void> writeSendAndObserve();

    Mono<Void> writeAndReturn();

    Mono<Void> writeSendAndReject();

    Mono<Void> writeSendAndThrowReject();

    Mono<Void> writeSendAndThrowSystemError();

    Mono<Void> writeSendAndTrap();

    Mono<Void> sendSelfThenAwait();

    Mono<Void> note(String what);

    Mono<Long> awaitReadyThenTrap();

    Mono<Long> awaitThenTrap();

    Mono<Long> awaitIfReadyOnPending();

    Mono<Void> computationRunsOnlyWhenAwaited();

    Mono<Void> sendWithoutAwait();

    Mono<Void> sendAwaitThenTrap(Mono<Boolean> gate);

    Mono<Void> sendRejectedWithoutAwait();

    Mono<Long> rejectedValue();

    Mono<Long> value();

    @Query
    Mono<Long> x();

    @Query
    Mono<List<String>> notes();
  }

  static final class SubjectActor extends Actor implements Subject {
    static final AtomicReference<Mono<Long>> LEAKED_FUTURE = new AtomicReference<>();
    static final List<String> OBSERVED = new CopyOnWriteArrayList<>();
    static final AtomicInteger COMPUTATION_RUNS = new AtomicInteger();

    private final Sink sink;
    private final ActorSystem system;
    private final Var<Long> x = newVar("x", 0L);
    private final Var<List<String>> notes = newVar("notes", List.of());

    SubjectActor(Sink sink, ActorSystem system) {
      this.sink = sink;
      this.system = system;
    }

    @Override
    public Mono<Void> writeSendAndObserve() {
      x.set(1L);
      sink.receive("tentative");
      // from outside the turn, the write and the send are invisible until the commit
      Subject me = self(Subject.class);
      Thread observer = new Thread(() -> OBSERVED.add("x=" + me.x().block()
          + " sinkDepth=" + system.mailboxDepth(ActorRefs.idOf(sink))));
      observer.start();
      try {
        observer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return done();
    }

    @Override
    public Mono<Void> writeAndReturn() {
      x.set(2L);
      return done();
    }

    @Override
    public Mono<Void> writeSendAndThrowReject() {
      x.set(4L);
      sink.receive("sent before the throw");
      throw CallError.reject("thrown on purpose");
    }

    @Override
    public Mono<Void> writeSendAndThrowSystemError() {
      x.set(5L);
      sink.receive("sent before the system error");
      throw new CallError(RejectCode.DESTINATION_INVALID, "no such thing");
    }

    @Override
    public Mono<Void> writeSendAndReject() {
      x.set(3L);
      sink.receive("sent before the reject");
      return reject("rejected on purpose");
    }

    @Override
    public Mono<Void> writeSendAndTrap() {
      x.set(4L);
      sink.receive("revoked");
      return Mono.fromRunnable(() -> trap("trapped on purpose"));
    }

    @Override
    public Mono<Void> sendSelfThenAwait() {
      Subject self = self(Subject.class);
      self.note("self message sent before the await");
      return await(Mono.just("done")).then(self.note("continuation")).then();
    }

    @Override
    public Mono<Void> note(String what) {
      List<String> next = new ArrayList<>(notes.get());
      next.add(what);
      notes.set(List.copyOf(next));
      return done();
    }

    @Override
    public Mono<Long> awaitReadyThenTrap() {
      x.set(5L);
      return awaitIfReady(Mono.just(1L)).map(v -> {
        trap("after await? on a completed future");
        return v;
      });
    }

    @Override
    public Mono<Long> awaitThenTrap() {
      x.set(6L);
      return await(Mono.just(1L)).map(v -> {
        x.set(7L);
        trap("after await on a completed future");
        return v;
      });
    }

    @Override
    public Mono<Long> awaitIfReadyOnPending() {
      x.set(8L);
      Mono<Long> pending = self(Subject.class).value();
      return awaitIfReady(pending).map(v -> {
        trap("after await? on a pending future");
        return v;
      });
    }

    @Override
    public Mono<Void> computationRunsOnlyWhenAwaited() {
      Computation<Void> c = () -> {
        COMPUTATION_RUNS.incrementAndGet();
        x.update(v -> v + 1);
        return Mono.empty();
      };
      OBSERVED.add("runs after creation=" + COMPUTATION_RUNS.get());
      return awaitStar(c).then(awaitStar(c));
    }

    @Override
    public Mono<Void> sendWithoutAwait() {
      LEAKED_FUTURE.set(self(Subject.class).value());
      return done();
    }

    @Override
    public Mono<Long> value() {
      return Mono.just(42L);
    }

    @Override
    public Mono<Void> sendAwaitThenTrap(Mono<Boolean> gate) {
      sink.receive("sent before the await");
      LEAKED_FUTURE.set(self(Subject.class).value());
      return await(gate).flatMap(open -> trap("the continuation traps"));
    }

    @Override
    public Mono<Void> sendRejectedWithoutAwait() {
      LEAKED_FUTURE.set(self(Subject.class).rejectedValue());
      return done();
    }

    @Override
    public Mono<Long> rejectedValue() {
      return reject("no value for you");
    }

    @Override
    public Mono<Long> x() {
      return Mono.just(x.get());
    }

    @Override
    public Mono<List<String>> notes() {
      return Mono.just(notes.get());
    }
  }

  private Sink sink;
  private Subject subject;

  private void spawn() {
    sink = system.spawn(Sink.class, SinkActor::new);
    subject = system.spawn(Subject.class, () -> new SubjectActor(sink, system));
    SubjectActor.OBSERVED.clear();
    SubjectActor.COMPUTATION_RUNS.set(0);
  }

  @Test
  @DisplayName("R6 state changes and sends are tentative until the commit point")
  void writesAndSendsAreInvisibleUntilTheCommit() {
    spawn();
    scheduler.await(subject.writeSendAndObserve());
    assertThat(SubjectActor.OBSERVED).containsExactly("x=0 sinkDepth=0");
    assertThat(subject.x().block()).isEqualTo(1L);
    assertThat(sink.received().block()).containsExactly("tentative");
  }

  @Test
  @DisplayName("R7 producing the result is a commit point")
  void returningCommits() {
    spawn();
    scheduler.await(subject.writeAndReturn());
    assertThat(subject.x().block()).isEqualTo(2L);
  }

  @Test
  @DisplayName("R7 R11 an explicit reject commits the changes and sends made before it")
  void rejectCommits() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(subject.writeSendAndReject()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).isEqualTo("rejected on purpose");
        });
    scheduler.runUntilIdle();
    assertThat(subject.x().block()).isEqualTo(3L);
    assertThat(sink.received().block()).containsExactly("sent before the reject");
  }

  @Test
  @DisplayName("R7 R11 a CallError thrown by the method is an explicit reject: it commits the changes and sends made before it")
  void thrownRejectCommits() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(subject.writeSendAndThrowReject()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).isEqualTo("thrown on purpose");
        });
    scheduler.runUntilIdle();
    assertThat(subject.x().block()).isEqualTo(4L);
    assertThat(sink.received().block()).containsExactly("sent before the throw");
    assertThat(system.actor(ActorRefs.idOf(subject)).orElseThrow().traps()).isZero();
  }

  @Test
  @DisplayName("R11 R12a a system error thrown by the method commits and reaches its caller as code 4, same message")
  void thrownSystemErrorCommitsAsCode4() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(subject.writeSendAndThrowSystemError()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).isEqualTo("no such thing");
        });
    scheduler.runUntilIdle();
    assertThat(subject.x().block()).isEqualTo(5L);
    assertThat(sink.received().block()).containsExactly("sent before the system error");
  }

  @Test
  @DisplayName("R10 a trap revokes the sends of its turn: they are never delivered")
  void trapRevokesSends() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(subject.writeSendAndTrap()))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    scheduler.runUntilIdle();
    assertThat(subject.x().block()).isZero();
    assertThat(sink.received().block()).isEmpty();
  }

  @Test
  @DisplayName("R13 the continuation is queued behind a message the actor sent itself before the await")
  void continuationRunsAfterTheSelfMessageSentBeforeTheAwait() {
    spawn();
    scheduler.await(subject.sendSelfThenAwait());
    assertThat(subject.notes().block())
        .containsExactly("self message sent before the await", "continuation");
  }

  @Test
  @DisplayName("R7 R13 await commits even when the future is already complete")
  void awaitOnACompletedFutureCommits() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(subject.awaitThenTrap())).isInstanceOf(CallError.class);
    assertThat(subject.x().block()).as("x=6 committed at the await, x=7 rolled back").isEqualTo(6L);
  }

  @Test
  @DisplayName("R7 R14 await? on a completed future continues in the same turn without committing")
  void awaitIfReadyOnACompletedFutureDoesNotCommit() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(subject.awaitReadyThenTrap())).isInstanceOf(CallError.class);
    assertThat(subject.x().block()).as("the trap rolled back to before the await?").isZero();
  }

  @Test
  @DisplayName("R14 await? on a pending future behaves as await: it commits")
  void awaitIfReadyOnAPendingFutureCommits() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(subject.awaitIfReadyOnPending())).isInstanceOf(CallError.class);
    assertThat(subject.x().block()).isEqualTo(8L);
  }

  @Test
  @DisplayName("R15 creating a computation runs nothing; each await* runs it again, inline")
  void computationsRunOnEachAwaitStar() {
    spawn();
    scheduler.await(subject.computationRunsOnlyWhenAwaited());
    assertThat(SubjectActor.OBSERVED).containsExactly("runs after creation=0");
    assertThat(SubjectActor.COMPUTATION_RUNS).hasValue(2);
    assertThat(subject.x().block()).isEqualTo(2L);
  }

  @Test
  @DisplayName("R16 an unawaited call is delivered at the sender's next commit and keeps its result")
  void unawaitedFutureKeepsItsResult() {
    spawn();
    scheduler.await(subject.sendWithoutAwait());
    Mono<Long> leaked = SubjectActor.LEAKED_FUTURE.get();
    assertThat(scheduler.await(leaked)).isEqualTo(42L);
    assertThat(leaked.block()).as("the same result, observed again").isEqualTo(42L);
  }

  @Test
  @DisplayName("R16 unawaited sends are delivered at the await's commit, while the sender is still suspended, and stay when its continuation traps")
  void unawaitedSendsAreDeliveredAtTheNextCommitAndSurviveALaterTrap() {
    spawn();
    reactor.core.publisher.Sinks.One<Boolean> gate = reactor.core.publisher.Sinks.one();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    subject.sendAwaitThenTrap(gate.asMono()).subscribe(v -> { }, outcome::set);
    scheduler.runUntilIdle();
    assertThat(outcome.get()).as("the call is suspended at its await").isNull();
    assertThat(sink.received().block()).containsExactly("sent before the await");
    Mono<Long> leaked = SubjectActor.LEAKED_FUTURE.get();
    assertThat(scheduler.await(leaked)).isEqualTo(42L);

    gate.tryEmitValue(true).orThrow();
    scheduler.runUntilIdle();
    assertThat(outcome.get()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThat(sink.received().block()).as("committed at the await: not revoked by the later trap")
        .containsExactly("sent before the await");
    assertThat(scheduler.await(leaked)).isEqualTo(42L);
  }

  @Test
  @DisplayName("R16 an unawaited call's error is kept in its future, for every later subscriber")
  void unawaitedFutureKeepsItsError() {
    spawn();
    scheduler.await(subject.sendRejectedWithoutAwait());
    Mono<Long> leaked = SubjectActor.LEAKED_FUTURE.get();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> scheduler.await(leaked))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
            assertThat(e.rejectMessage()).isEqualTo("no value for you");
          });
    }
  }
}

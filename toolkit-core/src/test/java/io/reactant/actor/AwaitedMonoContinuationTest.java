package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The await of a {@code Mono} that is not a call future, evaluated inside the
 * awaiting turn: what its subscription may do there, and when its continuation runs.
 */
class AwaitedMonoContinuationTest {

  public interface Notes {
    Mono<Void> note(String what);

    Mono<Void> selfThenAwaitJust();

    Mono<Void> selfThenAwaitDeferred();

    Mono<Void> selfThenAwaitSignalledFromAnotherThread();

    @Query
    Mono<List<String>> notes();

    /** A oneway that awaits (subscribing the await itself, as a oneway must), then traps. */
    void awaitThenTrap(Notes other);

    /** Asks each of {@code refs} who calls it, in one flatMap inside one await. */
    Mono<List<String>> fanOut(List<Notes> refs);

    /** The fan-out the README advises: a flatMap whose concurrency no list exceeds. */
    Mono<List<String>> fanOutUnbounded(List<Notes> refs);

    Mono<String> who();
  }

  static final class NotesActor extends Actor implements Notes {
    private final Var<List<String>> notes = newVar("notes", List.of());

    private void add(String what) {
      List<String> next = new ArrayList<>(notes.get());
      next.add(what);
      notes.set(List.copyOf(next));
    }

    @Override
    public Mono<Void> note(String what) {
      add(what);
      return Mono.empty();
    }

    @Override
    public Mono<Void> selfThenAwaitJust() {
      self(Notes.class).note("self message sent before the await");
      return await(Mono.just("done")).doOnNext(v -> add("continuation")).then();
    }

    @Override
    public Mono<Void> selfThenAwaitDeferred() {
      self(Notes.class).note("self message sent before the await");
      return await(Mono.defer(() -> Mono.just("done"))).doOnNext(v -> add("continuation")).then();
    }

    @Override
    public Mono<Void> selfThenAwaitSignalledFromAnotherThread() {
      self(Notes.class).note("self message sent before the await");
      Mono<String> signalledElsewhere = Mono.create(sink -> {
        Thread other = new Thread(() -> sink.success("done"));
        other.start();
        try {
          other.join(); // the signal arrives before the turn commits
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      return await(signalledElsewhere).doOnNext(v -> add("continuation")).then();
    }

    @Override
    public void awaitThenTrap(Notes other) {
      await(Mono.never().doOnCancel(() -> other.note("cleanup of a trapped turn"))).subscribe();
      trap("after the await");
    }

    @Override
    public Mono<List<String>> fanOut(List<Notes> refs) {
      return await(Flux.fromIterable(refs).flatMap(Notes::who).collectList());
    }

    @Override
    public Mono<List<String>> fanOutUnbounded(List<Notes> refs) {
      return await(Flux.fromIterable(refs).flatMap(Notes::who, Integer.MAX_VALUE).collectList());
    }

    @Override
    public Mono<String> who() {
      return Mono.just(caller().toString());
    }

    @Override
    public Mono<List<String>> notes() {
      return Mono.just(notes.get());
    }
  }

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);
  private final Notes notes = system.spawn(Notes.class, NotesActor::new);

  @AfterEach
  void close() {
    system.close();
    scheduler.runUntilIdle();
  }

  @Test
  @DisplayName("R13 the continuation of an await of Mono.just runs after the message the actor"
      + " sent itself before the await")
  void continuationOfAScalarAwaitRunsAfterTheSelfMessage() {
    scheduler.await(notes.selfThenAwaitJust());

    assertThat(notes.notes().block())
        .containsExactly("self message sent before the await", "continuation");
  }

  @Test
  @DisplayName("R13 the continuation of an await of a Mono that signals as it is subscribed runs"
      + " after the message the actor sent itself before the await")
  void continuationOfASynchronousAwaitRunsAfterTheSelfMessage() {
    scheduler.await(notes.selfThenAwaitDeferred());

    assertThat(notes.notes().block())
        .containsExactly("self message sent before the await", "continuation");
  }

  @Test
  @DisplayName("R13 the continuation of an await signalled from another thread before the turn"
      + " commits runs after the message the actor sent itself before the await")
  void continuationSignalledBeforeTheCommitRunsAfterTheSelfMessage() {
    scheduler.await(notes.selfThenAwaitSignalledFromAnotherThread());

    assertThat(notes.notes().block())
        .containsExactly("self message sent before the await", "continuation");
  }

  @Test
  @DisplayName("R10 R12 cleanup that cancelling a trapped oneway's await runs (doOnCancel of the"
      + " awaited Mono) belongs to that turn: its send is revoked, not delivered as an ingress call")
  void cleanupOfATrappedOnewaysAwaitSendsNothing() {
    Notes other = system.spawn(Notes.class, NotesActor::new);

    notes.awaitThenTrap(other);
    scheduler.runUntilIdle();

    assertThat(other.notes().block()).isEmpty();
  }

  @Test
  @DisplayName("R21 a flatMap inside the awaited Mono makes in the turn only the calls of its"
      + " concurrency (256): the mapper of a later element runs when a reply comes, outside the"
      + " actor, and its call leaves as an ingress call")
  void fanOutPastItsConcurrencyLeavesAsIngressCalls() {
    Notes callee = system.spawn(Notes.class, NotesActor::new);
    String fromTheActor = Caller.actor(ActorRefs.idOf(notes)).toString();

    List<String> callers = scheduler.await(notes.fanOut(Collections.nCopies(300, callee)));

    assertThat(callers).hasSize(300);
    assertThat(Collections.frequency(callers, fromTheActor)).isEqualTo(256);
    assertThat(Collections.frequency(callers, Caller.anonymous().toString())).isEqualTo(44);
  }

  @Test
  @DisplayName("R21 a flatMap inside the awaited Mono given a concurrency of Integer.MAX_VALUE"
      + " makes every call in the turn, from the actor, and an empty fan-out answers an empty list")
  void unboundedFanOutCallsFromTheActor() {
    Notes callee = system.spawn(Notes.class, NotesActor::new);
    String fromTheActor = Caller.actor(ActorRefs.idOf(notes)).toString();

    List<String> callers = scheduler.await(notes.fanOutUnbounded(Collections.nCopies(300, callee)));

    assertThat(callers).hasSize(300).containsOnly(fromTheActor);
    assertThat(scheduler.await(notes.fanOutUnbounded(List.of()))).isEmpty();
  }
}

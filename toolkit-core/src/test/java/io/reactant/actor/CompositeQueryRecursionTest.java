package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rule R19: a composite query that awaits itself, each level nested in the one above (a query
 * answered at once continues nested in the part that awaits it), until the thread's stack runs
 * out.
 */
class CompositeQueryRecursionTest {

  public interface Nest {
    /** Awaits {@code depth(n - 1)} of this actor, and adds one. */
    @CompositeQuery
    Mono<Integer> depth(int n);

    @Query
    Mono<Integer> read();
  }

  static final class NestActor extends Actor implements Nest {
    private final Var<Integer> v = newVar("v", 0);

    @Override
    public Mono<Integer> depth(int n) {
      v.set(n); // the query's own write, discarded
      return n == 0 ? Mono.just(0) : await(self(Nest.class).depth(n - 1)).map(d -> d + 1);
    }

    @Override
    public Mono<Integer> read() {
      return Mono.just(v.get());
    }
  }

  /** Runs {@code body} with {@code frames} more frames on the stack. */
  private static void deeper(int frames, Runnable body) {
    if (frames == 0) {
      body.run();
    } else {
      deeper(frames - 1, body);
    }
  }

  @Test
  @DisplayName("R19 R12a a composite query recursing through itself answers at a small depth; past"
      + " the thread's stack it fails with the innermost level's trap (StackOverflowError) let"
      + " escape, code 4, wherever on the stack the overflow strikes, and leaves the thread out of"
      + " every query and the actor's state untouched")
  void recursionPastTheStackTrapsCleanly() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .build())) {
      Nest nest = system.spawn(Nest.class, ActorId.of("nest"), NestActor::new);
      assertThat(nest.depth(20).block()).isEqualTo(20);
      // the overflow strikes another frame of a level's cycle at each starting depth
      for (int frames = 0; frames < 64; frames++) {
        int extra = frames;
        deeper(frames, () -> assertThatThrownBy(() -> nest.depth(1_000_000).block())
            .as("with %d frames more", extra)
            .isInstanceOfSatisfying(CallError.class, e -> {
              assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
              assertThat(e.rejectMessage())
                  .isEqualTo("nest trapped in Nest.depth(): StackOverflowError");
            }));
        // a host method traps inside a query: this thread is in none
        system.spawn(Nest.class, ActorId.of("after-" + frames), NestActor::new);
        assertThat(nest.read().block()).as("committed state").isZero();
      }
      assertThat(system.busyActors()).isZero();
      assertThat(scheduler.delayedTasks()).isZero();
    }
  }
}

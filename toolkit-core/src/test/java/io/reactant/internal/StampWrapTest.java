package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import io.reactant.state.Var;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The slots' 31-bit stamps start over every 2^31 commits; the commit count is set by a test hook
 * to reach that point without running two billion turns.
 */
class StampWrapTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());

  @AfterEach
  void close() {
    system.close();
  }

  public interface Pair {
    /** Sets the commit count (before any write of the turn), then writes {@code a}, then may trap. */
    Mono<Void> writeA(long commitCount, String value, boolean trap);

    Mono<Void> writeB(String value);

    @Query
    Mono<List<String>> both();
  }

  static final class PairActor extends Actor implements Pair {
    private final Var<String> a = newVar("a", "a0");
    private final Var<String> b = newVar("b", "b0");
    private final LongVar writesOfB = newLongVar("writesOfB", 0);

    @Override
    public Mono<Void> writeA(long commitCount, String value, boolean trap) {
      if (commitCount >= 0) {
        ((TurnContext) Contexts.current()).cell.commitCountForTest(commitCount);
      }
      a.set(value);
      return trap ? trap("on purpose") : done();
    }

    @Override
    public Mono<Void> writeB(String value) {
      b.set(value);
      writesOfB.add(1);
      return done();
    }

    @Override
    public Mono<List<String>> both() {
      return Mono.just(List.of(a.get(), b.get(), "writesOfB=" + writesOfB.get()));
    }
  }

  @Test
  @DisplayName("R12 R19 a cell untouched for 2^31 commits is neither rolled back nor read as tentative")
  void stampsThatStartOverAreNotMistakenForTheOpenWindow() {
    Pair pair = system.spawn(Pair.class, PairActor::new);
    scheduler.await(pair.writeB("b1")); // commit 1: b and writesOfB are stamped 1
    // the commit that makes 2^30 the open stamp restamps every cell
    scheduler.await(pair.writeA((1L << 30) - 2, "a1", false));
    // 2^31 commits after b's write, its stamp 1 would be the open one again
    assertThatThrownBy(() -> scheduler.await(pair.writeA(1L << 31, "a2", true)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThat(scheduler.await(pair.both())).containsExactly("a1", "b1", "writesOfB=1");
    scheduler.await(pair.writeA(-1, "a3", false));
    assertThat(scheduler.await(pair.both())).containsExactly("a3", "b1", "writesOfB=1");
  }
}

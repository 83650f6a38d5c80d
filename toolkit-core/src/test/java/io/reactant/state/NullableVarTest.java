package io.reactant.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** A {@code Var} whose type admits null: null is a value like any other (rules R6, R12, R19). */
class NullableVarTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());

  @AfterEach
  void close() {
    system.close();
  }

  public interface Nickname {
    Mono<Optional<String>> name(String nickname, boolean trap);

    /** Clears the nickname, then reads it back in the same turn. */
    Mono<Optional<String>> clear(boolean trap);

    @Query
    Mono<Optional<String>> current();
  }

  static final class NicknameActor extends Actor implements Nickname {
    private final Var<@Nullable String> nickname = newVar("nickname", null);

    @Override
    public Mono<Optional<String>> name(String name, boolean trap) {
      nickname.set(name);
      return trap ? Mono.error(new IllegalStateException("trap after naming"))
          : Mono.just(Optional.ofNullable(nickname.get()));
    }

    @Override
    public Mono<Optional<String>> clear(boolean trap) {
      nickname.set(null);
      return trap ? Mono.error(new IllegalStateException("trap after clearing"))
          : Mono.just(Optional.ofNullable(nickname.get()));
    }

    @Override
    public Mono<Optional<String>> current() {
      return Mono.just(Optional.ofNullable(nickname.get()));
    }
  }

  private <T> T run(Mono<T> call) {
    var result = call.toFuture();
    scheduler.runUntilIdle();
    return result.join();
  }

  private void runTrapping(Mono<?> call) {
    var result = call.toFuture();
    scheduler.runUntilIdle();
    assertThatThrownBy(result::join).hasCauseInstanceOf(CallError.class)
        .cause().satisfies(e -> assertThat(((CallError) e).code())
            .isEqualTo(RejectCode.CANISTER_ERROR));
  }

  @Test
  @DisplayName("R6 a Var declared with a null initial value reads null until a turn commits a value")
  void nullInitialValue() {
    Nickname n = system.spawn(Nickname.class, NicknameActor::new);
    assertThat(run(n.current())).isEmpty();
    assertThat(run(n.name("ada", false))).contains("ada");
    assertThat(run(n.current())).contains("ada");
  }

  @Test
  @DisplayName("R6 a turn that writes null reads its own null, not the committed value")
  void aTentativeNullIsReadBackAsNull() {
    Nickname n = system.spawn(Nickname.class, NicknameActor::new);
    run(n.name("ada", false));
    assertThat(run(n.clear(false))).isEmpty();
    assertThat(run(n.current())).isEmpty();
  }

  @Test
  @DisplayName("R12 a trap rolls a null back to the value, and a value back to null")
  void trapsRollNullsBackBothWays() {
    Nickname n = system.spawn(Nickname.class, NicknameActor::new);
    runTrapping(n.name("ada", true));
    assertThat(run(n.current())).isEmpty();
    run(n.name("ada", false));
    runTrapping(n.clear(true));
    assertThat(run(n.current())).contains("ada");
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/** Rules R12, R12a and R12b: traps, reject codes, catching. */
class ErrorsTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  /** The kinds of trap of the Internet Computer, in Java. */
  enum TrapKind {
    DIVISION_BY_ZERO("ArithmeticException"),
    OUT_OF_BOUNDS("ArrayIndexOutOfBoundsException"),
    OVERFLOW("ArithmeticException: long overflow"),
    ASSERTION("assertion failed: amount must be positive"),
    NULL_DEREFERENCE("NullPointerException"),
    EXPLICIT("explicit trap"),
    /** Two errors at once, as a {@code merge} whose two sources fail together gives them. */
    SEVERAL_AT_ONCE("CompositeException: Multiple exceptions (ArithmeticException: first;"
        + " IllegalStateException: second)");

    final String expectedMessage;

    TrapKind(String expectedMessage) {
      this.expectedMessage = expectedMessage;
    }
  }

  public interface Callee {
    Mono<Long> trapAfterWrite(TrapKind kind);

    Mono<Long> commitThenTrap();

    Mono<Long> rejectWithSystemCode();

    /** Writes, then returns (does not throw) an error that is not an exception. */
    Mono<Long> returnAnError();

    Mono<Long> ok();

    /** Writes, produces its result, then a cleanup after it (doFinally) dereferences null. */
    Mono<Long> cleanupThrows(boolean afterAwait);

    /**
     * Writes, then awaits a Mono evaluated in the turn whose own cleanup (doFinally, inside the
     * awaited Mono) dereferences null.
     */
    Mono<Long> awaitedCleanupThrows();

    /** Awaits a Mono that reads {@code key} from its Reactor context, written after the await. */
    Mono<String> awaitedReadsContext(String key);

    @Query
    Mono<Long> value();
  }

  static final class CalleeActor extends Actor implements Callee {
    private final Var<Long> value = newVar("value", 0L);

    @Override
    public Mono<Long> trapAfterWrite(TrapKind kind) {
      value.set(99L);
      long[] none = new long[0];
      switch (kind) {
        case DIVISION_BY_ZERO -> value.set(1L / (value.get() - 99L));
        case OUT_OF_BOUNDS -> value.set(none[1]);
        case OVERFLOW -> value.set(Math.addExact(Long.MAX_VALUE, value.get()));
        case ASSERTION -> {
          if (value.get() > 0) {
            trap("assertion failed: amount must be positive");
          }
        }
        case NULL_DEREFERENCE -> {
          String missing = value.get() > 0 ? null : "x";
          value.set((long) Objects.requireNonNull(missing).length());
        }
        case EXPLICIT -> trap("explicit trap");
        case SEVERAL_AT_ONCE -> throw reactor.core.Exceptions.multiple(
            new ArithmeticException("first"), new IllegalStateException("second"));
        default -> throw new IllegalArgumentException(kind.name());
      }
      return Mono.just(value.get());
    }

    @Override
    public Mono<Long> commitThenTrap() {
      value.set(10L);
      return await(Mono.just(0L)).map(v -> {
        value.set(20L);
        return trap("after the await");
      });
    }

    @Override
    public Mono<Long> returnAnError() {
      value.set(77L);
      return Mono.error(new AssertionError("broken invariant"));
    }

    @Override
    public Mono<Long> rejectWithSystemCode() {
      return Mono.error(new CallError(RejectCode.CANISTER_ERROR, "I pretend to be a trap"));
    }

    @Override
    public Mono<Long> ok() {
      value.update(v -> v + 1);
      return Mono.just(value.get());
    }

    @Override
    public Mono<Long> cleanupThrows(boolean afterAwait) {
      Mono<Long> result = afterAwait ? await(Mono.just(5L)) : Mono.just(5L);
      return result.map(v -> {
        value.set(v);
        return v;
      }).doFinally(signal -> {
        String missing = value.get() > 0 ? null : "x";
        value.set((long) missing.length());
      });
    }

    @Override
    public Mono<Long> awaitedCleanupThrows() {
      value.set(1L);
      return await(Mono.fromCallable(() -> 5L).doFinally(signal -> {
        String missing = null;
        missing.length();
      }));
    }

    @Override
    public Mono<String> awaitedReadsContext(String key) {
      return await(Mono.deferContextual(c -> Mono.just(c.getOrDefault(key, "missing"))))
          .contextWrite(reactor.util.context.Context.of(key, "seen"));
    }

    @Override
    public Mono<Long> value() {
      return Mono.just(value.get());
    }
  }

  public interface Caller1 {
    Mono<String> catchTrap();

    Mono<Long> letErrorEscape();

    Mono<Long> rethrow();

    Mono<Long> escapeAfterTentativeWrite();

    Mono<Long> catchUnknownActor();

    Mono<Long> trapLocally();

    Mono<Long> cleanupOnSuccess();

    Mono<Long> cleanupOnFailure();

    @Query
    Mono<Long> marker();

    @Query
    Mono<Long> cleanups();
  }

  static final class CallerActor extends Actor implements Caller1 {
    private final Callee callee;
    private final Var<Long> marker = newVar("marker", 0L);
    private final Var<Long> cleanups = newVar("cleanups", 0L);

    CallerActor(Callee callee) {
      this.callee = callee;
    }

    @Override
    public Mono<String> catchTrap() {
      return await(callee.trapAfterWrite(TrapKind.EXPLICIT))
          .map(v -> "no error")
          .onErrorResume(CallError.class, e -> {
            marker.set((long) e.code().code()); // handled in the caller's next turn
            return Mono.just(e.code() + ": " + e.rejectMessage());
          });
    }

    @Override
    public Mono<Long> letErrorEscape() {
      return await(callee.trapAfterWrite(TrapKind.EXPLICIT));
    }

    @Override
    public Mono<Long> rethrow() {
      return await(callee.trapAfterWrite(TrapKind.EXPLICIT)).onErrorResume(Mono::error);
    }

    @Override
    public Mono<Long> escapeAfterTentativeWrite() {
      return await(callee.trapAfterWrite(TrapKind.EXPLICIT)).doOnError(e -> marker.set(2L));
    }

    @Override
    public Mono<Long> catchUnknownActor() {
      return await(actorOf(Callee.class, ActorId.of("nobody")).ok())
          .onErrorResume(CallError.class, e -> Mono.just((long) e.code().code()));
    }

    @Override
    @SuppressWarnings("divzero") // the local trap under test
    public Mono<Long> trapLocally() {
      marker.set(5L);
      return await(callee.ok())
          .map(v -> v / 0)
          .onErrorResume(CallError.class, e -> Mono.just(-1L)); // does not catch the local trap
    }

    @Override
    public Mono<Long> cleanupOnSuccess() {
      return await(callee.ok()).doFinally(s -> cleanups.update(c -> c + 1));
    }

    @Override
    public Mono<Long> cleanupOnFailure() {
      return await(callee.trapAfterWrite(TrapKind.EXPLICIT))
          .doFinally(s -> cleanups.update(c -> c + 1));
    }

    @Override
    public Mono<Long> marker() {
      return Mono.just(marker.get());
    }

    @Override
    public Mono<Long> cleanups() {
      return Mono.just(cleanups.get());
    }
  }

  private Callee callee;
  private Caller1 caller;

  private void spawn() {
    callee = system.spawn(Callee.class, CalleeActor::new);
    caller = system.spawn(Caller1.class, () -> new CallerActor(callee));
  }

  private static Consumer<Throwable> rejectCode(RejectCode code) {
    return t -> assertThat(t).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(code));
  }

  @ParameterizedTest
  @EnumSource(TrapKind.class)
  @DisplayName("R12 each kind of trap rolls back the turn and fails the call with code 5 saying why")
  void everyKindOfTrapRollsBack(TrapKind kind) {
    spawn();
    assertThatThrownBy(() -> scheduler.await(callee.trapAfterWrite(kind)))
        .satisfies(rejectCode(RejectCode.CANISTER_ERROR))
        .hasMessageContaining(kind.expectedMessage)
        .hasMessageContaining("trapped in Callee.trapAfterWrite()");
    assertThat(callee.value().block()).isZero();
  }

  @Test
  @DisplayName("R12 a method that returns an error (here an Error, not an exception) traps and rolls back")
  void returnedErrorTraps() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(callee.returnAnError()))
        .satisfies(rejectCode(RejectCode.CANISTER_ERROR))
        .hasMessageContaining("trapped in Callee.returnAnError(): AssertionError: broken invariant");
    assertThat(callee.value().block()).isZero();
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  @DisplayName("R12 R8 a null dereference in cleanup of the method's own Mono (doFinally), which"
      + " Reactor drops, traps the turn: its writes roll back and the caller gets code 5")
  void droppedExceptionInTheTurnTraps(boolean afterAwait) {
    spawn();
    assertThatThrownBy(() -> scheduler.await(callee.cleanupThrows(afterAwait)))
        .satisfies(rejectCode(RejectCode.CANISTER_ERROR))
        .hasMessageContaining("trapped in Callee.cleanupThrows(): NullPointerException");
    assertThat(callee.value().block()).isZero();
  }

  @Test
  @DisplayName("R12 R13 a null dereference in the cleanup of an awaited Mono, evaluated in the turn,"
      + " which Reactor drops, traps the turn as in the method's own Mono: its writes roll back")
  void droppedExceptionInAnAwaitedMonoTraps() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(callee.awaitedCleanupThrows()))
        .satisfies(rejectCode(RejectCode.CANISTER_ERROR))
        .hasMessageContaining("trapped in Callee.awaitedCleanupThrows(): NullPointerException");
    assertThat(callee.value().block()).isZero();
  }

  @Test
  @DisplayName("R13 an awaited Mono sees the Reactor context written after the await, as Reactor's"
      + " operators pass a subscriber's context upstream")
  void awaitedMonoSeesTheDownstreamContext() {
    spawn();
    assertThat(scheduler.await(callee.awaitedReadsContext("k"))).isEqualTo("seen");
  }

  @Test
  @DisplayName("R12 a trapping actor lives on with its last committed state")
  void trappingActorLivesOn() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(callee.trapAfterWrite(TrapKind.EXPLICIT)))
        .isInstanceOf(CallError.class);
    assertThat(scheduler.await(callee.ok())).isEqualTo(1L);
  }

  @Test
  @DisplayName("R12 code 5 does not mean no effect: what the callee committed at its await stays")
  void codeFiveKeepsEarlierCommits() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(callee.commitThenTrap()))
        .satisfies(rejectCode(RejectCode.CANISTER_ERROR));
    assertThat(callee.value().block()).isEqualTo(10L);
  }

  @Test
  @DisplayName("R12 a trap in one actor corrupts neither its caller nor another actor")
  void trapDoesNotCorruptOthers() {
    spawn();
    Callee other = system.spawn(Callee.class, CalleeActor::new);
    scheduler.await(other.ok());
    assertThat(scheduler.await(caller.catchTrap())).startsWith("CANISTER_ERROR");
    assertThat(other.value().block()).isEqualTo(1L);
    assertThat(scheduler.await(caller.cleanupOnSuccess())).isEqualTo(1L);
  }

  @Test
  @DisplayName("R12a a call to an unknown actor fails with code 3, cleanly")
  void unknownActorIsCodeThree() {
    Callee nobody = system.lookup(Callee.class, ActorId.of("nobody"));
    assertThatThrownBy(() -> scheduler.await(nobody.ok()))
        .satisfies(rejectCode(RejectCode.DESTINATION_INVALID))
        .hasMessageContaining("nobody");
    assertThatThrownBy(() -> scheduler.await(nobody.value()))
        .satisfies(rejectCode(RejectCode.DESTINATION_INVALID));
    assertThat(RejectCode.DESTINATION_INVALID.isClean()).isTrue();
  }

  @Test
  @DisplayName("R12a a method the actor does not have fails with code 3 and changes nothing")
  void unknownMethodIsCodeThree() {
    spawn();
    Caller1 wrongType = system.lookup(Caller1.class, ActorRefs.idOf(callee));
    assertThatThrownBy(() -> scheduler.await(wrongType.marker()))
        .satisfies(rejectCode(RejectCode.DESTINATION_INVALID));
    assertThatThrownBy(() -> scheduler.await(wrongType.trapLocally()))
        .satisfies(rejectCode(RejectCode.DESTINATION_INVALID))
        .hasMessageContaining("has no method Caller1.trapLocally()");
    assertThat(callee.value().block()).isZero();
  }

  @Test
  @DisplayName("R12a a system error that leaves a method unhandled reaches its caller as code 4")
  void unhandledSystemErrorBecomesCodeFour() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(caller.letErrorEscape()))
        .satisfies(rejectCode(RejectCode.CANISTER_REJECT))
        .hasMessageContaining("explicit trap");
  }

  @Test
  @DisplayName("R12a a re-thrown system error reaches the caller as code 4 with the same message")
  void rethrownSystemErrorBecomesCodeFour() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(caller.rethrow()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).contains("trapped in Callee.trapAfterWrite(): explicit trap");
        });
  }

  @Test
  @DisplayName("R12a an actor chooses a reject's message, never its code")
  void actorCannotChooseTheCode() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(callee.rejectWithSystemCode()))
        .satisfies(rejectCode(RejectCode.CANISTER_REJECT))
        .hasMessageContaining("I pretend to be a trap");
  }

  @Test
  @DisplayName("R12a codes 1, 2 and 3 are clean; 4, 5 and 6 are not")
  void cleanCodes() {
    assertThat(RejectCode.values()).filteredOn(RejectCode::isClean)
        .containsExactly(RejectCode.SYS_FATAL, RejectCode.SYS_TRANSIENT, RejectCode.DESTINATION_INVALID);
    assertThat(RejectCode.of(6)).isEqualTo(RejectCode.SYS_UNKNOWN);
    assertThatThrownBy(() -> RejectCode.of(7)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("R12a a call to a closed system fails with code 2, cleanly")
  void closedSystemIsCodeTwo() {
    spawn();
    system.close();
    assertThatThrownBy(() -> scheduler.await(callee.ok()))
        .satisfies(rejectCode(RejectCode.SYS_TRANSIENT));
  }

  @Test
  @DisplayName("R12b a callee's trap can be caught and handled in the caller's next turn")
  void callerCatchesTheCalleesTrap() {
    spawn();
    assertThat(scheduler.await(caller.catchTrap()))
        .isEqualTo("CANISTER_ERROR: callee-1 trapped in Callee.trapAfterWrite(): explicit trap"
            .replace("callee-1", ActorRefs.idOf(callee).value()));
    assertThat(caller.marker().block()).as("the handler's change committed").isEqualTo(5L);
  }

  @Test
  @DisplayName("R12b an unknown actor's code 3 can be caught")
  void callerCatchesCodeThree() {
    spawn();
    assertThat(scheduler.await(caller.catchUnknownActor())).isEqualTo(3L);
  }

  @Test
  @DisplayName("R12b an error propagating out of a turn unhandled is a throw: it commits")
  void unhandledErrorCommits() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(caller.escapeAfterTentativeWrite()))
        .satisfies(rejectCode(RejectCode.CANISTER_REJECT));
    assertThat(caller.marker().block()).isEqualTo(2L);
  }

  @Test
  @DisplayName("R12b a trap of the current turn is never turned into a reply: it rolls back")
  void localTrapIsNotCaughtAsCallError() {
    spawn();
    assertThatThrownBy(() -> scheduler.await(caller.trapLocally()))
        .satisfies(rejectCode(RejectCode.CANISTER_ERROR))
        .hasMessageContaining("ArithmeticException");
    assertThat(caller.marker().block()).as("committed at the await").isEqualTo(5L);
  }

  @Test
  @DisplayName("R12b cleanup runs whether the awaited call succeeded or failed")
  void cleanupRunsEitherWay() {
    spawn();
    scheduler.await(caller.cleanupOnSuccess());
    assertThatThrownBy(() -> scheduler.await(caller.cleanupOnFailure())).isInstanceOf(CallError.class);
    assertThat(caller.cleanups().block()).isEqualTo(2L);
  }
}

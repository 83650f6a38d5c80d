package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rule R20 where an actor creates actors: the creation an actor class makes from a turn that traps,
 * past {@code maxActors}, from a query, a composite query, an initializer and a timer's job, with
 * what each costs (R22) and who the creator is (R21).
 */
class ActorClassContextsTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("test")
      .scheduler(scheduler).fees(0, 5).initialBalance(100).maxActors(3).build());
  /** How many children were constructed (their initializers run). */
  private final AtomicInteger built = new AtomicInteger();
  /** What the actors saw, in order. */
  private final List<String> seen = new CopyOnWriteArrayList<>();
  /** The future of a creation that a trapped turn requested, kept for the test to look at. */
  private final AtomicReference<Mono<Child>> revoked = new AtomicReference<>();

  @AfterEach
  void close() {
    system.close();
  }

  public interface Child {
    @Query
    Mono<String> creatorName();
  }

  final class ChildActor extends Actor implements Child {
    ChildActor() {
      built.incrementAndGet();
    }

    @Override
    public Mono<String> creatorName() {
      return Mono.just(creator().toString());
    }
  }

  /** A child whose initializer tries to create a child of its own, and catches the trap. */
  final class EagerChildActor extends Actor implements Child {
    EagerChildActor() {
      try {
        spawn(children, 0);
      } catch (RuntimeException e) {
        seen.add("caught in the initializer");
      }
    }

    @Override
    public Mono<String> creatorName() {
      return Mono.just(creator().toString());
    }
  }

  private final ActorClass<Child, Integer> children = ActorClass.of(Child.class, i -> new ChildActor());

  public interface Parent {
    /** Creates a child and says what came of it, with the balance after. */
    Mono<String> createChild();

    Mono<Void> createThenTrap();

    /** Creates a child in the query, catching what that throws. */
    @Query
    Mono<String> createInQuery();

    /** Creates a child after an await, catching what that throws. */
    @CompositeQuery
    Mono<String> createInCompositeQuery();

    /** Sets a timer whose job creates a child and records its creator. */
    Mono<Void> createInTimerJob();
  }

  final class ParentActor extends Actor implements Parent {
    @Override
    public Mono<String> createChild() {
      return await(spawn(children, 1))
          .map(c -> "created " + ActorRefs.idOf(c) + ", balance " + cyclesBalance())
          .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code() + ": "
              + e.rejectMessage() + ", balance " + cyclesBalance()));
    }

    @Override
    public Mono<Void> createThenTrap() {
      revoked.set(spawn(children, 2));
      return trap("changed my mind");
    }

    @Override
    public Mono<String> createInQuery() {
      try {
        spawn(children, 3);
      } catch (RuntimeException e) {
        return Mono.just("caught");
      }
      return Mono.just("created");
    }

    @Override
    public Mono<String> createInCompositeQuery() {
      return await(Mono.just(1)).map(x -> {
        try {
          spawn(children, 4);
        } catch (RuntimeException e) {
          return "caught";
        }
        return "created";
      });
    }

    @Override
    public Mono<Void> createInTimerJob() {
      setTimer(Duration.ofSeconds(1), () -> await(spawn(children, 5))
          .flatMap(c -> await(c.creatorName()))
          .doOnNext(seen::add)
          .then());
      return Mono.empty();
    }
  }

  @Test
  @DisplayName("R20 R10 R22 a creation requested by a turn that traps is revoked: its future fails"
      + " with code 1, the child's initializer never runs, and the message fee rolls back with the"
      + " turn")
  void aRevokedCreationFailsWithCodeOneAndBuildsNothing() {
    Parent parent = system.spawn(Parent.class, ParentActor::new);
    assertThatThrownBy(() -> scheduler.await(parent.createThenTrap()))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    scheduler.runUntilIdle();

    assertThatThrownBy(() -> scheduler.await(revoked.get()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.SYS_FATAL);
          assertThat(e.rejectMessage()).contains("revoked");
        });
    assertThat(built).hasValue(0);
    assertThat(system.actorIds()).containsExactly(ActorRefs.idOf(parent));
    assertThat(system.cyclesBalance(ActorRefs.idOf(parent))).isEqualTo(100L);
  }

  @Test
  @DisplayName("R20 R22 a creation a turn requests past maxActors fails with code 2 before the"
      + " child's initializer runs, and keeps its message fee: the creation was made, and refused"
      + " as it ran")
  void aCreationPastMaxActorsFailsWithCodeTwoAndKeepsItsFee() {
    Parent parent = system.spawn(Parent.class, ParentActor::new);
    system.spawn(Parent.class, ParentActor::new);
    assertThat(scheduler.await(parent.createChild())).startsWith("created ").endsWith(", balance 95");
    assertThat(built).hasValue(1);

    assertThat(scheduler.await(parent.createChild())).isEqualTo("code 2: The actor system is full"
        + " (3 actors): the actor 'child-4' was not created, balance 90");
    assertThat(built).as("no initializer ran past the limit").hasValue(1);
    assertThat(system.actorIds()).hasSize(3);
  }

  @Test
  @DisplayName("R18 R19 R20 an actor class's spawn in a query, in a composite query's continuation"
      + " or in an initializer traps even when the code catches it (code 5), and creates nothing")
  void spawnsOutsideTurnsTrapEvenIfCaught() {
    Parent parent = system.spawn(Parent.class, ParentActor::new);
    assertThatThrownBy(() -> parent.createInQuery().block())
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("the query Parent.createInQuery()")
              .contains("cannot create actors");
        });
    assertThatThrownBy(() -> scheduler.await(parent.createInCompositeQuery()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("the composite query Parent.createInCompositeQuery()")
              .contains("cannot create actors");
        });
    ActorClass<Child, Void> eager = ActorClass.of(Child.class, v -> new EagerChildActor());
    assertThatThrownBy(() -> scheduler.await(system.spawn(eager, null)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("trapped in its initializer")
              .contains("cannot create actors");
        });
    scheduler.runUntilIdle();

    assertThat(seen).containsExactly("caught in the initializer");
    assertThat(built).hasValue(0);
    assertThat(system.actorIds()).containsExactly(ActorRefs.idOf(parent));
  }

  @Test
  @DisplayName("R20 R21 R22 R25 a timer's job creates an actor as any turn does: the actor is its"
      + " creator, and the creation pays the message fee")
  void aTimersJobCreatesWithTheActorAsCreator() {
    Parent parent = system.spawn(Parent.class, ParentActor::new);
    scheduler.await(parent.createInTimerJob());
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    scheduler.runUntilIdle();

    assertThat(seen).containsExactly("actor:" + ActorRefs.idOf(parent));
    assertThat(built).hasValue(1);
    // 100 - 5 (the creation) - 5 (the query the continuation makes of the child)
    assertThat(system.cyclesBalance(ActorRefs.idOf(parent))).isEqualTo(90L);
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rules R17, R20, R21: {@code Actor.spawn}, {@code self} and {@code actorOf} outside the actor's
 * own turns (a late callback on a foreign thread) are a clear error, not an anonymous creation
 * that no turn owns or a reference whose calls would be ingress calls.
 */
class SpawnOutsideTurnTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Child {
    @Query
    Mono<String> creatorName();
  }

  static final class ChildActor extends Actor implements Child {
    ChildActor(String unused) {
    }

    @Override
    public Mono<String> creatorName() {
      return Mono.just(creator().toString());
    }
  }

  static final ActorClass<Child, String> CHILDREN = ActorClass.of(Child.class, ChildActor::new);

  public interface Parent {
    Mono<Child> spawnLater(Duration delay);

    /** Answers its own reference (taken on the timer's thread), or another actor's. */
    Mono<Object> referenceLater(Duration delay, boolean self);

    @Query
    Mono<Boolean> referenceInAQuery();
  }

  final class ParentActor extends Actor implements Parent {
    @Override
    public Mono<Child> spawnLater(Duration delay) {
      // no await: the flatMap runs on the timer's thread, outside any turn of this actor
      return Mono.delay(delay, scheduler).flatMap(t -> spawn(CHILDREN, "late"));
    }

    @Override
    public Mono<Object> referenceLater(Duration delay, boolean self) {
      return Mono.delay(delay, scheduler).map(t -> self ? self(Parent.class)
          : actorOf(Child.class, ActorId.of("someone")));
    }

    @Override
    public Mono<Boolean> referenceInAQuery() {
      return Mono.just(ActorRefs.idOf(self(Parent.class)).equals(actorId()));
    }
  }

  @Test
  @DisplayName("R17 R21 self() and actorOf() outside the actor's turns fail with an isolation error")
  void referencesOnAForeignThreadAreRefused() {
    Parent parent = system.spawn(Parent.class, ParentActor::new);
    for (boolean self : new boolean[] {true, false}) {
      Mono<Object> f = parent.referenceLater(Duration.ofSeconds(1), self);
      scheduler.advanceTimeBy(Duration.ofSeconds(1));
      assertThatThrownBy(() -> scheduler.await(f)).isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
        assertThat(e.rejectMessage()).contains("IsolationException")
            .contains("can use its " + (self ? "self()" : "actorOf()"))
            .contains("outside any actor");
      });
    }
    assertThat(scheduler.await(parent.referenceInAQuery())).as("allowed in its own query").isTrue();
  }

  @Test
  @DisplayName("R17 R21 Actor.spawn outside the actor's turns fails instead of creating an anonymous child")
  void spawnOnAForeignThreadIsRefused() {
    Parent parent = system.spawn(Parent.class, ParentActor::new);
    Mono<Child> f = parent.spawnLater(Duration.ofSeconds(1));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    int actors = system.actorCount();
    Throwable failure = null;
    String creator = null;
    try {
      creator = scheduler.await(scheduler.await(f).creatorName());
    } catch (RuntimeException e) {
      failure = e;
    }
    assertThat(creator).as("the child's creator, if it was created").isNull();
    assertThat(actors).as("no child was created").isEqualTo(1);
    assertThat(failure).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
  }
}

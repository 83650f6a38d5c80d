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
 * Rules R17, R20, R21: {@code Actor.spawn} outside the actor's own turns (a late callback on a
 * foreign thread) is a clear error, not an anonymous creation that no turn owns.
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
  }

  final class ParentActor extends Actor implements Parent {
    @Override
    public Mono<Child> spawnLater(Duration delay) {
      // no await: the flatMap runs on the timer's thread, outside any turn of this actor
      return Mono.delay(delay, scheduler).flatMap(t -> spawn(CHILDREN, "late"));
    }
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

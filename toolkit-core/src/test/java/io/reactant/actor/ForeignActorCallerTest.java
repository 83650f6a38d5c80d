package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.scheduler.DeterministicScheduler;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rule R21: the caller that an actor of another system is, seen from the callee's system, names
 * that actor and nothing else: no principal, no actor of another system of a similar or the same
 * name.
 */
class ForeignActorCallerTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = named("main");
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    system.close();
  }

  private ActorSystem named(String name) {
    return ActorSystem.create(ActorSystemConfig.builder().name(name).scheduler(scheduler).build());
  }

  public interface Mirror {
    /** Answers its caller. */
    Mono<Caller> who();
  }

  static final class MirrorActor extends Actor implements Mirror {
    @Override
    public Mono<Caller> who() {
      return Mono.just(caller());
    }
  }

  public interface Asker {
    /** Asks {@code mirror} who calls it, in a turn of this actor. */
    Mono<Caller> ask(Mirror mirror);
  }

  static final class AskerActor extends Actor implements Asker {
    @Override
    public Mono<Caller> ask(Mirror mirror) {
      return await(mirror.who());
    }
  }

  public interface Peer {
    Mono<String> who();

    @Query
    Mono<String> whoQueries();

    /** The caller before its await of {@code other.whoQueries()}, what that saw, the caller after. */
    @CompositeQuery
    Mono<String> whoAcrossAwait(Peer other);

    /** Records its caller, then awaits {@code back.who()} and records its caller again. */
    void notice(Peer back);
  }

  final class PeerActor extends Actor implements Peer {
    @Override
    public Mono<String> who() {
      return Mono.just(caller().toString());
    }

    @Override
    public Mono<String> whoQueries() {
      return Mono.just(caller().toString());
    }

    @Override
    public Mono<String> whoAcrossAwait(Peer other) {
      String before = caller().toString();
      return await(other.whoQueries()).map(inner -> before + " | " + inner + " | " + caller());
    }

    @Override
    public void notice(Peer back) {
      seen.add("first turn: " + caller());
      await(back.who()).subscribe(
          reply -> seen.add("after the await: " + caller() + " (back saw " + reply + ")"));
    }
  }

  public interface Child {
    @Query
    Mono<Caller> creatorOf();
  }

  static final class ChildActor extends Actor implements Child {
    @Override
    public Mono<Caller> creatorOf() {
      return Mono.just(creator());
    }
  }

  static final ActorClass<Child, Void> CHILDREN = ActorClass.of(Child.class, v -> new ChildActor());

  public interface Driver {
    /** Awaits {@code target.whoAcrossAwait(inner)}, in a turn of this actor. */
    Mono<String> compose(Peer target, Peer inner);

    /** Sends {@code target.notice(back)}, in a turn of this actor. */
    Mono<Void> tell(Peer target, Peer back);

    /** Creates an actor in {@code system}, in a turn of this actor, and answers its creator. */
    Mono<Caller> spawnIn(ActorSystem system);
  }

  static final class DriverActor extends Actor implements Driver {
    @Override
    public Mono<String> compose(Peer target, Peer inner) {
      return await(target.whoAcrossAwait(inner));
    }

    @Override
    public Mono<Void> tell(Peer target, Peer back) {
      target.notice(back);
      return Mono.empty();
    }

    @Override
    public Mono<Caller> spawnIn(ActorSystem system) {
      return await(system.spawn(CHILDREN, null)).flatMap(child -> await(child.creatorOf()));
    }
  }

  private Caller seenFrom(ActorSystem sender, String id, Mirror mirror) {
    Asker asker = sender.contains(ActorId.of(id))
        ? sender.lookup(Asker.class, id)
        : sender.spawn(Asker.class, ActorId.of(id), AskerActor::new);
    return scheduler.await(asker.ask(mirror));
  }

  @Test
  @DisplayName("R21 an ingress principal named after another system's actor is not that actor")
  void aPrincipalNamedAfterAnotherSystemsActorIsNotThatActor() {
    Mirror mirror = system.spawn(Mirror.class, MirrorActor::new);
    try (ActorSystem other = named("other")) {
      Caller actor = seenFrom(other, "owner", mirror);
      Caller user = scheduler.await(
          ActorRefs.withIngressCaller(mirror, Caller.principal("other/owner")).who());
      Caller namedAsIt = scheduler.await(
          ActorRefs.withIngressCaller(mirror, Caller.principal(actor.name())).who());

      assertThat(user).isNotEqualTo(actor);
      assertThat(namedAsIt).isNotEqualTo(actor);
      assertThat(namedAsIt.toString()).isNotEqualTo(actor.toString());
      assertThat(seenFrom(other, "owner", mirror)).as("the same actor, again").isEqualTo(actor);
    }
  }

  @Test
  @DisplayName("R21 the actor b/c of a system a is not the actor c of a system a/b")
  void anIdWithASlashDoesNotMoveIntoTheSystemsName() {
    Mirror mirror = system.spawn(Mirror.class, MirrorActor::new);
    try (ActorSystem a = named("a"); ActorSystem ab = named("a/b")) {
      Caller bc = seenFrom(a, "b/c", mirror);
      Caller c = seenFrom(ab, "c", mirror);

      assertThat(bc).isNotEqualTo(c);
      assertThat(bc.toString()).isNotEqualTo(c.toString());
      assertThat(bc.name()).isNotEqualTo(c.name());
    }
  }

  @Test
  @DisplayName("R21 the actors of one id of two systems of one name are two callers")
  void twoSystemsOfOneNameAreTwoSenders() {
    Mirror mirror = system.spawn(Mirror.class, MirrorActor::new);
    try (ActorSystem first = named("twin"); ActorSystem second = named("twin")) {
      Caller fromFirst = seenFrom(first, "x", mirror);
      Caller fromSecond = seenFrom(second, "x", mirror);

      assertThat(fromFirst).isNotEqualTo(fromSecond);
      assertThat(fromFirst.toString()).isNotEqualTo(fromSecond.toString());
      assertThat(seenFrom(first, "x", mirror)).as("the same actor, again").isEqualTo(fromFirst);
    }
  }

  @Test
  @DisplayName("R21 a call from another system's actor carries a foreign actor: its id and its"
      + " system, not the callee's system's actor of that id")
  void aCallFromAnotherSystemsActorCarriesAForeignActor() {
    Mirror mirror = system.spawn(Mirror.class, MirrorActor::new);
    ActorId owner = ActorId.of("owner");
    try (ActorSystem other = named("other")) {
      Caller caller = seenFrom(other, "owner", mirror);

      assertThat(caller.kind()).isEqualTo(Caller.Kind.FOREIGN_ACTOR);
      assertThat(caller.foreignActorId()).contains(owner);
      assertThat(caller.systemName()).contains("other");
      assertThat(caller.actorId()).as("no id of an actor of the callee's system").isEmpty();
      assertThat(caller.isActor()).isFalse();
      assertThat(caller.isAnonymous()).isFalse();
      assertThat(caller.name()).matches("owner@other#[0-9]+");
      assertThat(other.toString()).as("the system's string shows its number")
          .startsWith("ActorSystem[" + caller.name().substring("owner@".length()) + ", ");
      assertThat(caller).hasToString("foreign_actor:" + caller.name())
          .isEqualTo(Caller.foreignActor(other, owner))
          .hasSameHashCodeAs(Caller.foreignActor(other, owner))
          .isNotEqualTo(Caller.actor(owner))
          .isNotEqualTo(Caller.foreignActor(system, owner))
          .isNotEqualTo(seenFrom(system, "owner", mirror));
      assertThat(seenFrom(system, "owner", mirror)).isEqualTo(Caller.actor(owner));
      assertThat(Caller.actor(owner).foreignActorId()).isEmpty();
      assertThat(Caller.principal("other").systemName()).isEmpty();
    }
  }

  @Test
  @DisplayName("R21 an actor that another system's actor creates has that foreign actor as creator")
  void anActorSpawnedFromAnotherSystemHasAForeignCreator() {
    try (ActorSystem other = named("other")) {
      Driver driver = other.spawn(Driver.class, ActorId.of("owner"), DriverActor::new);

      assertThat(scheduler.await(driver.spawnIn(system)))
          .isEqualTo(Caller.foreignActor(other, ActorId.of("owner")));
      assertThat(scheduler.await(driver.spawnIn(other))).as("in its own system")
          .isEqualTo(Caller.actor(ActorId.of("owner")));
    }
  }

  @Test
  @DisplayName("R21 R19 a composite query from another system's actor has that foreign actor as"
      + " caller in each part; the query it awaits sees the calling actor of its own system")
  void aCompositeQueryFromAnotherSystemKeepsItsForeignCaller() {
    Peer a = system.spawn(Peer.class, ActorId.of("a"), PeerActor::new);
    Peer b = system.spawn(Peer.class, ActorId.of("b"), PeerActor::new);
    try (ActorSystem other = named("other")) {
      Driver driver = other.spawn(Driver.class, ActorId.of("d"), DriverActor::new);
      Caller d = Caller.foreignActor(other, ActorId.of("d"));

      assertThat(scheduler.await(driver.compose(a, b)))
          .isEqualTo(d + " | actor:a | " + d);
    }
  }

  @Test
  @DisplayName("R21 R3 a oneway from another system's actor has that foreign actor as caller in its"
      + " first turn and after an await, whose callee in that system sees this one's actor as"
      + " foreign")
  void aOnewayFromAnotherSystemKeepsItsForeignCaller() {
    Peer a = system.spawn(Peer.class, ActorId.of("a"), PeerActor::new);
    try (ActorSystem other = named("other")) {
      Driver driver = other.spawn(Driver.class, ActorId.of("d"), DriverActor::new);
      Peer back = other.spawn(Peer.class, ActorId.of("back"), PeerActor::new);
      Caller d = Caller.foreignActor(other, ActorId.of("d"));

      scheduler.await(driver.tell(a, back));
      scheduler.runUntilIdle();

      assertThat(seen).containsExactly("first turn: " + d, "after the await: " + d + " (back saw "
          + Caller.foreignActor(system, ActorId.of("a")) + ")");
    }
  }

  @Test
  @DisplayName("R21 a reference cannot make ingress calls carry a foreign actor's identity")
  void ingressCallsCannotCarryAForeignActorsIdentity() {
    Mirror mirror = system.spawn(Mirror.class, MirrorActor::new);
    try (ActorSystem other = named("other")) {
      assertThatThrownBy(() -> ActorRefs.withIngressCaller(mirror,
          Caller.foreignActor(other, ActorId.of("owner"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("foreign_actor:owner@other#");
    }
  }

  @Test
  @DisplayName("R21 a caller's string names its kind alike under every default locale")
  void aCallersStringDoesNotDependOnTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try (ActorSystem other = named("other")) {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertThat(Caller.principal("alice")).hasToString("principal:alice");
      assertThat(Caller.foreignActor(other, ActorId.of("owner")).toString())
          .startsWith("foreign_actor:owner@other#");
    } finally {
      Locale.setDefault(before);
    }
  }
}

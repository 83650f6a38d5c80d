package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.scheduler.DeterministicScheduler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rule R21: {@code caller()} in the contexts where no other test reads it: a composite query's
 * parts and the query it awaits, a query called from a turn, a oneway's first turn and the
 * continuation of an await it subscribed itself.
 */
class CallerContextsTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    system.close();
  }

  public interface Peer {
    Mono<String> who();

    @Query
    Mono<String> whoQueries();

    /** The caller before its await of {@code other.whoQueries()}, what that saw, the caller after. */
    @CompositeQuery
    Mono<String> whoAcrossAwait(Peer other);

    /** Awaits {@code other.whoQueries()} in an update, and answers what it saw. */
    Mono<String> askQuery(Peer other);

    /** Records its caller, then awaits {@code back.who()} and records its caller again. */
    void notice(Peer back);

    /** Sends {@code other.notice(self)}. */
    Mono<Void> tell(Peer other);
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
    public Mono<String> askQuery(Peer other) {
      return await(other.whoQueries());
    }

    @Override
    public void notice(Peer back) {
      seen.add("first turn: " + caller());
      await(back.who()).subscribe(
          reply -> seen.add("after the await: " + caller() + " (" + back + " saw " + reply + ")"));
    }

    @Override
    public Mono<Void> tell(Peer other) {
      other.notice(self(Peer.class));
      return Mono.empty();
    }
  }

  @Test
  @DisplayName("R21 R19 a composite query's caller is its caller in each part, after its await"
      + " too; the query it awaits, and a query an update awaits, see the calling actor")
  void aCompositeQueryKeepsItsCallerAndItsQueriesSeeTheActor() {
    Peer a = system.spawn(Peer.class, ActorId.of("a"), PeerActor::new);
    Peer b = system.spawn(Peer.class, ActorId.of("b"), PeerActor::new);
    Peer asAlice = ActorRefs.withIngressCaller(a, Caller.principal("alice"));

    assertThat(scheduler.await(asAlice.whoAcrossAwait(b)))
        .isEqualTo("principal:alice | actor:a | principal:alice");
    assertThat(scheduler.await(asAlice.askQuery(b))).isEqualTo("actor:a");
  }

  @Test
  @DisplayName("R21 R3 a oneway's caller is its sender in its first turn and in the continuation"
      + " of an await it subscribed itself")
  void aOnewaysCallerStaysItsSender() {
    Peer a = system.spawn(Peer.class, ActorId.of("a"), PeerActor::new);
    Peer b = system.spawn(Peer.class, ActorId.of("b"), PeerActor::new);

    scheduler.await(a.tell(b));
    scheduler.runUntilIdle();

    assertThat(seen).containsExactly("first turn: actor:a",
        "after the await: actor:a (" + a + " saw actor:b)");
  }
}

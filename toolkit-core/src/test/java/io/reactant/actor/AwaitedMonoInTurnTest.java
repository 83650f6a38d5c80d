package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code Mono} given to {@code await} is evaluated in the awaiting turn, as Motoko evaluates an
 * await's operand before its commit: calls a deferred {@code Mono} makes as it is subscribed come
 * from the actor and are the turn's tentative sends.
 */
class AwaitedMonoInTurnTest {

  /** Records who called it and what it was told, in order. */
  public interface Witness {
    Mono<String> whoCalls(String note);

    Mono<Long> takeCycles();

    @Query
    Mono<List<String>> seen();

    /** What {@code other} has seen, through an await of its query. */
    @CompositeQuery
    Mono<List<String>> seenBy(Witness other);
  }

  public interface Awaiter {
    Mono<String> deferred(Witness w);

    Mono<List<String>> fanOut(List<Witness> ws);

    Mono<String> deferredThenTrap(Witness w);

    Mono<Long> deferredWithCycles(Witness w);

    Mono<Long> readsStateWhileEvaluated();

    Mono<Void> ordered(Witness w);

    Mono<String> callAfterQuery(Witness w);

    Mono<String> callAfterCompositeQuery(Witness w);
  }

  static final class WitnessActor extends Actor implements Witness {
    private final Var<List<String>> seen = newVar("seen", List.of());

    @Override
    public Mono<String> whoCalls(String note) {
      List<String> next = new ArrayList<>(seen.get());
      next.add(note + " from " + caller());
      seen.set(List.copyOf(next));
      return Mono.just(caller().toString());
    }

    @Override
    public Mono<Long> takeCycles() {
      return Mono.just(acceptCycles(Long.MAX_VALUE));
    }

    @Override
    public Mono<List<String>> seen() {
      return Mono.just(seen.get());
    }

    @Override
    public Mono<List<String>> seenBy(Witness other) {
      return await(other.seen());
    }

    @Override
    protected boolean inspect(IngressMessage message) {
      return !message.method().equals("whoCalls")
          || !String.valueOf(message.arguments().get(0)).startsWith("no ingress");
    }
  }

  static final class AwaiterActor extends Actor implements Awaiter {
    private final LongVar counter = newLongVar("counter", 0);

    @Override
    public Mono<String> deferred(Witness w) {
      return await(Mono.defer(() -> w.whoCalls("no ingress: deferred")));
    }

    @Override
    public Mono<List<String>> fanOut(List<Witness> ws) {
      return await(Flux.fromIterable(ws).flatMapSequential(w -> w.whoCalls("no ingress: fan-out"))
          .collectList());
    }

    @Override
    public Mono<String> deferredThenTrap(Witness w) {
      counter.add(1);
      return Mono.zip(await(Mono.defer(() -> w.whoCalls("revoked"))),
              Mono.<String>error(new IllegalStateException("after the await")))
          .map(both -> both.getT1());
    }

    @Override
    public Mono<Long> deferredWithCycles(Witness w) {
      return await(Mono.defer(() -> CallOptions.cycles(40).on(w).takeCycles()));
    }

    @Override
    public Mono<Long> readsStateWhileEvaluated() {
      counter.set(7);
      return await(Mono.fromSupplier(counter::get));
    }

    @Override
    public Mono<Void> ordered(Witness w) {
      w.whoCalls("first");
      Mono<String> second = await(Mono.defer(() -> w.whoCalls("second")));
      w.whoCalls("third");   // assembled after the await, sent before its Mono is subscribed
      return second.then(Mono.defer(() -> {
        w.whoCalls("fourth");   // the continuation
        return Mono.empty();
      }));
    }

    @Override
    public Mono<String> callAfterQuery(Witness w) {
      // the flatMap runs when the query answers: not in the turn, nor in the query
      return await(w.seen().flatMap(seen -> w.whoCalls("after a query")));
    }

    @Override
    public Mono<String> callAfterCompositeQuery(Witness w) {
      // the composite query answers in a part nested in its first one (its await of a query
      // that answered at once): the flatMap runs once the query's parts are over
      return await(w.seenBy(w).flatMap(seen -> w.whoCalls("after a composite query")));
    }
  }

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());
  private final Witness witness = system.spawn(Witness.class, WitnessActor::new);
  private final Awaiter awaiter = system.spawn(Awaiter.class, AwaiterActor::new);

  @AfterEach
  void close() {
    system.close();
    scheduler.runUntilIdle();
  }

  private String awaiterCaller() {
    return Caller.actor(ActorRefs.idOf(awaiter)).toString();
  }

  @Test
  @DisplayName("R21 R26 a call a deferred Mono makes as await subscribes it comes from the actor,"
      + " not from an anonymous ingress caller, and is not inspected as ingress")
  void deferredCallComesFromTheActor() {
    assertThat(scheduler.await(awaiter.deferred(witness))).isEqualTo(awaiterCaller());
    assertThat(witness.seen().block())
        .containsExactly("no ingress: deferred from " + awaiterCaller());
  }

  @Test
  @DisplayName("R21 calls of a fan-out built inside the awaited Mono come from the actor")
  void fanOutCallsComeFromTheActor() {
    Witness other = system.spawn(Witness.class, WitnessActor::new);

    assertThat(scheduler.await(awaiter.fanOut(List.of(witness, other))))
        .containsExactly(awaiterCaller(), awaiterCaller());
  }

  @Test
  @DisplayName("R10 a call made while the awaited Mono is subscribed is revoked when the turn"
      + " traps afterwards, and the turn's writes roll back")
  void deferredCallIsRevokedWithItsTurn() {
    assertThatThrownBy(() -> scheduler.await(awaiter.deferredThenTrap(witness)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    scheduler.runUntilIdle();

    assertThat(witness.seen().block()).isEmpty();
    assertThat(scheduler.await(awaiter.readsStateWhileEvaluated())).isEqualTo(7L);
  }

  @Test
  @DisplayName("R22 a call made while the awaited Mono is subscribed can carry the actor's cycles")
  void deferredCallCarriesCycles() {
    system.topUp(ActorRefs.idOf(awaiter), 100);

    assertThat(scheduler.await(awaiter.deferredWithCycles(witness))).isEqualTo(40L);
    assertThat(system.cyclesBalance(ActorRefs.idOf(awaiter))).isEqualTo(60L);
    assertThat(system.cyclesBalance(ActorRefs.idOf(witness))).isEqualTo(40L);
  }

  @Test
  @DisplayName("R1 the awaited Mono may read the actor's state as it is evaluated: it is in the turn")
  void awaitedMonoReadsStateInTheTurn() {
    assertThat(scheduler.await(awaiter.readsStateWhileEvaluated())).isEqualTo(7L);
  }

  @Test
  @DisplayName("R4 a call made while the awaited Mono is subscribed keeps its place among the"
      + " turn's other calls to the same actor")
  void deferredCallKeepsProgramOrder() {
    scheduler.await(awaiter.ordered(witness));

    String from = " from " + awaiterCaller();
    assertThat(witness.seen().block())
        .containsExactly("first" + from, "third" + from, "second" + from, "fourth" + from);
    // the awaited Mono is subscribed when the method's Mono is, after the method body returned
  }

  @Test
  @DisplayName("R17 R19 R21 a call a flatMap over a query's reply makes inside the awaited Mono runs"
      + " where the reply comes from, outside the actor, as after an update's reply: not in the"
      + " answering query, whose rules would refuse it or whose actor it would pass for")
  void callAfterAQueryReplyIsNotTheQuerys() {
    assertThat(scheduler.await(awaiter.callAfterQuery(witness)))
        .isEqualTo(Caller.anonymous().toString());
    assertThat(witness.seen().block())
        .containsExactly("after a query from " + Caller.anonymous());
  }

  @Test
  @DisplayName("R17 R19 R21 a call a flatMap over a composite query's reply makes inside the awaited"
      + " Mono runs outside the actor, not in the query's part that answered it")
  void callAfterACompositeQueryReplyIsNotTheQuerys() {
    assertThat(scheduler.await(awaiter.callAfterCompositeQuery(witness)))
        .isEqualTo(Caller.anonymous().toString());
    assertThat(witness.seen().block())
        .containsExactly("after a composite query from " + Caller.anonymous());
  }
}

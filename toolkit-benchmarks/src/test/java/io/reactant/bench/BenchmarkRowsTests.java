package io.reactant.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorInfo;
import io.reactant.actor.ActorSystem;
import io.reactant.bench.model.Counters;
import io.reactant.bench.model.Counters.Counter;
import io.reactant.bench.support.Peers;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each benchmark row does, inside the measured method, the work its score counts: one invocation
 * of a row is run outside JMH and what the actors executed is counted afterwards, so that a row
 * cannot count enqueues instead of executed messages (a drain JMH does not time), nor an
 * {@code @OperationsPerInvocation} that differs from the work of its loop. No row is timed here.
 */
class BenchmarkRowsTests {

  @ParameterizedTest(name = "{0} actor(s)")
  @ValueSource(ints = {1, 1000})
  @DisplayName("fire-and-forget: every Reactant message of an invocation has executed when it returns")
  void reactantFireAndForgetExecutesEveryMessageWithinTheInvocation(int actors) throws Exception {
    FireAndForgetBench.ReactantSide s = new FireAndForgetBench.ReactantSide();
    s.actors = actors;
    s.start();
    try {
      FireAndForgetBench bench = new FireAndForgetBench();
      bench.reactantUnawaited(s);
      assertThat(sum(s.counters)).isEqualTo(FireAndForgetBench.MESSAGES);
      bench.reactantOneway(s);
      assertThat(sum(s.counters)).isEqualTo(2L * FireAndForgetBench.MESSAGES);
    } finally {
      s.stop();
    }
  }

  @ParameterizedTest(name = "{0} actor(s), dispatcher throughput {1}")
  @CsvSource({"1, 5", "1000, 5", "1, 100", "1000, 100"})
  @DisplayName("fire-and-forget: every Pekko tell of an invocation has executed when it returns")
  void pekkoFireAndForgetExecutesEveryMessageWithinTheInvocation(int actors, int throughput) {
    FireAndForgetBench.PekkoSide s = new FireAndForgetBench.PekkoSide();
    s.actors = actors;
    s.dispatcherThroughput = throughput;
    s.start();
    try {
      assertThat(dispatcherThroughput(s.system)).isEqualTo(throughput);
      new FireAndForgetBench().pekkoTell(s);
      long sum = 0;
      for (ActorRef<Counters.Cmd> c : s.counters) {
        sum += Peers.await(Peers.ask(c, Counters.Read::new, s.system.scheduler()));
      }
      assertThat(sum).isEqualTo(FireAndForgetBench.MESSAGES);
    } finally {
      s.stop();
    }
  }

  @Test
  @DisplayName("ingress: the 64-in-flight rows make 64 calls per invocation, all answered")
  void ingressRowsMakeTheirCallsWithinTheInvocation() {
    IngressRequestResponseBench bench = new IngressRequestResponseBench();
    IngressRequestResponseBench.ReactantSide r = new IngressRequestResponseBench.ReactantSide();
    r.propagation = "none";
    r.start();
    IngressRequestResponseBench.PekkoSide p = new IngressRequestResponseBench.PekkoSide();
    p.dispatcherThroughput = Peers.TUNED_DISPATCHER_THROUGHPUT;
    p.start();
    try {
      bench.reactant_64(r);
      bench.reactant_1(r);
      assertThat(r.counter.read().block()).isEqualTo(65L);
      bench.pekkoScalaAsk_64(p);
      bench.pekkoScalaAsk_1(p);
      assertThat(Peers.await(Peers.ask(p.counter, Counters.Read::new, p.scheduler)))
          .isEqualTo(65L);
    } finally {
      r.stop();
      p.stop();
    }
  }

  @Test
  @DisplayName("queries: an update window executes its 64 updates, and a read answers, in every group")
  void queryRowsDoTheirWork() {
    QueryBench bench = new QueryBench();
    QueryBench.ReactantSide r = new QueryBench.ReactantSide();
    r.start();
    QueryBench.PekkoSide p = new QueryBench.PekkoSide();
    p.dispatcherThroughput = Peers.DEFAULT_DISPATCHER_THROUGHPUT;
    p.start();
    QueryBench.PekkoCountdownSide c = new QueryBench.PekkoCountdownSide();
    c.dispatcherThroughput = Peers.TUNED_DISPATCHER_THROUGHPUT;
    c.start();
    try {
      bench.reactantUpdates(r);
      bench.reactantRead(r);
      assertThat(r.counter.read().block()).isEqualTo(QueryBench.WINDOW);
      bench.pekkoUpdates(p);
      bench.pekkoRead(p);
      assertThat(Peers.await(Peers.ask(p.counter, Counters.Read::new, p.scheduler)))
          .isEqualTo(QueryBench.WINDOW);
      bench.pekkoCountdownUpdates(c);
      bench.pekkoCountdownRead(c);
      assertThat(Peers.await(Peers.ask(c.counter, Counters.Read::new, c.scheduler)))
          .isEqualTo(QueryBench.WINDOW);
    } finally {
      r.stop();
      p.stop();
      c.stop();
    }
  }

  @ParameterizedTest(name = "length {0}")
  @ValueSource(ints = {1, 10})
  @DisplayName("actor-to-actor: an invocation makes ROUNDS request-responses along the chain")
  void reactantActorToActorMakesItsRounds(int length) {
    ActorToActorBench.ReactantSide s = new ActorToActorBench.ReactantSide();
    s.length = length;
    s.start();
    try {
      ActorToActorBench bench = new ActorToActorBench();
      // each relay but the last: the request's turn and its await's continuation; the last: one
      long perRound = 2L * length - 1;
      Predicate<ActorInfo> relays = a -> a.type() == ActorToActorBench.Relay.class;
      bench.reactantAwait(s);
      assertThat(turns(s.system, relays)).isEqualTo(ActorToActorBench.ROUNDS * perRound);
      bench.reactantAwaitRepeat(s);
      assertThat(turns(s.system, relays)).isEqualTo(2 * ActorToActorBench.ROUNDS * perRound);
    } finally {
      s.stop();
    }
  }

  @Test
  @DisplayName("turn cost: each row's invocation executes TURNS turns of its kind, plus three")
  void turnCostRowsExecuteTheirTurns() {
    TurnCostBench.ActorState s = new TurnCostBench.ActorState();
    s.declared = 100;
    s.start();
    try {
      TurnCostBench bench = new TurnCostBench();
      TurnCostBench.Written w = new TurnCostBench.Written();
      w.cells = 10;
      int turns = TurnCostBench.TURNS;
      // the burst's turn, the sync's and the burst's continuation come on top of the rows' turns
      assertThat(turnsOf(s, () -> bench.write(s, w))).isBetween((long) turns, turns + 3L);
      assertThat(turnsOf(s, () -> bench.writeTenNamed(s))).isBetween((long) turns, turns + 3L);
      assertThat(turnsOf(s, () -> bench.trap(s))).isBetween((long) turns, turns + 3L);
      assertThat(traps(s.system)).isEqualTo(turns);
      // await: the call's turn and its continuation's (rule R13); await?: one turn (R14)
      assertThat(turnsOf(s, () -> bench.awaitCompleted(s))).isBetween(2L * turns, 2L * turns + 3);
      assertThat(turnsOf(s, () -> bench.awaitIfReady(s))).isBetween((long) turns, turns + 3L);
    } finally {
      s.stop();
    }
  }

  @Test
  @DisplayName("dispatch: an invocation executes TURNS calls spread over the kinds, plus two")
  void dispatchRowExecutesItsTurns() {
    DispatchBench.ActorState s = new DispatchBench.ActorState();
    s.kinds = 8;
    s.start();
    try {
      long before = turns(s.system, a -> true);
      new DispatchBench().calls(s);
      assertThat(turns(s.system, a -> true) - before)
          .isBetween((long) DispatchBench.TURNS, DispatchBench.TURNS + 2L);
    } finally {
      s.stop();
    }
  }

  private static long sum(Counter[] counters) {
    long sum = 0;
    for (Counter c : counters) {
      sum += c.read().block();
    }
    return sum;
  }

  /** The throughput of the default dispatcher of a Pekko system, as its settings read it. */
  private static int dispatcherThroughput(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return system.settings().config().getInt("pekko.actor.default-dispatcher.throughput");
  }

  private static long turns(ActorSystem system, Predicate<ActorInfo> which) {
    return system.actors().stream().filter(which).mapToLong(ActorInfo::turns).sum();
  }

  private static long traps(ActorSystem system) {
    return system.actors().stream().mapToLong(ActorInfo::traps).sum();
  }

  /** The turns the actor of {@link TurnCostBench} executed during {@code row}. */
  private static long turnsOf(TurnCostBench.ActorState s, Runnable row) {
    long before = turns(s.system, a -> true);
    row.run();
    return turns(s.system, a -> true) - before;
  }
}

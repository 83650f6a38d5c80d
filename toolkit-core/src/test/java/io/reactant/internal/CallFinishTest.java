package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every call ends once: it leaves the count of calls in flight exactly once, whether it ended in
 * its first turn (finished by its actor's thread alone) or after an await (when a shutdown on
 * another thread may answer it too).
 */
class CallFinishTest {

  public interface Node {
    /** Ends in its first turn. */
    Mono<Long> quick();

    /** A oneway: ends in its first turn, with no reply. */
    void bump();

    /** Rejects in its first turn (code 4). */
    Mono<Long> refuse();

    /** Awaits {@code peer.quick()}: suspended, ends in its continuation. */
    Mono<Long> viaPeer(Node peer);

    /** Awaits a completed {@code Mono}: suspended once, ends in its continuation. */
    Mono<Long> afterCompleted();

    /** Awaits {@code peer.quick()}, then traps (code 5). */
    Mono<Long> trapAfterAwait(Node peer);

    /** Awaits {@code delay} on {@code clock}. */
    Mono<Long> sleep(Duration delay);
  }

  static final class NodeActor extends Actor implements Node {
    private final Var<Long> count = newVar("count", 0L);
    private final DeterministicScheduler clock;

    NodeActor(DeterministicScheduler clock) {
      this.clock = clock;
    }

    @Override
    public Mono<Long> quick() {
      return Mono.just(count.update(c -> c + 1));
    }

    @Override
    public void bump() {
      count.update(c -> c + 1);
    }

    @Override
    public Mono<Long> refuse() {
      return reject("refused");
    }

    @Override
    public Mono<Long> viaPeer(Node peer) {
      return await(peer.quick()).map(v -> count.update(c -> c + 1));
    }

    @Override
    public Mono<Long> afterCompleted() {
      return await(Mono.just(1L)).map(v -> count.update(c -> c + v));
    }

    @Override
    public Mono<Long> trapAfterAwait(Node peer) {
      return await(peer.quick()).map(v -> trap("after the await"));
    }

    @Override
    public Mono<Long> sleep(Duration delay) {
      return await(Mono.delay(delay, clock)).map(t -> count.update(c -> c + 1));
    }
  }

  @Test
  @DisplayName("R3 R13 4 threads sending 40k calls of six kinds (ending in the first turn or after"
      + " awaits, replying, rejecting, trapping, oneways): every call leaves the count in flight once,"
      + " which ends at 0")
  void everyKindOfCallLeavesTheCountOnce() throws Exception {
    ActorRuntime system = (ActorRuntime) ActorSystem.create(
        ActorSystemConfig.builder().name("finish").parallelism(2).build());
    try {
      DeterministicScheduler neverDriven = DeterministicScheduler.create(); // no call here sleeps
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        nodes.add(system.spawn(Node.class, () -> new NodeActor(neverDriven)));
      }
      ConcurrentLinkedQueue<Mono<String>> outcomes = new ConcurrentLinkedQueue<>();
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Random random = new Random(20261202L + t);
        Thread sender = new Thread(() -> {
          for (int i = 0; i < 10_000; i++) {
            Node node = nodes.get(random.nextInt(nodes.size()));
            Node peer = nodes.get(random.nextInt(nodes.size()));
            Mono<Long> call;
            switch (random.nextInt(6)) {
              case 0 -> call = node.quick();
              case 1 -> {
                node.bump();
                continue;
              }
              case 2 -> call = node.refuse();
              case 3 -> call = node.viaPeer(peer);
              case 4 -> call = node.afterCompleted();
              default -> call = node.trapAfterAwait(peer);
            }
            outcomes.add(call.map(v -> "value")
                .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code())));
          }
        });
        senders.add(sender);
        sender.start();
      }
      for (Thread sender : senders) {
        sender.join();
      }
      List<String> answers = Flux.fromIterable(outcomes).flatMap(m -> m).collectList()
          .block(Duration.ofSeconds(60));
      assertThat(answers).hasSize(outcomes.size()).containsOnly("value", "code 4", "code 5");
      // each sender's oneways ran before a later call of the same sender to the same actor
      for (Node node : nodes) {
        assertThat(node.quick().block(Duration.ofSeconds(30))).isPositive();
      }
      // a call leaves the count just after its reply is published, so a reply seen here may be
      // a moment ahead of its call's exit: the shutdown ends exactly when the count is zero (a
      // call counted out twice, or never, would keep it waiting for its ten minutes)
      system.shutdown(Duration.ofMinutes(10)).block(Duration.ofSeconds(60));
      assertThat(system.callsInFlight()).as("every call left the count once").isZero();
    } finally {
      system.close();
    }
  }

  @Test
  @DisplayName("R13 a suspended call answered by the shutdown (code 6) leaves the count in flight"
      + " once, also when its continuation arrives afterwards; one ended before is not answered again")
  void suspendedCallAnsweredByTheShutdownLeavesTheCountOnce() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    ActorRuntime system = TestRuntimes.onClock(clock, "finish");
    Node node = system.spawn(Node.class, () -> new NodeActor(clock));
    AtomicReference<Object> ends = outcome(node.sleep(Duration.ofSeconds(1)));
    AtomicReference<Object> outlives = outcome(node.sleep(Duration.ofMinutes(5)));
    clock.runUntilIdle();
    assertThat(system.callsInFlight()).isEqualTo(2L);
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(ends.get()).isEqualTo(1L);
    assertThat(system.callsInFlight()).isEqualTo(1L);
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    clock.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(outlives.get()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(system.callsInFlight()).isZero();
    clock.advanceTimeBy(Duration.ofMinutes(5)); // the continuation of the answered call arrives
    assertThat(system.callsInFlight()).as("not left twice").isZero();
    assertThat(ends.get()).isEqualTo(1L);
  }

  @Test
  @DisplayName("R13 a shutdown ends after the reply of the last call in flight is delivered, not"
      + " as the call leaves the count: whoever the reply reaches finds the shutdown still running")
  void shutdownEndsAfterTheLastReplyIsDelivered() {
    DeterministicScheduler clock = DeterministicScheduler.create();
    ActorRuntime system = TestRuntimes.onClock(clock, "finish-order");
    Node node = system.spawn(Node.class, () -> new NodeActor(clock));
    Mono<Long> last = node.sleep(Duration.ofSeconds(1));
    clock.runUntilIdle();
    AtomicReference<Object> shutdown = outcome(system.shutdown(Duration.ofSeconds(10)));
    AtomicReference<Object> shutdownWhenAnswered = new AtomicReference<>();
    last.subscribe(v -> shutdownWhenAnswered.set(shutdown.get() == null ? "running" : "ended"));
    clock.advanceTimeBy(Duration.ofSeconds(1)); // the call replies, and it was the last one
    assertThat(shutdownWhenAnswered.get()).isEqualTo("running");
    assertThat(shutdown.get()).isEqualTo("completed");
    assertThat(system.callsInFlight()).isZero();
  }

  private static AtomicReference<Object> outcome(Mono<?> f) {
    AtomicReference<Object> result = new AtomicReference<>();
    f.subscribe(result::set, result::set, () -> result.compareAndSet(null, "completed"));
    return result;
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Rule R13: an await on the future of a call gives its waiter the call's one outcome, whoever else
 * waits on the same future (the same turn, twice; a subscriber inside the turn; a query on another
 * thread reading the future from the committed state) and whenever the call ends: before the
 * await registers, after it, or at the release of the turn that sent it (a refusal).
 */
class AwaitRegistrationTest {

  public interface Peer {
    Mono<Long> answer(long x);

    /** Answers when {@code gate} completes. */
    Mono<Long> answerWhen(Mono<Long> gate);
  }

  static class PeerActor extends Actor implements Peer {
    @Override
    public Mono<Long> answer(long x) {
      return Mono.just(x * 10);
    }

    @Override
    public Mono<Long> answerWhen(Mono<Long> gate) {
      return await(gate);
    }
  }

  @MailboxCapacity(1)
  static final class TinyPeerActor extends PeerActor {
  }

  public interface Asker {
    /** Sends one call, subscribes to its future inside the turn, and awaits it twice. */
    Mono<Long> awaitTwiceAndWatch(Peer peer, long x);

    /** Sends a call and keeps its future, without awaiting it. */
    Mono<Void> send(Peer peer, Mono<Long> gate);

    /** Awaits the future kept by {@link #send}: its reply, or minus the reject code it saw. */
    Mono<Long> awaitKept();

    /**
     * Sends two calls in one turn and awaits the second (the first may fill the mailbox); answers
     * the reply, or minus the reject code the await saw.
     */
    Mono<Long> sendTwoAwaitSecond(Peer peer);

    /** Sends a call, keeps its future in its state, and awaits it. */
    Mono<Long> keepAndAwait(Peer peer, long x);

    /** The future kept in the committed state: a query returning it subscribes to it. */
    @Query
    Mono<Long> kept();
  }

  static final class AskerActor extends Actor implements Asker {
    static final AtomicReference<Object> WATCHED = new AtomicReference<>();
    private final Var<Mono<Long>> kept = newVar("kept", Mono.empty());

    @Override
    public Mono<Long> awaitTwiceAndWatch(Peer peer, long x) {
      Mono<Long> f = peer.answer(x);
      f.subscribe(WATCHED::set, WATCHED::set); // inside the turn, before the awaits
      return await(f).zipWith(await(f), Long::sum);
    }

    @Override
    public Mono<Void> send(Peer peer, Mono<Long> gate) {
      kept.set(peer.answerWhen(gate));
      return Mono.empty();
    }

    @Override
    public Mono<Long> awaitKept() {
      return codeOf(await(kept.get()));
    }

    private static Mono<Long> codeOf(Mono<Long> awaited) {
      return awaited.onErrorResume(CallError.class, e -> Mono.just(-(long) e.code().code()));
    }

    @Override
    public Mono<Long> sendTwoAwaitSecond(Peer peer) {
      Mono<Long> first = peer.answerWhen(Mono.never());
      first.subscribe(v -> { }, e -> { }); // never awaited: it only fills the mailbox
      return codeOf(await(peer.answer(2)));
    }

    @Override
    public Mono<Long> keepAndAwait(Peer peer, long x) {
      Mono<Long> f = peer.answer(x);
      kept.set(f);
      return await(f);
    }

    @Override
    public Mono<Long> kept() {
      return kept.get();
    }
  }

  @Test
  @DisplayName("R13 R3 a future of the same turn awaited twice and subscribed inside the turn"
      + " gives every waiter the one reply")
  void sameTurnFutureAwaitedTwiceAndWatched() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Peer peer = system.spawn(Peer.class, PeerActor::new);
      Asker asker = system.spawn(Asker.class, AskerActor::new);
      AskerActor.WATCHED.set(null);
      assertThat(scheduler.await(asker.awaitTwiceAndWatch(peer, 4))).isEqualTo(80L);
      assertThat(AskerActor.WATCHED.get()).isEqualTo(40L);
    }
  }

  @Test
  @DisplayName("R13 an await on the future of a call sent by an earlier turn gets its reply,"
      + " whether the call is still running or already answered")
  void earlierTurnFutureAnsweredBeforeOrAfterTheAwait() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Peer peer = system.spawn(Peer.class, PeerActor::new);
      Asker asker = system.spawn(Asker.class, AskerActor::new);

      Sinks.One<Long> later = Sinks.one();
      scheduler.await(asker.send(peer, later.asMono()));
      Mono<Long> pending = asker.awaitKept();
      scheduler.runUntilIdle();
      later.tryEmitValue(7L); // the kept call is answered after the await registered
      assertThat(scheduler.await(pending)).isEqualTo(7L);

      scheduler.await(asker.send(peer, Mono.just(8L)));
      scheduler.runUntilIdle(); // the kept call is answered before anybody awaits it
      assertThat(scheduler.await(asker.awaitKept())).isEqualTo(8L);
    }
  }

  @Test
  @DisplayName("R12a R13 an await on a call refused at the release of its own turn (a full mailbox,"
      + " code 2) or of an earlier one (no such actor, code 3) sees the refusal")
  void awaitOnARefusedCallFailsWithCodeTwo() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Peer tiny = system.spawn(Peer.class, TinyPeerActor::new);
      Asker asker = system.spawn(Asker.class, AskerActor::new);
      assertThat(scheduler.await(asker.sendTwoAwaitSecond(tiny)))
          .isEqualTo(-(long) RejectCode.SYS_TRANSIENT.code());

      // refused when the earlier turn released it: no such actor (code 3)
      Peer nobody = system.lookup(Peer.class, ActorId.of("nobody"));
      scheduler.await(asker.send(nobody, Mono.just(1L)));
      assertThat(scheduler.await(asker.awaitKept()))
          .isEqualTo(-(long) RejectCode.DESTINATION_INVALID.code());
    }
  }

  @Test
  @DisplayName("R13 R19 contention: futures of calls awaited by the turn that sent them, read from"
      + " the committed state by queries on other threads, reach every subscriber")
  void keptFuturesReachQueriesOnOtherThreads() throws Exception {
    int askers = 8;
    int rounds = 1_500;
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("await-reg")
        .parallelism(2).build())) {
      List<Peer> peers = new ArrayList<>();
      List<Asker> all = new ArrayList<>();
      for (int i = 0; i < askers; i++) {
        peers.add(system.spawn(Peer.class, PeerActor::new));
        all.add(system.spawn(Asker.class, AskerActor::new));
      }
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong queried = new AtomicLong();
      ExecutorService readers = Executors.newFixedThreadPool(2);
      CountDownLatch started = new CountDownLatch(2);
      List<Future<?>> reading = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int seed = r;
        reading.add(readers.submit(() -> {
          started.countDown();
          for (int n = seed; running.get(); n++) {
            // a kept future is the reply of a call sent by a committed turn: it always answers
            Long v = all.get(n % askers).kept().block(Duration.ofSeconds(30));
            if (v != null) {
              assertThat(v % 10).isZero();
              queried.incrementAndGet();
            }
          }
          return null;
        }));
      }
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      List<Mono<Long>> calls = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        for (int i = 0; i < askers; i++) {
          calls.add(all.get(i).keepAndAwait(peers.get(i), round));
        }
      }
      long sum = 0;
      for (Mono<Long> call : calls) {
        sum += call.block(Duration.ofSeconds(30));
      }
      running.set(false);
      for (Future<?> f : reading) {
        f.get(30, TimeUnit.SECONDS);
      }
      readers.shutdown();
      assertThat(sum).isEqualTo(10L * askers * rounds * (rounds + 1) / 2);
      assertThat(queried.get()).as("the queries read kept futures").isPositive();
    }
  }
}

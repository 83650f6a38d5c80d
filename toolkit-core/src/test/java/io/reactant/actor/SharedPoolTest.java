package io.reactant.actor;

import static io.reactant.actor.PoolSchedulingTest.awaitOpen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.ContentionTest.Account;
import io.reactant.actor.ContentionTest.AccountActor;
import io.reactant.actor.PoolSchedulingTest.Flooder;
import io.reactant.actor.PoolSchedulingTest.FlooderActor;
import io.reactant.actor.PoolSchedulingTest.Pinger;
import io.reactant.actor.PoolSchedulingTest.PingerActor;
import io.reactant.actor.PoolSchedulingTest.Ponger;
import io.reactant.actor.PoolSchedulingTest.PongerActor;
import io.reactant.actor.PoolSchedulingTest.Sink;
import io.reactant.actor.PoolSchedulingTest.SinkActor;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.scheduler.WorkStealingScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Two actor systems on one work-stealing pool that the application supplies (and owns): actors of
 * each call actors of the other, a thread of the pool runs actors of both in turn (hand-offs,
 * tasks taken from another thread's queue), and closing one system leaves the pool and the other
 * system running.
 */
class SharedPoolTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Named like the runtime's own pools, so that a failure's thread dump shows its threads. */
  private final WorkStealingScheduler pool = WorkStealingScheduler.create("reactant-shared", 2);
  private final ActorSystem first = ActorSystem.create(
      ActorSystemConfig.builder().name("first").scheduler(pool).build());
  private final ActorSystem second = ActorSystem.create(
      ActorSystemConfig.builder().name("second").scheduler(pool).build());

  @AfterEach
  void closeAll() {
    first.close();
    second.close();
    pool.dispose();
  }

  @Test
  void systemsSharingAPoolReportItsWakeUpsAndASystemOnAnotherSchedulerReportsNone() {
    assertThat(first.poolWakeUps()).isEqualTo(pool.stalledWakeUps());
    assertThat(second.poolWakeUps()).isEqualTo(pool.stalledWakeUps());
    try (ActorSystem onClock = ActorSystem.create(ActorSystemConfig.builder().name("clock")
        .scheduler(DeterministicScheduler.create()).build())) {
      assertThat(onClock.poolWakeUps()).isZero();
    }
  }

  @Test
  @DisplayName("R12 R13 transfers between the accounts of two systems sharing a pool keep the total"
      + " while some credits trap (4 threads x 5,000 transfers)")
  void transfersAcrossTwoSystemsKeepTheTotal() throws Exception {
    int perSystem = 100;
    List<Account> all = new ArrayList<>();
    for (int i = 0; i < perSystem; i++) {
      all.add(first.spawn(Account.class, AccountActor::new));
      all.add(second.spawn(Account.class, AccountActor::new));
    }
    int threads = 4;
    int transfersPerThread = 5_000;
    TestThreads.runAll(threads, t -> {
      Random random = new Random(31L * t + 7); // seeded: the same transfers in every run
      List<Mono<Boolean>> pending = new ArrayList<>();
      for (int i = 0; i < transfersPerThread; i++) {
        Account from = all.get(random.nextInt(all.size()));
        Account to = all.get(random.nextInt(all.size()));
        pending.add(from.transfer(to, 1 + random.nextInt(100), random.nextInt(10) == 0));
      }
      for (Mono<Boolean> p : pending) {
        p.block(WAIT);
      }
    });
    long total = 0;
    for (Account a : all) {
      total += a.balance().block(WAIT);
    }
    assertThat(total).isEqualTo(1_000L * all.size());
  }

  @Test
  @DisplayName("R4 R23 floods from each system to the other's actors arrive once and in order while"
      + " ingress calls and cross-system ping-pongs are answered")
  void floodsBetweenTwoSystemsArriveOnceAndInOrder() throws Exception {
    List<Sink> sinks = new ArrayList<>();
    List<Flooder> flooders = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      // each flooder of one system floods a sink of the other
      sinks.add(second.spawn(Sink.class, SinkActor::new));
      flooders.add(first.spawn(Flooder.class, FlooderActor::new));
      sinks.add(first.spawn(Sink.class, SinkActor::new));
      flooders.add(second.spawn(Flooder.class, FlooderActor::new));
    }
    Ponger firstPonger = first.spawn(Ponger.class, PongerActor::new);
    Ponger secondPonger = second.spawn(Ponger.class, PongerActor::new);
    // the pinger awaits a ponger of the other system: its wake-ups cross systems every round
    Pinger crossing = first.spawn(Pinger.class, () -> new PingerActor(secondPonger));
    Pinger back = second.spawn(Pinger.class, () -> new PingerActor(firstPonger));
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(flooders.size());
    for (int i = 0; i < flooders.size(); i++) {
      flooders.get(i).flood(sinks.get(i), stop, finished);
    }
    try {
      Mono<Long> there = crossing.run(5_000);
      Mono<Long> andBack = back.run(5_000);
      assertThat(there.block(WAIT)).isEqualTo(5_000L);
      assertThat(andBack.block(WAIT)).isEqualTo(5_000L);
      for (long call = 1; call <= 100; call++) {
        // each ponger has counted its pinger's 5,000 pings: ingress pings come after them
        assertThat(firstPonger.ping().block(WAIT)).isEqualTo(5_000L + call);
        assertThat(secondPonger.ping().block(WAIT)).isEqualTo(5_000L + call);
      }
    } finally {
      stop.set(true);
    }
    awaitOpen(finished, "every flood ended");
    for (int i = 0; i < flooders.size(); i++) {
      long sent = flooders.get(i).sent().block(WAIT);
      long[] totals = sinks.get(i).totals().block(WAIT);
      assertThat(totals[1]).as("messages out of order at sink %d", i).isZero();
      assertThat(totals[0]).as("messages received by sink %d", i).isEqualTo(sent).isPositive();
    }
  }

  @Test
  @DisplayName("R2 an actor of one system whose mailbox never runs empty lets the other system's"
      + " actors queued behind a blocked thread of the shared pool run")
  void aBusyActorOfOneSystemLetsTheOtherSystemsQueuedActorsRun() throws Exception {
    // the spinner's thread takes the releaser, of the other system, and runs it as its hand-off
    PoolSchedulingTest.busyActorLetsQueuedActorRun(first, second);
    // both systems go on serving calls afterwards
    Ponger a = first.spawn(Ponger.class, PongerActor::new);
    Ponger b = second.spawn(Ponger.class, PongerActor::new);
    assertThat(a.ping().block(WAIT)).isEqualTo(1L);
    assertThat(b.ping().block(WAIT)).isEqualTo(1L);
  }

  @Test
  @DisplayName("R12a closing one system leaves the shared pool and the other system running; its"
      + " actors refuse the other system's calls with code 2, which changes no committed state")
  void closingOneSystemLeavesThePoolAndTheOtherSystemRunning() {
    Account closing = first.spawn(Account.class, AccountActor::new);
    Account staying = second.spawn(Account.class, AccountActor::new);
    Account neighbour = second.spawn(Account.class, AccountActor::new);
    assertThat(staying.transfer(closing, 100, false).block(WAIT)).isTrue();

    first.close();

    assertThat(pool.isDisposed()).as("the pool belongs to the application").isFalse();
    assertThatThrownBy(() -> closing.balance().block(WAIT))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    // the credit is refused, so the transfer refunds the debit in its continuation
    assertThat(staying.transfer(closing, 50, false).block(WAIT)).isFalse();
    assertThat(staying.balance().block(WAIT)).isEqualTo(900L);
    assertThat(staying.transfer(neighbour, 400, false).block(WAIT)).isTrue();
    assertThat(staying.balance().block(WAIT)).isEqualTo(500L);
    assertThat(neighbour.balance().block(WAIT)).isEqualTo(1_400L);
    Account spawnedAfter = second.spawn(Account.class, AccountActor::new);
    assertThat(spawnedAfter.transfer(neighbour, 1_000, false).block(WAIT)).isTrue();
    assertThat(neighbour.balance().block(WAIT)).isEqualTo(2_400L);
  }
}

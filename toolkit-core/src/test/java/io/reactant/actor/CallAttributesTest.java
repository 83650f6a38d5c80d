package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Rule R22: bounded-wait calls and the cycles budget, on virtual time. */
class CallAttributesTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Slow {
    Mono<Long> work(Duration duration);

    @Query
    Mono<Long> progress();
  }

  static final class SlowActor extends Actor implements Slow {
    private final Var<Long> progress = newVar("progress", 0L);
    private final DeterministicScheduler clock;

    SlowActor(DeterministicScheduler clock) {
      this.clock = clock;
    }

    @Override
    public Mono<Long> work(Duration duration) {
      progress.set(1L);
      return await(Mono.delay(duration, clock)).map(t -> progress.update(p -> p + 1));
    }

    @Override
    public Mono<Long> progress() {
      return Mono.just(progress.get());
    }
  }

  public interface Boss {
    Mono<String> delegate(Slow worker, Duration work, Duration patience);
  }

  static final class BossActor extends Actor implements Boss {
    @Override
    public Mono<String> delegate(Slow worker, Duration work, Duration patience) {
      return await(CallOptions.timeout(patience).on(worker).work(work))
          .map(v -> "done " + v)
          .onErrorResume(CallError.class, e -> Mono.just("gave up with code " + e.code().code()));
    }
  }

  @Test
  @DisplayName("R22 a bounded-wait call to an actor that never answers in time fails with code 6 while the callee later commits")
  void timeoutGivesCodeSixAndTheCalleeCommitsLater() {
    Slow slow = system.spawn(Slow.class, () -> new SlowActor(scheduler));
    Slow impatient = CallOptions.timeout(Duration.ofSeconds(1)).on(slow);
    Mono<Long> f = impatient.work(Duration.ofSeconds(10));
    AtomicReference<Throwable> error = new AtomicReference<>();
    f.subscribe(v -> { }, error::set);
    scheduler.advanceTimeBy(Duration.ofMillis(999));
    assertThat(error.get()).isNull();
    scheduler.advanceTimeBy(Duration.ofMillis(1));
    assertThat(error.get()).isInstanceOfSatisfying(CallError.class, e -> {
      assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN);
      assertThat(e.rejectMessage()).contains("timed out after PT1S");
    });
    assertThat(slow.progress().block()).as("committed at its await").isEqualTo(1L);
    scheduler.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(slow.progress().block()).as("the callee was not cancelled").isEqualTo(2L);
    AtomicReference<Throwable> later = new AtomicReference<>();
    f.subscribe(v -> { }, later::set);
    assertThat(later.get()).as("the late reply is dropped").isSameAs(error.get());
  }

  public interface Payer {
    /** Attaches {@code cycles} to a bounded-wait call, then tells its outcome and the refund. */
    Mono<String> payImpatiently(Slow worker, long cycles, Duration work, Duration patience);
  }

  static final class PayerActor extends Actor implements Payer {
    @Override
    public Mono<String> payImpatiently(Slow worker, long cycles, Duration work,
        Duration patience) {
      return await(CallOptions.timeout(patience).withCycles(cycles).on(worker).work(work))
          .map(v -> "done")
          .onErrorResume(CallError.class, e -> Mono.just("gave up with code " + e.code().code()))
          .map(s -> s + ", refunded " + cyclesRefunded());
    }
  }

  @Test
  @DisplayName("R22 after a bounded wait ran out (code 6), cyclesRefunded() is 0 whenever the"
      + " late reply lands, and the unaccepted cycles still return to the balance")
  void refundAfterATimeoutIsZero() {
    java.util.Set<String> outcomes = new java.util.TreeSet<>();
    for (long seed = 0; seed < 40; seed++) {
      // a busy pool: every turn waits up to a second, so the late reply lands before or after
      // the caller's continuation, depending on the seed
      DeterministicScheduler busy =
          DeterministicScheduler.withRunDelays(seed, Duration.ofSeconds(1));
      try (ActorSystem s = TestSystems.on(busy)) {
        Slow slow = s.spawn(Slow.class, () -> new SlowActor(busy));
        Payer payer = s.spawn(Payer.class, PayerActor::new);
        s.topUp(ActorRefs.idOf(payer), 1_000);
        Mono<String> paid =
            payer.payImpatiently(slow, 100, Duration.ofSeconds(1), Duration.ofSeconds(1));
        busy.advanceTimeBy(Duration.ofSeconds(10));
        String outcome = busy.await(paid);
        assertThat(outcome).as("seed %d", seed)
            .isIn("done, refunded 100", "gave up with code 6, refunded 0");
        outcomes.add(outcome);
        assertThat(s.cyclesBalance(ActorRefs.idOf(payer))).as("seed %d", seed).isEqualTo(1_000L);
      }
    }
    assertThat(outcomes).contains("gave up with code 6, refunded 0");
  }

  @Test
  @DisplayName("R22 a reply within the bounded wait is delivered and the timeout never fires")
  void replyInTimeWins() {
    Slow slow = system.spawn(Slow.class, () -> new SlowActor(scheduler));
    Mono<Long> f = CallOptions.timeout(Duration.ofSeconds(5)).on(slow).work(Duration.ofSeconds(1));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(scheduler.await(f)).isEqualTo(2L);
    scheduler.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(f.block()).isEqualTo(2L);
  }

  @Test
  @DisplayName("R22 an actor can bound its wait for another actor and handle code 6")
  void actorBoundsItsWait() {
    Slow slow = system.spawn(Slow.class, () -> new SlowActor(scheduler));
    Boss boss = system.spawn(Boss.class, BossActor::new);
    Mono<String> f = boss.delegate(slow, Duration.ofSeconds(30), Duration.ofSeconds(2));
    scheduler.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(scheduler.await(f)).isEqualTo("gave up with code 6");
    Mono<String> g = boss.delegate(slow, Duration.ofSeconds(1), Duration.ofSeconds(2));
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(scheduler.await(g)).startsWith("done");
  }

  @Test
  @DisplayName("R22 the system-wide default timeout applies to calls without their own")
  void defaultTimeoutApplies() {
    system.close();
    system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .defaultCallTimeout(Duration.ofSeconds(3)).build());
    Slow slow = system.spawn(Slow.class, () -> new SlowActor(scheduler));
    Mono<Long> f = slow.work(Duration.ofMinutes(1));
    scheduler.advanceTimeBy(Duration.ofSeconds(3));
    assertThatThrownBy(() -> scheduler.await(f)).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_UNKNOWN));
  }

  @Test
  @DisplayName("R22 R12a a bounded call whose timer the scheduler refuses (one the application"
      + " disposed) is refused with code 2, clean, never queued nor left waiting unbounded: from"
      + " outside and from an actor alike, told once each, its mailbox place given back")
  void aBoundedCallWhoseTimerTheSchedulerRefusesFailsWithCode2() {
    DeterministicScheduler ticks = DeterministicScheduler.create();
    reactor.core.scheduler.Scheduler refusingDelays = new TimersTest.DelegatingScheduler(ticks) {
      @Override
      public reactor.core.Disposable schedule(Runnable task, long delay,
          java.util.concurrent.TimeUnit unit) {
        if (delay > 0) {
          throw new java.util.concurrent.RejectedExecutionException("disposed");
        }
        return super.schedule(task, delay, unit);
      }
    };
    List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActorSystem refusing = ActorSystem.create(ActorSystemConfig.builder().name("refusing")
        .scheduler(refusingDelays).mailboxCapacity(1).listener(new TurnListener() {
          @Override
          public void callRejected(ActorId actor, String method, RejectCode code) {
            told.add(actor + " " + method + " " + code);
          }
        }).build())) {
      Slow slow = refusing.spawn(Slow.class, ActorId.of("slow"), () -> new SlowActor(ticks));
      Boss boss = refusing.spawn(Boss.class, ActorId.of("boss"), BossActor::new);
      AtomicReference<Object> ingress = new AtomicReference<>();
      CallOptions.timeout(Duration.ofSeconds(1)).on(slow).work(Duration.ofSeconds(10))
          .subscribe(ingress::set, ingress::set);
      Mono<String> delegated = boss.delegate(slow, Duration.ofSeconds(10), Duration.ofSeconds(2));
      ticks.advanceTimeBy(Duration.ofMinutes(1));
      assertThat(ingress.get()).isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT);
        assertThat(e.rejectMessage()).isEqualTo("The scheduler of the actor system 'refusing'"
            + " refused the bounded wait of the call to Slow.work() on slow: it was not queued");
      });
      assertThat(ticks.await(delegated)).isEqualTo("gave up with code 2");
      assertThat(slow.progress().block()).as("the callee never ran either call").isZero();
      assertThat(ticks.await(slow.work(Duration.ZERO)))
          .as("an unbounded call finds the place the refused ones took in the mailbox of one")
          .isEqualTo(2L);
      assertThat(told).containsExactly("slow work SYS_TRANSIENT", "slow work SYS_TRANSIENT");
    }
  }

  @Test
  @DisplayName("R22 R12a under contention, the places that refused bounded calls give back keep a"
      + " bounded mailbox's count exact: 8 threads send bounded calls (refused, their timers"
      + " refused) beside unbounded ones; every unbounded one is queued, the depth is theirs, and"
      + " once they ran the mailbox takes its capacity again, exactly")
  void refusedBoundedCallsKeepTheMailboxCountExactUnderContention() throws Exception {
    DeterministicScheduler ticks = DeterministicScheduler.create();
    reactor.core.scheduler.Scheduler refusingDelays = new TimersTest.DelegatingScheduler(ticks) {
      @Override
      public reactor.core.Disposable schedule(Runnable task, long delay,
          java.util.concurrent.TimeUnit unit) {
        if (delay > 0) {
          throw new java.util.concurrent.RejectedExecutionException("disposed");
        }
        return super.schedule(task, delay, unit);
      }
    };
    int capacity = 64;
    int threads = 8;
    int boundedPerThread = 400;
    int unboundedPerThread = 4; // 32 queued + at most 8 places held for a moment: never full
    java.util.concurrent.atomic.AtomicInteger told =
        new java.util.concurrent.atomic.AtomicInteger();
    try (ActorSystem refusing = ActorSystem.create(ActorSystemConfig.builder().name("contended")
        .scheduler(refusingDelays).mailboxCapacity(capacity).listener(new TurnListener() {
          @Override
          public void callRejected(ActorId actor, String method, RejectCode code) {
            told.incrementAndGet();
          }
        }).build())) {
      ActorId id = ActorId.of("slow");
      Slow slow = refusing.spawn(Slow.class, id, () -> new SlowActor(ticks));
      Slow bounded = CallOptions.timeout(Duration.ofSeconds(1)).on(slow);
      List<Mono<Long>> unbounded = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.Set<String> boundedOutcomes = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          sent.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < boundedPerThread; i++) {
              if (i % (boundedPerThread / unboundedPerThread) == 0) {
                unbounded.add(slow.work(Duration.ZERO));
              }
              bounded.work(Duration.ZERO).subscribe(v -> boundedOutcomes.add("ran " + v),
                  e -> boundedOutcomes.add(((CallError) e).code() + " "
                      + ((CallError) e).rejectMessage()));
            }
            return null;
          }));
        }
        for (java.util.concurrent.Future<?> f : sent) {
          f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(boundedOutcomes).containsExactly("SYS_TRANSIENT The scheduler of the actor"
          + " system 'contended' refused the bounded wait of the call to Slow.work() on slow: it"
          + " was not queued");
      assertThat(told).as("each bounded call told once").hasValue(threads * boundedPerThread);
      assertThat(unbounded).hasSize(threads * unboundedPerThread);
      assertThat(refusing.mailboxDepth(id)).as("only the unbounded calls hold places")
          .isEqualTo(threads * unboundedPerThread);
      List<java.util.concurrent.CompletableFuture<Long>> replies = new ArrayList<>();
      for (Mono<Long> m : unbounded) {
        replies.add(m.toFuture());
      }
      ticks.runUntilIdle();
      assertThat(replies).as("every unbounded call was queued, and ran")
          .allSatisfy(r -> assertThat(r).isCompleted());
      assertThat(refusing.mailboxDepth(id)).isZero();

      List<java.util.concurrent.CompletableFuture<Long>> refill = new ArrayList<>();
      for (int i = 0; i <= capacity; i++) {
        refill.add(slow.work(Duration.ZERO).toFuture());
      }
      assertThat(refill.subList(0, capacity)).as("the mailbox takes its capacity again")
          .noneSatisfy(r -> assertThat(r).isDone());
      assertThat(refill.get(capacity)).as("and not one call more")
          .failsWithin(Duration.ZERO)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause().isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
              .contains("is full (capacity " + capacity + ")"));
      ticks.runUntilIdle();
      assertThat(refill.subList(0, capacity)).allSatisfy(r -> assertThat(r).isCompleted());
    }
  }

  // ---- cycles

  public interface PiggyBank {
    Mono<Long> deposit();

    Mono<Long> depositThenTrap();

    @Query
    Mono<Long> savings();
  }

  static final class PiggyBankActor extends Actor implements PiggyBank {
    private final long capacity;

    PiggyBankActor(long capacity) {
      this.capacity = capacity;
    }

    @Override
    public Mono<Long> deposit() {
      long room = capacity - cyclesBalance();
      return Mono.just(acceptCycles(Math.min(room, cyclesAvailable())));
    }

    @Override
    public Mono<Long> depositThenTrap() {
      acceptCycles(cyclesAvailable());
      return trap("changed my mind");
    }

    @Override
    public Mono<Long> savings() {
      return Mono.just(cyclesBalance());
    }
  }

  public interface Wallet {
    Mono<String> save(PiggyBank bank, long amount, boolean trapping);

    Mono<Void> attachThenTrap(PiggyBank bank, long amount);

    /** What {@code cyclesRefunded()} says in a call that awaited nothing. */
    Mono<Long> refundSeenWithoutAwait();

    /** Pays {@code amount} to each bank, awaiting the calls through a Mono built on them. */
    Mono<String> saveThrough(String shape, List<PiggyBank> banks, long amount);

    @Query
    Mono<Long> cycles();
  }

  static final class WalletActor extends Actor implements Wallet {
    @Override
    public Mono<String> save(PiggyBank bank, long amount, boolean trapping) {
      PiggyBank paying = CallOptions.cycles(amount).on(bank);
      Mono<Long> sent = trapping ? paying.depositThenTrap() : paying.deposit();
      long afterAttaching = cyclesBalance();
      return await(sent)
          .map(accepted -> "accepted " + accepted)
          .onErrorResume(CallError.class, e -> Mono.just("failed " + e.code().code()))
          .map(s -> s + ", refunded " + cyclesRefunded() + ", balance while waiting " + afterAttaching
              + ", balance now " + cyclesBalance());
    }

    @Override
    public Mono<Void> attachThenTrap(PiggyBank bank, long amount) {
      CallOptions.cycles(amount).on(bank).deposit();
      return trap("never mind");
    }

    @Override
    public Mono<Long> refundSeenWithoutAwait() {
      return Mono.just(cyclesRefunded());
    }

    @Override
    public Mono<String> saveThrough(String shape, List<PiggyBank> banks, long amount) {
      Mono<?> awaited = switch (shape) {
        case "map" -> CallOptions.cycles(amount).on(banks.get(0)).deposit().map(a -> a + 1);
        case "defer" -> Mono.defer(() -> CallOptions.cycles(amount).on(banks.get(0)).deposit());
        case "nested" ->
            Mono.defer(() -> await(CallOptions.cycles(amount).on(banks.get(0)).deposit()));
        case "zip" -> Mono.zip(CallOptions.cycles(amount).on(banks.get(0)).deposit(),
            CallOptions.cycles(amount).on(banks.get(1)).deposit());
        case "twice" -> {
          Mono<Long> once = CallOptions.cycles(amount).on(banks.get(0)).deposit();
          yield Mono.zip(once, once.map(a -> a + 1)); // one reply, received twice
        }
        default -> Mono.just(0L);
      };
      return await(awaited).map(v -> "refunded " + cyclesRefunded());
    }

    @Override
    public Mono<Long> cycles() {
      return Mono.just(cyclesBalance());
    }
  }

  @Test
  @DisplayName("R22 a deposit above an account's capacity refunds the rest to the caller")
  void depositAboveCapacityRefundsTheRest() {
    PiggyBank bank = system.spawn(PiggyBank.class, () -> new PiggyBankActor(500));
    Wallet wallet = system.spawn(Wallet.class, WalletActor::new);
    system.topUp(ActorRefs.idOf(wallet), 1_000);
    assertThat(scheduler.await(wallet.save(bank, 700, false)))
        .isEqualTo("accepted 500, refunded 200, balance while waiting 300, balance now 500");
    assertThat(bank.savings().block()).isEqualTo(500L);
    assertThat(system.cyclesBalance(ActorRefs.idOf(wallet))).isEqualTo(500L);
  }

  @Test
  @DisplayName("R22 cyclesRefunded belongs to the call that awaited: another call of the actor sees 0")
  void refundedCyclesArePerCall() {
    PiggyBank bank = system.spawn(PiggyBank.class, () -> new PiggyBankActor(500));
    Wallet wallet = system.spawn(Wallet.class, WalletActor::new);
    system.topUp(ActorRefs.idOf(wallet), 1_000);
    assertThat(scheduler.await(wallet.save(bank, 700, false))).contains("refunded 200");
    assertThat(scheduler.await(wallet.refundSeenWithoutAwait())).isZero();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"map, 200", "defer, 200", "nested, 200",
      "zip, 400", "just, 0"})
  @DisplayName("R22 after an await of a Mono built on call futures (f.map(g), a defer, a zip, a"
      + " defer of an await), cyclesRefunded() is the sum of the refunds of the replies it"
      + " received, as after await(f)")
  void refundThroughAnAwaitedMono(String shape, long refunded) {
    List<PiggyBank> banks = List.of(system.spawn(PiggyBank.class, () -> new PiggyBankActor(500)),
        system.spawn(PiggyBank.class, () -> new PiggyBankActor(500)));
    Wallet wallet = system.spawn(Wallet.class, WalletActor::new);
    system.topUp(ActorRefs.idOf(wallet), 2_000);
    assertThat(scheduler.await(wallet.saveThrough(shape, banks, 700)))
        .isEqualTo("refunded " + refunded);
  }

  /** A bank that races a deposit to itself, with cycles, against a value it has at once. */
  public interface SelfRacer extends PiggyBank {
    Mono<String> raceOwnDeposit(long amount);
  }

  static final class SelfRacerActor extends Actor implements SelfRacer {
    @Override
    public Mono<String> raceOwnDeposit(long amount) {
      // Mono.just wins the race at once; the call outlives it in the subscription the cache
      // keeps, and its reply comes after the awaited Mono signalled, but before the continuation
      // runs (the deposit is queued before it, rule R13)
      Mono<Long> own = CallOptions.cycles(amount).on(self(SelfRacer.class)).deposit().cache();
      return await(Mono.firstWithValue(own, Mono.just(-1L)))
          .map(v -> "got " + v + ", refunded " + cyclesRefunded());
    }

    @Override
    public Mono<Long> deposit() {
      return Mono.just(acceptCycles(Math.min(500, cyclesAvailable())));
    }

    @Override
    public Mono<Long> depositThenTrap() {
      return trap("not used");
    }

    @Override
    public Mono<Long> savings() {
      return Mono.just(cyclesBalance());
    }
  }

  @Test
  @DisplayName("R22 a reply that comes after the awaited Mono signalled (a race Mono.just won, a"
      + " cached call outliving it) is not reported by cyclesRefunded(), even when it landed"
      + " before the continuation ran; its cycles return to the balance all the same")
  void refundOfAReplyAfterTheAwaitedMonoSignalledIsNotReported() {
    SelfRacer racer = system.spawn(SelfRacer.class, SelfRacerActor::new);
    system.topUp(ActorRefs.idOf(racer), 2_000);
    assertThat(scheduler.await(racer.raceOwnDeposit(700))).isEqualTo("got -1, refunded 0");
    scheduler.runUntilIdle();
    assertThat(system.cyclesBalance(ActorRefs.idOf(racer))).isEqualTo(2_000L);
  }

  @Test
  @DisplayName("R22 a reply that the awaited Mono receives twice (a zip of one call future with"
      + " itself) brings its refund once: cyclesRefunded() is what returned to the balance, 200")
  void refundOfAReplyReceivedTwiceCountsOnce() {
    List<PiggyBank> banks = List.of(system.spawn(PiggyBank.class, () -> new PiggyBankActor(500)));
    Wallet wallet = system.spawn(Wallet.class, WalletActor::new);
    system.topUp(ActorRefs.idOf(wallet), 2_000);
    assertThat(scheduler.await(wallet.saveThrough("twice", banks, 700)))
        .isEqualTo("refunded 200");
    assertThat(system.cyclesBalance(ActorRefs.idOf(wallet))).isEqualTo(2_000L - 700 + 200);
  }

  @Test
  @DisplayName("R22 a callee that traps returns all the attached cycles")
  void trappingCalleeRefundsEverything() {
    PiggyBank bank = system.spawn(PiggyBank.class, () -> new PiggyBankActor(500));
    Wallet wallet = system.spawn(Wallet.class, WalletActor::new);
    system.topUp(ActorRefs.idOf(wallet), 1_000);
    assertThat(scheduler.await(wallet.save(bank, 300, true)))
        .isEqualTo("failed 5, refunded 300, balance while waiting 700, balance now 1000");
    assertThat(bank.savings().block()).isZero();
  }

  @Test
  @DisplayName("R22 no cycles are taken when the send is revoked by a trap")
  void revokedSendTakesNothing() {
    PiggyBank bank = system.spawn(PiggyBank.class, () -> new PiggyBankActor(500));
    Wallet wallet = system.spawn(Wallet.class, WalletActor::new);
    system.topUp(ActorRefs.idOf(wallet), 1_000);
    assertThatThrownBy(() -> scheduler.await(wallet.attachThenTrap(bank, 400))).isInstanceOf(CallError.class);
    assertThat(wallet.cycles().block()).isEqualTo(1_000L);
    assertThat(bank.savings().block()).isZero();
  }

  @Test
  @DisplayName("R22 a call to an unknown actor returns the attached cycles")
  void unknownDestinationRefundsEverything() {
    Wallet wallet = system.spawn(Wallet.class, WalletActor::new);
    system.topUp(ActorRefs.idOf(wallet), 100);
    PiggyBank ghost = system.lookup(PiggyBank.class, ActorId.of("ghost"));
    assertThat(scheduler.await(wallet.save(ghost, 60, false)))
        .isEqualTo("failed 3, refunded 60, balance while waiting 40, balance now 100");
  }

  @Test
  @DisplayName("R22 R12 attaching more cycles than the balance holds is a trap")
  void attachingTooMuchTraps() {
    PiggyBank bank = system.spawn(PiggyBank.class, () -> new PiggyBankActor(500));
    Wallet wallet = system.spawn(Wallet.class, WalletActor::new);
    system.topUp(ActorRefs.idOf(wallet), 10);
    assertThatThrownBy(() -> scheduler.await(wallet.save(bank, 11, false)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("out of cycles");
        });
    assertThat(wallet.cycles().block()).isEqualTo(10L);
  }

  public interface Greeter {
    /** Calls {@code friend}, attaching no cycles of its own. */
    Mono<Long> greet(PiggyBank friend);
  }

  static final class GreeterActor extends Actor implements Greeter {
    @Override
    public Mono<Long> greet(PiggyBank friend) {
      return await(friend.deposit());
    }
  }

  public interface Lure {
    /** Hands the greeter a reference to {@code bank} that attaches {@code cycles}. */
    Mono<Long> lure(Greeter greeter, PiggyBank bank, long cycles);

    /** Attaches cycles through a reference it made in its constructor. */
    Mono<Long> pay();
  }

  static final class LureActor extends Actor implements Lure {
    private final PiggyBank paying;

    LureActor(PiggyBank bank) {
      this.paying = CallOptions.cycles(30).on(bank);
    }

    @Override
    public Mono<Long> lure(Greeter greeter, PiggyBank bank, long cycles) {
      return await(greeter.greet(CallOptions.cycles(cycles).on(bank)));
    }

    @Override
    public Mono<Long> pay() {
      return await(paying.deposit());
    }
  }

  @Test
  @DisplayName("R22 R21 only the caller's own code attaches its cycles: a reference that attaches"
      + " cycles, received in a message, spends none of the receiver's")
  void receivedReferenceSpendsNoneOfTheReceiversCycles() {
    PiggyBank bank = system.spawn(PiggyBank.class, () -> new PiggyBankActor(1_000));
    Greeter greeter = system.spawn(Greeter.class, GreeterActor::new);
    Lure lure = system.spawn(Lure.class, () -> new LureActor(bank));
    system.topUp(ActorRefs.idOf(greeter), 1_000);
    system.topUp(ActorRefs.idOf(lure), 100);

    assertThat(scheduler.await(lure.lure(greeter, bank, 600))).as("accepted").isZero();
    assertThat(scheduler.await(greeter.greet(CallOptions.cycles(400).on(bank)))).isZero();

    assertThat(system.cyclesBalance(ActorRefs.idOf(greeter))).isEqualTo(1_000L);
    assertThat(system.cyclesBalance(ActorRefs.idOf(lure))).isEqualTo(100L);
    assertThat(bank.savings().block()).isZero();
    assertThat(scheduler.await(lure.pay())).as("its own reference attaches its cycles")
        .isEqualTo(30L);
    assertThat(system.cyclesBalance(ActorRefs.idOf(lure))).isEqualTo(70L);
  }

  public interface Minter {
    /** Tops up its own balance through the host's API, then answers its balance. */
    Mono<Long> mint(long cycles);

    /** As {@link #mint}, but catches what the top-up throws and answers -1. */
    Mono<Long> mintCatching(long cycles);
  }

  final class MinterActor extends Actor implements Minter {
    @Override
    public Mono<Long> mint(long cycles) {
      system.topUp(actorId(), cycles);
      return Mono.just(cyclesBalance());
    }

    @Override
    public Mono<Long> mintCatching(long cycles) {
      try {
        system.topUp(actorId(), cycles);
      } catch (RuntimeException refused) {
        return Mono.just(-1L);
      }
      return Mono.just(cyclesBalance());
    }
  }

  @Test
  @DisplayName("R22 an actor cannot mint cycles through the host's topUp: inside a turn it traps,"
      + " even caught, and the balance is unchanged")
  void topUpInsideATurnTraps() {
    Minter minter = system.spawn(Minter.class, MinterActor::new);
    system.topUp(ActorRefs.idOf(minter), 10);
    for (Mono<Long> attempt : List.of(minter.mint(1_000), minter.mintCatching(1_000))) {
      assertThatThrownBy(() -> scheduler.await(attempt))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("cannot top up")
                .contains("ActorSystem.topUp is the host's");
          });
    }
    assertThat(system.cyclesBalance(ActorRefs.idOf(minter))).isEqualTo(10L);
  }

  @Test
  @DisplayName("R22 only actors attach cycles: an ingress call with cycles is refused")
  void ingressCannotAttachCycles() {
    PiggyBank bank = system.spawn(PiggyBank.class, () -> new PiggyBankActor(500));
    assertThatThrownBy(() -> CallOptions.cycles(5).on(bank).deposit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Only an actor can attach cycles");
  }

  public interface Meter {
    Mono<Long> tick();

    Mono<Long> tickAndSend(Meter other);

    Mono<Long> tickAndSendTwice(Meter other);

    /** Ticks, sets a timer and cancels it: a turn that sends no message. */
    Mono<Long> tickWithTimer();

    /**
     * Sends, in one turn, to each of {@code targets} a tick with {@code cycles} attached and then a
     * query of its ticks, and awaits them all: each outcome ("ok" or "code n") in the order sent,
     * then the refunds the continuation reads and its balance.
     */
    Mono<String> tickAndReadEach(List<Meter> targets, long cycles);

    @Query
    Mono<Long> ticks();
  }

  static final class MeterActor extends Actor implements Meter {
    private final Var<Long> ticks = newVar("ticks", 0L);

    @Override
    public Mono<Long> tick() {
      return Mono.just(ticks.update(t -> t + 1));
    }

    @Override
    public Mono<Long> tickAndSend(Meter other) {
      other.tick();
      return tick();
    }

    @Override
    public Mono<Long> tickAndSendTwice(Meter other) {
      other.tick();
      other.tick();
      return tick();
    }

    @Override
    public Mono<Long> tickWithTimer() {
      cancelTimer(setTimer(Duration.ofMinutes(1), () -> tick()));
      return tick();
    }

    @Override
    public Mono<Long> ticks() {
      return Mono.just(ticks.get());
    }

    @Override
    public Mono<String> tickAndReadEach(List<Meter> targets, long cycles) {
      List<Mono<String>> outcomes = new ArrayList<>();
      for (Meter target : targets) {
        outcomes.add(CallOptions.cycles(cycles).on(target).tick().map(v -> "ok")
            .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code())));
        outcomes.add(target.ticks().map(v -> "ok")
            .onErrorResume(CallError.class, e -> Mono.just("code " + e.code().code())));
      }
      return await(Flux.concat(outcomes).collectList())
          .map(list -> list + ", refunded " + cyclesRefunded() + ", balance " + cyclesBalance());
    }
  }

  @Test
  @DisplayName("R22 R12a a send refused at the commit, before it could be made (no such actor, a"
      + " full mailbox), costs no message fee: its fee and its attached cycles come back, reported"
      + " by cyclesRefunded(), and the balance ActorInfo shows has them")
  void aSendRefusedAtTheCommitCostsNoMessageFee() {
    system.close();
    system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .fees(10, 5).initialBalance(100).mailboxCapacity(1).build());
    Meter a = system.spawn(Meter.class, MeterActor::new);
    Meter b = system.spawn(Meter.class, MeterActor::new);
    Meter c = system.spawn(Meter.class, MeterActor::new);
    Meter ghost = system.lookup(Meter.class, ActorId.of("ghost"));

    // 100 - 10 (turn) - 7 (attached) - 2 x 5 (two messages); both refused: + 7 + 10; - 10 (turn)
    assertThat(scheduler.await(a.tickAndReadEach(List.of(ghost), 7)))
        .isEqualTo("[code 3, code 3], refunded 7, balance 80");
    assertThat(system.cyclesBalance(ActorRefs.idOf(a))).isEqualTo(80L);
    assertThat(system.actor(ActorRefs.idOf(a))).hasValueSatisfying(
        info -> assertThat(info.balance()).isEqualTo(80L));

    // b's mailbox takes one call: c's second tick is refused with code 2 (queries never queue).
    // 100 - 10 - 14 - 4 x 5; the refused tick: + 7 + 5; b's reply to the first: + 7; - 10
    assertThat(scheduler.await(c.tickAndReadEach(List.of(b, b), 7)))
        .isEqualTo("[ok, ok, code 2, ok], refunded 14, balance 65");
    assertThat(system.cyclesBalance(ActorRefs.idOf(c))).isEqualTo(65L);
    assertThat(system.cyclesBalance(ActorRefs.idOf(b))).as("one turn, nothing accepted")
        .isEqualTo(90L);
    assertThat(b.ticks().block()).isOne();
  }

  @Test
  @DisplayName("R22 R12 each turn costs a fee plus a per-message charge; a turn that cannot pay traps")
  void turnsCostCycles() {
    system.close();
    system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .fees(10, 5).initialBalance(25).build());
    Meter a = system.spawn(Meter.class, MeterActor::new);
    Meter b = system.spawn(Meter.class, MeterActor::new);
    ActorId aId = ActorRefs.idOf(a);
    assertThat(scheduler.await(a.tickAndSend(b))).isEqualTo(1L);
    assertThat(system.cyclesBalance(aId)).as("25 - 10 (turn) - 5 (one message)").isEqualTo(10L);
    assertThat(scheduler.await(a.tick())).isEqualTo(2L);
    assertThat(system.cyclesBalance(aId)).isZero();
    assertThatThrownBy(() -> scheduler.await(a.tick()))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("out of cycles").contains("the turn fee");
        });
    assertThat(a.ticks().block()).isEqualTo(2L);
    system.topUp(aId, 100);
    assertThat(scheduler.await(a.tick())).isEqualTo(3L);
    assertThat(system.cyclesBalance(aId)).isEqualTo(90L);
    assertThat(system.cyclesBalance(ActorRefs.idOf(b))).as("b ran one turn").isEqualTo(15L);
  }

  @Test
  @DisplayName("R22 R12 a turn whose sends cannot be paid for traps and sends nothing")
  void unpaidSendsTrap() {
    system.close();
    system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .fees(10, 5).initialBalance(12).build());
    Meter a = system.spawn(Meter.class, MeterActor::new);
    Meter b = system.spawn(Meter.class, MeterActor::new);
    assertThatThrownBy(() -> scheduler.await(a.tickAndSend(b)))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage()).contains("sending 1 messages"));
    assertThat(a.ticks().block()).isZero();
    assertThat(b.ticks().block()).isZero();
    assertThat(system.cyclesBalance(ActorRefs.idOf(a))).as("a trap restores the balance").isEqualTo(12L);
  }

  @Test
  @DisplayName("R22 R25 setting or cancelling a timer sends no message: a turn that only does that"
      + " pays the turn fee, no message fee")
  void timersPayNoMessageFee() {
    system.close();
    system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .fees(10, 5).initialBalance(20).build());
    Meter a = system.spawn(Meter.class, MeterActor::new);
    assertThat(scheduler.await(a.tickWithTimer())).isEqualTo(1L);
    assertThat(system.cyclesBalance(ActorRefs.idOf(a))).as("20 - 10 (turn), nothing sent")
        .isEqualTo(10L);
    assertThat(scheduler.await(a.tickWithTimer())).as("a balance of exactly the turn fee")
        .isEqualTo(2L);
    assertThat(system.cyclesBalance(ActorRefs.idOf(a))).isZero();
    scheduler.advanceTimeBy(Duration.ofMinutes(2));
    assertThat(a.ticks().block()).as("the cancelled timers never fired").isEqualTo(2L);
  }

  @Test
  @DisplayName("R22 R12 a message fee times the sends past Long.MAX_VALUE is more than any balance:"
      + " the turn traps instead of being credited by a product that wrapped negative")
  void hugeMessageFeesTrap() {
    system.close();
    system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .fees(0, Long.MAX_VALUE / 2 + 1).initialBalance(100).build());
    Meter a = system.spawn(Meter.class, MeterActor::new);
    Meter b = system.spawn(Meter.class, MeterActor::new);
    assertThatThrownBy(() -> scheduler.await(a.tickAndSendTwice(b)))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("out of cycles").contains("sending 2 messages"));
    assertThat(a.ticks().block()).isZero();
    assertThat(b.ticks().block()).isZero();
    assertThat(system.cyclesBalance(ActorRefs.idOf(a))).isEqualTo(100L);
  }

  @Test
  @DisplayName("R22 R12 a message fee times the sends past Long.MAX_VALUE is more than a balance of"
      + " Long.MAX_VALUE too: the turn traps instead of paying the saturated product")
  void hugeMessageFeesTrapAFullBalance() {
    system.close();
    system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler)
        .fees(0, Long.MAX_VALUE / 2 + 1).initialBalance(Long.MAX_VALUE).build());
    Meter a = system.spawn(Meter.class, MeterActor::new);
    Meter b = system.spawn(Meter.class, MeterActor::new);
    assertThatThrownBy(() -> scheduler.await(a.tickAndSendTwice(b)))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("out of cycles").contains("sending 2 messages"));
    scheduler.runUntilIdle();
    assertThat(a.ticks().block()).isZero();
    assertThat(b.ticks().block()).isZero();
    assertThat(system.cyclesBalance(ActorRefs.idOf(a))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  @DisplayName("R22 call options are validated and compare as values")
  void callOptionsAreValues() {
    assertThatThrownBy(() -> CallOptions.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CallOptions.cycles(-1)).isInstanceOf(IllegalArgumentException.class);
    CallOptions o = CallOptions.timeout(Duration.ofSeconds(1)).withCycles(3);
    assertThat(o).isEqualTo(CallOptions.cycles(3).withTimeout(Duration.ofSeconds(1)));
    assertThat(o.boundedWait()).contains(Duration.ofSeconds(1));
    assertThat(o.attachedCycles()).isEqualTo(3);
    assertThat(CallOptions.none().boundedWait()).isEmpty();
    assertThatThrownBy(() -> o.on("not a reference")).isInstanceOf(IllegalArgumentException.class);
  }
}

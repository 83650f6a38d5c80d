package io.reactant.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class DeterministicSchedulerTest {

  public interface Journal {
    Mono<Void> write(String entry);

    Mono<Void> relay(Journal target, String prefix, int count);

    @Query
    Mono<List<String>> entries();
  }

  static final class JournalActor extends Actor implements Journal {
    private final Var<List<String>> entries = newVar("entries", List.of());

    @Override
    public Mono<Void> write(String entry) {
      List<String> next = new ArrayList<>(entries.get());
      next.add(entry);
      entries.set(List.copyOf(next));
      return done();
    }

    @Override
    public Mono<Void> relay(Journal target, String prefix, int count) {
      Mono<Void> all = Mono.empty();
      for (int i = 0; i < count; i++) {
        all = all.then(await(target.write(prefix + i)));
      }
      return all;
    }

    @Override
    public Mono<List<String>> entries() {
      return Mono.just(entries.get());
    }
  }

  private static List<String> interleaving(DeterministicScheduler scheduler) {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Journal journal = system.spawn(Journal.class, JournalActor::new);
      List<Journal> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        writers.add(system.spawn(Journal.class, JournalActor::new));
      }
      for (int w = 0; w < writers.size(); w++) {
        writers.get(w).relay(journal, "w" + w + ":", 5);
      }
      scheduler.runUntilIdle();
      return journal.entries().block();
    }
  }

  @Test
  @DisplayName("R4 the same seed replays the same interleaving of actors")
  void sameSeedSameInterleaving() {
    assertThat(interleaving(DeterministicScheduler.withSeed(99)))
        .isEqualTo(interleaving(DeterministicScheduler.withSeed(99)))
        .hasSize(20);
  }

  @Test
  @DisplayName("R4 different seeds explore different interleavings")
  void differentSeedsDiffer() {
    Set<List<String>> seen = new HashSet<>();
    for (long seed = 0; seed < 10; seed++) {
      seen.add(interleaving(DeterministicScheduler.withSeed(seed)));
    }
    assertThat(seen).hasSizeGreaterThan(1);
  }

  public interface Slow {
    Mono<String> answerAfter(Duration delay);
  }

  static final class SlowActor extends Actor implements Slow {
    private final DeterministicScheduler clock;

    SlowActor(DeterministicScheduler clock) {
      this.clock = clock;
    }

    @Override
    public Mono<String> answerAfter(Duration delay) {
      return await(Mono.delay(delay, clock)).map(t -> "answered");
    }
  }

  /** A call with a bounded wait of 1 s whose callee answers after awaiting 1 s: due together. */
  private static String timeoutAgainstReply(DeterministicScheduler scheduler) {
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Slow slow = system.spawn(Slow.class, () -> new SlowActor(scheduler));
      Mono<String> call = io.reactant.call.CallOptions.timeout(Duration.ofSeconds(1)).on(slow)
          .answerAfter(Duration.ofSeconds(1));
      try {
        return scheduler.await(call, Duration.ofSeconds(1));
      } catch (io.reactant.error.CallError e) {
        return e.code().name();
      }
    }
  }

  @Test
  @DisplayName("R22 tasks due at the same instant run in submission order without a seed; a seed"
      + " permutes them, so seeds explore a bounded wait against a reply due at the same instant")
  void seedsPermuteTasksDueAtTheSameInstant() {
    assertThat(timeoutAgainstReply(DeterministicScheduler.create()))
        .as("the bounded wait, scheduled first, expires first").isEqualTo("SYS_UNKNOWN");
    Set<String> outcomes = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      String outcome = timeoutAgainstReply(DeterministicScheduler.withSeed(seed));
      assertThat(timeoutAgainstReply(DeterministicScheduler.withSeed(seed)))
          .as("seed %d replays", seed).isEqualTo(outcome);
      outcomes.add(outcome);
    }
    assertThat(outcomes).containsExactlyInAnyOrder("SYS_UNKNOWN", "answered");

    Set<List<String>> orders = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      DeterministicScheduler scheduler = DeterministicScheduler.withSeed(seed);
      List<String> ran = new ArrayList<>();
      scheduler.schedule(() -> ran.add("a"), 1, TimeUnit.SECONDS);
      scheduler.schedule(() -> ran.add("b"), 1, TimeUnit.SECONDS);
      scheduler.schedule(() -> ran.add("c"), 2, TimeUnit.SECONDS);
      scheduler.advanceTimeBy(Duration.ofSeconds(2));
      assertThat(ran).as("seed %d: by due time first", seed).endsWith("c").hasSize(3);
      orders.add(ran);
    }
    assertThat(orders).containsExactlyInAnyOrder(List.of("a", "b", "c"), List.of("b", "a", "c"));
  }

  @Test
  @DisplayName("delayed tasks run in time order at their due time, and never before")
  void delayedTasksRunInTimeOrder() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add("b@2s"), 2, TimeUnit.SECONDS);
    scheduler.schedule(() -> ran.add("a@1s"), 1, TimeUnit.SECONDS);
    Disposable cancelled = scheduler.schedule(() -> ran.add("cancelled"), 1, TimeUnit.SECONDS);
    cancelled.dispose();
    scheduler.schedulePeriodically(() -> ran.add("tick@" + scheduler.now(TimeUnit.SECONDS)), 1, 1, TimeUnit.SECONDS);
    scheduler.advanceTimeBy(Duration.ofMillis(999));
    assertThat(ran).isEmpty();
    scheduler.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(ran).containsExactly("a@1s", "tick@1", "b@2s", "tick@2");
    assertThat(scheduler.now(TimeUnit.MILLISECONDS)).isEqualTo(2_999);
    assertThatThrownBy(() -> scheduler.advanceTimeBy(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a delay too long for the clock never comes due: not at once, nor at the end of time")
  void delaysPastTheEndOfTimeNeverComeDue() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> ran = new ArrayList<>();
    scheduler.advanceTimeBy(Duration.ofSeconds(1));
    scheduler.schedule(() -> ran.add("centuries"), Long.MAX_VALUE - 10, TimeUnit.NANOSECONDS);
    scheduler.schedulePeriodically(() -> ran.add("tick"), Long.MAX_VALUE - 10, 1, TimeUnit.DAYS);
    scheduler.createWorker().schedule(() -> ran.add("worker"), Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    scheduler.advanceTimeBy(Duration.ofDays(365));
    assertThat(ran).isEmpty();
    scheduler.advanceTimeBy(java.time.temporal.ChronoUnit.FOREVER.getDuration());
    assertThat(ran).isEmpty();
    assertThat(scheduler.delayedTasks()).isZero();
  }

  @Test
  @DisplayName("a recurring task whose next firing would pass the end of time (292 years of"
      + " nanoseconds) stops there instead of firing at the end of time, and so does a one-shot"
      + " whose delay added to the clock would pass it; their handles stay live until disposed")
  void firingsPastTheEndOfTimeNeverCome() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> ran = new ArrayList<>();
    Duration century = Duration.ofDays(36_500);
    Disposable recurring = scheduler.schedulePeriodically(
        () -> ran.add("tick at " + scheduler.now(TimeUnit.DAYS)), century.toNanos(),
        century.toNanos(), TimeUnit.NANOSECONDS);
    scheduler.advanceTimeBy(century.multipliedBy(2));
    Disposable late = scheduler.schedule(() -> ran.add("50 years on"), 365L * 50, TimeUnit.DAYS);
    Disposable later = scheduler.schedule(() -> ran.add("145 years on"), 365L * 145, TimeUnit.DAYS);
    Disposable worker = scheduler.createWorker().schedule(() -> ran.add("worker"),
        365L * 145, TimeUnit.DAYS);
    scheduler.advanceTimeBy(java.time.temporal.ChronoUnit.FOREVER.getDuration());
    assertThat(scheduler.now(TimeUnit.NANOSECONDS)).isEqualTo(Long.MAX_VALUE);
    assertThat(ran).containsExactly("tick at 36500", "tick at 73000", "50 years on");
    assertThat(scheduler.delayedTasks()).as("nothing left to fall due").isZero();
    assertThat(List.of(recurring, later, worker)).noneMatch(Disposable::isDisposed);
    assertThat(late.isDisposed()).as("it ran, at 250 years").isTrue();
  }

  @Test
  @DisplayName("moving the clock by more than a long counts in nanoseconds (292 years) takes it to"
      + " the end of time, running what falls due before it, rather than failing with an overflow;"
      + " a task given to run now still runs there, a delayed one never")
  void advancingPastTheEndOfTimeSaturates() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    List<String> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add("a day"), 1, TimeUnit.DAYS);
    scheduler.schedule(() -> ran.add("just before"), Long.MAX_VALUE - 1, TimeUnit.NANOSECONDS);
    scheduler.schedule(() -> ran.add("centuries"), Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    scheduler.advanceTimeBy(Duration.ofDays(365L * 300));
    assertThat(ran).containsExactly("a day", "just before");
    assertThat(scheduler.now(TimeUnit.NANOSECONDS)).isEqualTo(Long.MAX_VALUE);
    scheduler.advanceTimeBy(java.time.temporal.ChronoUnit.FOREVER.getDuration());
    assertThat(scheduler.now(TimeUnit.NANOSECONDS)).isEqualTo(Long.MAX_VALUE);
    scheduler.schedule(() -> ran.add("now, at the end"));
    scheduler.schedule(() -> ran.add("a second after the end"), 1, TimeUnit.SECONDS);
    scheduler.runUntilIdle();
    assertThat(ran).containsExactly("a day", "just before", "now, at the end");

    assertThatThrownBy(() -> DeterministicScheduler.create().await(Mono.never(),
        java.time.temporal.ChronoUnit.FOREVER.getDuration()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not complete within");

    for (Duration maxDelay : List.of(Duration.ofNanos(Long.MAX_VALUE),
        java.time.temporal.ChronoUnit.FOREVER.getDuration())) {
      DeterministicScheduler delaying = DeterministicScheduler.withRunDelays(1, maxDelay);
      AtomicInteger late = new AtomicInteger();
      delaying.execute(late::incrementAndGet);
      delaying.schedule(late::incrementAndGet);
      delaying.advanceTimeBy(maxDelay);
      assertThat(late).as("max delay %s", maxDelay).hasValue(2);
    }
  }

  @Test
  @DisplayName("with run delays, tasks due now wait a seeded time while timers keep theirs, and a seed replays it")
  void runDelaysPostponeTasksNotTimers() {
    List<String> first = runWithDelays(7);
    assertThat(first).as("every task ran").hasSize(21).contains("timer at 1s");
    assertThat(runWithDelays(7)).as("the same seed, the same run").isEqualTo(first);
    assertThat(runWithDelays(8)).as("another seed, another run").isNotEqualTo(first);
  }

  private static List<String> runWithDelays(long seed) {
    DeterministicScheduler scheduler = DeterministicScheduler.withRunDelays(seed, Duration.ofSeconds(2));
    List<String> log = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int n = i;
      scheduler.execute(() -> log.add("task " + n + " at " + scheduler.now(TimeUnit.MILLISECONDS)));
      scheduler.schedule(() -> log.add("scheduled " + n + " at " + scheduler.now(TimeUnit.MILLISECONDS)));
    }
    scheduler.schedule(() -> log.add("timer at " + scheduler.now(TimeUnit.SECONDS) + "s"),
        1, TimeUnit.SECONDS);
    scheduler.runUntilIdle();
    assertThat(log.size()).as("only the tasks drawn a zero wait run without time moving")
        .isLessThan(5);
    scheduler.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(scheduler.readyTasks() + scheduler.delayedTasks()).isZero();
    assertThat(scheduler.toString()).contains("run delays up to PT2S");
    return log;
  }

  @Test
  @DisplayName("R4 with run delays, await(mono, within) answers updates that await(mono) cannot,"
      + " the same way for the same seed")
  void awaitWithinOnRunDelays() {
    List<String> first = awaitedWithRunDelays(11);
    assertThat(first).hasSize(10);
    assertThat(awaitedWithRunDelays(11)).isEqualTo(first);
  }

  private static List<String> awaitedWithRunDelays(long seed) {
    DeterministicScheduler scheduler =
        DeterministicScheduler.withRunDelays(seed, Duration.ofMillis(50));
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Journal journal = system.spawn(Journal.class, JournalActor::new);
      Journal relay = system.spawn(Journal.class, JournalActor::new);
      assertThatThrownBy(() -> scheduler.await(journal.write("first")))
          .as("the actor waits for its run delay").isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("advance the time?");
      scheduler.await(journal.write("again"), Duration.ofSeconds(1));
      List<String> log = new ArrayList<>();
      log.add("wrote at " + scheduler.now(TimeUnit.MICROSECONDS));
      for (int i = 0; i < 8; i++) {
        scheduler.await(relay.relay(journal, "r" + i + ":", 1), Duration.ofSeconds(1));
        log.add("relayed at " + scheduler.now(TimeUnit.MICROSECONDS));
      }
      log.add(String.join(",", journal.entries().block()));
      return log;
    }
  }

  /** Waits on Reactor's default scheduler, as a user's {@code Mono.delay(d)} does. */
  public interface Napper {
    Mono<Long> nap(Duration length);
  }

  static final class NapperActor extends Actor implements Napper {
    @Override
    public Mono<Long> nap(Duration length) {
      return await(Mono.delay(length));
    }
  }

  @Test
  @DisplayName("await names a delay on Reactor's own scheduler when virtual time cannot end it")
  void awaitNamesWallClockDelays() {
    DeterministicScheduler scheduler = DeterministicScheduler.withSeed(3);
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Napper napper = system.spawn(Napper.class, NapperActor::new);
      Mono<Long> nap = napper.nap(Duration.ofHours(1));
      assertThatThrownBy(() -> scheduler.await(nap, Duration.ofHours(2)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("did not complete within PT2H")
          .hasMessageContaining("Mono.delay(d) without a scheduler");
      assertThatThrownBy(() -> scheduler.await(nap))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the scheduler is idle")
          .hasMessageContaining("Mono.delay(d) without a scheduler");
    }
    scheduler.advanceTimeBy(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("await reports a Mono that cannot complete once the scheduler is idle")
  void awaitReportsStuckMonos() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    assertThatThrownBy(() -> scheduler.await(Mono.never()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not complete");
    assertThat(scheduler.await(Mono.delay(Duration.ZERO, scheduler))).isZero();
  }

  @Test
  @DisplayName("a system runs on Reactor's VirtualTimeScheduler, so StepVerifier.withVirtualTime drives actors")
  void worksWithStepVerifierVirtualTime() {
    AtomicReference<ActorSystem> systemRef = new AtomicReference<>();
    AtomicReference<Journal> journalRef = new AtomicReference<>();
    try {
      StepVerifier.withVirtualTime(() -> {
        ActorSystem system = ActorSystem.create(ActorSystemConfig.builder()
            .scheduler(VirtualTimeScheduler.get()).build());
        systemRef.set(system);
        Journal journal = system.spawn(Journal.class, JournalActor::new);
        journalRef.set(journal);
        return Mono.delay(Duration.ofHours(1))                   // a call is sent when it is made:
            .then(Mono.defer(() -> journal.write("an hour later"))) // defer it to the hour
            .then(Mono.defer(journal::entries));
      })
          .expectSubscription()
          .as("nothing before the hour")
          .expectNoEvent(Duration.ofMinutes(59))
          .then(() -> assertThat(journalRef.get().entries().block()).as("not written yet").isEmpty())
          .as("the write after the hour")
          .thenAwait(Duration.ofMinutes(1))
          .expectNext(List.of("an hour later"))
          .verifyComplete();
    } finally {
      closeIfCreated(systemRef);
    }
  }

  /** Closes the system a {@code StepVerifier.withVirtualTime} supplier created, if it did. */
  private static void closeIfCreated(AtomicReference<ActorSystem> systemRef) {
    ActorSystem system = systemRef.get();
    if (system != null) {
      system.close();
    }
  }

  /** Holds stock for a while (a timer) and asks a slow supplier with a bounded wait. */
  public interface Hold {
    Mono<Long> reserve();

    @Query
    Mono<Long> held();

    @Query
    Mono<Long> millisNow();

    Mono<Long> supply();

    Mono<Long> askWithin(Hold supplier, Duration wait);
  }

  static final class HoldActor extends Actor implements Hold {
    private final io.reactant.state.LongVar held = newLongVar("held", 0);

    @Override
    public Mono<Long> reserve() {
      held.add(1);
      setTimer(Duration.ofMinutes(15), () -> {
        held.add(-1);
        return done();
      });
      return Mono.just(held.get());
    }

    @Override
    public Mono<Long> held() {
      return Mono.just(held.get());
    }

    @Override
    public Mono<Long> millisNow() {
      return Mono.just(timeNow().toEpochMilli());
    }

    @Override
    public Mono<Long> supply() {
      return await(Mono.delay(Duration.ofMinutes(5))).thenReturn(5L);
    }

    @Override
    public Mono<Long> askWithin(Hold supplier, Duration wait) {
      return await(io.reactant.call.CallOptions.timeout(wait).on(supplier).supply())
          .onErrorResume(io.reactant.error.CallError.class,
              e -> Mono.just((long) -e.code().code()));
    }
  }

  @Test
  @DisplayName("R22 R25 on Reactor's VirtualTimeScheduler an actor's timers, timeNow and bounded"
      + " waits run on virtual time too, so StepVerifier.withVirtualTime drives them")
  void stepVerifierVirtualTimeDrivesTimersAndTimeouts() {
    AtomicReference<ActorSystem> systemRef = new AtomicReference<>();
    try {
      StepVerifier.withVirtualTime(() -> {
        ActorSystem system = ActorSystem.create(ActorSystemConfig.builder()
            .scheduler(VirtualTimeScheduler.get()).build());
        systemRef.set(system);
        Hold hold = system.spawn(Hold.class, HoldActor::new);
        Hold supplier = system.spawn(Hold.class, HoldActor::new);
        return hold.reserve()
            .concatWith(Mono.delay(Duration.ofMinutes(14)).then(Mono.defer(hold::held)))
            .concatWith(Mono.delay(Duration.ofMinutes(1)).then(Mono.defer(hold::held)))
            .concatWith(Mono.defer(hold::millisNow))
            .concatWith(Mono.defer(() -> hold.askWithin(supplier, Duration.ofMinutes(1))))
            .concatWith(Mono.defer(() -> hold.askWithin(supplier, Duration.ofMinutes(6))));
      })
          .expectNext(1L)
          .thenAwait(Duration.ofMinutes(14))
          .as("held until the timer fires").expectNext(1L)
          .thenAwait(Duration.ofMinutes(1))
          .as("released at 15 minutes").expectNext(0L)
          .as("timeNow reads the virtual clock").expectNext(Duration.ofMinutes(15).toMillis())
          .thenAwait(Duration.ofMinutes(1))
          .as("code 6 after a bounded wait of a minute").expectNext(-6L)
          .thenAwait(Duration.ofMinutes(5))
          .as("answered within six minutes").expectNext(5L)
          .verifyComplete();
    } finally {
      closeIfCreated(systemRef);
    }
  }

  public interface Driver {
    /** Drives the scheduler from inside its turn: what a test may do, an actor may not. */
    Mono<String> driveInside(DeterministicScheduler scheduler, Journal other);
  }

  static final class DriverActor extends Actor implements Driver {
    @Override
    public Mono<String> driveInside(DeterministicScheduler scheduler, Journal other) {
      java.time.Instant before = timeNow();
      scheduler.advanceTimeBy(Duration.ofSeconds(5));
      scheduler.await(other.write("inside"));
      return Mono.just(before + " -> " + timeNow());
    }
  }

  @Test
  @DisplayName("R2 R8 a turn that drives the deterministic scheduler traps, as block() does: time"
      + " never moves inside a turn, and no other turn runs inside it")
  void aTurnCannotDriveTheScheduler() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system =
        ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build())) {
      Journal journal = system.spawn(Journal.class, JournalActor::new);
      Driver driver = system.spawn(Driver.class, DriverActor::new);
      assertThatThrownBy(() -> scheduler.await(driver.driveInside(scheduler, journal)))
          .isInstanceOfSatisfying(io.reactant.error.CallError.class, e -> {
            assertThat(e.code()).isEqualTo(io.reactant.error.RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("advanceTimeBy(Duration) called from a task");
          });
      assertThat(scheduler.now(TimeUnit.NANOSECONDS)).isZero();
      assertThat(journal.entries().block()).isEmpty();
    }
  }

  public interface Blocker {
    Mono<String> blockInside(Journal other);
  }

  static final class BlockerActor extends Actor implements Blocker {
    @Override
    public Mono<String> blockInside(Journal other) {
      try {
        other.entries().block();
        return Mono.just("blocked");
      } catch (IllegalStateException e) {
        return Mono.just("refused: " + e.getMessage());
      }
    }
  }

  @Test
  @DisplayName("R13 block() inside a turn is refused on the work-stealing pool: use await")
  void blockingInsideATurnIsRefused() {
    try (ActorSystem system = ActorSystem.create()) {
      Journal journal = system.spawn(Journal.class, JournalActor::new);
      Blocker blocker = system.spawn(Blocker.class, BlockerActor::new);
      assertThat(blocker.blockInside(journal).block()).startsWith("refused: block()/blockFirst()/blockLast() are blocking");
    }
  }

  @Test
  @DisplayName("the work-stealing scheduler runs immediate, delayed and periodic tasks and can be disposed")
  void workStealingSchedulerRunsTasks() throws Exception {
    WorkStealingScheduler scheduler = WorkStealingScheduler.create("test", 2);
    try {
      assertThat(scheduler.parallelism()).isEqualTo(2);
      CountDownLatch latch = new CountDownLatch(4);
      scheduler.schedule(latch::countDown);
      scheduler.schedule(latch::countDown, 1, TimeUnit.MILLISECONDS);
      Disposable periodic = scheduler.schedulePeriodically(latch::countDown, 1, 1, TimeUnit.MILLISECONDS);
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
      periodic.dispose();
      assertThat(periodic.isDisposed()).isTrue();
      assertThat(Mono.fromCallable(() -> Thread.currentThread().getName()).subscribeOn(scheduler).block())
          .startsWith("test-");
    } finally {
      scheduler.dispose();
    }
    assertThat(scheduler.isDisposed()).isTrue();
  }

  @Test
  @DisplayName("the work-stealing scheduler never runs two executions of one periodic task at once,"
      + " as Reactor's schedulers do (a Flux.interval's onNext must be serial): a firing that"
      + " comes while the last run has not ended is skipped")
  void periodicRunsNeverOverlap() throws Exception {
    WorkStealingScheduler scheduler = WorkStealingScheduler.create("periodic", 2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch ranAgain = new CountDownLatch(1);
    CountDownLatch witnessed = new CountDownLatch(50);
    try {
      Disposable slow = scheduler.schedulePeriodically(() -> {
        if (running.incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
        if (runs.incrementAndGet() == 1) {
          entered.countDown();
          try {
            release.await(30, TimeUnit.SECONDS); // the first run outlasts many periods
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        } else {
          ranAgain.countDown();
        }
        running.decrementAndGet();
      }, 0, 1, TimeUnit.MILLISECONDS);
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      // a witness on the same timer and the other thread: once it ran 50 times, the slow task's
      // timer fired about as often while its first run was held
      Disposable witness = scheduler.schedulePeriodically(witnessed::countDown, 1, 1,
          TimeUnit.MILLISECONDS);
      assertThat(witnessed.await(30, TimeUnit.SECONDS)).isTrue();
      witness.dispose();
      assertThat(overlaps).as("no run started while the first was held").hasValue(0);
      release.countDown();
      assertThat(ranAgain.await(30, TimeUnit.SECONDS)).as("it runs again once done").isTrue();
      slow.dispose();
      assertThat(overlaps).hasValue(0);
    } finally {
      release.countDown();
      scheduler.dispose();
    }
  }

  @Test
  @DisplayName("disposed gracefully, the work-stealing scheduler refuses new tasks at once and"
      + " still runs a delayed task scheduled before, when due")
  void workStealingSchedulerDisposedGracefullyRunsPendingDelays() throws Exception {
    WorkStealingScheduler scheduler = WorkStealingScheduler.create("graceful", 2);
    CountDownLatch ran = new CountDownLatch(1);
    // due once the pool has gone: the timer thread runs it itself
    scheduler.schedule(ran::countDown, 200, TimeUnit.MILLISECONDS);
    scheduler.disposeGracefully().block(Duration.ofSeconds(30));
    assertThat(scheduler.isDisposed()).isTrue();
    assertThatThrownBy(() -> scheduler.schedule(() -> { }))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    assertThatThrownBy(() -> scheduler.schedule(() -> { }, 1, TimeUnit.MILLISECONDS))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    assertThat(ran.await(30, TimeUnit.SECONDS)).as("the delay scheduled before ran").isTrue();
  }
}

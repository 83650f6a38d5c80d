package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.scheduler.WorkStealingScheduler;
import io.reactant.state.LongVar;
import io.reactant.state.TxMap;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * How actors use the threads of the default work-stealing pool: an actor woken by a running actor
 * is handed to the same thread, and the hand-off keeps every message and ordering guarantee under
 * contention.
 */
class PoolSchedulingTest {

  /** Threads that ran a turn of the ping-pong (a test probe, outside the actors' state). */
  static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

  public interface Ponger {
    Mono<Long> ping();
  }

  public interface Pinger {
    Mono<Long> run(int rounds);

    /** Pings until {@code stop} is set, opening {@code warm} at round 10,000; returns the rounds made. */
    Mono<Long> runUntil(AtomicBoolean stop, CountDownLatch warm);
  }

  /** Counts pings across all pongers (a test probe, outside the actors' state). */
  static final AtomicLong PINGS = new AtomicLong();

  /** Rounds of ping-pong made before another actor is queued behind a blocked thread. */
  static final long WARM_ROUNDS = 10_000;

  /**
   * Waits for {@code latch} to open; fails, with the pool threads' stacks, after 60 s. The limit
   * only bounds a failure: on a loaded machine (this JVM starved by other processes on the two
   * cores) a step may take seconds instead of milliseconds.
   */
  static void awaitOpen(CountDownLatch latch, String what) throws InterruptedException {
    assertThat(latch.await(60, TimeUnit.SECONDS)).as(() -> what + "\n" + poolThreads()).isTrue();
  }

  /** Starts a ping-pong that runs until {@code stop} is set and opens {@code warm} at round 10,000. */
  static CompletableFuture<Long> startPingPong(ActorSystem system, AtomicBoolean stop,
      CountDownLatch warm) {
    Ponger ponger = system.spawn(Ponger.class, PongerActor::new);
    Pinger pinger = system.spawn(Pinger.class, () -> new PingerActor(ponger));
    return pinger.runUntil(stop, warm).toFuture();
  }

  /** The stacks of the runtime's pool threads, to tell a stalled actor from a starved JVM. */
  static String poolThreads() {
    StringBuilder dump = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (thread.getName().startsWith("reactant-")) {
        dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
        for (StackTraceElement frame : stack) {
          dump.append("    at ").append(frame).append('\n');
        }
      }
    });
    return dump.toString();
  }

  public interface Releaser {
    /** Sets {@code stop} and opens {@code latch}. */
    void release(AtomicBoolean stop, CountDownLatch latch);
  }

  public interface TaskQueuer {
    /**
     * Schedules {@code task} on {@code pool} (from a pool thread: into this thread's own queue),
     * then blocks its thread until {@code free} opens.
     */
    void queueAndWait(Scheduler pool, Runnable task, CountDownLatch free);
  }

  static final class TaskQueuerActor extends Actor implements TaskQueuer {
    @Override
    public void queueAndWait(Scheduler pool, Runnable task, CountDownLatch free) {
      pool.schedule(task);
      awaitQuietly(free, 120);
    }
  }

  public interface Blocker {
    /** Sends {@code releaser} its message, then queues a {@code block} behind this turn. */
    Mono<Void> start(Releaser releaser, AtomicBoolean stop, CountDownLatch latch);

    /** Blocks its thread until {@code latch} opens. */
    Mono<Boolean> block(CountDownLatch latch);
  }

  static final class ReleaserActor extends Actor implements Releaser {
    @Override
    public void release(AtomicBoolean stop, CountDownLatch latch) {
      stop.set(true);
      latch.countDown();
    }
  }

  static final class BlockerActor extends Actor implements Blocker {
    @Override
    public Mono<Void> start(Releaser releaser, AtomicBoolean stop, CountDownLatch latch) {
      releaser.release(stop, latch); // released first at the commit: the releaser is woken...
      self(Blocker.class).block(latch); // ...then this actor gets more work: the releaser is queued
      return done();
    }

    @Override
    public Mono<Boolean> block(CountDownLatch latch) {
      return Mono.just(awaitQuietly(latch, 120));
    }
  }

  public interface Gate {
    /** Wakes {@code releaser} (a oneway, released at the commit), then queues {@code shut} behind this turn. */
    void open(Releaser releaser, AtomicBoolean stop, CountDownLatch released, CountDownLatch shutting);

    /** Opens {@code shutting}, then blocks its thread until {@code released} opens. */
    void shut(CountDownLatch released, CountDownLatch shutting);
  }

  public interface Holder {
    /**
     * Sends {@code gate} its message, then queues a wait behind this turn: the gate, woken at the
     * commit, goes to this thread's queue, and this thread then blocks until {@code free} opens.
     */
    void hold(Gate gate, Releaser releaser, AtomicBoolean stop, CountDownLatch released,
        CountDownLatch shutting, CountDownLatch free);

    void waitFor(CountDownLatch free);

    /**
     * Sends {@code releaser} its message, then queues a wait behind this turn: the releaser goes to
     * this thread's queue, and this thread then blocks until {@code free} opens.
     */
    void holdBehind(Releaser releaser, AtomicBoolean stop, CountDownLatch released,
        CountDownLatch free);
  }

  public interface Spinner {
    /** Opens {@code spinning}, then sends itself the same message until {@code stop} is set. */
    void spin(AtomicBoolean stop, CountDownLatch spinning);
  }

  public interface Flooder {
    /**
     * Sends {@code sink} its next number, then itself the same message until {@code stop} is set;
     * the last one opens {@code finished} once.
     */
    void flood(Sink sink, AtomicBoolean stop, CountDownLatch finished);

    /** The numbers sent so far. */
    Mono<Long> sent();
  }

  static final class FlooderActor extends Actor implements Flooder {
    private final LongVar sent = newLongVar("sent", 0L);

    @Override
    public void flood(Sink sink, AtomicBoolean stop, CountDownLatch finished) {
      sent.set(sent.get() + 1);
      sink.take(sent.get());
      if (stop.get()) {
        finished.countDown();
      } else {
        self(Flooder.class).flood(sink, stop, finished);
      }
    }

    @Override
    public Mono<Long> sent() {
      return Mono.just(sent.get());
    }
  }

  public interface Alarm {
    /** Sets a one-shot timer of one millisecond that opens {@code fired}. */
    Mono<Void> arm(CountDownLatch fired);
  }

  static final class AlarmActor extends Actor implements Alarm {
    @Override
    public Mono<Void> arm(CountDownLatch fired) {
      setTimer(Duration.ofMillis(1), () -> {
        fired.countDown();
        return done();
      });
      return done();
    }
  }

  static final class SpinnerActor extends Actor implements Spinner {
    @Override
    public void spin(AtomicBoolean stop, CountDownLatch spinning) {
      spinning.countDown();
      if (!stop.get()) {
        self(Spinner.class).spin(stop, spinning);
      }
    }
  }

  static final class GateActor extends Actor implements Gate {
    @Override
    public void open(Releaser releaser, AtomicBoolean stop, CountDownLatch released,
        CountDownLatch shutting) {
      releaser.release(stop, released);
      self(Gate.class).shut(released, shutting);
    }

    @Override
    public void shut(CountDownLatch released, CountDownLatch shutting) {
      shutting.countDown();
      awaitQuietly(released, 120);
    }
  }

  static final class HolderActor extends Actor implements Holder {
    @Override
    public void hold(Gate gate, Releaser releaser, AtomicBoolean stop, CountDownLatch released,
        CountDownLatch shutting, CountDownLatch free) {
      gate.open(releaser, stop, released, shutting);
      self(Holder.class).waitFor(free);
    }

    @Override
    public void waitFor(CountDownLatch free) {
      awaitQuietly(free, 120);
    }

    @Override
    public void holdBehind(Releaser releaser, AtomicBoolean stop, CountDownLatch released,
        CountDownLatch free) {
      releaser.release(stop, released);
      self(Holder.class).waitFor(free);
    }
  }

  /** Blocks the calling thread until {@code latch} opens or {@code seconds} pass. */
  static boolean awaitQuietly(CountDownLatch latch, int seconds) {
    try {
      return latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static final class PongerActor extends Actor implements Ponger {
    private final Var<Long> pings = newVar("pings", 0L);

    @Override
    public Mono<Long> ping() {
      THREADS.add(Thread.currentThread().getName());
      PINGS.incrementAndGet();
      return Mono.just(pings.update(p -> p + 1));
    }
  }

  static final class PingerActor extends Actor implements Pinger {
    private final Ponger peer;

    PingerActor(Ponger peer) {
      this.peer = peer;
    }

    @Override
    public Mono<Long> run(int rounds) {
      return Flux.range(0, rounds)
          .concatMap(i -> {
            THREADS.add(Thread.currentThread().getName());
            return await(peer.ping());
          })
          .last();
    }

    @Override
    public Mono<Long> runUntil(AtomicBoolean stop, CountDownLatch warm) {
      return Flux.range(0, Integer.MAX_VALUE)
          .concatMap(i -> await(peer.ping()))
          .doOnNext(n -> {
            if (n == WARM_ROUNDS) {
              warm.countDown();
            }
          })
          .takeUntil(n -> stop.get())
          .last();
    }
  }

  @Test
  @DisplayName("R2 a ping-pong between two actors runs on one pool thread (the woken actor is handed"
      + " to it), however long it runs while nothing else is queued")
  void pingPongStaysOnOneThread() {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Ponger ponger = system.spawn(Ponger.class, PongerActor::new);
      Pinger pinger = system.spawn(Pinger.class, () -> new PingerActor(ponger));
      THREADS.clear();
      assertThat(pinger.run(20_000).block(Duration.ofSeconds(30))).isEqualTo(20_000L);
      assertThat(THREADS).as("40,000 hand-offs, no resubmission").hasSize(1);
    }
  }

  @Test
  @DisplayName("R2 an actor queued on a thread that then blocks is taken by the thread running a ping-pong")
  void handOffChainLetsQueuedActorsRun() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Releaser releaser = system.spawn(Releaser.class, ReleaserActor::new);
      Blocker blocker = system.spawn(Blocker.class, BlockerActor::new);
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch warm = new CountDownLatch(1);
      CountDownLatch latch = new CountDownLatch(1);
      CompletableFuture<Long> rounds = startPingPong(system, stop, warm);
      awaitOpen(warm, "the ping-pong made " + WARM_ROUNDS + " rounds");
      blocker.start(releaser, stop, latch).block(Duration.ofSeconds(60));
      // the other thread is now blocked, the releaser queued behind it: only the thread running
      // the ping-pong can run the releaser, which it finds when it looks at the pool's queues
      awaitOpen(latch, "the releaser ran");
      assertThat(rounds.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(WARM_ROUNDS);
    }
  }

  /** Starts what a stolen-task test holds: a thread blocked with a task in its queue. */
  @FunctionalInterface
  interface Hold {
    /**
     * Blocks one pool thread, until {@code free} opens, with a task in its queue that the
     * ping-pong's thread takes: the task wakes the releaser (which sets {@code stop} and opens
     * {@code released}), opens {@code shutting}, then blocks that thread too until {@code released}.
     */
    void start(AtomicBoolean stop, CountDownLatch released, CountDownLatch shutting,
        CountDownLatch free);
  }

  /**
   * Runs a ping-pong, then {@code hold}; once the taken task blocks the ping-pong's thread, frees
   * the first thread, which must find the releaser the task woke (it must not be hidden in the
   * blocked thread's hand-off slot) and the ping-pong.
   */
  static void stolenTaskDoesNotHideWhatItWakes(ActorSystem system, String task, Hold hold)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch warm = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    CountDownLatch shutting = new CountDownLatch(1);
    CountDownLatch free = new CountDownLatch(1);
    CompletableFuture<Long> rounds = startPingPong(system, stop, warm);
    awaitOpen(warm, "the ping-pong made " + WARM_ROUNDS + " rounds");
    hold.start(stop, released, shutting, free);
    try {
      awaitOpen(shutting, task + " ran");
    } finally {
      free.countDown(); // the first thread is free again: it must find the releaser
    }
    awaitOpen(released, "the releaser ran");
    assertThat(rounds.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(WARM_ROUNDS);
  }

  @Test
  @DisplayName("R2 an actor woken by a task that a ping-pong's thread takes from a blocked thread's"
      + " queue is not hidden in the hand-off slot when that task then blocks the thread too")
  void anActorWokenByAStolenTaskIsNotHiddenFromOtherThreads() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Holder holder = system.spawn(Holder.class, HolderActor::new);
      Gate gate = system.spawn(Gate.class, GateActor::new);
      Releaser releaser = system.spawn(Releaser.class, ReleaserActor::new);
      // one thread blocks in the holder with the gate in its queue; the ping-pong's thread takes
      // the gate between two hand-offs: the gate wakes the releaser, then blocks that thread too
      stolenTaskDoesNotHideWhatItWakes(system, "the gate", (stop, released, shutting, free) ->
          holder.hold(gate, releaser, stop, released, shutting, free));
    }
  }

  @Test
  @DisplayName("R2 an actor woken by a plain task (not an actor) that a ping-pong's thread takes from"
      + " a blocked thread's queue is not hidden in the hand-off slot when that task then blocks")
  void anActorWokenByAStolenPlainTaskIsNotHiddenFromOtherThreads() throws Exception {
    WorkStealingScheduler pool = WorkStealingScheduler.create("reactant-tasks", 2);
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(pool).build())) {
      TaskQueuer queuer = system.spawn(TaskQueuer.class, TaskQueuerActor::new);
      Releaser releaser = system.spawn(Releaser.class, ReleaserActor::new);
      // one thread blocks in the queuer with a plain task in its queue (an ingress call to the
      // releaser, woken on whichever thread runs the task, then a wait for it); the ping-pong's
      // thread takes the task between two hand-offs, and it blocks that thread too
      stolenTaskDoesNotHideWhatItWakes(system, "the task", (stop, released, shutting, free) ->
          queuer.queueAndWait(pool, () -> {
            releaser.release(stop, released);
            shutting.countDown();
            awaitQuietly(released, 120);
          }, free));
    } finally {
      pool.dispose();
    }
  }

  public interface Sleeper {
    /** Blocks its thread until {@code free} opens (what a turn must not do). */
    Mono<Boolean> sleep(CountDownLatch free);
  }

  static final class SleeperActor extends Actor implements Sleeper {
    @Override
    public Mono<Boolean> sleep(CountDownLatch free) {
      return Mono.just(awaitQuietly(free, 120));
    }
  }

  @Test
  @DisplayName("R23 20,000 ingress calls, one after the other, to an actor on the idle thread are all"
      + " answered while the other pool thread is blocked in a turn")
  void callsAreAnsweredOnTheIdleThreadWhileTheOtherIsBlocked() throws Exception {
    // On JDK 17 a pool thread going idle does not look at the queues again while another thread
    // is busy, so a call submitted in that instant waited for the blocked thread (a quarter of
    // runs of 5,000 calls stalled) until the runtime's watchdog learned to wake the idle thread
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Sleeper sleeper = system.spawn(Sleeper.class, SleeperActor::new);
      Ponger ponger = system.spawn(Ponger.class, PongerActor::new);
      CountDownLatch free = new CountDownLatch(1);
      try {
        Mono<Boolean> asleep = sleeper.sleep(free);
        for (long call = 1; call <= 20_000; call++) {
          Long answer;
          try {
            answer = ponger.ping().block(Duration.ofSeconds(60));
          } catch (IllegalStateException timedOut) {
            throw new AssertionError("call " + call + " was not answered\n" + poolThreads(),
                timedOut);
          }
          assertThat(answer).isEqualTo(call);
        }
        free.countDown();
        assertThat(asleep.block(Duration.ofSeconds(60))).isTrue();
      } finally {
        free.countDown();
      }
    }
  }

  @Test
  @DisplayName("R2 an actor whose mailbox never runs empty lets the other threads' queued actors run"
      + " when their own thread is blocked")
  void aBusyActorLetsActorsQueuedBehindABlockedThreadRun() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      busyActorLetsQueuedActorRun(system, system);
    }
  }

  /**
   * One thread runs a spinner of {@code busy}, whose mailbox always holds its next message (nothing
   * waits in that thread's queue, so it keeps its thread batch after batch); the other thread
   * blocks in a holder of {@code blocked} with a releaser of {@code blocked} in its queue: only the
   * spinner's thread can run the releaser, by taking it from the blocked thread's queue.
   */
  static void busyActorLetsQueuedActorRun(ActorSystem busy, ActorSystem blocked)
      throws InterruptedException {
    Spinner spinner = busy.spawn(Spinner.class, SpinnerActor::new);
    Holder holder = blocked.spawn(Holder.class, HolderActor::new);
    Releaser releaser = blocked.spawn(Releaser.class, ReleaserActor::new);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch spinning = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    CountDownLatch free = new CountDownLatch(1);
    spinner.spin(stop, spinning);
    awaitOpen(spinning, "the spinner ran");
    holder.holdBehind(releaser, stop, released, free);
    try {
      awaitOpen(released, "the releaser ran");
    } finally {
      stop.set(true);
      free.countDown();
    }
  }


  @Test
  @DisplayName("R23 R25 R4 ingress calls are answered and timers fire while actors keep every pool"
      + " thread busy with messages to each other, and every one of those arrives once and in order")
  void ingressCallsAndTimersAreServedWhileActorsKeepEveryThreadBusy() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      List<Sink> sinks = List.of(system.spawn(Sink.class, SinkActor::new),
          system.spawn(Sink.class, SinkActor::new));
      List<Flooder> flooders = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        flooders.add(system.spawn(Flooder.class, FlooderActor::new));
      }
      Ponger counter = system.spawn(Ponger.class, PongerActor::new);
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch finished = new CountDownLatch(flooders.size());
      // each flooder sends itself its next message and a sink one: both threads' queues are
      // never empty, and a pool thread runs its own queue before it looks at submissions
      for (int i = 0; i < flooders.size(); i++) {
        flooders.get(i).flood(sinks.get(i % sinks.size()), stop, finished);
      }
      Alarm alarm = system.spawn(Alarm.class, AlarmActor::new);
      try {
        for (long call = 1; call <= 200; call++) {
          assertThat(counter.ping().block(Duration.ofSeconds(60))).isEqualTo(call);
        }
        // a timer's firing is handed to the pool from the timer thread, like an ingress call
        for (int timer = 0; timer < 20; timer++) {
          CountDownLatch fired = new CountDownLatch(1);
          alarm.arm(fired).block(Duration.ofSeconds(60));
          awaitOpen(fired, "timer " + timer + " fired");
        }
      } finally {
        stop.set(true);
      }
      awaitOpen(finished, "every flood ended");
      long sent = 0;
      for (Flooder flooder : flooders) {
        sent += flooder.sent().block(Duration.ofSeconds(60));
      }
      // every flooder's last message was sent before its sent() ran: totals() runs after it
      long received = 0;
      for (Sink sink : sinks) {
        long[] totals = sink.totals().block(Duration.ofSeconds(60));
        received += totals[0];
        assertThat(totals[1]).as("messages out of order").isZero();
      }
      assertThat(received).isEqualTo(sent).isPositive();
    }
  }

  @Test
  @DisplayName("R23 ingress calls are answered while two ping-pongs hold both pool threads with"
      + " hand-offs")
  void ingressCallsAreAnsweredWhilePingPongsHoldEveryThread() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      AtomicBoolean stop = new AtomicBoolean();
      List<CompletableFuture<Long>> rounds = new ArrayList<>();
      List<CountDownLatch> warm = List.of(new CountDownLatch(1), new CountDownLatch(1));
      for (CountDownLatch w : warm) {
        rounds.add(startPingPong(system, stop, w));
      }
      Ponger counter = system.spawn(Ponger.class, PongerActor::new);
      try {
        for (CountDownLatch w : warm) {
          awaitOpen(w, "a ping-pong made " + WARM_ROUNDS + " rounds");
        }
        for (long call = 1; call <= 200; call++) {
          assertThat(counter.ping().block(Duration.ofSeconds(60))).isEqualTo(call);
        }
      } finally {
        stop.set(true);
      }
      for (CompletableFuture<Long> r : rounds) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(WARM_ROUNDS);
      }
    }
  }

  public interface Sink {
    /** Records {@code seq} from the caller; counts a violation if it is not the caller's next. */
    void take(long seq);

    Mono<Long> takeAndReply(long seq);

    /** Received messages and order violations; an update, so it runs after what is queued. */
    Mono<long[]> totals();
  }

  public interface Hop {
    /** Forwards to the sink: a oneway, or an awaited call. */
    Mono<Void> forward(boolean awaited);
  }

  static final class SinkActor extends Actor implements Sink {
    private final TxMap<String, Long> last = newMap("last");
    private final Var<Long> received = newVar("received", 0L);
    private final Var<Long> violations = newVar("violations", 0L);

    @Override
    public void take(long seq) {
      record(seq);
    }

    @Override
    public Mono<Long> takeAndReply(long seq) {
      record(seq);
      return Mono.just(seq);
    }

    private void record(long seq) {
      String from = caller().toString();
      long previous = last.getOrDefault(from, 0L);
      if (seq != previous + 1) {
        violations.update(v -> v + 1);
      }
      last.put(from, seq);
      received.update(r -> r + 1);
    }

    @Override
    public Mono<long[]> totals() {
      return Mono.just(new long[] {received.get(), violations.get()});
    }
  }

  static final class HopActor extends Actor implements Hop {
    private final Sink sink;
    private final Var<Long> sent = newVar("sent", 0L);

    HopActor(Sink sink) {
      this.sink = sink;
    }

    @Override
    public Mono<Void> forward(boolean awaited) {
      long seq = sent.update(s -> s + 1);
      if (!awaited) {
        sink.take(seq);
        return done();
      }
      return await(sink.takeAndReply(seq)).then();
    }
  }

  @Test
  @DisplayName("R4 R13 4 threads x 20k calls through 40 forwarding actors to 8 sinks: every message"
      + " arrives once, in order per pair, and every awaited reply comes back")
  void forwardingUnderContentionKeepsOrderAndCounts() throws Exception {
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(4).build())) {
      int sinks = 8;
      int hops = 40;
      List<Sink> sinkRefs = new ArrayList<>();
      for (int i = 0; i < sinks; i++) {
        sinkRefs.add(system.spawn(Sink.class, SinkActor::new));
      }
      List<Hop> hopRefs = new ArrayList<>();
      for (int i = 0; i < hops; i++) {
        Sink sink = sinkRefs.get(i % sinks);
        hopRefs.add(system.spawn(Hop.class, () -> new HopActor(sink)));
      }
      int threads = 4;
      int calls = 20_000;
      TestThreads.runAll(threads, offset -> {
        List<Mono<Void>> lastPerHop = new ArrayList<>();
        for (int i = 0; i < hops; i++) {
          lastPerHop.add(Mono.empty());
        }
        for (int i = 0; i < calls; i++) {
          int h = (i * 7 + offset) % hops;
          lastPerHop.set(h, hopRefs.get(h).forward(i % 3 == 0));
        }
        // FIFO per pair: each hop's last call of this thread completes after the others
        Flux.merge(lastPerHop).then().block(Duration.ofSeconds(60));
      });
      // a hop released its oneway before it answered: totals() is queued behind every oneway
      long received = 0;
      for (Sink sink : sinkRefs) {
        long[] totals = sink.totals().block(Duration.ofSeconds(30));
        received += totals[0];
        assertThat(totals[1]).as("order violations at %s", sink).isZero();
      }
      assertThat(received).isEqualTo((long) threads * calls);
    }
  }
}

package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.error.Trap;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * An await is signalled once (rule R13): the paths that fail an await found deadlocked (a search
 * on any thread) may race a real signal of what it awaits on another thread (a reply, a value
 * racing the search), and whichever wins, its continuation is queued once. An envelope pushed twice
 * links to itself, and the mailbox loses it, with every envelope pushed before it: those awaits
 * would never continue, and their calls would never be answered.
 *
 * <p>The window in which both paths see the await active is a few instructions, so each test
 * aims at it rather than hoping to hit it. The two threads meet before each await (one waits for
 * the other, so that both are on a core, however loaded the machine), inside the paths where the
 * test can (a waiter of the future put before the await, the awaited Mono's cancel); then one of
 * them holds back by a lag that a feedback loop keeps at the edge between the two orders, from
 * what the thread saw of the await just before its own path checked it. A race counts as
 * overlapping when both paths were under way as the await was still pending; each test races
 * batches of awaits, spread over a few actors, until enough did (or a limit), and checks after each
 * batch that the actors' mailboxes hold one continuation per await, and that each await, once
 * they ran, delivered exactly one outcome.
 */
class AwaitSignalledOnceTest {

  /** How many actors the awaits of a batch are spread over, one in turn. */
  private static final int ACTORS = 16;
  /** How many awaits a batch races before its continuations are counted and run. */
  private static final int BATCH = ACTORS * 25;
  /** The most batches a test races once a race overlapped. */
  private static final int BATCHES = 16;
  /**
   * The most batches a test races while none overlapped (a loaded machine, its threads taken off
   * their cores between the meeting and the race, may miss the window for a long time).
   */
  private static final int BATCHES_UNTIL_OVERLAP = 4 * BATCHES;
  /** How many overlapping races a test waits for before it stops. */
  private static final int OVERLAPS = 600;
  /** How long a thread waits for the other at a meeting before the test fails. */
  private static final long MEETING_NANOS = 10_000_000_000L;

  public interface Holder {
    /** Puts its own call in {@code at}. */
    Mono<Integer> hold(AtomicReference<Call> at);
  }

  static final class HolderActor extends Actor implements Holder {
    @Override
    public Mono<Integer> hold(AtomicReference<Call> at) {
      at.set(((TurnContext) Objects.requireNonNull(Contexts.current())).call);
      return Mono.just(0);
    }
  }

  @Test
  @DisplayName("R13 an await of a call future found deadlocked as its future completes on another"
      + " thread (the reply racing the search that found the cycle) continues once: with the value"
      + " or with the deadlock's trap, never both, never neither")
  void deadlockFoundAsTheFutureCompletesContinuesOnce() throws Exception {
    Meeting meeting = new Meeting();
    Lag lag = new Lag();
    Trap trap = new Trap("the await would deadlock");
    List<CallFuture<Integer>> futures = new ArrayList<>();
    raceOnEachAwait(lag, i -> {
      // the future signals this waiter, then the await, so that the failing thread knows when the
      // signal's path has reached the await (its own check of the state is a few steps later)
      CallFuture<Integer> future = new CallFuture<>("future " + i);
      future.await(new Mark(meeting, i));
      futures.add(future);
      return future;
    }, new Race() {
      @Override
      public boolean fail(AwaitSubscriber<Integer> await, int i, Call named) {
        meeting.failingAt(i);
        spin(lag.lag);
        boolean signalling = meeting.marked == i;
        boolean pending = await.pending();
        await.deadlocked(trap);
        // too early: wait longer; too late (the signal went through): wait less
        return lag.aim(!signalling, signalling && !pending); // else overlapped
      }

      @Override
      public boolean signal(AwaitSubscriber<Integer> await, int i) {
        meeting.signallingAt(i);
        spin(-lag.lag);
        futures.get(i).complete(i);
        return false; // the failing thread tells
      }
    });
  }

  /**
   * The first waiter of a future, before the await: notes that the future's signal has reached
   * the await (next in line, on the same thread).
   */
  private record Mark(Meeting meeting, int index) implements CallFuture.Waiter {
    @Override
    public void signal(@Nullable Object v, @Nullable Throwable e) {
      meeting.marked = index;
    }

    @Override
    public Context currentContext() {
      return Context.empty();
    }
  }

  /**
   * A {@code Mono} that signals its value when told, whether or not its subscriber cancelled
   * meanwhile, as Reactive Streams allows (a signal may follow a cancel); its cancel, on the
   * failing thread, is where that thread meets the signalling one.
   */
  static final class Signalling extends Mono<Integer> implements Subscription {
    private final Meeting meeting;
    private final Lag lag;
    private final int index;
    private volatile @Nullable CoreSubscriber<? super Integer> subscriber;

    Signalling(Meeting meeting, Lag lag, int index) {
      this.meeting = meeting;
      this.lag = lag;
      this.index = index;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Integer> actual) {
      subscriber = actual;
      actual.onSubscribe(this);
    }

    @Override
    public void request(long n) {
    }

    @Override
    public void cancel() {
      meeting.failingAt(index); // the failure makes its error and signals it next
      spin(lag.lag);
    }

    void signal(int value) {
      CoreSubscriber<? super Integer> s = Objects.requireNonNull(subscriber);
      s.onNext(value);
      s.onComplete();
    }
  }

  @Test
  @DisplayName("R13 an await of a Mono (not a call future) failed as deadlocked as the Mono signals"
      + " its value on another thread continues once: with the value or with the deadlock's"
      + " error, never both, never neither")
  void failedAsBlockedAsTheMonoSignalsContinuesOnce() throws Exception {
    Meeting meeting = new Meeting();
    Lag lag = new Lag();
    List<Signalling> monos = new ArrayList<>();
    raceOnEachAwait(lag, i -> {
      Signalling mono = new Signalling(meeting, lag, i);
      monos.add(mono);
      return mono;
    }, new Race() {
      @Override
      public boolean fail(AwaitSubscriber<Integer> await, int i, Call named) {
        await.failBlocked(named, named); // meets the signalling thread in the Mono's cancel
        return false; // the signalling thread tells
      }

      @Override
      public boolean signal(AwaitSubscriber<Integer> await, int i) {
        meeting.signallingAt(i); // the failure cancelled the Mono: it makes its error now
        spin(-lag.lag);
        boolean pending = await.pending();
        monos.get(i).signal(i);
        // too late (the failure went through): hold the failure back longer; else less
        lag.aim(!pending, pending);
        return pending; // overlapped: the failure was under way, the await still pending
      }
    });
  }

  /** The two paths a test races on each await, each run on its own thread. */
  interface Race {
    /**
     * Fails the {@code i}th await, named after {@code named}; returns whether the race overlapped
     * (false if {@link #signal} tells).
     */
    boolean fail(AwaitSubscriber<Integer> await, int i, Call named);

    /**
     * Signals the {@code i}th await's outcome; returns whether the race overlapped (false if
     * {@link #fail} tells).
     */
    boolean signal(AwaitSubscriber<Integer> await, int i);
  }

  /**
   * Where the two threads meet before each await, and what they tell each other. Each waits until
   * it saw the other there, so that both are on a core as they leave (a thread that yielded its
   * core while it waited would come back too late to race).
   */
  static final class Meeting {
    /** The await the failing thread is at. */
    volatile int failing = -1;
    /** The await the signalling thread is at, once it saw the failing thread there. */
    volatile int signalling = -1;
    /** The await at which the failing thread saw the signalling thread: both leave. */
    volatile int met = -1;
    /** The await whose future's signal has reached it (test of a call future). */
    volatile int marked = -1;

    /** On the failing thread: waits for the signalling thread at the {@code i}th await. */
    void failingAt(int i) {
      failing = i;
      long start = System.nanoTime();
      for (int spins = 0; signalling != i; spins++) {
        pause(spins, start);
      }
      met = i;
    }

    /** On the signalling thread: waits for the failing thread at the {@code i}th await. */
    void signallingAt(int i) {
      long start = System.nanoTime();
      for (int spins = 0; failing != i; spins++) {
        pause(spins, start);
      }
      signalling = i;
      for (int spins = 0; met != i; spins++) {
        pause(spins, start);
      }
    }

    private static void pause(int spins, long start) {
      if (spins < 2_000) {
        Thread.onSpinWait();
        return;
      }
      Thread.yield(); // the other thread may be off its core (a loaded machine)
      if (System.nanoTime() - start > MEETING_NANOS) {
        throw new AssertionError("the other thread never came to the meeting");
      }
    }
  }

  /**
   * How many short steps the failing thread holds back after the meeting (the signalling thread
   * if negative), moved by a feedback loop towards the edge between the two orders, by a step that
   * halves as the direction turns and doubles as it keeps on (the edge moves as the JIT compiles
   * the paths). Written by one thread, read by the other after a meeting.
   */
  static final class Lag {
    /**
     * The largest lag either way, some tens of microseconds (a loaded machine, its JIT behind,
     * once put the edge beyond 4,096 steps: 25,600 races all fell one way with the lag held
     * there); and the largest step, which reaches it in about a hundred races.
     */
    private static final int MAX_LAG = 1 << 16;
    private static final int MAX_STEP = 1024;
    volatile int lag;
    /** How many races fell each way: too early (the lag grew), too late (it shrank). */
    int early;
    int late;
    private int step = MAX_STEP;
    private int last;
    private int same;

    /**
     * Moves the lag, up if {@code longer}, down if {@code shorter}; returns whether neither was
     * asked (the race overlapped).
     */
    boolean aim(boolean longer, boolean shorter) {
      int direction = longer ? 1 : shorter ? -1 : 0;
      if (direction != 0) {
        if (longer) {
          early++;
        } else {
          late++;
        }
        if (direction != last) {
          step = Math.max(1, step / 2);
          same = 0;
        } else if (++same >= 4) {
          step = Math.min(MAX_STEP, step * 2);
          same = 0;
        }
        last = direction;
        lag = Math.max(-MAX_LAG, Math.min(MAX_LAG, lag + direction * step));
      }
      return direction == 0;
    }
  }

  /** What an await delivered downstream, in order. */
  static final class Outcome implements CoreSubscriber<Integer> {
    final List<String> signals = new ArrayList<>(1);

    @Override
    public void onSubscribe(Subscription s) {
    }

    @Override
    public void onNext(Integer v) {
      signals.add("value " + v);
    }

    @Override
    public void onError(Throwable t) {
      signals.add(t instanceof Trap ? "deadlock" : t.toString());
    }

    @Override
    public void onComplete() {
      signals.add("complete");
    }
  }

  /**
   * Races {@code race} on batches of awaits, {@link #ACTORS} actors' in turn, of the {@code Mono}s
   * {@code awaited} gives (the {@code i}th for the {@code i}th await), activated on the main
   * thread, until {@link #OVERLAPS} races overlapped or {@link #BATCHES} batches ran (up to
   * {@link #BATCHES_UNTIL_OVERLAP} while none did); after each batch, checks that each await was
   * queued once and delivered one outcome: its value, or the deadlock. {@code lag} is the one the
   * race aims with; it tells which way the races fell.
   */
  private static void raceOnEachAwait(Lag lag, IntFunction<Mono<Integer>> awaited, Race race)
      throws InterruptedException {
    DeterministicScheduler clock = DeterministicScheduler.create();
    ActorRuntime system = TestRuntimes.onClock(clock, "signalled-once");
    try {
      List<AtomicReference<Call>> held = new ArrayList<>();
      for (int a = 0; a < ACTORS; a++) {
        held.add(new AtomicReference<>());
        system.spawn(Holder.class, HolderActor::new).hold(held.get(a)).subscribe();
      }
      clock.runUntilIdle();
      int overlaps = 0;
      int raced = 0;
      for (int batch = 0;
          overlaps < OVERLAPS && batch < (overlaps > 0 ? BATCHES : BATCHES_UNTIL_OVERLAP);
          batch++) {
        int first = batch * BATCH;
        List<AwaitSubscriber<Integer>> awaits = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = first; i < first + BATCH; i++) {
          Outcome outcome = new Outcome();
          // on the behalf of a call that replied already: a deadlock's trap answers nothing more
          Call named = held.get(i % ACTORS).get();
          AwaitSubscriber<Integer> await = new AwaitSubscriber<>(
              Objects.requireNonNull(named.cell), named, awaited.apply(i), outcome);
          await.activate(); // after its turn, in the actor's system: subscribed, pending
          awaits.add(await);
          outcomes.add(outcome);
        }
        // the threads race one await at a time, each actor's in turn, and meet before each: a
        // continuation pushed twice, with another pushed onto its actor between, would make a loop
        // of the mailbox (walked for ever), not lose envelopes only
        int[] overlapped = new int[2];
        Call named = held.get(0).get();
        Thread failing = new Thread(() -> {
          for (int k = 0; k < BATCH; k++) {
            if (race.fail(awaits.get(k), first + k, named)) {
              overlapped[0]++;
            }
          }
        });
        Thread signalling = new Thread(() -> {
          for (int k = 0; k < BATCH; k++) {
            if (race.signal(awaits.get(k), first + k)) {
              overlapped[1]++;
            }
          }
        });
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (Thread t : List.of(failing, signalling)) {
          t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
          t.start();
        }
        failing.join();
        signalling.join();
        assertThat(failures).as("failures of the racing threads").isEmpty();
        raced += BATCH;
        overlaps += overlapped[0] + overlapped[1];
        int queued = 0;
        for (AtomicReference<Call> call : held) {
          queued += Objects.requireNonNull(call.get().cell).countInbox();
        }
        assertThat(queued).as("continuations queued for the %d awaits of batch %d (%d of the %d"
            + " races so far overlapped)", BATCH, batch, overlaps, raced).isEqualTo(BATCH);
        clock.runUntilIdle();
        List<String> wrong = new ArrayList<>();
        for (int k = 0; k < BATCH; k++) {
          List<String> signals = outcomes.get(k).signals;
          if (!signals.equals(List.of("value " + (first + k), "complete"))
              && !signals.equals(List.of("deadlock"))) {
            wrong.add((first + k) + ": " + signals);
          }
        }
        assertThat(wrong).as("awaits that delivered no outcome, or two (%d of %d)", wrong.size(),
            BATCH).isEmpty();
      }
      // a guard against a test that no longer races (its threads no longer meet where it thinks):
      // some race overlapped, or, on a machine too loaded to hit the window, races fell both ways
      // around it (the lag moved across the edge between the two orders)
      assertThat(overlaps > 0 || (lag.early > 0 && lag.late > 0))
          .as("races overlapped (%d of %d) or fell both ways around the window (%d early, %d"
              + " late; the lag ended at %d)", overlaps, raced, lag.early, lag.late, lag.lag)
          .isTrue();
    } finally {
      system.close();
    }
  }

  /** Written so that {@link #spin}'s work is not optimised away. */
  static volatile long spun;

  /** Busy for about {@code n} short steps (nothing if {@code n} is not positive). */
  private static void spin(int n) {
    long x = 1;
    for (int k = 0; k < n; k++) {
      x = x * 31 + k;
    }
    spun = x;
  }
}

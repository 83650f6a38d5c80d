package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.error.Trap;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * An await is signalled once (rule R13): the paths that fail an await found deadlocked (a search
 * on any thread) may race a real signal of what it awaits on another thread (a reply, a value
 * racing the search), and whichever wins, its continuation is queued once. An envelope pushed twice
 * links to itself, and the mailbox loses it, with every envelope pushed before it: those awaits
 * would never continue, and their calls would never be answered.
 *
 * <p>Each test activates many awaits, spread over a few actors, then has two threads race on each
 * of them, one a little after the other, by a lag that sweeps both ways across the awaits; then it
 * checks that the actors' mailboxes hold one continuation per await, and that each await, once
 * they ran, delivered exactly one outcome.
 */
class AwaitSignalledOnceTest {

  /** How many actors the awaits are spread over, and how many the threads race between meetings. */
  private static final int ACTORS = 16;
  private static final int AWAITS = ACTORS * 200;
  /** How many lags between the two threads {@link #raceOnEachAwait} tries, in turn. */
  private static final int LAGS = 101;

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
    List<CallFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < AWAITS; i++) {
      futures.add(new CallFuture<>("future " + i));
    }
    raceOnEachAwait(futures::get,
        (awaits, c) -> i -> awaits.get(i).deadlocked(new Trap("the await would deadlock")),
        i -> futures.get(i).complete(i));
  }

  /**
   * A {@code Mono} that signals its value when told, whether or not its subscriber cancelled
   * meanwhile, as Reactive Streams allows (a signal may follow a cancel); it notes when it was
   * cancelled.
   */
  static final class Signalling extends Mono<Integer> implements Subscription {
    private volatile @Nullable CoreSubscriber<? super Integer> subscriber;
    /** When it was cancelled ({@link System#nanoTime}), or 0. */
    volatile long cancelledAt;

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
      cancelledAt = System.nanoTime();
    }

    /**
     * Signals {@code value} about {@code lag} nanoseconds after it was cancelled (as soon as it is
     * if the cancel takes long to come).
     */
    void signalAfterCancel(int value, long lag) {
      long at = 0;
      for (int spins = 0; at == 0 && spins < 100_000; spins++) {
        if (spins >= 1_000) {
          Thread.yield(); // the failing thread may be off its core (a loaded machine)
        }
        at = cancelledAt;
      }
      while (at != 0 && System.nanoTime() - at < lag) {
        Thread.onSpinWait();
      }
      CoreSubscriber<? super Integer> s = Objects.requireNonNull(subscriber);
      s.onNext(value);
      s.onComplete();
    }
  }

  /** How long the failure takes from its cancel to its signal (the trap it makes): measured. */
  static volatile long failureNanos;

  @Test
  @DisplayName("R13 an await of a Mono (not a call future) failed as deadlocked as the Mono signals"
      + " its value on another thread continues once: with the value or with the deadlock's"
      + " error, never both, never neither")
  void failedAsBlockedAsTheMonoSignalsContinuesOnce() throws Exception {
    List<Signalling> monos = new ArrayList<>();
    for (int i = 0; i < AWAITS; i++) {
      monos.add(new Signalling());
    }
    raceOnEachAwait(monos::get,
        (awaits, c) -> {
          // the failure cancels the Mono's subscription, makes its error, then signals it: the
          // Mono signals about that long after the cancel, give or take a lag that sweeps across
          // the awaits (the window in which both see the await active is a few instructions)
          long[] took = new long[64];
          for (int k = 0; k < 2_000; k++) {
            long start = System.nanoTime();
            CallFuture.wrappedDeadlock(c, c);
            took[k % took.length] = System.nanoTime() - start;
          }
          java.util.Arrays.sort(took);
          failureNanos = took[took.length / 2];
          return i -> awaits.get(i).failBlocked(c, c);
        },
        i -> monos.get(i).signalAfterCancel(i, failureNanos + 10L * (i % 41 - 20)));
  }

  /** The failure a test races against the signal, given the awaits and a call to name. */
  interface Failure {
    IntConsumer of(List<AwaitSubscriber<Integer>> awaits, Call named);
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
   * Activates {@link #AWAITS} awaits, {@link #ACTORS} actors' in turn, of the {@code Mono}s {@code
   * awaited} gives, runs {@code fail} and {@code signal} for each of them on two threads at once,
   * and checks that each await was queued once and delivered one outcome: its value, or the
   * deadlock.
   */
  private static void raceOnEachAwait(java.util.function.IntFunction<Mono<Integer>> awaited,
      Failure fail, IntConsumer signal) throws InterruptedException {
    DeterministicScheduler clock = DeterministicScheduler.create();
    ActorRuntime system = TestRuntimes.onClock(clock, "signalled-once");
    try {
      List<AtomicReference<Call>> held = new ArrayList<>();
      for (int a = 0; a < ACTORS; a++) {
        held.add(new AtomicReference<>());
        system.spawn(Holder.class, HolderActor::new).hold(held.get(a)).subscribe();
      }
      clock.runUntilIdle();
      List<AwaitSubscriber<Integer>> awaits = new ArrayList<>();
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < AWAITS; i++) {
        Outcome outcome = new Outcome();
        // on the behalf of a call that replied already: a deadlock's trap answers nothing more
        Call named = held.get(i % ACTORS).get();
        AwaitSubscriber<Integer> await = new AwaitSubscriber<>(Objects.requireNonNull(named.cell),
            named, awaited.apply(i), outcome);
        await.activate(); // after its turn, in the actor's system: subscribed, pending
        awaits.add(await);
        outcomes.add(outcome);
      }
      IntConsumer failing = fail.of(awaits, held.get(0).get());
      // the threads meet before each round of one await per actor, which they race in order: a
      // continuation pushed twice, with another pushed onto its actor between, would make a loop
      // of the mailbox (walked for ever), not lose envelopes only
      AtomicInteger arrived = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        IntConsumer racer = t == 0 ? failing : signal;
        int sign = t == 0 ? 1 : -1;
        Thread thread = new Thread(() -> {
          for (int round = 0; round < AWAITS / ACTORS; round++) {
            arrived.incrementAndGet();
            for (int spins = 0; arrived.get() < 2 * (round + 1); spins++) {
              if (spins < 2_000) {
                Thread.onSpinWait();
              } else {
                Thread.yield(); // the other thread may be off its core (a loaded machine)
              }
            }
            // the two paths differ in length, and the window between them is a few instructions
            spin(sign * (round % LAGS - LAGS / 2));
            for (int i = round * ACTORS, end = i + ACTORS; i < end; i++) {
              racer.accept(i);
            }
          }
        });
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join();
      }
      int queued = 0;
      for (AtomicReference<Call> call : held) {
        queued += Objects.requireNonNull(call.get().cell).countInbox();
      }
      assertThat(queued).as("continuations queued").isEqualTo(AWAITS);
      clock.runUntilIdle();
      List<String> wrong = new ArrayList<>();
      for (int i = 0; i < AWAITS; i++) {
        List<String> signals = outcomes.get(i).signals;
        if (!signals.equals(List.of("value " + i, "complete"))
            && !signals.equals(List.of("deadlock"))) {
          wrong.add(i + ": " + signals);
        }
      }
      assertThat(wrong).as("awaits that delivered no outcome, or two (%d of %d)", wrong.size(),
          AWAITS).isEmpty();
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

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A shutdown racing, on the pool, ingress calls that move cycles between actors and await, a
 * recurring timer per actor, composite queries whose later parts run on a foreign thread, and
 * spawns, all under a context propagation: every message is answered exactly once, cycles are
 * conserved, every turn sees its own caller's context, and no turn runs after the shutdown.
 */
class ShutdownRaceTest {

  static final ThreadLocal<@Nullable String> TRACE = new ThreadLocal<>();
  /** Turns, timer firings and composite parts that saw another context than their caller's. */
  static final AtomicInteger STRANGERS = new AtomicInteger();

  record Snapshot(@Nullable String value) {
  }

  /** Carries {@link #TRACE}, absent values included (a turn never sees a stale one). */
  static final class TracePropagation implements ContextPropagation {
    @Override
    public Object capture() {
      return new Snapshot(TRACE.get());
    }

    @Override
    public Scope restore(Object snapshot) {
      String previous = TRACE.get();
      TRACE.set(((Snapshot) snapshot).value());
      return () -> TRACE.set(previous);
    }
  }

  static void expect(@Nullable String trace) {
    if (!java.util.Objects.equals(TRACE.get(), trace)) {
      STRANGERS.incrementAndGet();
    }
  }

  public interface Till {
    /** Pays {@code amount} cycles to {@code other} and awaits it; answers the refund. */
    Mono<Long> pay(Till other, long amount, String trace);

    /** Accepts half of the cycles attached. */
    Mono<Long> take(String trace);

    /** Sets a recurring timer whose firings check they see {@code trace}. */
    Mono<Void> arm(String trace);

    @Query
    Mono<Long> balanceLater();

    /** Its own balance plus {@code other}'s, read a millisecond later on Reactor's parallel. */
    @CompositeQuery
    Mono<Long> sumWith(Till other, String trace);
  }

  static final class TillActor extends Actor implements Till {
    @Override
    public Mono<Long> pay(Till other, long amount, String trace) {
      expect(trace);
      return await(CallOptions.cycles(amount).on(other).take(trace))
          .map(accepted -> {
            expect(trace);
            return cyclesRefunded();
          });
    }

    @Override
    public Mono<Long> take(String trace) {
      expect(trace);
      return Mono.just(acceptCycles(cyclesAvailable() / 2));
    }

    @Override
    public Mono<Void> arm(String trace) {
      expect(trace);
      recurringTimer(Duration.ofMillis(1), () -> {
        expect(trace);
        return done();
      });
      return done();
    }

    @Override
    public Mono<Long> balanceLater() {
      return Mono.just(cyclesBalance()).delayElement(Duration.ofMillis(1));
    }

    @Override
    public Mono<Long> sumWith(Till other, String trace) {
      long own = cyclesBalance();
      return await(other.balanceLater()).map(theirs -> {
        expect(trace);
        return own + theirs;
      });
    }
  }

  /** Counts failed pays (callRejected) and the turns that end once the shutdown has ended. */
  static final class Watcher implements TurnListener {
    final AtomicInteger failedPays = new AtomicInteger();
    final AtomicInteger turnsAfterEnd = new AtomicInteger();
    final AtomicBoolean ended = new AtomicBoolean();

    @Override
    public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
      if (ended.get()) {
        turnsAfterEnd.incrementAndGet();
      }
    }

    @Override
    public void callRejected(ActorId actor, String method, RejectCode code) {
      if (method.equals("pay")) {
        failedPays.incrementAndGet();
      }
    }
  }

  @Test
  @DisplayName("R2 R12a R19 R22 R25 a shutdown racing calls that move cycles, timers, composite"
      + " queries and spawns on the pool answers every message once, conserves cycles, keeps"
      + " each turn in its caller's context and runs no turn after its end")
  void aShutdownRacingEverythingKeepsTheInvariants() throws Exception {
    int actors = 16;
    int callers = 4;
    int callsEach = 400;
    long initial = 1_000_000;
    STRANGERS.set(0);
    Watcher watcher = new Watcher();
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("race")
        .parallelism(2).initialBalance(initial).shutdownGracePeriod(Duration.ofMinutes(1))
        .contextPropagation(new TracePropagation()).listener(watcher).build());
    List<Till> tills = new ArrayList<>();
    List<ActorId> ids = new ArrayList<>();
    for (int i = 0; i < actors; i++) {
      ActorId id = ActorId.of("till-" + i);
      ids.add(id);
      tills.add(system.spawn(Till.class, id, TillActor::new));
    }
    for (int i = 0; i < actors; i++) {
      int n = i;
      TRACE.set("arm-" + n);
      try {
        tills.get(n).arm("arm-" + n).block(Duration.ofSeconds(10));
      } finally {
        TRACE.remove();
      }
    }
    List<Mono<Long>> pays = Collections.synchronizedList(new ArrayList<>());
    List<Mono<Long>> sums = Collections.synchronizedList(new ArrayList<>());
    List<Mono<Till>> spawned = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch halfway = new CountDownLatch(callers);
    List<java.util.concurrent.CompletableFuture<Void>> shutdown =
        Collections.synchronizedList(new ArrayList<>());
    ActorClass<Till, Void> tillClass = ActorClass.of(Till.class, unused -> new TillActor());

    TestThreads.runAll(callers + 1, t -> {
      if (t == callers) {
        halfway.await();
        // subscribed now: the flag is set as the shutdown ends, not when the test looks
        shutdown.add(system.shutdown(Duration.ofMinutes(1))
            .doOnSuccess(v -> watcher.ended.set(true)).toFuture());
        return;
      }
      java.util.Random random = new java.util.Random(t);
      for (int i = 0; i < callsEach; i++) {
        if (i == callsEach / 2) {
          halfway.countDown();
        }
        String trace = "caller-" + t + "-" + i;
        TRACE.set(trace);
        try {
          Till from = tills.get(random.nextInt(actors));
          Till to = tills.get(random.nextInt(actors));
          pays.add(from.pay(to, 1 + random.nextInt(100), trace));
          if (i % 8 == 0) {
            sums.add(from.sumWith(to, trace));
          }
          if (i % 32 == 0) {
            spawned.add(system.spawn(tillClass, null));
          }
        } finally {
          TRACE.remove();
        }
      }
    });

    shutdown.get(0).get(60, TimeUnit.SECONDS);
    Set<RejectCode> refusals = EnumSet.of(RejectCode.SYS_TRANSIENT, RejectCode.CANISTER_REJECT);
    int failed = 0;
    for (Mono<Long> pay : pays) {
      Throwable error = outcome(pay);
      if (error != null) {
        failed++;
        assertThat(error).isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isIn(refusals));
      }
    }
    for (Mono<Long> sum : sums) {
      Throwable error = outcome(sum);
      if (error != null) {
        // code 2 refused, or code 4 when its own query was refused once it ran (see below)
        assertThat(error).isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isIn(refusals));
      }
    }
    for (Mono<Till> spawn : spawned) {
      Throwable error = outcome(spawn);
      if (error != null) {
        assertThat(error).isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
      }
    }
    assertThat(watcher.failedPays).as("each failed pay told once").hasValue(failed);
    long total = 0;
    for (ActorId id : ids) {
      total += system.cyclesBalance(id);
    }
    assertThat(total).as("cycles conserved").isEqualTo(actors * initial);
    assertThat(STRANGERS).as("turns that saw another caller's context").hasValue(0);
    assertThat(watcher.turnsAfterEnd).as("turns after the shutdown").hasValue(0);
    assertThat(system.actors()).allSatisfy(info -> {
      assertThat(info.mailboxDepth()).isZero();
      assertThat(info.suspendedCalls()).isZero();
      assertThat(info.timers()).isZero();
    });
  }

  @Test
  @DisplayName("R12a R19 a composite query admitted just before a shutdown whose own query is then"
      + " refused (code 2) fails with code 4: the refusal left the method unhandled")
  void aCompositeQueryWhoseQueryTheShutdownRefusesFailsWithCodeFour() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    AtomicReference<@Nullable ActorSystem> system = new AtomicReference<>();
    AtomicBoolean armed = new AtomicBoolean();
    // captured once the composite query is admitted, before its first part runs: the shutdown
    // begins between the two, as it may on another thread in the race above
    ContextPropagation shutsDown = new ContextPropagation() {
      @Override
      public @Nullable Object capture() {
        ActorSystem s = system.get();
        if (s != null && armed.getAndSet(false)) {
          s.shutdown(Duration.ofMinutes(1));
        }
        return null;
      }

      @Override
      public Scope restore(Object snapshot) {
        return () -> { };
      }
    };
    try (ActorSystem s = ActorSystem.create(ActorSystemConfig.builder().name("race-query")
        .scheduler(scheduler).contextPropagation(shutsDown).build())) {
      system.set(s);
      Till a = s.spawn(Till.class, TillActor::new);
      Till b = s.spawn(Till.class, TillActor::new);
      armed.set(true);
      Mono<Long> sum = a.sumWith(b, "unused");
      assertThat(s.isShutdown()).isTrue();
      assertThatThrownBy(() -> scheduler.await(sum)).isInstanceOfSatisfying(CallError.class, e -> {
        assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
        assertThat(e.rejectMessage()).contains("shut down");
      });
    }
  }

  /** The error {@code mono} ended with, or null; it must end within ten seconds. */
  private static @Nullable Throwable outcome(Mono<?> mono) throws Exception {
    try {
      mono.toFuture().get(10, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
  }
}

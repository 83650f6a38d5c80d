package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A monitoring snapshot ({@code ActorInfo.suspendedCalls}) walks an actor's list of suspended
 * calls from another thread, along links the actor's thread writes in the calls' extras, made
 * lazily as the calls join and leave the list: each walk ends, and counts no more calls than are
 * suspended at most at once.
 */
class SuspendedCallsWalkTest {

  private static final int CALLS = 32;
  private static final int ROUNDS = 60;

  public interface Holder {
    /** Waits until {@link #release} of {@code i}: the call is suspended meanwhile. */
    Mono<Integer> hold(int i);

    /** Ends the call holding {@code i} (its Mono ends in this turn: a late signal of that call). */
    void release(int i);

    /** Answers at once: a turn after those of the messages before it. */
    Mono<Integer> ping();
  }

  static final class HolderActor extends Actor implements Holder {
    private final Map<Integer, Sinks.One<Integer>> held = new HashMap<>();

    @Override
    public Mono<Integer> hold(int i) {
      Sinks.One<Integer> sink = Sinks.one();
      held.put(i, sink);
      return sink.asMono();
    }

    @Override
    public void release(int i) {
      Sinks.One<Integer> sink = held.remove(i);
      if (sink != null) {
        sink.tryEmitValue(i);
      }
    }

    @Override
    public Mono<Integer> ping() {
      return Mono.just(0);
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  @DisplayName("a snapshot on another thread counts an actor's suspended calls while the actor"
      + " links and unlinks them on the pool: every walk ends, within the calls held at once")
  void walksFromAnotherThreadEndAndStayWithinTheHeldCalls() throws InterruptedException {
    try (ActorSystem system = ActorSystem.create()) {
      Holder holder = system.spawn(Holder.class, ActorId.of("holder"), HolderActor::new);
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<Object> wrong = new ConcurrentLinkedQueue<>();
      AtomicLong walks = new AtomicLong();
      Thread walker = new Thread(() -> {
        while (!done.get()) {
          try {
            int n = system.actor(ActorId.of("holder")).orElseThrow().suspendedCalls();
            walks.incrementAndGet();
            if (n < 0 || n > CALLS) {
              wrong.add(n);
            }
          } catch (RuntimeException e) {
            wrong.add(e);
          }
        }
      }, "walker");
      walker.start();
      Random random = new Random(44);
      try {
        for (int round = 0; round < ROUNDS; round++) {
          List<Mono<Integer>> replies = new ArrayList<>();
          List<Integer> order = new ArrayList<>();
          for (int i = 0; i < CALLS; i++) {
            replies.add(holder.hold(i));
            order.add(i);
          }
          Collections.shuffle(order, random);
          for (int i : order) {
            holder.release(i); // after its hold: FIFO per pair (rule R4)
          }
          List<Integer> answered = Flux.merge(replies).collectList().block(Duration.ofMinutes(1));
          assertThat(answered).hasSize(CALLS);
        }
      } finally {
        done.set(true);
        walker.join();
      }
      assertThat(wrong).as("counts out of range, or failures of a walk").isEmpty();
      assertThat(walks.get()).isPositive();
      // the last call leaves the list just after its reply, in its turn: one more turn after it
      assertThat(holder.ping().block(Duration.ofMinutes(1))).isZero();
      assertThat(system.actor(ActorId.of("holder")).orElseThrow().suspendedCalls()).isZero();
    }
  }
}

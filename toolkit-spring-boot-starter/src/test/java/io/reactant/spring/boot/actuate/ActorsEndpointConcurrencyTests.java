package io.reactant.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystem;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.actuate.ActorsEndpoint.ActorDescriptor;
import io.reactant.spring.boot.actuate.ActorsEndpoint.ActorsDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Actuator endpoint {@code actors} read while other threads create actors and call them. */
class ActorsEndpointConcurrencyTests {

  @Test
  @DisplayName("readings of /actuator/actors while 2 threads spawn 3,000 actors each and call them:"
      + " each reading is whole (no failure, at most the limit listed, each named and counted, the"
      + " count never falling), and the reading after them counts them all")
  void readingsRacingSpawnsAreWhole() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      ActorsEndpoint endpoint = new ActorsEndpoint(system);
      int threads = 2;
      int perThread = 3_000;
      CyclicBarrier start = new CyclicBarrier(threads + 1);
      AtomicReference<Throwable> failed = new AtomicReference<>();
      List<Thread> spawners = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Thread spawner = new Thread(() -> {
          try {
            start.await(20, TimeUnit.SECONDS);
            for (int i = 0; i < perThread; i++) {
              Counter c = system.spawn(Counter.class, ActorId.of("c-" + thread + "-" + i),
                  CounterActor::new);
              c.bump().subscribe(); // queued work for the readings to see
            }
          } catch (Throwable e) {
            failed.compareAndSet(null, e);
          }
        }, "spawner-" + t);
        spawners.add(spawner);
        spawner.start();
      }
      start.await(20, TimeUnit.SECONDS);
      int readings = 0;
      int lastCount = 0;
      do {
        ActorsDescriptor read = endpoint.actors(10);
        readings++;
        assertThat(read.actors()).hasSizeLessThanOrEqualTo(10);
        assertThat(read.count()).as("reading %d: the count", readings)
            .isGreaterThanOrEqualTo(lastCount);
        lastCount = read.count();
        for (ActorDescriptor actor : read.actors()) {
          assertThat(actor.type()).isEqualTo("Counter");
          assertThat(actor.mailboxDepth()).isNotNegative();
          assertThat(endpoint.actor(actor.id())).as("actor %s by its id", actor.id()).isNotNull();
        }
      } while (spawners.stream().anyMatch(Thread::isAlive) && readings < 1_000_000);
      for (Thread spawner : spawners) {
        spawner.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(spawner.isAlive()).as("a spawner still at work after 20 s").isFalse();
      }
      assertThat(failed.get()).as("a spawner's failure").isNull();
      assertThat(endpoint.actors(10).count()).isEqualTo(threads * perThread);
      Counter last = system.lookup(Counter.class, ActorId.of("c-1-" + (perThread - 1)));
      // its mailbox in order: the bump queued at its spawn, then this one
      assertThat(last.bump().block(Duration.ofSeconds(20))).isEqualTo(2L);
    }
  }
}

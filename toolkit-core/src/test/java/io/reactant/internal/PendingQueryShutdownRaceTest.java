package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.Query;
import io.reactant.scheduler.DeterministicScheduler;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A query still waiting for its {@code Mono} once its first part returned is listed for the
 * shutdown ({@code QueryReply.pending}) while another thread may answer it: whichever of the two
 * takes it out of the list last must tell a shutdown that may be waiting for it. The runtime's
 * list is replaced by one that lines the threads up at the moment the caller lists the query.
 */
class PendingQueryShutdownRaceTest {

  public interface Reader {
    /** Answers what {@code source} emits. */
    @Query
    Mono<Long> read(Mono<Long> source);
  }

  static final class ReaderActor extends Actor implements Reader {
    @Override
    public Mono<Long> read(Mono<Long> source) {
      return source;
    }
  }

  @Test
  @DisplayName("R13 R19 a query answered on another thread as its caller lists it as waiting, while"
      + " a shutdown that began then saw it listed, ends that shutdown when the caller takes it"
      + " out again: the shutdown does not wait for its grace period")
  void aQueryAnsweredAsItIsListedEndsTheShutdownWaitingForIt() throws Exception {
    DeterministicScheduler clock = DeterministicScheduler.create();
    ActorRuntime runtime = TestRuntimes.onClock(clock, "pending-race");
    Reader reader = runtime.spawn(Reader.class, ReaderActor::new);
    Sinks.One<Long> source = Sinks.one();
    AtomicReference<Mono<Void>> shutdown = new AtomicReference<>();
    AtomicBoolean linedUp = new AtomicBoolean();
    Set<ActorRuntime.QueryReply> listed = ConcurrentHashMap.newKeySet();
    Set<ActorRuntime.QueryReply> liningUp = new AbstractSet<>() {
      @Override
      public boolean add(ActorRuntime.QueryReply query) {
        if (!linedUp.compareAndSet(false, true)) {
          return listed.add(query);
        }
        // the caller marked the query listed and is about to list it: another thread answers it
        // now (its end takes it out of the list before it is in), then the caller lists it, and a
        // shutdown begins, sees it listed and waits for it, before the caller reads it answered
        run("pending-race-answer", () -> source.tryEmitValue(7L));
        boolean added = listed.add(query);
        run("pending-race-shutdown", () -> shutdown.set(runtime.shutdown(Duration.ofHours(1))));
        return added;
      }

      @Override
      public boolean remove(Object query) {
        return listed.remove(query);
      }

      @Override
      public boolean isEmpty() {
        return listed.isEmpty();
      }

      @Override
      public Iterator<ActorRuntime.QueryReply> iterator() {
        return listed.iterator();
      }

      @Override
      public int size() {
        return listed.size();
      }
    };
    Field pending = ActorRuntime.class.getDeclaredField("pendingQueries");
    pending.setAccessible(true);
    pending.set(runtime, liningUp);

    Mono<Long> answer = reader.read(source.asMono());

    assertThat(linedUp).as("the query was listed as waiting").isTrue();
    assertThat(answer.block(Duration.ofSeconds(5))).isEqualTo(7L);
    assertThat(listed).as("the queries listed as waiting").isEmpty();
    assertThat(shutdown.get()).as("the shutdown began").isNotNull();
    assertThat(shutdown.get().toFuture().isDone())
        .as("the shutdown ended with the query it waited for, not an hour later").isTrue();
    clock.advanceTimeBy(Duration.ofHours(1)); // ends it at the end of its grace period if not
  }

  /** Runs {@code body} on a thread of its own and waits for it (at most 30 s). */
  private static void run(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.start();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(thread.isAlive()).as("%s still running after 30 s", name).isFalse();
  }
}

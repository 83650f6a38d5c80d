package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Caller;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A scheduler that refuses tasks (one the application supplied, saturated; or the system's own,
 * shut down) leaves the actor with the thread that found it refused: that thread goes on with the
 * actor's envelopes, batch after batch, instead of nesting one run per batch.
 */
class RefusingExecutorTest {

  /** Holds the tasks it accepts until the test runs them; refuses every task once told to. */
  private static final class Refusing implements Scheduler, Executor {
    final ArrayDeque<Runnable> held = new ArrayDeque<>();
    boolean refusing;
    int refused;

    @Override
    public void execute(Runnable task) {
      if (refusing) {
        refused++;
        throw new RejectedExecutionException("saturated");
      }
      held.add(task);
    }

    @Override
    public Disposable schedule(Runnable task) {
      execute(task);
      return Disposables.single();
    }

    @Override
    public Worker createWorker() {
      throw new UnsupportedOperationException("not used by the runtime");
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // nested runs: no end
  @DisplayName("R3 R9 a refused scheduling keeps the actor on the refused thread: 200,000 calls in"
      + " batches of one turn, answered in order, with no stack growing per batch")
  void refusedActorRunsOnTheRefusedThreadWithoutNesting() {
    Refusing scheduler = new Refusing();
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("refusing")
        .scheduler(scheduler).turnsPerScheduling(1).build());
    LongCounter counter = system.spawn(LongCounter.class, LongCounter.Impl::new);
    int calls = 200_000;
    List<AtomicReference<Object>> answers = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      AtomicReference<Object> answer = new AtomicReference<>();
      counter.bump().subscribe(answer::set, answer::set);
      answers.add(answer);
    }
    assertThat(scheduler.held).as("one run scheduled for the idle actor").hasSize(1);
    scheduler.refusing = true;
    scheduler.held.poll().run(); // a batch of one turn, then the pool refuses the actor back

    assertThat(scheduler.refused).as("each batch offered the actor back").isGreaterThan(1000);
    for (int i = 0; i < calls; i++) {
      assertThat(answers.get(i).get()).as("call %d", i).isEqualTo(i + 1L);
    }
    AtomicReference<Object> after = new AtomicReference<>();
    counter.bump().subscribe(after::set, after::set); // refused: runs on this thread at once
    assertThat(after.get()).isEqualTo(calls + 1L);
    system.close();
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("R3 a failure of the runtime between envelopes, with the scheduler refusing the actor"
      + " back, leaves the refused thread going on with the next envelope, in order")
  void failureWhileRefusedGoesOnWithTheNextEnvelope() {
    Refusing scheduler = new Refusing();
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("refusing-failure")
        .scheduler(scheduler).build());
    LongCounter counter = system.spawn(LongCounter.class, LongCounter.Impl::new);
    ActorCell cell = ((ActorRuntime) system).find(io.reactant.actor.ActorRefs.idOf(counter));
    assertThat(cell).isNotNull();
    List<AtomicReference<Object>> answers = new ArrayList<>();
    List<RunFailureTest.Broken> broken = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      if (i % 100 == 0) {
        RunFailureTest.Broken b = new RunFailureTest.Broken();
        broken.add(b);
        cell.enqueueSystem(b);
      }
      AtomicReference<Object> answer = new AtomicReference<>();
      counter.bump().subscribe(answer::set, answer::set);
      answers.add(answer);
    }
    scheduler.refusing = true;
    scheduler.held.poll().run();

    assertThat(broken).allSatisfy(b -> assertThat(b.executed).hasValue(1));
    for (int i = 0; i < answers.size(); i++) {
      assertThat(answers.get(i).get()).as("call %d", i).isEqualTo(i + 1L);
    }
    system.close();
  }

  /** Awaits a gate that a turn of another actor opens; tells who called it. */
  public interface Gated {
    Mono<String> waitFor(Sinks.One<String> gate);

    Mono<String> open(Sinks.One<String> gate);

    Mono<String> whoCalls();
  }

  static final class GatedImpl extends Actor implements Gated {
    @Override
    public Mono<String> waitFor(Sinks.One<String> gate) {
      return await(gate.asMono());
    }

    @Override
    public Mono<String> open(Sinks.One<String> gate) {
      gate.tryEmitValue("open");
      return Mono.just("opened");
    }

    @Override
    public Mono<String> whoCalls() {
      return Mono.just(caller().toString());
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("R17 R21 an actor woken by another actor's turn (which emitted to the sink it awaits)"
      + " and refused by the scheduler runs on that thread outside that turn: a caller's callback"
      + " on its reply does not send as the emitting actor")
  void actorRunOnARefusedThreadIsOutsideTheTurnThatWokeIt() {
    Refusing scheduler = new Refusing();
    scheduler.refusing = true; // every actor runs on the thread that wakes it
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("refusing-nested")
        .scheduler(scheduler).build());
    Gated waiter = system.spawn(Gated.class, GatedImpl::new);
    Gated opener = system.spawn(Gated.class, GatedImpl::new);
    Gated witness = system.spawn(Gated.class, GatedImpl::new);
    Sinks.One<String> gate = Sinks.one();
    AtomicReference<Object> seen = new AtomicReference<>();
    waiter.waitFor(gate).flatMap(open -> witness.whoCalls()).subscribe(seen::set, seen::set);
    assertThat(seen.get()).as("the waiter awaits the gate").isNull();

    AtomicReference<Object> opened = new AtomicReference<>();
    opener.open(gate).subscribe(opened::set, opened::set);

    assertThat(opened.get()).isEqualTo("opened");
    assertThat(seen.get()).isEqualTo(Caller.anonymous().toString());
    system.close();
  }
}

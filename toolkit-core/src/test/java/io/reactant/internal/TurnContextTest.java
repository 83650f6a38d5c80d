package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorId;
import io.reactant.actor.Caller;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a pool thread ({@link ContextCarrier}) reuses and renews its turn context, and how the
 * current context is kept without storing the thread's own turn context in the thread.
 */
class TurnContextTest {

  private final ActorRuntime runtime = TestRuntimes.onClock(DeterministicScheduler.create(), "turns");
  private final ForkJoinPool pool = new ForkJoinPool(1, Carrier::new, null, false);

  @AfterEach
  void close() {
    pool.shutdownNow();
    runtime.close();
  }

  private static final class Carrier extends ContextCarrier {
    Carrier(ForkJoinPool pool) {
      super(pool);
    }
  }

  private ActorCell cell(String id) {
    return new ActorCell(runtime, ActorId.of(id), Runnable.class, Caller.anonymous(), 0, 0);
  }

  private <T> T onPoolThread(Callable<T> body) throws Exception {
    return pool.submit(body).get();
  }

  @Test
  void entersAndLeavesTheThreadsOwnTurnContextWithoutStoringItInTheThread() throws Exception {
    onPoolThread(() -> {
      ContextCarrier thread = (ContextCarrier) Thread.currentThread();
      ActorCell a = cell("a");
      TurnContext t = TurnContext.acquire(a);
      assertThat(t).isSameAs(thread.turnContext);
      assertThat(Contexts.current()).isNull();

      ExecutionContext previous = Contexts.enter(t);
      assertThat(previous).isNull();
      assertThat(Contexts.current()).isSameAs(t);
      assertThat(thread.context).as("the thread's field is left alone").isNull();
      assertThat(a.turnOnThisThread()).isSameAs(t);

      Contexts.restore(previous);
      assertThat(Contexts.current()).isNull();
      assertThat(a.turnOnThisThread()).isNull();
      t.release();
      return null;
    });
  }

  @Test
  void aContextEnteredInsideATurnIsCurrentUntilRestoredThenTheTurnIsAgain() throws Exception {
    onPoolThread(() -> {
      ContextCarrier thread = (ContextCarrier) Thread.currentThread();
      ActorCell outer = cell("outer");
      ActorCell inner = cell("inner");
      TurnContext own = TurnContext.acquire(outer);
      ExecutionContext beforeTurn = Contexts.enter(own);

      // a turn nested on the same stack (a scheduler running tasks inline) gets a fresh context
      TurnContext nested = TurnContext.acquire(inner);
      assertThat(nested).isNotSameAs(own);
      ExecutionContext beforeNested = Contexts.enter(nested);
      assertThat(beforeNested).isSameAs(own);
      assertThat(Contexts.current()).isSameAs(nested);
      assertThat(outer.turnOnThisThread()).as("the outer turn is not current").isNull();
      assertThat(inner.turnOnThisThread()).isSameAs(nested);

      // leaving no context at all, as an activation does, hides the turn too
      ExecutionContext beforeNone = Contexts.enter(null);
      assertThat(beforeNone).isSameAs(nested);
      assertThat(Contexts.current()).isNull();
      Contexts.restore(beforeNone);
      assertThat(Contexts.current()).isSameAs(nested);

      Contexts.restore(beforeNested);
      nested.release();
      assertThat(Contexts.current()).isSameAs(own);
      assertThat(outer.turnOnThisThread()).isSameAs(own);

      Contexts.restore(beforeTurn);
      assertThat(Contexts.current()).isNull();
      assertThat(thread.context).as("nothing is kept reachable from the thread").isNull();
      own.release();
      return null;
    });
  }

  @Test
  void aPoolThreadTakesANewTurnContextAfterItsQuotaOfTurnsButNeverWhileItIsInUse()
      throws Exception {
    onPoolThread(() -> {
      ContextCarrier thread = (ContextCarrier) Thread.currentThread();
      ActorCell a = cell("a");
      TurnContext first = TurnContext.acquire(a);
      first.release();
      int used = 1;
      while (thread.turnContext == first) {
        TurnContext t = TurnContext.acquire(a);
        t.release();
        used++;
        assertThat(used).isLessThanOrEqualTo(TurnContext.TURNS_PER_CONTEXT);
      }
      assertThat(used).isEqualTo(TurnContext.TURNS_PER_CONTEXT);
      TurnContext second = thread.turnContext;
      assertThat(second.thread).isSameAs(thread);

      // due for renewal while the context is bound: the turn keeps it, a nested turn gets a
      // fresh one, and the renewal waits for the context to be free
      TurnContext bound = TurnContext.acquire(a);
      assertThat(bound).isSameAs(second);
      ExecutionContext before = Contexts.enter(bound);
      thread.turnsOnContext = TurnContext.TURNS_PER_CONTEXT;
      TurnContext nested = TurnContext.acquire(cell("b"));
      assertThat(nested).isNotSameAs(bound);
      assertThat(thread.turnContext).as("not replaced while bound").isSameAs(second);
      assertThat(Contexts.current()).isSameAs(bound);
      nested.release();
      Contexts.restore(before);
      bound.release();

      TurnContext third = TurnContext.acquire(a);
      assertThat(third).isNotSameAs(second).isSameAs(thread.turnContext);
      assertThat(second.entered).isFalse();
      assertThat(Contexts.current()).isNull();
      third.release();
      return null;
    });
  }
}

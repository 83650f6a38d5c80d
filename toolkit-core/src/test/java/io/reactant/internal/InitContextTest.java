package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorId;
import io.reactant.actor.Caller;
import io.reactant.scheduler.DeterministicScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InitContextTest {

  private final ActorRuntime runtime = TestRuntimes.onClock(DeterministicScheduler.create(), "init");

  @AfterEach
  void close() {
    runtime.close();
  }

  private ActorCell cell(String id) {
    return new ActorCell(runtime, ActorId.of(id), Runnable.class, Caller.anonymous(), 0, 0);
  }

  @Test
  void aThreadReusesItsContextForCreationsOneAfterTheOther() {
    ActorCell a = cell("a");
    InitContext first = InitContext.acquire(a);
    assertThat(first.cell).isSameAs(a);
    first.bound = new Object();
    assertThat(first.declareName("x", null)).isTrue();
    first.release();

    ActorCell b = cell("b");
    InitContext second = InitContext.acquire(b);
    try {
      assertThat(second).isSameAs(first);
      assertThat(second.cell).isSameAs(b);
      assertThat(second.bound).as("unbound again").isNull();
    } finally {
      second.release();
    }
    assertThat(second.cell).isNull();
  }

  @Test
  void aCreationWhileTheThreadsContextIsBoundGetsAFreshOne() {
    ActorCell outer = cell("outer");
    ActorCell inner = cell("inner");
    InitContext own = InitContext.acquire(outer);
    try {
      InitContext nested = InitContext.acquire(inner);
      assertThat(nested).isNotSameAs(own);
      assertThat(nested.cell).isSameAs(inner);
      assertThat(own.cell).as("the outer creation keeps its actor").isSameAs(outer);
      nested.release();
      assertThat(own.cell).isSameAs(outer);
    } finally {
      own.release();
    }
    assertThat(InitContext.acquire(inner)).as("the thread's own, free again").isSameAs(own);
    own.release();
  }
}

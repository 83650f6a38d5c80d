package io.reactant.internal;

import io.reactant.actor.TimerId;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** Setting a timer during a turn: tentative, it starts at the commit (rule R25). */
final class TimerRequest implements Outgoing {

  private final ActorCell cell;
  private final TimerId id;
  private final Duration delay;
  private final boolean recurring;
  private final Supplier<? extends @Nullable Mono<?>> job;

  TimerRequest(ActorCell cell, TimerId id, Duration delay, boolean recurring,
      Supplier<? extends @Nullable Mono<?>> job) {
    this.cell = cell;
    this.id = id;
    this.delay = delay;
    this.recurring = recurring;
    this.job = job;
  }

  @Override
  public void release() {
    cell.startTimer(id, delay, recurring, job);
  }

  @Override
  public void revoke() {
    // the timer never existed
  }
}

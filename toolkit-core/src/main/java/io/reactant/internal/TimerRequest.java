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
  /** The context of the turn that set the timer, restored around each firing; null for none. */
  private final @Nullable Object carried;

  TimerRequest(ActorCell cell, TimerId id, Duration delay, boolean recurring,
      Supplier<? extends @Nullable Mono<?>> job, @Nullable Object carried) {
    this.cell = cell;
    this.id = id;
    this.delay = delay;
    this.recurring = recurring;
    this.job = job;
    this.carried = carried;
  }

  @Override
  public void release() {
    cell.startTimer(id, delay, recurring, job, carried);
  }

  @Override
  public void revoke() {
    // the timer never existed
  }
}

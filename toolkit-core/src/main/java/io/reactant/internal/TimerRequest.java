package io.reactant.internal;

import io.reactant.actor.TimerId;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
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
  /** The timer's entry, registered before its actor existed (an initializer's); null before. */
  private Disposable.@Nullable Swap reserved;

  TimerRequest(ActorCell cell, TimerId id, Duration delay, boolean recurring,
      Supplier<? extends @Nullable Mono<?>> job, @Nullable Object carried) {
    this.cell = cell;
    this.id = id;
    this.delay = delay;
    this.recurring = recurring;
    this.job = job;
    this.carried = carried;
  }

  /**
   * Registers the timer of an initializer before its actor exists, so that a cancellation
   * committed by a turn that runs as soon as the actor exists, before {@link #release}, holds.
   */
  void reserve() {
    reserved = cell.reserveTimer(id);
  }

  @Override
  public void release() {
    Disposable.Swap handle = reserved;
    if (handle == null) {
      cell.startTimer(id, delay, recurring, job, carried);
    } else {
      cell.scheduleTimer(id, handle, delay, recurring, job, carried);
    }
  }

  @Override
  public void revoke() {
    // the timer never existed
  }
}

package io.reactant.internal;

import io.reactant.actor.TimerId;

/** Cancelling a timer during a turn: tentative, it takes effect at the commit (rule R25). */
final class TimerCancel implements Outgoing {

  private final ActorCell cell;
  private final TimerId id;

  TimerCancel(ActorCell cell, TimerId id) {
    this.cell = cell;
    this.id = id;
  }

  @Override
  public void release() {
    cell.stopTimer(id);
  }

  @Override
  public void revoke() {
    // the timer keeps running
  }
}

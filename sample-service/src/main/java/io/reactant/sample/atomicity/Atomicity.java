package io.reactant.sample.atomicity;

import io.reactant.actor.Query;
import reactor.core.publisher.Mono;

/** Motoko's {@code Atomicity} actor: commit points, traps and revoked sends. */
public interface Atomicity {

  /** Sets {@code pinged}. */
  Mono<Void> ping();

  /** Sets {@code s}, sends {@code ping}, then traps: nothing of it stays (rules R8, R10). */
  Mono<Void> atomic();

  /**
   * Sets {@code s}, sends {@code ping}, awaits it, sets {@code s} again, awaits again, then
   * traps: what it committed at its awaits stays (rule R9).
   */
  Mono<Void> nonAtomic();

  /** Puts {@code s} and {@code pinged} back to their initial values. */
  Mono<AtomicityState> reset();

  /** The committed state. */
  @Query
  Mono<AtomicityState> read();

  /**
   * The state of the actor.
   *
   * @param s the number the methods set
   * @param pinged whether {@code ping} ran
   */
  record AtomicityState(int s, boolean pinged) {
  }
}

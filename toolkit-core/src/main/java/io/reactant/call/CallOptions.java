package io.reactant.call;

import io.reactant.internal.ActorProxy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of a call (rule R22), Motoko's {@code (with timeout = ..; cycles = ..)}: a bounded
 * wait and an amount of cost budget ("cycles") moved from the caller to the callee. An immutable
 * value, applied to a reference with {@link #on(Object)}.
 *
 * <pre>{@code
 * CallOptions boundedWait = CallOptions.timeout(Duration.ofSeconds(2));
 * Mono<Long> a = boundedWait.on(counter).bump();                 // code 6 after 2 s
 * Mono<Void> b = boundedWait.withCycles(1_000).on(bank).deposit(); // inside an actor
 * }</pre>
 *
 * <p><b>Timeout.</b> When the time passes before the reply, the caller's future fails with code 6
 * ({@link io.reactant.error.RejectCode#SYS_UNKNOWN}): the callee is not cancelled, may still run
 * and commit, and its late reply is dropped. The clock starts when the message is sent: at once for
 * an ingress call, at the sender's commit for a call made in a turn. A query is bounded too, from
 * the end of its synchronous part (which runs at once, on the caller's thread, and cannot be cut
 * short): when the time passes before its {@code Mono} ends, its future fails with code 6 and the
 * query is cancelled (a query changes nothing, so nothing is left to commit).
 *
 * <p><b>Cycles.</b> Only a call made inside an actor's turn can carry cycles (an ingress call
 * through a reference that attaches cycles throws an {@link IllegalArgumentException} as it is
 * made), and only the actor that applied the options (in its turn or its constructor) attaches
 * them: a reference that attaches cycles, received in a message or made outside the actor, spends
 * none of its receiver's cycles (its calls attach none; its timeout still applies). The cycles
 * leave the sender's balance when the call is made (tentatively: a trap of the
 * sender's turn restores them and the call is never sent). The callee sees them with
 * {@code Actor.cyclesAvailable()}, takes what it wants with {@code Actor.acceptCycles(max)}, and
 * the rest returns to the caller's balance with the reply; all of it if the callee traps before
 * accepting, or if the call is rejected before it runs (what a turn accepts is tentative: a trap
 * of that turn gives it back too). The caller reads the refund of its last awaited call with
 * {@code Actor.cyclesRefunded()}. A call whose bounded wait runs out (code 6) brings no refund:
 * its unaccepted cycles still return to the caller's balance when its late reply arrives, but
 * {@code cyclesRefunded()} after the code 6 is 0, whenever that is.
 */
public final class CallOptions {

  private static final CallOptions NONE = new CallOptions(null, 0);

  private final @Nullable Duration timeout;
  private final long cycles;

  private CallOptions(@Nullable Duration timeout, long cycles) {
    this.timeout = timeout;
    this.cycles = cycles;
  }

  /**
   * Returns the options of an ordinary call: no bounded wait of its own (the system's
   * {@code ActorSystemConfig.defaultCallTimeout} applies, if it has one; else the wait is
   * unbounded), no cycles.
   */
  public static CallOptions none() {
    return NONE;
  }

  /** Returns options with a bounded wait of {@code timeout}. */
  public static CallOptions timeout(Duration timeout) {
    return NONE.withTimeout(timeout);
  }

  /** Returns options that attach {@code cycles} to the call. */
  public static CallOptions cycles(long cycles) {
    return NONE.withCycles(cycles);
  }

  /** Returns a copy with a bounded wait of {@code timeout} (positive). */
  public CallOptions withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("A call timeout must be positive, was " + timeout);
    }
    return new CallOptions(timeout, cycles);
  }

  /** Returns a copy that attaches {@code cycles} (zero or more) to the call. */
  public CallOptions withCycles(long cycles) {
    if (cycles < 0) {
      throw new IllegalArgumentException("Attached cycles cannot be negative, was " + cycles);
    }
    return new CallOptions(timeout, cycles);
  }

  /** Returns the bounded wait, if any. */
  public Optional<Duration> boundedWait() {
    return Optional.ofNullable(timeout);
  }

  /** Returns the cycles attached to each call. */
  public long attachedCycles() {
    return cycles;
  }

  /**
   * Returns a reference to the same actor whose calls carry these options (replacing the options
   * the reference had; without a timeout, the system's default one applies). Its cycles are
   * attached only by calls of the actor in whose turn or constructor this is called.
   *
   * @throws IllegalArgumentException if {@code ref} is not an actor reference
   */
  public <I> I on(I ref) {
    Objects.requireNonNull(ref, "ref");
    ActorProxy handler = ActorProxy.of(ref);
    if (handler == null) {
      throw new IllegalArgumentException(ref.getClass().getName() + " is not an actor reference");
    }
    @SuppressWarnings("unchecked")
    I copy = (I) handler.withOptions(this);
    return copy;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CallOptions c && Objects.equals(c.timeout, timeout) && c.cycles == cycles;
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(timeout) * 31 + Long.hashCode(cycles);
  }

  @Override
  public String toString() {
    return "CallOptions[timeout=" + timeout + ", cycles=" + cycles + "]";
  }
}

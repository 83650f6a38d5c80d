package io.reactant.actor;

import io.reactant.call.Computation;
import io.reactant.error.CallError;
import io.reactant.error.Trap;
import io.reactant.internal.ActorCell;
import io.reactant.state.LongVar;
import io.reactant.state.State;
import io.reactant.state.TxMap;
import io.reactant.state.Var;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The base class of actor implementations: an isolated unit of state behind a Java interface.
 *
 * <p>Subclass it, implement the actor's interface, declare the state in fields with
 * {@link #newVar}, {@link #newLongVar} and {@link #newMap}, and create instances only through
 * {@link ActorSystem#spawn} (a caller gets a reference, never the object, rule R1).
 *
 * <h2>Turns and commit points</h2>
 * Each message runs as a <em>turn</em>, one at a time (rule R2). State changes and sends of a
 * turn are tentative until its commit point: the method's {@code Mono} producing its result, an
 * explicit reject ({@link #reject}), or an {@link #await} (rules R6, R7). Any other exception
 * escaping the method is a <em>trap</em>: the turn is rolled back and its sends are revoked
 * (rules R10, R12). A method that never awaits is atomic (rule R8); each {@code await} splits it
 * into turns between which other messages may run (rule R9).
 *
 * <pre>{@code
 * final class CounterActor extends Actor implements Counter {
 *   private final Var<Long> count = newVar("count", 0L);
 *
 *   public Mono<Long> bump() {             // atomic: one turn
 *     count.update(c -> c + 1);
 *     return Mono.just(count.get());
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safety: the methods of this class must only be called from the actor's own turns
 * (and {@link #newVar}, {@link #newLongVar} and {@link #newMap} from its constructor); elsewhere
 * (a late callback on a foreign thread, another actor) they throw {@link
 * io.reactant.error.IsolationException} at once, except {@link #await} and
 * {@link #awaitIfReady}, whose {@code Mono} fails so when subscribed; {@link #awaitStar}, which
 * only runs its computation where it is subscribed (the state and the awaits the computation
 * uses fail there); {@link #newVar}, {@link #newLongVar} and {@link #newMap}, which throw
 * {@link IllegalStateException} anywhere but the constructor; {@link #actorId} and
 * {@link #creator}, fixed facts that any thread may read; and {@link #timeNow}, the scheduler's
 * clock.
 */
public abstract class Actor {

  /**
   * Binds each new instance to the actor being spawned: got once, from the runtime's only
   * hand-off with this class, which refuses any other caller. The reader given in exchange lets
   * the runtime tell an object whose Actor constructor ran (bound to an actor) from a subclass
   * proxy allocated without one (see {@code ActorCell.actors}).
   */
  private static final ActorCell.Binder BINDER = ActorCell.actors(actor -> ((Actor) actor).cell);

  private final ActorCell cell;

  /**
   * Binds the new instance to the actor being spawned.
   *
   * @throws IllegalStateException when not called under {@link ActorSystem#spawn}
   */
  protected Actor() {
    this.cell = BINDER.bind(this);
    if (INSPECTS.get(getClass())) {
      cell.inspector(this::inspect);
    }
  }

  /**
   * Whether a class or a superclass below {@code Actor} declares {@code inspect(IngressMessage)},
   * read once per class by a scan of its declared methods rather than a lookup by name that throws
   * when the method is absent: in a native image both need only the classes registered for
   * reflection, but a tool that records reflective calls (Spring's RuntimeHintsAgent) can check a
   * scan against that registration, and not a lookup that found nothing.
   */
  private static final ClassValue<Boolean> INSPECTS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      for (Class<?> c = type; c != null && c != Actor.class; c = c.getSuperclass()) {
        for (Method m : c.getDeclaredMethods()) {
          if (m.getName().equals("inspect") && m.getParameterCount() == 1
              && m.getParameterTypes()[0] == IngressMessage.class) {
            return true;
          }
        }
      }
      return false;
    }
  };

  /** Whether {@code implementation} or a superclass below it overrides {@link #inspect}. */
  static boolean overridesInspect(Class<?> implementation) {
    return INSPECTS.get(implementation);
  }

  /** Returns this actor's id. */
  protected final ActorId actorId() {
    return cell.id();
  }

  /**
   * Declares a transactional variable of this actor's state (see {@link Var}), with a name unique
   * within the actor and an initial value. Call it while the actor is constructed (in a field
   * initializer or the constructor); later it throws {@link IllegalStateException}.
   *
   * <p>Null is a value like any other for a type that admits it: {@code Var<@Nullable String>}
   * may start at, be set to and be rolled back to null.
   *
   * <pre>{@code
   * private final Var<Long> count = newVar("count", 0L);
   * private final Var<@Nullable String> nickname = newVar("nickname", null);
   * }</pre>
   */
  protected final <T extends @Nullable Object> Var<T> newVar(String name, T initial) {
    return State.of(cell).var(name, initial);
  }

  /**
   * Declares a transactional {@code long} variable of this actor's state (see {@link LongVar}):
   * what {@link #newVar} gives for a {@code Long}, without boxing, and cheaper to write. Call it
   * while the actor is constructed.
   *
   * <pre>{@code
   * private final LongVar count = newLongVar("count", 0);
   * }</pre>
   */
  protected final LongVar newLongVar(String name, long initial) {
    return State.of(cell).longVar(name, initial);
  }

  /**
   * Declares a transactional map of this actor's state (see {@link TxMap}), initially empty, with
   * a name unique within the actor. Call it while the actor is constructed.
   */
  protected final <K, V> TxMap<K, V> newMap(String name) {
    return State.of(cell).map(name);
  }

  /**
   * Returns who sent the message being executed (rule R21): an actor (itself, for a self call or
   * a timer's job), an actor of another system ({@link Caller#foreignActor}), an authenticated
   * principal, or anonymous. It stays the method's caller in every
   * turn of the method, after each of its awaits too, so a check of it holds for the whole call.
   * Only inside a turn or query of this actor.
   *
   * <p>To call back an actor caller through one of its interfaces:
   * {@code caller().actorId().map(id -> actorOf(Listener.class, id))} (empty for a principal,
   * anonymous or foreign actor caller; a method the caller does not implement fails with code 3).
   */
  protected final Caller caller() {
    return cell.caller();
  }

  /**
   * Returns who created this actor: the creating actor for an actor-class instance, a foreign
   * actor if it was an actor of another system (rule R21).
   */
  protected final Caller creator() {
    return cell.creator();
  }

  /**
   * Returns a reference to this actor, to call its own shared methods: each call is an ordinary
   * message, executed in a later turn (rule R5).
   *
   * @param type one of the actor interfaces this actor implements
   * @throws IllegalArgumentException if this actor does not implement {@code type} (in a turn: a
   *     trap), whose calls could only fail
   */
  protected final <I> I self(Class<I> type) {
    Objects.requireNonNull(type, "type");
    if (!type.isInstance(this)) {
      throw new IllegalArgumentException(this + " does not implement " + type.getName()
          + ": self(type) takes one of the actor interfaces it implements");
    }
    return cell.self(type);
  }

  /**
   * Returns a reference to another actor of the same system. Nothing is checked now: a call
   * through it fails with code 3 if there is no such actor (a virtual one excepted) or it does not
   * implement {@code type}.
   */
  protected final <I> I actorOf(Class<I> type, ActorId id) {
    return cell.lookup(Objects.requireNonNull(type, "type"), Objects.requireNonNull(id, "id"));
  }

  /**
   * Returns a reference to another actor of the same system, as {@link #actorOf(Class, ActorId)}
   * does, with the id {@link ActorId#of(String)} makes of {@code id} (an id taken from a message,
   * for example).
   *
   * @throws IllegalArgumentException if {@code id} is blank, as {@link ActorId#of(String)} throws
   *     (in a turn: a trap)
   */
  protected final <I> I actorOf(Class<I> type, String id) {
    Objects.requireNonNull(type, "type");
    return actorOf(type, ActorId.of(Objects.requireNonNull(id, "id")));
  }

  /**
   * Creates an instance of an actor class (rule R20). The creation is a tentative effect of the
   * current turn: it starts when the turn commits and never happens if the turn traps.
   *
   * <p>The returned {@code Mono} is the creation's future, as a call's is: the creation is sent
   * whether or not it is subscribed, and the future completes with the new actor's reference
   * once the turn has committed and the actor exists, or fails with a {@link CallError} (code 5
   * if its initializer traps). Unlike Pekko's {@code context.spawn}, the reference is not there at
   * once: {@link #await} the future to keep it in this actor's state, in the turn that continues
   * after the await, when other messages may have run (a get-or-create by name marks the name in
   * a cell first). A {@code map} of it without an await runs outside the actor, where state access
   * fails (rule R17).
   *
   * <pre>{@code
   * return await(spawn(ROOM, name)).map(room -> { rooms.put(name, room); return room; });
   * }</pre>
   */
  protected final <I, P> Mono<I> spawn(ActorClass<I, P> actorClass, P argument) {
    return cell.spawn(actorClass, argument);
  }

  /**
   * Motoko's {@code await} (rule R13): a {@code Mono} whose subscription is a commit point.
   *
   * <p>When the method's chain reaches it, the current turn commits (its state changes and sends
   * become permanent), ends, and lets other messages of this actor run. When the future completes,
   * a continuation is queued behind the messages already in the mailbox, and the operators after
   * the await run in that new turn. It commits and suspends even if the future is already
   * complete. Awaiting the future of a call that can only complete after the current call replies
   * is a trap, not a deadlock. An awaited {@code Mono} that only subscribes to such a future
   * ({@code f.map(g)}, {@code Mono.defer(() -> f)}, one branch of a race) gets a {@link Trap} as
   * that subscription's error instead: the turn commits, and the error, unless handled, traps the
   * continuation.
   *
   * <pre>{@code
   * return await(other.read())                // commit point
   *     .map(n -> { total.set(n); return n; }); // runs in a new turn
   * }</pre>
   */
  protected final <T> Mono<T> await(Mono<T> future) {
    return cell.await(Objects.requireNonNull(future, "future"), false);
  }

  /**
   * Motoko's {@code await?} (rule R14): continues in the same turn, without committing, if the
   * future is already complete (a completed call future, or a constant such as
   * {@code Mono.just}); otherwise behaves as {@link #await}.
   */
  protected final <T> Mono<T> awaitIfReady(Mono<T> future) {
    return cell.await(Objects.requireNonNull(future, "future"), true);
  }

  /**
   * Motoko's {@code await*} (rule R15): runs the computation inline in the current turn, with no
   * commit point of its own. Each call runs the computation again.
   */
  protected final <T> Mono<T> awaitStar(Computation<T> computation) {
    Objects.requireNonNull(computation, "computation");
    return Mono.defer(computation::run);
  }

  // ---- cycles (rule R22)

  /**
   * Returns this actor's cycles balance as the current turn sees it (tentative changes included).
   */
  protected final long cyclesBalance() {
    return cell.balance();
  }

  /**
   * Returns the cycles attached to the message being executed and not accepted yet. Only inside a
   * turn or query of this actor.
   */
  protected final long cyclesAvailable() {
    return cell.cyclesAvailable();
  }

  /**
   * Moves up to {@code max} of the cycles attached to the current message into this actor's
   * balance, tentatively until the commit point, and returns how many it took (none for a
   * {@code max} of 0 or less). What is not accepted goes back to the caller with the reply (all of
   * it if the turn traps). The balance saturates at {@link Long#MAX_VALUE}.
   */
  protected final long acceptCycles(long max) {
    return cell.acceptCycles(max);
  }

  /**
   * Returns the cycles refunded with the reply of the call future this method awaited last (0 if
   * it attached none). A call whose bounded wait ran out (code 6) brings no refund: 0, even if its
   * late reply has landed meanwhile (its unaccepted cycles return to the balance all the same).
   * After an await of a {@code Mono} built on call futures ({@code await(f.map(g))}, a
   * {@code Mono.defer} or a {@code zip} of calls), the sum of the refunds that came with the
   * replies it received before it signalled, each call's once however many times its reply was
   * received (0 if it received none), through an {@code await} inside it too; the await's
   * subscriptions must carry its Reactor context, as Reactor's operators pass it on.
   */
  protected final long cyclesRefunded() {
    return cell.cyclesRefunded();
  }

  // ---- time and timers (rule R25)

  /**
   * Returns the current time of the system's scheduler, Motoko's {@code Time.now()}: the wall
   * clock, to the millisecond, on the default pool or another real scheduler; the virtual clock of
   * a {@link io.reactant.scheduler.DeterministicScheduler} or of Reactor's
   * {@code VirtualTimeScheduler} (which start at {@link Instant#EPOCH}, or where {@link
   * io.reactant.scheduler.DeterministicScheduler#startingAt} puts it), so that code that reads
   * the time runs on the same clock as its timers and timeouts. Use it rather than
   * {@code Instant.now()} in actors tested on virtual time. As Motoko's, it never goes back, even
   * when the wall clock is set back, and it is constant within a turn (within one message's
   * execution, for Motoko): a turn, query or constructor of this actor reads the clock once, the
   * first time it asks, and gets that instant for the rest of it; the continuation after an
   * {@code await} is a turn of its own, and reads the clock anew. A composite query reads one
   * instant across its awaits, as it reads one snapshot of the state (the queries it awaits read
   * their own). Any thread may call it (outside this actor's turns, each call reads the clock).
   */
  protected final Instant timeNow() {
    return cell.timeNow();
  }

  /**
   * Sets a one-shot timer: after {@code delay}, {@code job} runs as a message to this actor
   * itself, with ordinary turn semantics (it may await; a trap rolls back only that job; a reject
   * commits), whose {@link #caller()} is this actor. The job returns a {@code Mono}
   * ({@link #done()} when there is nothing to wait for): one that returns null traps, as a method
   * that does, with a message naming the timer. Setting a timer is an effect of the current turn:
   * it starts when the turn commits and never exists if the turn traps. Allowed in the
   * constructor, where it starts once the actor exists.
   *
   * @throws IllegalArgumentException if {@code delay} is negative (in a turn: a trap)
   */
  protected final TimerId setTimer(Duration delay, Supplier<? extends Mono<?>> job) {
    return cell.setTimer(delay, false, job);
  }

  /**
   * Sets a recurring timer: every {@code interval}, {@code job} runs as a message to this actor
   * itself, as for {@link #setTimer}; it keeps firing after a job that traps (one that returns
   * null too) or rejects, until cancelled or the system shuts down. A firing that still waits in
   * the mailbox covers the next ones: firings do not pile up behind a busy actor, and missed
   * intervals are not made up. A job that awaits does not hold the timer back: the next firing
   * starts its job on time, and the two interleave at their awaits (rule R9), as Motoko's timer
   * jobs do.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive (in a turn: a trap)
   */
  protected final TimerId recurringTimer(Duration interval, Supplier<? extends Mono<?>> job) {
    return cell.setTimer(interval, true, job);
  }

  /**
   * Cancels a timer when the current turn commits: from then on no firing starts its job, not even
   * one that already waits in the mailbox (it is dropped); a job already started goes on.
   * Cancelling an unknown or expired timer (a one-shot whose job has started) does nothing.
   */
  protected final void cancelTimer(TimerId timer) {
    cell.cancelTimer(timer);
  }

  // ---- ingress inspection (rule R26)

  /**
   * Inspects an ingress update call before it is queued (rule R26): return false, or signal a
   * reject, to refuse it; the caller then gets code 4. A trap here also refuses it (code 5). It
   * runs on the caller's thread against the committed state; its state changes are discarded and
   * it cannot send messages. A call to a virtual actor not activated yet is inspected by the new
   * instance, in its initial state, before it is registered: a call it refuses activates nothing.
   * A cheap filter, not the only security check: calls from other actors and queries are not
   * inspected. The default accepts everything.
   */
  protected boolean inspect(IngressMessage message) {
    return true;
  }

  /** Returns an empty result, for methods returning {@code Mono<Void>}. */
  protected static Mono<Void> done() {
    return Mono.empty();
  }

  /**
   * Motoko's {@code throw Error.reject(message)} (rule R11): a {@code Mono} that fails with an
   * explicit reject. The turn's changes up to it commit, and the caller's future fails with code 4
   * and this message. Like any {@code Mono}, it acts only once the method returns it (or a
   * {@code Mono} built on it): written as a statement, {@code reject("short");} does nothing and
   * the method goes on. To reject from a statement, {@code throw CallError.reject(message)}.
   */
  protected static <T> Mono<T> reject(String message) {
    return Mono.error(CallError.reject(message));
  }

  /**
   * Motoko's {@code Debug.trap(message)} (rule R12): throws a {@link Trap}, rolling back the
   * current turn. Like Motoko's trap, it cannot be caught: the turn (or query, or initializer)
   * traps even if the code catches the exception. Declared to return a value so it can be used
   * as an expression.
   */
  protected static <T> T trap(String message) {
    throw ActorCell.raiseInCurrentContext(new Trap(message));
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + cell.id() + "]";
  }
}

package io.reactant.actor;

import io.reactant.internal.ActorRuntime;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * A set of actors sharing an executor: it creates actors, hands out references to them and
 * delivers their messages.
 *
 * <p>Guarantees: each actor executes one turn at a time (rule R2) while different actors run in
 * parallel on a shared pool of threads; an idle actor holds no thread. Messages from one sender to
 * one receiver execute in the order sent (rule R4). All methods are thread-safe and may be called
 * from any thread outside an actor (an <em>ingress</em> call); inside an actor, use the methods of
 * {@link Actor} instead. The methods that change the system at once ({@link #spawn(Class,
 * Supplier)}, {@link #spawnIfAbsent}, whether or not the actor exists, {@link #registerVirtual},
 * {@link #topUp}, {@link #shutdown}, {@link #close}) are the host's: inside an actor's turn, query,
 * inspection or initializer they trap, since no rollback would undo them (rules R6, R17). The
 * readings ({@link #lookup}, {@link #contains}, {@link #actors}, {@link #cyclesBalance}, ...)
 * may be used anywhere.
 *
 * <pre>{@code
 * try (ActorSystem system = ActorSystem.create()) {
 *   Counter counter = system.spawn(Counter.class, CounterActor::new);
 *   long value = counter.bump().block();
 * }
 * }</pre>
 */
public interface ActorSystem extends AutoCloseable {

  /** Starts a system with the default configuration: one thread per core. */
  static ActorSystem create() {
    return create(ActorSystemConfig.defaults());
  }

  /** Starts a system with the given configuration. */
  static ActorSystem create(ActorSystemConfig config) {
    return ActorRuntime.start(config);
  }

  /** Returns the configuration this system was started with. */
  ActorSystemConfig config();

  /**
   * Creates an actor with a generated id and returns a reference to it.
   *
   * <p>The factory runs at once, on the calling thread, as the actor's initializer: it may declare
   * and set state and may trap (the spawn then throws a {@link io.reactant.error.CallError} of
   * code 5), but may not send messages (rule R18).
   *
   * @param type the actor's interface: every method returns {@code Mono<T>} or is {@code void}
   * @param factory constructs a new instance of a subclass of {@link Actor} that implements
   *     {@code type}, typically a constructor reference such as {@code CounterActor::new}
   * @throws IllegalArgumentException if {@code type} is not a valid actor interface, or the
   *     factory does not return a new actor that implements it
   * @throws io.reactant.error.CallError of code 5 if the initializer traps; of code 2
   *     ({@link io.reactant.error.RejectCode#SYS_TRANSIENT}) if the system is shut down or holds
   *     {@link ActorSystemConfig#maxActors()} actors: nothing is created
   * @throws io.reactant.error.Trap inside an actor's turn, query, inspection or initializer, where
   *     an actor creates another with {@link Actor#spawn(ActorClass, Object)} instead
   */
  <I> I spawn(Class<I> type, Supplier<? extends I> factory);

  /**
   * Creates an actor with the given id; see {@link #spawn(Class, Supplier)}, whose exceptions it
   * throws too.
   *
   * @throws IllegalArgumentException if an actor with that id exists
   */
  <I> I spawn(Class<I> type, ActorId id, Supplier<? extends I> factory);

  /**
   * Returns a reference to the actor with the given id, creating it with {@code factory} if it
   * does not exist yet (virtual actors, activated on first use). Atomic: when several threads
   * race, exactly one actor is created. Creating it throws what {@link #spawn(Class, Supplier)}
   * throws.
   *
   * @throws IllegalArgumentException if the actor with that id exists but does not implement
   *     {@code type} (it was created as another interface): a reference of {@code type} to it could
   *     only fail with code 3, and the factory does not run
   * @throws io.reactant.error.Trap inside an actor's turn, query, inspection or initializer, even
   *     when the actor exists: what it does there would depend on a race with another creator
   */
  <I> I spawnIfAbsent(Class<I> type, ActorId id, Supplier<? extends I> factory);

  /**
   * Declares the actors of interface {@code type} as <em>virtual</em>: an update or oneway call
   * through a reference of that type to an id that has no actor yet first creates it with
   * {@code factory}, as Orleans grains and Dapr actors are activated by their first call. This
   * works for every caller: ingress calls and calls from other actors alike (the actor is created
   * when the call is delivered, outside any turn, so it is not an effect of the caller's turn).
   * The initializer runs on the delivering thread; if it traps, the call fails with code 5. When
   * several calls race to activate one id, exactly one instance becomes the actor; initializers
   * cannot send, so the others have had no effect and are dropped.
   *
   * <p>A query (rule R19) creates nothing: one to an id that has no actor yet is answered from
   * the initial state, in an instance the factory builds for that query alone and that is never
   * registered (it is not counted against {@link ActorSystemConfig#maxActors()}, and its
   * initializer's timers never start), so anonymous reads cannot fill the system. An update
   * racing it activates the actor as usual; the query answers as if it came first. Nor does an
   * ingress call that the new actor's inspection refuses (rule R26): the inspection runs on the
   * new instance before it is registered.
   *
   * <p>It is the host's: inside an actor's turn, query, inspection or initializer it traps, and
   * nothing is registered (a registration no rollback would undo, rules R6, R17).
   *
   * @throws IllegalArgumentException if the type is not a valid actor interface, or already has
   *     a factory
   * @throws io.reactant.error.Trap inside an actor's turn, query, inspection or initializer
   */
  <I> void registerVirtual(Class<I> type, java.util.function.Function<ActorId, ? extends I> factory);

  /**
   * Creates an instance of an actor class asynchronously (rule R20): the returned future completes
   * with a reference to the new actor, or fails with code 5 if its initializer trapped (code 2
   * if the system is shut down or holds {@link ActorSystemConfig#maxActors()} actors). Called
   * from inside an actor (through {@link Actor#spawn}), the creation is a tentative effect of the
   * turn and the new actor's creator is that actor (rule R21).
   */
  <I, P> Mono<I> spawn(ActorClass<I, P> actorClass, P argument);

  /**
   * Returns a reference to the actor with the given id, seen through {@code type}. Nothing is
   * checked now: a call through the reference fails with code 3
   * ({@link io.reactant.error.RejectCode#DESTINATION_INVALID}) if there is no such actor or it does
   * not implement {@code type}.
   */
  <I> I lookup(Class<I> type, ActorId id);

  /**
   * Returns a reference to the actor with the given id, as {@link #lookup(Class, ActorId)} does,
   * with the id {@link ActorId#of(String)} makes of {@code id}.
   *
   * @throws IllegalArgumentException if {@code id} is blank, as {@link ActorId#of(String)} throws
   */
  default <I> I lookup(Class<I> type, String id) {
    Objects.requireNonNull(type, "type");
    return lookup(type, ActorId.of(Objects.requireNonNull(id, "id")));
  }

  /** Returns whether an actor with this id lives in the system. */
  boolean contains(ActorId id);

  /** Returns the ids of the live actors, a snapshot (a copy: it costs in proportion to them). */
  Set<ActorId> actorIds();

  /**
   * Returns the number of live actors, without copying anything: exact when no actor is being
   * spawned or stopped meanwhile, else an estimate between the counts before and after.
   */
  int actorCount();

  /**
   * Returns a snapshot of every live actor, for monitoring: one {@link ActorInfo} per actor, so it
   * costs in proportion to them (see {@link #actor}, {@link #queuedMessages} and
   * {@link #deepestMailbox} for cheaper readings).
   */
  java.util.List<ActorInfo> actors();

  /**
   * Returns snapshots of the {@code limit} actors with the most messages waiting, the fullest
   * mailbox first (equal depths by id): one pass over the actors, and a snapshot only for those
   * returned, so a monitor can look at a system of a million actors. Among actors with equal
   * depths at the limit, which ones are returned is unspecified.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  java.util.List<ActorInfo> busiestActors(int limit);

  /**
   * Returns a snapshot of one live actor, for monitoring, or empty if there is no actor with that
   * id: one lookup, whatever the number of actors.
   */
  java.util.Optional<ActorInfo> actor(ActorId id);

  /**
   * Returns the number of messages waiting in all mailboxes: one pass over the actors that
   * allocates nothing per actor. A sum of {@link #mailboxDepth} readings taken one after the
   * other, so only a hint while messages move.
   */
  long queuedMessages();

  /**
   * Returns the number of actors with work under way: a message waiting, a turn running or about
   * to, or a call suspended at an await. One pass over the actors that allocates nothing per
   * actor, so only a hint while messages move; 0 when the system is quiet (what an orderly
   * shutdown waits for before it stops accepting calls, since a turn under way may still send
   * some).
   */
  int busyActors();

  /**
   * Returns the number of messages waiting in the fullest mailbox, 0 when there is no actor: one
   * pass, as {@link #queuedMessages}.
   */
  int deepestMailbox();

  /** Returns the number of messages waiting in the actor's mailbox (0 for an unknown actor). */
  int mailboxDepth(ActorId id);

  /**
   * Returns how many times the runtime's watchdog woke the pool this system runs on after the pool
   * left tasks waiting with a thread idle (see {@code WorkStealingScheduler.stalledWakeUps}); 0
   * on any other scheduler. Systems that share a pool report the same count.
   */
  long poolWakeUps();

  /**
   * Returns an executor that runs tasks on the threads the actors' turns run on (the system's
   * pool, or the scheduler of its configuration), outside any actor; once they refuse tasks (the
   * system shut down), it runs a task at once on the calling thread. For host code that calls
   * actors from a thread that must not run their code, such as a web server's event loop: an
   * ingress query, an ingress inspection (rule R26) and a virtual actor's activation run on the
   * calling thread. A task that blocks holds a thread of the actors, as a turn that blocks does.
   */
  java.util.concurrent.Executor executor();

  /**
   * Adds cycles to an actor's balance (rule R22), outside any turn: committed at once. It is the
   * host's: inside an actor's turn, query, inspection or initializer it traps (an actor would mint
   * cycles, and no rollback would take them back).
   *
   * @throws IllegalArgumentException if {@code cycles} is negative, or would take the balance
   *     past {@link Long#MAX_VALUE} (nothing is added)
   * @throws io.reactant.error.CallError of code 3 if there is no such actor
   * @throws io.reactant.error.Trap inside an actor's turn, query, inspection or initializer
   */
  void topUp(ActorId id, long cycles);

  /**
   * Returns an actor's committed cycles balance.
   *
   * @throws io.reactant.error.CallError of code 3 if there is no such actor
   */
  long cyclesBalance(ActorId id);

  /**
   * Returns whether the system's shutdown has begun ({@link #shutdown} or {@link #close} was
   * called, inside its grace period or after it): from then on it accepts no new call (they fail
   * with code 2), and it never accepts calls again. A reading that may be used anywhere, an actor's
   * turn included. Thread-safe: once {@code shutdown} or {@code close} returned on one thread,
   * every thread reads {@code true} (a volatile read; a call refused with code 2 because of the
   * shutdown is likewise seen after it); a {@code shutdown} that threw (a negative grace period, or
   * one called inside an actor) began nothing.
   */
  boolean isShutdown();

  /**
   * Shuts the system down in order and returns a future that completes when it is done.
   *
   * <ol>
   *   <li>At once, the system stops accepting calls: new calls, and calls sent by running turns,
   *       fail with code 2 ({@link io.reactant.error.RejectCode#SYS_TRANSIENT}, clean); calls
   *       still queued and not started are answered with code 2 instead of running; timers are
   *       cancelled.</li>
   *   <li>Calls already running (suspended at an await), and queries still waiting for their
   *       {@code Mono}, get up to {@code gracePeriod} to reach their reply: their continuations
   *       still run.</li>
   *   <li>When they are all answered, or when the grace period ends, every actor stops: a call
   *       still unanswered is answered with code 6 ({@link io.reactant.error.RejectCode#SYS_UNKNOWN}:
   *       it may have committed at its earlier awaits) and what it still awaits is cancelled
   *       (cleanup that runs then changes nothing), as is a query (it is cancelled, and
   *       changed nothing), and the executor the system created is
   *       shut down (a bounded wait still pending, on an actor stuck in a turn, still ends its
   *       call with code 6 when it runs out).</li>
   * </ol>
   * No caller waits past the grace period, but one of an actor whose turn blocks its thread past
   * it: that actor answers its calls (queued ones with code 2) only once the turn ends, and the
   * future completes without waiting for it; a bounded wait ({@code CallOptions.timeout}) still
   * ends such a call with code 6. Calling it again returns the same future (the first grace period
   * holds).
   *
   * <p>It is the host's: inside an actor's turn, query, inspection or initializer it traps and
   * nothing shuts down (no rollback would undo it, and it would wait for the turn that called it;
   * rules R6, R17). An actor that must stop the system asks its host, for example by a reply.
   *
   * @throws IllegalArgumentException if {@code gracePeriod} is negative (as
   *     {@link ActorSystemConfig.Builder#shutdownGracePeriod} refuses it)
   * @throws io.reactant.error.Trap inside an actor's turn, query, inspection or initializer
   */
  Mono<Void> shutdown(java.time.Duration gracePeriod);

  /**
   * Shuts the system down with the configured grace period ({@link #shutdown}). When the system
   * owns its executor, waits until the shutdown is done (after an earlier {@link #shutdown}, that
   * one, for up to its grace period, not the configured one, plus 30 s); with a scheduler given in the
   * configuration (for example a deterministic one in tests), returns at once: drive the
   * scheduler to complete it. It also returns at once when called on a thread that must not block
   * (a pool thread, a Reactor non-blocking thread), since the shutdown may need that very thread:
   * the shutdown goes on without it. Inside an actor's turn, query, inspection or initializer it
   * traps, as {@link #shutdown} does.
   *
   * @throws io.reactant.error.Trap inside an actor's turn, query, inspection or initializer
   */
  @Override
  void close();
}

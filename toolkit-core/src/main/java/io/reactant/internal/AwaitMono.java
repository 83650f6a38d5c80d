package io.reactant.internal;

import io.reactant.error.IsolationException;
import io.reactant.error.Trap;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * The operator behind {@code Actor.await} and {@code Actor.awaitIfReady}.
 *
 * <p>Subscribing to it is the commit point (rule R13): inside a turn of its actor it registers an
 * {@link AwaitSubscriber}; the turn then ends and commits, and its continuation is a new turn. A
 * call future is subscribed after the commit; any other {@code Mono} (a {@code Mono.defer}, a
 * {@code zip} or a {@code flatMap} over calls) is subscribed at once, inside the turn, so the
 * calls and writes its subscription makes are the turn's (tentative, committed or revoked with it)
 * and its calls come from this actor, as the calls of an await's operand do in Motoko.
 * {@code awaitIfReady} (rule R14) continues inline, without a commit, when the future is already
 * complete (a completed call future, or a scalar {@code Mono} such as {@code Mono.just}).
 * Inside a composite query it awaits without any commit; inside a plain query it is a trap; outside
 * the actor it is an {@link IsolationException} (rule R17).
 *
 * <p>It is {@link Fuseable}: every subscription it gives a subscriber is a {@link
 * Fuseable.QueueSubscription}, as Reactor's fusing operators expect of such a source. An await that
 * suspends gives one that refuses fusion ({@link UnfusedSubscription}: its own {@link
 * AwaitSubscriber} or {@link QueryAwaitSubscriber}), so that no operator polls the value before the
 * continuation; an error gives Reactor's empty subscription; an {@code awaitIfReady} that continues
 * at once gives Reactor's scalar subscription or a call future's, which may fuse, the value being
 * there already. Why the marker: {@code Mono.map} asks its source {@code instanceof Fuseable}, and
 * on JDK 17 to 22 a test against an interface that fails scans the class's secondary supertypes
 * each time (~10-20 ns, JDK-8180450; see {@link ScalarMonos}), while one that succeeds is answered
 * from a cache in the class. {@code await(f).map(g)}, the usual shape of a continuation, saves that
 * scan: a chain of 10 actors each doing it ran 9 % faster (the twenty-first session in {@code
 * docs/benchmarks-history.md}).
 */
final class AwaitMono<T> extends Mono<T> implements Fuseable {

  private static final int MAX_CYCLE_WALK = 10_000;

  private final ActorCell cell;
  private final Mono<? extends T> source;
  private final boolean ifReady;

  AwaitMono(ActorCell cell, Mono<? extends T> source, boolean ifReady) {
    this.cell = cell;
    this.source = source;
    this.ifReady = ifReady;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    ExecutionContext c = Contexts.current();
    TurnContext turn = cell.turnIn(c);
    if (turn != null) {
      awaitInTurn(turn, actual);
    } else if (c instanceof QueryContext q && q.cell == cell) {
      if (!q.composite) {
        Operators.error(actual, q.raise(new Trap("The query " + q.method + " of " + cell
            + " cannot await (rule R19); mark it @CompositeQuery to await other queries")));
      } else {
        // an update's future refuses a subscription in a query (CallFuture.subscribe, rule R19)
        source.subscribe(new QueryAwaitSubscriber<>(q, actual));
      }
    } else {
      String where = c == null ? "outside any actor" : "in " + c.describe();
      Operators.error(actual, new IsolationException("An await of " + cell + " was subscribed "
          + where + ": await is only allowed inside the actor's own turns (rule R17)"));
    }
  }

  private void awaitInTurn(TurnContext turn, CoreSubscriber<? super T> actual) {
    Call current = turn.call;
    AwaitSubscriber<T> await;
    if (source instanceof CallFuture<?> f) {
      if (ifReady && f.isDone()) {
        // continues in this turn: the refund it reports is this call's, as after an await
        Call answered = f.call();
        turn.refunded = answered == null ? 0 : answered.refunded();
        source.subscribe(actual);
        return;
      }
      await = new AwaitSubscriber<>(cell, current, source, actual);
      Call target = f.call();
      // a future already complete cannot deadlock, whatever its call still awaits
      if (target != null && current != null && !f.isDone()) {
        // published, then checked: of two awaits closing one cycle on two threads at once, each
        // publishes its link before its walk reads the other's, and the fence keeps the read from
        // passing the write (a Dekker handshake), so at least one of the walks sees the cycle. A
        // call this turn sent needs neither fence nor walk: it cannot run, nor await, before this
        // turn's commit, which hands it to its actor's thread after the link (the mailbox's
        // hand-off), and until it runs it awaits nothing and returned nothing, so the walk would
        // end at it (no cycle, nothing to search): ping-pong and chains of awaits pay neither
        await.linked = true;
        current.linkAwait(await);
        if (!sentInThisTurn(turn, target)) {
          VarHandle.fullFence();
          int found = walk(current, target);
          if (found == CYCLE) {
            await.discard(); // unlinked: the await never happened
            Operators.error(actual, turn.raise(deadlock(cell, current, target)));
            return;
          }
          await.scanWrapped = found == OPEN_THROUGH_MONO;
        }
      }
    } else if (ifReady && source instanceof Fuseable.ScalarCallable<?> scalar) {
      turn.refunded = 0; // awaited no call, as after an await of it
      deliverNow(scalar, actual);
      return;
    } else {
      await = new AwaitSubscriber<>(cell, current, source, actual);
      if (current != null && ScalarMonos.scalar(source) == null) {
        // the call waits for this Mono too, which no walk can see through (a timer it races,
        // say): linked, it keeps the call from counting as blocked by its other awaits; a scalar
        // one (Mono.just) signals as it is evaluated, and is not linked
        await.linked = true;
        current.linkAwait(await);
      }
    }
    actual.onSubscribe(await);
    turn.awaits.add(await);
    if (!(source instanceof CallFuture<?>)) {
      // evaluated now, in the turn, as Motoko evaluates an await's operand before the commit: the
      // calls a deferred Mono makes as it is subscribed are this turn's sends (tentative, from
      // this actor); a call future's subscription runs no code and waits for the commit
      await.evaluateInTurn();
      if (await.linked && current != null) {
        // a Mono that waits for one call future only, through a subscription it may share with
        // others (a cache's): no check of a subscription made on this await's behalf sees it
        await.failIfSoleCallDeadlocked(current);
      }
    }
  }

  /** How many of a turn's latest effects {@link #sentInThisTurn} looks at. */
  private static final int RECENT_SENDS = 8;

  /**
   * Whether {@code target} is among the latest effects of the turn the current thread runs, if any,
   * still tentative (rule R6): a call that has not run, which awaits nothing yet and can only run
   * after that turn's commit (see {@link #sentInThisTurn}).
   */
  static boolean sentInCurrentTurn(Call target) {
    return Contexts.current() instanceof TurnContext turn && sentInThisTurn(turn, target);
  }

  /**
   * Whether {@code target} is among the latest effects of {@code turn}, still tentative (rule R6):
   * an await of a call just sent, as {@code await(b.f())} is. Looks at the last {@link
   * #RECENT_SENDS} effects only (a fan-out's earlier sends count as not found: a fence and a walk,
   * no error).
   */
  private static boolean sentInThisTurn(TurnContext turn, Call target) {
    java.util.List<?> outbox = turn.outbox; // as objects: no check against Outgoing (see there)
    for (int i = outbox.size() - 1, end = Math.max(0, i - RECENT_SENDS + 1); i >= end; i--) {
      if (outbox.get(i) == target) {
        return true;
      }
    }
    return false;
  }

  /**
   * Delivers the outcome of a scalar source now, without subscribing to it: its value, its
   * emptiness or its error, through one of Reactor's queue subscriptions whatever subscription
   * the source itself would give (a scalar source of another library may give one that is not).
   */
  @SuppressWarnings("unchecked")
  private static <T> void deliverNow(Fuseable.ScalarCallable<?> scalar,
      CoreSubscriber<? super T> actual) {
    Object value;
    try {
      value = scalar.call();
    } catch (Throwable t) {
      Exceptions.throwIfJvmFatal(t);
      Operators.error(actual, Exceptions.unwrap(t));
      return;
    }
    if (value == null) {
      Operators.complete(actual);
    } else {
      actual.onSubscribe(Operators.scalarSubscription(actual, (T) value));
    }
  }

  /**
   * Whether the awaits from {@code target} lead back to {@code current}: each call on the way
   * replies only after the calls it awaits do. A call that replied already ends its branch (it may
   * still await, for a continuation that no longer decides its reply), and so does an await of a
   * {@code Mono} that is not a call future (it may complete whatever the calls do). A call
   * suspended on several futures at once is blocked only if every one of them leads back: the
   * runtime cannot tell a
   * {@code Mono.zip} of them, which needs all, from a race ({@code Mono.firstWithValue}), which
   * needs one, and a trap cannot be caught, so it must never hit a call that would complete. A
   * call with a bounded wait (rule R22) ends its branch too: its future completes by timing out
   * at the latest, whoever it waits for, so an await of it is no deadlock and its timeout ends the
   * wait with code 6, which the awaiting method may handle; not one whose wait never falls due
   * (146 years or more, {@code ChronoUnit.FOREVER}), which no timeout ends. The walk visits at
   * most {@link #MAX_CYCLE_WALK} calls; past that it assumes no deadlock.
   */
  static boolean wouldDeadlock(Call current, @Nullable Call target) {
    return leadsBack(current, target, null, false) == CYCLE;
  }

  /**
   * As {@link #wouldDeadlock}, going on, at a call that awaits nothing, through the Mono its method
   * returned unawaited when that Mono can only end after one call future does (a {@code map} of
   * it, see {@code AwaitSubscriber.soleCallWaitedFor}): whether a subscription made on the behalf
   * of {@code current}'s await or returned Mono to {@code target}'s future can only complete after
   * {@code current} replies, which fails that subscription only (rule R13), not a turn.
   */
  static boolean wouldDeadlockThroughReturned(Call current, @Nullable Call target) {
    return leadsBack(current, target, null, true) == CYCLE;
  }

  /** What {@link #walk} found: no cycle. */
  static final int NONE = 0;
  /** What {@link #walk} found: a cycle. */
  static final int CYCLE = 1;
  /**
   * What {@link #walk} found: no cycle, but an await of a {@code Mono} that is not a call future
   * on the way, or branches it did not walk, through which one may be closed (see {@code
   * AwaitSubscriber.failWrappedCycles}).
   */
  static final int OPEN_THROUGH_MONO = 2;

  /** As {@link #wouldDeadlock}, telling apart a walk that met an await of another Mono. */
  static int walk(Call current, Call target) {
    return leadsBack(current, target, null, false);
  }

  /**
   * After an await of {@code c} was delivered, or cancelled, while it still awaits others (on the
   * callee's thread): if each of those leads back to {@code c}, as when the other branch of a
   * {@code zip} answered after one branch closed a cycle, {@code c} can no longer complete, and
   * the first of those awaits traps in a continuation turn of its own (rule R13), as it would have
   * when it began had the cycle been closed then.
   */
  static void failIfBlocked(Call c) {
    Object links = c.awaiting();
    AwaitSubscriber<?> first = null;
    if (links instanceof AwaitSubscriber<?> one) {
      if (one.pending() && wouldDeadlock(c, one.awaitedCall())) {
        first = one;
      }
    } else if (links instanceof Call.Links several) {
      int i = several.from;
      int n = several.size;
      while (i < n && !several.items[i].pending()) {
        i++;
      }
      several.from = i; // on the callee's thread: the awaits before i are over for good
      for (; i < n; i++) {
        AwaitSubscriber<?> a = several.items[i];
        if (a.pending()) {
          if (!wouldDeadlock(c, a.awaitedCall())) {
            return;
          }
          if (first == null) {
            first = a;
          }
        }
      }
    }
    if (first != null) {
      Call target = java.util.Objects.requireNonNull(first.awaitedCall());
      first.deadlocked(deadlock(c.cell, c, target));
    }
  }

  /**
   * The trap of an await by {@code actor}, for {@code current}, of {@code target}'s future, which
   * can only complete after {@code current} replies (rule R13): when the await begins, or later.
   */
  private static Trap deadlock(@Nullable ActorCell actor, Call current, Call target) {
    return new Trap(actor + " awaits the future of " + target.method + " on " + target.target.id
        + ", which can only complete after the current call to " + current.method + " replies: the"
        + " await would deadlock (rule R13)");
  }

  /**
   * The state of a walk shared by its branches: its budget, what it found at branching calls. A
   * branching call met again while it is searched counts as blocked; what was found blocked under
   * that assumption is forgotten if the call turns out free after all (see {@link #settle}).
   */
  private static final class Walk {
    int budget;
    final java.util.IdentityHashMap<Call, Boolean> several = new java.util.IdentityHashMap<>();
    /** The branching calls found blocked, in the order they were settled (see {@link #settle}). */
    final java.util.ArrayList<Call> blocked = new java.util.ArrayList<>();
    /** How many Monos {@link #waits} is searching inside one another (each a call deeper). */
    int nesting;
    /** The call of the first subscription {@link #waits} found blocked, if any. */
    @Nullable Call blockedBy;

    Walk(int budget) {
      this.budget = budget;
    }

    /**
     * Records what the search of the branching call {@code x} found, {@code mark} being {@link
     * #blocked}'s size when it began. Found free, the calls found blocked since then are
     * forgotten (searched again if met again): each may have been found so only because {@code
     * x}, met again inside its own search, counted as blocked, as when {@code x} races a call that
     * waits for {@code x} and a sink; kept, they would make a later branch (of a zip, which goes
     * on past a free source) find a cycle that the sink can end. Found free stays free: counting
     * fewer calls blocked finds no more.
     */
    void settle(Call x, boolean isBlocked, int mark) {
      if (isBlocked) {
        several.put(x, Boolean.TRUE);
        blocked.add(x);
        return;
      }
      for (int i = blocked.size() - 1; i >= mark; i--) {
        several.remove(blocked.remove(i));
      }
      several.put(x, Boolean.FALSE);
    }
  }

  /**
   * Whether the awaits from {@code from} lead back to {@code current}. A chain of calls each
   * awaiting one future (the usual case) is walked with no allocation; {@code shared} is created
   * at the first call awaiting several futures and shared by the branches walked from it.
   */
  private static int leadsBack(Call current, @Nullable Call from, @Nullable Walk shared,
      boolean throughReturned) {
    Walk walk = shared;
    int budget = MAX_CYCLE_WALK; // until a walk is shared
    Call x = from;
    for (;;) {
      // a call that replied ends the walk from the moment its future is settled, before its
      // subscribers are told (isDone): its future completes whatever the call still awaits (a
      // detached await of the current call's future), and an await of it meanwhile is no deadlock
      if (x == null || (x.reply != null && x.reply.isSettled()) || x.target.timesOut) {
        return NONE; // no call, one that replied, or one whose future times out at the latest
      }
      if (x == current) {
        return CYCLE;
      }
      if (walk != null ? --walk.budget < 0 : --budget < 0) {
        return NONE;
      }
      Object links = x.awaiting();
      if (links instanceof AwaitSubscriber<?> one && one.pending()) {
        Call awaited = one.awaitedCall();
        if (awaited == null) {
          // an await of a Mono that is not a call future: searched through its operators when the
          // search may fail subscriptions only (never for a trap)
          return throughReturned
              ? monoLeadsBack(current, x, one.upstream(), walk != null ? walk : new Walk(budget))
              : OPEN_THROUGH_MONO;
        }
        x = awaited;
        continue;
      }
      if (!(links instanceof Call.Links several)) {
        // awaits nothing: it may still wait for the Mono its method returned unawaited, which is
        // a link when it is a call future itself (returned as is, or through Mono.defer), and
        // may wait for call futures through its operators otherwise (a map of one)
        Subscription returned = x.waitsFor();
        if (returned instanceof CallFuture.Inner<?> inner) {
          x = inner.pendingCall();
          continue;
        }
        if (returned == null) {
          return NONE;
        }
        if (!throughReturned) {
          return OPEN_THROUGH_MONO;
        }
        Call sole = AwaitSubscriber.soleCallWaitedFor(x, returned);
        if (sole != null) {
          x = sole; // a chain of maps: no allocation
          continue;
        }
        return monoLeadsBack(current, x, returned, walk != null ? walk : new Walk(budget));
      }
      if (walk == null) {
        walk = new Walk(budget);
      }
      java.util.IdentityHashMap<Call, Boolean> known = walk.several;
      // met again while its branches are open: a cycle among calls that each wait for it, which
      // none of them can end; if a branch of it is not blocked after all, the walk answers false
      // (every call on the way needs all its branches), so this assumption never makes a trap
      Boolean found = known.putIfAbsent(x, Boolean.TRUE);
      if (found != null) {
        return found ? CYCLE : NONE;
      }
      int mark = walk.blocked.size();
      int blocked = NONE;
      for (int i = several.from, n = several.size; i < n; i++) {
        AwaitSubscriber<?> a = several.items[i];
        if (a.pending()) {
          Call awaited = a.awaitedCall();
          if (awaited != null) {
            blocked = leadsBack(current, awaited, walk, throughReturned);
          } else if (throughReturned) {
            blocked = waits(current, a.upstream(), walk, 0) == BLOCKED ? CYCLE : OPEN_THROUGH_MONO;
          } else {
            blocked = OPEN_THROUGH_MONO;
          }
          if (blocked != CYCLE) {
            if (blocked == NONE && i + 1 < n) {
              blocked = OPEN_THROUGH_MONO; // the branches left may still await such a Mono
            }
            break; // this future may complete first: the call is not blocked
          }
        }
      }
      walk.settle(x, blocked == CYCLE, mark);
      return blocked;
    }
  }

  /**
   * Whether the Mono that {@code x} waits for, awaited or returned unawaited ({@code top}, the
   * subscription its awaiting or returning subscriber got), can only end after {@code current}
   * replies ({@link #CYCLE}), else {@link #OPEN_THROUGH_MONO}: see {@link #waits}. {@code x} is
   * a branching call of the walk: met again while it is searched, it counts as blocked, as a call
   * awaiting several futures does.
   */
  private static int monoLeadsBack(Call current, Call x, @Nullable Object top, Walk walk) {
    Boolean found = walk.several.putIfAbsent(x, Boolean.TRUE);
    if (found != null) {
      return found ? CYCLE : NONE;
    }
    int mark = walk.blocked.size();
    boolean blocked = waits(current, top, walk, 0) == BLOCKED;
    walk.settle(x, blocked, mark);
    return blocked ? CYCLE : OPEN_THROUGH_MONO;
  }

  /** What {@link #waits} found: the subscription may end before {@code current} replies. */
  private static final int FREE = 0;
  /** What {@link #waits} found: the subscription can only end after {@code current} replies. */
  private static final int BLOCKED = 1;
  /** What {@link #waits} found: the subscription is over (answered, failed or cancelled). */
  private static final int ENDED = 2;

  /** How deep {@link #waits} goes into one Mono's operators. */
  private static final int MAX_OPERATOR_DEPTH = 32;
  /**
   * How many calls deep {@link #waits} follows Monos that wait for calls that wait for Monos (each
   * a recursion: the bound keeps the search off the end of a thread's stack).
   */
  private static final int MAX_NESTING = 200;

  /**
   * Whether the subscription {@code o}, from the bottom of a Mono's chain of Reactor operators, can
   * only end after {@code current} replies (rule R13), going down what Reactor's {@link
   * reactor.core.Scannable} operators show, through the operators that end only through their
   * sources ({@link ReactorOperators}), to subscriptions to call futures: one to the future of a
   * call that leads back to {@code current} is {@link #BLOCKED}; one that is over {@link #ENDED}.
   * A chain of {@link ReactorOperators#PASS_THROUGH_SUBSCRIBERS} is as its source; a zip ({@link
   * ReactorOperators#ALL_OF_SUBSCRIPTIONS}) is blocked when one of its sources is; a race ({@link
   * ReactorOperators#ANY_OF_SUBSCRIPTIONS}) when each of its sources not over is. Any other
   * operator (a {@code timeout}, an {@code onErrorResume}, a {@code cache}, another library's)
   * is {@link #FREE}: it may end otherwise. Best effort on any thread: a stale read answers a
   * subscription that has ended (not blocked) or an operator's state a moment old.
   */
  private static int waits(Call current, @Nullable Object o, Walk walk, int depth) {
    for (;;) {
      if (o == null || depth++ > MAX_OPERATOR_DEPTH || --walk.budget < 0) {
        return FREE;
      }
      if (o instanceof CallFuture.Inner<?> inner) {
        if (inner.over()) {
          // one that answered a value ends a race it feeds, though perhaps not delivered yet
          return inner.gaveValue() ? FREE : ENDED;
        }
        Call c = inner.future().call();
        if (c == null || walk.nesting >= MAX_NESTING) {
          return FREE; // past that depth, as past the budget: assumed not blocked
        }
        walk.nesting++;
        int found = leadsBack(current, c, walk, true);
        walk.nesting--;
        if (found != CYCLE) {
          return FREE;
        }
        if (walk.blockedBy == null) {
          walk.blockedBy = c;
        }
        return BLOCKED;
      }
      String name = o.getClass().getName();
      if (ReactorOperators.PASS_THROUGH_SUBSCRIBERS.contains(name)
          || ReactorOperators.FAN_IN_INNERS.contains(name)) {
        o = ReactorOperators.scan(o, reactor.core.Scannable.Attr.PARENT);
        continue;
      }
      boolean all = ReactorOperators.ALL_OF_SUBSCRIPTIONS.contains(name);
      if (!all && !ReactorOperators.ANY_OF_SUBSCRIPTIONS.contains(name)) {
        return FREE;
      }
      return all ? waitsForAll(current, o, walk, depth) : waitsForAny(current, o, walk, depth);
    }
  }

  /**
   * {@link #waits} for a zip: blocked when one of its sources is. A {@code Mono.zip} also ends,
   * empty, when another source completes empty, which a pending source may do: counted blocked all
   * the same (docs/semantics.md says why), as the subscriptions' checks count it.
   */
  private static int waitsForAll(Call current, Object zip, Walk walk, int depth) {
    for (Object source : ReactorOperators.inners(zip)) {
      if (waits(current, source, walk, depth) == BLOCKED) {
        return BLOCKED;
      }
    }
    return FREE;
  }

  /**
   * {@link #waits} for a race: blocked when each of its sources not over is (one at least). A
   * source over with a value ends the race, as any source over ends a {@code firstWithSignal}
   * (its error is the race's): the race is free, though it may not have seen the end yet.
   */
  private static int waitsForAny(Call current, Object race, Walk walk, int depth) {
    boolean anySignal = ReactorOperators.SIGNAL_RACE.equals(race.getClass().getName());
    int found = ENDED;
    for (Object source : ReactorOperators.inners(race)) {
      int w = waits(current, source, walk, depth);
      if (w == FREE || w == ENDED && anySignal) {
        return FREE;
      }
      if (w == BLOCKED) {
        found = BLOCKED;
      }
    }
    return found;
  }

  /**
   * The call of one of the subscriptions to call futures that keep the Mono whose subscription is
   * {@code top} (a race an await of {@code current} waits for) from ending before {@code current}
   * replies (see {@link #waits}), or null if it may end before. On the failure path of the
   * subscription searches only.
   */
  static @Nullable Call blockedBy(Call current, @Nullable Object top) {
    Walk walk = new Walk(MAX_CYCLE_WALK);
    return waits(current, top, walk, 0) == BLOCKED ? walk.blockedBy : null;
  }
}

package io.reactant.internal;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.Scannable;

/**
 * What the deadlock checks (rule R13) know of Reactor's operators: which ones end only through
 * their one source (so a chain of them over a call future ends only after it), and which share
 * their subscription to their source with several subscribers. Named by class, as most of them
 * are package-private in Reactor: an upgrade that renames or removes one fails {@code
 * ReactorOperatorsTest}, which loads every name listed here, instead of silently turning what the
 * checks find into what they miss. Stateless; any thread.
 */
final class ReactorOperators {

  private ReactorOperators() {
  }

  /**
   * Reactor's subscribers that end only once their one source has ended, and wait for nothing
   * else ({@code map}, {@code filter}, {@code hide}, the {@code doOn...} family, {@code
   * collectList}, and {@code then}, which waits for one source after the other, its {@link
   * Scannable.Attr#PARENT} the current one): a Mono made of them over a call future ends only
   * after that future does. Any other operator may end
   * without its source (a {@code timeout}, a race) or wait for others (a {@code zip}).
   */
  static final Set<String> PASS_THROUGH_SUBSCRIBERS = Set.of(
      "reactor.core.publisher.FluxMap$MapSubscriber",
      "reactor.core.publisher.FluxMap$MapConditionalSubscriber",
      "reactor.core.publisher.FluxMapFuseable$MapFuseableSubscriber",
      "reactor.core.publisher.FluxMapFuseable$MapFuseableConditionalSubscriber",
      "reactor.core.publisher.FluxFilter$FilterSubscriber",
      "reactor.core.publisher.FluxFilter$FilterConditionalSubscriber",
      "reactor.core.publisher.FluxHide$HideSubscriber",
      "reactor.core.publisher.FluxHide$SuppressFuseableSubscriber",
      "reactor.core.publisher.FluxPeek$PeekSubscriber",
      "reactor.core.publisher.FluxPeekFuseable$PeekConditionalSubscriber",
      "reactor.core.publisher.MonoPeekTerminal$MonoTerminalPeekSubscriber",
      "reactor.core.publisher.MonoCollectList$MonoCollectListSubscriber",
      "reactor.core.publisher.MonoIgnoreThen$ThenIgnoreMain");

  /**
   * Reactor's subscriptions that wait for several sources at once and end, with a value, only
   * once each of them has ended ({@code Mono.zip}, {@code zipWith}, {@code Mono.when}, the {@code
   * flatMap} behind {@code Flux.merge}): one source that can only end after a call replies keeps
   * them from ending before it too (an error of another source may end them first, with that
   * error, and an empty one a {@code zip}, empty: the checks take that risk, see
   * docs/semantics.md). Their inner subscribers are {@link #FAN_IN_INNERS}.
   */
  static final Set<String> ALL_OF_SUBSCRIPTIONS = Set.of(
      "reactor.core.publisher.MonoZip$ZipCoordinator",
      "reactor.core.publisher.MonoWhen$WhenCoordinator",
      "reactor.core.publisher.FluxFlatMap$FlatMapMain");

  /**
   * Reactor's races ({@code Mono.firstWithValue}, {@code Mono.firstWithSignal}): they end once one
   * of their sources gives a value (or, for {@code firstWithSignal}, any signal), so they wait for
   * a call only while each of their sources still pending does. Their inner subscribers are
   * {@link #FAN_IN_INNERS}.
   */
  static final Set<String> ANY_OF_SUBSCRIPTIONS = Set.of(
      "reactor.core.publisher.FluxFirstWithValue$RaceValuesCoordinator",
      "reactor.core.publisher.FluxFirstWithSignal$RaceCoordinator");

  /**
   * The inner subscribers of {@link #ALL_OF_SUBSCRIPTIONS} and {@link #ANY_OF_SUBSCRIPTIONS}, one
   * per source: their {@link Scannable.Attr#PARENT} is their subscription to that source.
   */
  static final Set<String> FAN_IN_INNERS = Set.of(
      "reactor.core.publisher.MonoZip$ZipInner",
      "reactor.core.publisher.MonoWhen$WhenInner",
      "reactor.core.publisher.FluxFlatMap$FlatMapInner",
      "reactor.core.publisher.FluxFirstWithValue$FirstValuesEmittingSubscriber",
      "reactor.core.publisher.FluxFirstWithSignal$FirstEmittingSubscriber");

  /** The coordinator of a {@code Mono.firstWithSignal} race, in {@link #ANY_OF_SUBSCRIPTIONS}. */
  static final String SIGNAL_RACE = "reactor.core.publisher.FluxFirstWithSignal$RaceCoordinator";

  /**
   * The inner subscriber of a {@code Mono.firstWithSignal} race: an error of its source ends the
   * race with that error, whatever the other sources would do.
   */
  static final String SIGNAL_RACE_INNER =
      "reactor.core.publisher.FluxFirstWithSignal$FirstEmittingSubscriber";

  /**
   * The inner subscriber of a {@code Mono.firstWithValue} race: an error of its source drops it
   * from the race; once all have, the race ends with a {@code NoSuchElementException}.
   */
  static final String VALUE_RACE_INNER =
      "reactor.core.publisher.FluxFirstWithValue$FirstValuesEmittingSubscriber";

  /**
   * Reactor's Monos that end only once their one source has ended, and wait for nothing else: the
   * publishers of {@link #PASS_THROUGH_SUBSCRIBERS}' operators, and a {@code cache} (a {@code
   * cacheInvalidateIf}, {@code cacheInvalidateWhen}, {@code share}), whose subscription to its
   * source is shared with its other subscribers: made for another one first (then no subscription
   * of the await's records it, see {@code AwaitSubscriber.subscribedOnBehalf}), or never failed if
   * made for the await (see {@code CallFuture.Inner.shared}). A {@code share} names its
   * subscription to its source, not the source: followed only when it is a call future's. The same
   * for a shared {@code Flux} of one source ({@code replay}, {@code publish}, {@code share}, {@code
   * cache}: the connectable and what connects it), the {@code Flux} of a {@code Mono}, and the
   * {@code next} of a {@code Flux} (which ends when its source's first value comes).
   */
  static final Set<String> PASS_THROUGH_MONOS = Set.of(
      "reactor.core.publisher.MonoMap",
      "reactor.core.publisher.MonoMapFuseable",
      "reactor.core.publisher.MonoFilter",
      "reactor.core.publisher.MonoFilterFuseable",
      "reactor.core.publisher.MonoHide",
      "reactor.core.publisher.MonoPeek",
      "reactor.core.publisher.MonoPeekFuseable",
      "reactor.core.publisher.MonoPeekTerminal",
      "reactor.core.publisher.MonoCacheTime",
      "reactor.core.publisher.MonoCacheInvalidateIf",
      "reactor.core.publisher.MonoCacheInvalidateWhen",
      "reactor.core.publisher.NextProcessor",
      "reactor.core.publisher.MonoNext",
      "reactor.core.publisher.FluxSourceMono",
      "reactor.core.publisher.FluxSourceMonoFuseable",
      "reactor.core.publisher.FluxAutoConnect",
      "reactor.core.publisher.FluxAutoConnectFuseable",
      "reactor.core.publisher.FluxRefCount",
      "reactor.core.publisher.FluxPublish",
      "reactor.core.publisher.FluxReplay");

  /**
   * Reactor's subscribers that subscribe once to their source for several subscribers of their
   * own, and keep its outcome for later ones: {@code cache}, {@code cacheInvalidateIf}, {@code
   * cacheInvalidateWhen}, {@code share}, {@code publish}, {@code replay}.
   */
  static final Set<String> SHARING_SUBSCRIBERS = Set.of(
      "reactor.core.publisher.MonoCacheTime$CoordinatorSubscriber",
      "reactor.core.publisher.MonoCacheInvalidateIf$CoordinatorSubscriber",
      "reactor.core.publisher.MonoCacheInvalidateWhen$CoordinatorSubscriber",
      "reactor.core.publisher.NextProcessor",
      "reactor.core.publisher.FluxPublish$PublishSubscriber",
      "reactor.core.publisher.FluxReplay$ReplaySubscriber");

  /**
   * The attribute {@code attr} of {@code operator} ({@link Scannable.Attr#PARENT}, its source, or
   * {@link Scannable.Attr#ACTUAL}, its subscriber), or null if it is not {@link Scannable} or
   * fails when scanned (another library's operator, read from another thread): the checks are
   * best effort, and run as turns commit, which must not fail.
   */
  static @Nullable Object scan(@Nullable Object operator, Scannable.Attr<?> attr) {
    if (!(operator instanceof Scannable scannable)) {
      return null;
    }
    try {
      return scannable.scanUnsafe(attr);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The inner subscriptions of {@code operator} ({@link Scannable#inners()}), or none if it is not
   * {@link Scannable} or fails when scanned (see {@link #scan}).
   */
  static Object[] inners(Object operator) {
    if (!(operator instanceof Scannable scannable)) {
      return NONE;
    }
    try {
      return scannable.inners().toArray();
    } catch (RuntimeException e) {
      return NONE;
    }
  }

  private static final Object[] NONE = {};
}

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
   * else ({@code map}, {@code filter}, {@code hide}, the {@code doOn...} family): a Mono made of
   * them over a call future ends only after that future does. Any other operator may end
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
      "reactor.core.publisher.MonoPeekTerminal$MonoTerminalPeekSubscriber");

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
  static @Nullable Object scan(Object operator, Scannable.Attr<?> attr) {
    if (!(operator instanceof Scannable scannable)) {
      return null;
    }
    try {
      return scannable.scanUnsafe(attr);
    } catch (RuntimeException e) {
      return null;
    }
  }
}

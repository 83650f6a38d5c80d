package io.reactant.call;

import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * A deferred asynchronous computation, Motoko's {@code async* T} (rule R15).
 *
 * <p>Creating a computation runs nothing. Awaiting it with {@code Actor.awaitStar(computation)}
 * runs its body inline in the current turn, with no commit point of its own: it commits only
 * where its body does an ordinary {@code await}. A trap inside it rolls back to the last commit
 * point before the {@code awaitStar}. Each {@code awaitStar} of the same computation runs it
 * again, unlike a future, which runs once.
 *
 * <pre>{@code
 * Computation<Void> maybeLog(String msg) {
 *   return () -> logging.get() ? await(logger.log(msg)) : Mono.empty();
 * }
 * }</pre>
 *
 * @param <T> the type of the result
 */
@FunctionalInterface
public interface Computation<T> {

  /**
   * Runs the computation's body and returns its result. Called by {@code awaitStar}, inside the
   * awaiting actor's turn.
   */
  Mono<T> run();

  /** Returns a computation whose body is the given supplier of a {@code Mono}. */
  static <T> Computation<T> of(java.util.function.Supplier<? extends Mono<T>> body) {
    Objects.requireNonNull(body, "body");
    return body::get;
  }
}

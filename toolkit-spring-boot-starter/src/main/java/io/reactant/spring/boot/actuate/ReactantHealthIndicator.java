package io.reactant.spring.boot.actuate;

import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The health of an actor system ({@code reactant} in {@code /actuator/health}): {@code UP} while it
 * runs, {@code OUT_OF_SERVICE} once its shutdown has begun ({@link ActorSystem#isShutdown}), when
 * every call is refused with code 2. Out of service rather than down: the application shuts it
 * down on purpose, as it stops, and nothing is broken (a restart would not help).
 *
 * <p>Its details, when the health endpoint shows them: the system's {@code name}, its live
 * {@code actors}, the {@code queuedMessages} in all mailboxes and in the {@code deepestMailbox},
 * and, when bounded, the {@code mailboxCapacity} and {@code maxActors} of its configuration.
 *
 * <p>A reading without details costs one volatile read, on the calling thread. One with details
 * also walks the actors twice (as {@code reactant.mailbox.depth} and its maximum do), without
 * allocating per actor, on Reactor's bounded-elastic threads: never on a web server's event loop,
 * nor on the actors' threads. The figures are a snapshot taken while the actors run.
 */
public final class ReactantHealthIndicator implements ReactiveHealthIndicator {

  private final ActorSystem system;

  public ReactantHealthIndicator(ActorSystem system) {
    this.system = Objects.requireNonNull(system, "system");
  }

  @Override
  public Mono<Health> health() {
    return health(true);
  }

  @Override
  public Mono<Health> health(boolean includeDetails) {
    if (!includeDetails) {
      return Mono.just(Health.status(status()).build());
    }
    return Mono.fromCallable(this::withDetails).subscribeOn(Schedulers.boundedElastic());
  }

  private Status status() {
    return system.isShutdown() ? Status.OUT_OF_SERVICE : Status.UP;
  }

  private Health withDetails() {
    Status status = status();
    ActorSystemConfig config = system.config();
    Health.Builder health = Health.status(status)
        .withDetail("name", config.name())
        .withDetail("actors", system.actorCount())
        .withDetail("queuedMessages", system.queuedMessages())
        .withDetail("deepestMailbox", system.deepestMailbox());
    if (config.mailboxCapacity() > 0) {
      health.withDetail("mailboxCapacity", config.mailboxCapacity());
    }
    if (config.maxActors() > 0) {
      health.withDetail("maxActors", config.maxActors());
    }
    if (status == Status.OUT_OF_SERVICE) {
      health.withDetail("reason", "the actor system is shut down: calls are refused with code 2");
    }
    return health.build();
  }
}

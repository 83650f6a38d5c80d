package io.reactant.spring.boot.actuate;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.reactant.actor.ActorSystem;
import java.util.Objects;

/**
 * Gauges of an actor system, read when the metrics are collected:
 * {@code reactant.actors} (live actors), {@code reactant.mailbox.depth} (messages waiting in
 * all mailboxes) and {@code reactant.mailbox.depth.max} (in the fullest mailbox), and the counter
 * {@code reactant.pool.wakes} (times the runtime's watchdog woke the system's pool after it left
 * tasks waiting with a thread idle: JDK 17's lost wake-ups, see
 * {@link ActorSystem#poolWakeUps}), all tagged with the system's name. A scrape reads the
 * registry's size and the count, and walks the actors once per depth gauge without allocating per
 * actor.
 */
public final class ActorSystemMetrics implements MeterBinder {

  private final ActorSystem system;

  public ActorSystemMetrics(ActorSystem system) {
    this.system = Objects.requireNonNull(system, "system");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    String name = system.config().name();
    Gauge.builder("reactant.actors", system, ActorSystem::actorCount)
        .description("Live actors").tag("system", name).register(registry);
    Gauge.builder("reactant.mailbox.depth", system, ActorSystem::queuedMessages)
        .description("Messages waiting in all mailboxes").tag("system", name).register(registry);
    Gauge.builder("reactant.mailbox.depth.max", system, ActorSystem::deepestMailbox)
        .description("Messages waiting in the fullest mailbox").tag("system", name)
        .register(registry);
    FunctionCounter.builder("reactant.pool.wakes", system, ActorSystem::poolWakeUps)
        .description("Times the watchdog woke the pool after it left tasks waiting with a thread"
            + " idle").tag("system", name).register(registry);
  }
}

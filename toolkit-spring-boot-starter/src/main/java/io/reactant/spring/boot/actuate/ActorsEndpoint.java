package io.reactant.spring.boot.actuate;

import io.reactant.actor.ActorId;
import io.reactant.actor.ActorInfo;
import io.reactant.actor.ActorSystem;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The Actuator endpoint {@code actors}: the live actors of the system, each with its type,
 * mailbox depth, turns and traps ({@code /actuator/actors}), or one of them
 * ({@code /actuator/actors/{id}}).
 *
 * <p>The figures are a snapshot read without stopping the actors: they may lag by a few turns.
 */
@Endpoint(id = "actors")
public class ActorsEndpoint {

  private final ActorSystem system;

  public ActorsEndpoint(ActorSystem system) {
    this.system = Objects.requireNonNull(system, "system");
  }

  /** Lists the live actors, the busiest mailboxes first. */
  @ReadOperation
  public ActorsDescriptor actors() {
    List<ActorDescriptor> actors = system.actors().stream()
        .sorted(Comparator.comparingInt(ActorInfo::mailboxDepth).reversed()
            .thenComparing(a -> a.id().value()))
        .map(ActorDescriptor::of)
        .toList();
    long queued = actors.stream().mapToLong(ActorDescriptor::mailboxDepth).sum();
    return new ActorsDescriptor(system.config().name(), actors.size(), queued, actors);
  }

  /** Describes one actor, or answers 404 when there is none with that id. */
  @ReadOperation
  public @Nullable ActorDescriptor actor(@Selector String id) {
    ActorId wanted = ActorId.of(id);
    return system.actor(wanted).map(ActorDescriptor::of).orElse(null);
  }

  /**
   * The live actors of a system.
   *
   * @param system the name of the actor system
   * @param count the number of live actors
   * @param queuedMessages the messages waiting in all mailboxes
   * @param actors each actor
   */
  public record ActorsDescriptor(String system, int count, long queuedMessages,
      List<ActorDescriptor> actors) {
  }

  /**
   * One live actor.
   *
   * @param id its id
   * @param type the simple name of its interface
   * @param mailboxDepth the messages waiting in its mailbox
   * @param turns the turns it executed
   * @param traps the turns that trapped and rolled back
   * @param suspendedCalls the calls it is executing that wait at an {@code await}
   */
  public record ActorDescriptor(String id, String type, int mailboxDepth, long turns, long traps,
      int suspendedCalls) {

    static ActorDescriptor of(ActorInfo info) {
      return new ActorDescriptor(info.id().value(), info.type().getSimpleName(), info.mailboxDepth(),
          info.turns(), info.traps(), info.suspendedCalls());
    }
  }
}

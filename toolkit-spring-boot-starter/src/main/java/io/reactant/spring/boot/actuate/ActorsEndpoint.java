package io.reactant.spring.boot.actuate;

import io.reactant.actor.ActorId;
import io.reactant.actor.ActorInfo;
import io.reactant.actor.ActorSystem;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The Actuator endpoint {@code actors}: the live actors of the system with the fullest mailboxes,
 * each with its type, mailbox depth, turns and traps ({@code /actuator/actors}, at most
 * {@value #DEFAULT_LIMIT} of them unless {@code ?limit=} says otherwise, never more than {@value
 * #MAX_LIMIT}), with the count of all live actors and of all waiting messages; or one actor
 * ({@code /actuator/actors/{id}}).
 *
 * <p>The figures are a snapshot read without stopping the actors: they may lag by a few turns, and
 * the total of waiting messages is read in a pass of its own after the list. A reading costs two
 * passes over the actors (one ranks the mailboxes, keeping only the deepest {@code limit}; one
 * sums them) and a snapshot of each actor listed, so it stays cheap with a million of them.
 */
@Endpoint(id = "actors")
public class ActorsEndpoint {

  /** How many actors {@code /actuator/actors} lists when the request does not say. */
  public static final int DEFAULT_LIMIT = 100;

  /**
   * The most actors one reading lists: each costs a snapshot, so a larger {@code ?limit=} would let
   * one request build a snapshot of every one of a million actors.
   */
  public static final int MAX_LIMIT = 10_000;

  private final ActorSystem system;
  private final Function<Class<?>, String> typeNames;

  /** An endpoint that names each actor's type with its interface's simple name. */
  public ActorsEndpoint(ActorSystem system) {
    this(system, Class::getSimpleName);
  }

  /** An endpoint that names each actor's type as {@code typeNames} does. */
  public ActorsEndpoint(ActorSystem system, Function<Class<?>, String> typeNames) {
    this.system = Objects.requireNonNull(system, "system");
    this.typeNames = Objects.requireNonNull(typeNames, "typeNames");
  }

  /**
   * Lists the {@code limit} actors with the most messages waiting, the fullest mailbox first
   * (equal depths by id), with the totals of the whole system.
   *
   * @param limit how many actors to list, 1 to {@value #MAX_LIMIT} ({@value #DEFAULT_LIMIT} if
   *     absent)
   * @throws InvalidEndpointRequestException (400) if {@code limit} is less than 1 or more than
   *     {@value #MAX_LIMIT}
   */
  @ReadOperation
  public ActorsDescriptor actors(@Nullable Integer limit) {
    int max = limit == null ? DEFAULT_LIMIT : limit;
    if (max < 1 || max > MAX_LIMIT) {
      String problem = max < 1 ? "limit must be at least 1, but was " + max
          : "limit must be at most " + MAX_LIMIT + ", but was " + max;
      throw new InvalidEndpointRequestException(problem, problem); // the reason reaches the client
    }
    List<ActorDescriptor> actors = system.busiestActors(max).stream()
        .map(this::describe)
        .toList();
    return new ActorsDescriptor(system.config().name(), system.actorCount(),
        system.queuedMessages(), max, actors);
  }

  /** Describes one actor, or answers 404 when there is none with that id. */
  @ReadOperation
  public @Nullable ActorDescriptor actor(@Selector String id) {
    if (id.isBlank()) {
      return null; // no actor has a blank id
    }
    return system.actor(ActorId.of(id)).map(this::describe).orElse(null);
  }

  private ActorDescriptor describe(ActorInfo info) {
    return new ActorDescriptor(info.id().value(), typeNames.apply(info.type()),
        info.mailboxDepth(), info.turns(), info.traps(), info.suspendedCalls());
  }

  /**
   * The live actors of a system.
   *
   * @param system the name of the actor system
   * @param count the number of live actors
   * @param queuedMessages the messages waiting in all mailboxes
   * @param limit the most actors listed
   * @param actors the actors with the fullest mailboxes, at most {@code limit}
   */
  public record ActorsDescriptor(String system, int count, long queuedMessages, int limit,
      List<ActorDescriptor> actors) {
  }

  /**
   * One live actor.
   *
   * @param id its id
   * @param type the name of its type (its declared name; its interface's simple name by default)
   * @param mailboxDepth the messages waiting in its mailbox
   * @param turns the turns it executed
   * @param traps the turns that trapped and rolled back
   * @param suspendedCalls the calls it is executing that wait at an {@code await}
   */
  public record ActorDescriptor(String id, String type, int mailboxDepth, long turns, long traps,
      int suspendedCalls) {
  }
}

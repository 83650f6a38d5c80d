package io.reactant.actor;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who sent the message being executed (rule R21): an actor, an authenticated principal of an
 * ingress call, or anonymous.
 *
 * <p>Callers cannot forge an identity: a call made during an actor's turn always carries that
 * actor's id, whatever the reference it was made through. Only code outside the system (the
 * host application, for example the HTTP layer after authentication) chooses the principal of
 * an ingress call, with {@link ActorRefs#withIngressCaller(Object, Caller)}. An id names an actor
 * of one system: a call (or creation) that an actor makes to an actor of another system carries
 * the principal {@code <sender's system name>/<sender's id>}, never an actor's identity.
 */
public final class Caller {

  /** The kinds of callers. */
  public enum Kind {
    /** Another actor, or the actor itself for a self call. */
    ACTOR,
    /** The authenticated principal of an ingress call. */
    PRINCIPAL,
    /** An unauthenticated ingress call. */
    ANONYMOUS
  }

  private static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, "anonymous", null);

  private final Kind kind;
  private final String name;
  private final @Nullable ActorId actorId;

  private Caller(Kind kind, String name, @Nullable ActorId actorId) {
    this.kind = kind;
    this.name = name;
    this.actorId = actorId;
  }

  /** Returns the caller that is the actor with the given id. */
  public static Caller actor(ActorId id) {
    Objects.requireNonNull(id, "id");
    return new Caller(Kind.ACTOR, id.value(), id);
  }

  /** Returns the caller that is an authenticated principal of that name. */
  public static Caller principal(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("A principal name must not be blank");
    }
    return new Caller(Kind.PRINCIPAL, name, null);
  }

  /** Returns the anonymous caller. */
  public static Caller anonymous() {
    return ANONYMOUS;
  }

  public Kind kind() {
    return kind;
  }

  /** Returns the actor id for an actor, the principal name, or {@code "anonymous"}. */
  public String name() {
    return name;
  }

  /** Returns the caller's actor id, if the caller is an actor. */
  public Optional<ActorId> actorId() {
    return Optional.ofNullable(actorId);
  }

  public boolean isAnonymous() {
    return kind == Kind.ANONYMOUS;
  }

  public boolean isActor() {
    return kind == Kind.ACTOR;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Caller c && c.kind == kind && c.name.equals(name);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + name.hashCode();
  }

  @Override
  public String toString() {
    return kind == Kind.ANONYMOUS ? "anonymous" : kind.name().toLowerCase() + ":" + name;
  }
}

package io.reactant.actor;

import io.reactant.internal.ActorRuntime;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who sent the message being executed (rule R21): an actor, an actor of another system, an
 * authenticated principal of an ingress call, or anonymous.
 *
 * <p>Callers cannot forge an identity: a call made during an actor's turn always carries that
 * actor's id, whatever the reference it was made through. Only code outside the system (the
 * host application, for example the HTTP layer after authentication) chooses the principal of
 * an ingress call, with {@link ActorRefs#withIngressCaller(Object, Caller)}, which refuses an
 * actor's identity, of this system or another.
 *
 * <p>An id names an actor of one system. A call (or creation) that an actor makes to an actor of
 * another system carries a {@link Kind#FOREIGN_ACTOR} caller: the sender's id and its system,
 * never an actor of the callee's system, nor a principal. Two callers are equal when they are of
 * one kind and name the same actor of the same system, the same principal, or are anonymous: a
 * foreign actor's system is the system itself, not its name, so the actors of one id of two
 * systems of one name are two callers.
 */
public final class Caller {

  /** The kinds of callers. */
  public enum Kind {
    /** Another actor of the callee's system, or the actor itself for a self call. */
    ACTOR,
    /** The authenticated principal of an ingress call. */
    PRINCIPAL,
    /** An unauthenticated ingress call. */
    ANONYMOUS,
    /**
     * An actor of another actor system (of this JVM): see {@link #foreignActor}. Not an actor of
     * the callee's system: {@link #isActor()} is false and {@link #actorId()} empty for it.
     */
    FOREIGN_ACTOR
  }

  private static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, "anonymous", null, null, 0);

  private final Kind kind;
  private final String name;
  /** The actor's id, for an actor of this system or of another. */
  private final @Nullable ActorId id;
  /** The name of a foreign actor's system. */
  private final @Nullable String systemName;
  /** The number of a foreign actor's system ({@link ActorRuntime#serial()}), 0 for other kinds. */
  private final long system;

  private Caller(Kind kind, String name, @Nullable ActorId id, @Nullable String systemName,
      long system) {
    this.kind = kind;
    this.name = name;
    this.id = id;
    this.systemName = systemName;
    this.system = system;
  }

  /** Returns the caller that is the actor with the given id. */
  public static Caller actor(ActorId id) {
    Objects.requireNonNull(id, "id");
    return new Caller(Kind.ACTOR, id.value(), id, null, 0);
  }

  /**
   * Returns the caller that the actor {@code id} of {@code system} is for the actors of every other
   * system: the {@link Actor#caller()} of the calls it makes to them and the {@link
   * Actor#creator()} of the actors it spawns there (rule R21). It is equal only to the callers made
   * for that id and that system, whether or not the system still runs: not to one of another
   * system of the same name, nor to any {@link #principal}, nor to an actor of the callee's system.
   * Its {@link #name()} is {@code <id>@<system's name>#<n>}, where {@code n} numbers the systems
   * this JVM created, from 1, so that two systems of one name differ.
   *
   * @param system a system made by {@link ActorSystem#create}
   * @throws IllegalArgumentException if {@code system} is not one
   */
  public static Caller foreignActor(ActorSystem system, ActorId id) {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(id, "id");
    if (!(system instanceof ActorRuntime runtime)) {
      throw new IllegalArgumentException(system + " is not an actor system made by"
          + " ActorSystem.create");
    }
    String systemName = runtime.config().name();
    long serial = runtime.serial();
    return new Caller(Kind.FOREIGN_ACTOR, id.value() + "@" + systemName + "#" + serial, id,
        systemName, serial);
  }

  /** Returns the caller that is an authenticated principal of that name. */
  public static Caller principal(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("A principal name must not be blank");
    }
    return new Caller(Kind.PRINCIPAL, name, null, null, 0);
  }

  /** Returns the anonymous caller. */
  public static Caller anonymous() {
    return ANONYMOUS;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Returns the actor id for an actor, the principal name, {@code "anonymous"}, or {@code
   * <id>@<system's name>#<n>} for a foreign actor (see {@link #foreignActor}). Names of
   * different kinds can be alike (a principal may be named as an actor is): compare callers with
   * {@link #equals}, or the kind too.
   */
  public String name() {
    return name;
  }

  /**
   * Returns the caller's actor id, if the caller is an actor of the callee's system; empty for a
   * foreign actor, whose id names an actor of another system (see {@link #foreignActorId()}).
   */
  public Optional<ActorId> actorId() {
    return kind == Kind.ACTOR ? Optional.of(Objects.requireNonNull(id)) : Optional.empty();
  }

  /** Returns the id that a foreign actor has in its own system; empty for other kinds. */
  public Optional<ActorId> foreignActorId() {
    return kind == Kind.FOREIGN_ACTOR ? Optional.of(Objects.requireNonNull(id)) : Optional.empty();
  }

  /**
   * Returns the name of a foreign actor's system; empty for other kinds. Systems' names need not
   * be unique: to know a foreign actor, compare the caller with {@link #foreignActor}'s.
   */
  public Optional<String> systemName() {
    return Optional.ofNullable(systemName);
  }

  public boolean isAnonymous() {
    return kind == Kind.ANONYMOUS;
  }

  /** Whether the caller is an actor of the callee's system (false for a foreign actor). */
  public boolean isActor() {
    return kind == Kind.ACTOR;
  }

  /**
   * Equal callers are of one kind and name the same actor (of the same system, for a foreign
   * actor), the same principal, or are anonymous.
   */
  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Caller c) || c.kind != kind) {
      return false;
    }
    return kind == Kind.FOREIGN_ACTOR
        ? c.system == system && Objects.equals(c.id, id)
        : c.name.equals(name);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + (kind == Kind.FOREIGN_ACTOR
        ? Objects.hashCode(id) * 31 + Long.hashCode(system)
        : name.hashCode());
  }

  /**
   * {@code anonymous}, {@code actor:<id>}, {@code principal:<name>} or {@code
   * foreign_actor:<id>@<system's name>#<n>}: two callers have the same string only when they are
   * equal.
   */
  @Override
  public String toString() {
    return kind == Kind.ANONYMOUS ? "anonymous" : kind.name().toLowerCase(Locale.ROOT) + ":" + name;
  }
}

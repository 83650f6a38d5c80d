package io.reactant.actor;

import java.util.Objects;

/**
 * The identity of an actor within an {@link ActorSystem}: a non-blank string, unique in the
 * system. Ids are values: they can be stored, compared and sent in messages.
 *
 * @param value the id, for example {@code "counter-1"}
 */
public record ActorId(String value) {

  public ActorId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("An actor id must not be blank");
    }
  }

  /** Returns the id with the given value. */
  public static ActorId of(String value) {
    return new ActorId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}

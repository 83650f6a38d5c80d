package io.reactant.actor;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The identity of an actor within an {@link ActorSystem}: a non-blank string, unique in the
 * system. Ids are values: they can be stored, compared and sent in messages. Two ids are equal
 * when their strings are, however they were made.
 *
 * <p>An id made by {@link #of(String, long)} (the form of the ids the system generates, such as
 * {@code counter-3}) keeps its prefix, shared by all ids of that prefix, and its number, and
 * builds its string only when it is first read: an idle actor's generated id costs 32 bytes
 * rather than three objects and 72. Instances are immutable and safe to share between threads
 * (the string, once built, is cached without synchronization, as {@link String#hashCode} is).
 */
public final class ActorId {

  /** The prefix of an id made of a prefix and a number, null for an id made from a string. */
  private final @Nullable String prefix;
  private final long number;
  private final int hash;
  /** The string; built on first read for an id made of a prefix and a number. */
  private @Nullable String value;

  private ActorId(@Nullable String prefix, long number, int hash, @Nullable String value) {
    this.prefix = prefix;
    this.number = number;
    this.hash = hash;
    this.value = value;
  }

  /**
   * Returns the id with the given value.
   *
   * @param value the id, for example {@code "counter-1"}
   * @throws IllegalArgumentException if it is blank
   */
  public static ActorId of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("An actor id must not be blank");
    }
    return new ActorId(null, 0, value.hashCode(), value);
  }

  /**
   * Returns the id {@code prefix + number} (the number in decimal), equal to
   * {@code ActorId.of(prefix + number)} but without building that string until it is read.
   *
   * @param prefix the part before the number, for example {@code "counter-"}; not blank
   * @param number the number, not negative
   * @throws IllegalArgumentException if the prefix is blank or the number negative
   */
  public static ActorId of(String prefix, long number) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isBlank()) {
      throw new IllegalArgumentException("The prefix of an actor id must not be blank");
    }
    if (number < 0) {
      throw new IllegalArgumentException("The number of an actor id must not be negative: "
          + number);
    }
    return new ActorId(prefix, number, hashOf(prefix, number), null);
  }

  /**
   * {@code (prefix + number).hashCode()}, computed without building the string: the digits' part
   * from the last digit back (one division by ten per digit), the prefix's hash shifted past it.
   */
  private static int hashOf(String prefix, long number) {
    int digits = 0;
    int power = 1;
    long rest = number;
    do {
      long next = rest / 10;
      digits += ('0' + (int) (rest - next * 10)) * power;
      power *= 31;
      rest = next;
    } while (rest != 0);
    return prefix.hashCode() * power + digits;
  }

  /** Returns the id as a string, for example {@code "counter-1"}. */
  public String value() {
    String v = value;
    if (v == null) {
      v = prefix + number;
      value = v;
    }
    return v;
  }

  /** Two ids are equal when their strings are. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ActorId other) || hash != other.hash) {
      return false;
    }
    if (prefix != null && other.prefix != null && prefix.equals(other.prefix)) {
      return number == other.number;
    }
    return value().equals(other.value());
  }

  /** The hash code of the id's string. */
  @Override
  public int hashCode() {
    return hash;
  }

  /** Returns {@link #value()}. */
  @Override
  public String toString() {
    return value();
  }
}

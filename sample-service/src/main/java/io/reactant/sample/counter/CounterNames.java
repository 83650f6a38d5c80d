package io.reactant.sample.counter;

import io.reactant.sample.web.Names;
import org.jspecify.annotations.Nullable;

/**
 * What a counter's name may be, and the actor id a name gives. Stateless.
 *
 * <p>A name is a {@link Names name} of 1 to {@value #MAX_LENGTH} characters: letters, marks,
 * numbers, punctuation, symbols and inner spaces, no control or invisible character.
 *
 * <p>A counter's actor id is {@value #ID_PREFIX} followed by its name. Actor ids are one space
 * across types (rules R1, R23), so a name taken as an id could address another type's actor (the
 * singleton {@code pizzaParlor}) or take an id another type needs ({@code account-7}); no other
 * type of the sample has an id with this prefix.
 */
final class CounterNames {

  /** The beginning of every counter's actor id. */
  static final String ID_PREFIX = "counter-";
  /** The longest name, in characters (code points). */
  static final int MAX_LENGTH = 64;

  private CounterNames() {
  }

  /**
   * What makes this actor id no counter's, or null when it is {@value #ID_PREFIX} followed by a
   * counter name.
   */
  static @Nullable String problemOfId(String id) {
    if (!id.startsWith(ID_PREFIX)) {
      return "'" + id + "' is no counter: a counter's id is '" + ID_PREFIX + "' followed by its name";
    }
    return problem(id.substring(ID_PREFIX.length()));
  }

  /** What makes the text no counter name (the message a client gets), or null when it is one. */
  static @Nullable String problem(String name) {
    return Names.problem(name, "name", MAX_LENGTH);
  }
}

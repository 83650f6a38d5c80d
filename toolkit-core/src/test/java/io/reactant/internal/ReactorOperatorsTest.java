package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A guard for the names of Reactor's operators that the deadlock checks (rule R13) know: a Reactor
 * upgrade that renames or removes one fails here by name, instead of silently turning what the
 * checks find into what they miss.
 */
class ReactorOperatorsTest {

  @Test
  @DisplayName("R13 every Reactor class that ReactorOperators names exists on the classpath")
  void everyNamedOperatorExists() throws IllegalAccessException {
    List<String> named = new ArrayList<>();
    for (Field field : ReactorOperators.class.getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      if (field.getType() == Set.class) {
        for (Object name : (Set<?>) field.get(null)) {
          named.add(field.getName() + ": " + name);
        }
      } else if (field.getType() == String.class) {
        named.add(field.getName() + ": " + field.get(null));
      }
    }
    assertThat(named).as("the names the checks know").hasSizeGreaterThan(30);
    List<String> missing = new ArrayList<>();
    for (String entry : named) {
      String name = entry.substring(entry.indexOf(": ") + 2);
      try {
        Class.forName(name, false, ReactorOperators.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        missing.add(entry);
      }
    }
    assertThat(missing).as("named in ReactorOperators, absent from this Reactor").isEmpty();
  }
}

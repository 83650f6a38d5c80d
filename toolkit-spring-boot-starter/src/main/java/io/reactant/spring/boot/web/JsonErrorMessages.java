package io.reactant.spring.boot.web;

import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;

/**
 * Says what is wrong with a JSON input, from a Jackson error, in words fit for a client: where
 * (the path of the field) and what, without the parser's location details or Java class names.
 */
public final class JsonErrorMessages {

  private static final Pattern NOISE = Pattern.compile(
      "\\s*\\((?:class [\\w.$]+|but (?:might|could) if [^)]*|start marker at .*)\\)|\\s*at \\[Source.*$");

  private JsonErrorMessages() {
  }

  /** Returns, for example, {@code at 'balance': Cannot coerce String value ("lots") to `java.lang.Long` value}. */
  public static String describe(JacksonException e) {
    String path = e.getPath().stream()
        .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
    String what = NOISE.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("");
    return (path.isEmpty() ? "" : "at '" + path + "': ") + what;
  }
}

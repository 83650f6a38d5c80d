package io.reactant.spring.boot.web;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Says what is wrong with a JSON input, from a Jackson error, in words fit for a client: where
 * (the path of the field) and what, without the parser's location details, its configuration
 * hints or Java type names (a type is named by the JSON it expects: "a string", "a 64-bit
 * integer", "an object", "one of [RED, GREEN]").
 */
public final class JsonErrorMessages {

  /** Parts of Jackson's messages that speak to the programmer, not to the client. */
  private static final Pattern NOISE = Pattern.compile(String.join("|",
      "\\s*\\(class [\\w.$]+\\)",
      "\\s*\\(but (?:might|could) if [^)]*\\)",
      "\\s*\\(start marker at .*\\)",
      "\\s*\\(token `JsonToken\\.\\w+`\\)",
      "\\s*\\(although at least one Creator exists\\)",
      "\\s*\\(bound as `[^`]*`\\)",
      "\\s*\\(set `[\\w.]+` to '\\w+' to allow\\)",
      // NaN, Infinity, +1: "...: enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
      ":\\s*enable `[\\w.]+` to allow",
      "\\s*\\(not recognized as one since Feature '\\w+' not enabled for parser\\)",
      "\\s*\\(consider enabling `[\\w.]+` to allow use of [^()]*\\([^()]*\\)\\)",
      ":? not allowed as per `[\\w.]+`",
      ", not marked as ignorable.*$",
      ", from `StreamReadConstraints\\.\\w+\\(\\)`",
      "\\s*\\(java\\.[\\w.]+(?:Exception|Error)\\)",
      "\\s*at \\[Source.*$"));
  /** "Cannot deserialize value of type `T` from Array value": what was expected, what came. */
  private static final Pattern WRONG_KIND = Pattern.compile(
      "Cannot deserialize value of type `[^`]*` from ([\\w-]+) value");
  /** "Cannot construct instance of `T`: no String-argument constructor/factory method ...". */
  private static final Pattern NO_CREATOR = Pattern.compile(
      "Cannot construct instance of `[^`]*`: no [\\w-]+-argument constructor/factory method to"
          + " deserialize from ([\\w-]+) value");
  /**
   * "Cannot coerce Integer value (3) to `java.lang.String` value": a number or a boolean where a
   * string is expected (a text is quoted client input, left as Jackson words it).
   */
  private static final Pattern COERCED_SCALAR = Pattern.compile(
      "Cannot coerce (Integer|Float|Floating-point|Boolean) value \\(([^()\"']*)\\) to `([^`]*)` value");
  /** How Jackson's message for a string where a number or a boolean is expected starts. */
  private static final String STRING_COERCED = "Cannot coerce String value (\"";
  /** The same for an empty string. */
  private static final String EMPTY_STRING_COERCED = "Cannot coerce empty String (";
  /** "Trailing token (`JsonToken.START_ARRAY`) found after value". */
  private static final Pattern TRAILING = Pattern.compile(
      "Trailing token \\(`JsonToken\\.\\w+`\\) found after value");
  /** "Unexpected token (START_OBJECT), expected one of [VALUE_STRING, ...] for `T` value". */
  private static final Pattern UNEXPECTED_TOKEN = Pattern.compile(
      "Unexpected token \\((\\w+)\\), expected one of \\[[^]]*] for `([^`]*)` value");
  /** A string in a message: the client's own text, which no rewriting touches. */
  private static final Pattern QUOTED_TEXT = Pattern.compile(
      "\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"|'[^'\\\\]*+(?:\\\\.[^'\\\\]*+)*+'");
  /** The longest message described: Jackson quotes the client's values whole. */
  static final int MAX_MESSAGE = 1_000;
  /** "Cannot map `null` into type `int`". */
  private static final Pattern NULL_INTO = Pattern.compile("Cannot map `null` into type `([^`]*)`");
  /** A Java type name Jackson quotes in backticks, for example {@code `java.lang.Long` value}. */
  private static final Pattern QUOTED_TYPE =
      Pattern.compile("`([\\w.$]+(?:<[^`]*>)?(?:\\[])*)`(?: value)?");

  /** What JSON a {@code byte[]} (Candid {@code blob}) is read from. */
  private static final String BLOB = "a base64 string or an array of integers from 0 to 255";

  /** JSON words for the types of Jackson's messages (boxed and primitive). */
  private static final Map<String, String> KINDS = Map.ofEntries(
      Map.entry("byte", "an 8-bit integer"), Map.entry("java.lang.Byte", "an 8-bit integer"),
      Map.entry("short", "a 16-bit integer"), Map.entry("java.lang.Short", "a 16-bit integer"),
      Map.entry("int", "a 32-bit integer"), Map.entry("java.lang.Integer", "a 32-bit integer"),
      Map.entry("long", "a 64-bit integer"), Map.entry("java.lang.Long", "a 64-bit integer"),
      Map.entry("java.math.BigInteger", "an integer"),
      Map.entry("float", "a number"), Map.entry("java.lang.Float", "a number"),
      Map.entry("double", "a number"), Map.entry("java.lang.Double", "a number"),
      Map.entry("java.math.BigDecimal", "a number"), Map.entry("java.lang.Number", "a number"),
      Map.entry("boolean", "a boolean"), Map.entry("java.lang.Boolean", "a boolean"),
      Map.entry("char", "a one-character string"),
      Map.entry("java.lang.Character", "a one-character string"),
      Map.entry("java.lang.String", "a string"), Map.entry("java.lang.CharSequence", "a string"),
      Map.entry("java.lang.Object", "a JSON value"), Map.entry("null", "null"),
      Map.entry("java.time.Instant", "a timestamp such as 2024-01-31T12:00:00Z"),
      Map.entry("java.time.OffsetDateTime", "a date-time such as 2024-01-31T12:00:00+01:00"),
      Map.entry("java.time.ZonedDateTime", "a date-time such as 2024-01-31T12:00:00+01:00"),
      Map.entry("java.time.LocalDateTime", "a date-time such as 2024-01-31T12:00:00"),
      Map.entry("java.time.LocalDate", "a date such as 2024-01-31"),
      Map.entry("java.time.LocalTime", "a time such as 12:00:00"),
      Map.entry("java.time.Duration", "a duration such as PT5S"),
      Map.entry("java.util.UUID", "a UUID"), Map.entry("java.net.URI", "a URI"),
      Map.entry("java.net.URL", "a URL"),
      Map.entry("io.reactant.actor.ActorId", "an actor id (a string)"));

  private JsonErrorMessages() {
  }

  /**
   * Returns, for example, {@code at 'balance': Expected a 64-bit integer, got a string ("lots")},
   * or {@code Expected an object, got an array}.
   */
  public static String describe(JacksonException e) {
    Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    String prefix = prefix(e);
    if (e instanceof InvalidNullException) {
      // a null where the reader allows none: Jackson says so in its own terms, not what it expected
      return prefix + "Expected " + kind(target, null) + ", got null";
    }
    if (e instanceof InvalidFormatException && target == byte[].class) {
      // a blob from a text that is not base64: Jackson's value is the character it stopped at
      return prefix + "Expected " + kind(target, null) + ", got a string that is not valid base64";
    }
    if (e instanceof InvalidFormatException f && f.getValue() instanceof String text
        && target != null) {
      // a value read from text: say it from the exception's own parts, not from its message,
      // which quotes the client's text without escaping it
      // (a number or a boolean is not read from text: say a text came; a UUID or a date is)
      boolean scalar = target.isPrimitive() || Number.class.isAssignableFrom(target)
          || target == Boolean.class;
      String quoted = "\"" + cut(text, 100) + "\"";
      return prefix + "Expected " + kind(target, null) + ", got " + (text.isEmpty()
          ? "an empty string" : scalar ? "a string (" + quoted + ")" : quoted);
    }
    String stringForScalar = stringForScalar(String.valueOf(e.getOriginalMessage()));
    if (stringForScalar != null && target != null) {
      // a string where a number or a boolean is expected (strict input does not convert)
      return prefix + "Expected " + kind(target, null) + ", got " + stringForScalar;
    }
    String what = NOISE.matcher(shortened(String.valueOf(e.getOriginalMessage()))).replaceAll("");
    what = replace(UNEXPECTED_TOKEN, what, m -> "Expected " + kind(named(target, m.group(2)),
        m.group(2)) + ", got " + jsonToken(m.group(1)));
    what = replace(COERCED_SCALAR, what, m -> "Expected " + kind(named(target, m.group(3)),
        m.group(3)) + ", got " + (m.group(1).startsWith("F") ? floatKind(m.group(2))
            : tokenKind(m.group(1))));
    what = replace(WRONG_KIND, what, m -> "Expected " + kind(target, null) + ", got "
        + tokenKind(m.group(1)));
    what = replace(NO_CREATOR, what, m -> "Expected " + kind(target, null) + ", got "
        + tokenKind(m.group(1)));
    what = TRAILING.matcher(what).replaceAll("Unexpected content after the JSON value");
    what = replace(NULL_INTO, what, m -> "Expected " + kind(named(target, m.group(1)), m.group(1))
        + ", got null");
    what = outsideQuotedText(what, part ->
        replace(QUOTED_TYPE, part, m -> kind(named(target, m.group(1)), m.group(1))));
    return prefix + cut(what, MAX_MESSAGE);
  }

  /**
   * As {@link #describe(JacksonException)} for an error in reading {@code input}, and says so when
   * the value refused as null is a field missing from it (Jackson reads a missing field as null).
   */
  static String describe(JacksonException e, JsonNode input) {
    if (e instanceof InvalidNullException refused && missing(input, e.getPath())) {
      return prefix(e) + "Expected " + kind(refused.getTargetType(), null)
          + ", got nothing: the field is missing";
    }
    return describe(e);
  }

  /** Whether the last step of {@code path} names a field that {@code input} does not have. */
  private static boolean missing(JsonNode input, List<JacksonException.Reference> path) {
    JsonNode node = input;
    for (JacksonException.Reference step : path) {
      if (node == null || node.isMissingNode()) {
        return false; // a step before the last is missing: not what the error is about
      }
      node = step.getPropertyName() != null ? node.get(step.getPropertyName())
          : node.get(step.getIndex());
    }
    return node != input && (node == null || node.isMissingNode());
  }

  /**
   * What Jackson's "Cannot coerce String value ("12") to `int` value" says came, as {@code a
   * string ("12")} (the text cut to a hundred characters), or {@code an empty string}; null for
   * another message. Jackson quotes the client's text unescaped, so the text is what lies between
   * the message's start and the last {@code ") to `}.
   */
  private static @Nullable String stringForScalar(String message) {
    if (message.startsWith(EMPTY_STRING_COERCED)) {
      return "an empty string";
    }
    if (!message.startsWith(STRING_COERCED)) {
      return null;
    }
    int end = message.lastIndexOf("\") to `");
    if (end < STRING_COERCED.length()) {
      return null;
    }
    return "a string (\"" + cut(message.substring(STRING_COERCED.length(), end), 100) + "\")";
  }

  /** {@code at 'path': } where the error is, or nothing at the top level. */
  private static String prefix(JacksonException e) {
    String path = e.getPath().stream()
        .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
    return path.isEmpty() ? "" : "at '" + path + "': ";
  }

  /** {@code text}, or its first {@code max} characters and "..." (never half a surrogate pair). */
  private static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end) + "...";
  }

  private static String replace(Pattern pattern, String text,
      java.util.function.Function<Matcher, String> replacement) {
    Matcher m = pattern.matcher(text);
    return m.replaceAll(r -> Matcher.quoteReplacement(replacement.apply(m)));
  }

  /**
   * {@code message} with every client value quoted in it cut to a hundred characters, and the
   * whole to {@value #MAX_MESSAGE}: a value sent in a wrong place can be as long as a request
   * body, and is neither worth echoing nor safe to run patterns over.
   */
  private static String shortened(String message) {
    String values = QUOTED_TEXT.matcher(message).replaceAll(m -> Matcher.quoteReplacement(
        m.group().length() <= 102 ? m.group() : cut(m.group(), 100) + "\""));
    return cut(values, MAX_MESSAGE);
  }

  /** Applies {@code rewrite} to the parts of {@code text} outside double-quoted strings. */
  private static String outsideQuotedText(String text,
      java.util.function.UnaryOperator<String> rewrite) {
    StringBuilder out = new StringBuilder(text.length());
    Matcher m = QUOTED_TEXT.matcher(text);
    int from = 0;
    while (m.find()) {
      out.append(rewrite.apply(text.substring(from, m.start()))).append(m.group());
      from = m.end();
    }
    return out.append(rewrite.apply(text.substring(from))).toString();
  }

  /** {@code target} if {@code name} is its name, else null. */
  private static @Nullable Class<?> named(@Nullable Class<?> target, String name) {
    return target != null && (name.equals(target.getName()) || name.equals(target.getTypeName()))
        ? target : null;
  }

  /** What JSON a type expects, from the class if known, else from its name in a message. */
  static String kind(@Nullable Class<?> type, @Nullable String name) {
    if (type != null) {
      if (type.isEnum()) {
        return "one of " + Arrays.toString(type.getEnumConstants());
      }
      if (type == byte[].class) {
        return BLOB;
      }
      if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
        return "an array";
      }
      if (Map.class.isAssignableFrom(type)) {
        return "an object";
      }
      String known = KINDS.get(type.getName());
      if (known != null) {
        return known;
      }
      return type.isRecord() && type.getRecordComponents().length > 0
          ? "an object with " + Arrays.stream(type.getRecordComponents())
              .map(RecordComponent::getName).collect(Collectors.joining(", "))
          : "an object";
    }
    if (name == null) {
      return "a value of another kind";
    }
    String known = KINDS.get(name);
    if (known != null) {
      return known;
    }
    if (name.equals("byte[]") || name.equals("[B")) {
      return BLOB;
    }
    if (name.endsWith("[]") || name.matches("java\\.util\\.\\w*(?:List|Set|Collection|Deque|Queue)\\b.*")) {
      return "an array";
    }
    if (name.matches("java\\.util\\.\\w*Map\\b.*")) {
      return "an object";
    }
    // another class (a record, a bean): Jackson reads it from a JSON object
    return name.contains(".") || name.contains("$") ? "an object" : "a value of another kind";
  }

  /** JSON words for a token of the parser, by its name ({@code START_OBJECT}: "an object"). */
  static String jsonToken(String token) {
    return switch (token) {
      case "START_OBJECT" -> "an object";
      case "START_ARRAY" -> "an array";
      case "VALUE_STRING" -> "a string";
      case "VALUE_NUMBER_INT" -> "an integer";
      case "VALUE_NUMBER_FLOAT" -> "a number with a fraction or an exponent";
      case "VALUE_TRUE", "VALUE_FALSE" -> "a boolean";
      case "VALUE_NULL" -> "null";
      default -> "something else";
    };
  }

  /** A number JSON writes with a fraction ({@code 1.5}), an exponent ({@code 1e3}) or both. */
  private static String floatKind(String number) {
    return number.indexOf('.') >= 0 ? "a number with a fraction"
        : number.indexOf('e') >= 0 || number.indexOf('E') >= 0 ? "a number with an exponent"
        : "a number with a fraction or an exponent";
  }

  private static String tokenKind(String jackson) {
    return switch (jackson) {
      case "Array" -> "an array";
      case "Object" -> "an object";
      case "String" -> "a string";
      case "Integer" -> "an integer";
      case "Float", "Floating-point" -> "a number with a fraction or an exponent";
      case "Boolean" -> "a boolean";
      case "Null" -> "null";
      default -> jackson.toLowerCase(java.util.Locale.ROOT) + " value";
    };
  }
}

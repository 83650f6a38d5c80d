package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

class JsonErrorMessagesTests {

  /** As strict as the ingress and the sample's controllers read JSON. */
  private static final JsonMapper STRICT = JsonMapper.builder()
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .withCoercionConfigDefaults(c -> c
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
          .setAcceptBlankAsEmpty(false))
      .withCoercionConfig(LogicalType.Textual, c -> c
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .build();

  record Opening(String owner, Long balance) {
  }

  record Order(List<Integer> items, Map<String, Long> prices, boolean urgent, int count, double weight) {
  }

  enum Colour { RED, GREEN }

  record Paint(Colour colour) {
  }

  record Booking(java.time.Instant at, java.util.UUID id, java.time.LocalDate day,
      java.time.Duration length, java.net.URI link, String note) {
  }

  private static String describe(Class<?> type, String json) {
    JacksonException e = catchThrowableOfType(JacksonException.class, () -> STRICT.readValue(json, type));
    assertThat(e).as("%s should not read as %s", json, type.getSimpleName()).isNotNull();
    return JsonErrorMessages.describe(e);
  }

  @Test
  @DisplayName("no message names a Java type, a Jackson token or setting, or a source location")
  void noJavaOrJacksonNamesInAnyMessage() {
    String deep = "[".repeat(600) + "]".repeat(600);
    Object[][] inputs = {
        {Opening.class, "[1,2]"}, {Opening.class, "\"x\""}, {Opening.class, "{\"balance\":\"lots\"}"},
        {Opening.class, "{\"balance\":1.5}"}, {Opening.class, "{\"owner\":{}}"},
        {Opening.class, "{\"x\":1}"}, {Opening.class, "{\"owner\":\"a\"} {}"},
        {Order.class, "{\"items\":{}}"}, {Order.class, "{\"items\":[\"a\"]}"}, {Order.class, "{\"prices\":[]}"},
        {Order.class, "{\"urgent\":\"yes\"}"}, {Order.class, "{\"count\":null}"},
        {Order.class, "{\"count\":99999999999}"}, {Order.class, "{\"weight\":\"x\"}"},
        {Paint.class, "{\"colour\":\"BLUE\"}"}, {JsonNode.class, deep}, {JsonNode.class, "[1"},
        {JsonNode.class, "[1,]"}, {JsonNode.class, "1" + "0".repeat(2000)}, {String.class, "[\"x\"]"},
        {Integer.class, "\"5\""}, {long[].class, "[1.5]"}, {JsonNode.class, "{\"a\":tru}"},
        {JsonNode.class, "'x'"}, {Opening.class, "{\"owner\":\"\\u12\"}"},
        {Booking.class, "{\"at\":\"soon\"}"}, {Booking.class, "{\"id\":\"nope\"}"},
        {Booking.class, "{\"day\":\"2020-13-45\"}"}, {Booking.class, "{\"length\":\"xx\"}"},
        {Booking.class, "{\"link\":\"a b\"}"}, {Booking.class, "{\"at\":{}}"},
    };
    for (Object[] input : inputs) {
      String message = describe((Class<?>) input[0], (String) input[1]);
      assertThat(message).as("for %s", input[1]).isNotBlank()
          .doesNotContain("java.", "tools.jackson", "JsonToken", "$", "`", "Source",
              "StreamReadConstraints", "DeserializationFeature", "CoercionConfig", "Creator",
              "JsonErrorMessagesTests", "Opening", "Order");
    }
  }

  @Test
  @DisplayName("a wrong kind of value says what was expected and what came, and where")
  void wrongKindSaysExpectedAndGot() {
    assertThat(describe(Opening.class, "[1,2]")).isEqualTo("Expected an object with owner, balance, got an array");
    assertThat(describe(Opening.class, "\"x\"")).isEqualTo("Expected an object with owner, balance, got a string ('x')");
    assertThat(describe(Opening.class, "{\"balance\":\"lots\"}"))
        .isEqualTo("at 'balance': Expected a 64-bit integer, got a string (\"lots\")");
    assertThat(describe(Opening.class, "{\"owner\":{}}")).isEqualTo("at 'owner': Expected a string, got an object");
    assertThat(describe(Order.class, "{\"items\":{}}")).isEqualTo("at 'items': Expected an array, got an object");
    assertThat(describe(Order.class, "{\"prices\":[]}")).isEqualTo("at 'prices': Expected an object, got an array");
    assertThat(describe(Order.class, "{\"count\":null}")).isEqualTo("at 'count': Expected a 32-bit integer, got null");
    assertThat(describe(Order.class, "{\"count\":99999999999}"))
        .startsWith("at 'count': Numeric value (99999999999) out of range of a 32-bit integer");
    assertThat(describe(Paint.class, "{\"colour\":\"BLUE\"}"))
        .isEqualTo("at 'colour': Expected one of [RED, GREEN], got \"BLUE\"");
    assertThat(describe(Opening.class, "{\"owner\":\"a\"} {}")).isEqualTo("Unexpected content after the JSON value");
    assertThat(describe(Opening.class, "{\"x\":1}")).isEqualTo("at 'x': Unrecognized property \"x\"");
  }

  @Test
  @DisplayName("a number or a boolean where a string is expected says so in JSON's words, not"
      + " Jackson's (no 'Integer value')")
  void scalarForAStringSaysExpectedAndGot() {
    assertThat(describe(String.class, "3")).isEqualTo("Expected a string, got an integer");
    assertThat(describe(String.class, "1.5")).isEqualTo("Expected a string, got a number with a fraction");
    assertThat(describe(String.class, "true")).isEqualTo("Expected a string, got a boolean");
    assertThat(describe(String.class, "1e3")).isEqualTo("Expected a string, got a number with an exponent");
    assertThat(describe(String.class, "1.5E3")).isEqualTo("Expected a string, got a number with a fraction");
    assertThat(describe(Integer.class, "1e3")).isEqualTo("Expected a 32-bit integer, got a number with an exponent");
    assertThat(describe(Order.class, "{\"count\":1E0}"))
        .isEqualTo("at 'count': Expected a 32-bit integer, got a number with an exponent");
    assertThat(describe(long[].class, "[2.5]")).isEqualTo("at '[0]': Expected a 64-bit integer, got a number with a fraction");
    assertThat(describe(Opening.class, "{\"owner\":-7}")).isEqualTo("at 'owner': Expected a string, got an integer");
  }

  @Test
  @DisplayName("a text that is not base64 where a blob is expected says it is not base64")
  void notBase64ForABlobSaysSo() {
    assertThat(describe(byte[].class, "\"!!\""))
        .isEqualTo("Expected a base64 string or an array of integers from 0 to 255, got a string that is not valid base64");
    assertThat(describe(byte[].class, "{}"))
        .isEqualTo("Expected a base64 string or an array of integers from 0 to 255, got an object");
  }

  @Test
  @DisplayName("a limit of the parser is named by what it limits")
  void parserLimits() {
    assertThat(describe(JsonNode.class, "[".repeat(600) + "]".repeat(600)))
        .startsWith("Document nesting depth").contains("maximum allowed (500)");
    assertThat(describe(JsonNode.class, "1" + "0".repeat(2000)))
        .startsWith("Number value length").contains("maximum allowed (1000)");
  }

  @Test
  @DisplayName("a token JSON does not have (NaN, Infinity, a plus sign, a comment, a record"
      + " separator) is named, without the parser's setting that would allow it")
  void nonStandardTokensAreNamedWithoutTheParsersSettings() {
    Map<String, String> expected = Map.of(
        "[NaN]", "Non-standard token 'NaN'",
        "[1, -Infinity]", "Non-standard token '-Infinity'",
        "[+1]", "Unexpected character ('+' (code 43)) in numeric value: JSON spec does not"
            + " allow numbers to have plus signs",
        "[/* c */ 1]", "Unexpected character ('/' (code 47)): maybe a (non-standard) comment?",
        "[1] // c", "Unexpected character ('/' (code 47)): maybe a (non-standard) comment?",
        "\u001E[1]", "Illegal character ((CTRL-CHAR, code 30)): only regular white space (\\r,"
            + " \\n, \\t) is allowed between tokens");
    Map<String, String> described = new java.util.TreeMap<>();
    expected.keySet().forEach(json -> described.put(json, describe(JsonNode.class, json)));
    assertThat(described).isEqualTo(new java.util.TreeMap<>(expected));
  }

  @Test
  @DisplayName("a value read from text says what text it expected, not the type that reads it")
  void valuesReadFromText() {
    assertThat(describe(Booking.class, "{\"at\":\"$x\"}"))
        .isEqualTo("at 'at': Expected a timestamp such as 2024-01-31T12:00:00Z, got \"$x\"");
    assertThat(describe(Booking.class, "{\"id\":\"nope\"}")).isEqualTo("at 'id': Expected a UUID, got \"nope\"");
    assertThat(describe(Booking.class, "{\"day\":\"2020-13-45\"}"))
        .isEqualTo("at 'day': Expected a date such as 2024-01-31, got \"2020-13-45\"");
    assertThat(describe(Booking.class, "{\"length\":\"xx\"}"))
        .isEqualTo("at 'length': Expected a duration such as PT5S, got \"xx\"");
    assertThat(describe(Booking.class, "{\"link\":\"a b\"}")).isEqualTo("at 'link': Expected a URI, got \"a b\"");
    assertThat(describe(Booking.class, "{\"id\":\"\"}")).isEqualTo("at 'id': Expected a UUID, got an empty string");
    assertThat(describe(Booking.class, "{\"at\":{}}"))
        .isEqualTo("at 'at': Expected a timestamp such as 2024-01-31T12:00:00Z, got an object");
  }

  @Test
  @DisplayName("a string where a number or a boolean is expected says so in JSON's words, quoting the string")
  void stringForANumberOrABoolean() {
    assertThat(describe(Order.class, "{\"count\":\"12\"}"))
        .isEqualTo("at 'count': Expected a 32-bit integer, got a string (\"12\")");
    assertThat(describe(Order.class, "{\"weight\":\"x\"}"))
        .isEqualTo("at 'weight': Expected a number, got a string (\"x\")");
    assertThat(describe(Order.class, "{\"urgent\":\"yes\"}"))
        .isEqualTo("at 'urgent': Expected a boolean, got a string (\"yes\")");
    assertThat(describe(Order.class, "{\"items\":[1,\"2\"]}"))
        .isEqualTo("at 'items.[1]': Expected a 32-bit integer, got a string (\"2\")");
    assertThat(describe(Opening.class, "{\"balance\":\"\"}"))
        .isEqualTo("at 'balance': Expected a 64-bit integer, got an empty string");
    assertThat(describe(Long.class, "\"  \""))
        .isEqualTo("Expected a 64-bit integer, got a string (\"  \")");
  }

  @Test
  @DisplayName("the client's own text is quoted as sent, even when it looks like a Java type or holds quotes")
  void clientTextIsNotRewritten() {
    assertThat(describe(Integer.class, "\"`java.lang.String`\""))
        .isEqualTo("Expected a 32-bit integer, got a string (\"`java.lang.String`\")");
    assertThat(describe(Integer.class, "\"a\\\") to `java.lang.Long` value\""))
        .isEqualTo("Expected a 32-bit integer, got a string (\"a\") to `java.lang.Long` value\")");
    assertThat(describe(Booking.class, "{\"at\":\"y\\\"`java.lang.Long` value\"}"))
        .isEqualTo("at 'at': Expected a timestamp such as 2024-01-31T12:00:00Z, got"
            + " \"y\"`java.lang.Long` value\"");
    assertThat(describe(Opening.class, "\"x`java.lang.Long`\""))
        .isEqualTo("Expected an object with owner, balance, got a string ('x`java.lang.Long`')");
  }

  @Test
  @DisplayName("a long value is cut between characters, never inside a surrogate pair")
  void cutsKeepSurrogatePairsWhole() {
    String emoji = "\uD83D\uDE00".repeat(60);
    String message = describe(Booking.class, "{\"at\":\"" + emoji + "\"}");
    assertThat(message).endsWith("...\"");
    String value = message.substring(message.indexOf("got \"") + 5, message.length() - 4);
    assertThat(Character.isHighSurrogate(value.charAt(value.length() - 1))).isFalse();
  }

  @Test
  @DisplayName("a value as long as a request body, plain or full of escapes, is described short and safely")
  void hugeValuesAreCutNotEchoed() {
    String plain = "x".repeat(900_000);
    String escapes = "\\\"".repeat(150_000);
    for (String value : new String[] {plain, escapes}) {
      for (Class<?> type : new Class<?>[] {Integer.class, Booking.class, Opening.class}) {
        String json = type == Integer.class ? "\"" + value + "\""
            : type == Booking.class ? "{\"at\":\"" + value + "\"}" : "{\"balance\":\"" + value + "\"}";
        String message = describe(type, json);
        assertThat(message).as("%s", type.getSimpleName()).hasSizeLessThan(JsonErrorMessages.MAX_MESSAGE + 20);
      }
    }
    assertThat(describe(Integer.class, "\"" + plain + "\""))
        .startsWith("Expected a 32-bit integer, got a string (\"xxx").endsWith("...\")");
  }
}

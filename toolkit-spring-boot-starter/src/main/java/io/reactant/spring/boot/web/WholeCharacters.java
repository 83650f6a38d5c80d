package io.reactant.spring.boot.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Refuses a JSON string that holds half of a UTF-16 surrogate pair, which JSON's escapes can spell
 * (<code>"&#92;uD800"</code>, a low half alone, a pair reversed) though it is no Unicode character:
 * the text a client sends is characters, as its raw UTF-8 bytes must be (the same half pair sent as
 * the bytes {@code ED A0 80} is refused as not UTF-8), and Candid's {@code text} is Unicode scalar
 * values. A whole pair escaped (<code>"&#92;uD83D&#92;uDE00"</code>) is one character, read as
 * before. The refusal is a mismatch of the value read, so Jackson's path says where; the check is
 * one pass over each string read. Installed on the actor endpoints' reader of arguments, and by
 * {@code reactant.http.strict-input.enabled} on the application's {@code JsonMapper}. A map's keys
 * and a {@code JsonNode}'s texts are not read as strings, so not checked. Stateless, thread-safe.
 */
public final class WholeCharacters {

  private WholeCharacters() {
  }

  /**
   * A module whose readers of {@code String} and of {@code char} (one character: Candid's {@code
   * text} too) refuse half a surrogate pair.
   */
  public static JacksonModule module() {
    return new SimpleModule("reactant-whole-characters").setDeserializerModifier(new Modifier());
  }

  /**
   * The index of the first surrogate of {@code text} that is not part of a pair (a high one
   * followed by a low one), or -1 when every one is.
   */
  static int halfSurrogatePair(String text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  private static final class Modifier extends ValueDeserializerModifier {

    @Override
    public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
        BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
      Class<?> type = description.getBeanClass();
      return type == String.class || type == Character.class || type == char.class
          ? new Checked(deserializer) : deserializer;
    }
  }

  /** A reader of strings, or of chars, that refuses one holding half a surrogate pair. */
  private static final class Checked extends DelegatingDeserializer {

    Checked(ValueDeserializer<?> delegatee) {
      super(delegatee);
    }

    @Override
    protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegatee) {
      return new Checked(delegatee);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext context) {
      Object value = super.deserialize(p, context);
      String text = value instanceof Character c ? String.valueOf(c) : value instanceof String t ? t
          : null;
      int half = text == null ? -1 : halfSurrogatePair(text);
      if (half >= 0) {
        return context.reportInputMismatch(value.getClass(), "The string holds half of a surrogate"
            + " pair (\\u%04X at index %d), which is no character: escape a character outside"
            + " the BMP as its whole pair (\\uD83D\\uDE00)", (int) text.charAt(half), half);
      }
      return value;
    }
  }
}

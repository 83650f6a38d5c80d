package io.reactant.spring.boot.web;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.lang.reflect.ParameterizedType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.ArrayType;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads the arguments of an ingress call from a JSON array, one element per parameter, converted
 * strictly to the parameter types: no number from a string, no string from a number, no integer
 * from a fraction, no null (except for an {@code Optional}): not as an argument, a record field or
 * an element of a collection, no missing record field (but an {@code Optional} one, read as
 * empty), no unknown record field, no enum constant by its position, no number out of its type's
 * range (a byte past 127, a float too large for it, an element of a blob's array outside 0 to
 * 255), no field given twice, no body in UTF-8 that
 * is not valid UTF-8.
 *
 * <p>Every failure is an {@link IngressRequestException} of status 400 whose message names the
 * method, the argument and what is wrong; an argument whose type no JSON builds (an interface or
 * an abstract class that the service's mapper has no way to build, a {@code Mono}) is refused so
 * too, saying that no value will do, and logged as a warning with Jackson's reason, once per
 * argument (at debug level after that). An argument whose own deserializer (the application's)
 * fails with an exception that is not Jackson's is a {@link RepeatableFailure}: a 500, logged once
 * per argument with its stack.
 */
final class JsonArguments {

  private static final Log LOG = LogFactory.getLog(JsonArguments.class);
  private static final Object[] NONE = new Object[0];

  private final JsonMapper strict;
  /** Reads one argument where the parser stands in the array (more tokens follow it). */
  private final ObjectReader elements;
  /** The arguments whose type no JSON builds that were logged once already (a client can repeat them). */
  private final Set<String> unreadableLogged = ConcurrentHashMap.newKeySet();

  JsonArguments(JsonMapper mapper) {
    this.strict = mapper.rebuild()
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        // a field given twice: which value counts would be a guess (and a filter in front of the
        // service may have checked the other one)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        // null nowhere but in an Optional: not as a record field, a missing one included (Jackson
        // reads a missing creator property as null), nor as an element of a collection or map
        .changeDefaultNullHandling(n -> JsonSetter.Value.construct(Nulls.FAIL, Nulls.FAIL))
        .withConfigOverride(Optional.class, o -> o.setNullHandling(
            JsonSetter.Value.construct(Nulls.SET, Nulls.SET)))
        // an enum is a variant, named: not numbered by its position
        .withCoercionConfig(LogicalType.Enum, c -> c
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
        .addModule(new SimpleModule("reactant-strict-numbers")
            .setDeserializerModifier(new StrictNumbers()))
        // a text is characters: not half of a surrogate pair, which an escape can spell
        .addModule(WholeCharacters.module())
        // an empty or blank text is not null (Jackson would read "" as an absent UUID or date)
        .withCoercionConfigDefaults(c -> c
            .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
            .setAcceptBlankAsEmpty(false))
        .withCoercionConfig(LogicalType.Textual, c -> c
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .build();
    this.elements = strict.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** Reads the arguments of {@code method} from {@code body}; an empty body means no argument. */
  Object[] read(ExposedActorType type, ActorMethod method, byte[] body) {
    String where = type.name() + "." + method.name() + method.signature();
    JsonNode array;
    if (body.length == 0) {
      array = strict.createArrayNode();
    } else {
      int malformed = Utf8Input.firstByteNotUtf8(ByteBuffer.wrap(body));
      if (malformed >= 0) {
        throw badRequest("Malformed JSON: the body is not valid UTF-8 (at byte " + malformed + ")");
      }
      try {
        array = strict.readTree(body);
      } catch (JacksonException e) {
        throw badRequest("Malformed JSON: " + JsonErrorMessages.describe(e));
      }
    }
    if (array == null || !array.isArray()) {
      throw badRequest("The body must be a JSON array of the arguments of " + where
          + ", for example " + example(method));
    }
    int expected = method.params.size();
    if (array.size() != expected) {
      throw badRequest(where + " takes " + expected + " argument" + (expected == 1 ? "" : "s")
          + ", but the array has " + array.size());
    }
    if (expected == 0) {
      return NONE;
    }
    // each argument is read from the body's own tokens, not from the tree: a tree holds a
    // number with a fraction as a double, so a BigDecimal would lose digits, and a refusal would
    // quote the double (1000.0) rather than what the client sent (1e3)
    Object[] args = new Object[expected];
    try (JsonParser p = elements.createParser(body)) {
      p.nextToken(); // the array, which the tree showed holds the arguments
      for (int i = 0; i < expected; i++) {
        p.nextToken();
        args[i] = convert(type.declaration.type().getName(), where, method.params.get(i), i,
            array.get(i), p);
      }
    }
    return args;
  }

  private Object convert(String iface, String where, ActorMethod.Param param, int index,
      JsonNode node, JsonParser parser) {
    String argument = "Argument " + (index + 1) + " (" + param.name() + " : " + param.candid()
        + ") of " + where;
    boolean optional = rawClass(param.type()) == Optional.class;
    if (node.isNull() && !optional) {
      throw badRequest(argument + " must not be null");
    }
    Object value;
    try {
      value = elements.forType(strict.constructType(param.type())).readValue(parser);
    } catch (InvalidDefinitionException e) {
      // no JSON builds the type (an interface, an abstract class, a Mono): the service's mistake,
      // which its log tells; the client learns that no value it sends will do
      // once per argument as a warning: any client can repeat the call, and the log would flood
      if (unreadableLogged.add(argument)) {
        LOG.warn("The HTTP ingress cannot read " + argument + " from JSON, whatever the client"
            + " sends (logged once): " + e.getOriginalMessage());
      } else if (LOG.isDebugEnabled()) {
        LOG.debug("The HTTP ingress cannot read " + argument + " from JSON: "
            + e.getOriginalMessage());
      }
      throw badRequest(argument + " cannot be sent over HTTP: the service does not say how to"
          + " read its type from JSON" + at(e));
    } catch (JacksonException e) {
      throw badRequest(argument + " is invalid: " + JsonErrorMessages.describe(e, node));
    } catch (RuntimeException e) {
      // the type's own deserializer failed with an exception of its own, not Jackson's: a bug
      // of the application (its message may describe the server), which any client can repeat
      throw new RepeatableFailure(new AnsweredTraps.Kind(iface, "reading " + argument),
          "The HTTP ingress failed to read " + argument + ": its deserializer threw an exception"
              + " that is not Jackson's (a bug of its type), answered as a 500 without the"
              + " exception's message",
          "later failures of this argument are logged at debug level", e);
    }
    if (value == null) {
      // outside the try: this refusal of the client's value is not a failure of a deserializer
      throw badRequest(argument + " must not be null");
    }
    return value;
  }

  /** {@code  (at 'field')} where in the argument the type that JSON cannot build is, if inside. */
  private static String at(JacksonException e) {
    String path = e.getPath().stream()
        .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
    return path.isEmpty() ? "" : " (at '" + path + "')";
  }

  private static String example(ActorMethod method) {
    return method.params.isEmpty() ? "[]" : "[" + String.join(", ",
        method.params.stream().map(p -> "<" + p.candid() + ">").toList()) + "]";
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return type instanceof Class<?> c ? c : Object.class;
  }

  /**
   * Refuses the numbers that Jackson reads without complaint but not as sent: a byte past 127
   * (Jackson wraps 128 to 255 around, as unsigned bytes), a float or double too large for it
   * (Jackson reads it as infinite), alone or in a {@code float[]} or {@code double[]}, and a
   * negative element of a {@code byte[]}'s array (Candid's {@code blob} holds bytes 0 to 255;
   * Jackson takes -128 to 255, so that {@code -56} and {@code 200} would be one byte).
   */
  private static final class StrictNumbers extends ValueDeserializerModifier {

    @Override
    public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
        BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
      Class<?> type = description.getBeanClass();
      boolean checked = type == byte.class || type == Byte.class || type == float.class
          || type == Float.class || type == double.class || type == Double.class;
      return checked ? new InRange(deserializer, type) : deserializer;
    }

    /** Arrays of {@code float}, {@code double} and {@code byte} are read by readers of their own. */
    @Override
    public ValueDeserializer<?> modifyArrayDeserializer(DeserializationConfig config,
        ArrayType valueType, BeanDescription.Supplier description,
        ValueDeserializer<?> deserializer) {
      Class<?> type = valueType.getRawClass();
      return type == float[].class || type == double[].class || type == byte[].class
          ? new InRange(deserializer, type) : deserializer;
    }
  }

  /**
   * A reader of bytes, floats or doubles, or of arrays of floats, doubles or bytes, that refuses a
   * number out of the type's range, and a float or a double sent as a text (Jackson's own readers
   * take "NaN" and "Infinity"). A single number is checked as sent, before it is read; an array
   * of floats or doubles element by element (an infinite one is too large: JSON has no infinity);
   * a {@code byte[]} sent as an array element by element, each an integer from 0 to 255 (sent as a
   * string, it is base64, read by Jackson).
   */
  private static final class InRange extends DelegatingDeserializer {

    private final Class<?> type;

    InRange(ValueDeserializer<?> delegatee, Class<?> type) {
      super(delegatee);
      this.type = type;
    }

    @Override
    protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegatee) {
      return new InRange(delegatee, type);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext context) {
      if (type == float[].class || type == double[].class) {
        return p.currentToken() == JsonToken.START_ARRAY ? floats(p, context)
            : super.deserialize(p, context);
      }
      if (type == byte[].class) {
        return p.currentToken() == JsonToken.START_ARRAY ? unsignedBytes(p, context)
            : super.deserialize(p, context);
      }
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_STRING && type != byte.class && type != Byte.class) {
        // Jackson reads "NaN", "Infinity" and "INF" as numbers even when it reads no other text
        return context.reportInputMismatch(type, "Cannot coerce String value (\"%s\") to `%s` value",
            p.getString(), type.getName());
      }
      if (token == JsonToken.VALUE_NUMBER_INT && (type == byte.class || type == Byte.class)) {
        if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < Byte.MIN_VALUE
            || p.getIntValue() > Byte.MAX_VALUE) {
          return context.reportInputMismatch(type,
              "Numeric value (%s) out of range of `byte` (-128 - 127)", p.getString());
        }
      } else if ((token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT)
          && type != byte.class && type != Byte.class) {
        double value = p.getDoubleValue();
        boolean single = type == float.class || type == Float.class;
        if (Double.isInfinite(value) || single && Float.isInfinite(p.getFloatValue())) {
          // a float's range is what rounds to a finite float (3.4028235E38, Float.MAX_VALUE as
          // Java writes it, reads as a double a little above it); past a double, the value read is an infinity: not what the client sent, so not shown
          String sent = Double.isInfinite(value) ? "" : " (" + p.getString() + ")";
          return context.reportInputMismatch(type, "Numeric value%s out of range of a %s-bit float",
              sent, single ? "32" : "64");
        }
      }
      return super.deserialize(p, context);
    }

    /** The elements of a blob sent as an array, the parser at its start: integers 0 to 255. */
    private static byte[] unsignedBytes(JsonParser p, DeserializationContext context) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int index = 0;
      for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
        try {
          if (token != JsonToken.VALUE_NUMBER_INT) {
            return context.reportInputMismatch(byte[].class,
                "Expected an integer from 0 to 255, got %s", JsonErrorMessages.jsonToken(token.name()));
          }
          if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 0
              || p.getIntValue() > 255) {
            return context.reportInputMismatch(byte[].class,
                "Numeric value (%s) out of range of a byte of a blob (0 to 255)", p.getString());
          }
        } catch (JacksonException e) {
          throw JacksonException.wrapWithPath(e, byte[].class, index);
        }
        bytes.write(p.getIntValue());
        index++;
      }
      return bytes.toByteArray();
    }

    /**
     * The elements of an array of floats or doubles, the parser at its start: numbers in the
     * type's range, each read as Jackson reads one (a text, "NaN" included, is not a number).
     */
    private Object floats(JsonParser p, DeserializationContext context) {
      boolean single = type == float[].class;
      Class<?> element = single ? float.class : double.class;
      float[] floats = single ? new float[8] : null;
      double[] doubles = single ? null : new double[8];
      int n = 0;
      for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
        try {
          if (token == JsonToken.VALUE_STRING) {
            return context.reportInputMismatch(element,
                "Cannot coerce String value (\"%s\") to `%s` value", p.getString(), element.getName());
          }
          if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            return context.reportInputMismatch(element, "Expected a number, got %s",
                JsonErrorMessages.jsonToken(token.name()));
          }
          double value = p.getDoubleValue();
          if (Double.isInfinite(value) || single && Float.isInfinite(p.getFloatValue())) {
            return context.reportInputMismatch(element, "Numeric value%s out of range of a %s-bit float",
                Double.isInfinite(value) ? "" : " (" + p.getString() + ")", single ? "32" : "64");
          }
          if (single) {
            floats = n == floats.length ? Arrays.copyOf(floats, 2 * n) : floats;
            floats[n] = p.getFloatValue();
          } else {
            doubles = n == doubles.length ? Arrays.copyOf(doubles, 2 * n) : doubles;
            doubles[n] = value;
          }
        } catch (JacksonException e) {
          throw JacksonException.wrapWithPath(e, type, n);
        }
        n++;
      }
      return single ? Arrays.copyOf(floats, n) : Arrays.copyOf(doubles, n);
    }
  }

  private static IngressRequestException badRequest(String message) {
    return new IngressRequestException(HttpStatus.BAD_REQUEST, message);
  }
}

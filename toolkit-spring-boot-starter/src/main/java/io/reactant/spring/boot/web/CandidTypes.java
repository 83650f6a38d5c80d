package io.reactant.spring.boot.web;

import io.reactant.actor.ActorId;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Month;
import java.time.Year;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collection;
import java.util.Currency;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Names Java types the way Candid, the interface language of the Internet Computer, names the
 * corresponding values, by the JSON form Jackson reads and writes them in: {@code text},
 * {@code int64}, {@code vec text}, {@code opt nat}, {@code record { owner : text; balance : int64
 * }}, {@code variant { A; B }}. Every name is valid Candid, with no type definition to refer to.
 *
 * <ul>
 *   <li>A type written as a JSON string is {@code text}: a {@code UUID}, a {@code URI}, a
 *       {@code java.time} value but {@link Year} and {@link Month} (an {@code Instant},
 *       {@code LocalDate}, {@code Duration}, {@code ZoneId}...), a {@code Date} or
 *       {@code Calendar}, a {@code Locale}, a {@code Currency}, a {@code char[]}, any
 *       {@code CharSequence}.</li>
 *   <li>A {@link BigDecimal} or a {@link Number}, a JSON number with any digits, is
 *       {@code float64}: Candid has no decimal type, and the endpoints take and return every
 *       digit, beyond a float64's precision and range.</li>
 *   <li>{@code Object}, a {@link JsonNode}, a type variable that nothing binds (a generic method's
 *       {@code <T>}), an interface or an abstract class (written as its implementation is) are
 *       {@code reserved}: any value; so is a record's occurrence inside itself (Candid names a
 *       recursive type only in a type definition, which a method's signature cannot hold).</li>
 *   <li>A class of the JavaBeans kind is the record of the properties Jackson writes: its public
 *       getters and fields. A generic record or class names its fields by the type arguments it
 *       is given ({@code Page<UUID>}: {@code record { items : vec text }}) or its superclass is
 *       given; a map and a collection by those it gives {@code Map} or {@code Collection}.</li>
 *   <li>A field name or an enum constant that is a Candid keyword or no Candid identifier
 *       ({@code type}, {@code text}, {@code größe}) is quoted.</li>
 * </ul>
 */
final class CandidTypes {

  /** The words Candid reserves, which a name must quote. */
  private static final Set<String> RESERVED_WORDS = Set.of("type", "import", "opt", "vec",
      "record", "variant", "func", "service", "oneway", "query", "composite_query", "blob",
      "principal", "nat", "nat8", "nat16", "nat32", "nat64", "int", "int8", "int16", "int32",
      "int64", "float32", "float64", "bool", "text", "null", "reserved", "empty");

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Types Jackson writes as a JSON string, with their subtypes. */
  private static final List<Class<?>> TEXTS = List.of(CharSequence.class, UUID.class, URI.class,
      URL.class, Path.class, java.io.File.class, Locale.class, Currency.class, Charset.class,
      Pattern.class, InetAddress.class, Class.class, TimeZone.class, ZoneId.class, Date.class,
      Calendar.class, TemporalAccessor.class, TemporalAmount.class);

  private CandidTypes() {
  }

  /** Returns the Candid name of a Java type; {@code null} for no value ({@code Void}). */
  static String of(Type type) {
    return of(type, new HashSet<>());
  }

  /**
   * A field's, a tag's or a method's name as Candid writes it: as it is if it is an identifier
   * Candid does not reserve, else quoted ({@code "type"}). A Java name holds no {@code "} nor
   * {@code \}, which a quoted name would escape.
   */
  static String name(String name) {
    return IDENTIFIER.matcher(name).matches() && !RESERVED_WORDS.contains(name)
        ? name : "\"" + name + "\"";
  }

  private static String of(Type type, Set<Class<?>> seen) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == Optional.class) {
        return "opt " + of(args[0], seen);
      }
      if (raw == AtomicReference.class) {
        return of(args[0], seen);
      }
      if (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)) {
        return container(type, raw, seen);
      }
      return ofClass(raw, p, seen);
    }
    if (type instanceof GenericArrayType g) {
      return "vec " + of(g.getGenericComponentType(), seen);
    }
    if (type instanceof WildcardType w) {
      return of(w.getUpperBounds()[0], seen);
    }
    if (!(type instanceof Class<?> c)) {
      return "reserved";
    }
    return ofClass(c, c, seen);
  }

  /** {@code c}, as {@code given} (itself, or {@code c} with type arguments) names it. */
  private static String ofClass(Class<?> c, Type given, Set<Class<?>> seen) {
    if (c == String.class || c == char.class || c == Character.class || c == char[].class) {
      return "text";
    }
    if (c == boolean.class || c == Boolean.class || c == AtomicBoolean.class) {
      return "bool";
    }
    if (c == byte.class || c == Byte.class) {
      return "int8";
    }
    if (c == short.class || c == Short.class) {
      return "int16";
    }
    if (c == int.class || c == Integer.class || c == AtomicInteger.class || c == Year.class) {
      return "int32";
    }
    if (c == long.class || c == Long.class || c == AtomicLong.class) {
      return "int64";
    }
    if (c == BigInteger.class) {
      return "int";
    }
    if (c == float.class || c == Float.class) {
      return "float32";
    }
    if (c == double.class || c == Double.class || c == BigDecimal.class || c == Number.class) {
      return "float64";
    }
    if (c == Month.class) {
      return "nat8"; // 1 to 12
    }
    if (c == OptionalInt.class) {
      return "opt int32";
    }
    if (c == OptionalLong.class) {
      return "opt int64";
    }
    if (c == OptionalDouble.class) {
      return "opt float64";
    }
    if (c == void.class || c == Void.class) {
      return "null";
    }
    if (c == Object.class || JsonNode.class.isAssignableFrom(c)) {
      return "reserved"; // any JSON value, as an unbound type variable
    }
    if (c == ActorId.class) {
      return "principal";
    }
    if (c == byte[].class) {
      return "blob";
    }
    if (c.isArray()) {
      return "vec " + ofClass(c.getComponentType(), c.getComponentType(), seen);
    }
    if (c == Optional.class) {
      return "opt reserved";
    }
    if (c == AtomicReference.class) {
      return "reserved";
    }
    if (Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c)) {
      return container(c, c, seen);
    }
    for (Class<?> text : TEXTS) {
      if (text.isAssignableFrom(c)) {
        return "text";
      }
    }
    if (c.isEnum()) {
      return "variant { " + Arrays.stream(c.getEnumConstants())
          .map(e -> name(((Enum<?>) e).name())).collect(Collectors.joining("; ")) + " }";
    }
    if (c.isInterface() || Modifier.isAbstract(c.getModifiers()) || c.isPrimitive()) {
      return "reserved";
    }
    if (!seen.add(c)) {
      return "reserved"; // a record inside itself
    }
    Map<String, Type> fields = c.isRecord() ? components(c) : beanProperties(c);
    // a field of a type variable by the type argument given (Page<UUID>'s List<T> items)
    InterfaceTypes types = InterfaceTypes.ofType(given);
    String record = fields.isEmpty() ? "record {}" : "record { " + fields.entrySet().stream()
        .map(f -> name(f.getKey()) + " : " + of(types.resolve(f.getValue()), seen))
        .collect(Collectors.joining("; ")) + " }";
    seen.remove(c);
    return record;
  }

  /**
   * A map or a collection by the key and the value, or the element, it has as a {@link Map} or a
   * {@link Collection}, whatever its own type parameters are: {@code Registry<V> extends
   * Map<String, V>} has one, {@code MultiValueMap<K, V>} holds lists of {@code V}, a class that
   * extends {@code HashMap<String, Integer>} none. What nothing binds is any value, but a map's
   * key, which JSON writes as a string.
   */
  private static String container(Type type, Class<?> raw, Set<Class<?>> seen) {
    if (Map.class.isAssignableFrom(raw)) {
      Type[] keyValue = InterfaceTypes.argumentsOf(type, Map.class);
      return "vec record { " + (keyValue[0] instanceof TypeVariable<?> ? "text"
          : of(keyValue[0], seen)) + "; " + of(keyValue[1], seen) + " }";
    }
    return "vec " + of(InterfaceTypes.argumentsOf(type, Collection.class)[0], seen);
  }

  private static Map<String, Type> components(Class<?> c) {
    Map<String, Type> fields = new java.util.LinkedHashMap<>();
    for (RecordComponent rc : c.getRecordComponents()) {
      fields.put(rc.getName(), rc.getGenericType());
    }
    return fields;
  }

  /** The properties Jackson writes of a JavaBean: its public getters and fields, by name. */
  private static Map<String, Type> beanProperties(Class<?> c) {
    Map<String, Type> properties = new TreeMap<>();
    for (Field f : c.getFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        properties.put(f.getName(), f.getGenericType());
      }
    }
    for (Method m : c.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      String n = m.getName();
      String property = n.startsWith("get") && n.length() > 3 && m.getReturnType() != void.class
          ? n.substring(3)
          : n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class
              ? n.substring(2) : null;
      if (property != null) {
        properties.putIfAbsent(decapitalized(property), m.getGenericReturnType());
      }
    }
    return properties;
  }

  /** A getter's property as Jackson names it: its leading capitals lowered ({@code getURL}: url). */
  private static String decapitalized(String property) {
    int upper = 0;
    while (upper < property.length() && Character.isUpperCase(property.charAt(upper))) {
      upper++;
    }
    return property.substring(0, upper).toLowerCase(Locale.ROOT) + property.substring(upper);
  }
}

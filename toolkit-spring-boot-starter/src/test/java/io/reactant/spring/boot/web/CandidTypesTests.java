package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorId;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Candid that {@code GET /actors} serves for the types the JSON endpoints take and return:
 * every name is valid Candid (checked by a parser of Candid's type grammar), and names the Candid
 * type whose JSON form is the one Jackson reads and writes for that Java type.
 */
class CandidTypesTests {

  public record Money(BigDecimal amount, Currency currency) {
  }

  public record Keywords(String type, int text, boolean record, String query, String $weird,
      String größe, String ok_1) {
  }

  public enum Tag { ACTIVE, type, größe }

  public record Node(String name, List<Node> children, Optional<Node> parent) {
  }

  /** A class of the JavaBeans kind: Jackson writes its getters and public fields. */
  public static final class Account {
    public long balance;
    private String owner = "";
    private boolean closed;

    public String getOwner() {
      return owner;
    }

    public void setOwner(String owner) {
      this.owner = owner;
    }

    public boolean isClosed() {
      return closed;
    }

    public void setClosed(boolean closed) {
      this.closed = closed;
    }

    public URI getURL() {
      return URI.create("http://localhost");
    }

    public static String getStatic() {
      return "";
    }
  }

  /** Methods whose parameters and results are the types under test, read by reflection. */
  @SuppressWarnings("unused")
  interface Shapes {
    List<String> strings();

    List raw();

    Map rawMap();

    Map<String, List<Integer>> map();

    Optional<UUID> maybeUuid();

    AtomicReference<Instant> atomicInstant();

    Set<Tag> tags();
  }

  private static Type returned(String method) throws NoSuchMethodException {
    Method m = Shapes.class.getDeclaredMethod(method);
    return m.getGenericReturnType();
  }

  @Test
  @DisplayName("Java types named by a JSON string (UUID, URI, an instant, a date, a duration, a"
      + " locale, a currency, a char[]...) are Candid text, not their Java simple name")
  void typesWrittenAsJsonStringsAreText() {
    for (Class<?> c : List.of(UUID.class, URI.class, URL.class, Path.class, Instant.class,
        LocalDate.class, LocalDateTime.class, LocalTime.class, OffsetDateTime.class,
        ZonedDateTime.class, Duration.class, Period.class, YearMonth.class, ZoneId.class,
        ZoneOffset.class, Locale.class, Currency.class, Date.class, java.sql.Date.class,
        StringBuilder.class, CharSequence.class, char[].class, java.util.regex.Pattern.class)) {
      assertThat(CandidTypes.of(c)).as(c.getName()).isEqualTo("text");
    }
  }

  @Test
  @DisplayName("a BigDecimal, a JSON number with any digits, is float64 (Candid has no decimal);"
      + " Number too; Year and Month, JSON numbers, are int32 and nat8; the atomic and primitive"
      + " optional types are their values'")
  void numbersAndWrappers() throws Exception {
    assertThat(CandidTypes.of(BigDecimal.class)).isEqualTo("float64");
    assertThat(CandidTypes.of(Number.class)).isEqualTo("float64");
    assertThat(CandidTypes.of(BigInteger.class)).isEqualTo("int");
    assertThat(CandidTypes.of(Year.class)).isEqualTo("int32");
    assertThat(CandidTypes.of(Month.class)).isEqualTo("nat8");
    assertThat(CandidTypes.of(OptionalInt.class)).isEqualTo("opt int32");
    assertThat(CandidTypes.of(OptionalLong.class)).isEqualTo("opt int64");
    assertThat(CandidTypes.of(OptionalDouble.class)).isEqualTo("opt float64");
    assertThat(CandidTypes.of(AtomicInteger.class)).isEqualTo("int32");
    assertThat(CandidTypes.of(AtomicLong.class)).isEqualTo("int64");
    assertThat(CandidTypes.of(AtomicBoolean.class)).isEqualTo("bool");
    assertThat(CandidTypes.of(returned("atomicInstant"))).isEqualTo("text");
    assertThat(CandidTypes.of(returned("maybeUuid"))).isEqualTo("opt text");
    assertThat(CandidTypes.of(Money.class))
        .isEqualTo("record { amount : float64; currency : text }");
  }

  @Test
  @DisplayName("any JSON value (JsonNode) is reserved; a raw List, Map or Optional holds any"
      + " value; a JSON object's keys are text")
  void anyValue() throws Exception {
    assertThat(CandidTypes.of(JsonNode.class)).isEqualTo("reserved");
    assertThat(CandidTypes.of(ObjectNode.class)).isEqualTo("reserved");
    assertThat(CandidTypes.of(returned("raw"))).isEqualTo("vec reserved");
    assertThat(CandidTypes.of(returned("rawMap"))).isEqualTo("vec record { text; reserved }");
    assertThat(CandidTypes.of(Optional.class)).isEqualTo("opt reserved");
    assertThat(CandidTypes.of(returned("map"))).isEqualTo("vec record { text; vec int32 }");
    assertThat(CandidTypes.of(returned("strings"))).isEqualTo("vec text");
    assertThat(CandidTypes.of(ActorId.class)).isEqualTo("principal");
  }

  @Test
  @DisplayName("a field or an enum constant whose name is a Candid keyword or no Candid"
      + " identifier is quoted")
  void namesThatAreNoCandidIdentifiersAreQuoted() throws Exception {
    assertThat(CandidTypes.of(Keywords.class)).isEqualTo("record { \"type\" : text;"
        + " \"text\" : int32; \"record\" : bool; \"query\" : text; \"$weird\" : text;"
        + " \"größe\" : text; ok_1 : text }");
    assertThat(CandidTypes.of(Tag.class)).isEqualTo("variant { ACTIVE; \"type\"; \"größe\" }");
    assertThat(CandidTypes.of(returned("tags")))
        .isEqualTo("vec variant { ACTIVE; \"type\"; \"größe\" }");
    assertThat(CandidTypes.name("transfer")).isEqualTo("transfer");
    assertThat(CandidTypes.name("query")).isEqualTo("\"query\"");
  }

  @Test
  @DisplayName("a recursive record names its inner occurrence reserved (Candid names a recursive"
      + " type only in a type definition, which a method's signature cannot hold)")
  void recursiveRecords() {
    assertThat(CandidTypes.of(Node.class)).isEqualTo(
        "record { name : text; children : vec reserved; parent : opt reserved }");
  }

  @Test
  @DisplayName("a class of the JavaBeans kind is the record of the properties Jackson writes: its"
      + " getters and public fields; an interface or an abstract class, whose JSON is its"
      + " implementation's, is reserved")
  void beansAndAbstractTypes() {
    assertThat(CandidTypes.of(Account.class))
        .isEqualTo("record { balance : int64; closed : bool; owner : text; url : text }");
    assertThat(CandidTypes.of(Runnable.class)).isEqualTo("reserved");
    assertThat(CandidTypes.of(java.util.AbstractMap.SimpleEntry.class.getSuperclass()
        .getSuperclass())).isEqualTo("reserved");
  }

  @Test
  @DisplayName("every name given is valid Candid, as Candid's grammar of types parses it")
  void everyNameParsesAsCandid() throws Exception {
    List<Type> types = new ArrayList<>(List.of(UUID.class, BigDecimal.class, Instant.class,
        Money.class, Keywords.class, Tag.class, Node.class, Account.class, Runnable.class,
        JsonNode.class, Optional.class, OptionalInt.class, AtomicLong.class, Month.class,
        Year.class, char[].class, byte[].class, int[].class, String[][].class, Object.class,
        Void.class, Number.class, Date.class, Thread.class, Class.class));
    for (Method m : Shapes.class.getDeclaredMethods()) {
      types.add(m.getGenericReturnType());
    }
    Map<Type, String> names = new LinkedHashMap<>();
    for (Type t : types) {
      names.put(t, CandidTypes.of(t));
    }
    names.forEach((type, name) ->
        assertThat(CandidGrammar.isType(name)).as("%s named %s", type, name).isTrue());
  }

  /** A recognizer of Candid's {@code <datatype>}, as the Candid specification writes it. */
  static final class CandidGrammar {
    private static final Set<String> KEYWORDS = Set.of("type", "import", "opt", "vec", "record",
        "variant", "func", "service", "oneway", "query", "composite_query", "blob", "principal");
    private static final Set<String> PRIMITIVES = Set.of("nat", "nat8", "nat16", "nat32",
        "nat64", "int", "int8", "int16", "int32", "int64", "float32", "float64", "bool", "text",
        "null", "reserved", "empty");

    private final List<String> tokens;
    private int at;

    private CandidGrammar(List<String> tokens) {
      this.tokens = tokens;
    }

    static boolean isType(String text) {
      List<String> tokens = tokenize(text);
      if (tokens == null) {
        return false;
      }
      CandidGrammar g = new CandidGrammar(tokens);
      return g.datatype() && g.at == tokens.size();
    }

    private static List<String> tokenize(String s) {
      List<String> out = new ArrayList<>();
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ') {
          i++;
        } else if (c == '{' || c == '}' || c == ';' || c == ':') {
          out.add(String.valueOf(c));
          i++;
        } else if (c == '"') {
          int end = s.indexOf('"', i + 1);
          if (end < 0 || s.substring(i + 1, end).contains("\\")) {
            return null;
          }
          out.add(s.substring(i, end + 1));
          i = end + 1;
        } else if (Character.isLetterOrDigit(c) || c == '_') {
          int start = i;
          while (i < s.length() && ((s.charAt(i) >= 'a' && s.charAt(i) <= 'z')
              || (s.charAt(i) >= 'A' && s.charAt(i) <= 'Z') || (s.charAt(i) >= '0'
              && s.charAt(i) <= '9') || s.charAt(i) == '_')) {
            i++;
          }
          if (i == start) {
            return null; // a letter outside ASCII outside quotes
          }
          out.add(s.substring(start, i));
        } else {
          return null;
        }
      }
      return out;
    }

    private String peek() {
      return at < tokens.size() ? tokens.get(at) : "";
    }

    private boolean eat(String t) {
      if (peek().equals(t)) {
        at++;
        return true;
      }
      return false;
    }

    private boolean datatype() {
      String t = peek();
      if (PRIMITIVES.contains(t) || t.equals("principal") || t.equals("blob")) {
        at++;
        return true;
      }
      if (eat("opt") || eat("vec")) {
        return datatype();
      }
      if (eat("record")) {
        return fields(true);
      }
      if (eat("variant")) {
        return fields(false);
      }
      return false; // an <id> would need a type definition, which no signature has
    }

    private boolean fields(boolean record) {
      if (!eat("{")) {
        return false;
      }
      while (!eat("}")) {
        if (!field(record)) {
          return false;
        }
        if (!eat(";") && !peek().equals("}")) {
          return false;
        }
      }
      return true;
    }

    private boolean field(boolean record) {
      int start = at;
      if (name() && eat(":")) {
        return datatype();
      }
      at = start;
      if (name() && (peek().equals(";") || peek().equals("}"))) {
        return true; // a variant's tag, or a record's field of type null
      }
      at = start;
      return record && datatype(); // a tuple's field
    }

    private boolean name() {
      String t = peek();
      if (t.startsWith("\"") || (!t.isEmpty() && (Character.isLetter(t.charAt(0))
          || t.charAt(0) == '_') && !KEYWORDS.contains(t) && !PRIMITIVES.contains(t))) {
        at++;
        return true;
      }
      return false;
    }
  }
}

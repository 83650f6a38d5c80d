package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.web.CandidTypesTests.CandidGrammar;
import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Mono;

/**
 * {@link CandidTypes} on the shapes an application's interfaces may take beyond the common ones:
 * maps and collections whose own type parameters are not the key and the element, recursive
 * generic records, nested arrays and optionals, enums with fields, sealed interfaces; and every
 * interface of the starter's tests, as {@code GET /actors} describes it, parses as Candid.
 */
class CandidTypesEdgeTests {

  /** A map whose one type parameter is the value's: {@code Registry<Integer>} maps text to int32. */
  interface Registry<V> extends Map<String, V> {
  }

  /** A list whose second type parameter is the element's. */
  static final class Tagged<T, E> extends ArrayList<E> {
  }

  /** A map fixed by its declaration, used raw. */
  static final class Scores extends HashMap<String, Integer> {
  }

  record Tree<T>(T value, List<Tree<T>> children) {
  }

  record Page<T>(List<T> items, int total) {
  }

  /** A JavaBean whose getter's type its subclass gives. */
  public static class Entity<I> {
    public I getId() {
      return null;
    }
  }

  public static class User extends Entity<Long> {
    public String getName() {
      return null;
    }
  }

  enum Planet {
    MERCURY(3.303e+23), VENUS(4.869e+24);

    private final double mass;

    Planet(double mass) {
      this.mass = mass;
    }

    public double getMass() {
      return mass;
    }
  }

  enum Nothing {
  }

  sealed interface Shape permits Circle, Square {
  }

  record Circle(double radius) implements Shape {
  }

  record Square(double side) implements Shape {
  }

  interface Shapes {
    Mono<Registry<Integer>> registry();

    Mono<Tagged<String, Long>> tagged();

    Mono<Scores> scores();

    Mono<MultiValueMap<String, String>> form();

    Mono<Tree<String>> tree();

    Mono<Page<UUID>> page();

    Mono<User> user();

    Mono<Entity<Page<String>>> entity();

    Mono<int[][]> grid();

    Mono<List<String>[]> lists();

    Mono<Optional<Optional<String>>> maybeMaybe();

    Mono<Map<Integer, String>> byNumber();

    Mono<EnumMap<Planet, List<UUID>>> byPlanet();

    Mono<Planet> planet();

    Mono<Nothing> nothing();

    Mono<Shape> shape();

    Mono<List<? extends Shape>> shapes();

    <T extends Comparable<T>> Mono<T> max(List<T> values);
  }

  private static String returned(String method) throws NoSuchMethodException {
    return new ActorMethod(Shapes.class.getMethod(method), InterfaceTypes.of(Shapes.class)).returns;
  }

  @Test
  @DisplayName("a map or a collection is named by the key and the value, or the element, it has"
      + " as a Map or a Collection, whatever its own type parameters are (Registry<V> extends"
      + " Map<String, V>, MultiValueMap<K, V> holds lists of V, a class fixed by its declaration)")
  void mapsAndCollectionsByTheirMapAndCollectionTypes() throws Exception {
    assertThat(returned("registry")).isEqualTo("vec record { text; int32 }");
    assertThat(returned("tagged")).isEqualTo("vec int64");
    assertThat(returned("scores")).isEqualTo("vec record { text; int32 }");
    assertThat(returned("form")).isEqualTo("vec record { text; vec text }");
  }

  @Test
  @DisplayName("a generic record or JavaBean is the record of its fields with the type arguments it"
      + " is given or its superclass is given (Page<UUID>: items : vec text), not reserved")
  void genericRecordsAndBeansByTheirTypeArguments() throws Exception {
    assertThat(returned("page")).isEqualTo("record { items : vec text; total : int32 }");
    assertThat(returned("user")).isEqualTo("record { id : int64; name : text }");
    assertThat(returned("entity"))
        .isEqualTo("record { id : record { items : vec text; total : int32 } }");
    assertThat(returned("tree")).isEqualTo("record { value : text; children : vec reserved }");
  }

  @Test
  @DisplayName("recursive generic records, nested arrays and optionals, maps with keys that are no"
      + " text, enums with fields and sealed interfaces are named in valid Candid")
  void unusualShapes() throws Exception {
    assertThat(returned("grid")).isEqualTo("vec vec int32");
    assertThat(returned("lists")).isEqualTo("vec vec text");
    assertThat(returned("maybeMaybe")).isEqualTo("opt opt text");
    assertThat(returned("byNumber")).isEqualTo("vec record { int32; text }");
    assertThat(returned("byPlanet"))
        .isEqualTo("vec record { variant { MERCURY; VENUS }; vec text }");
    assertThat(returned("planet")).isEqualTo("variant { MERCURY; VENUS }");
    assertThat(returned("shape")).isEqualTo("reserved");
    assertThat(returned("shapes")).isEqualTo("vec reserved");
    for (Method m : Shapes.class.getMethods()) {
      ActorMethod method = new ActorMethod(m, InterfaceTypes.of(Shapes.class));
      assertThat(CandidGrammar.isType(method.returns)).as(method.candid()).isTrue();
      method.params.forEach(p -> assertThat(CandidGrammar.isType(p.candid())).as(method.candid())
          .isTrue());
    }
  }

  @Test
  @DisplayName("every interface of the starter's tests names each method's parameters and result"
      + " in valid Candid")
  void everyTestInterfaceParsesAsCandid() throws Exception {
    Path classes = Path.of(CandidTypesEdgeTests.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    List<Class<?>> interfaces = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(f).toString().replace(File.separatorChar, '.');
        Class<?> c = Class.forName(name.substring(0, name.length() - ".class".length()), false,
            CandidTypesEdgeTests.class.getClassLoader());
        if (c.isInterface() && !c.isAnnotation()) {
          interfaces.add(c);
        }
      }
    }
    int methods = 0;
    for (Class<?> c : interfaces) {
      InterfaceTypes types = InterfaceTypes.of(c);
      for (Method m : c.getMethods()) {
        if (Modifier.isStatic(m.getModifiers()) || m.getReturnType() != Mono.class) {
          continue;
        }
        ActorMethod method = new ActorMethod(m, types);
        String where = c.getName() + "." + method.candid();
        assertThat(method.hasNoResult() || CandidGrammar.isType(method.returns)).as(where).isTrue();
        for (ActorMethod.Param p : method.params) {
          assertThat(CandidGrammar.isType(p.candid())).as(where).isTrue();
        }
        methods++;
      }
    }
    assertThat(methods).as("methods checked").isGreaterThan(100);
  }
}

package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiConsumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("PersistentHashMap")
class PersistentHashMapTest {

  @Test
  @DisplayName("the empty map is one shared instance with no mappings")
  void theEmptyMapIsOneSharedInstanceWithNoMappings() {
    PersistentHashMap<String, Integer> empty = PersistentHashMap.empty();

    assertThat(empty).isSameAs(PersistentHashMap.<Long, Long>empty());
    assertThat(empty.size()).isZero();
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.get("a")).isNull();
    assertThat(empty.containsKey("a")).isFalse();
    assertThat(empty.iterator().hasNext()).isFalse();
    assertThat(empty.hashCode()).isZero();
    assertThat(empty).hasToString("{}");
  }

  @Test
  @DisplayName("put, get and remove behave like a map")
  void putGetAndRemoveBehaveLikeAMap() {
    PersistentHashMap<String, Integer> map =
        PersistentHashMap.<String, Integer>empty().plus("a", 1).plus("b", 2).plus("c", 3);

    assertThat(map.size()).isEqualTo(3);
    assertThat(map.isEmpty()).isFalse();
    assertThat(map.get("a")).isEqualTo(1);
    assertThat(map.get("b")).isEqualTo(2);
    assertThat(map.get("c")).isEqualTo(3);
    assertThat(map.get("d")).isNull();
    assertThat(map.containsKey("b")).isTrue();
    assertThat(map.containsKey("d")).isFalse();

    PersistentHashMap<String, Integer> replaced = map.plus("b", 20);
    assertThat(replaced.size()).isEqualTo(3);
    assertThat(replaced.get("b")).isEqualTo(20);

    PersistentHashMap<String, Integer> removed = replaced.minus("a");
    assertThat(removed.size()).isEqualTo(2);
    assertThat(removed.get("a")).isNull();
    assertThat(removed.containsKey("a")).isFalse();
    assertThat(removed.get("b")).isEqualTo(20);
    assertThat(removed.get("c")).isEqualTo(3);
    assertThat(toHashMap(removed)).containsExactlyInAnyOrderEntriesOf(Map.of("b", 20, "c", 3));
  }

  @Test
  @DisplayName("plus returns the same instance only when the key already maps to that very value;"
      + " an equal value replaces it, as Map.put does")
  void plusReturnsTheSameInstanceOnlyForTheSameValue() {
    String value = "value";
    String equalValue = new String(value.toCharArray());
    CollidingKey c1 = new CollidingKey("c1");
    CollidingKey c2 = new CollidingKey("c2");
    PersistentHashMap<Object, String> map =
        PersistentHashMap.<Object, String>empty().plus("k", value).plus("other", "x")
            .plus(c1, value).plus(c2, value);

    assertThat(map.plus("k", value)).isSameAs(map);
    assertThat(map.plus(new String("k".toCharArray()), value)).isSameAs(map);
    assertThat(map.plus(c2, value)).isSameAs(map); // in a collision node
    for (Object key : List.of("k", c2)) {
      PersistentHashMap<Object, String> replaced = map.plus(key, equalValue);
      assertThat(replaced).isNotSameAs(map).isEqualTo(map);
      assertThat(replaced.get(key)).isSameAs(equalValue);
      assertThat(replaced.size()).isEqualTo(4);
      assertThat(replaced.nodeCount()).isEqualTo(map.nodeCount());
      assertThat(map.get(key)).isSameAs(value);
    }
    assertThat(map.plus("k", "different")).isNotSameAs(map);
  }

  @Test
  @DisplayName("minus of an absent key returns the same instance")
  void minusOfAnAbsentKeyReturnsTheSameInstance() {
    PersistentHashMap<Object, String> empty = PersistentHashMap.empty();
    assertThat(empty.minus("absent")).isSameAs(empty);

    PersistentHashMap<Object, String> map = empty.plus("a", "1").plus("b", "2");
    assertThat(map.minus("absent")).isSameAs(map);

    PersistentHashMap<Object, String> colliding =
        map.plus(new CollidingKey("x"), "x").plus(new CollidingKey("y"), "y");
    assertThat(colliding.minus(new CollidingKey("z"))).isSameAs(colliding);
    assertThat(colliding.minus(new CollidingKey("x")).minus(new CollidingKey("x")).size())
        .isEqualTo(3);
  }

  @Test
  @DisplayName("older versions are unchanged after updates")
  void olderVersionsAreUnchangedAfterUpdates() {
    List<PersistentHashMap<Integer, Integer>> versions = new ArrayList<>();
    List<Map<Integer, Integer>> expected = new ArrayList<>();
    PersistentHashMap<Integer, Integer> map = PersistentHashMap.empty();
    Map<Integer, Integer> oracle = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      versions.add(map);
      expected.add(new HashMap<>(oracle));
      if (i % 3 == 2) {
        map = map.minus(i / 2);
        oracle.remove(i / 2);
      } else {
        map = map.plus(i % 700, i);
        oracle.put(i % 700, i);
      }
    }

    for (int v = 0; v < versions.size(); v++) {
      PersistentHashMap<Integer, Integer> version = versions.get(v);
      assertThat(version.size()).as("size of version %d", v).isEqualTo(expected.get(v).size());
      assertThat(toHashMap(version)).as("version %d", v).isEqualTo(expected.get(v));
    }
  }

  @Test
  @DisplayName("full hash collisions are stored, found and removed down to empty")
  void fullHashCollisionsAreStoredFoundAndRemovedDownToEmpty() {
    PersistentHashMap<Object, Integer> map = PersistentHashMap.empty();
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      keys.add(new CollidingKey("c" + i));
      // Keys whose hash differs from the colliding one only in the top bits (so, once spread, not
      // in the bits of the first two levels): the collision node is split under a chain of
      // nodes. Every 32nd of them has the colliding hash itself.
      keys.add(new FixedHashKey(i, CollidingKey.HASH ^ ((i + 1) << 27)));
    }
    for (int i = 0; i < keys.size(); i++) {
      map = map.plus(keys.get(i), i);
      assertThat(map.size()).isEqualTo(i + 1);
    }
    for (int i = 0; i < keys.size(); i++) {
      assertThat(map.get(keys.get(i))).isEqualTo(i);
    }
    assertThat(map.get(new CollidingKey("absent"))).isNull();
    assertThat(map.plus(new CollidingKey("c7"), keys.indexOf(new CollidingKey("c7"))))
        .isSameAs(map);
    assertThat(map.plus(new CollidingKey("c7"), -1).get(new CollidingKey("c7"))).isEqualTo(-1);

    List<Object> removalOrder = new ArrayList<>(keys);
    Collections.shuffle(removalOrder, new Random(7));
    Map<Object, Integer> oracle = toHashMap(map);
    for (Object key : removalOrder) {
      map = map.minus(key);
      oracle.remove(key);
      assertThat(map.size()).isEqualTo(oracle.size());
      assertThat(map.containsKey(key)).isFalse();
      assertThat(toHashMap(map)).isEqualTo(oracle);
      assertThat(map.nodeCount()).isEqualTo(build(oracle, new Random(1)).nodeCount());
    }
    assertThat(map).isEqualTo(PersistentHashMap.empty());
    assertThat(map.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("a collision node lifted out of a removed branch matches a fresh build")
  void aCollisionNodeLiftedOutOfARemovedBranchMatchesAFreshBuild() {
    CollidingKey a = new CollidingKey("a");
    CollidingKey b = new CollidingKey("b");
    FixedHashKey deep = new FixedHashKey(1, CollidingKey.HASH ^ (1 << 31));

    PersistentHashMap<Object, String> map =
        PersistentHashMap.<Object, String>empty().plus(a, "a").plus(deep, "deep").plus(b, "b");
    PersistentHashMap<Object, String> withoutDeep = map.minus(deep);
    PersistentHashMap<Object, String> fresh =
        PersistentHashMap.<Object, String>empty().plus(a, "a").plus(b, "b");

    assertThat(withoutDeep).isEqualTo(fresh);
    assertThat(withoutDeep.nodeCount()).isEqualTo(fresh.nodeCount()).isEqualTo(2);
    assertThat(withoutDeep.minus(a).nodeCount()).isEqualTo(1);
    assertThat(withoutDeep.minus(a).get(b)).isEqualTo("b");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 42L, 2_024L, 0xC0FFEEL, -7L})
  @DisplayName("random operation sequences agree with a java.util.HashMap oracle")
  void randomOperationSequencesAgreeWithAHashMapOracle(long seed) {
    int keySpace = 2_000;
    int operations = 50_000;
    int batch = 250;
    double[] putProbabilityByPhase = {0.75, 0.3, 0.02, 0.9, 0.1};
    int phaseLength = 5_000;

    Random random = new Random(seed);
    Key[] keys = new Key[keySpace];
    for (int id = 0; id < keySpace; id++) {
      keys[id] = Key.of(id);
    }
    PersistentHashMap<Key, Integer> map = PersistentHashMap.empty();
    Map<Key, Integer> oracle = new HashMap<>();
    List<PersistentHashMap<Key, Integer>> snapshots = new ArrayList<>();
    List<Map<Key, Integer>> snapshotContents = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();

    for (int op = 1; op <= operations; op++) {
      double putProbability =
          putProbabilityByPhase[(op / phaseLength) % putProbabilityByPhase.length];
      Key key = keys[random.nextInt(keySpace)];
      if (random.nextDouble() < putProbability) {
        Integer value = random.nextInt(8); // small: Integer.valueOf gives one instance per value
        boolean unchanged = value == oracle.get(key);
        PersistentHashMap<Key, Integer> next = map.plus(key, value);
        oracle.put(key, value);
        if (unchanged != (next == map)) {
          mismatches.add("op " + op + ": plus(" + key + ", " + value + ") identity");
        }
        map = next;
      } else {
        boolean absent = !oracle.containsKey(key);
        PersistentHashMap<Key, Integer> next = map.minus(key);
        oracle.remove(key);
        if (absent != (next == map)) {
          mismatches.add("op " + op + ": minus(" + key + ") identity");
        }
        map = next;
      }
      if (map.size() != oracle.size()) {
        mismatches.add("op " + op + ": size " + map.size() + " != " + oracle.size());
      }
      if (!Objects.equals(map.get(key), oracle.get(key))) {
        mismatches.add("op " + op + ": get(" + key + ")");
      }
      if (op % batch == 0) {
        assertThat(mismatches).as("seed %d", seed).isEmpty();
        assertAgreesWithOracle(map, oracle, keys, new Random(seed + op));
        if (op % (batch * 10) == 0) {
          snapshots.add(map);
          snapshotContents.add(new HashMap<>(oracle));
        }
      }
    }

    for (int s = 0; s < snapshots.size(); s++) {
      assertThat(toHashMap(snapshots.get(s)))
          .as("snapshot %d", s)
          .isEqualTo(snapshotContents.get(s));
    }

    List<Key> remaining = new ArrayList<>(oracle.keySet());
    Collections.shuffle(remaining, random);
    for (Key key : remaining) {
      map = map.minus(key);
    }
    assertThat(map).isEqualTo(PersistentHashMap.empty());
    assertThat(map.nodeCount()).isEqualTo(1);
  }

  /**
   * Trie hashes (after the spread) drawn from distributions that stress the trie: a tiny hash space
   * (collision nodes next to entries that share their prefix), hashes that differ only in their
   * top bits (the deepest paths, collision nodes at the last level), one base hash with single
   * bits flipped (a prefix shared up to any level), and uniform hashes.
   */
  @ParameterizedTest(name = "distribution {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
  @DisplayName("random sequences over hostile hash distributions agree with a java.util.HashMap"
      + " oracle, keep the canonical shape, and leave every older version unchanged")
  void randomSequencesOverHostileHashDistributionsAgreeWithAnOracle(int distribution) {
    Random random = new Random(31L * distribution + 5);
    int space = 10 + random.nextInt(60); // small: whole collision groups come and go
    FixedHashKey[] keys = new FixedHashKey[space];
    for (int id = 0; id < space; id++) {
      int trieHash =
          switch (distribution % 5) {
            case 0 -> random.nextInt(4);
            case 1 -> random.nextInt(4) << 30 | random.nextInt(3);
            case 2 -> Integer.reverse(random.nextInt(8));
            case 3 -> random.nextBoolean() ? 0x12345678 : 0x12345678 ^ (1 << random.nextInt(32));
            default -> random.nextInt();
          };
      keys[id] = new FixedHashKey(id, trieHash ^ (trieHash >>> 16)); // spreads to trieHash
    }
    PersistentHashMap<FixedHashKey, Integer> map = PersistentHashMap.empty();
    Map<FixedHashKey, Integer> oracle = new HashMap<>();
    List<PersistentHashMap<FixedHashKey, Integer>> versions = new ArrayList<>();
    List<Map<FixedHashKey, Integer>> contents = new ArrayList<>();
    for (int op = 1; op <= 4_000; op++) {
      FixedHashKey key = keys[random.nextInt(space)];
      if (random.nextDouble() < ((op / 500) % 2 == 0 ? 0.7 : 0.25)) {
        Integer value = random.nextInt(5);
        map = map.plus(key, value);
        oracle.put(key, value);
      } else {
        map = map.minus(key);
        oracle.remove(key);
      }
      assertThat(map.size()).isEqualTo(oracle.size());
      assertThat(map.get(key)).isEqualTo(oracle.get(key));
      if (op % 100 == 0) {
        assertThat(toHashMap(map)).as("op %d", op).isEqualTo(oracle);
        for (FixedHashKey k : keys) {
          assertThat(map.get(k)).as("get(%s) at op %d", k, op).isEqualTo(oracle.get(k));
        }
        PersistentHashMap<FixedHashKey, Integer> fresh = build(oracle, random);
        assertThat(map).isEqualTo(fresh);
        assertThat(map.nodeCount()).as("canonical shape at op %d", op)
            .isEqualTo(fresh.nodeCount());
        assertThat(map.hashCode()).isEqualTo(oracle.hashCode());
        versions.add(map);
        contents.add(new HashMap<>(oracle));
      }
    }
    for (int v = 0; v < versions.size(); v++) {
      assertThat(toHashMap(versions.get(v))).as("version %d", v).isEqualTo(contents.get(v));
    }
    for (FixedHashKey key : keys) {
      map = map.minus(key);
    }
    assertThat(map).isSameAs(PersistentHashMap.empty());
  }

  @Test
  @DisplayName("removing every entry yields a map equal to empty")
  void removingEveryEntryYieldsAMapEqualToEmpty() {
    PersistentHashMap<Integer, String> map = PersistentHashMap.empty();
    List<Integer> keys = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      int key = i * 0x9E3779B9;
      keys.add(key);
      map = map.plus(key, "v" + i);
    }
    assertThat(map.size()).isEqualTo(20_000);

    Collections.shuffle(keys, new Random(11));
    for (Integer key : keys) {
      map = map.minus(key);
    }

    PersistentHashMap<Integer, String> empty = PersistentHashMap.empty();
    assertThat(map.size()).isZero();
    assertThat(map.isEmpty()).isTrue();
    assertThat(map).isEqualTo(empty);
    assertThat(empty).isEqualTo(map);
    assertThat(map.hashCode()).isEqualTo(empty.hashCode());
    assertThat(map.nodeCount()).isEqualTo(1);
    assertThat(map.iterator().hasNext()).isFalse();
  }

  @Test
  @DisplayName("equals and hashCode follow the java.util.Map contract")
  void equalsAndHashCodeFollowTheJavaUtilMapContract() {
    Map<String, Integer> contents = new LinkedHashMap<>();
    for (int i = 0; i < 500; i++) {
      contents.put("key" + i, i);
    }
    PersistentHashMap<String, Integer> forward = build(contents, null);
    PersistentHashMap<String, Integer> shuffled = build(contents, new Random(3));
    PersistentHashMap<String, Integer> viaDetour =
        forward.plus("extra", 1).plus("key3", 99).minus("extra").plus("key3", 3);

    assertThat(forward).isEqualTo(shuffled).isEqualTo(viaDetour);
    assertThat(shuffled).isEqualTo(forward);
    assertThat(forward.hashCode())
        .isEqualTo(shuffled.hashCode())
        .isEqualTo(viaDetour.hashCode())
        .isEqualTo(contents.hashCode());
    assertThat(forward.plus("key1", -1)).isNotEqualTo(forward);
    assertThat(forward.minus("key1")).isNotEqualTo(forward);
    assertThat(forward.minus("key1").plus("other", 1)).isNotEqualTo(forward);
    assertThat(forward).isNotEqualTo(contents);
    assertThat(forward.equals(null)).isFalse();
  }

  @Test
  @DisplayName("toString lists the entries like a java.util.Map")
  void toStringListsTheEntriesLikeAJavaUtilMap() {
    PersistentHashMap<String, Integer> map =
        PersistentHashMap.<String, Integer>empty().plus("a", 1);
    assertThat(map).hasToString("{a=1}");
    assertThat(map.plus("b", 2).toString()).isIn("{a=1, b=2}", "{b=2, a=1}");
  }

  @Test
  @DisplayName("forEach and the iterator visit every entry exactly once")
  void forEachAndTheIteratorVisitEveryEntryExactlyOnce() {
    PersistentHashMap<Object, Integer> map = PersistentHashMap.empty();
    for (int i = 0; i < 3_000; i++) {
      map = map.plus(i % 10 == 0 ? new CollidingKey("c" + i) : Integer.valueOf(i), i);
    }

    Map<Object, Integer> viaForEach = new HashMap<>();
    int[] forEachCalls = {0};
    map.forEach(
        (k, v) -> {
          forEachCalls[0]++;
          viaForEach.put(k, v);
        });
    Map<Object, Integer> viaIterator = new HashMap<>();
    int iterated = 0;
    for (Map.Entry<Object, Integer> entry : map) {
      iterated++;
      viaIterator.put(entry.getKey(), entry.getValue());
    }

    assertThat(forEachCalls[0]).isEqualTo(3_000);
    assertThat(iterated).isEqualTo(3_000);
    assertThat(viaForEach).hasSize(3_000).isEqualTo(viaIterator);
  }

  @Test
  @DisplayName("the iterator yields immutable entries and fails when exhausted")
  void theIteratorYieldsImmutableEntriesAndFailsWhenExhausted() {
    PersistentHashMap<String, Integer> map =
        PersistentHashMap.<String, Integer>empty().plus("a", 1);
    Iterator<Map.Entry<String, Integer>> iterator = map.iterator();

    assertThat(iterator.hasNext()).isTrue();
    Map.Entry<String, Integer> entry = iterator.next();
    assertThat(entry).isEqualTo(Map.entry("a", 1));
    assertThatThrownBy(() -> entry.setValue(2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(iterator::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThat(iterator.hasNext()).isFalse();
    assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  @DisplayName("the asMap view is an unmodifiable map with the same mappings")
  void theAsMapViewIsAnUnmodifiableMapWithTheSameMappings() {
    Map<String, Integer> contents = new HashMap<>();
    PersistentHashMap<String, Integer> map = PersistentHashMap.empty();
    for (int i = 0; i < 100; i++) {
      contents.put("k" + i, i);
      map = map.plus("k" + i, i);
    }
    Map<String, Integer> view = map.asMap();

    assertThat(view.size()).isEqualTo(100);
    assertThat(view.isEmpty()).isFalse();
    assertThat(view.get("k42")).isEqualTo(42);
    assertThat(view.get("absent")).isNull();
    assertThat(view.get(42)).isNull();
    assertThat(view.containsKey("k7")).isTrue();
    assertThat(view.containsKey("absent")).isFalse();
    assertThat(view.containsValue(99)).isTrue();
    assertThat(view.getOrDefault("absent", -1)).isEqualTo(-1);
    assertThat(view.entrySet()).hasSize(100).contains(Map.entry("k3", 3));
    assertThat(view.entrySet().contains(Map.entry("k3", 4))).isFalse();
    assertThat(view.keySet()).isEqualTo(contents.keySet());
    assertThat(view.values()).containsExactlyInAnyOrderElementsOf(contents.values());
    assertThat(view.equals(contents)).isTrue();
    assertThat(contents.equals(view)).isTrue();
    assertThat(view.hashCode()).isEqualTo(contents.hashCode());
    assertThat(PersistentHashMap.empty().asMap()).isEmpty();

    assertThatThrownBy(() -> view.put("new", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.remove("k1")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.putAll(Map.of("x", 1)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(view::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.putIfAbsent("k1", 5))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.merge("k1", 5, Integer::sum))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.computeIfAbsent("new", k -> 1))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.entrySet().iterator().remove())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.keySet().remove("k1"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(map.size()).isEqualTo(100);
  }

  @ParameterizedTest(name = "with {0} mappings")
  @ValueSource(ints = {0, 3})
  @DisplayName("every mutator of the asMap view and of its key, value and entry views throws, even"
      + " when it would change nothing, as Java's unmodifiable collections do")
  void everyMutatorOfTheViewsThrowsEvenWhenItWouldChangeNothing(int size) {
    PersistentHashMap<String, Integer> map = PersistentHashMap.empty();
    for (int i = 0; i < size; i++) {
      map = map.plus("k" + i, i);
    }
    Map<String, Integer> view = map.asMap();
    Map<String, ThrowingCallable> noOps = new LinkedHashMap<>();
    noOps.put("map.putAll(empty)", () -> view.putAll(Map.of()));
    noOps.put("map.remove(absent)", () -> view.remove("absent"));
    noOps.put("map.replaceAll", () -> view.replaceAll((k, v) -> v));
    for (var views : List.<Map.Entry<String, Collection<?>>>of(
        Map.entry("keySet", view.keySet()),
        Map.entry("values", view.values()),
        Map.entry("entrySet", view.entrySet()))) {
      String name = views.getKey();
      @SuppressWarnings("unchecked")
      Collection<Object> c = (Collection<Object>) views.getValue();
      noOps.put(name + ".clear()", c::clear);
      noOps.put(name + ".remove(absent)", () -> c.remove("absent"));
      noOps.put(name + ".removeAll(empty)", () -> c.removeAll(List.of()));
      noOps.put(name + ".removeAll(absent)", () -> c.removeAll(List.of("absent")));
      noOps.put(name + ".retainAll(itself)", () -> c.retainAll(new ArrayList<>(c)));
      noOps.put(name + ".removeIf(none)", () -> c.removeIf(e -> false));
      noOps.put(name + ".addAll(empty)", () -> c.addAll(List.of()));
      noOps.put(name + ".iterator().remove()", () -> c.iterator().remove());
    }

    List<String> quiet = new ArrayList<>();
    noOps.forEach((name, noOp) -> {
      Throwable thrown = catchThrowable(noOp);
      if (!(thrown instanceof UnsupportedOperationException)) {
        quiet.add(name + " threw " + thrown);
      }
    });
    assertThat(quiet).isEmpty();
    assertThat(view).hasSize(size);
  }

  @Test
  @DisplayName("null arguments are rejected with a NullPointerException")
  void nullArgumentsAreRejectedWithANullPointerException() {
    PersistentHashMap<String, String> map =
        PersistentHashMap.<String, String>empty().plus("a", "1");

    assertThatThrownBy(() -> map.plus(null, "v"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("null keys");
    assertThatThrownBy(() -> map.plus("k", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("null values");
    assertThatThrownBy(() -> map.get(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("null keys");
    assertThatThrownBy(() -> map.containsKey(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> map.minus(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> map.forEach((BiConsumer<String, String>) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> map.asMap().get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> map.asMap().containsKey(null))
        .isInstanceOf(NullPointerException.class);
    assertThat(map.size()).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertAgreesWithOracle(
      PersistentHashMap<Key, Integer> map, Map<Key, Integer> oracle, Key[] keys, Random random) {
    assertThat(map.size()).isEqualTo(oracle.size());
    assertThat(map.isEmpty()).isEqualTo(oracle.isEmpty());

    List<Key> wrong = new ArrayList<>();
    for (Key key : keys) {
      if (!Objects.equals(map.get(key), oracle.get(key))
          || map.containsKey(key) != oracle.containsKey(key)) {
        wrong.add(key);
      }
    }
    assertThat(wrong).as("keys whose get or containsKey disagree").isEmpty();

    Map<Key, Integer> iterated = new HashMap<>();
    int count = 0;
    for (Map.Entry<Key, Integer> entry : map) {
      count++;
      iterated.put(entry.getKey(), entry.getValue());
    }
    assertThat(count).as("entries iterated").isEqualTo(oracle.size());
    assertThat(iterated).isEqualTo(oracle);

    assertThat(map.hashCode()).isEqualTo(oracle.hashCode());
    PersistentHashMap<Key, Integer> fresh = build(oracle, random);
    assertThat(map.equals(fresh)).isTrue();
    assertThat(fresh.equals(map)).isTrue();
    assertThat(map.nodeCount()).as("canonical shape").isEqualTo(fresh.nodeCount());
    assertThat(map.asMap().equals(oracle)).isTrue();
    assertThat(oracle.equals(map.asMap())).isTrue();
    if (!oracle.isEmpty()) {
      Key some = oracle.keySet().iterator().next();
      assertThat(map.equals(fresh.plus(some, oracle.get(some) + 1))).isFalse();
      assertThat(map.equals(fresh.minus(some))).isFalse();
    }
  }

  /** Builds a map from {@code contents}, inserting in shuffled order when {@code random} is set. */
  private static <K, V> PersistentHashMap<K, V> build(
      Map<K, V> contents, @Nullable Random random) {
    List<Map.Entry<K, V>> entries = new ArrayList<>(contents.entrySet());
    if (random != null) {
      Collections.shuffle(entries, random);
    }
    PersistentHashMap<K, V> map = PersistentHashMap.empty();
    for (Map.Entry<K, V> entry : entries) {
      map = map.plus(entry.getKey(), entry.getValue());
    }
    return map;
  }

  private static <K, V> Map<K, V> toHashMap(PersistentHashMap<K, V> map) {
    Map<K, V> result = new HashMap<>();
    for (Map.Entry<K, V> entry : map) {
      assertThat(result.put(entry.getKey(), entry.getValue())).as("duplicate key").isNull();
    }
    return result;
  }

  /** A key whose hash is always the same. */
  private record CollidingKey(String name) {
    static final int HASH = 0x5A5A5A5A;

    @Override
    public int hashCode() {
      return HASH;
    }
  }

  /** A key with an explicit hash code; equal when the ids are. */
  private record FixedHashKey(int id, int hash) {
    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * The keys of the random test. The trie hash (the spread hash code) depends on {@code id % 4}:
   * plain ids, scrambled ids, five groups of full collisions (each of 100 keys), and bit-reversed
   * ids, whose hashes agree in their low bits and so build the deepest paths; bit-reversed ids
   * 0, 2, 4, 6 and 8 also share the full hash of a collision group.
   */
  private static final class Key {
    private final int id;
    private final int hash;

    private Key(int id, int hash) {
      this.id = id;
      this.hash = hash;
    }

    static Key of(int id) {
      int trieHash =
          switch (id % 4) {
            case 0 -> id;
            case 1 -> id * 0x9E3779B9;
            case 2 -> Integer.reverse(id % 10);
            default -> Integer.reverse(id / 4);
          };
      // The spread h ^ (h >>> 16) is its own inverse, so this hash code spreads to trieHash.
      return new Key(id, trieHash ^ (trieHash >>> 16));
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Key other && other.id == id;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "k" + id;
    }
  }
}

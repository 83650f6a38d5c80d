package io.reactant.state;

import io.reactant.internal.ActorCell;
import io.reactant.internal.PersistentHashMap;
import io.reactant.internal.Slot;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A transactional map of an actor's state, with the same guarantees as {@link Var}: tentative
 * writes inside a turn, committed at the commit point, rolled back by a trap, invisible to
 * queries until committed.
 *
 * <p>It is backed by a persistent hash trie: a write costs O(log n) and shares structure with the
 * committed version, and a commit publishes the new version without copying the map.
 * {@link #snapshot()} returns an immutable view that stays valid and unchanged forever.
 *
 * <p>Keys and values are never null: a null key or value throws a {@link NullPointerException}
 * that says so (an absent key reads as {@code null} from {@link #get}). As with {@link Var}, the
 * map protects its mappings, not the objects they refer to: a value changed in place is not rolled
 * back by a trap and may be seen by a query before the turn commits, and a key whose hash code
 * changes in place is lost to lookups ({@link #get}, {@link #containsKey}, {@link #remove}; a
 * {@link #put} of it adds a second mapping) while it still counts in {@link #size} and is walked
 * by {@link #forEach} and the {@link #snapshot}. Use immutable keys and values.
 *
 * <p>Thread-safety: only the owning actor's turns and queries may use it (rule R1).
 *
 * @param <K> the key type (immutable, non-null)
 * @param <V> the value type (immutable, non-null)
 */
public final class TxMap<K, V> extends Slot {

  TxMap(ActorCell owner, String name) {
    super(owner, name, PersistentHashMap.empty());
  }

  private static <T> T requireKey(T key) {
    return Objects.requireNonNull(key, "a TxMap key must not be null");
  }

  @SuppressWarnings("unchecked")
  private PersistentHashMap<K, V> current() {
    return (PersistentHashMap<K, V>) Objects.requireNonNull(readValue());
  }

  /** Returns the value of {@code key} as the current turn or query sees it, or null if absent. */
  public @Nullable V get(K key) {
    return current().get(requireKey(key));
  }

  /** Returns the value of {@code key}, if present. */
  public Optional<V> find(K key) {
    return Optional.ofNullable(current().get(requireKey(key)));
  }

  /** Returns the value of {@code key}, or {@code fallback} if absent. */
  public V getOrDefault(K key, V fallback) {
    V v = current().get(requireKey(key));
    return v == null ? fallback : v;
  }

  /** Returns whether {@code key} is present. */
  public boolean containsKey(K key) {
    return current().containsKey(requireKey(key));
  }

  /** Returns the number of keys. */
  public int size() {
    return current().size();
  }

  /** Returns whether the map has no key. */
  public boolean isEmpty() {
    return current().isEmpty();
  }

  /**
   * Maps the key to the value, tentatively; returns the previous value, if any. The value replaces
   * the old one even when they are equal, as {@code Map.put} does: later reads get this very
   * instance.
   */
  public @Nullable V put(K key, V value) {
    requireKey(key);
    Objects.requireNonNull(value, "a TxMap value must not be null (remove the key instead)");
    PersistentHashMap<K, V> m = current();
    V previous = m.get(key);
    writeValue(m.plus(key, value));
    return previous;
  }

  /** Removes the key, tentatively; returns the removed value, if any. */
  public @Nullable V remove(K key) {
    PersistentHashMap<K, V> m = current();
    V previous = m.get(requireKey(key));
    if (previous != null) {
      writeValue(m.minus(key));
    }
    return previous;
  }

  /**
   * Replaces the value of {@code key} with {@code f(value)}, where {@code value} is the current
   * value or {@code absent}; returns the new value.
   */
  public V update(K key, V absent, UnaryOperator<V> f) {
    V next = f.apply(getOrDefault(key, absent));
    put(key, next);
    return next;
  }

  /**
   * Runs {@code action} on each entry as the current turn or query sees the map, in an unspecified
   * order (hash order, not insertion order). It walks the map as it was when {@code forEach} was
   * called: the action may write the map (no {@code ConcurrentModificationException}), and its
   * writes are seen by later reads, not by this walk. A trap in the action rolls the walk's writes
   * back with the rest of the turn.
   */
  public void forEach(BiConsumer<? super K, ? super V> action) {
    current().forEach(action);
  }

  /**
   * Returns an immutable view of the map as the current turn or query sees it; later writes do not
   * change it. Its iteration order is unspecified (hash order, not insertion order). Every
   * mutator of the view, of its key, value and entry views and of their iterators throws
   * {@link UnsupportedOperationException}, even one that would change nothing, as the maps of
   * {@link Map#copyOf} do.
   */
  public Map<K, V> snapshot() {
    return current().asMap();
  }

  @Override
  public String toString() {
    return "TxMap[" + name() + " of " + ownerDescription() + "]";
  }
}

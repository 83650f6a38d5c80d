package io.reactant.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, persistent hash map: a hash array mapped trie (HAMT) with 32-way branching,
 * bitmap-indexed nodes, and collision nodes for keys whose 32-bit hashes are fully equal. It is
 * the committed snapshot of a transactional map: a commit applies a handful of {@link #plus puts}
 * and {@link #minus removes} to the previous version and gets a new version that shares all
 * untouched nodes with it, while readers of older versions are unaffected.
 *
 * <p>Instances are immutable and thread-safe: every field is final and no array is written after
 * the node owning it is constructed, so a map may be published through a data race and read from
 * any number of threads. Keys and values are non-null; keys are compared with {@code equals} and
 * hashed with {@code hashCode} (spread as {@code h ^ (h >>> 16)}), so they must not change in a
 * way that affects either while in a map.
 *
 * <p>Complexity: {@link #get}, {@link #containsKey}, {@link #plus} and {@link #minus} take
 * O(log<sub>32</sub> n) (effectively constant; at most seven trie levels), plus a linear scan of
 * the keys sharing one full hash; {@code plus}/{@code minus} copy one node per level. {@link
 * #size} and {@link #isEmpty} are O(1); iteration, {@link #hashCode}, {@link #equals} and {@link
 * #toString} are O(n). The trie is kept in a canonical shape (a node holding a single entry is
 * inlined into its parent, and a chain holding nothing but one collision node is collapsed), so
 * the shape depends only on the mappings, not on the history of updates: removing every entry
 * yields a map equal to {@link #empty()}.
 *
 * <p>INTERNAL API: runtime machinery, with no compatibility guarantees; it may change or
 * disappear at any time.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public final class PersistentHashMap<K, V> implements Iterable<Map.Entry<K, V>> {

  /** Bits of the hash consumed per trie level. */
  private static final int BITS = 5;

  private static final int MASK = (1 << BITS) - 1;

  /**
   * The deepest path: bitmap nodes at shifts 0, 5, ..., 30 (seven levels), then a collision node.
   */
  private static final int MAX_DEPTH = 8;

  private static final PersistentHashMap<Object, Object> EMPTY =
      new PersistentHashMap<>(new BitmapNode<>(0, 0, new Object[0]), 0);

  private final BitmapNode<K, V> root;
  private final int size;

  private PersistentHashMap(BitmapNode<K, V> root, int size) {
    this.root = root;
    this.size = size;
  }

  /** Returns the empty map (one shared instance). */
  @SuppressWarnings("unchecked")
  public static <K, V> PersistentHashMap<K, V> empty() {
    return (PersistentHashMap<K, V>) EMPTY;
  }

  /**
   * Returns the value {@code key} maps to, or {@code null} when it is absent.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public @Nullable V get(Object key) {
    requireKey(key);
    return root.find(key, spread(key.hashCode()), 0);
  }

  /**
   * Tells whether {@code key} is mapped.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  /** Returns the number of mappings. */
  public int size() {
    return size;
  }

  /** Tells whether this map has no mappings. */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * Returns a map with {@code key} mapped to {@code value}, and otherwise the mappings of this map.
   * Returns {@code this} when {@code key} already maps to that very instance; a value that is only
   * equal to the mapped one replaces it, as {@link Map#put} does (a value's {@code equals} may
   * ignore what tells two instances apart, such as an entity's fields besides its id). When an
   * existing mapping is replaced, the existing key instance is kept.
   *
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  public PersistentHashMap<K, V> plus(K key, V value) {
    requireKey(key);
    Objects.requireNonNull(value, "PersistentHashMap does not permit null values");
    Change change = new Change();
    BitmapNode<K, V> newRoot = root.put(key, value, spread(key.hashCode()), 0, change);
    if (newRoot == root) {
      return this;
    }
    return new PersistentHashMap<>(newRoot, size + change.sizeDelta);
  }

  /**
   * Returns a map without a mapping for {@code key}, and otherwise the mappings of this map.
   * Returns {@code this} when {@code key} is absent, and {@link #empty()} when the last mapping is
   * removed.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public PersistentHashMap<K, V> minus(Object key) {
    requireKey(key);
    BitmapNode<K, V> newRoot = root.remove(key, spread(key.hashCode()), 0);
    if (newRoot == root) {
      return this;
    }
    return size == 1 ? empty() : new PersistentHashMap<>(newRoot, size - 1);
  }

  /**
   * Calls {@code action} once for each mapping, in the iteration order.
   *
   * @throws NullPointerException if {@code action} is null
   */
  public void forEach(BiConsumer<? super K, ? super V> action) {
    Objects.requireNonNull(action, "action must not be null");
    root.forEach(action);
  }

  /**
   * Returns an iterator over immutable entries, in an unspecified but deterministic order. The
   * iterator does not support {@code remove}.
   */
  @Override
  public Iterator<Map.Entry<K, V>> iterator() {
    return new EntryIterator<>(root);
  }

  /**
   * Returns an unmodifiable {@link Map} view of this map; {@code get}, {@code containsKey} and
   * {@code size} delegate to the trie. Every mutator of the view, of its key, value and entry
   * views, of their iterators and of the entries throws {@link UnsupportedOperationException},
   * even one that would change nothing (clearing an empty view, removing an absent key), as the
   * unmodifiable collections of {@link java.util.Collections} and {@link Map#of} do.
   * Like {@link Map#of}, the view rejects null keys in queries with a {@link NullPointerException}.
   */
  public Map<K, V> asMap() {
    return new MapView<>(this);
  }

  /**
   * Returns true when {@code o} is a {@code PersistentHashMap} with the same mappings (keys
   * compared with {@code equals}, values with {@code equals}), as {@link Map#equals} would.
   */
  @Override
  public boolean equals(@Nullable Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof PersistentHashMap<?, ?> other) || other.size != size) {
      return false;
    }
    for (Map.Entry<?, ?> entry : other) {
      Object key = entry.getKey();
      V mine = root.find(key, spread(key.hashCode()), 0);
      if (mine == null || !mine.equals(entry.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Returns the sum of the entries' hash codes, as {@link Map#hashCode} specifies. */
  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<K, V> entry : this) {
      h += entry.getKey().hashCode() ^ entry.getValue().hashCode();
    }
    return h;
  }

  /** Returns the mappings as {@code {k1=v1, k2=v2}}, in the iteration order. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append('{');
    boolean first = true;
    for (Map.Entry<K, V> entry : this) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(entry.getKey()).append('=').append(entry.getValue());
    }
    return sb.append('}').toString();
  }

  /**
   * Returns the number of trie nodes (the root included). For tests: two maps with the same
   * mappings have the same count, whatever their histories.
   */
  int nodeCount() {
    return root.nodeCount();
  }

  private static void requireKey(@Nullable Object key) {
    Objects.requireNonNull(key, "PersistentHashMap does not permit null keys");
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** The bit of a bitmap that the hash selects at this level. Only for {@code shift <= 30}. */
  private static int bitpos(int hash, int shift) {
    return 1 << ((hash >>> shift) & MASK);
  }

  /** The position, among the entries present in {@code bitmap}, of the entry at {@code bit}. */
  private static int index(int bitmap, int bit) {
    return Integer.bitCount(bitmap & (bit - 1));
  }

  /** Reports from a put whether it added a mapping (as opposed to replacing a value). */
  private static final class Change {
    int sizeDelta;
  }

  /**
   * A trie node: some entries held inline (the payload), then some child nodes. Each subclass
   * presents the same indexed view so that iteration and {@code forEach} need no type tests.
   */
  private abstract static sealed class Node<K, V> permits BitmapNode, CollisionNode {

    abstract @Nullable V find(Object key, int hash, int shift);

    /** Returns {@code this} when nothing changed. */
    abstract Node<K, V> put(K key, V value, int hash, int shift, Change change);

    /**
     * Returns {@code this} when the key is absent. A non-root node never returns an empty node;
     * when a single entry is left, it returns a node holding just that entry, which the parent
     * inlines.
     */
    abstract Node<K, V> remove(Object key, int hash, int shift);

    abstract int payloadCount();

    abstract K keyAt(int i);

    abstract V valueAt(int i);

    abstract int childCount();

    abstract Node<K, V> childAt(int i);

    final boolean isSingleEntry() {
      return payloadCount() == 1 && childCount() == 0;
    }

    final void forEach(BiConsumer<? super K, ? super V> action) {
      for (int i = 0, n = payloadCount(); i < n; i++) {
        action.accept(keyAt(i), valueAt(i));
      }
      for (int i = 0, n = childCount(); i < n; i++) {
        childAt(i).forEach(action);
      }
    }

    final int nodeCount() {
      int count = 1;
      for (int i = 0, n = childCount(); i < n; i++) {
        count += childAt(i).nodeCount();
      }
      return count;
    }
  }

  /**
   * A node indexed by two bitmaps over the 32 hash fragments of its level: {@code dataMap} marks
   * the fragments holding an inline entry, {@code nodeMap} those holding a child. {@code content}
   * holds the inline keys and values interleaved, in fragment order, followed by the children,
   * in fragment order. The bitmaps are disjoint.
   */
  private static final class BitmapNode<K, V> extends Node<K, V> {

    private final int dataMap;
    private final int nodeMap;
    private final Object[] content;

    BitmapNode(int dataMap, int nodeMap, Object[] content) {
      this.dataMap = dataMap;
      this.nodeMap = nodeMap;
      this.content = content;
    }

    @Override
    @Nullable V find(Object key, int hash, int shift) {
      int bit = bitpos(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = index(dataMap, bit);
        return key.equals(content[2 * i]) ? valueAt(i) : null;
      }
      if ((nodeMap & bit) != 0) {
        return childAt(index(nodeMap, bit)).find(key, hash, shift + BITS);
      }
      return null;
    }

    @Override
    BitmapNode<K, V> put(K key, V value, int hash, int shift, Change change) {
      int bit = bitpos(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = index(dataMap, bit);
        K existingKey = keyAt(i);
        V existingValue = valueAt(i);
        if (key.equals(existingKey)) {
          if (existingValue == value) {
            return this;
          }
          Object[] c = content.clone();
          c[2 * i + 1] = value;
          return new BitmapNode<>(dataMap, nodeMap, c);
        }
        Node<K, V> child =
            mergeTwo(
                existingKey,
                existingValue,
                spread(existingKey.hashCode()),
                key,
                value,
                hash,
                shift + BITS);
        change.sizeDelta = 1;
        return copyDataToChild(bit, i, child);
      }
      if ((nodeMap & bit) != 0) {
        int j = index(nodeMap, bit);
        Node<K, V> child = childAt(j);
        Node<K, V> newChild = child.put(key, value, hash, shift + BITS, change);
        return newChild == child ? this : copyWithChild(j, newChild);
      }
      change.sizeDelta = 1;
      return copyInsertData(bit, key, value);
    }

    @Override
    BitmapNode<K, V> remove(Object key, int hash, int shift) {
      int bit = bitpos(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = index(dataMap, bit);
        return key.equals(content[2 * i]) ? copyRemoveData(bit, i) : this;
      }
      if ((nodeMap & bit) != 0) {
        int j = index(nodeMap, bit);
        Node<K, V> child = childAt(j);
        Node<K, V> newChild = child.remove(key, hash, shift + BITS);
        if (newChild == child) {
          return this;
        }
        if (newChild.isSingleEntry()) {
          return copyChildToData(bit, j, newChild.keyAt(0), newChild.valueAt(0));
        }
        if (newChild instanceof BitmapNode<K, V> b
            && b.dataMap == 0
            && Integer.bitCount(b.nodeMap) == 1
            && b.childAt(0) instanceof CollisionNode) {
          // Nothing below but one collision node: lift it, as a fresh insertion would place it.
          newChild = b.childAt(0);
        }
        return copyWithChild(j, newChild);
      }
      return this;
    }

    @Override
    int payloadCount() {
      return Integer.bitCount(dataMap);
    }

    @Override
    @SuppressWarnings("unchecked")
    K keyAt(int i) {
      return (K) content[2 * i];
    }

    @Override
    @SuppressWarnings("unchecked")
    V valueAt(int i) {
      return (V) content[2 * i + 1];
    }

    @Override
    int childCount() {
      return Integer.bitCount(nodeMap);
    }

    @Override
    @SuppressWarnings("unchecked")
    Node<K, V> childAt(int i) {
      return (Node<K, V>) content[2 * Integer.bitCount(dataMap) + i];
    }

    private BitmapNode<K, V> copyWithChild(int j, Node<K, V> child) {
      Object[] c = content.clone();
      c[2 * Integer.bitCount(dataMap) + j] = child;
      return new BitmapNode<>(dataMap, nodeMap, c);
    }

    private BitmapNode<K, V> copyInsertData(int bit, K key, V value) {
      int i = index(dataMap, bit);
      Object[] c = new Object[content.length + 2];
      System.arraycopy(content, 0, c, 0, 2 * i);
      c[2 * i] = key;
      c[2 * i + 1] = value;
      System.arraycopy(content, 2 * i, c, 2 * i + 2, content.length - 2 * i);
      return new BitmapNode<>(dataMap | bit, nodeMap, c);
    }

    private BitmapNode<K, V> copyRemoveData(int bit, int i) {
      Object[] c = new Object[content.length - 2];
      System.arraycopy(content, 0, c, 0, 2 * i);
      System.arraycopy(content, 2 * i + 2, c, 2 * i, content.length - 2 * i - 2);
      return new BitmapNode<>(dataMap ^ bit, nodeMap, c);
    }

    /** Replaces the inline entry {@code i} at {@code bit} with {@code child}. */
    private BitmapNode<K, V> copyDataToChild(int bit, int i, Node<K, V> child) {
      int dataLength = 2 * Integer.bitCount(dataMap);
      int newDataLength = dataLength - 2;
      int newNodeMap = nodeMap | bit;
      int j = index(newNodeMap, bit);
      Object[] c = new Object[content.length - 1];
      System.arraycopy(content, 0, c, 0, 2 * i);
      System.arraycopy(content, 2 * i + 2, c, 2 * i, dataLength - 2 * i - 2);
      System.arraycopy(content, dataLength, c, newDataLength, j);
      c[newDataLength + j] = child;
      System.arraycopy(
          content, dataLength + j, c, newDataLength + j + 1, content.length - dataLength - j);
      return new BitmapNode<>(dataMap ^ bit, newNodeMap, c);
    }

    /** Replaces the child {@code j} at {@code bit} with the inline entry {@code key=value}. */
    private BitmapNode<K, V> copyChildToData(int bit, int j, K key, V value) {
      int dataLength = 2 * Integer.bitCount(dataMap);
      int newDataLength = dataLength + 2;
      int newDataMap = dataMap | bit;
      int i = index(newDataMap, bit);
      Object[] c = new Object[content.length + 1];
      System.arraycopy(content, 0, c, 0, 2 * i);
      c[2 * i] = key;
      c[2 * i + 1] = value;
      System.arraycopy(content, 2 * i, c, 2 * i + 2, dataLength - 2 * i);
      System.arraycopy(content, dataLength, c, newDataLength, j);
      System.arraycopy(
          content, dataLength + j + 1, c, newDataLength + j, content.length - dataLength - j - 1);
      return new BitmapNode<>(newDataMap, nodeMap ^ bit, c);
    }
  }

  /**
   * Two or more entries whose spread hashes are all equal to {@code hash}, keys and values
   * interleaved in {@code content}, in insertion order. It sits wherever a single entry would sit
   * if it held only one, so a lookup for another hash may reach it and must compare the hash.
   */
  private static final class CollisionNode<K, V> extends Node<K, V> {

    private final int hash;
    private final Object[] content;

    CollisionNode(int hash, Object[] content) {
      this.hash = hash;
      this.content = content;
    }

    @Override
    @Nullable V find(Object key, int hash, int shift) {
      if (hash != this.hash) {
        return null;
      }
      int i = indexOf(key);
      return i < 0 ? null : valueAt(i);
    }

    @Override
    Node<K, V> put(K key, V value, int hash, int shift, Change change) {
      if (hash != this.hash) {
        // Reachable only above the deepest level: at shift 35 every hash arriving here is equal.
        change.sizeDelta = 1;
        return branch(this, this.hash, key, value, hash, shift);
      }
      int i = indexOf(key);
      if (i >= 0) {
        V existingValue = valueAt(i);
        if (existingValue == value) {
          return this;
        }
        Object[] c = content.clone();
        c[2 * i + 1] = value;
        return new CollisionNode<>(hash, c);
      }
      Object[] c = Arrays.copyOf(content, content.length + 2);
      c[content.length] = key;
      c[content.length + 1] = value;
      change.sizeDelta = 1;
      return new CollisionNode<>(hash, c);
    }

    @Override
    Node<K, V> remove(Object key, int hash, int shift) {
      if (hash != this.hash) {
        return this;
      }
      int i = indexOf(key);
      if (i < 0) {
        return this;
      }
      if (content.length == 4) {
        // One entry is left: hand it up in a single-entry node for the parent to inline (the
        // bit is irrelevant then; shift may be past the last level).
        int other = 1 - i;
        return new BitmapNode<>(
            1, 0, new Object[] {content[2 * other], content[2 * other + 1]});
      }
      Object[] c = new Object[content.length - 2];
      System.arraycopy(content, 0, c, 0, 2 * i);
      System.arraycopy(content, 2 * i + 2, c, 2 * i, content.length - 2 * i - 2);
      return new CollisionNode<>(hash, c);
    }

    private int indexOf(Object key) {
      for (int i = 0; i < content.length; i += 2) {
        if (key.equals(content[i])) {
          return i / 2;
        }
      }
      return -1;
    }

    @Override
    int payloadCount() {
      return content.length / 2;
    }

    @Override
    @SuppressWarnings("unchecked")
    K keyAt(int i) {
      return (K) content[2 * i];
    }

    @Override
    @SuppressWarnings("unchecked")
    V valueAt(int i) {
      return (V) content[2 * i + 1];
    }

    @Override
    int childCount() {
      return 0;
    }

    @Override
    Node<K, V> childAt(int i) {
      throw new IndexOutOfBoundsException(i);
    }
  }

  /** A node holding exactly the two given entries, at {@code shift} and below. */
  private static <K, V> Node<K, V> mergeTwo(
      K key1, V value1, int hash1, K key2, V value2, int hash2, int shift) {
    if (hash1 == hash2) {
      return new CollisionNode<>(hash1, new Object[] {key1, value1, key2, value2});
    }
    // The hashes differ, so some fragment at shift <= 30 differs and the recursion stops there.
    int fragment1 = (hash1 >>> shift) & MASK;
    int fragment2 = (hash2 >>> shift) & MASK;
    if (fragment1 == fragment2) {
      return new BitmapNode<>(
          0,
          1 << fragment1,
          new Object[] {mergeTwo(key1, value1, hash1, key2, value2, hash2, shift + BITS)});
    }
    Object[] c =
        fragment1 < fragment2
            ? new Object[] {key1, value1, key2, value2}
            : new Object[] {key2, value2, key1, value1};
    return new BitmapNode<>((1 << fragment1) | (1 << fragment2), 0, c);
  }

  /** A node holding {@code existing} (whose entries all hash to {@code existingHash}) and key. */
  private static <K, V> BitmapNode<K, V> branch(
      Node<K, V> existing, int existingHash, K key, V value, int hash, int shift) {
    int existingBit = bitpos(existingHash, shift);
    int bit = bitpos(hash, shift);
    if (existingBit == bit) {
      return new BitmapNode<>(
          0,
          bit,
          new Object[] {branch(existing, existingHash, key, value, hash, shift + BITS)});
    }
    return new BitmapNode<>(bit, existingBit, new Object[] {key, value, existing});
  }

  /** Depth-first iteration: a node's inline entries, then its children's entries. */
  private static final class EntryIterator<K, V> implements Iterator<Map.Entry<K, V>> {

    private final Object[] nodes = new Object[MAX_DEPTH];
    private final int[] nextChild = new int[MAX_DEPTH];
    private int depth;
    private Node<K, V> current;
    private int nextPayload;

    EntryIterator(Node<K, V> root) {
      nodes[0] = root;
      current = root;
    }

    @Override
    public boolean hasNext() {
      while (nextPayload >= current.payloadCount()) {
        if (!descendToNextNode()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Map.Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int i = nextPayload++;
      return Map.entry(current.keyAt(i), current.valueAt(i));
    }

    /** Moves {@code current} to the next node in pre-order; false when there is none. */
    @SuppressWarnings("unchecked")
    private boolean descendToNextNode() {
      while (depth >= 0) {
        Node<K, V> node = (Node<K, V>) nodes[depth];
        int j = nextChild[depth];
        if (j < node.childCount()) {
          nextChild[depth] = j + 1;
          Node<K, V> child = node.childAt(j);
          depth++;
          nodes[depth] = child;
          nextChild[depth] = 0;
          current = child;
          nextPayload = 0;
          return true;
        }
        nodes[depth] = null;
        depth--;
      }
      return false;
    }
  }

  /** The unmodifiable {@link Map} view returned by {@link #asMap()}. */
  private static final class MapView<K, V> extends AbstractMap<K, V> {

    private final PersistentHashMap<K, V> map;
    /**
     * The collection views, made on first use. Each is wrapped by {@link Collections}' unmodifiable
     * wrappers: {@link AbstractSet} and {@link AbstractMap#keySet} refuse a removal only when it
     * would remove something, and the wrappers refuse every mutator, as {@link Map#of} does.
     */
    private @Nullable Set<Map.Entry<K, V>> entries;
    private @Nullable Set<K> keys;
    private @Nullable Collection<V> values;

    MapView(PersistentHashMap<K, V> map) {
      this.map = map;
    }

    @Override
    public @Nullable V get(@Nullable Object key) {
      requireKey(key);
      return map.get(key);
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      requireKey(key);
      return map.containsKey(key);
    }

    @Override
    public int size() {
      return map.size;
    }

    @Override
    public boolean isEmpty() {
      return map.size == 0;
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
      map.forEach(action);
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
      Set<Map.Entry<K, V>> e = entries;
      if (e == null) {
        entries = e = Collections.unmodifiableSet(entrySetOfTrie());
      }
      return e;
    }

    @Override
    public Set<K> keySet() {
      Set<K> k = keys;
      if (k == null) {
        keys = k = Collections.unmodifiableSet(super.keySet());
      }
      return k;
    }

    @Override
    public Collection<V> values() {
      Collection<V> v = values;
      if (v == null) {
        values = v = Collections.unmodifiableCollection(super.values());
      }
      return v;
    }

    /** The entries, read from the trie; {@link #entrySet} wraps it. */
    private Set<Map.Entry<K, V>> entrySetOfTrie() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
          return map.iterator();
        }

        @Override
        public int size() {
          return map.size;
        }

        @Override
        public boolean contains(@Nullable Object o) {
          if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null) {
            return false;
          }
          V value = map.get(e.getKey());
          return value != null && value.equals(e.getValue());
        }
      };
    }

    @Override
    public @Nullable V put(K key, V value) {
      throw unsupported();
    }

    @Override
    public @Nullable V remove(@Nullable Object key) {
      throw unsupported();
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
      throw unsupported();
    }

    @Override
    public void clear() {
      throw unsupported();
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
      throw unsupported();
    }

    @Override
    public @Nullable V putIfAbsent(K key, V value) {
      throw unsupported();
    }

    @Override
    public boolean remove(@Nullable Object key, @Nullable Object value) {
      throw unsupported();
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
      throw unsupported();
    }

    @Override
    public @Nullable V replace(K key, V value) {
      throw unsupported();
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
      throw unsupported();
    }

    @Override
    public @Nullable V computeIfPresent(
        K key, BiFunction<? super K, ? super V, ? extends @Nullable V> remappingFunction) {
      throw unsupported();
    }

    @Override
    public @Nullable V compute(
        K key,
        BiFunction<? super K, ? super @Nullable V, ? extends @Nullable V> remappingFunction) {
      throw unsupported();
    }

    @Override
    public @Nullable V merge(
        K key,
        V value,
        BiFunction<? super V, ? super V, ? extends @Nullable V> remappingFunction) {
      throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
      return new UnsupportedOperationException("the view of a PersistentHashMap is unmodifiable");
    }
  }
}

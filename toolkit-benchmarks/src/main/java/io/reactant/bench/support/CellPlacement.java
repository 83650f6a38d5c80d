package io.reactant.bench.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.TreeMap;

/**
 * A diagnostic for layout work, not a measurement: where an actor's cell lies relative to the
 * 64-byte cache lines, and on which line each of its fields falls. The fire-and-forget rows to one
 * actor settle per JVM in a mode that follows the cell's address modulo 64 (the twenty-first
 * session in docs/benchmarks-history.md): whether the inbox, which every sender updates, shares its
 * line with fields the executing thread writes at every turn.
 *
 * <p>Reads the runtime's internals by reflection and the cell's address through
 * {@code sun.misc.Unsafe} (a compressed reference shifted by 3: right for heaps up to 32 GB with
 * zero-based compressed references, JDK 17's default for the benchmarks' heaps). The address is the
 * one at the time of the call; a collection may move the cell, so call it at the end of a trial.
 */
public final class CellPlacement {

  private CellPlacement() {
  }

  /**
   * One line: the cell's address modulo 64, then each instance field as
   * {@code name@offset/line} (the line counted from the cell's first one), in offset order, then
   * the objects that the cell's and its proxy handler's reference fields point to and that lie
   * within 512 bytes of the cell, as {@code field (class)@distance in bytes from the cell's start}.
   */
  public static String describe(Object actorRef) throws ReflectiveOperationException {
    Object handler = Proxy.getInvocationHandler(actorRef);
    Field cellField = handler.getClass().getDeclaredField("cell");
    cellField.setAccessible(true);
    Object cell = cellField.get(handler);
    Field unsafeField = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    unsafeField.setAccessible(true);
    sun.misc.Unsafe unsafe = (sun.misc.Unsafe) unsafeField.get(null);
    long address = addressOf(unsafe, cell);
    TreeMap<Long, String> fields = new TreeMap<>();
    for (Class<?> k = cell.getClass(); k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          @SuppressWarnings("deprecation")
          long offset = unsafe.objectFieldOffset(f);
          fields.put(offset, f.getName());
        }
      }
    }
    long start = address & 63;
    StringBuilder line = new StringBuilder("cell placement: address % 64 = " + start
        + " (0x" + Long.toHexString(address) + ");");
    fields.forEach((offset, name) -> line.append(' ').append(name).append('@').append(offset)
        .append("/line").append((start + offset) >> 6));
    line.append("; neighbours:");
    // one lying just before the cell shares the inbox's line in some placements
    TreeMap<Long, String> near = new TreeMap<>();
    addNeighbours(unsafe, cell, address, near);
    addNeighbours(unsafe, handler, address, near);
    near.forEach((delta, name) -> line.append(' ').append(name).append('@').append(delta));
    return line.toString();
  }

  /**
   * Adds to {@code near}, by distance from {@code address}, the objects that {@code owner}'s
   * reference fields (those declared by the runtime's classes) point to, when within 512 bytes.
   */
  private static void addNeighbours(sun.misc.Unsafe unsafe, Object owner, long address,
      TreeMap<Long, String> near) throws IllegalAccessException {
    for (Class<?> k = owner.getClass(); k.getName().startsWith("io.reactant");
        k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
          continue;
        }
        f.setAccessible(true);
        Object target = f.get(owner);
        if (target == null) {
          continue;
        }
        long delta = addressOf(unsafe, target) - address;
        if (Math.abs(delta) <= 512) {
          near.put(delta, k.getSimpleName() + "." + f.getName() + " ("
              + target.getClass().getSimpleName() + ")");
        }
      }
    }
  }

  /**
   * Writes every object of the heap, garbage included, to an HPROF file at {@code path}, without a
   * collection first (a collection would move the cell): {@code bench/heap_neighbours.py} then
   * names the objects lying around the address {@link #describe} printed.
   */
  public static void dumpHeap(String path) throws java.io.IOException {
    java.lang.management.ManagementFactory
        .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
        .dumpHeap(path, false);
  }

  /** The address of {@code o} now, from its compressed reference (see the class comment). */
  private static long addressOf(sun.misc.Unsafe unsafe, Object o) {
    Object[] holder = {o};
    return (unsafe.getInt(holder, (long) unsafe.arrayBaseOffset(Object[].class)) & 0xFFFF_FFFFL)
        << 3;
  }
}

package io.reactant.bench.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.TreeMap;

/**
 * A diagnostic for layout work, not a measurement: where an actor's cell lies relative to the
 * 64-byte cache lines, and on which line each of its fields falls. The fire-and-forget rows to one
 * actor used to settle per JVM in a mode that followed the cell's address modulo 64: which of the
 * fields a sender reads at every call shared a line with fields the executing thread writes (the
 * twenty-first and twenty-third sessions in docs/benchmarks-history.md; {@code CellLayoutTest}
 * now checks the layout). {@link #dumpHeap} writes the heap around the cell, for
 * {@code bench/heap_neighbours.py} to name the objects beside it.
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
   * {@code name@offset/line} (the line counted from the cell's first one), in offset order; the
   * address itself comes first, for {@code bench/heap_neighbours.py}.
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
    return line.toString();
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

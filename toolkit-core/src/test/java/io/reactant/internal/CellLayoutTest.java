package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ForkJoinTask;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The layout of an actor's cell as the JVM running the tests lays it out: the inbox, which every
 * sender updates, must not share a 64-byte cache line with any field the executing thread touches
 * at every turn, wherever the collector places the cell (at any multiple of 8). A field added to
 * the cell's classes in the wrong place, or a padding field removed, fails it.
 */
class CellLayoutTest {

  private static final int LINE = 64;
  private static final int OBJECT_ALIGNMENT = 8;
  /** What may share the inbox's line: what senders read and turns never touch, and padding. */
  private static final Set<String> BESIDE_THE_INBOX =
      Set.of("inbox", "id", "type", "creator", "capacity", "stopped", "inspector", "pad0", "pad1",
          "pad2", "pad3", "pad4", "pad5");

  @Test
  @DisplayName("the inbox shares its cache line with no field a turn touches, wherever the cell lies")
  void inboxHasALineOfItsOwn() throws ReflectiveOperationException {
    Map<String, Long> offsets = fieldOffsets();
    long inbox = offsets.get("inbox");
    assertThat(offsets).containsKeys("version", "runner", "wrote", "batch", "turns", "consumed");
    for (Map.Entry<String, Long> f : offsets.entrySet()) {
      if (BESIDE_THE_INBOX.contains(f.getKey())) {
        continue;
      }
      for (long start = 0; start < LINE; start += OBJECT_ALIGNMENT) {
        assertThat((start + f.getValue()) / LINE)
            .as("%s at offset %d, inbox at %d, cell at %d modulo %d",
                f.getKey(), f.getValue(), inbox, start, LINE)
            .isNotEqualTo((start + inbox) / LINE);
      }
    }
  }

  /** What a sender reads from the cell at every call (the inbox aside, which it writes). */
  private static final Set<String> READ_BY_SENDERS =
      Set.of("capacity", "stopped", "type", "inspector");
  /** What the executing thread writes at every turn or every take from the inbox. */
  private static final Set<String> WRITTEN_BY_TURNS =
      Set.of("version", "runner", "wrote", "turns", "produced", "consumed", "batch");

  @Test
  @DisplayName("a sender reads at most one line that turns write, wherever the cell lies")
  void senderReadsAtMostOneLineThatTurnsWrite() throws ReflectiveOperationException {
    Map<String, Long> offsets = fieldOffsets();
    assertThat(offsets).containsKeys(READ_BY_SENDERS.toArray(String[]::new));
    assertThat(offsets).containsKeys(WRITTEN_BY_TURNS.toArray(String[]::new));
    for (long start = 0; start < LINE; start += OBJECT_ALIGNMENT) {
      Set<Long> readLines = new TreeSet<>();
      Set<Long> writtenLines = new TreeSet<>();
      for (Map.Entry<String, Long> f : offsets.entrySet()) {
        long line = (start + f.getValue()) / LINE;
        if (READ_BY_SENDERS.contains(f.getKey())) {
          readLines.add(line);
        }
        if (WRITTEN_BY_TURNS.contains(f.getKey())) {
          writtenLines.add(line);
        }
      }
      readLines.retainAll(writtenLines);
      // each such line costs the sender a miss per call while the actor is busy: with two, the
      // fire-and-forget rows to one actor ran 20-40 % slower in the placements that had them
      assertThat(readLines).as("lines read by senders and written by turns, cell at %d modulo %d",
          start, LINE).hasSizeLessThanOrEqualTo(1);
    }
  }

  /**
   * The offset of each instance field of the cell's classes below {@link ForkJoinTask} (whose own
   * two fields come before the inbox, and are written by the pool when it runs the cell).
   */
  private static Map<String, Long> fieldOffsets() throws ReflectiveOperationException {
    Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    theUnsafe.setAccessible(true);
    sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
    Map<String, Long> offsets = new LinkedHashMap<>();
    for (Class<?> k = ActorCell.class; k != ForkJoinTask.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          offsets.put(f.getName(), unsafe.objectFieldOffset(f));
        }
      }
    }
    return offsets;
  }
}

package io.reactant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The size of a call as the JVM running the tests lays it out (compressed references, the
 * default below 32 GB of heap). A call is the one object per message that the sender writes and
 * the callee's thread reads on another core: at 64 bytes, a cache line's worth, one sender's calls
 * lying back to back move one line per message between the cores (oneways to 1,000 actors ran
 * 1.1-1.4x as fast as at 80 bytes, see docs/benchmarks-history.md, "The forty-fourth session"). A
 * field added to {@link Call} rather than to its extras fails it. An update call's future, which
 * its sender allocates just before the call, is 24 bytes: its claim, value and error share one
 * field (unawaited calls to 1,000 actors ran ~1.1x as fast as with a 32-byte future, "The
 * forty-fifth session").
 */
class CallLayoutTest {

  private static final int LINE = 64;
  private static final int OBJECT_ALIGNMENT = 8;

  @Test
  @DisplayName("a plain call takes 64 bytes, a cache line's worth")
  void plainCallFitsOneLine() throws ReflectiveOperationException {
    assertThat(instanceSize(Call.class)).as(describe(Call.class)).isLessThanOrEqualTo(LINE);
  }

  @Test
  @DisplayName("a call that carries its sender's context takes one field more, 72 bytes at most")
  void carryingCallTakesOneFieldMore() throws ReflectiveOperationException {
    assertThat(instanceSize(Call.Carrying.class)).as(describe(Call.Carrying.class))
        .isLessThanOrEqualTo(LINE + OBJECT_ALIGNMENT);
  }

  @Test
  @DisplayName("a call's future takes 24 bytes: its outcome is one field")
  void futureTakesThreeReferences() throws ReflectiveOperationException {
    assertThat(instanceSize(CallFuture.class)).as(describe(CallFuture.class))
        .isLessThanOrEqualTo(24);
  }

  @Test
  @DisplayName("what most calls never use is not a field of the call")
  void rarelyUsedPartsAreApart() throws ReflectiveOperationException {
    List<String> names = new ArrayList<>();
    for (Field f : instanceFields(Call.class)) {
      names.add(f.getName());
    }
    assertThat(names).doesNotContain("cycles", "timeoutTimer", "error",
        "nextSuspended", "previousSuspended");
  }

  /** The end of the last field, rounded up to the object alignment: the instance's size. */
  private static long instanceSize(Class<?> type) throws ReflectiveOperationException {
    sun.misc.Unsafe unsafe = unsafe();
    long end = 0;
    for (Field f : instanceFields(type)) {
      end = Math.max(end, unsafe.objectFieldOffset(f) + size(f.getType(), unsafe));
    }
    return (end + OBJECT_ALIGNMENT - 1) / OBJECT_ALIGNMENT * OBJECT_ALIGNMENT;
  }

  private static String describe(Class<?> type) throws ReflectiveOperationException {
    sun.misc.Unsafe unsafe = unsafe();
    StringBuilder b = new StringBuilder(type.getSimpleName()).append(" fields:");
    for (Field f : instanceFields(type)) {
      b.append(' ').append(f.getName()).append('@').append(unsafe.objectFieldOffset(f));
    }
    return b.toString();
  }

  private static List<Field> instanceFields(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> k = type; k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          fields.add(f);
        }
      }
    }
    return fields;
  }

  private static long size(Class<?> t, sun.misc.Unsafe unsafe) {
    if (!t.isPrimitive()) {
      return unsafe.arrayIndexScale(Object[].class); // 4 with compressed references
    }
    if (t == long.class || t == double.class) {
      return 8;
    }
    if (t == int.class || t == float.class) {
      return 4;
    }
    if (t == short.class || t == char.class) {
      return 2;
    }
    return 1;
  }

  private static sun.misc.Unsafe unsafe() throws ReflectiveOperationException {
    Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    theUnsafe.setAccessible(true);
    return (sun.misc.Unsafe) theUnsafe.get(null);
  }
}

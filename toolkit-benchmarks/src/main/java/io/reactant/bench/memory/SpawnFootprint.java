package io.reactant.bench.memory;

import io.reactant.actor.ActorSystem;
import io.reactant.bench.model.Counters;
import io.reactant.bench.model.Counters.Counter;
import io.reactant.bench.support.Countdown;
import io.reactant.bench.support.Peers;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Workload 6: the memory of idle actors and the time to spawn them, for Reactant or for Pekko
 * typed, one system per JVM run (run it with a fixed heap, see {@code bench/memory.sh}).
 *
 * <pre>
 * java -Xms8g -Xmx8g -XX:+UseG1GC -cp toolkit-benchmarks/target/benchmarks.jar \
 *     io.reactant.bench.memory.SpawnFootprint reactant 1000000
 * </pre>
 *
 * <p>It warms up (spawns {@code count / 10} actors in a throw-away system), starts the measured
 * system, collects garbage and takes the heap in use as the baseline, spawns {@code count}
 * counters (each with one {@code long} of state), holding the references it gets back, and waits
 * until all have started; then it collects garbage again and divides the growth of the heap by the
 * count. It does so twice: with the references held by the caller, then with them dropped (what
 * the system itself keeps per actor). The class histogram of the growth (from the JVM's
 * {@code GC.class_histogram}) shows where the bytes go.
 *
 * <p>Reactant spawns synchronously on the calling thread. Pekko spawns asynchronously from
 * inside actors, so it is given its best shape: 100 parent actors spawn {@code count / 100}
 * children each, in parallel on its dispatcher, and the time runs until every child has run its
 * setup (has started).
 *
 * <p>The last line is machine-readable:
 * {@code RESULT system=<s> actors=<n> spawnPerSec=<r> bytesPerActor=<b> bytesPerActorWithRef=<b>}.
 */
public final class SpawnFootprint {

  private static final int PARENTS = 100;

  private SpawnFootprint() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || !(args[0].equals("reactant") || args[0].equals("pekko"))) {
      System.err.println("usage: SpawnFootprint reactant|pekko [count] [--histogram]");
      System.exit(2);
    }
    String which = args[0];
    int count = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : 1_000_000;
    boolean histogram = List.of(args).contains("--histogram");
    if (count % PARENTS != 0) {
      throw new IllegalArgumentException("count must be a multiple of " + PARENTS);
    }
    System.out.printf(Locale.ROOT, "%s: %,d actors, heap max %,d MB, %d cores, %s %s%n", which,
        count,
        Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"));
    Footprint f = which.equals("reactant") ? reactant(count, histogram) : pekko(count, histogram);
    double rate = count / (f.spawnNanos / 1e9);
    System.out.printf(Locale.ROOT, "spawned %,d actors in %.3f s: %,.0f actors/s%n", count,
        f.spawnNanos / 1e9, rate);
    System.out.printf(Locale.ROOT, "heap per idle actor: %.1f bytes (system only), %.1f bytes"
        + " (with the caller's reference)%n", f.bytesPerActor, f.bytesPerActorWithRef);
    System.out.printf(Locale.ROOT, "RESULT system=%s actors=%d spawnPerSec=%.0f bytesPerActor=%.1f"
        + " bytesPerActorWithRef=%.1f%n", which, count, rate, f.bytesPerActor,
        f.bytesPerActorWithRef);
  }

  record Footprint(long spawnNanos, double bytesPerActor, double bytesPerActorWithRef) {
  }

  // ---- Reactant

  private static Footprint reactant(int count, boolean histogram) throws Exception {
    try (ActorSystem warm = Peers.reactant("warm-up")) {
      spawnReactant(warm, count / 10);
    }
    try (ActorSystem system = Peers.reactant("footprint")) {
      long base = usedHeapAfterGc();
      Map<String, long[]> before = histogram ? classHistogram() : null;
      long start = System.nanoTime();
      Object[] refs = spawnReactant(system, count);
      long spawnNanos = System.nanoTime() - start;
      long withRefs = usedHeapAfterGc();
      if (histogram) {
        printHistogramGrowth(before, classHistogram(), count);
      }
      refs[0] = refs[refs.length - 1]; // keep the array alive until here
      refs = null;
      long without = usedHeapAfterGc();
      if (!system.contains(system.actorIds().iterator().next())) {
        throw new IllegalStateException("the actors vanished");
      }
      return new Footprint(spawnNanos, (without - base) / (double) count,
          (withRefs - base) / (double) count);
    }
  }

  private static Object[] spawnReactant(ActorSystem system, int count) {
    Object[] refs = new Object[count];
    for (int i = 0; i < count; i++) {
      refs[i] = system.spawn(Counter.class, Counters.CounterActor::new);
    }
    return refs;
  }

  // ---- Pekko typed

  /** Tells the guardian to spawn the actors. */
  record SpawnAll(int count, ActorRef<?>[] refs, Countdown started) {
  }

  private static Behavior<SpawnAll> guardian() {
    return Behaviors.receive((ctx, m) -> {
      int perParent = m.count() / PARENTS;
      // one behavior for every child, as a Pekko program spawns many actors of one kind: a
      // behavior made per child stays referenced by that child (its setup and lambdas, 56 bytes)
      Behavior<Counters.Cmd> counter = Counters.pekkoCounter(m.started());
      for (int p = 0; p < PARENTS; p++) {
        int offset = p * perParent;
        ctx.spawnAnonymous(Behaviors.setup(parent -> {
          for (int i = 0; i < perParent; i++) {
            m.refs()[offset + i] = parent.spawnAnonymous(counter);
          }
          return Behaviors.<Object>empty();
        }));
      }
      return Behaviors.same();
    });
  }

  private static Footprint pekko(int count, boolean histogram) throws Exception {
    org.apache.pekko.actor.typed.ActorSystem<SpawnAll> warm = Peers.pekko("warm-up", guardian());
    spawnPekko(warm, count / 10);
    Peers.terminate(warm);
    warm = null;
    org.apache.pekko.actor.typed.ActorSystem<SpawnAll> system =
        Peers.pekko("footprint", guardian());
    try {
      Thread.sleep(500); // let the system finish starting before the baseline
      long base = usedHeapAfterGc();
      Map<String, long[]> before = histogram ? classHistogram() : null;
      long start = System.nanoTime();
      ActorRef<?>[] refs = spawnPekko(system, count);
      long spawnNanos = System.nanoTime() - start;
      long withRefs = usedHeapAfterGc();
      if (histogram) {
        printHistogramGrowth(before, classHistogram(), count);
      }
      refs[0] = refs[refs.length - 1];
      refs = null;
      long without = usedHeapAfterGc();
      return new Footprint(spawnNanos, (without - base) / (double) count,
          (withRefs - base) / (double) count);
    } finally {
      Peers.terminate(system);
    }
  }

  private static ActorRef<?>[] spawnPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnAll> system,
      int count) {
    ActorRef<?>[] refs = new ActorRef<?>[count];
    Countdown started = new Countdown().reset(count);
    system.tell(new SpawnAll(count, refs, started));
    started.await();
    return refs;
  }

  // ---- heap measurement

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** Class name to {instances, bytes}, from the JVM's GC.class_histogram (after a full GC). */
  private static Map<String, long[]> classHistogram() throws Exception {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    Map<String, long[]> map = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        map.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return map;
  }

  private static void printHistogramGrowth(Map<String, long[]> before, Map<String, long[]> after,
      int count) {
    List<Map.Entry<String, long[]>> growth = new ArrayList<>();
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
      if (d[1] > count / 50) {
        growth.add(Map.entry(e.getKey(), d));
      }
    }
    growth.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
    System.out.printf(Locale.ROOT, "heap growth by class, per actor (references held):%n");
    System.out.printf(Locale.ROOT, "  %10s %10s  %s%n", "instances", "bytes", "class");
    double total = 0;
    for (Map.Entry<String, long[]> e : growth) {
      double bytes = e.getValue()[1] / (double) count;
      total += bytes;
      System.out.printf(Locale.ROOT, "  %10.2f %10.1f  %s%n", e.getValue()[0] / (double) count,
          bytes,
          e.getKey());
    }
    System.out.printf(Locale.ROOT, "  %10s %10.1f  (total of the classes above)%n", "", total);
  }
}

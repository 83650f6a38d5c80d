package io.reactant.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.ContextPropagation;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@link MicrometerContextPropagation}'s snapshot of a sender that holds no value: one shared
 * snapshot, whose restore does to a thread's values what Micrometer's clearing restore of an
 * empty snapshot does, on a thread that holds values or none, and whatever the turn leaves.
 */
class MicrometerContextPropagationTest {

  /** The mutating calls the accessors were given, in order. */
  private final List<String> calls = new ArrayList<>();
  private final ContextRegistry registry = new ContextRegistry();
  private final Recorded first = new Recorded("first");
  private final Recorded second = new Recorded("second");

  {
    registry.registerThreadLocalAccessor(first);
    registry.registerThreadLocalAccessor(second);
  }

  @AfterEach
  void clear() {
    first.local.remove();
    second.local.remove();
  }

  /** An accessor of a thread-local that records its mutating calls. */
  private final class Recorded implements ThreadLocalAccessor<String> {
    final ThreadLocal<@Nullable String> local = new ThreadLocal<>();
    private final String key;

    Recorded(String key) {
      this.key = key;
    }

    @Override
    public Object key() {
      return key;
    }

    @Override
    public @Nullable String getValue() {
      return local.get();
    }

    @Override
    public void setValue(String value) {
      calls.add("setValue(" + key + ", " + value + ")");
      local.set(value);
    }

    @Override
    public void setValue() {
      calls.add("setValue(" + key + ")");
      local.remove();
    }

    @Override
    public void restore(String previous) {
      calls.add("restore(" + key + ", " + previous + ")");
      local.set(previous);
    }

    @Override
    public void restore() {
      calls.add("restore(" + key + ")");
      local.remove();
    }
  }

  /** What a turn saw, what the thread held after it, and the accessors' calls. */
  private record Run(String during, String after, List<String> calls) {
  }

  private String held() {
    return first.local.get() + "/" + second.local.get();
  }

  /**
   * On a thread holding {@code firstHeld}, restores with {@code restore}, runs a turn that sets
   * the second value to {@code leftByTurn} (unless null), and closes the scope.
   */
  private Run run(@Nullable String firstHeld, @Nullable String leftByTurn,
      Supplier<ContextPropagation.Scope> restore) {
    clear();
    if (firstHeld != null) {
      first.local.set(firstHeld);
    }
    calls.clear();
    String during;
    try (ContextPropagation.Scope scope = restore.get()) {
      during = held();
      if (leftByTurn != null) {
        second.setValue(leftByTurn);
      }
    }
    return new Run(during, held(), List.copyOf(calls));
  }

  @Test
  @DisplayName("R13 a sender holding no value carries one shared snapshot, restored as Micrometer"
      + " restores an empty clearing snapshot: on a thread that holds nothing or a value, with a"
      + " turn that leaves a value or none")
  void emptySnapshotRestoresAsMicrometersClearingOne() {
    ContextPropagation propagation = MicrometerContextPropagation.create(registry);
    Object carried = propagation.capture();
    assertThat(carried).isNotNull().isSameAs(propagation.capture());
    ContextSnapshot micrometers = ContextSnapshotFactory.builder().contextRegistry(registry)
        .clearMissing(true).build().captureAll(); // this thread holds nothing
    for (String held : new String[] {null, "caller"}) {
      for (String left : new String[] {null, "leaked"}) {
        Run ours = run(held, left, () -> propagation.restore(carried));
        Run reference = run(held, left, () -> micrometers.setThreadLocals()::close);
        assertThat(ours).as("held %s, left %s", held, left).isEqualTo(reference);
        assertThat(ours.during()).isEqualTo("null/null");
        assertThat(ours.after()).isEqualTo(held + "/null");
      }
    }
  }

  @Test
  @DisplayName("R13 an accessor registered during the turn of a message sent holding no value is"
      + " left as Micrometer's clearing scope leaves it: the value the thread held for it before"
      + " the turn is still there after it")
  void accessorRegisteredDuringATurnIsLeftAsMicrometerLeavesIt() {
    ContextPropagation propagation = MicrometerContextPropagation.create(registry);
    Object carried = propagation.capture();
    ContextSnapshot micrometers = ContextSnapshotFactory.builder().contextRegistry(registry)
        .clearMissing(true).build().captureAll(); // this thread holds nothing
    Recorded late = new Recorded("late");
    List<List<String>> runs = new ArrayList<>();
    List<Supplier<ContextPropagation.Scope>> restores = List.of(
        () -> propagation.restore(carried), () -> micrometers.setThreadLocals()::close);
    try {
      for (Supplier<ContextPropagation.Scope> restore : restores) {
        late.local.set("pooled"); // the pool thread's own value, of an accessor not yet known
        calls.clear();
        try (ContextPropagation.Scope scope = restore.get()) {
          registry.registerThreadLocalAccessor(late);
        }
        assertThat(late.local.get()).isEqualTo("pooled");
        runs.add(List.copyOf(calls));
        registry.removeThreadLocalAccessor("late");
      }
      assertThat(runs.get(0)).isEqualTo(runs.get(1));
      // and once known, it is cleared for a turn and put back after it, as the others
      registry.registerThreadLocalAccessor(late);
      late.local.remove();
      Run ours = run(null, "leaked", () -> propagation.restore(carried));
      Run reference = run(null, "leaked", () -> micrometers.setThreadLocals()::close);
      assertThat(ours).isEqualTo(reference);
      assertThat(late.local.get()).isNull();
    } finally {
      late.local.remove();
    }
  }

  @Test
  @DisplayName("R13 a sender holding a value carries a snapshot of its own, restored as"
      + " Micrometer's: the missing values cleared, all put back after the turn")
  void valuesAreCapturedAndRestored() {
    ContextPropagation propagation = MicrometerContextPropagation.create(registry);
    first.local.set("sender");
    Object carried = propagation.capture();
    ContextSnapshot micrometers = ContextSnapshotFactory.builder().contextRegistry(registry)
        .clearMissing(true).build().captureAll();
    assertThat(carried).isNotNull().isNotSameAs(propagation.capture());
    for (String held : new String[] {null, "worker"}) {
      Run ours = run(held, "leaked", () -> propagation.restore(carried));
      Run reference = run(held, "leaked", () -> micrometers.setThreadLocals()::close);
      assertThat(ours).isEqualTo(reference);
      assertThat(ours.during()).isEqualTo("sender/null");
      assertThat(ours.after()).isEqualTo(held + "/null");
    }
  }

  @Test
  @DisplayName("a registry without accessors captures nothing, so messages carry nothing")
  void noAccessorsNoSnapshot() {
    assertThat(MicrometerContextPropagation.create(new ContextRegistry()).capture()).isNull();
  }

  public interface Probe {
    /** The values its turn sees. */
    Mono<String> held();
  }

  final class ProbeActor extends Actor implements Probe {
    @Override
    public Mono<String> held() {
      return Mono.just(MicrometerContextPropagationTest.this.held());
    }
  }

  @Test
  @DisplayName("R13 a turn run inline on a thread that holds a value, of a message sent holding"
      + " none, sees none, and the thread has its value back after it")
  void inlineTurnOfAnUntracedMessageSeesNothing() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("inline")
        .scheduler(scheduler).contextPropagation(MicrometerContextPropagation.create(registry))
        .build());
    try {
      Probe probe = system.spawn(Probe.class, ProbeActor::new);
      scheduler.runUntilIdle();
      Mono<String> untraced = probe.held().cache();
      untraced.subscribe();
      first.local.set("sender");
      Mono<String> traced = probe.held().cache();
      traced.subscribe();
      first.local.set("caller"); // the thread that runs the turns holds a value of its own
      scheduler.runUntilIdle();
      assertThat(untraced.block()).isEqualTo("null/null");
      assertThat(traced.block()).isEqualTo("sender/null");
      assertThat(held()).isEqualTo("caller/null");
    } finally {
      first.local.remove();
      system.close();
    }
  }
}

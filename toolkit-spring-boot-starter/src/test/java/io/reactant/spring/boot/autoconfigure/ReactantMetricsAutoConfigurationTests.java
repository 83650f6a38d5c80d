package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.TurnListener;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.TestActors.Gate;
import io.reactant.spring.boot.TestActors.Greeter;
import io.reactant.spring.boot.TestActors.GreeterActor;
import io.reactant.spring.boot.TestActors.Greetings;
import io.reactant.spring.boot.TestActors.Note;
import io.reactant.spring.boot.TestActors.NoteActor;
import io.reactant.actor.Query;
import io.reactant.spring.boot.actuate.ActorSystemMetrics;
import io.reactant.spring.boot.actuate.MicrometerTurnListener;
import io.reactant.state.LongVar;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

@ExtendWith(OutputCaptureExtension.class)
class ReactantMetricsAutoConfigurationTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
          SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
      .withUserConfiguration(CounterActor.class, GreeterActor.class)
      .withBean(Greetings.class, () -> new Greetings("Hi, "))
      .withBean(Gate.class, Gate::new);

  /** A listener that lets a test wait until the metrics saw a number of turns. */
  private static final class TurnLatch implements TurnListener {
    final CountDownLatch latch;

    TurnLatch(int turns) {
      latch = new CountDownLatch(turns);
    }

    @Override
    public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long durationNanos) {
      latch.countDown();
    }

    void await() throws InterruptedException {
      assertThat(latch.await(10, TimeUnit.SECONDS)).as("turns seen").isTrue();
    }
  }

  @Test
  void turnsCommitsTrapsAndRejectsAreRecorded() {
    TurnLatch turns = new TurnLatch(5);
    runner.withBean(TurnLatch.class, () -> turns).run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      Counter counter = directory.get(Counter.class, "metered");
      counter.bump().block();
      counter.bump().block();
      Greeter greeter = directory.singleton(Greeter.class);
      greeter.greet("x").block();
      assertThatThrownBy(() -> greeter.divide(1, 0).block());
      assertThatThrownBy(() -> greeter.refuse("no").block());
      turns.await();

      MeterRegistry registry = context.getBean(MeterRegistry.class);
      Timer committed = registry.get("reactant.turns").tag("type", "Counter")
          .tag("outcome", "committed").timer();
      assertThat(committed.count()).isEqualTo(2);
      assertThat(committed.totalTime(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(registry.get("reactant.turns").tag("type", "Greeter").tag("outcome", "trapped")
          .timer().count()).isEqualTo(1);
      assertThat(registry.get("reactant.rejects").tag("code", "5").tag("reject", "CANISTER_ERROR")
          .tag("method", "divide").counter().count()).isEqualTo(1);
      assertThat(registry.get("reactant.rejects").tag("code", "4").tag("method", "refuse")
          .counter().count()).isEqualTo(1);
    });
  }

  /** An actor interface no {@code @ActorBean} declares, with a method named as {@code Note}'s. */
  public interface Page {
    @Query
    Mono<String> text();
  }

  @Test
  @DisplayName("R12a reactant.rejects is tagged with the actor type as reactant.turns is (its"
      + " declared name): methods of the same name on two types are counted apart, the metrics"
      + " the only listener or told beside another TurnListener bean")
  void rejectsAreCountedPerActorType() {
    rejectsAreCountedPerActorType(runner);
    rejectsAreCountedPerActorType(runner.withBean(TurnLatch.class, () -> new TurnLatch(0)));
  }

  private void rejectsAreCountedPerActorType(ApplicationContextRunner listening) {
    listening.withUserConfiguration(NoteActor.class).run(context -> {
      ActorSystem system = context.getBean(ActorSystem.class);
      Note memo = context.getBean(ActorDirectory.class).get(Note.class, "nobody");
      assertThatThrownBy(() -> memo.text().block(java.time.Duration.ofSeconds(30)));
      assertThatThrownBy(() -> memo.text().block(java.time.Duration.ofSeconds(30)));
      Page page = system.lookup(Page.class, ActorId.of("nobody"));
      assertThatThrownBy(() -> page.text().block(java.time.Duration.ofSeconds(30)));
      Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
      assertThatThrownBy(() -> greeter.divide(1, 0).block(java.time.Duration.ofSeconds(30)));

      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("reactant.rejects").tag("method", "text").tag("code", "3")
          .tag("type", "Memo").counter().count()).as("the declared name of Note").isEqualTo(2);
      assertThat(registry.get("reactant.rejects").tag("method", "text").tag("code", "3")
          .tag("type", "Page").counter().count()).isEqualTo(1);
      assertThat(registry.get("reactant.rejects").tag("method", "divide").tag("code", "5")
          .tag("type", "Greeter").counter().count()).isEqualTo(1);
      assertThat(registry.find("reactant.rejects").counters()).hasSize(3);
    });
  }

  @Test
  @DisplayName("a failed call told without its type (by a listener of the application's that passes"
      + " the event on) is counted with the type 'unknown'")
  void rejectsToldWithoutTheirTypeAreCountedAsUnknown() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerTurnListener metrics = new MicrometerTurnListener(registry);
    metrics.callRejected(ActorId.of("a"), "text", io.reactant.error.RejectCode.SYS_TRANSIENT);
    metrics.callRejected(ActorId.of("a"), Page.class, "text",
        io.reactant.error.RejectCode.SYS_TRANSIENT);
    assertThat(registry.get("reactant.rejects").tag("type", MicrometerTurnListener.UNKNOWN_TYPE)
        .tag("method", "text").tag("code", "2").counter().count()).isEqualTo(1);
    assertThat(registry.get("reactant.rejects").tag("type", "Page").counter().count())
        .isEqualTo(1);
  }

  @Test
  @DisplayName("the turn timers of every declared type, committed and trapped, are there at zero"
      + " from the start: a dashboard's trap rate has a series before the first trap")
  void turnTimersOfDeclaredTypesExistBeforeTheirFirstTurn() {
    runner.run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      for (String type : new String[] {"Counter", "Greeter"}) {
        for (String outcome : new String[] {"committed", "trapped"}) {
          assertThat(registry.get("reactant.turns").tag("type", type).tag("outcome", outcome)
              .timer().count()).as(type + " " + outcome).isZero();
        }
      }
      assertThat(registry.find("reactant.turns").timers()).hasSize(4);
      Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
      assertThat(greeter.greet("x").block()).isEqualTo("Hi, x");
      assertThat(registry.get("reactant.turns").tag("type", "Greeter").tag("outcome", "committed")
          .timer().count()).isEqualTo(1); // the same timer, counting
    });
  }

  @Test
  @DisplayName("management.metrics.enable.reactant=false turns every reactant.* meter off, the"
      + " turn timers registered at startup and the gauges included, and the actors still run;"
      + " .reactant.rejects=false that one alone")
  void theApplicationsMeterFiltersReachTheReactantMeters() {
    runner.withPropertyValues("management.metrics.enable.reactant=false").run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
      assertThat(greeter.greet("x").block()).isEqualTo("Hi, x");
      assertThatThrownBy(() -> greeter.divide(1, 0).block(java.time.Duration.ofSeconds(30)));
      assertThat(registry.getMeters()).extracting(m -> m.getId().getName())
          .noneMatch(name -> name.startsWith("reactant."));
    });
    runner.withPropertyValues("management.metrics.enable.reactant.rejects=false").run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
      assertThat(greeter.greet("x").block()).isEqualTo("Hi, x");
      assertThatThrownBy(() -> greeter.divide(1, 0).block(java.time.Duration.ofSeconds(30)));
      assertThat(registry.get("reactant.turns").tag("type", "Greeter").tag("outcome", "trapped")
          .timer().count()).isEqualTo(1);
      assertThat(registry.find("reactant.rejects").meters()).isEmpty();
    });
  }

  public interface Tally {
    Mono<Long> add(long n);
  }

  @ActorBean(name = "Score")
  public static final class TallyActor extends Actor implements Tally {
    private final LongVar total = newLongVar("total", 0);

    @Override
    public Mono<Long> add(long n) {
      return Mono.just(total.update(t -> t + n));
    }
  }

  @Test
  void turnsAreTaggedWithTheDeclaredNameOfTheirType() {
    TurnLatch turns = new TurnLatch(1);
    runner.withUserConfiguration(TallyActor.class).withBean(TurnLatch.class, () -> turns)
        .run(context -> {
          assertThat(context.getBean(ActorDirectory.class).singleton(Tally.class).add(2).block())
              .isEqualTo(2L);
          turns.await();
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get("reactant.turns").tag("type", "Score")
              .tag("outcome", "committed").timer().count()).isEqualTo(1);
          assertThat(registry.find("reactant.turns").tag("type", "Tally").timer()).isNull();
        });
  }

  /** A listener that lets a test wait until the watchdog reported a long turn. */
  private static final class LongTurnLatch implements TurnListener {
    final CountDownLatch latch = new CountDownLatch(1);

    @Override
    public void turnRunningLong(ActorId actor, Class<?> type, String method,
        java.time.Duration running, Thread thread) {
      latch.countDown();
    }
  }

  @Test
  void aTurnHoldingItsThreadPastTheLongTurnWarningIsCounted() {
    LongTurnLatch reported = new LongTurnLatch();
    runner.withPropertyValues("reactant.long-turn-warning=50ms")
        .withBean(LongTurnLatch.class, () -> reported).run(context -> {
          Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
          Gate gate = context.getBean(Gate.class);
          try {
            greeter.hold();
            gate.awaitEntered();
            assertThat(reported.latch.await(60, TimeUnit.SECONDS)).as("long turn reported").isTrue();
            // both listeners hear it, one after the other on the watchdog's thread, in an order
            // the test does not choose: the metrics may come a moment after the latch
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
              io.micrometer.core.instrument.Counter counted =
                  registry.find("reactant.turns.long").counter();
              if (counted != null && counted.count() > 0) {
                break; // registered, then incremented
              }
              Thread.onSpinWait();
            }
            assertThat(registry.get("reactant.turns.long").tag("type", "Greeter")
                .tag("method", "hold").counter().count()).isEqualTo(1);
          } finally {
            gate.open();
          }
        });
  }

  @Test
  void aNegativeLongTurnWarningIsRefused() {
    runner.withPropertyValues("reactant.long-turn-warning=-1s")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("reactant.long-turn-warning must not be negative"));
  }

  @Test
  void aLongTurnWarningOfCenturiesStartsTheSystemAndNeverWarns() {
    // past Long.MAX_VALUE nanoseconds (292 years): as good as off, not an overflow at startup
    runner.withPropertyValues("reactant.long-turn-warning=300000d").run(context -> {
      assertThat(context).hasNotFailed();
      Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
      assertThat(greeter.greet("Ada").block()).isEqualTo("Hi, Ada");
    });
  }

  @Test
  @DisplayName("R2 R12a under contention (8 threads calling one actor whose mailbox fills up) the"
      + " turns and the code-2 rejects counted are exactly the calls that ran and were refused")
  void countsAreExactUnderContention() throws Exception {
    runner.withPropertyValues("reactant.mailbox-capacity=64").run(context -> {
      Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
      Gate gate = context.getBean(Gate.class);
      Mono<Void> held = greeter.hold();
      gate.awaitEntered();
      int threads = 8;
      int callsEach = 100;
      java.util.List<Mono<String>> calls = java.util.Collections.synchronizedList(
          new java.util.ArrayList<>());
      CountDownLatch start = new CountDownLatch(1);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors
          .newFixedThreadPool(threads);
      try {
        java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          sent.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < callsEach; i++) {
              calls.add(greeter.greet("x"));
            }
            return null;
          }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> f : sent) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      gate.open();
      held.block(java.time.Duration.ofSeconds(60));
      long ran = 0;
      long refused = 0;
      for (Mono<String> call : calls) {
        try {
          call.block(java.time.Duration.ofSeconds(60));
          ran++;
        } catch (io.reactant.error.CallError e) {
          assertThat(e.code()).isEqualTo(io.reactant.error.RejectCode.SYS_TRANSIENT);
          refused++;
        }
      }
      assertThat(ran + refused).isEqualTo((long) threads * callsEach);
      assertThat(ran).as("the mailbox took at most its capacity while held").isLessThan(
          (long) threads * callsEach);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("reactant.turns").tag("type", "Greeter").tag("outcome", "committed")
          .timer().count()).isEqualTo(ran + 1); // and the hold
      assertThat(registry.get("reactant.rejects").tag("method", "greet").tag("code", "2")
          .counter().count()).isEqualTo((double) refused);
      assertThat(registry.find("reactant.rejects").tag("method", "hold").counter()).isNull();
    });
  }

  @Test
  void liveActorsAndMailboxDepthAreGauged() {
    runner.run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      Greeter greeter = directory.singleton(Greeter.class);
      Gate gate = context.getBean(Gate.class);
      directory.get(Counter.class, "one").bump().block(); // a virtual actor: its first call creates it
      greeter.hold();
      gate.awaitEntered();
      greeter.greet("a");
      greeter.greet("b");
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("reactant.actors").tag("system", "reactant").gauge().value()).isEqualTo(2);
      assertThat(registry.get("reactant.mailbox.depth").gauge().value()).isEqualTo(2);
      assertThat(registry.get("reactant.mailbox.depth.max").gauge().value()).isEqualTo(2);
      gate.open();
    });
  }

  @Test
  void poolWakeUpsAreCountedPerSystem() {
    runner.run(context -> {
      ActorSystem system = context.getBean(ActorSystem.class);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("reactant.pool.wakes").tag("system", "reactant").functionCounter().count())
          .isEqualTo((double) system.poolWakeUps());
    });
  }

  @Test
  @DisplayName("an ActorSystem bean of the application's without a listener is warned of at startup:"
      + " the TurnListener beans (the metrics' reactant.turns and reactant.rejects) miss its turns")
  void applicationActorSystemWithoutTheListenersIsWarnedOf(CapturedOutput output) {
    runner.withBean("mySystem", ActorSystem.class, () -> ActorSystem.create(
        ActorSystemConfig.builder().name("mine").build())).run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(MicrometerTurnListener.class);
          assertThat(output).contains("The ActorSystem bean 'mySystem' is the application's own"
              + " and tells no TurnListener").contains("[reactantTurnMetrics]")
              .contains("ActorSystemConfig.Builder.listener");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class MeteredActorSystemConfiguration {
    @Bean
    ActorSystem meteredSystem(MicrometerTurnListener metrics) {
      return ActorSystem.create(ActorSystemConfig.builder().name("metered").listener(metrics)
          .build());
    }
  }

  @Test
  @DisplayName("an ActorSystem bean of the application's that tells the metrics' TurnListener bean"
      + " records reactant.turns, and is not warned of")
  void applicationActorSystemGivenTheMetricsListenerRecordsTurns(CapturedOutput output) {
    runner.withUserConfiguration(MeteredActorSystemConfiguration.class).run(context -> {
      Counter counter = context.getBean(ActorDirectory.class).get(Counter.class, "metered");
      counter.bump().block(); // a turn is counted before its reply is released
      assertThat(context.getBean(MeterRegistry.class).get("reactant.turns").tag("type", "Counter")
          .tag("outcome", "committed").timer().count()).isEqualTo(1);
      assertThat(output).doesNotContain("tells no TurnListener");
    });
  }

  @Test
  void metricsBackOffFromUserDefinedBeans() {
    runner.withBean(MicrometerTurnListener.class, () -> new MicrometerTurnListener(new SimpleMeterRegistry()))
        .run(context -> assertThat(context).hasSingleBean(MicrometerTurnListener.class)
            .hasSingleBean(ActorSystemMetrics.class));
  }

  @Test
  void metricsAreNotConfiguredWithoutAMeterRegistry() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantMetricsAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(MicrometerTurnListener.class)
            .doesNotHaveBean(ActorSystemMetrics.class));
  }

  @Test
  void metricsAreNotConfiguredWithoutMicrometer() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantMetricsAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(MicrometerTurnListener.class));
  }
}

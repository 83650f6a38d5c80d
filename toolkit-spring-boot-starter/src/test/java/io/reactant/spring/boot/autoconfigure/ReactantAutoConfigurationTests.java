package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.ActorId;
import io.reactant.actor.ActorRefs;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.TurnListener;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.ActorSystemCustomizer;
import io.reactant.spring.boot.ActorSystemLifecycle;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.TestActors.Gate;
import io.reactant.spring.boot.TestActors.GreeterConfiguration;
import io.reactant.spring.boot.TestActors.Greeter;
import io.reactant.spring.boot.TestActors.GreeterActor;
import io.reactant.spring.boot.TestActors.Greetings;
import io.reactant.spring.boot.TestActors.Note;
import io.reactant.spring.boot.TestActors.NoteActor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.GenericBeanDefinition;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

class ReactantAutoConfigurationTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class));

  @Test
  void actorSystemIsConfiguredWithDefaults() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(ActorSystem.class).hasSingleBean(ActorDirectory.class)
          .hasSingleBean(ActorSystemLifecycle.class);
      ActorSystemConfig config = context.getBean(ActorSystem.class).config();
      assertThat(config.name()).isEqualTo("reactant");
      assertThat(config.parallelism()).isEqualTo(ActorSystemConfig.defaults().parallelism());
      assertThat(config.turnsPerScheduling()).isEqualTo(ActorSystemConfig.defaults().turnsPerScheduling());
    });
  }

  @Test
  void userDefinedActorSystemBacksOff() {
    runner.withUserConfiguration(UserActorSystemConfiguration.class).run(context -> {
      assertThat(context).hasSingleBean(ActorSystem.class);
      assertThat(context.getBean(ActorSystem.class).config().name()).isEqualTo("mine");
    });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("an ActorSystem bean of the application's is warned of at startup with each system"
      + " property that was set and that the system does not have, and with its value")
  void systemPropertiesAnApplicationSystemDoesNotHaveAreWarnedOf(CapturedOutput output) {
    runner.withUserConfiguration(UserActorSystemConfiguration.class)
        .withPropertyValues("reactant.parallelism=3", "reactant.mailbox-capacity=16",
            "reactant.default-call-timeout=250ms", "reactant.http.max-id-length=64")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(output).contains("The ActorSystem bean 'mySystem' is the application's own:"
              + " the reactant.* properties [reactant.parallelism=3, reactant.mailbox-capacity=16,"
              + " reactant.default-call-timeout=250ms] do not configure it")
              // unset ones (the system's name "mine", its grace period) are no user's intent
              .doesNotContain("reactant.name").doesNotContain("reactant.shutdown-grace-period")
              .doesNotContain("reactant.http.max-id-length");
        });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("a system property given an empty value (bound as none, the default kept) is not"
      + " named in the warning of an application's own system")
  void aPropertyGivenAnEmptyValueIsNotWarnedOf(CapturedOutput output) {
    runner.withUserConfiguration(UserActorSystemConfiguration.class)
        .withPropertyValues("reactant.parallelism=", "reactant.mailbox-capacity=16")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(output).contains("the reactant.* properties [reactant.mailbox-capacity=16]"
              + " do not configure it").doesNotContain("reactant.parallelism");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class SystemFromThePropertiesConfiguration {
    @Bean
    ActorSystem propertiesSystem(ReactantProperties properties) {
      return ActorSystem.create(ActorSystemConfig.builder().name(properties.getName())
          .parallelism(properties.getParallelism())
          .shutdownGracePeriod(properties.getShutdownGracePeriod()).build());
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("an ActorSystem bean of the application's that has the values of the system"
      + " properties set (it read them itself) is not warned of")
  void anApplicationSystemThatHasThePropertiesSetIsNotWarnedOf(CapturedOutput output) {
    runner.withUserConfiguration(SystemFromThePropertiesConfiguration.class)
        .withPropertyValues("reactant.name=bank", "reactant.parallelism=3",
            "reactant.shutdown-grace-period=5s")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ActorSystem.class).config().name()).isEqualTo("bank");
          assertThat(output).doesNotContain("do not configure it");
        });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("the auto-configured system whose customizer overrides a system property is not"
      + " warned of: the customizer is the application's explicit choice")
  void aCustomizerOverridingAPropertyIsNotWarnedOf(CapturedOutput output) {
    runner.withPropertyValues("reactant.parallelism=3")
        .withBean(ActorSystemCustomizer.class, () -> builder -> builder.parallelism(2))
        .run(context -> {
          assertThat(context.getBean(ActorSystem.class).config().parallelism()).isEqualTo(2);
          assertThat(output).doesNotContain("do not configure it");
        });
  }

  @Test
  void userDefinedActorDirectoryBacksOff() {
    runner.withUserConfiguration(UserActorDirectoryConfiguration.class).run(context ->
        assertThat(context).getBean(ActorDirectory.class)
            .isSameAs(context.getBean(UserActorDirectoryConfiguration.class).directory));
  }

  @Test
  void nameCanBeConfigured() {
    runner.withPropertyValues("reactant.name=bank").run(context ->
        assertThat(context.getBean(ActorSystem.class).config().name()).isEqualTo("bank"));
  }

  @Test
  void parallelismCanBeConfigured() {
    runner.withPropertyValues("reactant.parallelism=3").run(context ->
        assertThat(context.getBean(ActorSystem.class).config().parallelism()).isEqualTo(3));
  }

  @Test
  void turnsPerSchedulingCanBeConfigured() {
    runner.withPropertyValues("reactant.turns-per-scheduling=7").run(context ->
        assertThat(context.getBean(ActorSystem.class).config().turnsPerScheduling()).isEqualTo(7));
  }

  @Test
  void shutdownGracePeriodCanBeConfigured() {
    runner.withPropertyValues("reactant.shutdown-grace-period=2s").run(context ->
        assertThat(context.getBean(ReactantProperties.class).getShutdownGracePeriod())
            .isEqualTo(Duration.ofSeconds(2)));
  }

  @Test
  void mailboxCapacityCallTimeoutAndGracePeriodConfigureTheActorSystem() {
    runner.withPropertyValues("reactant.mailbox-capacity=16", "reactant.default-call-timeout=250ms",
        "reactant.shutdown-grace-period=3s").run(context -> {
          ActorSystemConfig config = context.getBean(ActorSystem.class).config();
          assertThat(config.mailboxCapacity()).isEqualTo(16);
          assertThat(config.defaultCallTimeout()).contains(Duration.ofMillis(250));
          assertThat(config.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(3));
        });
  }

  @Test
  void mailboxesAreUnboundedAndCallsUnboundedByDefault() {
    runner.run(context -> {
      ActorSystemConfig config = context.getBean(ActorSystem.class).config();
      assertThat(config.mailboxCapacity()).isZero();
      assertThat(config.defaultCallTimeout()).isEmpty();
    });
  }

  @Test
  void invalidPropertyFailsTheStartupNamingTheProperty() {
    runner.withPropertyValues("reactant.mailbox-capacity=0").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("reactant.mailbox-capacity must be at least 1"));
  }

  @Test
  void invalidParallelismFailsTheStartupNamingTheProperty() {
    runner.withPropertyValues("reactant.parallelism=0").run(context -> {
      assertThat(context).getFailure().rootCause()
          .hasMessageContaining("reactant.parallelism must be at least 1");
      // a binding failure, which Spring Boot's failure analysis reports with the property's name
      assertThat(context).getFailure()
          .hasRootCauseInstanceOf(IllegalArgumentException.class)
          .hasStackTraceContaining("BindException");
    });
    // past what a ForkJoinPool holds: refused as the property, not by the pool without a word
    runner.withPropertyValues("reactant.parallelism=40000").run(context -> {
      assertThat(context).getFailure().rootCause()
          .hasMessage("reactant.parallelism must be at most 32767, was 40000");
      assertThat(context).getFailure().hasStackTraceContaining("BindException");
    });
    runner.withPropertyValues("reactant.turns-per-scheduling=0").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("reactant.turns-per-scheduling must be at least 1"));
    runner.withPropertyValues("reactant.max-actors=0").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("reactant.max-actors must be at least 1"));
  }

  @Test
  @DisplayName("a duration property given as a number without a unit (shutdown-grace-period=30,"
      + " which Spring Boot reads as 30 ms) fails the startup naming the property and the units to"
      + " write; 0, and a number with a unit or in ISO-8601, are taken")
  void aDurationWithoutAUnitFailsTheStartupNamingTheProperty() {
    for (String name : new String[] {"reactant.default-call-timeout",
        "reactant.shutdown-grace-period", "reactant.long-turn-warning"}) {
      for (String value : new String[] {"30", "2000", "+7"}) {
        runner.withPropertyValues(name + "=" + value).run(context -> {
          assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
              .as(name + "=" + value)
              .isInstanceOf(InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("Property " + name + " with value '" + value + "' is invalid:"
                  + " a duration needs a unit (" + value + "s, " + value + "ms, " + value + "m...);"
                  + " without one Spring Boot reads milliseconds");
        });
      }
      for (String value : new String[] {"30s", "250ms", "1m", "PT2S"}) {
        runner.withPropertyValues(name + "=" + value).run(context ->
            assertThat(context).as(name + "=" + value).hasNotFailed());
      }
    }
    runner.withPropertyValues("reactant.shutdown-grace-period=0", "reactant.long-turn-warning=0")
        .run(context -> {
          ActorSystemConfig config = context.getBean(ActorSystem.class).config();
          assertThat(config.shutdownGracePeriod()).isZero();
          assertThat(config.longTurnWarning()).isZero();
        });
    // the relaxed names and environment variables are read alike
    runner.withPropertyValues("reactant.shutdownGracePeriod=30").run(context ->
        assertThat(context).getFailure()
            .hasMessageContaining("Property reactant.shutdown-grace-period with value '30'"));
  }

  @Test
  @DisplayName("a reactant.* property that names no setting (a typo: reactant.paralelism) fails the"
      + " startup naming it, instead of leaving the default in place without a word; system"
      + " properties and environment variables, which other tools share, are not checked")
  void aReactantPropertyThatNamesNoSettingFailsTheStartup() {
    for (String typo : new String[] {"reactant.paralelism=4", "reactant.http.base-pth=/x",
        "reactant.http.error-bodies.enable=true", "reactant.shutdown-grace=5s",
        "reactant.http.strict-input=true"}) {
      String name = typo.substring(0, typo.indexOf('='));
      runner.withPropertyValues(typo).run(context -> {
        assertThat(context).as(typo).hasFailed();
        // reactant.http.strict-input=true fails as a value given to a group (GroupValues)
        assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
            .as(typo).isInstanceOfAny(UnboundConfigurationPropertiesException.class,
                InvalidConfigurationPropertyValueException.class);
        assertThat(context.getStartupFailure()).as(typo).hasStackTraceContaining(name);
      });
    }
    runner.withSystemProperties("reactant.random-input.seed=7").run(context ->
        assertThat(context).hasNotFailed());
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("a misspelt reactant.* property and a duration without a unit are reported by Spring"
      + " Boot's failure analysis with the property, its value and what to do")
  void misspeltAndUnitlessPropertiesAreExplainedByTheFailureAnalysis(CapturedOutput output) {
    for (String property : new String[] {"reactant.paralelism=4",
        "reactant.shutdown-grace-period=30"}) {
      SpringApplication application = new SpringApplication(PlainApplication.class);
      application.setWebApplicationType(WebApplicationType.NONE);
      application.setDefaultProperties(java.util.Map.of("spring.main.banner-mode", "off"));
      assertThatThrownBy(() -> application.run("--" + property).close())
          .isInstanceOf(RuntimeException.class);
    }
    assertThat(output.getErr() + output.getOut())
        .contains("APPLICATION FAILED TO START")
        .contains("Property: reactant.paralelism")
        .contains("The elements [reactant.paralelism] were left unbound.")
        .contains("Invalid value '30' for configuration property 'reactant.shutdown-grace-period'")
        .contains("a duration needs a unit (30s, 30ms, 30m...)");
  }

  @Configuration(proxyBeanMethods = false)
  @org.springframework.boot.autoconfigure.ImportAutoConfiguration(ReactantAutoConfiguration.class)
  static class PlainApplication {
  }

  @Test
  void blankNameFailsTheStartupNamingTheProperty() {
    runner.withPropertyValues("reactant.name= ").run(context -> {
      assertThat(context).getFailure().rootCause()
          .hasMessageContaining("reactant.name must not be blank");
      // a binding failure, which Spring Boot's failure analysis reports with the property's name
      assertThat(context).getFailure().hasStackTraceContaining("BindException");
    });
  }

  @Test
  void maxActorsConfiguresTheActorSystem() {
    runner.withPropertyValues("reactant.max-actors=1000").run(context ->
        assertThat(context.getBean(ActorSystem.class).config().maxActors()).isEqualTo(1000));
    runner.run(context ->
        assertThat(context.getBean(ActorSystem.class).config().maxActors()).isZero());
  }

  @Test
  void customizersAreAppliedAfterTheProperties() {
    runner.withPropertyValues("reactant.name=from-properties")
        .withBean(ActorSystemCustomizer.class, () -> builder -> builder.name("customized"))
        .run(context ->
            assertThat(context.getBean(ActorSystem.class).config().name()).isEqualTo("customized"));
  }

  @Test
  @DisplayName("a listener an ActorSystemCustomizer sets is told besides the TurnListener beans"
      + " (the metrics'), never instead of them")
  void aCustomizersListenerIsToldBesidesTheTurnListenerBeans() {
    AtomicInteger beanTurns = new AtomicInteger();
    AtomicInteger customizerTurns = new AtomicInteger();
    runner.withUserConfiguration(CounterActor.class)
        .withBean(TurnListener.class, () -> new TurnListener() {
          @Override
          public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long nanos) {
            beanTurns.incrementAndGet();
          }
        })
        .withBean(ActorSystemCustomizer.class, () -> builder -> builder.listener(
            new TurnListener() {
              @Override
              public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long nanos) {
                customizerTurns.incrementAndGet();
              }
            }))
        .run(context -> {
          Counter counter = context.getBean(ActorDirectory.class).get(Counter.class, "c");
          counter.bump().block(); // a turn is counted before its reply is released
          assertThat(customizerTurns).hasValue(1);
          assertThat(beanTurns).as("the bean's listener").hasValue(1);
        });
  }

  /** Counts the turns and failed calls it is told of. */
  static final class CountingListener implements TurnListener {
    final AtomicInteger turns = new AtomicInteger();
    final AtomicInteger rejects = new AtomicInteger();

    @Override
    public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long nanos) {
      turns.incrementAndGet();
    }

    @Override
    public void callRejected(ActorId actor, String method, RejectCode code) {
      rejects.incrementAndGet();
    }
  }

  @Test
  @DisplayName("a TurnListener bean that an ActorSystemCustomizer also sets as the system's listener"
      + " is told of each turn and failed call once, and the other beans still are")
  void aTurnListenerBeanACustomizerSetsIsToldOnce() {
    CountingListener first = new CountingListener();
    CountingListener second = new CountingListener();
    runner.withUserConfiguration(CounterActor.class)
        .withBean("first", TurnListener.class, () -> first)
        .withBean("second", TurnListener.class, () -> second)
        .withBean(ActorSystemCustomizer.class, () -> builder -> builder.listener(first))
        .run(context -> {
          ActorSystem system = context.getBean(ActorSystem.class);
          Counter counter = context.getBean(ActorDirectory.class).get(Counter.class, "c");
          counter.bump().block(); // a turn is counted before its reply is released
          system.shutdown(Duration.ofSeconds(10)).block();
          assertThatThrownBy(() -> counter.bump().block()).isInstanceOf(CallError.class);
          assertThat(first.turns).as("the bean the customizer set").hasValue(1);
          assertThat(first.rejects).as("the bean the customizer set").hasValue(1);
          assertThat(second.turns).as("the other bean").hasValue(1);
          assertThat(second.rejects).as("the other bean").hasValue(1);
        });
  }

  @Test
  void theShutdownWaitsForTheGracePeriodACustomizerSets() {
    runner.withPropertyValues("reactant.shutdown-grace-period=3s")
        .withBean(ActorSystemCustomizer.class,
            () -> builder -> builder.shutdownGracePeriod(Duration.ofMinutes(2)))
        .run(context -> {
          assertThat(context.getBean(ActorSystem.class).config().shutdownGracePeriod())
              .isEqualTo(Duration.ofMinutes(2));
          assertThat(context.getBean(ActorSystemLifecycle.class).gracePeriod())
              .isEqualTo(Duration.ofMinutes(2));
        });
  }

  @Test
  void theShutdownWaitsForTheGracePeriodOfAUserDefinedActorSystem() {
    runner.withBean(ActorSystem.class, () -> ActorSystem.create(ActorSystemConfig.builder()
        .shutdownGracePeriod(Duration.ofSeconds(45)).build()))
        .run(context -> assertThat(context.getBean(ActorSystemLifecycle.class).gracePeriod())
            .isEqualTo(Duration.ofSeconds(45)));
  }

  @Test
  void turnListenerBeansAreToldOfEveryTurn() {
    CountDownLatch turns = new CountDownLatch(2);
    CountDownLatch otherTurns = new CountDownLatch(2);
    runner.withUserConfiguration(CounterActor.class)
        .withBean("first", TurnListener.class, () -> new TurnListener() {
          @Override
          public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long nanos) {
            turns.countDown();
          }
        })
        .withBean("second", TurnListener.class, () -> new TurnListener() {
          @Override
          public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long nanos) {
            otherTurns.countDown();
          }
        })
        .run(context -> {
          Counter counter = context.getBean(ActorDirectory.class).get(Counter.class, "c");
          counter.bump().block();
          counter.bump().block();
          assertThat(turns.await(10, TimeUnit.SECONDS)).isTrue();
          assertThat(otherTurns.await(10, TimeUnit.SECONDS)).isTrue();
        });
  }

  @Test
  @DisplayName("a TurnListener bean that throws keeps neither the others nor the turn from running")
  void aFailingTurnListenerDoesNotSilenceTheOthers() {
    assertListenersAfterAFailingOneAreTold(() -> new IllegalStateException("a broken listener"));
  }

  @Test
  @DisplayName("a TurnListener bean that throws an Error (a NoClassDefFoundError of its library)"
      + " keeps the listeners after it told, as one that throws an exception does: the runtime"
      + " ignores what a listener throws, an Error too, so the composite must not let it skip the"
      + " others")
  void aTurnListenerThrowingAnErrorDoesNotSilenceTheOthers() {
    assertListenersAfterAFailingOneAreTold(() -> new NoClassDefFoundError("io/metrics/Missing"));
  }

  /**
   * Two turns and a failed call with a listener that throws what {@code failure} makes, then one
   * that counts: the turns run and the counting one hears of both turns and of the failed call.
   */
  private void assertListenersAfterAFailingOneAreTold(
      java.util.function.Supplier<? extends Throwable> failure) {
    AtomicInteger turns = new AtomicInteger();
    AtomicInteger rejects = new AtomicInteger();
    runner.withUserConfiguration(CounterActor.class)
        .withBean("failing", TurnListener.class, () -> new TurnListener() {
          @Override
          public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long nanos) {
            throwUnchecked(failure.get());
          }

          @Override
          public void callRejected(ActorId actor, String method, RejectCode code) {
            throwUnchecked(failure.get());
          }
        })
        .withBean("counting", TurnListener.class, () -> new TurnListener() {
          @Override
          public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long nanos) {
            turns.incrementAndGet();
          }

          @Override
          public void callRejected(ActorId actor, String method, RejectCode code) {
            rejects.incrementAndGet();
          }
        })
        .run(context -> {
          ActorSystem system = context.getBean(ActorSystem.class);
          Counter counter = context.getBean(ActorDirectory.class).get(Counter.class, "c");
          assertThat(counter.bump().block()).isEqualTo(1L);
          assertThat(counter.bump().block()).isEqualTo(2L);
          // a turn is told to the listeners before its reply is released
          assertThat(turns).as("turns told to the listener after the failing one").hasValue(2);
          system.shutdown(Duration.ofSeconds(10)).block();
          assertThatThrownBy(() -> counter.bump().block()).isInstanceOf(CallError.class);
          assertThat(rejects).as("failed calls told to the listener after the failing one")
              .hasValue(1);
        });
  }

  /** Throws {@code t}: an unchecked exception or an error, as a listener may. */
  private static void throwUnchecked(Throwable t) {
    if (t instanceof RuntimeException e) {
      throw e;
    }
    throw (Error) t;
  }

  /** A TurnListener that fails at every turn and every failed call. */
  static final class BrokenListener implements TurnListener {
    @Override
    public void turnEnded(ActorId actor, Class<?> type, Outcome outcome, long nanos) {
      throw new IllegalStateException("a broken listener");
    }

    @Override
    public void callRejected(ActorId actor, String method, RejectCode code) {
      throw new IllegalStateException("a broken listener");
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("a TurnListener that fails at every turn is warned of once, with its stack trace,"
      + " not at each of its failures (which would flood the log from the hot path), whether it"
      + " is told alone (by the runtime) or with other listeners")
  void aFailingTurnListenerIsWarnedOfOnce(CapturedOutput output) {
    java.util.function.Consumer<ApplicationContextRunner> bumpFiftyTimes = withListeners ->
        withListeners.withUserConfiguration(CounterActor.class).run(context -> {
          Counter counter = context.getBean(ActorDirectory.class).get(Counter.class, "c");
          for (long i = 1; i <= 50; i++) {
            assertThat(counter.bump().block()).isEqualTo(i);
          }
          Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
          for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> greeter.refuse("no").block()).isInstanceOf(CallError.class);
          }
        });
    java.util.function.Supplier<Long> warnings = () -> output.getAll().lines()
        .filter(line -> line.contains("WARN") && line.contains("TurnListener")
            && line.contains("failed")).count();
    java.util.function.Supplier<Long> stacks = () -> output.getAll().lines()
        .filter(line -> line.contains("IllegalStateException: a broken listener")).count();

    bumpFiftyTimes.accept(runner.withUserConfiguration(GreeterActor.class)
        .withBean(Greetings.class, () -> new Greetings("Hi, ")).withBean(Gate.class, Gate::new)
        .withBean("broken", TurnListener.class, BrokenListener::new));
    assertThat(warnings.get()).as("told alone, by the runtime").isEqualTo(1);
    assertThat(stacks.get()).isEqualTo(1);

    bumpFiftyTimes.accept(runner.withUserConfiguration(GreeterActor.class)
        .withBean(Greetings.class, () -> new Greetings("Hi, ")).withBean(Gate.class, Gate::new)
        .withBean("broken", TurnListener.class, BrokenListener::new)
        .withBean("quiet", TurnListener.class, () -> new TurnListener() { }));
    assertThat(warnings.get()).as("told with another listener").isEqualTo(2);
    assertThat(stacks.get()).isEqualTo(2);
  }

  @Test
  void autoConfigurationBacksOffWithoutTheCore() {
    runner.withClassLoader(new FilteredClassLoader(ActorSystem.class)).run(context ->
        assertThat(context).doesNotHaveBean(ActorSystem.class).doesNotHaveBean(ActorDirectory.class));
  }

  @Test
  @DisplayName("closing the context closes the actor system: later calls fail with code 2")
  void closingTheContextClosesTheActorSystem() {
    Counter[] kept = new Counter[1];
    runner.withUserConfiguration(CounterActor.class).run(context -> {
      kept[0] = context.getBean(ActorDirectory.class).get(Counter.class, "c");
      assertThat(kept[0].bump().block()).isEqualTo(1L);
    });
    assertThatThrownBy(() -> kept[0].bump().block()).isInstanceOfSatisfying(CallError.class,
        e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }

  @Test
  void singletonActorIsCreatedAtStartupWithItsDependenciesInjected() {
    runner.withUserConfiguration(GreeterConfiguration.class).run(context -> {
      ActorSystem system = context.getBean(ActorSystem.class);
      assertThat(system.contains(ActorId.of("greeter"))).isTrue();
      Greeter greeter = context.getBean(ActorDirectory.class).singleton(Greeter.class);
      assertThat(greeter.greet("Ada").block()).isEqualTo("Hi, Ada");
    });
  }

  @Test
  void singletonReferenceIsInjectedByItsInterface() {
    runner.withUserConfiguration(GreeterConfiguration.class, GreeterClient.class).run(context -> {
      Greeter injected = context.getBean(GreeterClient.class).greeter;
      assertThat(ActorRefs.isRef(injected)).isTrue();
      assertThat(ActorRefs.idOf(injected)).isEqualTo(ActorId.of("greeter"));
      assertThat(injected.greet("Bob").block()).isEqualTo("Hi, Bob");
    });
  }

  public interface Relay {
    /** Greets {@code name} through the greeter found in the initializer and in this turn. */
    reactor.core.publisher.Mono<String> relay(String name);
  }

  /** A virtual actor that finds the singleton greeter through the directory, as it runs. */
  @io.reactant.spring.boot.ActorBean(
      activation = io.reactant.spring.boot.ActorBean.Activation.VIRTUAL)
  public static final class RelayActor extends io.reactant.actor.Actor implements Relay {
    private final ActorDirectory directory;
    private final Greeter atStart;

    public RelayActor(ActorDirectory directory) {
      this.directory = directory;
      this.atStart = directory.singleton(Greeter.class); // in its initializer
    }

    @Override
    public reactor.core.publisher.Mono<String> relay(String name) {
      Greeter now = directory.singleton(Greeter.class); // in its turn
      return await(atStart.greet(name)).flatMap(first -> await(now.greet(name))
          .map(second -> first + " / " + second));
    }
  }

  @Test
  @DisplayName("R20 ActorDirectory.singleton inside an actor's initializer and turns answers the"
      + " reference of the singleton created at startup: a reading, not a host's spawn that traps")
  void anActorFindsASingletonThroughTheDirectory() {
    runner.withUserConfiguration(GreeterConfiguration.class, RelayActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      Relay relay = context.getBean(ActorDirectory.class).get(Relay.class, "relay");
      assertThat(relay.relay("Ann").block(Duration.ofSeconds(30))).isEqualTo("Hi, Ann / Hi, Ann");
      assertThat(context.getBean(ActorSystem.class).actorIds())
          .containsExactlyInAnyOrder(ActorId.of("greeter"), ActorId.of("relay"));
    });
  }

  public interface Concierge {
    /** Greets {@code name} through the greeter injected into its constructor. */
    reactor.core.publisher.Mono<String> welcome(String name);
  }

  /** A singleton whose constructor is injected with another singleton's reference. */
  @io.reactant.spring.boot.ActorBean
  public static final class ConciergeActor extends io.reactant.actor.Actor implements Concierge {
    private final Greeter greeter;

    public ConciergeActor(Greeter greeter) {
      this.greeter = greeter;
    }

    @Override
    public reactor.core.publisher.Mono<String> welcome(String name) {
      return await(greeter.greet(name));
    }
  }

  @Test
  @DisplayName("R18 R20 a singleton whose constructor takes another singleton's interface starts,"
      + " whichever is created first: the reference is a value, and the startup creates the other"
      + " afterwards (creating it inside the first one's initializer trapped, failing the startup)")
  void aSingletonIsInjectedWithAnotherSingletonCreatedAfterIt() {
    runner.withUserConfiguration(ConciergeActor.class, GreeterConfiguration.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          Concierge concierge = context.getBean(Concierge.class);
          assertThat(concierge.welcome("Ann").block(Duration.ofSeconds(30)))
              .isEqualTo("Hi, Ann");
          assertThat(context.getBean(ActorSystem.class).actorIds())
              .containsExactlyInAnyOrder(ActorId.of("greeter"), ActorId.of("concierge"));
        });
  }

  /** A bean that greets through a singleton as it is built (seed data at startup). */
  public static final class Doorman {
    final String greeted;

    public Doorman(Concierge concierge, Greeter greeter) {
      this.greeted = greeter.greet("Eve").block(Duration.ofSeconds(30));
    }
  }

  @Test
  @DisplayName("R3 R20 a singleton whose reference was taken inside another singleton's"
      + " initializer exists once that one is created, before the startup ends: a bean built"
      + " after it calls it (the call answered code 3, no such actor, which failed the startup)")
  void aSingletonReferredToInAnotherOnesInitializerExistsOnceThatOneIsCreated() {
    runner.withUserConfiguration(ConciergeActor.class, GreeterConfiguration.class, Doorman.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(Doorman.class).greeted).isEqualTo("Hi, Eve");
          assertThat(context.getBean(Concierge.class).welcome("Ann")
              .block(Duration.ofSeconds(30))).isEqualTo("Hi, Ann");
        });
  }

  public interface Welcomer {
    /** Greets {@code name} through the greeter injected into its constructor. */
    reactor.core.publisher.Mono<String> welcome(String name);
  }

  /** An explicit actor whose constructor is injected with a singleton's reference. */
  @io.reactant.spring.boot.ActorBean(
      activation = io.reactant.spring.boot.ActorBean.Activation.EXPLICIT)
  public static final class WelcomerActor extends io.reactant.actor.Actor implements Welcomer {
    private final Greeter greeter;

    public WelcomerActor(Greeter greeter) {
      this.greeter = greeter;
    }

    @Override
    public reactor.core.publisher.Mono<String> welcome(String name) {
      return await(greeter.greet(name));
    }
  }

  /** A bean that spawns an actor and calls it as it is built. */
  public static final class Opener {
    final String welcomed;

    public Opener(ActorDirectory actors) {
      this.welcomed = actors.spawn(Welcomer.class).welcome("Max").block(Duration.ofSeconds(30));
    }
  }

  @Test
  @DisplayName("R3 R20 a singleton whose reference was taken inside the initializer of an actor"
      + " that a bean spawns at startup exists once the spawn returns: the bean calls the actor,"
      + " which calls it (the call answered code 3, no such actor, which failed the startup)")
  void aSingletonReferredToInASpawnedActorsInitializerExistsOnceTheSpawnReturns() {
    runner.withUserConfiguration(WelcomerActor.class, GreeterConfiguration.class, Opener.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(Opener.class).welcomed).isEqualTo("Hi, Max");
        });
  }

  @Test
  @DisplayName("R20 with lazy initialization (spring.main.lazy-initialization) the singletons are"
      + " still created at startup and the virtual types registered, so a call through the system"
      + " alone reaches them (the directory was lazy too, so nothing was, until a bean needed it)")
  void lazyInitializationStillCreatesTheSingletonsAtStartup() {
    runner.withInitializer(context -> context.addBeanFactoryPostProcessor(
            new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
        .withUserConfiguration(GreeterConfiguration.class, CounterActor.class).run(context -> {
          assertThat(context).hasNotFailed();
          ActorSystem system = context.getBean(ActorSystem.class);
          assertThat(system.contains(ActorId.of("greeter"))).isTrue();
          assertThat(system.lookup(Counter.class, ActorId.of("visits")).bump()
              .block(Duration.ofSeconds(30))).isEqualTo(1L);
        });
  }

  /** A virtual actor declared only under a profile, and only with a property. */
  @io.reactant.spring.boot.ActorBean(
      activation = io.reactant.spring.boot.ActorBean.Activation.VIRTUAL)
  @org.springframework.context.annotation.Profile("counting")
  @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty("counting.enabled")
  public static final class ConditionalCounterActor extends io.reactant.actor.Actor
      implements Counter {
    @Override
    public reactor.core.publisher.Mono<Long> bump() {
      return reactor.core.publisher.Mono.just(1L);
    }

    @Override
    public reactor.core.publisher.Mono<Long> read() {
      return reactor.core.publisher.Mono.just(0L);
    }
  }

  @Test
  @DisplayName("R20 an @ActorBean class under a profile or a condition is declared only when they"
      + " hold: otherwise it is no actor type, and the application starts without it")
  void profilesAndConditionsDecideWhetherAnActorIsDeclared() {
    ApplicationContextRunner conditional = runner.withUserConfiguration(
        ConditionalCounterActor.class);
    conditional.withPropertyValues("counting.enabled=true").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ActorDirectory.class).declarations()).isEmpty();
    });
    conditional.withPropertyValues("spring.profiles.active=counting").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ActorDirectory.class).declarations()).isEmpty();
    });
    conditional.withPropertyValues("spring.profiles.active=counting", "counting.enabled=true")
        .run(context -> {
          ActorDirectory directory = context.getBean(ActorDirectory.class);
          assertThat(directory.declarations()).extracting(d -> d.implementation().getName())
              .containsExactly(ConditionalCounterActor.class.getName());
          assertThat(directory.get(Counter.class, "c").bump().block(Duration.ofSeconds(30)))
              .isEqualTo(1L);
        });
  }

  @Test
  @DisplayName("R20 ActorDirectory.spawn refuses a singleton type, whose one instance the startup"
      + " created: it made a second instance under a generated id")
  void spawningASingletonTypeIsRefused() {
    runner.withUserConfiguration(GreeterConfiguration.class).run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      assertThatThrownBy(() -> directory.spawn(Greeter.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is a singleton").hasMessageEndingWith("singleton(type)");
      assertThatThrownBy(() -> directory.spawn(Greeter.class, ActorId.of("another")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(directory.system().actorIds()).containsExactly(ActorId.of("greeter"));
    });
  }

  @Test
  @DisplayName("R1 the implementation bean is never injected: callers get the reference, not the object")
  void implementationIsNotAnAutowireCandidate() {
    runner.withUserConfiguration(GreeterConfiguration.class).run(context -> {
      assertThat(context.getBeanNamesForType(Greeter.class)).hasSize(2);
      Greeter byType = context.getBean(Greeter.class);
      assertThat(ActorRefs.isRef(byType)).isTrue();
    });
  }

  @Test
  void virtualActorIsCreatedOnFirstUseOfItsId() {
    runner.withUserConfiguration(CounterActor.class).run(context -> {
      ActorSystem system = context.getBean(ActorSystem.class);
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      assertThat(system.contains(ActorId.of("visits"))).isFalse();
      assertThat(directory.get(Counter.class, "visits").bump().block()).isEqualTo(1L);
      assertThat(directory.get(Counter.class, "visits").bump().block()).isEqualTo(2L);
      assertThat(directory.get(Counter.class, "other").read().block()).isZero();
    });
  }

  /** Registers the counter's definition after the starter looked for actors in the registry. */
  static class LateRegistrar implements BeanDefinitionRegistryPostProcessor {
    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
      registry.registerBeanDefinition("counterActor", new RootBeanDefinition(CounterActor.class));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CounterFactoryConfiguration {
    @Bean
    CounterActor counterActor() {
      return new CounterActor();
    }
  }

  @Test
  @DisplayName("R1 R20 an @ActorBean defined by class name only (XML, BeanDefinitionBuilder), by a"
      + " @Bean method or by a BeanDefinitionRegistryPostProcessor that runs after the starter's is"
      + " declared too: each id its own instance, never one built outside the actor system")
  void actorBeanDefinedAnyWayIsDeclared() {
    ApplicationContextInitializer<ConfigurableApplicationContext> byClassName = context -> {
      GenericBeanDefinition definition = new GenericBeanDefinition();
      definition.setBeanClassName(CounterActor.class.getName());
      ((BeanDefinitionRegistry) context.getBeanFactory())
          .registerBeanDefinition("counterActor", definition);
    };
    for (ApplicationContextRunner defined : java.util.List.of(runner.withInitializer(byClassName),
        runner.withUserConfiguration(CounterFactoryConfiguration.class),
        runner.withBean(LateRegistrar.class, LateRegistrar::new))) {
      defined.run(context -> {
        assertThat(context).hasNotFailed();
        ActorDirectory directory = context.getBean(ActorDirectory.class);
        assertThat(directory.declarations()).extracting(d -> d.name()).containsExactly("Counter");
        assertThat(directory.get(Counter.class, "a").bump().block()).isEqualTo(1L);
        assertThat(directory.get(Counter.class, "a").bump().block()).isEqualTo(2L);
        assertThat(directory.get(Counter.class, "b").bump().block()).isEqualTo(1L);
      });
    }
  }

  /** A virtual counter whose class can be extended. */
  @io.reactant.spring.boot.ActorBean(
      activation = io.reactant.spring.boot.ActorBean.Activation.VIRTUAL)
  public static class CountingActor extends io.reactant.actor.Actor implements Counter {
    private final io.reactant.state.Var<Long> count = newVar("count", 0L);

    @Override
    public reactor.core.publisher.Mono<Long> bump() {
      return reactor.core.publisher.Mono.just(count.update(c -> c + 1));
    }

    @Override
    public reactor.core.publisher.Mono<Long> read() {
      return reactor.core.publisher.Mono.just(count.get());
    }
  }

  /** A subclass, not annotated itself: an actor as its superclass declares it. */
  public static class LoudCountingActor extends CountingActor {
  }

  /** Factory methods, as an XML definition's factory-method names them. */
  public static class CountingActors {
    public static CountingActor counting() {
      return new CountingActor();
    }

    public CountingActor make() {
      return new LoudCountingActor();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class LoudFactoryConfiguration {
    @Bean
    LoudCountingActor loudCountingActor() {
      return new LoudCountingActor();
    }
  }

  private static ApplicationContextInitializer<ConfigurableApplicationContext> registering(
      java.util.function.Consumer<BeanDefinitionRegistry> definitions) {
    return context -> definitions.accept((BeanDefinitionRegistry) context.getBeanFactory());
  }

  @Test
  @DisplayName("R1 R20 an actor class defined any other way Spring allows is declared too: a"
      + " subclass of an @ActorBean class (by class name, imported, from a @Bean method), an"
      + " XML-style factory method (static, or of a factory bean) and a child definition of an abstract"
      + " one; never a bean built outside the actor system")
  void actorClassDefinedThroughASubclassAFactoryMethodOrAParentIsDeclared() {
    java.util.Map<String, ApplicationContextRunner> ways = new java.util.LinkedHashMap<>();
    ways.put("a subclass by class name", runner.withInitializer(registering(registry -> {
      GenericBeanDefinition definition = new GenericBeanDefinition();
      definition.setBeanClassName(LoudCountingActor.class.getName());
      registry.registerBeanDefinition("loud", definition);
    })));
    ways.put("a subclass imported", runner.withUserConfiguration(LoudCountingActor.class));
    ways.put("a subclass from a @Bean method",
        runner.withUserConfiguration(LoudFactoryConfiguration.class));
    ways.put("a static factory method", runner.withInitializer(registering(registry -> {
      GenericBeanDefinition definition = new GenericBeanDefinition();
      definition.setBeanClassName(CountingActors.class.getName());
      definition.setFactoryMethodName("counting");
      registry.registerBeanDefinition("counting", definition);
    })));
    ways.put("a factory bean's method", runner.withInitializer(registering(registry -> {
      registry.registerBeanDefinition("countingActors",
          new RootBeanDefinition(CountingActors.class));
      GenericBeanDefinition definition = new GenericBeanDefinition();
      definition.setFactoryBeanName("countingActors");
      definition.setFactoryMethodName("make");
      registry.registerBeanDefinition("made", definition);
    })));
    ways.put("a child definition", runner.withInitializer(registering(registry -> {
      GenericBeanDefinition template = new GenericBeanDefinition();
      template.setBeanClassName(CountingActor.class.getName());
      template.setAbstract(true);
      registry.registerBeanDefinition("template", template);
      registry.registerBeanDefinition("child",
          new org.springframework.beans.factory.support.ChildBeanDefinition("template"));
    })));
    ways.forEach((way, defined) -> defined.run(context -> {
      assertThat(context).as(way).hasNotFailed();
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      assertThat(directory.declarations()).as(way)
          .extracting(d -> d.name() + " " + d.activation()).containsExactly("Counter VIRTUAL");
      assertThat(directory.get(Counter.class, "a").bump().block()).as(way).isEqualTo(1L);
      assertThat(directory.get(Counter.class, "a").bump().block()).as(way).isEqualTo(2L);
      assertThat(directory.get(Counter.class, "b").bump().block()).as(way).isEqualTo(1L);
    }));
  }

  @Test
  @DisplayName("a child definition of a concrete actor definition declares its actor type twice:"
      + " the startup fails naming both beans")
  void aChildOfAConcreteActorDefinitionFailsTheStartupNamingBothBeans() {
    runner.withInitializer(registering(registry -> {
      GenericBeanDefinition parent = new GenericBeanDefinition();
      parent.setBeanClassName(CountingActor.class.getName());
      registry.registerBeanDefinition("parent", parent);
      registry.registerBeanDefinition("child",
          new org.springframework.beans.factory.support.ChildBeanDefinition("parent"));
    })).run(context -> assertThat(context).hasFailed().getFailure()
        .isInstanceOf(io.reactant.spring.boot.ActorDeclarationException.class)
        .hasMessageContaining("is declared twice").hasMessageContaining("bean 'parent'")
        .hasMessageContaining("bean 'child'"));
  }

  @Test
  @DisplayName("R20 a child definition's class is read from its class file and loaded only if it is"
      + " an actor's, as a class named by its name is: the registrar asked the bean factory for"
      + " the type of every child definition, which loaded its class before any load-time weaver")
  void childDefinitionOfAClassThatIsNoActorIsNotLoaded() {
    java.util.Set<String> loaded = java.util.concurrent.ConcurrentHashMap.newKeySet();
    ClassLoader recording = new ClassLoader(getClass().getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        loaded.add(name);
        return super.loadClass(name, resolve);
      }
    };
    org.springframework.beans.factory.support.DefaultListableBeanFactory factory =
        new org.springframework.beans.factory.support.DefaultListableBeanFactory();
    factory.setBeanClassLoader(recording);
    String[][] families = {{"plainTemplate", "plain", Greetings.class.getName()},
        {"actorTemplate", "counting", CountingActor.class.getName()}};
    for (String[] family : families) {
      GenericBeanDefinition template = new GenericBeanDefinition();
      template.setBeanClassName(family[2]);
      template.setAbstract(true);
      factory.registerBeanDefinition(family[0], template);
      factory.registerBeanDefinition(family[1],
          new org.springframework.beans.factory.support.ChildBeanDefinition(family[0]));
    }
    io.reactant.spring.boot.ActorBeanRegistrar registrar =
        new io.reactant.spring.boot.ActorBeanRegistrar();
    registrar.setBeanClassLoader(recording);
    registrar.postProcessBeanDefinitionRegistry(factory);
    registrar.postProcessBeanFactory(factory);

    assertThat(registrar.declarations()).extracting(d -> d.beanName() + " " + d.name())
        .containsExactly("counting Counter");
    assertThat(loaded).doesNotContain(Greetings.class.getName())
        .contains(CountingActor.class.getName());
  }

  /** A composed annotation: {@code @ActorBean} as a meta-annotation, with its attributes. */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
  @io.reactant.spring.boot.ActorBean(name = "Tally",
      activation = io.reactant.spring.boot.ActorBean.Activation.VIRTUAL)
  @interface VirtualActor {
  }

  public interface Tally {
    reactor.core.publisher.Mono<Long> add();
  }

  @VirtualActor
  public static final class TallyActor extends io.reactant.actor.Actor implements Tally {
    private final io.reactant.state.Var<Long> added = newVar("added", 0L);

    @Override
    public reactor.core.publisher.Mono<Long> add() {
      return reactor.core.publisher.Mono.just(added.update(n -> n + 1));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TallyFactoryConfiguration {
    @Bean
    TallyActor tallyActor() {
      return new TallyActor();
    }
  }

  @Test
  @DisplayName("R1 R20 a class annotated with a composed annotation that carries @ActorBean is an"
      + " actor however its bean is defined: scanned or imported, registerBean, by class name or"
      + " by a @Bean method; never a plain prototype bean the actor system does not know")
  void actorBeanAsAMetaAnnotationIsDeclaredHoweverTheBeanIsDefined() {
    ApplicationContextInitializer<ConfigurableApplicationContext> byClassName = context -> {
      GenericBeanDefinition definition = new GenericBeanDefinition();
      definition.setBeanClassName(TallyActor.class.getName());
      ((BeanDefinitionRegistry) context.getBeanFactory())
          .registerBeanDefinition("tallyActor", definition);
    };
    java.util.Map<String, ApplicationContextRunner> ways = new java.util.LinkedHashMap<>();
    ways.put("imported", runner.withUserConfiguration(TallyActor.class));
    ways.put("registerBean", runner.withBean(TallyActor.class));
    ways.put("by class name", runner.withInitializer(byClassName));
    ways.put("by a @Bean method", runner.withUserConfiguration(TallyFactoryConfiguration.class));
    ways.forEach((way, defined) -> defined.run(context -> {
      assertThat(context).as(way).hasNotFailed();
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      assertThat(directory.declarations()).as(way)
          .extracting(d -> d.name() + " " + d.activation()).containsExactly("Tally VIRTUAL");
      assertThat(directory.get(Tally.class, "a").add().block()).as(way).isEqualTo(1L);
      assertThat(directory.get(Tally.class, "a").add().block()).as(way).isEqualTo(2L);
      assertThat(directory.get(Tally.class, "b").add().block()).as(way).isEqualTo(1L);
    }));
  }

  @Test
  void explicitActorIsSpawnedWithConstructorArguments() {
    runner.withUserConfiguration(NoteActor.class).run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      Note note = directory.spawn(Note.class, "remember the milk");
      assertThat(note.text().block()).isEqualTo("remember the milk");
      Note unknown = directory.get(Note.class, "never-spawned");
      assertThatThrownBy(() -> unknown.text().block()).isInstanceOfSatisfying(CallError.class,
          e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID));
    });
  }

  @Test
  @DisplayName("R20 spawning with arguments no constructor takes is refused, naming the"
      + " constructors, before anything is created")
  void explicitActorSpawnedWithArgumentsNoConstructorTakesIsRefused() {
    runner.withUserConfiguration(NoteActor.class).run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      int actors = directory.system().actorCount();

      assertThatThrownBy(() -> directory.spawn(Note.class, 42))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("No constructor of " + NoteActor.class.getName() + " takes (Integer): its"
              + " constructors take (String)");
      assertThatThrownBy(() -> directory.spawn(Note.class, ActorId.of("n"), "a", "b"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("No constructor of " + NoteActor.class.getName() + " takes (String,"
              + " String): its constructors take (String)");

      assertThat(directory.system().actorCount()).isEqualTo(actors);
      directory.spawn(Note.class, (Object) null);   // a null fits any reference parameter
      assertThat(directory.system().actorCount()).isEqualTo(actors + 1);
    });
    // a @Bean method gets the arguments instead of the constructor
    runner.withUserConfiguration(NoteFactoryConfiguration.class).run(context ->
        assertThat(context.getBean(ActorDirectory.class).spawn(Note.class, 42).text().block())
            .isEqualTo("note 42"));
  }

  @Test
  @DisplayName("R20 when a constructor is @Autowired, Spring passes spawn's arguments to it alone:"
      + " arguments only another constructor takes are refused, naming it, before anything is"
      + " created (the check looked at every constructor, so the spawn trapped with code 5)")
  void spawnArgumentsOnlyAConstructorBesidesTheAutowiredOneTakesAreRefused() {
    runner.withUserConfiguration(AutowiredNoteActor.class).run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      int actors = directory.system().actorCount();

      assertThatThrownBy(() -> directory.spawn(Note.class, "hi"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("No constructor of " + AutowiredNoteActor.class.getName() + " that Spring"
              + " passes arguments to takes (String): those take (Environment); an @Autowired"
              + " constructor excludes the others");
      assertThat(directory.system().actorCount()).isEqualTo(actors);

      // the @Autowired constructor takes arguments of its own types, and none
      Note given = directory.spawn(Note.class, context.getEnvironment());
      assertThat(given.text().block(Duration.ofSeconds(30))).isEqualTo("autowired");
      assertThat(directory.spawn(Note.class).text().block(Duration.ofSeconds(30)))
          .isEqualTo("autowired");
    });
  }

  @Test
  @DisplayName("R20 spawn's arguments are checked as Spring's getBean(name, args) passes them: a"
      + " null for a primitive parameter is its default value and an Integer widens to a long (the"
      + " check refused both, which Spring takes), but not under strict constructor resolution")
  void spawnArgumentsAreCheckedAsSpringPassesThemToAConstructor() {
    runner.withUserConfiguration(WeightedNoteActor.class).run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      assertThat(directory.spawn(Note.class, (Object) null).text().block(Duration.ofSeconds(30)))
          .isEqualTo("0 g");
      assertThat(directory.spawn(Note.class, 12).text().block(Duration.ofSeconds(30)))
          .isEqualTo("12 g");
      int actors = directory.system().actorCount();
      assertThatThrownBy(() -> directory.spawn(Note.class, "12"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("No constructor of " + WeightedNoteActor.class.getName() + " takes (String):"
              + " its constructors take (long)");
      assertThatThrownBy(() -> directory.spawn(Note.class, 1.5))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(directory.system().actorCount()).isEqualTo(actors);
    });
    runner.withInitializer(registering(registry -> {
      RootBeanDefinition strict = new RootBeanDefinition(WeightedNoteActor.class);
      strict.setLenientConstructorResolution(false);
      registry.registerBeanDefinition("strictNote", strict);
    })).run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      assertThatThrownBy(() -> directory.spawn(Note.class, (Object) null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("No constructor of " + WeightedNoteActor.class.getName()
              + " takes (null)");
      assertThatThrownBy(() -> directory.spawn(Note.class, 12))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(directory.spawn(Note.class, 12L).text().block(Duration.ofSeconds(30)))
          .isEqualTo("12 g");
    });
  }

  /** An explicit actor whose constructor takes a primitive. */
  @io.reactant.spring.boot.ActorBean(
      activation = io.reactant.spring.boot.ActorBean.Activation.EXPLICIT)
  public static class WeightedNoteActor extends io.reactant.actor.Actor implements Note {
    private final io.reactant.state.Var<String> text;

    public WeightedNoteActor(long grams) {
      this.text = newVar("text", grams + " g");
    }

    @Override
    public reactor.core.publisher.Mono<String> text() {
      return reactor.core.publisher.Mono.just(text.get());
    }
  }

  public interface Child {
    reactor.core.publisher.Mono<String> hello(String name);

    /** The id of the actor that created this one (rule R21). */
    reactor.core.publisher.Mono<String> parent();
  }

  /** An explicit actor whose constructor gets a bean injected. */
  @io.reactant.spring.boot.ActorBean(
      activation = io.reactant.spring.boot.ActorBean.Activation.EXPLICIT)
  public static final class ChildActor extends io.reactant.actor.Actor implements Child {
    private final Greetings greetings;

    public ChildActor(Greetings greetings) {
      this.greetings = greetings;
    }

    @Override
    public reactor.core.publisher.Mono<String> hello(String name) {
      return reactor.core.publisher.Mono.just(greetings.greet(name));
    }

    @Override
    public reactor.core.publisher.Mono<String> parent() {
      return reactor.core.publisher.Mono.just(creator().toString());
    }
  }

  public interface Nursery {
    /** Spawns a Spring-wired child in this turn, then asks it to greet {@code name}. */
    reactor.core.publisher.Mono<String> adopt(String name);

    /** Spawns a child and a note, then traps: neither is created (rule R10). */
    reactor.core.publisher.Mono<Void> adoptThenTrap();

    /** Spawns a note built with {@code text}, and reads it. */
    reactor.core.publisher.Mono<String> jot(String text);
  }

  /** A singleton that creates Spring-wired actors in its turns, through the directory's classes. */
  @io.reactant.spring.boot.ActorBean
  public static final class NurseryActor extends io.reactant.actor.Actor implements Nursery {
    private final io.reactant.actor.ActorClass<Child, Void> children;
    private final io.reactant.actor.ActorClass<Note, String> notes;

    public NurseryActor(ActorDirectory actors) {
      this.children = actors.actorClass(Child.class);
      this.notes = actors.actorClass(Note.class, String.class);
    }

    @Override
    public reactor.core.publisher.Mono<String> adopt(String name) {
      return await(spawn(children, null)).flatMap(child -> await(child.hello(name))
          .flatMap(hello -> await(child.parent()).map(parent -> hello + " from " + parent)));
    }

    @Override
    public reactor.core.publisher.Mono<Void> adoptThenTrap() {
      spawn(children, null);
      spawn(notes, "lost");
      return trap("changed my mind");
    }

    @Override
    public reactor.core.publisher.Mono<String> jot(String text) {
      return await(spawn(notes, text)).flatMap(note -> await(note.text()));
    }
  }

  @Test
  @DisplayName("R20 R21 an actor spawns Spring-wired actors in its turns through the directory's"
      + " actor classes: the child has its injected bean, or the spawn's argument, and its creator"
      + " is the actor; a turn that spawned and trapped creates nothing (R10)")
  void anActorSpawnsSpringWiredActorsInItsTurns() {
    runner.withUserConfiguration(GreeterConfiguration.class, NurseryActor.class, ChildActor.class,
        NoteActor.class).run(context -> {
          assertThat(context).hasNotFailed();
          ActorSystem system = context.getBean(ActorSystem.class);
          Nursery nursery = context.getBean(Nursery.class);
          assertThat(nursery.adopt("Ada").block(Duration.ofSeconds(30)))
              .isEqualTo("Hi, Ada from actor:nursery");
          assertThat(nursery.jot("milk").block(Duration.ofSeconds(30))).isEqualTo("milk");
          int actors = system.actorCount();

          assertThatThrownBy(() -> nursery.adoptThenTrap().block(Duration.ofSeconds(30)))
              .isInstanceOfSatisfying(CallError.class,
                  e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
          // a later turn's spawn is created after the trapped one would have been released
          assertThat(nursery.jot("after").block(Duration.ofSeconds(30))).isEqualTo("after");
          assertThat(system.actorCount()).isEqualTo(actors + 1);
        });
  }

  public interface Faulty {
    reactor.core.publisher.Mono<String> hello();
  }

  /** An explicit actor whose constructor throws: every creation of one fails. */
  @io.reactant.spring.boot.ActorBean(activation = io.reactant.spring.boot.ActorBean.Activation.EXPLICIT)
  public static final class FaultyActor extends io.reactant.actor.Actor implements Faulty {
    public FaultyActor(Greetings greetings) {
      throw new IllegalStateException("no " + greetings.getClass().getSimpleName() + " today");
    }

    @Override
    public reactor.core.publisher.Mono<String> hello() {
      return reactor.core.publisher.Mono.just("never");
    }
  }

  public interface Launcher {
    /** Spawns a faulty actor in a turn that commits, and says how its creation failed. */
    reactor.core.publisher.Mono<String> launch();
  }

  @io.reactant.spring.boot.ActorBean
  public static final class LauncherActor extends io.reactant.actor.Actor implements Launcher {
    private final io.reactant.actor.ActorClass<Faulty, Void> faulty;
    private int launched;

    public LauncherActor(ActorDirectory actors) {
      this.faulty = actors.actorClass(Faulty.class);
    }

    @Override
    public reactor.core.publisher.Mono<String> launch() {
      launched++;
      return await(spawn(faulty, null)).map(created -> "created")
          .onErrorResume(CallError.class, e -> reactor.core.publisher.Mono.just(
              launched + " " + e.code() + " " + e.rejectMessage()));
    }
  }

  @Test
  @DisplayName("R20 R12 a Spring-wired actor whose constructor throws, spawned in a turn that"
      + " commits, fails the spawn's future with code 5 and the constructor's exception (not"
      + " Spring's around it); the spawning actor keeps what it committed and lives on")
  void aSpawnedBeanWhoseConstructorThrowsFailsItsFutureWithCode5() {
    runner.withUserConfiguration(GreeterConfiguration.class, LauncherActor.class,
        FaultyActor.class).run(context -> {
          assertThat(context).hasNotFailed();
          Launcher launcher = context.getBean(Launcher.class);
          int actors = context.getBean(ActorSystem.class).actorCount();
          for (int i = 1; i <= 2; i++) {
            assertThat(launcher.launch().block(Duration.ofSeconds(30))).startsWith(i + " "
                + RejectCode.CANISTER_ERROR + " ").contains("trapped in its initializer")
                .endsWith("IllegalStateException: no " + "Greetings today");
          }
          assertThat(context.getBean(ActorSystem.class).actorCount()).isEqualTo(actors);
        });
  }

  @Test
  @DisplayName("R20 the directory gives actor classes of explicit actor types only, and an argument"
      + " type that a constructor takes: a type no @ActorBean declares, a singleton, a virtual"
      + " actor type, an argument no constructor takes or an autowired constructor no bean"
      + " satisfies is refused at once")
  void actorClassesOfTypesThatCannotBeSpawnedAreRefused() {
    runner.withUserConfiguration(GreeterConfiguration.class, CounterActor.class, NoteActor.class)
        .run(context -> {
          ActorDirectory directory = context.getBean(ActorDirectory.class);
          assertThatThrownBy(() -> directory.actorClass(Child.class))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith("No @ActorBean implements " + Child.class.getName());
          assertThatThrownBy(() -> directory.actorClass(Counter.class))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("is not explicit").hasMessageEndingWith("get(type, id)");
          assertThatThrownBy(() -> directory.actorClass(Greeter.class))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("is not explicit").hasMessageEndingWith("singleton(type)");
          assertThatThrownBy(() -> directory.actorClass(Note.class))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith("Parameter 0 of the constructor of @ActorBean "
                  + NoteActor.class.getName() + " (explicit actor type 'Memo') requires a bean of"
                  + " type 'java.lang.String' that could not be found")
              .hasMessageEndingWith("give the argument with actorClass(type, argumentType)");
          assertThatThrownBy(() -> directory.actorClass(Note.class, Integer.class))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("No constructor of " + NoteActor.class.getName() + " takes (Integer):"
                  + " its constructors take (String)");
          // from outside the actors, the system spawns through it too
          io.reactant.actor.ActorClass<Note, String> notes =
              directory.actorClass(Note.class, String.class);
          assertThat(directory.system().spawn(notes, "outside")
              .flatMap(Note::text).block(Duration.ofSeconds(30))).isEqualTo("outside");
        });
  }

  @Test
  @DisplayName("R20 an explicit actor that a child definition makes through its parent's factory"
      + " method gets spawn's arguments in that method, as from a @Bean method: the check read the"
      + " child's own definition, which names no factory method, and refused them")
  void spawnArgumentsGoToTheFactoryMethodAChildDefinitionInherits() {
    runner.withInitializer(registering(registry -> {
      GenericBeanDefinition template = new GenericBeanDefinition();
      template.setBeanClassName(NoteFactories.class.getName());
      template.setFactoryMethodName("numbered");
      template.setAbstract(true);
      registry.registerBeanDefinition("template", template);
      registry.registerBeanDefinition("note",
          new org.springframework.beans.factory.support.ChildBeanDefinition("template"));
    })).run(context -> {
      assertThat(context).hasNotFailed();
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      assertThat(directory.spawn(Note.class, 42).text().block(Duration.ofSeconds(30)))
          .isEqualTo("note 42");
    });
  }

  public static class NoteFactories {
    public static NoteActor numbered(Integer number) {
      return new NoteActor("note " + number);
    }
  }

  /** An explicit actor with an {@code @Autowired} constructor and another one. */
  @io.reactant.spring.boot.ActorBean(
      activation = io.reactant.spring.boot.ActorBean.Activation.EXPLICIT)
  public static class AutowiredNoteActor extends io.reactant.actor.Actor implements Note {
    private final io.reactant.state.Var<String> text;

    @Autowired
    public AutowiredNoteActor(org.springframework.core.env.Environment environment) {
      this.text = newVar("text", "autowired");
    }

    public AutowiredNoteActor(String text) {
      this.text = newVar("text", text);
    }

    @Override
    public reactor.core.publisher.Mono<String> text() {
      return reactor.core.publisher.Mono.just(text.get());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class NoteFactoryConfiguration {
    @Bean
    NoteActor noteActor(Integer number) {
      return new NoteActor("note " + number);
    }
  }

  @Test
  void declarationsAreListedWithTheirNamesAndActivation() {
    runner.withUserConfiguration(GreeterConfiguration.class, CounterActor.class, NoteActor.class)
        .run(context -> assertThat(context.getBean(ActorDirectory.class).declarations())
            .extracting(d -> d.name() + ":" + d.activation() + ":" + d.singletonId())
            .containsExactlyInAnyOrder("Greeter:SINGLETON:greeter", "Counter:VIRTUAL:null",
                "Memo:EXPLICIT:null"));
  }

  @Test
  void pausingAndRestartingTheContextLeavesTheActorSystemServing() {
    runner.withUserConfiguration(GreeterConfiguration.class).run(context -> {
      Greeter greeter = context.getBean(Greeter.class);
      assertThat(greeter.greet("before").block(Duration.ofSeconds(30))).isEqualTo("Hi, before");

      context.pause(); // stops the pauseable lifecycle beans, to start them again on restart()
      context.restart();

      assertThat(context.getBean(ActorSystemLifecycle.class).isRunning()).isTrue();
      assertThat(greeter.greet("after").block(Duration.ofSeconds(30))).isEqualTo("Hi, after");
    });
  }

  @Test
  void startingTheContextAgainAfterAStopFailsInsteadOfServingAClosedSystem() {
    runner.withUserConfiguration(GreeterConfiguration.class).run(context -> {
      context.stop();
      assertThatThrownBy(context::start).hasRootCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("The actor system 'reactant' was shut down when the application"
              + " stopped; it cannot start again: start a new application context");
      assertThat(context.getBean(ActorSystemLifecycle.class).isRunning()).isFalse();
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class UserActorSystemConfiguration {
    @Bean
    ActorSystem mySystem() {
      return ActorSystem.create(ActorSystemConfig.builder().name("mine").build());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserActorDirectoryConfiguration {
    ActorDirectory directory;

    @Bean
    ActorDirectory myDirectory(ActorSystem system, org.springframework.beans.factory.BeanFactory bf) {
      directory = new ActorDirectory(system, bf, java.util.List.of());
      return directory;
    }
  }

  static class GreeterClient {
    final Greeter greeter;

    @Autowired
    GreeterClient(Greeter greeter) {
      this.greeter = greeter;
    }
  }
}

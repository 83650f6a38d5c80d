package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.Query;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.TestActors.Greetings;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;

/** Misconfigured {@link ActorBean} declarations fail the startup with an explanation. */
class ActorDeclarationFailureTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class));

  @Test
  void actorTypeDeclaredTwiceFailsWithBothImplementationsNamed() {
    runner.withUserConfiguration(CounterActor.class, SecondCounterActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription())
              .contains("The actor type " + Counter.class.getName() + " is declared twice")
              .contains(CounterActor.class.getName()).contains(SecondCounterActor.class.getName());
          assertThat(analysis.getAction()).contains("Keep one @ActorBean implementation per actor interface");
        }));
  }

  @Test
  void actorNameUsedTwiceFails() {
    runner.withUserConfiguration(CounterActor.class, CounterNamedActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).contains("The actor name 'Counter' is used twice");
          assertThat(analysis.getAction()).contains("@ActorBean(name = ...)");
        }));
  }

  @Test
  @DisplayName("R21 two singletons of one id fail the startup, naming both and the id, whether set"
      + " or derived from names that differ only in their first letter's case: the second was"
      + " never created, its reference named the first actor, and every call to it failed with"
      + " code 3")
  void twoSingletonsOfOneIdFailTheStartup() {
    runner.withUserConfiguration(SharedIdLabelActor.class, SharedIdPlainActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).contains("The singleton id 'shared' is used twice")
              .contains(SharedIdLabelActor.class.getName())
              .contains(SharedIdPlainActor.class.getName());
          assertThat(analysis.getAction()).contains("@ActorBean(id = ...)");
        }));
    runner.withUserConfiguration(UpperLabelActor.class, LowerPlainActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .contains("The singleton id 'label' is used twice")
            .contains(UpperLabelActor.class.getName()).contains(LowerPlainActor.class.getName())));
  }

  @ActorBean(id = "shared")
  public static final class SharedIdLabelActor extends Actor implements Label {
    @Override
    public Mono<String> label() {
      return Mono.just("label");
    }
  }

  @ActorBean(id = "shared")
  public static final class SharedIdPlainActor extends Actor implements Plain {
    @Override
    public Mono<String> plain() {
      return Mono.just("plain");
    }
  }

  @ActorBean(name = "Label")
  public static final class UpperLabelActor extends Actor implements Label {
    @Override
    public Mono<String> label() {
      return Mono.just("label");
    }
  }

  @ActorBean(name = "label")
  public static final class LowerPlainActor extends Actor implements Plain {
    @Override
    public Mono<String> plain() {
      return Mono.just("plain");
    }
  }

  @Test
  @DisplayName("R23 a type named '.' or '..' fails the startup: such a path segment is one that"
      + " clients and the security firewall remove or refuse (RFC 3986 dot-segments), so"
      + " /actors/../{id}/{method} never reached it")
  void aTypeNamedWithDotsOnlyFailsTheStartup() {
    runner.withUserConfiguration(DotsActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription())
          .contains("has the name '..', which is a dot-segment of a URL path");
      assertThat(analysis.getAction()).contains("@ActorBean(name)");
    }));
    runner.withUserConfiguration(DotActor.class).run(failsWith(analysis -> assertThat(
        analysis.getDescription()).contains("has the name '.', which is a dot-segment")));
    runner.withUserConfiguration(ThreeDotsActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ActorDirectory.class).declaration("...")).isPresent();
    });
  }

  @Test
  @DisplayName("R23 a singleton exposed over HTTP whose id is '.' or '..' fails the startup, for"
      + " the same reason (no call over HTTP reached it); one not exposed starts")
  void anExposedSingletonWithADotsOnlyIdFailsTheStartup() {
    runner.withUserConfiguration(DotsIdActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription()).contains("is exposed over HTTP, but sets id = \"..\","
          + " a dot-segment of a URL path");
      assertThat(analysis.getAction()).contains("@ActorBean(exposed = false)");
    }));
    runner.withUserConfiguration(HiddenDotsIdActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(Label.class).label().block(java.time.Duration.ofSeconds(30)))
          .isEqualTo("hidden dots");
    });
  }

  @ActorBean(id = "..")
  public static final class DotsIdActor extends Actor implements Label {
    @Override
    public Mono<String> label() {
      return Mono.just("dots");
    }
  }

  @ActorBean(id = "..", exposed = false)
  public static final class HiddenDotsIdActor extends Actor implements Label {
    @Override
    public Mono<String> label() {
      return Mono.just("hidden dots");
    }
  }

  @ActorBean(name = "..")
  public static final class DotsActor extends Actor implements Label {
    @Override
    public Mono<String> label() {
      return Mono.just("dots");
    }
  }

  @ActorBean(name = ".")
  public static final class DotActor extends Actor implements Label {
    @Override
    public Mono<String> label() {
      return Mono.just("dot");
    }
  }

  @ActorBean(name = "...")
  public static final class ThreeDotsActor extends Actor implements Label {
    @Override
    public Mono<String> label() {
      return Mono.just("three dots");
    }
  }

  @Test
  void classThatIsNotAnActorFails() {
    runner.withUserConfiguration(NotAnActor.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription()).contains("does not extend io.reactant.actor.Actor")));
  }

  @Test
  void classWithSeveralInterfacesMustNameItsActorType() {
    runner.withUserConfiguration(TwoInterfacesActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription()).contains("implements 2 interfaces");
      assertThat(analysis.getAction()).contains("@ActorBean(type = ...)");
    }));
  }

  @Test
  void classWithSeveralInterfacesWorksWhenItNamesItsActorType() {
    runner.withUserConfiguration(NamedTypeActor.class).run(context ->
        assertThat(context.getBean(ActorDirectory.class).declaration("Labelled")).isPresent());
  }

  @Test
  void idOnAnActorThatIsNotASingletonFails() {
    runner.withUserConfiguration(VirtualWithIdActor.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription()).contains("only a singleton has a fixed id")));
  }

  @Test
  void interfaceThatIsNotAnActorTypeFails() {
    runner.withUserConfiguration(BadInterfaceActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription()).contains("cannot be an actor type").contains("size()");
      assertThat(analysis.getAction()).contains("returns Mono<T>");
    }));
  }

  @Test
  void queryMarkedOnTheImplementationOnlyFails() {
    runner.withUserConfiguration(MarkedHereOnlyActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription()).contains("cannot be spawned as Plain")
          .contains("plain() is marked @Query but the interface makes it an update");
      assertThat(analysis.getAction()).contains("Put @Query and @CompositeQuery on the methods of Plain");
    }));
  }

  @Test
  void nonPublicInterfaceFails() {
    runner.withUserConfiguration(HiddenActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription()).contains("cannot be an actor type")
          .contains("the interface is not public");
      assertThat(analysis.getAction()).contains("a public interface");
    }));
  }

  @Test
  @DisplayName("R20 a virtual actor whose constructor needs a bean that does not exist fails the"
      + " startup, naming the parameter and the type (it started, and every call failed with code"
      + " 5), and the singleton's likewise, before any actor is created")
  void anActorWhoseConstructorDependencyIsMissingFailsTheStartup() {
    runner.withUserConfiguration(NeedyCounterActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription())
          .startsWith("Parameter 0 of the constructor of @ActorBean "
              + NeedyCounterActor.class.getName() + " (virtual actor type 'Counter') requires a"
              + " bean of type '" + Missing.class.getName() + "' that could not be found")
          .contains("No qualifying bean of type");
      assertThat(analysis.getAction()).contains("Define a bean of type "
          + Missing.class.getName()).contains("Optional").contains("ObjectProvider")
          .contains("@Nullable");
    }));
    runner.withUserConfiguration(NeedyLabelActor.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription())
            .startsWith("Parameter 1 of the constructor of @ActorBean "
                + NeedyLabelActor.class.getName() + " (singleton actor type 'Label') requires a"
                + " bean of type '" + Missing.class.getName() + "' that could not be found")));
  }

  @Test
  @DisplayName("R21 a virtual actor whose constructor asks for its ActorId (no bean) fails the"
      + " startup saying that an actor reads its own id with actorId(), in its constructor too;"
      + " one that does so reads the id its first call named")
  void anActorAskingForItsIdInItsConstructorIsToldOfActorId() {
    runner.withUserConfiguration(IdTakingCounterActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription()).startsWith("Parameter 0 of the constructor of"
          + " @ActorBean " + IdTakingCounterActor.class.getName() + " (virtual actor type"
          + " 'Counter') requires a bean of type 'io.reactant.actor.ActorId'");
      assertThat(analysis.getAction()).startsWith("An actor reads its own id with actorId(), in"
          + " its constructor too: remove the dependency");
    }));
    runner.withUserConfiguration(IdReadingCounterActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "counter-for-c42").bump()
          .block(java.time.Duration.ofSeconds(30))).as("the id its constructor read")
          .isEqualTo((long) "counter-for-c42".length());
    });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("R20 an actor's dependency that no bean satisfies is reported with the actor's"
      + " analysis (the ActorId hint here) whatever the order of the jars: with Spring Boot's"
      + " ahead of the starter's on the class path, Boot's generic 'A component required a bean'"
      + " analysis of its cause was reported instead")
  void anActorsUnsatisfiedDependencyIsReportedAsTheActorsWhateverTheJarOrder(
      CapturedOutput output) {
    SpringApplicationBuilder application =
        new SpringApplicationBuilder(ReactantAutoConfiguration.class, IdTakingCounterActor.class)
            .resourceLoader(new org.springframework.core.io.DefaultResourceLoader(
                new ReversedFactories(getClass().getClassLoader())))
            .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .registerShutdownHook(false);
    assertThatThrownBy(application::run).isInstanceOf(ActorDeclarationException.class);
    assertThat(report(output)).contains("Parameter 0 of the constructor of @ActorBean "
        + IdTakingCounterActor.class.getName())
        .contains("An actor reads its own id with actorId(), in its constructor too");
  }

  /** The failure analysis Spring Boot reported last. */
  private static String report(CapturedOutput output) {
    String all = output.getAll();
    int report = all.lastIndexOf("APPLICATION FAILED TO START");
    assertThat(report).as("a failure analysis was reported").isNotNegative();
    return all.substring(report);
  }

  /** Lists the class path's spring.factories files last jar first. */
  static final class ReversedFactories extends ClassLoader {

    ReversedFactories(ClassLoader parent) {
      super(parent);
    }

    @Override
    public java.util.Enumeration<java.net.URL> getResources(String name)
        throws java.io.IOException {
      java.util.List<java.net.URL> urls = java.util.Collections.list(super.getResources(name));
      if (name.equals("META-INF/spring.factories")) {
        java.util.Collections.reverse(urls);
      }
      return java.util.Collections.enumeration(urls);
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("R1 a bean that asks to be injected with a virtual actor's interface, or with an"
      + " actor's class, fails the startup with an analysis that says to take references from the"
      + " ActorDirectory (it was a stack trace, or Spring Boot's advice to define such a bean)")
  void injectingAVirtualActorOrAnActorClassIsExplained(CapturedOutput output) {
    assertThatThrownBy(() -> start(WantsACounter.class)).isNotNull();
    assertThat(output).contains("No bean of type '" + Counter.class.getName() + "': it is the"
        + " interface of the virtual actor type 'Counter', which has an actor per id")
        .contains("Inject ActorDirectory and take the reference of an id where it is needed:"
            + " actors.get(Counter.class, id)");
    assertThat(analysisOf(WantsACounterActor.class, CounterActor.class)).satisfies(analysis -> {
      assertThat(analysis.getDescription()).isEqualTo("No bean of type '"
          + CounterActor.class.getName() + "': it implements the virtual actor type 'Counter',"
          + " whose instances only the actor system creates: a caller holds a reference, never"
          + " the object (rule R1).");
      assertThat(analysis.getAction()).isEqualTo("Inject ActorDirectory and take the reference"
          + " of an id where it is needed: actors.get(Counter.class, id).");
    });
    assertThat(analysisOf(WantsANamedTypeActor.class, NamedTypeActor.class).getAction())
        .isEqualTo("Inject the actor interface, " + Label.class.getName() + ": a singleton's"
            + " reference is its bean.");
    assertThat(analysisOf(WantsALabel.class, ExplicitLabelActor.class).getAction())
        .isEqualTo("Inject ActorDirectory and take the reference of an id where it is needed:"
            + " actors.get(Label.class, id), or create one with actors.spawn(Label.class, ...).");
  }

  @Test
  @DisplayName("R1 a bean that needs one of several beans implementing an explicit actor's"
      + " interface is not explained as asking for an actor: the failure is Spring's ambiguity,"
      + " which Spring Boot's own analysis explains (it said to take references from the"
      + " ActorDirectory)")
  void anAmbiguousBeanOfAnActorInterfaceIsNotClaimed() {
    AtomicReference<ConfigurableApplicationContext> started = new AtomicReference<>();
    runner.withInitializer(started::set)
        .withUserConfiguration(ExplicitLabelActor.class, TwoLabels.class, WantsALabel.class)
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(
              org.springframework.beans.factory.NoUniqueBeanDefinitionException.class);
          assertThat(new ActorFailureAnalyzer(started.get().getBeanFactory())
              .analyze(context.getStartupFailure())).isNull();
        });
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class TwoLabels {
    @org.springframework.context.annotation.Bean
    Label english() {
      return () -> Mono.just("label");
    }

    @org.springframework.context.annotation.Bean
    Label french() {
      return () -> Mono.just("étiquette");
    }
  }

  /** What ActorFailureAnalyzer says of the failed startup of these classes. */
  private FailureAnalysis analysisOf(Class<?>... classes) {
    AtomicReference<ConfigurableApplicationContext> started = new AtomicReference<>();
    AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
    runner.withInitializer(started::set).withUserConfiguration(classes).run(context -> {
      assertThat(context).hasFailed();
      analysis.set(new ActorFailureAnalyzer(started.get().getBeanFactory())
          .analyze(context.getStartupFailure()));
    });
    assertThat(analysis.get()).isNotNull();
    return analysis.get();
  }

  private static void start(Class<?> wanting) {
    new SpringApplicationBuilder(ReactantAutoConfiguration.class, CounterActor.class, wanting)
        .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).registerShutdownHook(false)
        .run();
  }

  static final class WantsACounter {
    WantsACounter(Counter counter) {
    }
  }

  static final class WantsALabel {
    WantsALabel(Label label) {
    }
  }

  @ActorBean(activation = Activation.EXPLICIT)
  public static final class ExplicitLabelActor extends Actor implements Label {
    @Override
    public Mono<String> label() {
      return Mono.just("explicit");
    }
  }

  static final class WantsANamedTypeActor {
    WantsANamedTypeActor(NamedTypeActor label) {
    }
  }

  static final class WantsACounterActor {
    WantsACounterActor(CounterActor counter) {
    }
  }

  @Test
  @DisplayName("R20 a virtual actor made by a @Bean method whose parameter needs a bean that does"
      + " not exist fails the startup too, naming the method's parameter (it started, and every"
      + " call failed with code 5)")
  void anActorWhoseFactoryMethodDependencyIsMissingFailsTheStartup() {
    runner.withUserConfiguration(NeedyCounters.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription())
            .startsWith("Parameter 1 of the factory method " + NeedyCounters.class.getName()
                + ".needyCounter of @ActorBean " + CounterActor.class.getName()
                + " (virtual actor type 'Counter') requires a bean of type '"
                + Missing.class.getName() + "' that could not be found")));
    runner.withUserConfiguration(LenientCounters.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
          .block(java.time.Duration.ofSeconds(30))).isEqualTo(1L);
    });
  }

  @Test
  @DisplayName("R20 a virtual actor made by overloaded @Bean methods starts when one of them has"
      + " its beans, which Spring then calls (the check read only the overload Spring looked at"
      + " for the bean's type, and failed the startup on its parameter); when none has, the"
      + " startup fails naming one")
  void anActorMadeByOverloadedFactoryMethodsIsCheckedAsSpringPicksOne() {
    runner.withUserConfiguration(OverloadedCounters.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
          .block(java.time.Duration.ofSeconds(30))).isEqualTo(1L);
    });
    runner.withUserConfiguration(NeedyOverloadedCounters.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription())
            .startsWith("Parameter 0 of the factory method "
                + NeedyOverloadedCounters.class.getName() + ".overloadedCounter of @ActorBean "
                + CounterActor.class.getName() + " (virtual actor type 'Counter') requires a bean"
                + " of type '" + Missing.class.getName() + "' that could not be found")));
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false,
      enforceUniqueMethods = false)
  static class OverloadedCounters {
    @org.springframework.context.annotation.Bean
    CounterActor overloadedCounter(Missing missing) {
      return new CounterActor();
    }

    @org.springframework.context.annotation.Bean
    CounterActor overloadedCounter(org.springframework.core.env.Environment environment) {
      return new CounterActor();
    }
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false,
      enforceUniqueMethods = false)
  static class NeedyOverloadedCounters {
    @org.springframework.context.annotation.Bean
    CounterActor overloadedCounter(Missing missing) {
      return new CounterActor();
    }

    @org.springframework.context.annotation.Bean
    CounterActor overloadedCounter(Missing missing, java.util.List<Missing> none) {
      return new CounterActor();
    }
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class NeedyCounters {
    @org.springframework.context.annotation.Bean
    CounterActor needyCounter(org.springframework.core.env.Environment environment,
        Missing missing) {
      return new CounterActor();
    }
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class LenientCounters {
    @org.springframework.context.annotation.Bean
    CounterActor lenientCounter(java.util.Optional<Missing> missing,
        java.util.List<Missing> none) {
      return new CounterActor();
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose constructor parameters may go without a bean (Optional,"
      + " ObjectProvider, @Nullable, @Value with a default, a collection, @Lazy) starts, and its"
      + " calls create it; the check creates no prototype bean it depends on, one in a collection"
      + " included")
  void anActorWhoseOptionalDependenciesAreMissingStarts() {
    runner.withUserConfiguration(LenientCounterActor.class, Stamps.class).run(context -> {
      assertThat(context).hasNotFailed();
      java.util.concurrent.atomic.AtomicInteger stamps =
          context.getBean(java.util.concurrent.atomic.AtomicInteger.class);
      assertThat(stamps).as("the check creates no prototype dependency").hasValue(0);
      assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
          .block(java.time.Duration.ofSeconds(30))).isEqualTo(7L);
      assertThat(stamps).as("one stamp, and one for the list").hasValue(2);
    });
  }

  @Test
  @DisplayName("R20 the startup check of a virtual actor whose dependency is the product of a"
      + " FactoryBean that is not a singleton creates no product (the check took the factory, a"
      + " singleton, for its product and asked it for one); the actor's creation does")
  void theCheckCreatesNoProductOfAFactoryBeanThatIsNoSingleton() {
    runner.withUserConfiguration(LenientCounterActor.class, FactoryStamps.class).run(context -> {
      assertThat(context).hasNotFailed();
      java.util.concurrent.atomic.AtomicInteger stamps =
          context.getBean(java.util.concurrent.atomic.AtomicInteger.class);
      assertThat(stamps).as("the check creates no product").hasValue(0);
      assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
          .block(java.time.Duration.ofSeconds(30))).isEqualTo(7L);
      assertThat(stamps).as("the actor's creation does").hasPositiveValue();
    });
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class FactoryStamps {
    @org.springframework.context.annotation.Bean
    java.util.concurrent.atomic.AtomicInteger stampsMade() {
      return new java.util.concurrent.atomic.AtomicInteger();
    }

    @org.springframework.context.annotation.Bean
    org.springframework.beans.factory.FactoryBean<Stamp> stamp(
        java.util.concurrent.atomic.AtomicInteger stampsMade) {
      return new org.springframework.beans.factory.FactoryBean<>() {
        @Override
        public Stamp getObject() {
          stampsMade.incrementAndGet();
          return new Stamp();
        }

        @Override
        public Class<?> getObjectType() {
          return Stamp.class;
        }

        @Override
        public boolean isSingleton() {
          return false;
        }
      };
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose bean is registered with a supplier that makes it"
      + " (registerBean with a supplier, a Spring InstanceSupplier too, a BeanRegistrar's)"
      + " starts, whatever its constructor takes: the check read the constructor, which Spring"
      + " does not call, and failed the startup on a parameter no bean satisfies (for an"
      + " InstanceSupplier, which it took for Spring AOT's generated code, until it looked for"
      + " the generated code's run)")
  void anActorMadeByItsInstanceSupplierStarts() {
    runner.withBean("prefixedPlainActor", PrefixedPlainActor.class,
        () -> new PrefixedPlainActor("made-")).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ActorDirectory.class).get(Plain.class, "p").plain()
              .block(java.time.Duration.ofSeconds(30))).isEqualTo("made-p");
        });
    org.springframework.beans.factory.support.InstanceSupplier<PrefixedPlainActor> supplier =
        registered -> new PrefixedPlainActor("supplied-");
    runner.withBean("prefixedPlainActor", PrefixedPlainActor.class, supplier).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ActorDirectory.class).get(Plain.class, "s").plain()
          .block(java.time.Duration.ofSeconds(30))).isEqualTo("supplied-s");
    });
    runner.withUserConfiguration(PrefixedPlainRegistration.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ActorDirectory.class).get(Plain.class, "q").plain()
          .block(java.time.Duration.ofSeconds(30))).isEqualTo("registered-q");
    });
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class PrefixedPlainActor extends Actor implements Plain {
    private final String prefix;

    public PrefixedPlainActor(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Mono<String> plain() {
      return Mono.just(prefix + actorId().value());
    }
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  @org.springframework.context.annotation.Import(PrefixedPlainRegistrar.class)
  static class PrefixedPlainRegistration {
  }

  static class PrefixedPlainRegistrar implements org.springframework.beans.factory.BeanRegistrar {
    @Override
    public void register(org.springframework.beans.factory.BeanRegistry registry,
        org.springframework.core.env.Environment environment) {
      registry.registerBean("prefixedPlainActor", PrefixedPlainActor.class,
          spec -> spec.supplier(context -> new PrefixedPlainActor("registered-")));
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose @Autowired field or method needs a bean that does not"
      + " exist fails the startup, naming the field or the method's parameter (it started, and"
      + " every call failed with code 5), and a singleton's likewise (its startup failed with the"
      + " trap of its initializer)")
  void anActorWhoseInjectedFieldOrMethodDependencyIsMissingFailsTheStartup() {
    runner.withUserConfiguration(FieldNeedyCounterActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription())
          .startsWith("Field 'missing' of @ActorBean " + FieldNeedyCounterActor.class.getName()
              + " (virtual actor type 'Counter') requires a bean of type '"
              + Missing.class.getName() + "' that could not be found");
      assertThat(analysis.getAction()).contains("Define a bean of type "
          + Missing.class.getName()).contains("@Autowired(required = false)");
    }));
    runner.withUserConfiguration(SetterNeedyLabelActor.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription())
            .startsWith("Parameter 0 of the method setMissing of @ActorBean "
                + SetterNeedyLabelActor.class.getName() + " (singleton actor type 'Label')"
                + " requires a bean of type '" + Missing.class.getName()
                + "' that could not be found")));
    // an explicit actor is not checked at startup, its actor class is
    runner.withUserConfiguration(FieldNeedyPlainActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThatThrownBy(() -> context.getBean(ActorDirectory.class).actorClass(Plain.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Field 'missing' of @ActorBean "
              + FieldNeedyPlainActor.class.getName() + " (explicit actor type 'Plain') requires"
              + " a bean of type '" + Missing.class.getName() + "' that could not be found");
    });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  @DisplayName("R1 an actor whose constructor or injected field asks for another virtual actor's"
      + " interface fails the startup naming that dependency and saying to take references from"
      + " the ActorDirectory: its analysis said to define a bean of that type, and the report"
      + " showed the analysis of a bean asking for an actor, which names no dependency")
  void anActorThatAsksForAVirtualActorIsToldToTakeAReference(CapturedOutput output) {
    assertThatThrownBy(() -> start(CounterFieldLabelActor.class)).isNotNull();
    assertThat(report(output)).contains("Field 'counter' of @ActorBean "
        + CounterFieldLabelActor.class.getName() + " (virtual actor type 'Label') requires a bean"
        + " of type '" + Counter.class.getName() + "'")
        .contains("Inject ActorDirectory and take the reference of an id where it is needed:"
            + " actors.get(Counter.class, id).");
    runner.withUserConfiguration(CounterActor.class, CounterFieldLabelActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).startsWith("Field 'counter' of @ActorBean "
              + CounterFieldLabelActor.class.getName() + " (virtual actor type 'Label') requires"
              + " a bean of type '" + Counter.class.getName() + "'");
          assertThat(analysis.getAction()).isEqualTo("Inject ActorDirectory and take the"
              + " reference of an id where it is needed: actors.get(Counter.class, id).");
        }));
    runner.withUserConfiguration(CounterActor.class, CounterTakingPlainActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getAction()).isEqualTo("Inject"
            + " ActorDirectory and take the reference of an id where it is needed:"
            + " actors.get(Counter.class, id).")));
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class CounterFieldLabelActor extends Actor implements Label {
    @org.springframework.beans.factory.annotation.Autowired
    private Counter counter;

    @Override
    public Mono<String> label() {
      return Mono.just(String.valueOf(counter));
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class CounterTakingPlainActor extends Actor implements Plain {
    private final Counter counter;

    public CounterTakingPlainActor(Counter counter) {
      this.counter = counter;
    }

    @Override
    public Mono<String> plain() {
      return Mono.just(String.valueOf(counter));
    }
  }

  @ActorBean(activation = Activation.EXPLICIT)
  public static final class FieldNeedyPlainActor extends Actor implements Plain {
    @org.springframework.beans.factory.annotation.Autowired
    private Missing missing;

    @Override
    public Mono<String> plain() {
      return Mono.just(String.valueOf(missing));
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class FieldNeedyCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired
    private Missing missing;

    @Override
    public Mono<Long> bump() {
      return Mono.just(missing == null ? 0L : 1L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean
  public static final class SetterNeedyLabelActor extends Actor implements Label {
    private Missing missing;

    @org.springframework.beans.factory.annotation.Autowired
    void setMissing(Missing missing) {
      this.missing = missing;
    }

    @Override
    public Mono<String> label() {
      return Mono.just(String.valueOf(missing));
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose required @Autowired collection field, or such a"
      + " parameter of an @Autowired method, no bean fills fails the startup naming it, as Spring"
      + " refuses it at each creation (it started, and every call failed with code 5); one that"
      + " the application context fills starts")
  void anActorWhoseInjectedCollectionNoBeanFillsFailsTheStartup() {
    runner.withUserConfiguration(ListNeedyCounterActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription())
          .startsWith("Field 'none' of @ActorBean " + ListNeedyCounterActor.class.getName()
              + " (virtual actor type 'Counter') requires a bean of type 'java.util.List<"
              + Missing.class.getName() + ">' that could not be found")
          .contains("no bean is of its element type " + Missing.class.getName());
      assertThat(analysis.getAction()).contains("@Autowired(required = false)");
    }));
    runner.withUserConfiguration(SetNeedyCounterActor.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription())
            .startsWith("Parameter 1 of the method setAll of @ActorBean "
                + SetNeedyCounterActor.class.getName() + " (virtual actor type 'Counter')"
                + " requires a bean of type 'java.util.Set<" + Missing.class.getName()
                + ">' that could not be found")));

  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class ListNeedyCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired
    private java.util.List<Missing> none;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) none.size());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class SetNeedyCounterActor extends Actor implements Counter {
    private int size;

    @org.springframework.beans.factory.annotation.Autowired
    void setAll(org.springframework.core.env.Environment environment,
        java.util.Set<Missing> none) {
      size = none.size();
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) size);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose injected fields and methods may go without a bean"
      + " (@Autowired(required = false), Optional, ObjectProvider, @Nullable, @Lazy, @Value, a"
      + " collection that a bean fills, or not required, @Nullable or @Lazy) starts, and its"
      + " calls create it; the check creates no prototype bean it depends on")
  void anActorWhoseOptionalInjectedDependenciesAreMissingStarts() {
    runner.withUserConfiguration(LenientFieldCounterActor.class, Stamps.class).run(context -> {
      assertThat(context).hasNotFailed();
      java.util.concurrent.atomic.AtomicInteger stamps =
          context.getBean(java.util.concurrent.atomic.AtomicInteger.class);
      assertThat(stamps).as("the check creates no prototype dependency").hasValue(0);
      assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
          .block(java.time.Duration.ofSeconds(30))).isEqualTo(8L);
      assertThat(stamps).as("one stamp, and one for the list").hasValue(2);
    });
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class LenientFieldCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    private Missing notRequired;
    @org.springframework.beans.factory.annotation.Autowired
    private java.util.Optional<Missing> optional;
    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.beans.factory.ObjectProvider<Missing> provider;
    @org.springframework.beans.factory.annotation.Autowired
    private @org.jspecify.annotations.Nullable Missing nullable;
    @org.springframework.beans.factory.annotation.Autowired
    @org.springframework.context.annotation.Lazy
    private Missing lazy;
    @org.springframework.beans.factory.annotation.Value("${start:6}")
    private long start;
    @org.springframework.beans.factory.annotation.Autowired
    private Stamp stamp;
    @org.springframework.beans.factory.annotation.Autowired
    private java.util.List<Stamp> stampList;
    @org.springframework.beans.factory.annotation.Autowired
    private java.util.List<org.springframework.context.ApplicationContext> contexts;
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    private java.util.List<Missing> notRequiredList;
    @org.springframework.beans.factory.annotation.Autowired
    private java.util.@org.jspecify.annotations.Nullable Set<Missing> nullableSet;
    @org.springframework.beans.factory.annotation.Autowired
    @org.springframework.context.annotation.Lazy
    private java.util.List<Missing> lazyList;
    private long set;

    @org.springframework.beans.factory.annotation.Autowired(required = false)
    void setMissing(Missing missing) {
      set += 100;
    }

    @org.springframework.beans.factory.annotation.Autowired
    void setMore(@org.springframework.beans.factory.annotation.Value("${more:1}") long more,
        java.util.Optional<Missing> none) {
      set += more + (none.isPresent() ? 10 : 0);
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(start + set + 1 + (notRequired == null ? 0 : 1000)
          + (optional.isPresent() ? 1000 : 0) + (provider.getIfAvailable() == null ? 0 : 1000)
          + (nullable == null ? 0 : 1000) + (stamp == null ? 1000 : 0) + stampList.size() - 1
          + contexts.size() - 1);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(start);
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose constructor takes a @Value that only the started server"
      + " sets (local.server.port) starts, and its first update creates it with that value: the"
      + " check runs before the server starts, and a property is no bean (it failed the startup)")
  void anActorWhoseValueIsSetOnceTheServerStartedStarts() {
    new org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner(
        org.springframework.boot.web.server.reactive.context
            .AnnotationConfigReactiveWebServerApplicationContext::new)
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration.class,
            org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.class,
            org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration.class,
            org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration.class,
            org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration.class,
            org.springframework.boot.reactor.netty.autoconfigure
                .NettyReactiveWebServerAutoConfiguration.class))
        .withInitializer(new org.springframework.boot.web.server.context
            .ServerPortInfoApplicationContextInitializer())
        .withUserConfiguration(PortCounterActor.class)
        .withPropertyValues("server.port=0")
        .run(context -> {
          assertThat(context).hasNotFailed();
          int port = ((org.springframework.boot.web.server.reactive.context
              .ReactiveWebServerApplicationContext) context.getSourceApplicationContext())
              .getWebServer().getPort();
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(java.time.Duration.ofSeconds(30))).isEqualTo(port + 1L);
        });
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class PortCounterActor extends Actor implements Counter {
    private final long port;

    public PortCounterActor(
        @org.springframework.beans.factory.annotation.Value("${local.server.port}") int port) {
      this.port = port;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(port + 1);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(port);
    }
  }

  /** A type no bean has. */
  public interface Missing {
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class IdTakingCounterActor extends Actor implements Counter {
    private final String id;

    public IdTakingCounterActor(io.reactant.actor.ActorId id) {
      this.id = id.value();
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) id.length());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  /** Two constructors, neither {@code @Autowired} nor without parameters: Spring has none. */
  @ActorBean(activation = Activation.VIRTUAL)
  public static final class TwoConstructorsCounterActor extends Actor implements Counter {
    public TwoConstructorsCounterActor(Greetings greetings) {
    }

    public TwoConstructorsCounterActor(String prefix) {
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(0L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @Test
  @DisplayName("R20 a virtual actor with several constructors, none @Autowired and none without"
      + " parameters, fails the startup saying to mark one (it started, and every call that"
      + " created one failed with code 5: 'No default constructor found')")
  void anActorWithSeveralConstructorsNoneChosenFailsTheStartup() {
    runner.withUserConfiguration(TwoConstructorsCounterActor.class)
        .withBean(Greetings.class, () -> new Greetings("Hi, "))
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).startsWith("The constructors of @ActorBean "
              + TwoConstructorsCounterActor.class.getName() + " (virtual actor type 'Counter')"
              + " cannot be resolved").contains("No default constructor found");
          assertThat(analysis.getAction()).contains("@Autowired");
        }));
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class IdReadingCounterActor extends Actor implements Counter {
    private final String id = actorId().value();

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) id.length());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class NeedyCounterActor extends Actor implements Counter {
    public NeedyCounterActor(Missing missing) {
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(0L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean
  public static final class NeedyLabelActor extends Actor implements Label {
    public NeedyLabelActor(org.springframework.core.env.Environment environment, Missing missing) {
    }

    @Override
    public Mono<String> label() {
      return Mono.just("needy");
    }
  }

  /** A prototype bean, counting its instances. */
  public static final class Stamp {
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class Stamps {
    @org.springframework.context.annotation.Bean
    java.util.concurrent.atomic.AtomicInteger stampsMade() {
      return new java.util.concurrent.atomic.AtomicInteger();
    }

    @org.springframework.context.annotation.Bean
    @org.springframework.context.annotation.Scope("prototype")
    Stamp stamp(java.util.concurrent.atomic.AtomicInteger stampsMade) {
      stampsMade.incrementAndGet();
      return new Stamp();
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class LenientCounterActor extends Actor implements Counter {
    private final long start;

    public LenientCounterActor(Stamp stamp, java.util.Optional<Missing> optional,
        org.springframework.beans.factory.ObjectProvider<Missing> provider,
        @org.jspecify.annotations.Nullable Missing nullable,
        @org.springframework.beans.factory.annotation.Value("${start:6}") long start,
        java.util.List<Missing> none,
        @org.springframework.context.annotation.Lazy Missing lazy,
        java.util.List<Stamp> stampList) {
      this.start = start + none.size() + (optional.isPresent() ? 10 : 0)
          + (nullable == null ? 0 : 100) + (provider.getIfAvailable() == null ? 0 : 1000);
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(start + 1);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(start);
    }
  }

  @Test
  @DisplayName("R20 a singleton whose actor interface carries @ActorBean starts, and its reference"
      + " is injected: the registrar's second look took the bean of the reference, whose class is"
      + " that interface, for an actor, and failed the startup ('does not extend Actor')")
  void aSingletonOfAnAnnotatedInterfaceStarts() {
    runner.withUserConfiguration(MarkedActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(Marked.class).mark().block(java.time.Duration.ofSeconds(30)))
          .isEqualTo("marked");
    });
  }

  /** An actor interface that declares its implementations actors. */
  @ActorBean
  public interface Marked {
    Mono<String> mark();
  }

  public static final class MarkedActor extends Actor implements Marked {
    @Override
    public Mono<String> mark() {
      return Mono.just("marked");
    }
  }

  @Test
  @DisplayName("R20 a bean whose type is an actor interface that carries @ActorBean is no actor:"
      + " a @Bean reference to a virtual actor's id, or one registered late (as a test's mock"
      + " replacing it is), starts; the registrar took its interface for an actor's class and"
      + " failed the startup ('does not extend Actor', or 'registered after the actors were"
      + " declared')")
  void aBeanOfAnAnnotatedInterfaceIsNoActor() {
    runner.withUserConfiguration(MarkedVirtualActor.class, MainMarkedVirtual.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(MarkedVirtual.class).markVirtual()
              .block(java.time.Duration.ofSeconds(30))).isEqualTo("virtual");
        });
    runner.withUserConfiguration(MarkedVirtualActor.class, LateMarkedVirtual.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(MarkedVirtual.class).markVirtual()
              .block(java.time.Duration.ofSeconds(30))).isEqualTo("stub");
        });
  }

  /** A virtual actor type whose interface declares its implementations actors. */
  @ActorBean(activation = Activation.VIRTUAL)
  public interface MarkedVirtual {
    Mono<String> markVirtual();
  }

  public static final class MarkedVirtualActor extends Actor implements MarkedVirtual {
    @Override
    public Mono<String> markVirtual() {
      return Mono.just("virtual");
    }
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class MainMarkedVirtual {
    @org.springframework.context.annotation.Bean
    MarkedVirtual mainMarkedVirtual(ActorDirectory actors) {
      return actors.get(MarkedVirtual.class, "main");
    }
  }

  /** Registers a bean of the interface once the actors were declared, as a test's mock is. */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class LateMarkedVirtual {
    @org.springframework.context.annotation.Bean
    static org.springframework.beans.factory.config.BeanFactoryPostProcessor lateStub() {
      return beanFactory -> ((org.springframework.beans.factory.support.BeanDefinitionRegistry)
          beanFactory).registerBeanDefinition("markedVirtualStub",
              new org.springframework.beans.factory.support.RootBeanDefinition(
                  MarkedVirtual.class, () -> (MarkedVirtual) () -> Mono.just("stub")));
    }
  }

  @Test
  @DisplayName("R20 an @ActorBean registered after the actors were declared (by a"
      + " BeanFactoryPostProcessor that runs after the starter's registrar) fails the startup,"
      + " naming it and where to register it: the directory never knew it, so it was never"
      + " created and calls to it failed with code 3")
  void anActorRegisteredAfterTheDeclarationsFailsTheStartup() {
    runner.withUserConfiguration(LateRegistration.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription())
          .startsWith("@ActorBean " + CounterActor.class.getName() + " (bean"
              + " 'lateCounterActor') was registered after the actors were declared")
          .contains("calls to it would fail with code 3");
      assertThat(analysis.getAction()).contains("BeanDefinitionRegistryPostProcessor");
    }));
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class LateRegistration {
    @org.springframework.context.annotation.Bean
    static org.springframework.beans.factory.config.BeanFactoryPostProcessor lateCounter() {
      return beanFactory -> {
        org.springframework.beans.factory.support.GenericBeanDefinition definition =
            new org.springframework.beans.factory.support.GenericBeanDefinition();
        definition.setBeanClass(CounterActor.class);
        definition.setScope(org.springframework.beans.factory.config.BeanDefinition
            .SCOPE_PROTOTYPE);
        ((org.springframework.beans.factory.support.BeanDefinitionRegistry) beanFactory)
            .registerBeanDefinition("lateCounterActor", definition);
      };
    }
  }

  @Test
  @DisplayName("R20 @ActorBean classes in a child context whose ActorDirectory is its parent's fail"
      + " its startup, naming them and the parent: the parent's directory does not know them, so"
      + " a virtual one was silently never created (calls answered code 3) and a singleton failed"
      + " with 'No @ActorBean implements' it")
  void actorsDeclaredInAChildContextOfTheDirectoryFailItsStartup() {
    runner.run(parent -> {
      ApplicationContextRunner child = runner.withParent(parent);
      child.withUserConfiguration(CounterActor.class).run(failsWith(analysis -> {
        assertThat(analysis.getDescription())
            .startsWith("@ActorBean " + CounterActor.class.getName())
            .contains("is declared in a child context whose ActorDirectory is its parent context's");
        assertThat(analysis.getAction()).contains("Declare the @ActorBean classes in the parent"
            + " context");
      }));
      child.withUserConfiguration(NamedTypeActor.class).run(failsWith(analysis ->
          assertThat(analysis.getDescription())
              .startsWith("@ActorBean " + NamedTypeActor.class.getName())
              .contains("is declared in a child context whose ActorDirectory is its parent context's")));
      // a child that declares no actor uses its parent's directory
      child.run(context -> assertThat(context).hasNotFailed().getBean(ActorDirectory.class)
          .isSameAs(parent.getBean(ActorDirectory.class)));
    });
  }

  @Test
  @DisplayName("R20 @ActorBean classes in a child context without the Reactant auto-configuration"
      + " fail its startup as in a child with it, naming them and the parent: nothing declared"
      + " them and the parent's directory did not know them, so the child started and every call"
      + " to them answered code 3; a child that declares again an actor of its parent starts")
  void actorsDeclaredInAChildContextWithoutTheAutoConfigurationFailItsStartup() {
    runner.run(parent -> {
      ApplicationContextRunner child = new ApplicationContextRunner().withParent(parent);
      child.withUserConfiguration(CounterActor.class).run(failsWith(analysis -> {
        assertThat(analysis.getDescription())
            .startsWith("@ActorBean " + CounterActor.class.getName())
            .contains("is declared in a child context whose ActorDirectory is its parent"
                + " context's")
            .contains("calls to it would fail with code 3");
        assertThat(analysis.getAction()).contains("Declare the @ActorBean classes in the parent"
            + " context");
      }));
      child.withUserConfiguration(NamedTypeActor.class).run(failsWith(analysis ->
          assertThat(analysis.getDescription())
              .startsWith("@ActorBean " + NamedTypeActor.class.getName())));
      child.run(context -> assertThat(context).hasNotFailed());
    });
    runner.withUserConfiguration(CounterActor.class).run(parent -> {
      new ApplicationContextRunner().withParent(parent).withUserConfiguration(CounterActor.class)
          .run(context -> assertThat(context).hasNotFailed());
      assertThat(parent.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
          .block(java.time.Duration.ofSeconds(30))).isEqualTo(1L);
    });
    // as an application's child built with SpringApplicationBuilder
    org.springframework.boot.builder.SpringApplicationBuilder application =
        new org.springframework.boot.builder.SpringApplicationBuilder(
            ReactantAutoConfiguration.class)
            .web(org.springframework.boot.WebApplicationType.NONE)
            .bannerMode(org.springframework.boot.Banner.Mode.OFF).registerShutdownHook(false);
    try {
      assertThatThrownBy(() -> application.child(CounterActor.class)
          .web(org.springframework.boot.WebApplicationType.NONE).run())
          .isInstanceOfSatisfying(ActorDeclarationException.class, e -> assertThat(
              new ActorFailureAnalyzer(null).analyze(e).getDescription())
              .startsWith("@ActorBean " + CounterActor.class.getName())
              .contains("is declared in a child context whose ActorDirectory is its parent"
                  + " context's"));
    } finally {
      if (application.context() != null) {
        application.context().close();
      }
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose field or constructor parameter has two singleton"
      + " candidates, none @Primary nor named, fails the startup naming it, an"
      + " @Autowired(required = false) field too (it started, and every call failed with code 5 on"
      + " Spring's ambiguity)")
  void anActorWhoseDependencyIsAmbiguousFailsTheStartup() {
    runner.withUserConfiguration(TwoShared.class, AmbiguousFieldCounterActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).startsWith("Field 'shared' of @ActorBean "
              + AmbiguousFieldCounterActor.class.getName() + " (virtual actor type 'Counter')"
              + " requires a single bean of type '" + Shared.class.getName() + "', but 2 were"
              + " found");
          assertThat(analysis.getAction()).contains("@Primary").contains("@Qualifier");
        }));
    runner.withUserConfiguration(TwoShared.class, AmbiguousTakingCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Parameter 0 of the constructor of @ActorBean "
                + AmbiguousTakingCounterActor.class.getName() + " (virtual actor type 'Counter')"
                + " requires a single bean of type '" + Shared.class.getName() + "'")));

    runner.withUserConfiguration(TwoShared.class, NotRequiredAmbiguousCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Field 'shared' of @ActorBean "
                + NotRequiredAmbiguousCounterActor.class.getName() + " (virtual actor type"
                + " 'Counter') requires a single bean of type '" + Shared.class.getName() + "'")));
  }

  @Test
  @DisplayName("R20 a virtual actor whose dependency has several candidates that Spring tells apart"
      + " (@Primary, a @Qualifier or the field's name naming one, or a provider, map, list or"
      + " array of them all) starts, and its calls create it")
  void anActorWhoseSeveralCandidatesAreToldApartStarts() {
    runner.withUserConfiguration(TwoShared.class, ToldApartCounterActor.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
          .block(java.time.Duration.ofSeconds(30))).isEqualTo(8L);
    });
    runner.withUserConfiguration(PrimaryShared.class, AmbiguousFieldCounterActor.class,
        AmbiguousTakingPlainActor.class).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(java.time.Duration.ofSeconds(30))).isEqualTo(1L);
        });
  }

  @Test
  @DisplayName("R20 a virtual actor whose required @Autowired array field, or such a parameter of"
      + " an @Autowired method, no bean fills fails the startup naming it, as Spring refuses it"
      + " at each creation (it started, and every call failed with code 5)")
  void anActorWhoseInjectedArrayNoBeanFillsFailsTheStartup() {
    runner.withUserConfiguration(ArrayNeedyCounterActor.class).run(failsWith(analysis -> {
      assertThat(analysis.getDescription())
          .startsWith("Field 'none' of @ActorBean " + ArrayNeedyCounterActor.class.getName()
              + " (virtual actor type 'Counter') requires a bean of type '"
              + Missing.class.getName() + "[]' that could not be found")
          .contains("no bean is of its element type " + Missing.class.getName());
      assertThat(analysis.getAction()).contains("@Autowired(required = false)");
    }));
    runner.withUserConfiguration(ArraySetterNeedyCounterActor.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription())
            .startsWith("Parameter 0 of the method setAll of @ActorBean "
                + ArraySetterNeedyCounterActor.class.getName() + " (virtual actor type 'Counter')"
                + " requires a bean of type '" + Missing.class.getName() + "[]'")));
  }

  @Test
  @DisplayName("R20 a virtual actor's @Autowired @Lazy array field or method parameter, whose lazy"
      + " proxy Spring cannot make (an array is no class to subclass) at any creation, fails the"
      + " startup naming it and saying to drop @Lazy: the check itself crashed with a raw"
      + " AopConfigException that named no actor")
  void anActorWhoseLazyArrayCannotBeProxiedFailsTheStartupNamingIt() {
    assertThatThrownBy(() -> new org.springframework.context.annotation
        .AnnotationConfigApplicationContext(TwoShared.class, LazyArrayHolder.class).close())
        .as("Spring itself cannot inject it")
        .hasRootCauseMessage("Cannot subclass final class [L" + Shared.class.getName() + ";");
    runner.withUserConfiguration(TwoShared.class, LazyArrayCounterActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).startsWith("Field 'shared' of @ActorBean "
              + LazyArrayCounterActor.class.getName() + " (virtual actor type 'Counter') cannot"
              + " be resolved: Could not generate CGLIB subclass");
          assertThat(analysis.getAction()).contains("Remove @Lazy").contains("ObjectProvider");
        }));
    runner.withUserConfiguration(TwoShared.class, LazyArraySetterCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Parameter 0 of the method setAll of @ActorBean "
                + LazyArraySetterCounterActor.class.getName() + " (virtual actor type 'Counter')"
                + " cannot be resolved")));
  }

  @Test
  @DisplayName("R20 a virtual actor whose only constructor takes a @Lazy array fails the startup"
      + " naming it: Spring cannot make its proxy (an empty array is its answer to no bean only),"
      + " so it started and every call failed with code 5")
  void anActorWhoseConstructorTakesALazyArrayFailsTheStartup() {
    runner.withUserConfiguration(TwoShared.class, LazyArrayTakingCounterActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).startsWith("Parameter 0 of the constructor of"
              + " @ActorBean " + LazyArrayTakingCounterActor.class.getName() + " (virtual actor"
              + " type 'Counter') cannot be resolved: Could not generate CGLIB subclass");
          assertThat(analysis.getAction()).contains("Remove @Lazy");
        }));
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class LazyArrayTakingCounterActor extends Actor implements Counter {
    private final long size;

    public LazyArrayTakingCounterActor(@org.springframework.context.annotation.Lazy Shared[] all) {
      size = all.length;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(size);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  static class LazyArrayHolder {
    @org.springframework.beans.factory.annotation.Autowired
    @org.springframework.context.annotation.Lazy
    Shared[] shared;
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class LazyArrayCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired
    @org.springframework.context.annotation.Lazy
    private Shared[] shared;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) shared.length);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class LazyArraySetterCounterActor extends Actor implements Counter {
    private long size;

    @org.springframework.beans.factory.annotation.Autowired
    void setAll(@org.springframework.context.annotation.Lazy Shared[] shared) {
      size = shared.length;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(size);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose required @Autowired map has keys that are not strings,"
      + " or whose collection is a class (an ArrayList), and no bean is of"
      + " that type, fails the startup naming it: Spring fills only an array, a collection"
      + " interface and a map by bean name with beans, and looks for a bean of any other's own"
      + " type (it started, and every call failed with code 5)")
  void anActorWhoseInjectedMapOfOtherKeysHasNoBeanFailsTheStartup() {
    runner.withUserConfiguration(NumberedNeedyCounterActor.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription())
            .startsWith("Field 'byNumber' of @ActorBean "
                + NumberedNeedyCounterActor.class.getName() + " (virtual actor type 'Counter')"
                + " requires a bean of type 'java.util.Map<java.lang.Integer, "
                + Missing.class.getName() + ">' that could not be found")));
    runner.withUserConfiguration(Stamps.class, ClassNeedyCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Field 'stamps' of @ActorBean " + ClassNeedyCounterActor.class.getName()
                + " (virtual actor type 'Counter') requires a bean of type"
                + " 'java.util.ArrayList<" + Stamp.class.getName() + ">' that could not be"
                + " found")));
  }

  @Test
  @DisplayName("R20 a virtual actor whose @Resource names no bean, or whose @Resource by its field's"
      + " name finds no bean of its type, fails the startup naming it (it started, and every"
      + " call failed with code 5)")
  void anActorWhoseResourceHasNoBeanFailsTheStartup() {
    runner.withUserConfiguration(TwoShared.class, NamedResourceNeedyCounterActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).startsWith("Field 'shared' of @ActorBean "
              + NamedResourceNeedyCounterActor.class.getName() + " (virtual actor type 'Counter')"
              + " requires a bean of type '" + Shared.class.getName() + "' that could not be"
              + " found").contains("'nothing'");
          assertThat(analysis.getAction()).contains("Define a bean");
        }));
    runner.withUserConfiguration(ResourceNeedyCounterActor.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription()).startsWith("Field 'missing' of @ActorBean "
            + ResourceNeedyCounterActor.class.getName() + " (virtual actor type 'Counter')"
            + " requires a bean of type '" + Missing.class.getName() + "'")));
    runner.withUserConfiguration(ResourceSetterNeedyCounterActor.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription()).startsWith("Parameter 0 of the method setMissing"
            + " of @ActorBean " + ResourceSetterNeedyCounterActor.class.getName())));
  }

  @Test
  @DisplayName("R20 a virtual actor whose @Nullable @Resource finds no bean fails the startup"
      + " naming it: Spring's lookup of a resource refuses no bean even where @Nullable (it"
      + " started, and every call failed with code 5)")
  void anActorWhoseNullableResourceHasNoBeanFailsTheStartup() {
    assertThatThrownBy(() -> new org.springframework.context.annotation
        .AnnotationConfigApplicationContext(NullableResourceHolder.class).close())
        .as("Spring itself refuses it").hasRootCauseMessage("No qualifying bean of type '"
            + Missing.class.getName() + "' available: No resolvable resource object");
    runner.withUserConfiguration(NullableResourceCounterActor.class).run(failsWith(analysis ->
        assertThat(analysis.getDescription()).startsWith("Field 'missing' of @ActorBean "
            + NullableResourceCounterActor.class.getName() + " (virtual actor type 'Counter')"
            + " requires a bean of type '" + Missing.class.getName() + "' that could not be"
            + " found")));
  }

  static class NullableResourceHolder {
    @jakarta.annotation.Resource
    @org.jspecify.annotations.Nullable Missing missing;
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class NullableResourceCounterActor extends Actor implements Counter {
    @jakarta.annotation.Resource
    private @org.jspecify.annotations.Nullable Missing missing;

    @Override
    public Mono<Long> bump() {
      return Mono.just(missing == null ? 0L : 1L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose injected arrays, maps and resources may go without a bean"
      + " (not required, @Nullable, @Lazy, filled, a map that is a bean, a @Resource naming a bean"
      + " or found by type) starts, and its calls create it; the check creates no prototype bean")
  void anActorWhoseOptionalArraysMapsAndResourcesStart() {
    runner.withUserConfiguration(TwoShared.class, Stamps.class, LenientArrayCounterActor.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          java.util.concurrent.atomic.AtomicInteger stamps =
              context.getBean(java.util.concurrent.atomic.AtomicInteger.class);
          assertThat(stamps).as("the check creates no prototype dependency").hasValue(0);
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(java.time.Duration.ofSeconds(30))).isEqualTo(6L);
        });
  }

  /** A type two beans have. */
  public interface Shared {
    int weight();
  }

  record SharedBean(int weight) implements Shared {
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class TwoShared {
    @org.springframework.context.annotation.Bean
    Shared first() {
      return new SharedBean(1);
    }

    @org.springframework.context.annotation.Bean
    Shared second() {
      return new SharedBean(2);
    }

    @org.springframework.context.annotation.Bean
    java.util.Map<Integer, Shared> sharedByNumber() {
      return java.util.Map.of(1, first());
    }
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class PrimaryShared {
    @org.springframework.context.annotation.Bean
    @org.springframework.context.annotation.Primary
    Shared first() {
      return new SharedBean(1);
    }

    @org.springframework.context.annotation.Bean
    Shared second() {
      return new SharedBean(2);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class AmbiguousFieldCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired
    private Shared shared;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) shared.weight());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class NotRequiredAmbiguousCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    private Shared shared;

    @Override
    public Mono<Long> bump() {
      return Mono.just(shared == null ? 0L : shared.weight());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class AmbiguousTakingCounterActor extends Actor implements Counter {
    private final Shared shared;

    public AmbiguousTakingCounterActor(Shared shared) {
      this.shared = shared;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) shared.weight());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class AmbiguousTakingPlainActor extends Actor implements Plain {
    private final Shared shared;

    public AmbiguousTakingPlainActor(Shared shared) {
      this.shared = shared;
    }

    @Override
    public Mono<String> plain() {
      return Mono.just(String.valueOf(shared.weight()));
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class ToldApartCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired
    @org.springframework.beans.factory.annotation.Qualifier("first")
    private Shared qualified;
    @org.springframework.beans.factory.annotation.Autowired
    private Shared second;
    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.beans.factory.ObjectProvider<Shared> provider;
    @org.springframework.beans.factory.annotation.Autowired
    private java.util.Map<String, Shared> byName;
    @org.springframework.beans.factory.annotation.Autowired
    private java.util.List<Shared> list;
    @org.springframework.beans.factory.annotation.Autowired
    private Shared[] array;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) qualified.weight() + second.weight() - 2 + byName.size()
          + list.size() + array.length + (provider.getIfUnique() == null ? 1 : 0));
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class ArrayNeedyCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired
    private Missing[] none;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) none.length);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class ArraySetterNeedyCounterActor extends Actor implements Counter {
    private int size;

    @org.springframework.beans.factory.annotation.Autowired
    void setAll(Missing[] none) {
      size = none.length;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) size);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class NumberedNeedyCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired
    private java.util.Map<Integer, Missing> byNumber;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) byNumber.size());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class ClassNeedyCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired
    private java.util.ArrayList<Stamp> stamps;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) stamps.size());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class NamedResourceNeedyCounterActor extends Actor implements Counter {
    @jakarta.annotation.Resource(name = "nothing")
    private Shared shared;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) shared.weight());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class ResourceNeedyCounterActor extends Actor implements Counter {
    @jakarta.annotation.Resource
    private Missing missing;

    @Override
    public Mono<Long> bump() {
      return Mono.just(missing == null ? 0L : 1L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class ResourceSetterNeedyCounterActor extends Actor implements Counter {
    private Missing missing;

    @jakarta.annotation.Resource
    void setMissing(Missing missing) {
      this.missing = missing;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(missing == null ? 0L : 1L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class LenientArrayCounterActor extends Actor implements Counter {
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    private Missing[] notRequired;
    @org.springframework.beans.factory.annotation.Autowired
    private Missing @org.jspecify.annotations.Nullable [] nullable;
    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.context.ApplicationContext[] contexts;
    @org.springframework.beans.factory.annotation.Autowired
    private Stamp[] stamps;
    @org.springframework.beans.factory.annotation.Autowired
    private java.util.Map<Integer, Shared> byNumber;
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    private java.util.Map<Integer, Missing> notRequiredByNumber;
    @jakarta.annotation.Resource(name = "second")
    private Shared named;
    @jakarta.annotation.Resource
    private Shared first;
    @jakarta.annotation.Resource
    private Stamp byType;
    @jakarta.annotation.Resource(type = Stamp.class)
    private Object ofItsType;
    @jakarta.annotation.Resource
    @org.springframework.context.annotation.Lazy
    private Missing lazyResource;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) contexts.length + stamps.length + byNumber.size() + named.weight()
          + first.weight() + (byType == null ? 100 : 0) + (ofItsType instanceof Stamp ? 0 : 100)
          + (notRequired == null ? 0 : 100) + (notRequiredByNumber == null ? 0 : 100)
          + (lazyResource == null ? 100 : 0));
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  private static ContextConsumer<AssertableApplicationContext> failsWith(Consumer<FailureAnalysis> check) {
    return context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      FailureAnalysis analysis = new ActorFailureAnalyzer(null).analyze(failure);
      assertThat(analysis).as("analysis of %s", failure).isNotNull();
      check.accept(analysis);
    };
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class SecondCounterActor extends Actor implements Counter {
    @Override
    public Mono<Long> bump() {
      return Mono.just(0L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  public interface OtherCounter {
    Mono<Long> bump();
  }

  @ActorBean(name = "Counter")
  public static final class CounterNamedActor extends Actor implements OtherCounter {
    @Override
    public Mono<Long> bump() {
      return Mono.just(0L);
    }
  }

  @ActorBean
  public static final class NotAnActor implements OtherCounter {
    @Override
    public Mono<Long> bump() {
      return Mono.just(0L);
    }
  }

  public interface Label {
    @Query
    Mono<String> label();
  }

  @ActorBean
  public static final class TwoInterfacesActor extends Actor implements Label, Comparable<Object> {
    @Override
    public Mono<String> label() {
      return Mono.just("two");
    }

    @Override
    public int compareTo(Object o) {
      return 0;
    }
  }

  @ActorBean(type = Label.class, name = "Labelled")
  public static final class NamedTypeActor extends Actor implements Label, Comparable<Object> {
    @Override
    public Mono<String> label() {
      return Mono.just("named");
    }

    @Override
    public int compareTo(Object o) {
      return 0;
    }
  }

  @ActorBean(activation = Activation.VIRTUAL, id = "fixed")
  public static final class VirtualWithIdActor extends Actor implements Label {
    @Override
    public Mono<String> label() {
      return Mono.just("virtual");
    }
  }

  public interface Plain {
    Mono<String> plain();
  }

  @ActorBean
  public static final class MarkedHereOnlyActor extends Actor implements Plain {
    @Override
    @Query
    public Mono<String> plain() {
      return Mono.just("plain");
    }
  }

  interface Hidden {
    Mono<String> hidden();
  }

  @ActorBean
  public static final class HiddenActor extends Actor implements Hidden {
    @Override
    public Mono<String> hidden() {
      return Mono.just("hidden");
    }
  }

  public interface Sized {
    int size();
  }

  @ActorBean
  public static final class BadInterfaceActor extends Actor implements Sized {
    @Override
    public int size() {
      return 0;
    }
  }
}

package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.spring.boot.ActorDeclarationFailureTests.Missing;
import io.reactant.spring.boot.ActorDeclarationFailureTests.Shared;
import io.reactant.spring.boot.ActorDeclarationFailureTests.SharedBean;
import io.reactant.spring.boot.ActorDeclarationFailureTests.Stamp;
import io.reactant.spring.boot.ActorDeclarationFailureTests.TwoShared;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import java.time.Duration;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;

/**
 * The startup check of a singleton's or a virtual actor's dependencies, where Spring's rules are
 * less plain: an {@code @Autowired(required = false)} method, a {@code @Resource} naming a bean,
 * sorted collections, and the products of {@code FactoryBean}s. Each case is checked against what
 * Spring itself does with a plain bean, so that the check refuses what every creation would fail
 * on (code 5), and only that.
 */
class ActorDependencyCheckTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class));

  @Test
  @DisplayName("R20 a virtual actor whose @Autowired(required = false) method has a parameter that"
      + " two beans satisfy, none chosen, fails the startup naming it (Spring refuses the"
      + " ambiguity even where the method is not required: it started, and every call failed with"
      + " code 5); one whose parameter has no bean starts, and Spring skips the method")
  void anAmbiguousParameterOfAMethodNotRequiredFailsTheStartup() {
    assertThatThrownBy(() -> new AnnotationConfigApplicationContext(TwoShared.class,
        AmbiguousSetterHolder.class).close()).as("Spring itself refuses it")
        .hasRootCauseInstanceOf(
            org.springframework.beans.factory.NoUniqueBeanDefinitionException.class);
    runner.withUserConfiguration(TwoShared.class, AmbiguousSetterCounterActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).startsWith("Parameter 1 of the method setShared"
              + " of @ActorBean " + AmbiguousSetterCounterActor.class.getName() + " (virtual"
              + " actor type 'Counter') requires a single bean of type '" + Shared.class.getName()
              + "', but 2 were found");
          assertThat(analysis.getAction()).contains("@Primary").contains("@Qualifier");
        }));
    runner.withUserConfiguration(TwoShared.class, SkippedSetterCounterActor.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(Duration.ofSeconds(30))).as("the method was skipped").isEqualTo(0L);
        });
  }

  static class AmbiguousSetterHolder {
    @Autowired(required = false)
    void setShared(Shared shared) {
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class AmbiguousSetterCounterActor extends Actor implements Counter {
    private long weight;

    @Autowired(required = false)
    void setShared(org.springframework.core.env.Environment environment, Shared shared) {
      this.weight = shared.weight();
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(weight);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class SkippedSetterCounterActor extends Actor implements Counter {
    private long weight;

    /** Skipped at its first parameter, which has no bean: the ambiguous one is never read. */
    @Autowired(required = false)
    void setShared(Missing missing, Shared shared) {
      this.weight = 100;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(weight);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose @Resource names a bean (by its name attribute, or by"
      + " its field's or property's name) of a type that does not fit fails the startup naming"
      + " the member, the bean and both types (it started, and every call failed with code 5)")
  void aResourceNamingABeanOfAnotherTypeFailsTheStartup() {
    assertThatThrownBy(() -> new AnnotationConfigApplicationContext(TwoShared.class,
        MistypedResourceHolder.class).close()).as("Spring itself refuses it")
        .hasRootCauseInstanceOf(
            org.springframework.beans.factory.BeanNotOfRequiredTypeException.class);
    runner.withUserConfiguration(TwoShared.class, MistypedResourceCounterActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).startsWith("Field 'stamp' of @ActorBean "
              + MistypedResourceCounterActor.class.getName() + " (virtual actor type 'Counter')"
              + " requires a bean of type '" + Stamp.class.getName() + "', but the bean 'first'"
              + " its @Resource names is of type '" + SharedBean.class.getName() + "'");
          assertThat(analysis.getAction()).contains("@Resource").contains("'first'");
        }));
    runner.withUserConfiguration(TwoShared.class, MistypedDefaultResourceCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Field 'second' of @ActorBean "
                + MistypedDefaultResourceCounterActor.class.getName() + " (virtual actor type"
                + " 'Counter') requires a bean of type '" + Stamp.class.getName() + "', but the"
                + " bean 'second' its @Resource names is of type '" + SharedBean.class.getName()
                + "'")));
    runner.withUserConfiguration(TwoShared.class, MistypedResourceSetterCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Parameter 0 of the method setStamp of @ActorBean "
                + MistypedResourceSetterCounterActor.class.getName())));
  }

  @Test
  @DisplayName("R20 a virtual actor whose @Resource names a bean whose type is only declared (a"
      + " prototype @Bean method's return type, a FactoryBean's getObjectType()) as a supertype"
      + " of the one it asks for starts, as Spring injects the object made, which is of that type"
      + " (the check refused it); a declared type no object of the asked type can have fails")
  void aResourceNamingABeanDeclaredAsASupertypeStarts() {
    try (var spring = new AnnotationConfigApplicationContext(DeclaredAsSource.class)) {
      spring.registerBean(LabelHolder.class, definition -> definition.setScope("prototype"));
      assertThat(spring.getBean(LabelHolder.class).label).as("Spring injects it").isNotNull();
      assertThat(spring.getBean(LabelHolder.class).made).as("Spring injects it").isNotNull();
    }
    runner.withUserConfiguration(DeclaredAsSource.class, LabelResourceCounterActor.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(Duration.ofSeconds(30))).isEqualTo(2L);
        });
    runner.withUserConfiguration(DeclaredAsSource.class, RecordResourceCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Field 'label' of @ActorBean "
                + RecordResourceCounterActor.class.getName() + " (virtual actor type 'Counter')"
                + " requires a bean of type '" + Ticket.class.getName() + "', but the bean"
                + " 'label' its @Resource names is of type '" + Source.class.getName() + "'")));
  }

  @Test
  @DisplayName("R20 a virtual actor whose @Resource names a bean that Spring's type conversion"
      + " turns into the type it asks for without a conversion service (a number into another"
      + " number type, a boxed primitive into a string, a type with a custom editor) starts, as"
      + " the bean factory injects it converted (the check refused it in a context without"
      + " Spring Boot's conversion service, such as an ApplicationContextRunner's)")
  void aResourceThatTheBeanFactoryConvertsStarts() {
    try (var spring = new AnnotationConfigApplicationContext()) {
      spring.register(Numbers.class);
      spring.addBeanFactoryPostProcessor(Numbers::registerEditor);
      spring.refresh();
      assertThat(spring.getBeanFactory().getConversionService()).as("none").isNull();
      spring.registerBean(NumberHolder.class, definition -> definition.setScope("prototype"));
      NumberHolder holder = spring.getBean(NumberHolder.class);
      assertThat(holder.limit).as("Spring converts it").isEqualTo(5L);
      assertThat(holder.flag).as("Spring converts it").isEqualTo("true");
      assertThat(holder.ticket).as("Spring converts it").isEqualTo(new Ticket(5));
    }
    runner.withUserConfiguration(Numbers.class, NumberResourceCounterActor.class)
        .withInitializer(context -> context.addBeanFactoryPostProcessor(Numbers::registerEditor))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(Duration.ofSeconds(30))).isEqualTo(10L);
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class Numbers {
    @Bean
    Integer limit() {
      return 5;
    }

    @Bean
    Boolean flag() {
      return true;
    }

    /** Converts a number into a ticket of that number. */
    static void registerEditor(
        org.springframework.beans.factory.config.ConfigurableListableBeanFactory factory) {
      factory.registerCustomEditor(Ticket.class, TicketEditor.class);
    }
  }

  /** Makes a ticket of a number. */
  public static final class TicketEditor extends java.beans.PropertyEditorSupport {
    @Override
    public void setValue(Object value) {
      super.setValue(value instanceof Number n ? new Ticket(n.intValue()) : value);
    }
  }

  static class NumberHolder {
    @jakarta.annotation.Resource(name = "limit")
    Long limit;
    @jakarta.annotation.Resource(name = "flag")
    String flag;
    @jakarta.annotation.Resource(name = "limit")
    Ticket ticket;
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class NumberResourceCounterActor extends Actor implements Counter {
    @jakarta.annotation.Resource(name = "limit")
    private long limit;
    @jakarta.annotation.Resource(name = "flag")
    private String flag;
    @jakarta.annotation.Resource(name = "limit")
    private Ticket ticket;

    @Override
    public Mono<Long> bump() {
      return Mono.just(limit + flag.length() - 4 + ticket.number());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  /** What a bean is declared as. */
  public interface Source {
  }

  /** What the bean is. */
  public static final class Label implements Source {
  }

  /** A type no {@link Source} can be: a record that is not one. */
  public record Ticket(int number) {
  }

  @Configuration(proxyBeanMethods = false)
  static class DeclaredAsSource {
    @Bean
    @org.springframework.context.annotation.Scope("prototype")
    Source label() {
      return new Label();
    }

    @Bean
    FactoryBean<Source> labelFactory() {
      return new FactoryBean<>() {
        @Override
        public Source getObject() {
          return new Label();
        }

        @Override
        public Class<?> getObjectType() {
          return Source.class;
        }
      };
    }
  }

  static class LabelHolder {
    @jakarta.annotation.Resource
    Label label;
    @jakarta.annotation.Resource(name = "labelFactory")
    Label made;
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class LabelResourceCounterActor extends Actor implements Counter {
    @jakarta.annotation.Resource
    private Label label;
    @jakarta.annotation.Resource(name = "labelFactory")
    private Label made;

    @Override
    public Mono<Long> bump() {
      return Mono.just((label == null ? 0L : 1L) + (made == null ? 0L : 1L));
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class RecordResourceCounterActor extends Actor implements Counter {
    @jakarta.annotation.Resource
    private Ticket label;

    @Override
    public Mono<Long> bump() {
      return Mono.just(label == null ? 0L : 1L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  static class MistypedResourceHolder {
    @jakarta.annotation.Resource(name = "first")
    Stamp stamp;
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class MistypedResourceCounterActor extends Actor implements Counter {
    @jakarta.annotation.Resource(name = "first")
    private Stamp stamp;

    @Override
    public Mono<Long> bump() {
      return Mono.just(stamp == null ? 0L : 1L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class MistypedDefaultResourceCounterActor extends Actor
      implements Counter {
    @jakarta.annotation.Resource
    private Stamp second;

    @Override
    public Mono<Long> bump() {
      return Mono.just(second == null ? 0L : 1L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class MistypedResourceSetterCounterActor extends Actor
      implements Counter {
    private @Nullable Stamp stamp;

    @jakarta.annotation.Resource(name = "first")
    void setStamp(Stamp stamp) {
      this.stamp = stamp;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(stamp == null ? 0L : 1L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose SortedSet field, or lone constructor's parameter, Spring"
      + " would fill with beans that are not Comparable (a TreeSet, no comparator) fails the"
      + " startup naming it (it started, and every call failed with code 5); a SortedSet of"
      + " Comparable beans and a SortedMap by bean name start, and are filled")
  void aSortedSetOfBeansThatAreNotComparableFailsTheStartup() {
    assertThatThrownBy(() -> new AnnotationConfigApplicationContext(TwoShared.class,
        SortedSetHolder.class).close()).as("Spring itself refuses it")
        .isInstanceOf(org.springframework.beans.factory.UnsatisfiedDependencyException.class)
        .hasMessageContaining("SortedSet");
    runner.withUserConfiguration(TwoShared.class, SortedSetFieldCounterActor.class)
        .run(failsWith(analysis -> {
          assertThat(analysis.getDescription()).startsWith("Field 'shared' of @ActorBean "
              + SortedSetFieldCounterActor.class.getName() + " (virtual actor type 'Counter')"
              + " cannot be resolved: ")
              .contains("'" + SharedBean.class.getName() + "'").contains("Comparable");
          assertThat(analysis.getAction()).contains("List");
        }));
    runner.withUserConfiguration(TwoShared.class, SortedSetTakingCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Parameter 0 of the constructor of @ActorBean "
                + SortedSetTakingCounterActor.class.getName())));
    runner.withUserConfiguration(TwoShared.class, TwoRanks.class, SortedCounterActor.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(Duration.ofSeconds(30))).as("2 ranks and 2 shared by name").isEqualTo(22L);
        });
  }

  @Test
  @DisplayName("R20 a virtual actor whose SortedSet Spring fills with beans not made yet"
      + " (prototypes) declared by an interface that is not Comparable, whose objects are, starts"
      + " and gets them sorted (the check read the declared type and refused it); one declared by"
      + " a final class that is not Comparable still fails")
  void aSortedSetOfBeansDeclaredByAnInterfaceStarts() {
    try (var spring = new AnnotationConfigApplicationContext(ComparableShares.class)) {
      spring.registerBean(SortedSetHolder.class, definition -> definition.setScope("prototype"));
      assertThat(spring.getBean(SortedSetHolder.class).shared).as("Spring fills it").hasSize(2);
    }
    runner.withUserConfiguration(ComparableShares.class, SortedSetFieldCounterActor.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(Duration.ofSeconds(30))).isEqualTo(2L);
        });
    runner.withUserConfiguration(PrototypeTicket.class, TicketSetCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Field 'tickets' of @ActorBean " + TicketSetCounterActor.class.getName())
            .contains("Comparable")));
  }

  @Test
  @DisplayName("R20 a virtual actor whose lone constructor takes a @Value SortedSet starts, though"
      + " beans of its element type are not Comparable: Spring injects the value, not the beans"
      + " (the check read the beans and refused it)")
  void aSortedSetValueStarts() {
    runner.withUserConfiguration(TwoShared.class, SortedValueCounterActor.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(Duration.ofSeconds(30))).isEqualTo(0L);
        });
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class SortedValueCounterActor extends Actor implements Counter {
    private final SortedSet<Shared> shared;

    public SortedValueCounterActor(
        @org.springframework.beans.factory.annotation.Value(
            "#{T(java.util.Collections).emptySortedSet()}") SortedSet<Shared> shared) {
      this.shared = shared;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) shared.size());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  /** A share that sorts by weight. */
  public record ComparableShare(int weight) implements Shared, Comparable<ComparableShare> {
    @Override
    public int compareTo(ComparableShare other) {
      return Integer.compare(weight, other.weight);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ComparableShares {
    @Bean
    @org.springframework.context.annotation.Scope("prototype")
    Shared light() {
      return new ComparableShare(1);
    }

    @Bean
    @org.springframework.context.annotation.Scope("prototype")
    Shared heavy() {
      return new ComparableShare(2);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class PrototypeTicket {
    @Bean
    @org.springframework.context.annotation.Scope("prototype")
    Ticket ticket() {
      return new Ticket(1);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class TicketSetCounterActor extends Actor implements Counter {
    @Autowired
    private SortedSet<Ticket> tickets;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) tickets.size());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  static class SortedSetHolder {
    @Autowired
    SortedSet<Shared> shared;
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class SortedSetFieldCounterActor extends Actor implements Counter {
    @Autowired
    private SortedSet<Shared> shared;

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) shared.size());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class SortedSetTakingCounterActor extends Actor implements Counter {
    private final SortedSet<Shared> shared;

    public SortedSetTakingCounterActor(SortedSet<Shared> shared) {
      this.shared = shared;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just((long) shared.size());
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  /** A bean type that sorts. */
  public record Rank(int value) implements Comparable<Rank> {
    @Override
    public int compareTo(Rank other) {
      return Integer.compare(value, other.value);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoRanks {
    @Bean
    Rank low() {
      return new Rank(1);
    }

    @Bean
    Rank high() {
      return new Rank(2);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class SortedCounterActor extends Actor implements Counter {
    private final SortedSet<Rank> ranks;
    @Autowired
    private SortedMap<String, Shared> shared;

    public SortedCounterActor(SortedSet<Rank> ranks) {
      this.ranks = ranks;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(ranks.size() * 10L + shared.size() + ranks.first().value() - 1);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @Test
  @DisplayName("R20 a virtual actor whose dependency two FactoryBeans produce, none chosen, fails"
      + " the startup naming it, without asking either for a product (it started, and every"
      + " call failed with code 5); one of them @Primary starts")
  void aDependencyThatTwoFactoryBeansProduceFailsTheStartup() {
    assertThatThrownBy(() -> new AnnotationConfigApplicationContext(TwoStampFactories.class,
        StampHolder.class).close()).as("Spring itself refuses it")
        .hasRootCauseInstanceOf(
            org.springframework.beans.factory.NoUniqueBeanDefinitionException.class);
    runner.withUserConfiguration(TwoStampFactories.class, StampFieldCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Field 'stamp' of @ActorBean " + StampFieldCounterActor.class.getName()
                + " (virtual actor type 'Counter') requires a single bean of type '"
                + Stamp.class.getName() + "', but 2 were found")));
    runner.withUserConfiguration(TwoStampFactories.class, StampTakingCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Parameter 0 of the constructor of @ActorBean "
                + StampTakingCounterActor.class.getName() + " (virtual actor type 'Counter')"
                + " requires a single bean of type '" + Stamp.class.getName() + "'")));
    runner.withUserConfiguration(TwoStampFactories.class, PrimaryStamp.class,
        StampFieldCounterActor.class).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean("stampsMade", java.util.concurrent.atomic.AtomicInteger.class))
              .as("the check asks no factory for a product").hasValue(0);
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(Duration.ofSeconds(30))).isEqualTo(1L);
        });
  }

  @Test
  @DisplayName("R20 a FactoryBean whose getObjectType() is null produces no candidate once it"
      + " exists (Spring reads the FactoryBean<Stamp> of its @Bean method only before): a virtual"
      + " actor that needs a Stamp fails the startup, as Spring fails each creation after the"
      + " startup; with a plain Stamp bean too, it starts and gets that one")
  void aFactoryBeanWithoutAnObjectTypeIsNoCandidateOnceItExists() {
    try (var spring = new AnnotationConfigApplicationContext(UntypedStampFactory.class)) {
      spring.registerBean(StampHolder.class, definition -> definition.setScope("prototype"));
      assertThatThrownBy(() -> spring.getBean(StampHolder.class))
          .as("Spring finds no bean once the factory exists")
          .hasRootCauseInstanceOf(
              org.springframework.beans.factory.NoSuchBeanDefinitionException.class);
    }
    runner.withUserConfiguration(UntypedStampFactory.class, StampFieldCounterActor.class)
        .run(failsWith(analysis -> assertThat(analysis.getDescription())
            .startsWith("Field 'stamp' of @ActorBean " + StampFieldCounterActor.class.getName()
                + " (virtual actor type 'Counter') requires a bean of type '"
                + Stamp.class.getName() + "' that could not be found")));
    runner.withUserConfiguration(UntypedStampFactory.class, PlainStamp.class,
        StampFieldCounterActor.class).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ActorDirectory.class).get(Counter.class, "c").bump()
              .block(Duration.ofSeconds(30))).isEqualTo(1L);
        });
  }

  static class StampHolder {
    @Autowired
    Stamp stamp;
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoStampFactories {
    @Bean
    java.util.concurrent.atomic.AtomicInteger stampsMade() {
      return new java.util.concurrent.atomic.AtomicInteger();
    }

    @Bean
    FactoryBean<Stamp> oneStamp(java.util.concurrent.atomic.AtomicInteger stampsMade) {
      return new StampFactory(stampsMade, true);
    }

    @Bean
    FactoryBean<Stamp> otherStamp(java.util.concurrent.atomic.AtomicInteger stampsMade) {
      return new StampFactory(stampsMade, false);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class PrimaryStamp {
    @Bean
    @Primary
    FactoryBean<Stamp> primaryStamp(java.util.concurrent.atomic.AtomicInteger stampsMade) {
      return new StampFactory(stampsMade, true);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UntypedStampFactory {
    @Bean
    FactoryBean<Stamp> untypedStamp() {
      return new FactoryBean<>() {
        @Override
        public Stamp getObject() {
          return new Stamp();
        }

        @Override
        public @Nullable Class<?> getObjectType() {
          return null;
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class PlainStamp {
    @Bean
    Stamp plainStamp() {
      return new Stamp();
    }
  }

  record StampFactory(java.util.concurrent.atomic.AtomicInteger made, boolean singleton)
      implements FactoryBean<Stamp> {
    @Override
    public Stamp getObject() {
      made.incrementAndGet();
      return new Stamp();
    }

    @Override
    public Class<?> getObjectType() {
      return Stamp.class;
    }

    @Override
    public boolean isSingleton() {
      return singleton;
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class StampFieldCounterActor extends Actor implements Counter {
    @Autowired
    private Stamp stamp;

    @Override
    public Mono<Long> bump() {
      return Mono.just(stamp == null ? 0L : 1L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class StampTakingCounterActor extends Actor implements Counter {
    private final Stamp stamp;

    public StampTakingCounterActor(Stamp stamp) {
      this.stamp = stamp;
    }

    @Override
    public Mono<Long> bump() {
      return Mono.just(stamp == null ? 0L : 1L);
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(0L);
    }
  }

  private static ContextConsumer<AssertableApplicationContext> failsWith(
      Consumer<FailureAnalysis> check) {
    return context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      FailureAnalysis analysis = new ActorFailureAnalyzer(null).analyze(failure);
      assertThat(analysis).as("analysis of %s", failure).isNotNull();
      check.accept(analysis);
    };
  }
}

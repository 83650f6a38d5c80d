package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import io.reactant.actor.Actor;
import io.reactant.actor.Query;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import reactor.core.publisher.Mono;

/**
 * Spring Framework's test bean overrides ({@code @MockitoBean}, {@code @TestBean}) in a
 * {@code @SpringBootTest} replace an actor's dependency: the startup check resolves the override,
 * a singleton's constructor gets it at startup, and its turns and a virtual actor's creation
 * get it too.
 */
class ActorTestOverridesTests {

  /** What the actors depend on: the application defines a bean, a test overrides it. */
  public interface Weights {
    int weight();
  }

  /** What no bean of the application is: only a test's override supplies it. */
  public interface Ledger {
    String name();
  }

  public interface Scale {
    /** What the constructor read, when the application started. */
    @Query
    Mono<Integer> initialWeight();

    Mono<Integer> weigh();
  }

  public interface Tally {
    Mono<String> describe();
  }

  @ActorBean
  public static final class ScaleActor extends Actor implements Scale {
    private final Weights weights;
    private final int initial;

    public ScaleActor(Weights weights) {
      this.weights = weights;
      this.initial = weights.weight();
    }

    @Override
    public Mono<Integer> initialWeight() {
      return Mono.just(initial);
    }

    @Override
    public Mono<Integer> weigh() {
      return Mono.just(weights.weight());
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class TallyActor extends Actor implements Tally {
    private final String described;

    public TallyActor(Weights weights, Ledger ledger) {
      this.described = ledger.name() + ":" + weights.weight();
    }

    @Override
    public Mono<String> describe() {
      return Mono.just(described);
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @ImportAutoConfiguration(ReactantAutoConfiguration.class)
  @Import({ScaleActor.class, TallyActor.class})
  static class Application {
    @Bean
    Weights weights() {
      return () -> 1;
    }
  }

  @Nested
  @SpringBootTest(classes = Application.class, properties = "spring.main.web-application-type=none")
  @DisplayName("R20 @MockitoBean")
  class MockitoBeans {

    @MockitoBean
    Weights weights;

    @MockitoBean
    Ledger ledger;

    @Autowired
    Scale scale;

    @Autowired
    ActorDirectory actors;

    @Test
    @DisplayName("R20 an actor's dependency replaced with @MockitoBean (or supplied by one, where"
        + " the application has no bean) passes the startup check; the singleton's constructor"
        + " got the mock at startup, and its turns and a virtual actor's creation get it")
    void actorsSeeTheMocks() {
      assertThat(scale.initialWeight().block(Duration.ofSeconds(30)))
          .as("an unstubbed mock's 0, not the application's 1").isZero();
      given(weights.weight()).willReturn(42);
      given(ledger.name()).willReturn("mocked");
      assertThat(scale.weigh().block(Duration.ofSeconds(30))).isEqualTo(42);
      assertThat(actors.get(Tally.class, "t").describe().block(Duration.ofSeconds(30)))
          .isEqualTo("mocked:42");
    }
  }

  @Nested
  @SpringBootTest(classes = Application.class, properties = "spring.main.web-application-type=none")
  @DisplayName("R20 @TestBean")
  class TestBeans {

    @TestBean
    Weights weights;

    @TestBean
    Ledger ledger;

    @Autowired
    Scale scale;

    @Autowired
    ActorDirectory actors;

    static Weights weights() {
      return () -> 7;
    }

    static Ledger ledger() {
      return () -> "test";
    }

    @Test
    @DisplayName("R20 an actor's dependency replaced with @TestBean (or supplied by one) passes the"
        + " startup check; the singleton's constructor got the test's bean at startup, and its"
        + " turns and a virtual actor's creation get it")
    void actorsSeeTheTestBeans() {
      assertThat(scale.initialWeight().block(Duration.ofSeconds(30))).isEqualTo(7);
      assertThat(scale.weigh().block(Duration.ofSeconds(30))).isEqualTo(7);
      assertThat(actors.get(Tally.class, "t").describe().block(Duration.ofSeconds(30)))
          .isEqualTo("test:7");
    }
  }
}

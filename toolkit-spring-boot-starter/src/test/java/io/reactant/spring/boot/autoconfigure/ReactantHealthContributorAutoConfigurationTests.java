package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorSystem;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.actuate.ReactantHealthIndicator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ReactantHealthContributorAutoConfigurationTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantHealthContributorAutoConfiguration.class,
          HealthContributorAutoConfiguration.class,
          HealthContributorRegistryAutoConfiguration.class))
      .withUserConfiguration(CounterActor.class);

  @Configuration(proxyBeanMethods = false)
  static class OwnIndicator {
    @Bean
    ReactantHealthIndicator mine(ActorSystem system) {
      return new ReactantHealthIndicator(system);
    }
  }

  private static Health health(ReactantHealthIndicator indicator, boolean details) {
    Health health = indicator.health(details).block(Duration.ofSeconds(30));
    assertThat(health).isNotNull();
    return health;
  }

  @Test
  @DisplayName("the indicator is the health contributor 'reactant', UP while the system runs, with"
      + " its actors and mailboxes in the details (a bound only when the configuration sets one)")
  void upWhileTheSystemRunsWithItsFiguresInTheDetails() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(ReactantHealthIndicator.class);
      assertThat(context.getBean(ReactiveHealthContributorRegistry.class)
          .getContributor("reactant")).isSameAs(context.getBean(ReactantHealthIndicator.class));
      context.getBean(ActorDirectory.class).get(Counter.class, "c1").bump().block();
      Health health = health(context.getBean(ReactantHealthIndicator.class), true);
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsExactlyInAnyOrderEntriesOf(Map.of("name", "reactant",
          "actors", 1, "queuedMessages", 0L, "deepestMailbox", 0));
    });
  }

  @Test
  @DisplayName("the details show the mailbox capacity and the most actors the properties set")
  void detailsShowTheConfiguredBounds() {
    runner.withPropertyValues("reactant.mailbox-capacity=64", "reactant.max-actors=1000")
        .run(context -> assertThat(health(context.getBean(ReactantHealthIndicator.class), true)
            .getDetails()).containsEntry("mailboxCapacity", 64).containsEntry("maxActors", 1000));
  }

  @Test
  @DisplayName("R12a once the system's shutdown began (its calls refused with code 2), the health"
      + " is OUT_OF_SERVICE, saying why; without details, only the status")
  void outOfServiceOnceTheSystemIsShutDown() {
    runner.run(context -> {
      ReactantHealthIndicator indicator = context.getBean(ReactantHealthIndicator.class);
      assertThat(health(indicator, false).getStatus()).isEqualTo(Status.UP);
      assertThat(health(indicator, false).getDetails()).isEmpty();
      context.getBean(ActorSystem.class).shutdown(Duration.ZERO).block(Duration.ofSeconds(30));
      Health health = health(indicator, true);
      assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat(health.getDetails()).containsEntry("reason",
          "the actor system is shut down: calls are refused with code 2");
      assertThat(health(indicator, false).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat(health(indicator, false).getDetails()).isEmpty();
    });
  }

  @Test
  @DisplayName("management.health.reactant.enabled=false turns it off, as do the health defaults")
  void canBeTurnedOff() {
    runner.withPropertyValues("management.health.reactant.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ReactantHealthIndicator.class));
    runner.withPropertyValues("management.health.defaults.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ReactantHealthIndicator.class));
  }

  @Test
  @DisplayName("without Spring Boot's health support there is no indicator")
  void absentWithoutHealthSupport() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantHealthContributorAutoConfiguration.class))
        .withUserConfiguration(CounterActor.class)
        .withClassLoader(new FilteredClassLoader(Health.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(ReactantHealthIndicator.class);
        });
  }

  @Test
  @DisplayName("a bean of the application's named reactantHealthIndicator replaces it, as does a"
      + " ReactantHealthIndicator of its own")
  void theApplicationsBeanReplacesIt() {
    HealthIndicator own = () -> Health.up().withDetail("own", true).build();
    runner.withBean("reactantHealthIndicator", HealthIndicator.class, () -> own).run(context -> {
      assertThat(context).doesNotHaveBean(ReactantHealthIndicator.class);
      assertThat(context.getBean(HealthContributorRegistry.class).getContributor("reactant"))
          .isSameAs(own);
    });
    runner.withUserConfiguration(OwnIndicator.class).run(context -> assertThat(context)
        .getBeanNames(ReactantHealthIndicator.class).containsExactly("mine"));
  }
}

package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorSystem;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantWebFluxAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Contexts side by side in one JVM, a context that fails while its beans are created, and the
 * application's own JSON mapper: each context owns its actor system, alone.
 */
class ContextIsolationTests {

  /** A bound on the wait for the threads to end, not a measure of speed. */
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class))
      .withUserConfiguration(CounterActor.class);

  @Test
  @DisplayName("two contexts in one JVM, with the same reactant.name, have an actor system each:"
      + " the same actor id is two actors, and closing one context leaves the other serving")
  void twoContextsHaveAnActorSystemEach() {
    ConfigurableApplicationContext[] first = new ConfigurableApplicationContext[1];
    runner.run(one -> runner.run(two -> {
      first[0] = one.getSourceApplicationContext();
      Counter a = one.getBean(ActorDirectory.class).get(Counter.class, "same");
      Counter b = two.getBean(ActorDirectory.class).get(Counter.class, "same");
      assertThat(one.getBean(ActorSystem.class)).isNotSameAs(two.getBean(ActorSystem.class));
      assertThat(a.bump().block(Duration.ofSeconds(10))).isEqualTo(1L);
      assertThat(a.bump().block(Duration.ofSeconds(10))).isEqualTo(2L);
      assertThat(b.bump().block(Duration.ofSeconds(10))).isEqualTo(1L);
      one.close();
      assertThat(b.bump().block(Duration.ofSeconds(10))).isEqualTo(2L);
      assertThat(org.assertj.core.api.Assertions.catchThrowable(
          () -> a.bump().block(Duration.ofSeconds(10))))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    }));
    assertThat(first[0].isActive()).isFalse();
  }

  static final AtomicReference<ActorSystem> SYSTEM = new AtomicReference<>();

  @Configuration(proxyBeanMethods = false)
  static class FailingBean {
    @Bean
    Object failsAfterTheSystem(ActorSystem system) {
      SYSTEM.set(system);
      throw new IllegalStateException("this bean fails");
    }
  }

  @Test
  @DisplayName("a context whose refresh fails while its beans are created, after the actor system"
      + " and a singleton actor were, closes the system and leaves none of its threads running")
  void aBeanFailingAfterTheSystemLeavesNoThread() {
    SYSTEM.set(null);
    runner.withUserConfiguration(TestActors.GreeterConfiguration.class, FailingBean.class)
        .withPropertyValues("reactant.name=bean-fails")
        .run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining("this bean fails"));
    assertThat(SYSTEM.get()).isNotNull();
    assertThat(SYSTEM.get().isShutdown()).isTrue();
    long deadline = System.nanoTime() + WAIT_NANOS;
    List<String> left = threadsOf("bean-fails");
    while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
      left = threadsOf("bean-fails");
    }
    assertThat(left).as("threads of the system still alive 20 s after the failure").isEmpty();
  }

  private static List<String> threadsOf(String system) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(n -> n.startsWith(system + "-")).toList();
  }

  @Test
  @DisplayName("the actor endpoints write results with the application's JsonMapper bean (one"
      + " that writes numbers as strings answers \"1\")")
  void theEndpointsUseTheApplicationsJsonMapper() {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withUserConfiguration(CounterActor.class)
        .withBean(JsonMapper.class, () -> JsonMapper.builder()
            .enable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS).build())
        .run(context -> {
          RouterFunction<?> routes = context.getBean("actorIngressRoutes", RouterFunction.class);
          WebTestClient.bindToRouterFunction(routes).build().post()
              .uri("/actors/Counter/c/bump").exchange().expectStatus().isOk()
              .expectBody(String.class).isEqualTo("\"1\"");
        });
  }
}

package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.TestActors.CounterActor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The actor endpoints, strict input and the error bodies are WebFlux's: in a servlet web
 * application (Spring MVC) none of them is served, and {@code reactant.http.*} properties set there
 * are warned of at startup, by name, with why nothing is exposed and what to do; the startup goes
 * on, as Spring Boot's own properties of a kind of application that is not this one are left
 * alone.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpPropertiesInAServletApplicationTests {

  private static final String WARNING = "only in a reactive web application";

  private static AutoConfigurations starter() {
    return AutoConfigurations.of(ReactantAutoConfiguration.class,
        ReactantWebFluxAutoConfiguration.class, ReactantStrictInputAutoConfiguration.class);
  }

  private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
      .withConfiguration(starter()).withUserConfiguration(CounterActor.class);

  @Test
  @DisplayName("reactant.http.* properties set in a servlet web application are warned of at"
      + " startup, each by name, saying the endpoints are WebFlux's and how to serve them; the"
      + " application starts, its actors reachable from Java")
  void httpPropertiesInAServletApplicationAreWarnedOf(CapturedOutput output) {
    servlet.withPropertyValues("reactant.http.enabled=true", "reactant.http.base-path=/api/actors",
        "reactant.http.strict-input.enabled=true").run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(ActorDirectory.class);
          assertThat(output).contains("WARN").contains(WARNING)
              .contains("reactant.http.base-path, reactant.http.enabled,"
                  + " reactant.http.strict-input.enabled")
              .contains("servlet web application").contains("spring-boot-starter-webflux")
              .contains("spring.main.web-application-type=reactive");
        });
  }

  @Test
  @DisplayName("no warning in a servlet web application without reactant.http.* properties, or"
      + " with only ones that turn something off, nor in a reactive web application or one that"
      + " is no web application (a test without a server reading the same file)")
  void noWarningWhereNothingIsMissed(CapturedOutput output) {
    servlet.run(context -> assertThat(context).hasNotFailed());
    servlet.withPropertyValues("reactant.http.enabled=false",
        "reactant.http.strict-input.enabled=false").run(context -> assertThat(context)
            .hasNotFailed());
    String[] set = {"reactant.http.enabled=true", "reactant.http.base-path=/api/actors"};
    new ReactiveWebApplicationContextRunner().withConfiguration(starter())
        .withUserConfiguration(CounterActor.class).withPropertyValues(set)
        .run(context -> assertThat(context).hasNotFailed());
    new ApplicationContextRunner().withConfiguration(starter())
        .withUserConfiguration(CounterActor.class).withPropertyValues(set)
        .run(context -> assertThat(context).hasNotFailed());
    assertThat(output).doesNotContain(WARNING);
  }
}

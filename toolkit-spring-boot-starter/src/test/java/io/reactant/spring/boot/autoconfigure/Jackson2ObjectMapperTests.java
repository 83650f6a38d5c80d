package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.reactant.spring.boot.TestActors.CounterActor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The actor endpoints and the starter's error bodies read and write JSON with Jackson 3 ({@code
 * tools.jackson}); an application's Jackson 2 {@code ObjectMapper} bean (its naming, its modules)
 * does not reach them, and the startup says so once, naming the bean and what to customize instead.
 */
@ExtendWith(OutputCaptureExtension.class)
class Jackson2ObjectMapperTests {

  private static final String WARNING = "read and write JSON with Jackson 3";

  private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
          CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
          HttpHandlerAutoConfiguration.class))
      .withUserConfiguration(CounterActor.class);

  @Configuration(proxyBeanMethods = false)
  static class SnakeCaseObjectMapper {

    @Bean
    ObjectMapper snakeCaseMapper() {
      return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }
  }

  @Test
  @DisplayName("a Jackson 2 ObjectMapper bean of the application's is warned of at startup, by"
      + " name, with what to customize instead (Jackson 3's JsonMapper), and the startup goes on")
  void aJackson2ObjectMapperBeanIsWarnedOf(CapturedOutput output) {
    runner.withUserConfiguration(SnakeCaseObjectMapper.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(output).contains("WARN").contains(WARNING)
          .contains("'snakeCaseMapper'")
          .contains("com.fasterxml.jackson.databind.ObjectMapper")
          .contains("JsonMapperBuilderCustomizer").contains("spring.jackson.");
    });
  }

  @Test
  @DisplayName("no warning without a Jackson 2 ObjectMapper bean, nor without Jackson 2 on the"
      + " classpath")
  void noWarningWithoutAJackson2ObjectMapper(CapturedOutput output) {
    runner.run(context -> assertThat(context).hasNotFailed());
    runner.withClassLoader(new FilteredClassLoader("com.fasterxml.jackson.databind"))
        .run(context -> assertThat(context).hasNotFailed());
    assertThat(output).doesNotContain(WARNING);
  }
}

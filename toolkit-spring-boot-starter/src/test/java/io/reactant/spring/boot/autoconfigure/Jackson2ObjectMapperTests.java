package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.reactant.spring.boot.TestActors.CounterActor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration;
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
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The actor endpoints and the starter's error bodies read and write JSON with Jackson 3 ({@code
 * tools.jackson}); an application's Jackson 2 {@code ObjectMapper} bean (its naming, its modules)
 * does not reach them, and the startup says so once, naming the bean and what to customize instead.
 */
@ExtendWith(OutputCaptureExtension.class)
@SuppressWarnings("removal") // Spring Boot's Jackson 2 support, deprecated, is what is tested
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

  /** The class of the decoder the server reads JSON into an object with. */
  private static String serverJsonReader(org.springframework.context.ApplicationContext context) {
    return context.getBean(ServerCodecConfigurer.class).getReaders().stream()
        .filter(r -> r.canRead(ResolvableType.forClass(Object.class), MediaType.APPLICATION_JSON))
        .map(r -> ((DecoderHttpMessageReader<?>) r).getDecoder().getClass().getName())
        .findFirst().orElseThrow();
  }

  @Test
  @DisplayName("the Jackson 2 ObjectMapper of Spring Boot's own Jackson 2 support"
      + " (spring-boot-jackson2) is no bean the application wrote: no warning, the server's JSON"
      + " stays Jackson 3's; one of the application's beside that support is still named")
  void springBootsOwnJackson2ObjectMapperIsNotWarnedOf(CapturedOutput output) {
    ReactiveWebApplicationContextRunner withBootsJackson2 = runner.withConfiguration(
        AutoConfigurations.of(Jackson2AutoConfiguration.class));
    withBootsJackson2.run(context -> {
      assertThat(context).hasNotFailed().hasBean("jackson2ObjectMapper");
      assertThat(serverJsonReader(context))
          .isEqualTo(org.springframework.http.codec.json.JacksonJsonDecoder.class.getName());
    });
    assertThat(output).doesNotContain(WARNING);
    withBootsJackson2.withUserConfiguration(SnakeCaseObjectMapper.class).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean("jackson2ObjectMapper");
      assertThat(output).contains(WARNING).contains("bean 'snakeCaseMapper' does");
    });
  }

  @Test
  @DisplayName("with spring.http.codecs.preferred-json-mapper=jackson2 the server's codecs (the"
      + " application's controllers) read and write with Spring Boot's Jackson 2 ObjectMapper,"
      + " the actor endpoints still with Jackson 3's JsonMapper: the startup says so, naming the"
      + " property and what configures each, and the endpoints answer as Jackson 3 writes")
  void jackson2CodecsAreSaidToLeaveTheActorEndpointsOnJackson3(CapturedOutput output) {
    runner.withConfiguration(AutoConfigurations.of(Jackson2AutoConfiguration.class))
        .withPropertyValues("spring.http.codecs.preferred-json-mapper=jackson2",
            "spring.jackson2.serialization.wrap-root-value=true")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(serverJsonReader(context)).isEqualTo(
              "org.springframework.http.codec.json.Jackson2JsonDecoder");
          // spring.jackson2.* configures the codecs' mapper, not the endpoints' writing
          WebTestClient.bindToApplicationContext(context).build().post()
              .uri("/actors/Counter/c1/bump").exchange().expectStatus().isOk()
              .expectBody(String.class).isEqualTo("1");
          assertThat(output).contains("WARN")
              .contains("spring.http.codecs.preferred-json-mapper=jackson2")
              .contains("Jackson 2 com.fasterxml.jackson.databind.ObjectMapper bean"
                  + " 'jackson2ObjectMapper'")
              .contains("the actor endpoints").contains("spring.jackson.*")
              .contains("spring.jackson2.*");
        });
  }

  /** A configuration of the application's, whose mapper an AOT-shaped definition makes. */
  static class OwnMappers {
    ObjectMapper ownMapper() {
      return new ObjectMapper();
    }
  }

  @Test
  @DisplayName("Spring Boot's mapper is told apart in bean definitions as Spring AOT generates"
      + " them (an instance supplier of the factory method, no bean class of a configuration):"
      + " not named, the application's named")
  void springBootsMapperIsToldApartInAotGeneratedDefinitions(CapturedOutput output)
      throws Exception {
    Class<?> bootsConfiguration = Class.forName(Jackson2AutoConfiguration.class.getName()
        + "$JacksonObjectMapperConfiguration");
    org.springframework.beans.factory.support.DefaultListableBeanFactory beanFactory =
        new org.springframework.beans.factory.support.DefaultListableBeanFactory();
    org.springframework.beans.factory.support.RootBeanDefinition boots =
        new org.springframework.beans.factory.support.RootBeanDefinition(ObjectMapper.class);
    boots.setInstanceSupplier(org.springframework.beans.factory.aot.BeanInstanceSupplier
        .<ObjectMapper>forFactoryMethod(bootsConfiguration, "jackson2ObjectMapper",
            org.springframework.http.converter.json.Jackson2ObjectMapperBuilder.class)
        .withGenerator(registered -> new ObjectMapper()));
    beanFactory.registerBeanDefinition("jackson2ObjectMapper", boots);
    UnusedJackson2Mappers check = new UnusedJackson2Mappers(beanFactory,
        new org.springframework.mock.env.MockEnvironment());
    beanFactory.preInstantiateSingletons();
    check.afterSingletonsInstantiated();
    assertThat(output).doesNotContain(WARNING);
    org.springframework.beans.factory.support.RootBeanDefinition own =
        new org.springframework.beans.factory.support.RootBeanDefinition(ObjectMapper.class);
    own.setInstanceSupplier(org.springframework.beans.factory.aot.BeanInstanceSupplier
        .<ObjectMapper>forFactoryMethod(OwnMappers.class, "ownMapper")
        .withGenerator(registered -> new ObjectMapper()));
    beanFactory.registerBeanDefinition("ownMapper", own);
    beanFactory.preInstantiateSingletons();
    check.afterSingletonsInstantiated();
    assertThat(output).contains(WARNING).contains("bean 'ownMapper' does");
  }
}

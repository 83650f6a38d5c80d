package io.reactant.spring.boot.autoconfigure;

import io.reactant.spring.boot.web.NotUtf8InputExceptionHandler;
import io.reactant.spring.boot.web.PercentEncodedPathFilter;
import io.reactant.spring.boot.web.Utf8FormDataFilter;
import io.reactant.spring.boot.web.Utf8FormReader;
import io.reactant.spring.boot.web.Utf8JsonDecoder;
import io.reactant.spring.boot.web.Utf8StringDecoder;
import io.reactant.spring.boot.web.WholeCharacters;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.codec.Decoder;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Holds the application's own WebFlux controllers and routes to the actor endpoints' rules of
 * input, when {@code reactant.http.strict-input.enabled=true}: a JSON body that is not valid
 * UTF-8 ({@link Utf8JsonDecoder}), a JSON field given twice, a number or a boolean where a text is
 * expected, a text body that is not valid UTF-8 ({@link Utf8StringDecoder}), a form whose bytes
 * are not, as sent or percent-decoded ({@link Utf8FormReader}, {@link Utf8FormDataFilter}), a
 * multipart part whose name or text is not, as Spring's reader read it ({@link
 * Utf8FormDataFilter}), and
 * a path or a query with a raw character outside ASCII or a percent-encoding that is not UTF-8
 * ({@link PercentEncodedPathFilter}) are refused with 400. Off by default: it changes the
 * application's {@link JsonMapper} (so its every reader) and the server's JSON reader, which an
 * application that has clients relying on the lenient reading must choose to do.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
    "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration"})
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass({ WebFluxConfigurer.class, JsonMapper.class,
    JsonMapperBuilderCustomizer.class })
@ConditionalOnReactantFlag("reactant.http.strict-input.enabled")
@EnableConfigurationProperties(ReactantProperties.class)
public final class ReactantStrictInputAutoConfiguration {

  /**
   * A field given twice is an error ({@code {"amount": 1, "amount": 90}}: which value counts would
   * be the reader's guess, and a filter in front may have checked the other), and a number or a
   * boolean is not a text ({@code {"order": 42}} is not the order "42"), and a string is not half
   * of a surrogate pair (<code>"&#92;uD800"</code>, {@link WholeCharacters}), as on the actor
   * endpoints.
   */
  @Bean
  @ConditionalOnMissingBean(name = "reactantStrictJson")
  JsonMapperBuilderCustomizer reactantStrictJson() {
    return ReactantStrictInputAutoConfiguration::strict;
  }

  @Bean
  @ConditionalOnMissingBean
  Utf8JsonDecoder utf8JsonDecoder(ObjectProvider<JsonMapper> mapper) {
    return new Utf8JsonDecoder(mapper.getIfAvailable(() -> strict(JsonMapper.builder()).build()));
  }

  /**
   * After Spring Boot's, which registers its JSON reader: this one replaces it. The readers of
   * text and form bodies go ahead of Spring's.
   */
  @Bean
  WebFluxConfigurer reactantUtf8JsonCodec(Utf8JsonDecoder decoder, Utf8FormReader form,
      ObjectProvider<JsonMapper> mapper, SpringsJsonReader springs, Environment environment) {
    String preferred = environment.getProperty(UnusedJackson2Mappers.PREFERRED_JSON_MAPPER);
    return new Utf8JsonCodec(decoder, form, mapper.getIfAvailable(), springs,
        "jackson2".equalsIgnoreCase(preferred) ? preferred : null);
  }

  /** First of the configurers: what the JSON reader is before any of them changed it. */
  @Bean
  SpringsJsonReader reactantSpringsJsonReader() {
    return new SpringsJsonReader();
  }

  /** Registered with the server's codecs, which give it their limit of a body. */
  @Bean
  @ConditionalOnMissingBean
  Utf8FormReader utf8FormReader() {
    return new Utf8FormReader();
  }

  @Bean
  @ConditionalOnMissingBean
  Utf8FormDataFilter utf8FormDataFilter(Utf8FormReader reader) {
    return new Utf8FormDataFilter(reader);
  }

  @Bean
  @ConditionalOnMissingBean
  NotUtf8InputExceptionHandler notUtf8InputExceptionHandler(ObjectProvider<JsonMapper> mapper) {
    return new NotUtf8InputExceptionHandler(mapper.getIfAvailable(JsonMapper::new));
  }

  @Bean
  @ConditionalOnMissingBean
  PercentEncodedPathFilter percentEncodedPathFilter(ReactantProperties properties,
      ObjectProvider<JsonMapper> mapper) {
    ReactantProperties.Http http = properties.getHttp();
    return new PercentEncodedPathFilter(http.isEnabled() ? http.getBasePath() : null,
        mapper.getIfAvailable(JsonMapper::new));
  }

  private static JsonMapper.Builder strict(JsonMapper.Builder builder) {
    return builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .addModule(WholeCharacters.module())
        .withCoercionConfig(LogicalType.Textual, config -> config
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  /**
   * Records the server's JSON reader before any other configurer (Spring Boot's codec
   * customizers, the application's) changed it: Spring's default, which strict input replaces
   * wherever nothing else was set. Not thread-safe; the configurers run on one thread.
   */
  static final class SpringsJsonReader implements WebFluxConfigurer, Ordered {

    private @Nullable Decoder<?> reader;

    @Override
    public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
      reader = ServerJsonReader.of(configurer.clone());
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  /**
   * Installs the decoder as the server's JSON reader, after Spring Boot's codec customizers, and
   * the strict readers of text and form bodies ahead of Spring's (with Spring Boot's limit of a
   * body, {@code spring.http.codecs.max-in-memory-size}). The JSON reader it replaces must be
   * Spring Boot's, or Spring's default (which no configurer changed: under {@code @EnableWebFlux},
   * where Spring Boot's codec customizers do not run, it is over a mapper of its own): one the
   * application set through its codec configuration (a {@code CodecCustomizer}, a
   * {@code WebFluxConfigurer}, a custom codec) fails the startup, as it would be discarded or read
   * JSON unchecked; a {@link Utf8JsonDecoder} set there is kept. Spring Boot's Jackson 2 reader,
   * which {@code spring.http.codecs.preferred-json-mapper=jackson2} asks for, fails it too, naming
   * that property: strict input reads JSON with Jackson 3.
   */
  private static final class Utf8JsonCodec implements WebFluxConfigurer, Ordered {

    /** The JSON reader Spring Boot sets where Jackson 2 is preferred (CodecsAutoConfiguration). */
    private static final String SPRING_BOOTS_JACKSON2_READER =
        "org.springframework.http.codec.json.Jackson2JsonDecoder";

    private final Utf8JsonDecoder decoder;
    private final Utf8FormReader form;
    /** The application's mapper, which Spring Boot's JSON reader reads with; null if none. */
    private final @Nullable JsonMapper mapper;
    private final SpringsJsonReader springs;
    /** The value of spring.http.codecs.preferred-json-mapper if it asks for Jackson 2, or null. */
    private final @Nullable String jackson2Preferred;

    Utf8JsonCodec(Utf8JsonDecoder decoder, Utf8FormReader form, @Nullable JsonMapper mapper,
        SpringsJsonReader springs, @Nullable String jackson2Preferred) {
      this.decoder = decoder;
      this.form = form;
      this.mapper = mapper;
      this.springs = springs;
      this.jackson2Preferred = jackson2Preferred;
    }

    @Override
    public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
      Decoder<?> configured = ServerJsonReader.of(configurer.clone()); // the readers so far, not built twice
      if (configured instanceof Utf8JsonDecoder own) {
        configurer.defaultCodecs().jacksonJsonDecoder(own); // the application's: kept
      } else if (configured == null || configured == springs.reader
          || isSpringBoots(configured)) {
        configurer.defaultCodecs().jacksonJsonDecoder(decoder);
      } else if (jackson2Preferred != null
          && configured.getClass().getName().equals(SPRING_BOOTS_JACKSON2_READER)) {
        throw new StarterMisconfiguration("reactant.http.strict-input.enabled=true reads JSON"
            + " bodies with a Utf8JsonDecoder, over Jackson 3's JsonMapper, and "
            + UnusedJackson2Mappers.PREFERRED_JSON_MAPPER + "=" + jackson2Preferred + " has"
            + " Spring Boot read them with Jackson 2 (" + SPRING_BOOTS_JACKSON2_READER + ", over"
            + " the ObjectMapper bean): strict input would override that choice, or leave the"
            + " application's controllers reading JSON unchecked", "Remove "
            + UnusedJackson2Mappers.PREFERRED_JSON_MAPPER + "=" + jackson2Preferred + " (the"
            + " server's JSON codecs are then Jackson 3's, configured by spring.jackson.*), or set"
            + " reactant.http.strict-input.enabled=false");
      } else {
        throw new StarterMisconfiguration("reactant.http.strict-input.enabled=true reads JSON"
            + " bodies with a Utf8JsonDecoder, and the application's codec configuration (a"
            + " CodecCustomizer, a WebFluxConfigurer, a custom codec) sets its own JSON reader ("
            + configured.getClass().getName() + "), which would be discarded or read them"
            + " unchecked", "Declare a Utf8JsonDecoder bean instead (new Utf8JsonDecoder(mapper),"
            + " over the JsonMapper your reader was configured with) and leave the server's JSON"
            + " reader to strict input, or set a Utf8JsonDecoder in the codec configuration, or"
            + " set reactant.http.strict-input.enabled=false");
      }
      configurer.customCodecs().registerWithDefaultConfig(new Utf8StringDecoder());
      configurer.customCodecs().registerWithDefaultConfig(form);
    }

    /**
     * Whether the JSON reader is the one Spring Boot sets (over the application's mapper), or
     * Spring's default where there is no mapper: nothing of the application's to keep.
     */
    private boolean isSpringBoots(Decoder<?> configured) {
      return configured.getClass() == JacksonJsonDecoder.class
          && (mapper == null || ((JacksonJsonDecoder) configured).getMapper() == mapper)
          && configured.getDecodableMimeTypes().equals(decoder.getDecodableMimeTypes());
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}

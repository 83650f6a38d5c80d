package io.reactant.sample.web;

import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Strict JSON input, with the {@code spring.jackson.*} settings of {@code application.yml}: a
 * number or a boolean is not a text ({@code {"order": 42}} is a 400, not the order "42"), and a
 * field given twice is a 400 ({@code {"amount": 1, "amount": 90}}: which value counts would be the
 * reader's guess, and a filter in front may have checked the other), as on the actor endpoints;
 * so is a body in UTF-8 that is not valid UTF-8 ({@link Utf8JsonDecoder}).
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

  @Bean
  JsonMapperBuilderCustomizer noScalarToTextCoercion() {
    return builder -> builder.withCoercionConfig(LogicalType.Textual, config -> config
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  /** After Spring Boot's own, which registers its JSON reader: this one replaces it. */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  CodecCustomizer utf8JsonBodies(JsonMapper mapper) {
    return configurer -> configurer.defaultCodecs().jacksonJsonDecoder(new Utf8JsonDecoder(mapper));
  }

  @Bean
  JsonMapperBuilderCustomizer noDuplicateFields() {
    return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  }
}

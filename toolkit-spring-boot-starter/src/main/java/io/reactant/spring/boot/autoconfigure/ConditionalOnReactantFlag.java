package io.reactant.spring.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when a boolean {@code reactant.*} property is true as {@link ReactantProperties} binds
 * it: {@code true}, {@code on}, {@code yes} or {@code 1}, in any case (Spring Boot's
 * {@code @ConditionalOnBooleanProperty} matches {@code true} alone, which would leave a feature
 * off that {@code reactant.http.error-bodies.enabled=yes} binds as on). A value that is no
 * boolean fails the startup with the binder's message, naming the property and the value.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnReactantFlagCondition.class)
@interface ConditionalOnReactantFlag {

  /** The property's name, in its canonical form ({@code reactant.http.enabled}). */
  String value();

  /** Whether the condition matches when the property is not set. */
  boolean matchIfMissing() default false;
}

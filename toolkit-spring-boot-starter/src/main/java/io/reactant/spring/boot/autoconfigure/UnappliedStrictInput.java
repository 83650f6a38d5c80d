package io.reactant.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcomes;
import org.springframework.boot.web.context.reactive.ReactiveWebApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Fails the startup of a reactive web application that asked for strict input ({@code
 * reactant.http.strict-input.enabled=true}) where {@link ReactantStrictInputAutoConfiguration}
 * was considered and did not apply (a class it needs is absent: Spring Boot's Jackson support,
 * Jackson 3), naming the property and Spring Boot's reason: the application would otherwise run
 * without the checks it asked for, without a word. Left alone: an application that is no reactive
 * web application (a shared configuration file read by a test without a server), one that
 * excluded the auto-configuration, and one that never imported it (a test slice).
 */
final class UnappliedStrictInput implements SmartInitializingSingleton {

  private static final String CONFIGURATION = ReactantStrictInputAutoConfiguration.class.getName();

  private final ConfigurableListableBeanFactory beanFactory;
  private final ApplicationContext context;

  UnappliedStrictInput(ConfigurableListableBeanFactory beanFactory, ApplicationContext context) {
    this.beanFactory = beanFactory;
    this.context = context;
  }

  @Override
  public void afterSingletonsInstantiated() {
    ReactantProperties properties = beanFactory.getBeanProvider(ReactantProperties.class)
        .getIfUnique();
    if (properties == null || !properties.getHttp().getStrictInput().isEnabled()
        || !(context instanceof ReactiveWebApplicationContext)
        || beanFactory.containsBeanDefinition(CONFIGURATION)) {
      return;
    }
    ConditionEvaluationReport report = ConditionEvaluationReport.find(beanFactory);
    ConditionAndOutcomes outcomes = report == null ? null
        : report.getConditionAndOutcomesBySource().get(CONFIGURATION);
    if (outcomes == null || report.getExclusions().contains(CONFIGURATION)) {
      return; // never imported, or excluded: the application's choice
    }
    List<String> reasons = new ArrayList<>();
    for (ConditionAndOutcome outcome : outcomes) {
      if (!outcome.getOutcome().isMatch()) {
        reasons.add(outcome.getOutcome().getMessage());
      }
    }
    throw new StarterMisconfiguration("reactant.http.strict-input.enabled=true asks for strict"
        + " input, which cannot apply in this application, so its controllers and routes would"
        + " read input unchecked: " + String.join("; ", reasons), "Add Spring Boot's Jackson"
        + " support (org.springframework.boot:spring-boot-jackson, with Jackson 3,"
        + " tools.jackson.core:jackson-databind; spring-boot-starter-webflux brings both), or set"
        + " reactant.http.strict-input.enabled=false");
  }
}

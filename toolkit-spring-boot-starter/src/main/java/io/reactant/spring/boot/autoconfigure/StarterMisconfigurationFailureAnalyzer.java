package io.reactant.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup the starter refused over its configuration ({@link StarterMisconfiguration}
 * among the causes) with its description and action, as Spring Boot explains its own, instead of
 * a stack trace.
 */
final class StarterMisconfigurationFailureAnalyzer
    extends AbstractFailureAnalyzer<StarterMisconfiguration> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StarterMisconfiguration cause) {
    return new FailureAnalysis(cause.description(), cause.action(), cause);
  }
}

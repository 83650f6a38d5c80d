package io.reactant.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed on a misconfigured {@link ActorBean} declaration, with the
 * action that fixes it.
 */
class ActorDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<ActorDeclarationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ActorDeclarationException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}

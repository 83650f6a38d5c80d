package io.reactant.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a startup that failed on a misconfigured {@link ActorBean} declaration, with the
 * action that fixes it. Ordered before Spring Boot's analyzers, whatever the order of the jars:
 * such a failure's cause may be Spring's (no bean for an actor's dependency), which Spring Boot
 * would explain without naming the actor.
 */
class ActorDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<ActorDeclarationException>
    implements Ordered {

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ActorDeclarationException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}

package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The analyzer walks a startup failure's causes, which any code may have chained: a chain that
 * loops (a cause set with {@code initCause} back to an exception above it) must end the walk,
 * not hang the startup's failure report. Spring Boot's own analyzers run after this one.
 */
class ActorFailureAnalyzerCauseChainTests {

  @Test
  @DisplayName("a cause chain that loops without an actor declaration in it is explained by"
      + " nothing, at once")
  void aLoopingChainWithoutADeclarationEnds() {
    IllegalStateException top = new IllegalStateException("top");
    IllegalArgumentException middle = new IllegalArgumentException("middle");
    top.initCause(middle);
    middle.initCause(top);
    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> new ActorFailureAnalyzer(null).analyze(top))).isNull();
  }

  @Test
  @DisplayName("a declaration found in a chain that loops after it is explained")
  void aDeclarationInALoopingChainIsExplained() {
    IllegalStateException top = new IllegalStateException("top");
    ActorDeclarationException declaration = new ActorDeclarationException("declared twice",
        "declare it once");
    RuntimeException below = new RuntimeException("below");
    top.initCause(declaration);
    declaration.initCause(below);
    below.initCause(top);
    FailureAnalysis analysis = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> new ActorFailureAnalyzer(null).analyze(top));
    assertThat(analysis.getDescription()).isEqualTo("declared twice");
    assertThat(analysis.getAction()).isEqualTo("declare it once");
  }
}

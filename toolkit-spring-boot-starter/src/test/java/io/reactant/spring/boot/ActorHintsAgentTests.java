package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.actor.ActorId;
import io.reactant.spring.boot.HintedActors.Book;
import io.reactant.spring.boot.HintedActors.Library;
import io.reactant.spring.boot.HintedActors.LibraryActor;
import io.reactant.spring.boot.HintedActors.Memo;
import io.reactant.spring.boot.HintedActors.MemoActor;
import io.reactant.spring.boot.HintedActors.Shelf;
import io.reactant.spring.boot.HintedActors.ShelfActor;
import io.reactant.spring.boot.HintedActors.Shelved;
import io.reactant.spring.boot.HintedActors.Tally;
import io.reactant.spring.boot.HintedActors.TallyActor;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.aot.AotDetector;
import org.springframework.aot.agent.HintType;
import org.springframework.aot.agent.RecordedInvocation;
import org.springframework.aot.agent.RecordedInvocationsListener;
import org.springframework.aot.agent.RecordedInvocationsPublisher;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.web.context.reactive.AnnotationConfigReactiveWebApplicationContext;
import org.springframework.boot.web.context.reactive.GenericReactiveWebApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.http.MediaType;
import org.springframework.javapoet.ClassName;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The runtime hints that Spring AOT generates for an application with actors cover the reflection
 * and proxies that the starter and the actor system use while the application runs: no GraalVM is
 * at hand, so Spring's RuntimeHintsAgent (of spring-core-test, a Java agent) records each
 * reflective call and proxy creation made by the classes of {@code io.reactant} and of Jackson's
 * databind, and each one recorded must be one that the hints allow: all those of {@code
 * io.reactant}'s code, and Jackson's on the application's classes (its reflection on the JDK's
 * types is left to GraalVM's and Jackson's own metadata). The agent sees reflection, not method
 * handles: what the actor system calls through method handles (the interface's methods, the
 * proxy's constructor) is checked by {@link ActorHintsAotProcessorTests}.
 *
 * <p>It runs only under the agent, in the starter's surefire execution {@code
 * runtime-hints-agent} (this tag alone, with {@code -javaagent:<spring-core-test
 * jar>=+io.reactant,+tools.jackson.databind}), part of {@code mvn verify}; without the agent it
 * fails. The application starts from the code Spring AOT generated for it, in a class loader of
 * its own, which holds its own copy of the agent's classes: the invocations are read from that
 * copy's publisher, with a listener of this test, rather than through {@code
 * RuntimeHintsRecorder}, whose check that the agent is loaded asks that copy, which the agent
 * never loaded.
 */
@Tag("runtime-hints-agent")
@CompileWithForkedClassLoader
class ActorHintsAgentTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  @DisplayName("what a running application with actors reflects on and proxies (its startup, HTTP"
      + " calls of an update with a record argument and result, a query, a composite query and a"
      + " oneway, calls from Java, a spawn from the host and one in a turn) is covered by the"
      + " hints Spring AOT generated for it")
  void theGeneratedHintsCoverWhatTheRunningApplicationReflectsOn() {
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .as("this test runs under the RuntimeHintsAgent, instrumenting io.reactant: run it with"
            + " mvn verify (the starter's surefire execution runtime-hints-agent)")
        .anyMatch(a -> a.startsWith("-javaagent:") && a.contains("spring-core-test")
            && a.contains("+io.reactant"));
    TestGenerationContext generation =
        new TestGenerationContext(ClassName.get(HintedActors.Application.class));
    ClassName initializer;
    try (AnnotationConfigReactiveWebApplicationContext processed =
        new AnnotationConfigReactiveWebApplicationContext()) {
      processed.register(HintedActors.Application.class);
      initializer = new ApplicationContextAotGenerator().processAheadOfTime(processed, generation);
    }
    generation.writeGeneratedContent();
    RuntimeHints hints = generation.getRuntimeHints();
    Queue<RecordedInvocation> recorded = new ConcurrentLinkedQueue<>();
    TestCompiler.forSystem().with(generation).compile(compiled -> {
      @SuppressWarnings("unchecked")
      ApplicationContextInitializer<GenericApplicationContext> generated =
          compiled.getInstance(ApplicationContextInitializer.class, initializer.toString());
      RecordedInvocationsListener listener = recorded::add;
      String aot = System.getProperty(AotDetector.AOT_ENABLED);
      System.setProperty(AotDetector.AOT_ENABLED, "true");
      RecordedInvocationsPublisher.addListener(listener);
      try (GenericReactiveWebApplicationContext context =
          new GenericReactiveWebApplicationContext()) {
        generated.initialize(context);
        context.refresh();
        use(context);
      } finally {
        RecordedInvocationsPublisher.removeListener(listener);
        if (aot == null) {
          System.clearProperty(AotDetector.AOT_ENABLED);
        } else {
          System.setProperty(AotDetector.AOT_ENABLED, aot);
        }
      }
    });

    // the agent saw what needs the hints: without them each of these would fail in a native image
    for (Class<?> type : List.of(Library.class, Shelf.class, Memo.class, Tally.class)) {
      assertThat(recorded).as("a proxy of " + type.getSimpleName()).anyMatch(i ->
          i.getHintType() == HintType.JDK_PROXIES
              && Arrays.asList((Class<?>[]) i.getArgument(1)).contains(type));
    }
    for (Class<?> type : List.of(LibraryActor.class, ShelfActor.class, MemoActor.class,
        TallyActor.class, Shelf.class, Book.class, Shelved.class)) {
      assertThat(recorded).as("reflection on " + type.getSimpleName()).anyMatch(i ->
          i.getHintType() == HintType.REFLECTION && !i.isStatic() && i.getInstance() == type);
    }
    assertThat(recorded).as("the ingress's call of Shelf.put").anyMatch(i ->
        !i.isStatic() && i.getInstance() instanceof Method m && m.getDeclaringClass() == Shelf.class
            && m.getName().equals("put"));

    List<RecordedInvocation> uncovered = recorded.stream()
        .filter(i -> byReactant(i) || onReactantType(i)).filter(i -> !i.matches(hints)).toList();
    assertThat(uncovered).as(() -> "invocations the hints do not cover:\n" + uncovered.stream()
        .map(ActorHintsAgentTests::describe).collect(Collectors.joining("\n"))).isEmpty();
  }

  /** Whether the code of io.reactant (the starter, the actor system, the application) made it. */
  private static boolean byReactant(RecordedInvocation invocation) {
    return invocation.getStackFrames().findFirst()
        .filter(caller -> caller.getClassName().startsWith("io.reactant.")).isPresent();
  }

  /**
   * Whether it reflects on a class of io.reactant (Jackson on the application's records, for
   * one): Jackson's reflection on the JDK's types is GraalVM's and Jackson's own metadata's.
   */
  private static boolean onReactantType(RecordedInvocation invocation) {
    return !invocation.isStatic() && invocation.getInstance() instanceof Class<?> type
        && type.getName().startsWith("io.reactant.");
  }

  /** Calls the actors as an application does, each kind of call at least once. */
  private static void use(GenericApplicationContext context) {
    WebTestClient http = WebTestClient.bindToApplicationContext(context).build();
    http.post().uri("/actors/Shelf/s1/put").contentType(MediaType.APPLICATION_JSON)
        .bodyValue("[{\"title\": \"Emma\", \"authors\": [\"Jane Austen\"]}]").exchange()
        .expectStatus().isOk().expectBody().json("{\"title\": \"Emma\", \"books\": 1}");
    http.post().uri("/actors/Shelf/s1/dust").exchange().expectStatus().isAccepted();
    http.get().uri("/actors/Shelf/s1/books").exchange()
        .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
    http.post().uri("/actors/Library/library/booksOn").contentType(MediaType.APPLICATION_JSON)
        .bodyValue("[\"s1\"]").exchange()
        .expectStatus().isOk().expectBody(Long.class).isEqualTo(1L);
    http.get().uri("/actors").exchange().expectStatus().isOk();

    ActorDirectory actors = context.getBean(ActorDirectory.class);
    Shelf shelf = actors.get(Shelf.class, "s1");
    assertThat(shelf.put(new Book("Persuasion", List.of())).block(WAIT))
        .isEqualTo(new Shelved("Persuasion", 2));
    assertThat(shelf.dusted().block(WAIT)).as("the oneway, queued before that update, ran")
        .isEqualTo(1L);
    assertThat(shelf.label().block(WAIT)).isEqualTo("shelf s1");
    assertThat(actors.spawn(Memo.class, "from the host").text().block(WAIT))
        .isEqualTo("from the host");
    ActorId written = context.getBean(Library.class).write("in a turn").block(WAIT);
    assertThat(actors.get(Memo.class, written).text().block(WAIT)).isEqualTo("in a turn");
    assertThat(actors.get(Tally.class, "t").add(2).block(WAIT)).isEqualTo(2L);
  }

  private static String describe(RecordedInvocation invocation) {
    return invocation + "\n" + invocation.getStackFrames().limit(8)
        .map(frame -> "    at " + frame).collect(Collectors.joining("\n"));
  }
}

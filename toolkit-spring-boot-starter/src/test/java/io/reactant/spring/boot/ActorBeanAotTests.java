package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.spring.boot.ActorTestOverridesTests.Scale;
import io.reactant.spring.boot.ActorTestOverridesTests.ScaleActor;
import io.reactant.spring.boot.ActorTestOverridesTests.Weights;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.TestActors.Note;
import io.reactant.spring.boot.TestActors.NoteActor;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.aot.AotDetector;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

/**
 * An application with {@code @ActorBean}s through Spring AOT: the bean definitions generated
 * ahead of time start the application, and its actors work.
 */
@CompileWithForkedClassLoader
class ActorBeanAotTests {

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(ReactantAutoConfiguration.class)
  @Import({ScaleActor.class, CounterActor.class, NoteActor.class})
  static class Application {
    @Bean
    Weights weights() {
      return () -> 3;
    }

    @Bean
    ScaleUser scaleUser(Scale scale) {
      return new ScaleUser(scale);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(ReactantAutoConfiguration.class)
  @Import(ActorDeclarationFailureTests.NeedyCounterActor.class)
  static class NeedyApplication {
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(ReactantAutoConfiguration.class)
  @Import(ActorDeclarationFailureTests.FieldNeedyCounterActor.class)
  static class FieldNeedyApplication {
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(ReactantAutoConfiguration.class)
  @Import(ActorDeclarationFailureTests.NeedyCounters.class)
  static class FactoryNeedyApplication {
  }

  /** A bean that injects a singleton's reference. */
  record ScaleUser(Scale scale) {
  }

  @Test
  @DisplayName("R1 R20 an application with singleton, virtual and explicit actors survives AOT"
      + " processing, and the generated initializer starts it: a singleton's reference is"
      + " injected, a virtual actor is created by its first call, an explicit one is spawned"
      + " with its argument (the processing failed on the reference's instance supplier)")
  void anApplicationWithActorsStartsFromItsAotInitializer() {
    assertThat(startFromAot(Application.class, context -> {
      assertThat(context.getBean(ScaleUser.class).scale().weigh()
          .block(Duration.ofSeconds(30))).isEqualTo(3);
      ActorDirectory actors = context.getBean(ActorDirectory.class);
      assertThat(actors.get(Counter.class, "c").bump().block(Duration.ofSeconds(30)))
          .isEqualTo(1L);
      assertThat(actors.spawn(Note.class, "written").text().block(Duration.ofSeconds(30)))
          .isEqualTo("written");
    })).as("failure").isNull();
  }

  @Test
  @DisplayName("R20 a virtual actor whose constructor needs a bean that does not exist fails the"
      + " startup from the AOT initializer too, naming the parameter: the check passed over a"
      + " bean made by a supplier, which the generated code gives every bean")
  void anActorsMissingConstructorDependencyFailsTheStartupFromItsAotInitializer() {
    assertThat(startFailure(NeedyApplication.class)).isInstanceOf(ActorDeclarationException.class)
        .hasMessageStartingWith("Parameter 0 of the constructor of @ActorBean "
            + ActorDeclarationFailureTests.NeedyCounterActor.class.getName());
  }

  @Test
  @DisplayName("R20 a virtual actor whose @Autowired field needs a bean that does not exist fails"
      + " the startup from the AOT initializer too, naming the field: the generated context has"
      + " no post-processor that injects fields (the generated code does), so it was not read")
  void anActorsMissingFieldDependencyFailsTheStartupFromItsAotInitializer() {
    assertThat(startFailure(FieldNeedyApplication.class))
        .isInstanceOf(ActorDeclarationException.class).hasMessageStartingWith("Field 'missing' of"
            + " @ActorBean " + ActorDeclarationFailureTests.FieldNeedyCounterActor.class.getName());
  }

  @Test
  @DisplayName("R20 a virtual actor made by a @Bean method whose parameter needs a bean that does"
      + " not exist fails the startup from the AOT initializer too, naming the parameter")
  void anActorsMissingFactoryMethodDependencyFailsTheStartupFromItsAotInitializer() {
    assertThat(startFailure(FactoryNeedyApplication.class))
        .isInstanceOf(ActorDeclarationException.class).hasMessageStartingWith("Parameter 1 of the"
            + " factory method " + ActorDeclarationFailureTests.NeedyCounters.class.getName()
            + ".needyCounter of @ActorBean " + CounterActor.class.getName());
  }

  /** Why the application's AOT initializer fails the startup (null if it starts). */
  private static @Nullable Throwable startFailure(Class<?> application) {
    return startFromAot(application, context -> { });
  }

  /**
   * Starts the application from the code Spring AOT generates for it, as Spring Boot starts it
   * (with {@code spring.aot.enabled} set, which a native image implies: {@code AotDetector}),
   * hands the context to {@code use} and closes it: the exception the startup or {@code use}
   * threw, or null.
   */
  private static @Nullable Throwable startFromAot(Class<?> application,
      Consumer<GenericApplicationContext> use) {
    TestGenerationContext generation = new TestGenerationContext(ClassName.get(application));
    ClassName initializer = process(application, generation);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    TestCompiler.forSystem().with(generation).compile(compiled -> {
      @SuppressWarnings("unchecked")
      ApplicationContextInitializer<GenericApplicationContext> generated =
          compiled.getInstance(ApplicationContextInitializer.class, initializer.toString());
      String before = System.getProperty(AotDetector.AOT_ENABLED);
      System.setProperty(AotDetector.AOT_ENABLED, "true");
      try (GenericApplicationContext context = new GenericApplicationContext()) {
        generated.initialize(context);
        context.refresh();
        use.accept(context);
      } catch (RuntimeException e) {
        failure.set(e);
      } finally {
        if (before == null) {
          System.clearProperty(AotDetector.AOT_ENABLED);
        } else {
          System.setProperty(AotDetector.AOT_ENABLED, before);
        }
      }
    });
    return failure.get();
  }

  private static ClassName process(Class<?> application, TestGenerationContext generation) {
    try (AnnotationConfigApplicationContext processed = new AnnotationConfigApplicationContext()) {
      processed.register(application);
      ClassName initializer =
          new ApplicationContextAotGenerator().processAheadOfTime(processed, generation);
      generation.writeGeneratedContent();
      return initializer;
    }
  }
}

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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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

  /** A bean that injects a singleton's reference. */
  record ScaleUser(Scale scale) {
  }

  @Test
  @DisplayName("R1 R20 an application with singleton, virtual and explicit actors survives AOT"
      + " processing, and the generated initializer starts it: a singleton's reference is"
      + " injected, a virtual actor is created by its first call, an explicit one is spawned"
      + " with its argument (the processing failed on the reference's instance supplier)")
  void anApplicationWithActorsStartsFromItsAotInitializer() {
    TestGenerationContext generation = new TestGenerationContext(ClassName.get(Application.class));
    ClassName initializer;
    try (AnnotationConfigApplicationContext processed = new AnnotationConfigApplicationContext()) {
      processed.register(Application.class);
      initializer = new ApplicationContextAotGenerator().processAheadOfTime(processed, generation);
    }
    generation.writeGeneratedContent();
    TestCompiler.forSystem().with(generation).compile(compiled -> {
      @SuppressWarnings("unchecked")
      ApplicationContextInitializer<GenericApplicationContext> generated =
          compiled.getInstance(ApplicationContextInitializer.class, initializer.toString());
      try (GenericApplicationContext context = new GenericApplicationContext()) {
        generated.initialize(context);
        context.refresh();
        assertThat(context.getBean(ScaleUser.class).scale().weigh()
            .block(Duration.ofSeconds(30))).isEqualTo(3);
        ActorDirectory actors = context.getBean(ActorDirectory.class);
        assertThat(actors.get(Counter.class, "c").bump().block(Duration.ofSeconds(30)))
            .isEqualTo(1L);
        assertThat(actors.spawn(Note.class, "written").text().block(Duration.ofSeconds(30)))
            .isEqualTo("written");
      }
    });
  }
}

package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.reactant.actor.Actor;
import io.reactant.spring.boot.HintedActors.Book;
import io.reactant.spring.boot.HintedActors.Clerk;
import io.reactant.spring.boot.HintedActors.Desk;
import io.reactant.spring.boot.HintedActors.LabelledActor;
import io.reactant.spring.boot.HintedActors.Library;
import io.reactant.spring.boot.HintedActors.LibraryActor;
import io.reactant.spring.boot.HintedActors.Memo;
import io.reactant.spring.boot.HintedActors.MemoActor;
import io.reactant.spring.boot.HintedActors.Named;
import io.reactant.spring.boot.HintedActors.Quiet;
import io.reactant.spring.boot.HintedActors.Secret;
import io.reactant.spring.boot.HintedActors.Shelf;
import io.reactant.spring.boot.HintedActors.ShelfActor;
import io.reactant.spring.boot.HintedActors.Shelved;
import io.reactant.spring.boot.HintedActors.Tally;
import io.reactant.spring.boot.HintedActors.TallyActor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.aot.BeanFactoryInitializationCode;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.web.context.reactive.AnnotationConfigReactiveWebApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;

/**
 * The runtime hints that Spring AOT's processing of an application with actors registers for a
 * native image: those of {@link ActorHintsAotProcessor} (proxies and reflection for every
 * declared actor type) and of the web package's {@code IngressHintsAotProcessor} (the JSON binding
 * of what the HTTP ingress reads and writes). The agent test ({@code ActorHintsAgentTests}) checks
 * that they cover what the running application reflects on.
 */
class ActorHintsAotProcessorTests {

  private static final ReflectionHintsPredicates REFLECTION = RuntimeHintsPredicates.reflection();
  /** What Spring AOT's processing of the application gave. */
  private record Processed(RuntimeHints all, RuntimeHints starters) {
  }

  /** The application's. */
  private static Processed processed;
  /** The application's with {@code reactant.http.enabled=false}. */
  private static Processed withoutIngress;

  @BeforeAll
  static void processTheApplication() {
    processed = process();
    withoutIngress = process("reactant.http.enabled=false");
  }

  /**
   * Processes {@link HintedActors.Application} with these properties: all the hints Spring AOT
   * generates, and apart those the starter's processors contribute (Spring registers others, for
   * every bean class for one), the processors found in {@code aot.factories} as Spring AOT finds
   * them.
   */
  private static Processed process(String... properties) {
    TestGenerationContext generation = new TestGenerationContext();
    TestGenerationContext starters = new TestGenerationContext();
    try (AnnotationConfigReactiveWebApplicationContext context =
        new AnnotationConfigReactiveWebApplicationContext()) {
      TestPropertyValues.of(properties).applyTo(context);
      context.register(HintedActors.Application.class);
      new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
      List<BeanFactoryInitializationAotProcessor> processors = AotServices.factories()
          .load(BeanFactoryInitializationAotProcessor.class).asList().stream()
          .filter(p -> p.getClass().getName().startsWith("io.reactant.")).toList();
      assertThat(processors).extracting(p -> p.getClass().getSimpleName())
          .containsExactly("ActorHintsAotProcessor", "IngressHintsAotProcessor");
      for (BeanFactoryInitializationAotProcessor processor : processors) {
        BeanFactoryInitializationAotContribution contribution =
            processor.processAheadOfTime(context.getBeanFactory());
        if (contribution != null) {
          contribution.applyTo(starters, mock(BeanFactoryInitializationCode.class));
        }
      }
    }
    return new Processed(generation.getRuntimeHints(), starters.getRuntimeHints());
  }

  @Test
  @DisplayName("R1 a reference to each declared actor type, singleton, virtual, explicit or made by"
      + " a @Bean method, is a JDK proxy of its interface: each has a proxy hint; a bean that is no"
      + " actor has none")
  void everyDeclaredActorTypeHasAProxyHint() {
    for (Class<?> type : List.of(Library.class, Shelf.class, Memo.class, Tally.class)) {
      assertHinted(RuntimeHintsPredicates.proxies().forInterfaces(type), type.getSimpleName());
      assertThat(RuntimeHintsPredicates.proxies().forInterfaces(type)).as(type.getSimpleName())
          .accepts(withoutIngress.all());
    }
    assertThat(RuntimeHintsPredicates.proxies().forInterfaces(Desk.class))
        .rejects(processed.starters());
  }

  @Test
  @DisplayName("the public methods of each actor interface, and of the interfaces it extends, are"
      + " invocable: the actor system calls them through method handles, the HTTP ingress by"
      + " reflection on a reference")
  void everyActorInterfaceMethodIsInvocable() throws NoSuchMethodException {
    List<Method> methods = Stream.of(Library.class, Shelf.class, Named.class, Memo.class,
        Tally.class).flatMap(type -> Stream.of(type.getDeclaredMethods())).toList();
    assertThat(methods).hasSizeGreaterThan(10);
    for (Method m : methods) {
      assertHinted(REFLECTION.onMethodInvocation(m), m.toString());
    }
    assertThat(REFLECTION.onMethodInvocation(Desk.class.getMethod("sign", String.class)))
        .as("a bean's interface that is no actor's").rejects(processed.starters());
  }

  @Test
  @DisplayName("each actor class and its superclasses up to Actor are registered for introspection:"
      + " the runtime and the starter read their methods, constructors and fields; a bean that is"
      + " no actor is not")
  void everyActorClassAndItsSuperclassesAreRegistered() {
    for (Class<?> type : List.of(LibraryActor.class, ShelfActor.class, LabelledActor.class,
        MemoActor.class, TallyActor.class, Actor.class)) {
      assertHinted(REFLECTION.onType(type), type.getSimpleName());
    }
    assertThat(REFLECTION.onType(Clerk.class)).rejects(processed.starters());
    assertThat(REFLECTION.onType(Desk.class)).rejects(processed.starters());
  }

  /** A memo that is also a supplier: an actor class with an interface besides its actor type. */
  abstract static class SupplyingMemoActor extends Actor
      implements Memo, java.util.function.Supplier<String> {
  }

  @Test
  @DisplayName("R19 the interfaces an actor class implements besides its actor type are registered"
      + " for introspection: the runtime looks there for a method the class marks @Query that the"
      + " actor type lacks, before it refuses it")
  void theOtherInterfacesOfAnActorClassAreRegistered() {
    RuntimeHints hints = new RuntimeHints();
    ActorHintsAotProcessor.register(hints, new ActorDeclaration("Memo", Memo.class,
        SupplyingMemoActor.class, "supplyingMemo", ActorBean.Activation.VIRTUAL, null, false));
    assertThat(REFLECTION.onType(java.util.function.Supplier.class)).accepts(hints);
    assertThat(REFLECTION.onType(SupplyingMemoActor.class)).accepts(hints);
  }

  @Test
  @DisplayName("the parameter and result types of the methods HTTP calls get Jackson's binding"
      + " hints (a record's accessors and constructor); a @NotExposed method's and an unexposed"
      + " type's do not, nor any without the ingress (reactant.http.enabled=false)")
  void whatTheIngressBindsHasBindingHints() throws NoSuchMethodException {
    for (Class<?> record : List.of(Book.class, Shelved.class)) {
      assertHinted(REFLECTION.onType(record), record.getSimpleName());
      assertHinted(REFLECTION.onConstructorInvocation(record.getDeclaredConstructors()[0]),
          record.getSimpleName());
      assertThat(REFLECTION.onType(record)).as(record.getSimpleName())
          .rejects(withoutIngress.all());
    }
    assertHinted(REFLECTION.onMethodInvocation(Book.class.getMethod("authors")), "Book.authors");
    assertHinted(REFLECTION.onMethodInvocation(Shelved.class.getMethod("books")), "Shelved.books");
    assertThat(REFLECTION.onType(TypeReference.of(Secret.class))).as("@NotExposed")
        .rejects(processed.starters());
    assertThat(REFLECTION.onType(TypeReference.of(Quiet.class))).as("exposed = false")
        .rejects(processed.starters());
  }

  /** The starter's processors contribute the hint, and Spring AOT's hints hold it. */
  private static void assertHinted(Predicate<RuntimeHints> hint, String what) {
    assertThat(hint).as(what).accepts(processed.starters()).accepts(processed.all());
  }

  @Test
  @DisplayName("a bean factory that declares no actor gets no contribution")
  void noActorsNoContribution() {
    assertThat(new ActorHintsAotProcessor().processAheadOfTime(new DefaultListableBeanFactory()))
        .isNull();
  }
}

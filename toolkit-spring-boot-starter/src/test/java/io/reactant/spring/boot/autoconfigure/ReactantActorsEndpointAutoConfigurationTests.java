package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.Query;
import io.reactant.spring.boot.ActorDirectory;
import io.reactant.spring.boot.TestActors.Counter;
import io.reactant.spring.boot.TestActors.CounterActor;
import io.reactant.spring.boot.TestActors.Note;
import io.reactant.spring.boot.TestActors.NoteActor;
import io.reactant.spring.boot.actuate.ActorsEndpoint.ActorDescriptor;
import io.reactant.spring.boot.actuate.ActorsEndpoint.ActorsDescriptor;
import io.reactant.spring.boot.actuate.ActorsEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

class ReactantActorsEndpointAutoConfigurationTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantActorsEndpointAutoConfiguration.class))
      .withUserConfiguration(CounterActor.class);

  @Test
  void endpointIsAvailableWhenExposed() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=actors")
        .run(context -> assertThat(context).hasSingleBean(ActorsEndpoint.class));
  }

  @Test
  void endpointIsNotAvailableUnlessExposed() {
    runner.run(context -> assertThat(context).doesNotHaveBean(ActorsEndpoint.class));
  }

  @Test
  void endpointCanBeDisabled() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=actors",
            "management.endpoint.actors.access=NONE")
        .run(context -> assertThat(context).doesNotHaveBean(ActorsEndpoint.class));
  }

  @Test
  void endpointIsNotConfiguredWithoutActuator() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=actors")
        .withClassLoader(new FilteredClassLoader(Endpoint.class))
        .run(context -> assertThat(context).doesNotHaveBean(ActorsEndpoint.class));
  }

  @Test
  void endpointListsLiveActorsWithTheirCounts() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=actors").run(context -> {
      Counter counter = context.getBean(ActorDirectory.class).get(Counter.class, "listed");
      counter.bump().block();
      ActorsEndpoint endpoint = context.getBean(ActorsEndpoint.class);
      ActorsDescriptor all = endpoint.actors(null);
      assertThat(all.system()).isEqualTo("reactant");
      assertThat(all.count()).isEqualTo(1);
      assertThat(all.limit()).isEqualTo(ActorsEndpoint.DEFAULT_LIMIT);
      assertThat(all.queuedMessages()).isZero();
      assertThat(all.actors()).singleElement().satisfies(a -> {
        assertThat(a.id()).isEqualTo("listed");
        assertThat(a.type()).isEqualTo("Counter");
        assertThat(a.mailboxDepth()).isZero();
        assertThat(a.turns()).isEqualTo(1L);
        assertThat(a.suspendedCalls()).isZero();
      });
      assertThat(endpoint.actor("listed")).isNotNull();
      assertThat(endpoint.actor("missing")).isNull();
    });
  }

  @Test
  void endpointNamesEachActorsTypeAsItsDeclarationDoes() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=actors")
        .withUserConfiguration(NoteActor.class).run(context -> {
          Note note = context.getBean(ActorDirectory.class).spawn(Note.class, ActorId.of("n"), "hi");
          assertThat(note.text().block()).isEqualTo("hi");
          ActorsEndpoint endpoint = context.getBean(ActorsEndpoint.class);
          assertThat(endpoint.actor("n")).isNotNull().extracting(ActorDescriptor::type)
              .as("@ActorBean(name = \"Memo\") on an implementation of Note").isEqualTo("Memo");
          assertThat(endpoint.actors(null).actors()).extracting(ActorDescriptor::type)
              .containsExactly("Memo");
        });
  }

  /** An actor type no {@code @ActorBean} declares, whose simple name is a declared type's name. */
  public interface Memo {
    @Query
    Mono<String> text();
  }

  static final class UndeclaredMemoActor extends Actor implements Memo {
    @Override
    public Mono<String> text() {
      return Mono.just("undeclared");
    }
  }

  @Test
  void anUndeclaredTypeNeverSharesTheNameOfADeclaredOne() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=actors")
        .withUserConfiguration(NoteActor.class).run(context -> {
          ActorDirectory directory = context.getBean(ActorDirectory.class);
          directory.spawn(Note.class, ActorId.of("declared"), "hi");
          directory.system().spawn(Memo.class, ActorId.of("undeclared"), UndeclaredMemoActor::new);
          ActorsEndpoint endpoint = context.getBean(ActorsEndpoint.class);
          assertThat(endpoint.actor("declared")).extracting(ActorDescriptor::type).isEqualTo("Memo");
          assertThat(endpoint.actor("undeclared")).extracting(ActorDescriptor::type)
              .isEqualTo(Memo.class.getName());
        });
  }

  @Test
  void endpointListsAtMostTheLimitButCountsEveryActor() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=actors").run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      for (int i = 0; i < 5; i++) {
        directory.get(Counter.class, "c" + i).bump().block();
      }
      ActorsEndpoint endpoint = context.getBean(ActorsEndpoint.class);
      ActorsDescriptor two = endpoint.actors(2);
      assertThat(two.count()).isEqualTo(5);
      assertThat(two.limit()).isEqualTo(2);
      // all equally idle: which two is unspecified (ranking every id would build every id's
      // string), listed by id
      assertThat(two.actors()).extracting(ActorsEndpoint.ActorDescriptor::id)
          .hasSize(2).doesNotHaveDuplicates().isSorted()
          .allSatisfy(id -> assertThat(id).isIn("c0", "c1", "c2", "c3", "c4"));
      assertThatThrownBy(() -> endpoint.actors(0))
          .isInstanceOf(InvalidEndpointRequestException.class)
          .hasMessageContaining("limit must be at least 1")
          .extracting(e -> ((InvalidEndpointRequestException) e).getReason())
          .isEqualTo("limit must be at least 1, but was 0");   // what the client reads
    });
  }

  @Test
  void endpointRefusesALimitAboveItsMaximumAndTakesTheMaximum() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=actors").run(context -> {
      ActorDirectory directory = context.getBean(ActorDirectory.class);
      directory.get(Counter.class, "c0").bump().block();
      ActorsEndpoint endpoint = context.getBean(ActorsEndpoint.class);
      assertThat(endpoint.actors(ActorsEndpoint.MAX_LIMIT).limit())
          .isEqualTo(ActorsEndpoint.MAX_LIMIT);
      for (int tooMany : new int[] {ActorsEndpoint.MAX_LIMIT + 1, Integer.MAX_VALUE}) {
        assertThatThrownBy(() -> endpoint.actors(tooMany))
            .isInstanceOf(InvalidEndpointRequestException.class)
            .extracting(e -> ((InvalidEndpointRequestException) e).getReason())
            .isEqualTo("limit must be at most 10000, but was " + tooMany);
      }
    });
  }

  @Test
  @org.junit.jupiter.api.DisplayName("the endpoint reads a system shut down, its actors still"
      + " listed with their figures, as the health and the gauges do")
  void endpointReadsASystemShutDown() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=actors").run(context -> {
      context.getBean(ActorDirectory.class).get(Counter.class, "kept").bump().block();
      context.getBean(io.reactant.actor.ActorSystem.class).shutdown(java.time.Duration.ZERO)
          .block(java.time.Duration.ofSeconds(30));
      ActorsEndpoint endpoint = context.getBean(ActorsEndpoint.class);
      assertThat(endpoint.actors(null).actors()).extracting(ActorDescriptor::id)
          .containsExactly("kept");
      assertThat(endpoint.actor("kept")).extracting(ActorDescriptor::turns).isEqualTo(1L);
      assertThat(endpoint.actor("missing")).isNull();
    });
  }
}

package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ContextPropagation;
import io.reactant.context.MicrometerContextPropagation;
import io.reactant.spring.boot.ActorBean;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * The starter carries the values of Micrometer's context-propagation registry (a trace, the MDC)
 * into actor turns, on by default when that library is present.
 */
class ReactantContextPropagationAutoConfigurationTests {

  private static final String KEY = "reactant.test.trace";
  private static final ThreadLocal<@Nullable String> TRACE = new ThreadLocal<>();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
          ReactantContextPropagationAutoConfiguration.class));

  public interface Traced {
    /** The trace and MDC traceId its turn sees. */
    Mono<String> seen();

    /** What its turn sees, what {@code next} sees, and what its continuation sees. */
    Mono<String> relay(Traced next);
  }

  static final class TracedActor extends Actor implements Traced {
    @Override
    public Mono<String> seen() {
      return Mono.just(TRACE.get() + "/" + MDC.get("traceId"));
    }

    @Override
    public Mono<String> relay(Traced next) {
      String mine = TRACE.get() + "/" + MDC.get("traceId");
      return await(next.seen()).map(theirs -> mine + " " + theirs + " " + TRACE.get() + "/"
          + MDC.get("traceId"));
    }
  }

  public interface Seer {
    /** The trace its turn sees. */
    Mono<String> seen();
  }

  @ActorBean(activation = ActorBean.Activation.VIRTUAL)
  public static final class SeerActor extends Actor implements Seer {
    @Override
    public Mono<String> seen() {
      return Mono.just(String.valueOf(TRACE.get()));
    }
  }

  @BeforeEach
  void register() {
    ContextRegistry.getInstance().registerThreadLocalAccessor(KEY, TRACE);
    ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor("traceId"));
  }

  @AfterEach
  void unregister() {
    ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
    ContextRegistry.getInstance().removeThreadLocalAccessor(Slf4jThreadLocalAccessor.KEY);
    TRACE.remove();
    MDC.clear();
  }

  /** Calls {@code a.relay(b)} from this thread with a trace and an MDC traceId, then clears them. */
  private static Mono<String> relayWith(String trace, Traced a, Traced b) {
    TRACE.set(trace);
    MDC.put("traceId", "mdc-" + trace);
    try {
      return a.relay(b);
    } finally {
      TRACE.remove();
      MDC.remove("traceId");
    }
  }

  @Test
  @DisplayName("R13 a registered thread-local and the MDC reach the callee's turn, the actor it calls"
      + " and its continuation after the await")
  void registeredValuesReachTheTurns() {
    runner.run(context -> {
      ActorSystem system = context.getBean(ActorSystem.class);
      assertThat(system.config().contextPropagation()).get()
          .isInstanceOf(MicrometerContextPropagation.class);
      Traced a = system.spawn(Traced.class, TracedActor::new);
      Traced b = system.spawn(Traced.class, TracedActor::new);
      assertThat(relayWith("t1", a, b).block(Duration.ofSeconds(10)))
          .isEqualTo("t1/mdc-t1 t1/mdc-t1 t1/mdc-t1");
      // a message sent with none clears what a pool thread might hold
      assertThat(a.seen().block(Duration.ofSeconds(10))).isEqualTo("null/null");
    });
  }

  @Test
  @DisplayName("reactant.context-propagation.enabled=false carries nothing")
  void offWithTheProperty() {
    runner.withPropertyValues("reactant.context-propagation.enabled=false").run(context -> {
      ActorSystem system = context.getBean(ActorSystem.class);
      assertThat(context).doesNotHaveBean(ContextPropagation.class);
      assertThat(system.config().contextPropagation()).isEmpty();
      Traced a = system.spawn(Traced.class, TracedActor::new);
      Traced b = system.spawn(Traced.class, TracedActor::new);
      assertThat(relayWith("t2", a, b).block(Duration.ofSeconds(10)))
          .isEqualTo("null/null null/null null/null");
    });
  }

  @Test
  @DisplayName("without the context-propagation library nothing is configured")
  void offWithoutTheLibrary() {
    runner.withClassLoader(new FilteredClassLoader(ContextSnapshotFactory.class)).run(context -> {
      assertThat(context).doesNotHaveBean(ContextPropagation.class);
      assertThat(context.getBean(ActorSystem.class).config().contextPropagation()).isEmpty();
    });
  }

  @Test
  @DisplayName("the application's own ContextPropagation bean replaces the starter's")
  void applicationBeanWins() {
    ContextPropagation own = new ContextPropagation() {
      @Override
      public @Nullable Object capture() {
        return null;
      }

      @Override
      public Scope restore(Object snapshot) {
        return () -> { };
      }
    };
    runner.withBean(ContextPropagation.class, () -> own).run(context ->
        assertThat(context.getBean(ActorSystem.class).config().contextPropagation()).containsSame(own));
  }

  @Test
  @DisplayName("two ContextPropagation beans of the application fail the startup saying so, unless"
      + " one is @Primary, which is used (the system got none, silently)")
  void twoBeansFailTheStartupUnlessOneIsPrimary() {
    ContextPropagation first = nothingCarried();
    ContextPropagation second = nothingCarried();
    runner.withBean("first", ContextPropagation.class, () -> first)
        .withBean("second", ContextPropagation.class, () -> second).run(context ->
            assertThat(context).getFailure().rootCause()
                .isInstanceOf(NoUniqueBeanDefinitionException.class)
                .hasMessageContaining("first").hasMessageContaining("second"));
    runner.withBean("first", ContextPropagation.class, () -> first)
        .withBean("second", ContextPropagation.class, () -> second, d -> d.setPrimary(true))
        .run(context -> assertThat(context.getBean(ActorSystem.class).config()
            .contextPropagation()).containsSame(second));
  }

  private static ContextPropagation nothingCarried() {
    return new ContextPropagation() {
      @Override
      public @Nullable Object capture() {
        return null;
      }

      @Override
      public Scope restore(Object snapshot) {
        return () -> { };
      }
    };
  }

  @Test
  @DisplayName("R23 on WebFlux, a value of the request's Reactor Context (where the request's"
      + " observation lives) reaches the turn of the generic endpoint's call, without automatic"
      + " propagation")
  void reactorContextOfTheRequestReachesTheTurn() {
    WebFilter putsTrace = (exchange, chain) -> chain.filter(exchange).contextWrite(c ->
        c.put(KEY, exchange.getRequest().getHeaders().getFirst("X-Trace")));
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
            ReactantContextPropagationAutoConfiguration.class,
            ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
            CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
            HttpHandlerAutoConfiguration.class))
        .withUserConfiguration(SeerActor.class)
        .withBean(WebFilter.class, () -> putsTrace)
        .run(context -> {
          WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
          // the first call activates the actor (on the system's pool), the second one only sends
          for (String trace : new String[] {"web-1", "web-2"}) {
            client.post().uri("/actors/Seer/a/seen").contentType(MediaType.APPLICATION_JSON)
                .header("X-Trace", trace).bodyValue("[]").exchange()
                .expectStatus().isOk().expectBody(String.class).isEqualTo("\"" + trace + "\"");
          }
          assertThat(TRACE.get()).isNull(); // and the thread that made the call keeps none
        });
  }
}

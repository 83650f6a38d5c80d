package io.reactant.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import io.reactant.actor.Actor;
import io.reactant.actor.ActorClass;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorRefs;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.ContextPropagation;
import io.reactant.actor.Query;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantContextPropagationAutoConfiguration;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Java snippets of docs/starter.md that no other test runs as printed (inside the interfaces
 * and classes the page leaves out), each asserting what the page says of it, and a claim of the
 * README's "Writing an actor with the starter" that no other test checked. The page's other
 * snippets run elsewhere: the {@code ActorSystem} bean given the metrics' listener in
 * {@code ReactantMetricsAutoConfigurationTests}, {@code @NotExposed} on {@code Payments.refund} in
 * {@code NotExposedMethodsTests}, {@code ScaleTests} in {@code ActorTestOverridesTests}.
 */
class StarterDocSnippetsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class));

  // "Actors that create actors"

  /** What the accounts are injected with. */
  public interface Ledger {
    String name();
  }

  public interface Account {
    /** The ledger its constructor was injected with. */
    @Query
    Mono<String> ledger();

    /** Who created it (rule R21). */
    @Query
    Mono<String> createdBy();
  }

  public interface Bank {
    Mono<ActorId> open();
  }

  @ActorBean(activation = Activation.EXPLICIT)
  static final class AccountActor extends Actor implements Account {
    private final String ledger;

    AccountActor(Ledger ledger) {                          // injected
      this.ledger = ledger.name();
    }

    @Override
    public Mono<String> ledger() {
      return Mono.just(ledger);
    }

    @Override
    public Mono<String> createdBy() {
      return Mono.just(creator().toString());
    }
  }

  @ActorBean
  static final class BankActor extends Actor implements Bank {
    private final ActorClass<Account, Void> accounts;

    BankActor(ActorDirectory actors) {
      this.accounts = actors.actorClass(Account.class);
    }

    @Override
    public Mono<ActorId> open() {
      return await(spawn(accounts, null)).map(ActorRefs::idOf); // created when this turn commits
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class LedgerConfiguration {
    @Bean
    Ledger ledger() {
      return () -> "main ledger";
    }
  }

  @Test
  @DisplayName("R20 R21 docs/starter.md's bank: a singleton opens Spring-wired EXPLICIT accounts"
      + " through ActorDirectory.actorClass; each has its injected bean and the bank as creator")
  void bankOpensSpringWiredAccounts() {
    runner.withUserConfiguration(LedgerConfiguration.class, AccountActor.class, BankActor.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          ActorDirectory actors = context.getBean(ActorDirectory.class);
          Bank bank = context.getBean(Bank.class);

          ActorId first = bank.open().block(WAIT);
          ActorId second = bank.open().block(WAIT);

          assertThat(first).isNotNull().isNotEqualTo(second);
          Account account = actors.get(Account.class, first);
          assertThat(account.ledger().block(WAIT)).isEqualTo("main ledger");
          assertThat(account.createdBy().block(WAIT)).isEqualTo("actor:bank");
        });
  }

  // "HTTP contract": a controller's query on the actor system's executor

  public interface Counter {
    Mono<Long> bump();

    @Query
    Mono<Long> read();
  }

  /** The thread the last read ran on. */
  static final AtomicReference<@Nullable String> READ_ON = new AtomicReference<>();

  @ActorBean(activation = Activation.VIRTUAL)
  static final class CounterActor extends Actor implements Counter {
    private final io.reactant.state.Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Long> bump() {
      count.update(c -> c + 1);
      return Mono.just(count.get());
    }

    @Override
    public Mono<Long> read() {
      READ_ON.set(Thread.currentThread().getName());
      return Mono.just(count.get());
    }
  }

  @Test
  @DisplayName("R19 docs/starter.md's query made on the executor runs on an actor thread, not the"
      + " caller's, and reads the committed state")
  void queryOnTheExecutorRunsOnAnActorThread() {
    runner.withPropertyValues("reactant.name=shop").withUserConfiguration(CounterActor.class)
        .run(context -> {
          ActorDirectory actors = context.getBean(ActorDirectory.class);
          Counter counter = actors.get(Counter.class, "c1");
          counter.bump().block(WAIT);

          Mono<Long> value = Mono.defer(() -> counter.read())   // the query runs on an actor thread
              .subscribeOn(Schedulers.fromExecutor(actors.system().executor()));

          assertThat(value.block(WAIT)).isEqualTo(1L);
          assertThat(READ_ON.get()).startsWith("shop-")
              .isNotEqualTo(Thread.currentThread().getName());
          counter.read().block(WAIT);
          assertThat(READ_ON.get()).as("without it, the caller's thread")
              .isEqualTo(Thread.currentThread().getName());
        });
  }

  // "Tracing and context propagation": an ActorSystem bean of the application's

  private static final ThreadLocal<@Nullable String> TRACE = new ThreadLocal<>();

  public interface Traced {
    Mono<String> seen();
  }

  static final class TracedActor extends Actor implements Traced {
    @Override
    public Mono<String> seen() {
      return Mono.just(String.valueOf(TRACE.get()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnSystemConfiguration {
    @Bean
    ActorSystem actorSystem(ContextPropagation propagation) {
      return ActorSystem.create(
          ActorSystemConfig.builder().name("bank").contextPropagation(propagation).build());
    }
  }

  @Test
  @DisplayName("docs/starter.md's ActorSystem bean given the ContextPropagation bean carries a"
      + " caller's registered thread-local into the turn")
  void ownActorSystemGivenThePropagationBeanCarriesContext() {
    String key = "reactant.test.docs.trace";
    ContextRegistry.getInstance().registerThreadLocalAccessor(key, TRACE);
    try {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ReactantAutoConfiguration.class,
              ReactantContextPropagationAutoConfiguration.class))
          .withUserConfiguration(OwnSystemConfiguration.class).run(context -> {
            ActorSystem system = context.getBean(ActorSystem.class);
            assertThat(system.config().name()).isEqualTo("bank");
            assertThat(system.config().contextPropagation())
                .containsSame(context.getBean(ContextPropagation.class));
            Traced traced = system.spawn(Traced.class, TracedActor::new);

            TRACE.set("trace-1");
            Mono<String> seen;
            try {
              seen = traced.seen();
            } finally {
              TRACE.remove();
            }
            assertThat(seen.block(WAIT)).isEqualTo("trace-1");
          });
    } finally {
      ContextRegistry.getInstance().removeThreadLocalAccessor(key);
      TRACE.remove();
    }
  }

  // README, "Writing an actor with the starter"

  @Configuration(proxyBeanMethods = false)
  static class InterfaceTypedBeanConfiguration {
    @Bean
    Counter counter() {
      return new CounterActor();
    }
  }

  @Test
  @DisplayName("R1 the README's @Bean method declared to return the actor interface: it hides the"
      + " class, so no actor is declared, and its 'new' fails the startup")
  void beanMethodReturningTheInterfaceFailsTheStartup() {
    runner.withUserConfiguration(InterfaceTypedBeanConfiguration.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("Actors are created by ActorSystem.spawn (or an ActorClass),"
              + " never with 'new' directly");
    });
  }
}

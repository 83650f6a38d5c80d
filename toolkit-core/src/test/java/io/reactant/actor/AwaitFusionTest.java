package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

/**
 * Rules R13, R14 and R19 under Reactor's fusing operators: an await is a {@code Fuseable} source
 * (so that {@code Mono.map} over it takes its fast path on JDK 17), and whatever subscription it
 * gives must keep the commit points where the rules put them.
 */
class AwaitFusionTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.withSeed(21);
  private final ActorSystem system = TestSystems.on(scheduler);
  private Source source;
  private Subject subject;

  @BeforeEach
  void spawn() {
    source = system.spawn(Source.class, SourceActor::new);
    subject = system.spawn(Subject.class, SubjectActor::new);
  }

  @AfterEach
  void close() {
    system.close();
  }

  public interface Source {
    Mono<Long> value();

    @Query
    Mono<Long> peek();
  }

  static final class SourceActor extends Actor implements Source {
    @Override
    public Mono<Long> value() {
      return Mono.just(41L);
    }

    @Override
    public Mono<Long> peek() {
      return Mono.just(41L);
    }
  }

  public interface Subject {
    Mono<List<Long>> awaitThenFlatten(Source s);

    Mono<Integer> fusionModeOffered(Source s);

    Mono<List<Long>> awaitReadyOnDoneFutureThenFlatten(Source s);

    Mono<Long> awaitReadyOnForeignScalar();

    Mono<Long> awaitReadyOnForeignScalarThenTrap();

    Mono<String> awaitReadyOnFailingForeignScalar();

    Mono<String> awaitReadyOnEmptyForeignScalar();

    @CompositeQuery
    Mono<List<Long>> compositeThenFlatten(Source s);

    @Query
    Mono<Long> x();
  }

  static final class SubjectActor extends Actor implements Subject {
    private final Var<Long> x = newVar("x", 0L);

    @Override
    public Mono<List<Long>> awaitThenFlatten(Source s) {
      // flatMapIterable asks its upstream (map's fusing subscriber) for fusion, which asks the await
      return await(s.value()).map(v -> v + 1).flatMapIterable(v -> List.of(v, v * 10)).collectList();
    }

    @Override
    public Mono<Integer> fusionModeOffered(Source s) {
      int[] mode = {Integer.MIN_VALUE};
      Mono<Long> awaited = await(s.value());
      Mono<Long> probed = Mono.from(downstream -> awaited.subscribe(new CoreSubscriber<Long>() {
        @Override
        public void onSubscribe(Subscription sub) {
          mode[0] = sub instanceof Fuseable.QueueSubscription<?> q ? q.requestFusion(Fuseable.ANY) : -1;
          downstream.onSubscribe(sub);
        }

        @Override
        public void onNext(Long v) {
          downstream.onNext(v);
        }

        @Override
        public void onError(Throwable t) {
          downstream.onError(t);
        }

        @Override
        public void onComplete() {
          downstream.onComplete();
        }
      }));
      return probed.then(Mono.fromCallable(() -> mode[0]));
    }

    @Override
    public Mono<List<Long>> awaitReadyOnDoneFutureThenFlatten(Source s) {
      Mono<Long> future = s.value();
      return await(future).then(
          awaitIfReady(future).map(v -> v + 1).flatMapIterable(v -> List.of(v, v * 10)).collectList());
    }

    @Override
    public Mono<Long> awaitReadyOnForeignScalar() {
      return awaitIfReady(ForeignScalar.of(5L)).map(v -> v + 1);
    }

    @Override
    public Mono<Long> awaitReadyOnForeignScalarThenTrap() {
      x.set(9L);
      return awaitIfReady(ForeignScalar.of(5L)).map(v -> {
        trap("after await? on a scalar source of another library");
        return v;
      });
    }

    @Override
    public Mono<String> awaitReadyOnFailingForeignScalar() {
      return awaitIfReady(ForeignScalar.failing(new IllegalStateException("foreign failure")))
          .map(v -> "value " + v)
          .onErrorResume(IllegalStateException.class, e -> Mono.just("error " + e.getMessage()));
    }

    @Override
    public Mono<String> awaitReadyOnEmptyForeignScalar() {
      return awaitIfReady(ForeignScalar.of(null)).map(v -> "value " + v).defaultIfEmpty("empty");
    }

    @Override
    public Mono<List<Long>> compositeThenFlatten(Source s) {
      return await(s.peek()).map(v -> v + 1).flatMapIterable(v -> List.of(v, v * 10)).collectList();
    }

    @Override
    public Mono<Long> x() {
      return Mono.just(x.get());
    }
  }

  /**
   * A scalar source of another library: a {@code ScalarCallable} that is not {@code Fuseable} and
   * subscribes its subscribers with a plain subscription, not a queue subscription.
   */
  static final class ForeignScalar extends Mono<Long> implements Fuseable.ScalarCallable<Long> {
    private final @Nullable Long value;
    private final @Nullable RuntimeException error;

    private ForeignScalar(@Nullable Long value, @Nullable RuntimeException error) {
      this.value = value;
      this.error = error;
    }

    static ForeignScalar of(@Nullable Long value) {
      return new ForeignScalar(value, null);
    }

    static ForeignScalar failing(RuntimeException error) {
      return new ForeignScalar(null, error);
    }

    @Override
    public @Nullable Long call() {
      if (error != null) {
        throw error;
      }
      return value;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Long> actual) {
      actual.onSubscribe(new Subscription() {
        private boolean done;

        @Override
        public void request(long n) {
          if (done) {
            return;
          }
          done = true;
          if (error != null) {
            actual.onError(error);
            return;
          }
          if (value != null) {
            actual.onNext(value);
          }
          actual.onComplete();
        }

        @Override
        public void cancel() {
          done = true;
        }
      });
    }
  }

  @Test
  @DisplayName("R13 an await under operators that fuse (map, flatMapIterable) delivers its value in the continuation")
  void awaitUnderFusingOperatorsDeliversItsValue() {
    assertThat(scheduler.await(subject.awaitThenFlatten(source))).containsExactly(42L, 420L);
  }

  @Test
  @DisplayName("R13 an await offers a queue subscription that refuses fusion, so nothing polls before the continuation")
  void awaitRefusesFusion() {
    assertThat(scheduler.await(subject.fusionModeOffered(source))).isEqualTo(Fuseable.NONE);
  }

  @Test
  @DisplayName("R14 await? on a completed call future continues inline under operators that fuse")
  void awaitIfReadyOnADoneFutureUnderFusingOperators() {
    assertThat(scheduler.await(subject.awaitReadyOnDoneFutureThenFlatten(source)))
        .containsExactly(42L, 420L);
  }

  @Test
  @DisplayName("R14 await? on another library's scalar source, which gives a plain subscription, continues with its value")
  void awaitIfReadyOnAForeignScalarSource() {
    assertThat(scheduler.await(subject.awaitReadyOnForeignScalar())).isEqualTo(6L);
  }

  @Test
  @DisplayName("R7 R14 await? on another library's scalar source does not commit: a trap after it rolls the turn back")
  void awaitIfReadyOnAForeignScalarSourceDoesNotCommit() {
    assertThatThrownBy(() -> scheduler.await(subject.awaitReadyOnForeignScalarThenTrap()))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThat(subject.x().block()).as("x=9 written before the await?, rolled back").isZero();
  }

  @Test
  @DisplayName("R14 await? on another library's failing or empty scalar source delivers its error or its emptiness")
  void awaitIfReadyOnAFailingOrEmptyForeignScalarSource() {
    assertThat(scheduler.await(subject.awaitReadyOnFailingForeignScalar())).isEqualTo("error foreign failure");
    assertThat(scheduler.await(subject.awaitReadyOnEmptyForeignScalar())).isEqualTo("empty");
  }

  @Test
  @DisplayName("R19 a composite query's await under operators that fuse delivers its value")
  void compositeQueryAwaitUnderFusingOperators() {
    assertThat(scheduler.await(subject.compositeThenFlatten(source))).containsExactly(42L, 420L);
  }
}

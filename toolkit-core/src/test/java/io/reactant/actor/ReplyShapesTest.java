package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Rule R3 (and R12 for errors): a call's reply is what the method's {@code Mono} signals, whatever
 * built it. The runtime reads Reactor's scalar sources without subscribing and subscribes to the
 * rest (through the operators' conditional paths for {@code map}, {@code filter}, {@code handle});
 * every shape must give the same reply and the same commit or rollback, for calls and queries.
 */
class ReplyShapesTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  /** How a method builds the {@code Mono} it returns; {@code expected} is the reply's value. */
  enum Shape {
    JUST(7L),
    EMPTY(null),
    ERROR(null),
    ERROR_SUPPLIED(null),
    FROM_SUPPLIER(7L),
    MAP(8L),
    FILTER_KEEPS(7L),
    FILTER_DROPS(null),
    HANDLE(14L),
    MAP_THEN_FILTER(8L),
    DO_ON_NEXT(7L),
    DEFER_JUST(7L),
    /** A source that signals through {@code tryOnNext}, down to the call itself. */
    CONDITIONAL_FLUX(7L);

    final Long expected;

    Shape(Long expected) {
      this.expected = expected;
    }

    boolean fails() {
      return this == ERROR || this == ERROR_SUPPLIED;
    }

    Mono<Long> of(long v, AtomicInteger sideEffects) {
      return switch (this) {
        case JUST -> Mono.just(v);
        case EMPTY -> Mono.empty();
        case ERROR -> Mono.error(new IllegalStateException("shape error"));
        case ERROR_SUPPLIED -> Mono.error(() -> new IllegalStateException("shape error"));
        case FROM_SUPPLIER -> Mono.fromSupplier(() -> v);
        case MAP -> Mono.fromSupplier(() -> v).map(x -> x + 1);
        case FILTER_KEEPS -> Mono.fromSupplier(() -> v).filter(x -> x > 0);
        case FILTER_DROPS -> Mono.fromSupplier(() -> v).filter(x -> x < 0);
        case HANDLE -> Mono.fromSupplier(() -> v).handle((x, sink) -> sink.next(x * 2));
        case MAP_THEN_FILTER -> Mono.fromSupplier(() -> v).map(x -> x + 1).filter(x -> x > 0);
        case DO_ON_NEXT -> Mono.fromSupplier(() -> v).doOnNext(x -> sideEffects.incrementAndGet());
        case DEFER_JUST -> Mono.defer(() -> Mono.just(v));
        case CONDITIONAL_FLUX -> Mono.fromDirect(
            Flux.range((int) v - 1, 2).map(Integer::longValue).filter(x -> x == v));
      };
    }
  }

  public interface Shaped {
    /** Writes {@code 7} and returns the shape's {@code Mono} over it. */
    Mono<Long> writeAndReply(Shape shape);

    @Query
    Mono<Long> read(Shape shape);

    @Query
    Mono<Long> value();
  }

  static final class ShapedActor extends Actor implements Shaped {
    private final Var<Long> value = newVar("value", 0L);
    final AtomicInteger sideEffects;

    ShapedActor(AtomicInteger sideEffects) {
      this.sideEffects = sideEffects;
    }

    @Override
    public Mono<Long> writeAndReply(Shape shape) {
      value.set(7L);
      return shape.of(value.get(), sideEffects);
    }

    @Override
    public Mono<Long> read(Shape shape) {
      return shape.of(value.get(), sideEffects);
    }

    @Override
    public Mono<Long> value() {
      return Mono.just(value.get());
    }
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  @DisplayName("R3 a call replies with what the method's Mono signals, and commits, whatever its shape")
  void everyShapeOfReplyIsDelivered(Shape shape) {
    AtomicInteger sideEffects = new AtomicInteger();
    Shaped actor = system.spawn(Shaped.class, () -> new ShapedActor(sideEffects));
    if (shape.fails()) {
      assertThatThrownBy(() -> scheduler.await(actor.writeAndReply(shape)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR))
          .hasMessageContaining("shape error");
      assertThat(scheduler.await(actor.value())).as("R12 rolled back").isZero();
      return;
    }
    assertThat(scheduler.await(actor.writeAndReply(shape))).isEqualTo(shape.expected);
    assertThat(scheduler.await(actor.value())).as("committed").isEqualTo(7L);
    assertThat(sideEffects.get()).isEqualTo(shape == Shape.DO_ON_NEXT ? 1 : 0);
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  @DisplayName("R3 a query replies with what the method's Mono signals, whatever its shape")
  void everyShapeOfQueryReplyIsDelivered(Shape shape) {
    Shaped actor = system.spawn(Shaped.class, () -> new ShapedActor(new AtomicInteger()));
    scheduler.await(actor.writeAndReply(Shape.JUST));
    if (shape.fails()) {
      assertThatThrownBy(() -> scheduler.await(actor.read(shape)))
          .isInstanceOf(CallError.class)
          .hasMessageContaining("shape error");
      return;
    }
    assertThat(scheduler.await(actor.read(shape))).isEqualTo(shape.expected);
  }
}

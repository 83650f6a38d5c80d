package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The runtime's refusal of a call through a reference of one type to an actor of another (rules R1,
 * R23) names that actor as data, {@link CallError#actorOfAnotherType()}, beside its unchanged
 * message, for every kind of call and caller; no other error does, whatever its words.
 */
class ActorOfAnotherTypeTest {

  /** An id with the refusal's punctuation and phrase in it. */
  private static final ActorId ODD = ActorId.of("x (Shop) has no method Shop.take() (Till");

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  /** What both types share. */
  public interface Counter {
    Mono<Long> take(long amount);

    void drop(long amount);

    @Query
    Mono<Long> count();

    /** Awaits {@code other.count()}, letting its failure through. */
    @CompositeQuery
    Mono<Long> countOf(Shop other);

    /** Awaits {@code other.take(amount)}, letting its failure through. */
    Mono<Long> takeFrom(Shop other, long amount);

    /** Awaits {@code other.take(amount)}, and rejects in the words its refusal had. */
    Mono<Long> quote(Shop other, long amount);
  }

  public interface Till extends Counter {
  }

  public interface Shop extends Counter {
  }

  static class CounterActor extends Actor implements Counter {
    private final Var<Long> count = newVar("count", 100L);

    @Override
    public Mono<Long> take(long amount) {
      return Mono.just(count.update(c -> c - amount));
    }

    @Override
    public void drop(long amount) {
      count.update(c -> c - amount);
    }

    @Override
    public Mono<Long> count() {
      return Mono.just(count.get());
    }

    @Override
    public Mono<Long> countOf(Shop other) {
      return await(other.count());
    }

    @Override
    public Mono<Long> takeFrom(Shop other, long amount) {
      return await(other.take(amount));
    }

    @Override
    public Mono<Long> quote(Shop other, long amount) {
      return await(other.take(amount)).onErrorMap(CallError.class,
          e -> new CallError(e.code(), e.rejectMessage()));
    }
  }

  static final class TillActor extends CounterActor implements Till {
  }

  static final class ShopActor extends CounterActor implements Shop {
  }

  private CallError failure(Mono<?> call) {
    AtomicReference<Throwable> failed = new AtomicReference<>();
    assertThatThrownBy(() -> scheduler.await(call)).satisfies(failed::set);
    assertThat(failed.get()).isInstanceOf(CallError.class);
    return (CallError) failed.get();
  }

  private static void refusesTill(CallError e, ActorId till, String method) {
    assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID);
    assertThat(e.rejectMessage())
        .isEqualTo("actor " + till + " (Till) has no method Counter." + method + "()");
    assertThat(e.actorOfAnotherType()).contains(till);
  }

  @Test
  @DisplayName("R1 R23 the refusal of an update, a query, a composite query and a oneway from"
      + " outside the actors names the actor of the other type as data, whatever its id's"
      + " characters, with the message unchanged")
  void ingressRefusalsNameTheActor() throws Exception {
    for (ActorId id : new ActorId[] {ActorId.of("till"), ODD}) {
      system.spawn(Till.class, id, TillActor::new);
      Shop wrong = system.lookup(Shop.class, id);
      refusesTill(failure(wrong.take(1)), id, "take");
      refusesTill(failure(wrong.count()), id, "count");
      refusesTill(failure(wrong.countOf(wrong)), id, "countOf");
      assertThatThrownBy(() -> ActorRefs.sendOneway(wrong,
          Counter.class.getMethod("drop", long.class), 1L))
          .isInstanceOfSatisfying(CallError.class, e -> refusesTill(e, id, "drop"));
      assertThat(scheduler.await(system.lookup(Till.class, id).count())).isEqualTo(100L);
    }
  }

  @Test
  @DisplayName("R1 R12a R23 an actor's update and a composite query's part refused so get the"
      + " refusal with the actor as data; the code 4 a caller sees when the actor lets it through"
      + " has none of its own, and its cause is that refusal")
  void aRefusalAnActorLetsThroughKeepsItInItsCause() {
    ActorId till = ActorId.of("till");
    system.spawn(Till.class, till, TillActor::new);
    Shop shop = system.spawn(Shop.class, ActorId.of("shop"), ShopActor::new);
    Shop wrong = system.lookup(Shop.class, till);
    refusedThrough(failure(shop.takeFrom(wrong, 1)), till, "take");
    refusedThrough(failure(shop.countOf(wrong)), till, "count");
  }

  private static void refusedThrough(CallError e, ActorId till, String method) {
    assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
    assertThat(e.actorOfAnotherType()).isEmpty();
    assertThat(e.getCause()).isInstanceOfSatisfying(CallError.class,
        cause -> refusesTill(cause, till, method));
  }

  @Test
  @DisplayName("R11 R23 no other error names an actor as data: the refusal of an id no actor"
      + " holds, a CallError user code makes in the refusal's very words (an actor quoting it, an"
      + " application), CallError.reject")
  void noOtherErrorNamesAnActor() {
    ActorId till = ActorId.of("till");
    system.spawn(Till.class, till, TillActor::new);
    Shop shop = system.spawn(Shop.class, ActorId.of("shop"), ShopActor::new);
    CallError unknown = failure(system.lookup(Shop.class, "nobody").take(1));
    assertThat(unknown.code()).isEqualTo(RejectCode.DESTINATION_INVALID);
    assertThat(unknown.actorOfAnotherType()).isEmpty();
    CallError quoted = failure(shop.quote(system.lookup(Shop.class, till), 1));
    assertThat(quoted.rejectMessage()).isEqualTo("actor till (Till) has no method Counter.take()");
    assertThat(quoted.actorOfAnotherType()).isEmpty();
    assertThat(quoted.getCause()).isInstanceOfSatisfying(CallError.class,
        made -> assertThat(made.actorOfAnotherType()).isEmpty());
    assertThat(new CallError(RejectCode.DESTINATION_INVALID, quoted.rejectMessage())
        .actorOfAnotherType()).isEmpty();
    assertThat(CallError.reject(quoted.rejectMessage()).actorOfAnotherType()).isEmpty();
  }

  @Test
  @DisplayName("R23 the refusal serializes; read back, it keeps its code and message but names no"
      + " actor: it was not made by this runtime; and no subclass claims one (foreignActor() is"
      + " final)")
  void theActorIsNotSerializedNorClaimedBySubclasses() throws Exception {
    system.spawn(Till.class, ActorId.of("till"), TillActor::new);
    CallError e = failure(system.lookup(Shop.class, "till").take(1));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(e);
    }
    Object read;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      read = in.readObject();
    }
    assertThat(read).isInstanceOfSatisfying(CallError.class, back -> {
      assertThat(back.code()).isEqualTo(RejectCode.DESTINATION_INVALID);
      assertThat(back.rejectMessage()).isEqualTo(e.rejectMessage());
      assertThat(back.actorOfAnotherType()).isEmpty();
    });
    assertThat(Modifier.isFinal(CallError.class.getMethod("actorOfAnotherType").getModifiers()))
        .isTrue();
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.state.Var;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * What a user may write in an actor interface beyond the plain {@code Mono} method: varargs,
 * a method inherited twice, references of two systems.
 */
class InterfaceEdgesTest {

  public interface Summer {
    Mono<Integer> sum(int... xs);

    Mono<String> join(String separator, String... parts);
  }

  static final class SummerActor extends Actor implements Summer {
    @Override
    public Mono<Integer> sum(int... xs) {
      return Mono.just(xs == null ? -1 : Arrays.stream(xs).sum());
    }

    @Override
    public Mono<String> join(String separator, String... parts) {
      return Mono.just(parts == null ? "null" : String.join(separator, parts));
    }
  }

  @Test
  @DisplayName("a varargs method is called with the array the caller passed: several, none, or"
      + " a null array")
  void varargsMethodsGetTheCallersArray() {
    try (ActorSystem system = ActorSystem.create()) {
      Summer summer = system.spawn(Summer.class, SummerActor::new);
      assertThat(summer.sum(1, 2, 3).block()).isEqualTo(6);
      assertThat(summer.sum().block()).isEqualTo(0);
      assertThat(summer.sum((int[]) null).block()).isEqualTo(-1);
      assertThat(summer.join("-", "a", "b").block()).isEqualTo("a-b");
      assertThat(summer.join("-").block()).isEmpty();
      assertThat(summer.join("-", (String[]) null).block()).isEqualTo("null");
    }
  }

  public interface Written {
    Mono<Integer> touch();
  }

  public interface Read {
    @Query
    Mono<Integer> touch();
  }

  /** Inherits {@code touch()} twice: an update from one parent, a query from the other. */
  public interface WrittenAndRead extends Written, Read {
  }

  public interface ReadAndWritten extends Read, Written {
  }

  /** Says which the inherited method is, by redeclaring it. */
  public interface Settled extends Written, Read {
    @Override
    @Query
    Mono<Integer> touch();
  }

  static final class Toucher extends Actor implements WrittenAndRead, ReadAndWritten, Settled {
    private final Var<Integer> touches = newVar("touches", 0);

    @Override
    public Mono<Integer> touch() {
      touches.update(t -> t + 1);
      return Mono.just(touches.get());
    }
  }

  @Test
  @DisplayName("R19 an interface that inherits one method as an update from a parent and as a"
      + " query from another is refused, naming both (which one a call was depended on the order"
      + " of the parents); redeclared with its marker, it is taken")
  void aMethodInheritedAsUpdateAndQueryIsRefused() {
    try (ActorSystem system = ActorSystem.create()) {
      assertThatThrownBy(() -> system.spawn(WrittenAndRead.class, Toucher::new))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid actor interface " + WrittenAndRead.class.getName())
          .hasMessageContaining("touch() is inherited as an update from "
              + Written.class.getName() + " and as a @Query from " + Read.class.getName());
      assertThatThrownBy(() -> system.lookup(ReadAndWritten.class, "t"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("touch() is inherited as");
      assertThat(system.actorIds()).isEmpty();
      Settled settled = system.spawn(Settled.class, Toucher::new);
      assertThat(settled.touch().block()).isEqualTo(1);
      assertThat(settled.touch().block()).as("a query: its write was discarded").isEqualTo(1);
      assertThat(((Written) settled).touch().block()).as("the same method, through the proxy")
          .isEqualTo(1);
    }
  }

  public interface Greeter {
    Mono<String> greet();
  }

  static final class GreeterActor extends Actor implements Greeter {
    @Override
    public Mono<String> greet() {
      return Mono.just("hi from " + actorId());
    }
  }

  @Test
  @DisplayName("R21 references to actors of the same id in two systems are not equal: they name"
      + " two actors; references to one actor are, whatever their options")
  void referencesOfTwoSystemsAreNotEqual() {
    try (ActorSystem one = ActorSystem.create(); ActorSystem two = ActorSystem.create()) {
      Greeter here = one.spawn(Greeter.class, ActorId.of("g"), GreeterActor::new);
      Greeter there = two.spawn(Greeter.class, ActorId.of("g"), GreeterActor::new);
      assertThat(here).isNotEqualTo(there);
      assertThat(there).isNotEqualTo(here);
      assertThat(here).isEqualTo(one.lookup(Greeter.class, "g"))
          .hasSameHashCodeAs(one.lookup(Greeter.class, "g"))
          .isEqualTo(io.reactant.call.CallOptions.timeout(java.time.Duration.ofSeconds(1)).on(here));
      assertThat(java.util.Set.of(here, there)).hasSize(2);
    }
  }

  /** Redeclares Object's methods to document them, as interfaces often do. */
  public interface Documented {
    Mono<String> greet();

    /** Two references are equal when they name one actor of one system. */
    @Override
    boolean equals(Object other);

    @Override
    int hashCode();

    /** Names the actor, not its state. */
    @Override
    String toString();
  }

  static final class DocumentedActor extends Actor implements Documented {
    @Override
    public Mono<String> greet() {
      return Mono.just("hi from " + actorId());
    }

    @Override
    public boolean equals(Object other) {
      return other == this;
    }

    @Override
    public int hashCode() {
      return 42;
    }

    @Override
    public String toString() {
      return "the actor object";
    }
  }

  /** A default method that is no shared method: it returns no Mono. */
  public interface Describing {
    Mono<String> greet();

    default String describe() {
      return "a greeter";
    }
  }

  @Test
  @DisplayName("R1 an interface that redeclares equals, hashCode and toString is spawned: they"
      + " are Object's, answered by the reference as for any other (never messages to the"
      + " actor), not shared methods; a default method returning no Mono is still refused")
  void objectMethodsRedeclaredAreTheReferences() throws Exception {
    try (ActorSystem system = ActorSystem.create()) {
      Documented a = system.spawn(Documented.class, ActorId.of("d"), DocumentedActor::new);
      Documented same = system.lookup(Documented.class, "d");
      Documented other = system.spawn(Documented.class, ActorId.of("e"), DocumentedActor::new);
      assertThat(a.greet().block()).isEqualTo("hi from d");
      assertThat(a.equals(same)).isTrue();
      assertThat(a.equals(other)).isFalse();
      assertThat(a.equals(null)).isFalse();
      assertThat(a.hashCode()).isEqualTo(same.hashCode()).isNotEqualTo(42);
      assertThat(a.toString()).isEqualTo("ActorRef[Documented d]");
      assertThat(java.util.Set.of(a, other)).hasSize(2).contains(same);
      assertThatThrownBy(() -> ActorRefs.sendOneway(a, Documented.class.getMethod("toString")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a shared method of " + Documented.class.getName());
      assertThat(ActorRefs.isAnsweredByReference(Documented.class.getMethod("toString"))).isTrue();
      assertThat(ActorRefs.isAnsweredByReference(Documented.class.getMethod("hashCode"))).isTrue();
      assertThat(ActorRefs.isAnsweredByReference(Documented.class.getMethod("equals", Object.class)))
          .isTrue();
      assertThat(ActorRefs.isAnsweredByReference(Documented.class.getMethod("greet"))).isFalse();
      assertThatThrownBy(() -> ActorRefs.requireActorType(Describing.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("describe() returns String (a shared method returns Mono<T>");
    }
  }

  /** Marks Object's toString() a query, which a reference answers itself. */
  public interface MarkedToString {
    Mono<String> greet();

    @Override
    @Query
    String toString();
  }

  /** Redeclares Object's protected finalize(), which the garbage collector calls on a proxy. */
  public interface Finalized {
    void finalize();
  }

  @Test
  @DisplayName("R19 an interface that marks toString a query, or declares finalize() (the garbage"
      + " collector would call it on each reference it frees: a message to the actor), is refused")
  void markedObjectMethodAndFinalizeAreRefused() {
    assertThatThrownBy(() -> ActorRefs.requireActorType(MarkedToString.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("toString() is Object's, which a reference answers itself (not a"
            + " shared method): it cannot be marked a query");
    try (ActorSystem system = ActorSystem.create()) {
      assertThatThrownBy(() -> system.lookup(Finalized.class, "f"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid actor interface " + Finalized.class.getName())
          .hasMessageContaining("finalize() would be called by the garbage collector");
    }
  }

  public interface Store<T> {
    @Query
    Mono<T> find(T probe);

    @Query
    Mono<T> last();

    /** A default method: a shared method like any other, run in the actor's turn. */
    default Mono<String> describe() {
      return last().map(l -> "last " + l);
    }

    <U> Mono<U> echo(U value);

    Mono<Void> fail() throws java.io.IOException;
  }

  /** Redeclares a generic parent's query as an update: javac bridges the parent's to it. */
  public interface Strings extends Store<String> {
    @Override
    Mono<String> find(String probe);
  }

  static final class StringsActor extends Actor implements Strings {
    private final Var<String> last = newVar("last", "none");

    @Override
    public Mono<String> find(String probe) {
      last.set(probe);
      return Mono.just(last.get());
    }

    @Override
    public Mono<String> last() {
      return Mono.just(last.get());
    }

    @Override
    public <U> Mono<U> echo(U value) {
      return Mono.justOrEmpty(value);
    }

    @Override
    public Mono<Void> fail() throws java.io.IOException {
      throw new java.io.IOException("disk");
    }
  }

  @Test
  @DisplayName("R12 R19 a generic interface's method redeclared by its child is what the child"
      + " says whichever static type calls it (javac's bridge), a default method runs in the"
      + " actor, a generic method takes null, and a checked exception the method throws traps it")
  void genericDefaultAndThrowingMethods() {
    try (ActorSystem system = ActorSystem.create()) {
      Strings strings = system.spawn(Strings.class, StringsActor::new);
      Store<String> asStore = strings;
      assertThat(asStore.find("through the parent").block()).isEqualTo("through the parent");
      assertThat(strings.last().block()).as("an update through Strings' bridge: committed")
          .isEqualTo("through the parent");
      assertThat(strings.describe().block()).isEqualTo("last through the parent");
      assertThat(strings.echo(7).block()).isEqualTo(7);
      assertThat(strings.<Object>echo(null).block()).isNull();
      assertThatThrownBy(() -> strings.fail().block()).isInstanceOf(CallError.class)
          .hasMessageContaining("[5 CANISTER_ERROR]").hasMessageContaining("IOException: disk");
      Store<String> plain = system.lookup(Store.class, ActorRefs.idOf(strings).toString());
      assertThat(plain.find("through Store").block()).isEqualTo("through Store");
      assertThat(strings.last().block()).as("a query through a Store reference: discarded")
          .isEqualTo("through the parent");
    }
  }
}

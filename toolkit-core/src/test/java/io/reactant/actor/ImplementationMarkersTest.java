package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.state.Var;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * R19 the interface's markers decide what a call is: a {@code @Query} or {@code @CompositeQuery}
 * on an implementation's method that no call can reach as such is refused at spawn, naming it,
 * as one that disagrees with the interface is ({@code ActorSystemTest}).
 */
class ImplementationMarkersTest {

  private final ActorSystem system = ActorSystem.create();

  @AfterEach
  void close() {
    system.close();
  }

  public interface Tally {
    Mono<Long> add(long amount);

    @Query
    Mono<Long> total();
  }

  /** The shared methods of {@link Tally}, as its implementations below write them. */
  abstract static class TallyBase extends Actor implements Tally {
    final Var<Long> total = newVar("total", 0L);

    @Override
    public Mono<Long> add(long amount) {
      return Mono.just(total.update(t -> t + amount));
    }

    @Override
    @Query
    public Mono<Long> total() {
      return Mono.just(total.get());
    }
  }

  static final class PeekMarkedActor extends TallyBase {
    /** A query, its author thinks: no call reaches it, the interface lacks it. */
    @Query
    public Mono<Long> peek() {
      return Mono.just(total.get());
    }
  }

  static final class ToStringMarkedActor extends TallyBase {
    @Override
    @CompositeQuery
    public String toString() {
      return "tally";
    }
  }

  @Test
  @DisplayName("R19 a @Query on a public method of the implementation that the interface lacks is"
      + " refused at spawn, naming it and why, as the marker would be silently ignored")
  void aMarkerOnAMethodTheInterfaceLacksIsRefused() {
    assertThatThrownBy(() -> system.spawn(Tally.class, PeekMarkedActor::new))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PeekMarkedActor.class.getName() + " marks methods of "
            + Tally.class.getName())
        .hasMessageContaining("peek() is marked @Query but is no shared method of "
            + Tally.class.getName())
        .hasMessageContaining("no call reaches it");
    assertThatThrownBy(() -> ActorRefs.requireActorType(Tally.class, PeekMarkedActor.class))
        .hasMessageContaining("peek() is marked @Query");
    assertThat(system.actorIds()).isEmpty();
  }

  @Test
  @DisplayName("R19 a marker on the implementation's toString() is refused at spawn: it is"
      + " Object's, which a reference answers itself, never a message")
  void aMarkerOnToStringIsRefused() {
    assertThatThrownBy(() -> system.spawn(Tally.class, ToStringMarkedActor::new))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("toString() is marked @CompositeQuery but is Object's, which a"
            + " reference answers itself");
  }

  /** A generic actor interface: its implementation's method takes the type argument. */
  public interface Store<T> {
    @Query
    Mono<T> get(T key);
  }

  public interface Strings extends Store<String> {
  }

  static final class StringsActor extends Actor implements Strings {
    @Override
    @Query
    public Mono<String> get(String key) {
      return Mono.just(key + "!");
    }
  }

  /** A second actor interface, which {@link TwoTypesActor} may also be spawned as. */
  public interface Peekable {
    @Query
    Mono<Long> peek();
  }

  static final class TwoTypesActor extends TallyBase implements Peekable {
    @Override
    @Query
    public Mono<Long> peek() {
      return Mono.just(total.get());
    }
  }

  @Test
  @DisplayName("R19 markers on methods that are shared are accepted: one that implements a generic"
      + " interface's method for its type argument, and one of another actor interface of the"
      + " class (its own markers decide when it is spawned as that one)")
  void markersOnSharedMethodsAreAccepted() {
    Strings strings = system.spawn(Strings.class, StringsActor::new);
    assertThat(strings.get("a").block()).isEqualTo("a!");
    Tally tally = system.spawn(Tally.class, TwoTypesActor::new);
    tally.add(2).block();
    assertThat(tally.total().block()).isEqualTo(2L);
    Peekable peekable = system.spawn(Peekable.class, TwoTypesActor::new);
    assertThat(peekable.peek().block()).isZero();
  }

  /** A generic actor interface whose method is an update. */
  public interface Bag<T> {
    Mono<Long> put(T item);
  }

  public interface Words extends Bag<String> {
  }

  static final class QueryPutActor extends Actor implements Words {
    /** A query, its author thinks, of the interface's update, for its type argument. */
    @Override
    @Query
    public Mono<Long> put(String item) {
      return Mono.just(1L);
    }
  }

  static final class CompositeGetActor extends Actor implements Strings {
    @Override
    @CompositeQuery
    public Mono<String> get(String key) {
      return Mono.just(key);
    }
  }

  @Test
  @DisplayName("R19 a marker on the implementation of a generic interface's method for its type"
      + " argument that disagrees with the interface is refused, as on any other method: an"
      + " update marked @Query, a @Query marked @CompositeQuery")
  void aMarkerDisagreeingWithAGenericInterfacesMethodIsRefused() {
    assertThatThrownBy(() -> system.spawn(Words.class, QueryPutActor::new))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("put() is marked @Query but the interface makes it");
    assertThatThrownBy(() -> system.spawn(Strings.class, CompositeGetActor::new))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("get() is marked @CompositeQuery but the interface makes it");
    assertThat(system.actorIds()).isEmpty();
  }

  /** A base of actors with a helper its author marked as a query: not public, no call reaches it. */
  abstract static class HelpedBase extends TallyBase {
    @Query
    protected Mono<Long> doubled() {
      return Mono.just(2 * total.get());
    }
  }

  static final class HelpedActor extends HelpedBase {
  }

  static final class PackageMarkedActor extends TallyBase {
    @CompositeQuery
    Mono<Long> tripled() {
      return Mono.just(3 * total.get());
    }
  }

  @Test
  @DisplayName("R19 a marker on a method that is not public (a protected helper of an abstract base"
      + " of actors, a package-private one) is refused at spawn, naming it: no interface method"
      + " is, so no call reaches it and the marker would be silently ignored")
  void aMarkerOnAMethodThatIsNotPublicIsRefused() {
    assertThatThrownBy(() -> system.spawn(Tally.class, HelpedActor::new))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("doubled() is marked @Query but is not public")
        .hasMessageContaining("no call reaches it");
    assertThatThrownBy(() -> system.spawn(Tally.class, PackageMarkedActor::new))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tripled() is marked @CompositeQuery but is not public");
    assertThat(system.actorIds()).isEmpty();
  }
}

package io.reactant.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** What a TxMap does with awkward keys: keys of one hash code, and a key changed in place. */
class TxMapKeysTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());

  @AfterEach
  void close() {
    system.close();
  }

  /** A key whose hash code and equality are its id, which can be changed in place. */
  static final class Key {
    int id;

    Key(int id) {
      this.id = id;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.id == id;
    }

    @Override
    public int hashCode() {
      return id;
    }

    @Override
    public String toString() {
      return "k" + id;
    }
  }

  /** Keys that all share one hash code, told apart by {@code equals}. */
  record Colliding(int id) {
    @Override
    public int hashCode() {
      return 42;
    }
  }

  public interface Keys {
    /** Puts each key with its index, removes each of {@code removes}, then traps if told to. */
    Mono<Integer> putAll(List<Object> puts, List<Object> removes, boolean trap);

    /** Describes how the turn sees {@code key}: its lookups, the size and the walk. */
    Mono<String> describe(Object key);

    @Query
    Mono<String> view(Object key);
  }

  static final class KeysActor extends Actor implements Keys {
    private final TxMap<Object, Integer> map = newMap("map");

    @Override
    public Mono<Integer> putAll(List<Object> puts, List<Object> removes, boolean trap) {
      for (int i = 0; i < puts.size(); i++) {
        map.put(puts.get(i), i);
      }
      removes.forEach(map::remove);
      return trap ? trap("after the puts and removes") : Mono.just(map.size());
    }

    @Override
    public Mono<String> describe(Object key) {
      return Mono.just(describeNow(key));
    }

    @Override
    public Mono<String> view(Object key) {
      return Mono.just(describeNow(key));
    }

    private String describeNow(Object key) {
      List<Object> walked = new ArrayList<>();
      map.forEach((k, v) -> walked.add(k));
      return "get=" + map.get(key) + " contains=" + map.containsKey(key) + " size=" + map.size()
          + " walked=" + walked.size() + " inSnapshot=" + map.snapshot().containsKey(key);
    }
  }

  @Test
  @DisplayName("R6 R12 R19 keys of one hash code are kept apart by equals through commits, a trap's"
      + " rollback and queries")
  void collidingKeysAreKeptApart() {
    Keys keys = system.spawn(Keys.class, KeysActor::new);
    List<Object> forty = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      forty.add(new Colliding(i));
    }
    assertThat(scheduler.await(keys.putAll(forty, List.of(new Colliding(3)), false))).isEqualTo(39);
    assertThatThrownBy(() -> scheduler.await(keys.putAll(List.of(new Colliding(3)),
        List.of(new Colliding(0), new Colliding(39)), true))).isInstanceOf(CallError.class);

    assertThat(keys.view(new Colliding(0)).block())
        .isEqualTo("get=0 contains=true size=39 walked=39 inSnapshot=true");
    assertThat(keys.view(new Colliding(3)).block())
        .isEqualTo("get=null contains=false size=39 walked=39 inSnapshot=false");
    assertThat(scheduler.await(keys.describe(new Colliding(39))))
        .isEqualTo("get=39 contains=true size=39 walked=39 inSnapshot=true");
  }

  @Test
  @DisplayName("R6 a key whose hash code changes in place is lost to lookups (get, containsKey,"
      + " remove, a put of it adds a second mapping) yet still counted and walked, as TxMap's doc"
      + " says; its old hash code finds it again")
  void aKeyChangedInPlaceIsLostToLookups() {
    Keys keys = system.spawn(Keys.class, KeysActor::new);
    Key key = new Key(1);
    scheduler.await(keys.putAll(List.of(key), List.of(), false));

    key.id = 2;
    assertThat(keys.view(key).block())
        .isEqualTo("get=null contains=false size=1 walked=1 inSnapshot=false");
    assertThat(scheduler.await(keys.putAll(List.of(), List.of(key), false)))
        .as("remove finds nothing").isEqualTo(1);
    assertThat(scheduler.await(keys.putAll(List.of(key), List.of(), false)))
        .as("a put adds a second mapping").isEqualTo(2);

    assertThat(scheduler.await(keys.describe(new Key(1))))
        .as("the first mapping, under its old hash code")
        .isEqualTo("get=null contains=false size=2 walked=2 inSnapshot=false");
    key.id = 1;
    assertThat(scheduler.await(keys.describe(new Key(1))))
        .isEqualTo("get=0 contains=true size=2 walked=2 inSnapshot=true");
  }
}

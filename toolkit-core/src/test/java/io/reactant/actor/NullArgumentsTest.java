package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.TxMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** A null where the public API takes none is refused with a message that names it. */
class NullArgumentsTest {

  public interface Registry {
    Mono<Void> put(String key, String value);

    Mono<Boolean> has(String key);
  }

  static final class RegistryActor extends Actor implements Registry {
    private final TxMap<String, String> entries = newMap("entries");

    @Override
    public Mono<Void> put(String key, String value) {
      entries.put(key, value);
      return done();
    }

    @Override
    public Mono<Boolean> has(String key) {
      return Mono.just(entries.containsKey(key));
    }
  }

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system =
      ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());

  @AfterEach
  void close() {
    system.close();
    scheduler.runUntilIdle();
  }

  @Test
  @DisplayName("ActorRefs.isRef(null) is false, as instanceof is")
  void isRefOfNullIsFalse() {
    assertThat(ActorRefs.isRef(null)).isFalse();
  }

  @Test
  @DisplayName("the system's lookups by id name the null id")
  void lookupsNameTheNullId() {
    assertThatThrownBy(() -> system.contains(null))
        .isInstanceOf(NullPointerException.class).hasMessage("id");
    assertThatThrownBy(() -> system.mailboxDepth(null))
        .isInstanceOf(NullPointerException.class).hasMessage("id");
    assertThatThrownBy(() -> system.actor(null))
        .isInstanceOf(NullPointerException.class).hasMessage("id");
  }

  @Test
  @DisplayName("lookup, topUp and cyclesBalance name the null type or id at once, not at a call")
  void lookupNamesTheNullTypeOrId() {
    assertThatThrownBy(() -> system.lookup(Registry.class, (ActorId) null))
        .isInstanceOf(NullPointerException.class).hasMessage("id");
    assertThatThrownBy(() -> system.lookup(null, ActorId.of("r")))
        .isInstanceOf(NullPointerException.class).hasMessage("type");
    assertThatThrownBy(() -> system.lookup(Registry.class, (String) null))
        .isInstanceOf(NullPointerException.class).hasMessage("id");
    assertThatThrownBy(() -> system.lookup(null, "r"))
        .isInstanceOf(NullPointerException.class).hasMessage("type");
    assertThatThrownBy(() -> system.topUp(null, 1))
        .isInstanceOf(NullPointerException.class).hasMessage("id");
    assertThatThrownBy(() -> system.cyclesBalance(null))
        .isInstanceOf(NullPointerException.class).hasMessage("id");
    assertThatThrownBy(() -> system.shutdown(null))
        .isInstanceOf(NullPointerException.class).hasMessage("gracePeriod");
  }

  @Test
  @DisplayName("a CallError needs a reject code and a message, and says which is missing")
  void callErrorNamesWhatIsMissing() {
    assertThatThrownBy(() -> new CallError(null, "lost"))
        .isInstanceOf(NullPointerException.class).hasMessage("code");
    assertThatThrownBy(() -> new CallError(RejectCode.CANISTER_REJECT, null))
        .isInstanceOf(NullPointerException.class).hasMessage("message");
  }

  @Test
  @DisplayName("R12 a null TxMap key or value traps the turn with a message about the TxMap, not"
      + " its internal trie, and writes nothing")
  void nullTxMapKeyOrValueTraps() {
    Registry registry = system.spawn(Registry.class, RegistryActor::new);

    assertThatThrownBy(() -> scheduler.await(registry.put("k", null)))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage())
              .endsWith("NullPointerException: a TxMap value must not be null (remove the key"
                  + " instead)");
        });
    assertThatThrownBy(() -> scheduler.await(registry.put(null, "v")))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .endsWith("NullPointerException: a TxMap key must not be null"));
    assertThatThrownBy(() -> scheduler.await(registry.has(null)))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .endsWith("NullPointerException: a TxMap key must not be null"));
    assertThat(scheduler.await(registry.has("k"))).isFalse();
  }
}

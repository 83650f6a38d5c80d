package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Rule R23: ingress calls and inter-actor calls have the same semantics. */
class IngressTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Store {
    Mono<Long> put(long value);

    Mono<Long> putThenTrap(long value);

    @Query
    Mono<Long> get();
  }

  static final class StoreActor extends Actor implements Store {
    private final Var<Long> value = newVar("value", 0L);

    @Override
    public Mono<Long> put(long v) {
      value.set(v);
      return Mono.just(v);
    }

    @Override
    public Mono<Long> putThenTrap(long v) {
      value.set(v);
      return trap("no " + v);
    }

    @Override
    public Mono<Long> get() {
      return Mono.just(value.get());
    }
  }

  public interface Proxy {
    Mono<String> relay(long value, boolean trap);
  }

  static final class ProxyActor extends Actor implements Proxy {
    private final Store store;

    ProxyActor(Store store) {
      this.store = store;
    }

    @Override
    public Mono<String> relay(long value, boolean trap) {
      return await(trap ? store.putThenTrap(value) : store.put(value))
          .map(v -> "ok " + v)
          .onErrorResume(CallError.class, e -> Mono.just(e.code().code() + " " + e.rejectMessage()));
    }
  }

  @Test
  @DisplayName("R23 an ingress update's reply is sent only after its turn committed")
  void ingressReplyFollowsTheCommit() {
    Store store = system.spawn(Store.class, StoreActor::new);
    AtomicReference<Long> seenInCallback = new AtomicReference<>();
    store.put(7).subscribe(v -> seenInCallback.set(store.get().block()));
    scheduler.runUntilIdle();
    assertThat(seenInCallback).hasValue(7L);
  }

  @Test
  @DisplayName("R23 an ingress query is answered from committed state")
  void ingressQueryReadsCommittedState() {
    Store store = system.spawn(Store.class, StoreActor::new);
    store.put(3);
    StepVerifier.create(store.get()).expectNext(0L).verifyComplete();
    scheduler.runUntilIdle();
    StepVerifier.create(store.get()).expectNext(3L).verifyComplete();
  }

  @Test
  @DisplayName("R23 ingress and inter-actor calls give the same results and the same errors")
  void ingressAndInterActorCallsAgree() {
    Store store = system.spawn(Store.class, StoreActor::new);
    Proxy proxy = system.spawn(Proxy.class, () -> new ProxyActor(store));
    List<String> viaActor = new ArrayList<>();
    List<String> viaIngress = new ArrayList<>();
    for (boolean trap : new boolean[] {false, true}) {
      viaActor.add(scheduler.await(proxy.relay(5, trap)));
      try {
        viaIngress.add("ok " + scheduler.await(trap ? store.putThenTrap(5) : store.put(5)));
      } catch (CallError e) {
        viaIngress.add(e.code().code() + " " + e.rejectMessage());
      }
    }
    assertThat(viaActor).isEqualTo(viaIngress);
    assertThat(viaActor.get(1)).startsWith("5 ").contains("no 5");
  }

  @Test
  @DisplayName("R23 an ingress call fails at once, cleanly, when the system is closed")
  void ingressToAClosedSystem() {
    Store store = system.spawn(Store.class, StoreActor::new);
    system.close();
    assertThatThrownBy(() -> store.put(1).block())
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    assertThatThrownBy(() -> store.get().block())
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }
}

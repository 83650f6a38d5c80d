package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.error.TrapSite;
import io.reactant.scheduler.DeterministicScheduler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** What {@link CallError#trapSite()} says: where an actor trapped, as data, and only then. */
class TrapSiteTest {

  public interface Audited {
    /** Traps: declared here, called through a {@link Ledger} reference. */
    Mono<Long> audit();
  }

  public interface Ledger extends Audited {
    /** Traps when {@code amount} is 0; its ingress inspection traps when it is -1. */
    Mono<Long> post(long amount);

    /** Traps when {@code by} is 0. */
    @Query
    Mono<Long> read(long by);

    /** Traps in its first part when {@code by} is 0, in its second when it is 1. */
    @CompositeQuery
    Mono<Long> readVia(String other, long by);

    /** Rejects with a code-5 error it made itself: a reject, not a trap. */
    Mono<Long> rejectLikeATrap();
  }

  static final class LedgerActor extends Actor implements Ledger {
    LedgerActor(ActorId id) {
      if (id.value().startsWith("bad")) {
        trap("no ledger for " + id);
      }
    }

    @Override
    protected boolean inspect(IngressMessage message) {
      if (message.arguments().contains(-1L)) {
        trap("inspected -1");
      }
      return true;
    }

    @Override
    public Mono<Long> audit() {
      throw new IllegalStateException("unbalanced");
    }

    @Override
    public Mono<Long> post(long amount) {
      return Mono.just(10 / amount);
    }

    @Override
    public Mono<Long> read(long by) {
      return Mono.just(10 / by);
    }

    @Override
    public Mono<Long> readVia(String other, long by) {
      long first = 10 / by;
      return await(actorOf(Ledger.class, other).read(1)).map(x -> first * x / (by - 1));
    }

    @Override
    public Mono<Long> rejectLikeATrap() {
      throw new CallError(RejectCode.CANISTER_ERROR, "k1 trapped in Ledger.post(): mine");
    }
  }

  public interface Relay {
    /** Posts {@code amount} to the ledger {@code id} and answers what its error said, if any. */
    Mono<String> relay(String id, long amount);

    /** Posts {@code amount} to the ledger {@code id}, letting its error escape (rule R12a). */
    Mono<Long> passThrough(String id, long amount);
  }

  static final class RelayActor extends Actor implements Relay {
    @Override
    public Mono<String> relay(String id, long amount) {
      return await(actorOf(Ledger.class, id).post(amount)).map(v -> "ok")
          .onErrorResume(CallError.class, e -> Mono.just(e.code().code() + " "
              + e.trapSite().map(TrapSiteTest::describe).orElse("no site")));
    }

    @Override
    public Mono<Long> passThrough(String id, long amount) {
      return await(actorOf(Ledger.class, id).post(amount));
    }
  }

  private static String describe(TrapSite site) {
    return site.actor() + " " + site.type().getSimpleName() + " " + site.where();
  }

  private static CallError failure(DeterministicScheduler scheduler, Mono<?> call) {
    CallError e = catchThrowableOfType(() -> scheduler.await(call), CallError.class);
    assertThat(e).as("the call fails with a CallError").isNotNull();
    return e;
  }

  @Test
  @DisplayName("R12 an update's trap says where: the actor, the interface of the reference, and"
      + " the method as the message names it (Iface.method(), Iface the declaring interface)")
  void anUpdatesTrapSaysWhere() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Ledger ledger = system.spawn(Ledger.class, ActorId.of("l1"), () -> new LedgerActor(ActorId.of("l1")));
      CallError e = failure(scheduler, ledger.post(0));
      assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
      assertThat(e.rejectMessage()).isEqualTo("l1 trapped in Ledger.post(): ArithmeticException: / by zero");
      assertThat(e.trapSite()).contains(new TrapSite(ActorId.of("l1"), Ledger.class, "Ledger.post()"));
      CallError inherited = failure(scheduler, ledger.audit());
      assertThat(inherited.trapSite())
          .contains(new TrapSite(ActorId.of("l1"), Ledger.class, "Audited.audit()"));
      assertThat(failure(scheduler, ledger.post(0)).trapSite()).as("a value")
          .isEqualTo(e.trapSite());
    }
  }

  @Test
  @DisplayName("R12 R19 a query's trap and a composite query's, in its first part or after an"
      + " await, say where")
  void aQuerysTrapSaysWhere() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Ledger ledger = system.spawn(Ledger.class, ActorId.of("q1"), () -> new LedgerActor(ActorId.of("q1")));
      system.spawn(Ledger.class, ActorId.of("q2"), () -> new LedgerActor(ActorId.of("q2")));
      TrapSite read = new TrapSite(ActorId.of("q1"), Ledger.class, "Ledger.read()");
      assertThat(failure(scheduler, ledger.read(0)).trapSite()).contains(read);
      TrapSite via = new TrapSite(ActorId.of("q1"), Ledger.class, "Ledger.readVia()");
      assertThat(failure(scheduler, ledger.readVia("q2", 0)).trapSite()).contains(via);
      CallError later = failure(scheduler, ledger.readVia("q2", 1));
      assertThat(later.code()).isEqualTo(RejectCode.CANISTER_ERROR);
      assertThat(later.trapSite()).contains(via);
    }
  }

  @Test
  @DisplayName("R12 R26 a trap of the ingress inspection says it was the inspection of the method")
  void anInspectionsTrapSaysWhere() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Ledger ledger = system.spawn(Ledger.class, ActorId.of("i1"), () -> new LedgerActor(ActorId.of("i1")));
      CallError e = failure(scheduler, ledger.post(-1));
      assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
      assertThat(e.trapSite()).contains(
          new TrapSite(ActorId.of("i1"), Ledger.class, "the ingress inspection of Ledger.post()"));
    }
  }

  @Test
  @DisplayName("R12 R20 an initializer's trap says so: a spawn's, a spawn of an ActorClass's, and"
      + " a virtual actor's activation by an ingress call, a query, or another actor's call")
  void anInitializersTrapSaysWhere() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      ActorId bad = ActorId.of("bad-0");
      CallError spawned = catchThrowableOfType(
          () -> system.spawn(Ledger.class, bad, () -> new LedgerActor(bad)), CallError.class);
      assertThat(spawned.code()).isEqualTo(RejectCode.CANISTER_ERROR);
      assertThat(spawned.trapSite()).contains(new TrapSite(bad, Ledger.class, TrapSite.INITIALIZER));

      CallError ofClass = failure(scheduler,
          system.spawn(ActorClass.of(Ledger.class, LedgerActor::new), ActorId.of("bad-arg")));
      assertThat(ofClass.trapSite()).hasValueSatisfying(site -> {
        assertThat(site.type()).isEqualTo(Ledger.class);
        assertThat(site.where()).isEqualTo(TrapSite.INITIALIZER);
        assertThat(ofClass.rejectMessage()).startsWith(site.actor() + " trapped in its initializer");
      });

      system.registerVirtual(Ledger.class, LedgerActor::new);
      assertThat(failure(scheduler, system.lookup(Ledger.class, "bad-1").post(1)).trapSite())
          .as("an ingress call").contains(
              new TrapSite(ActorId.of("bad-1"), Ledger.class, TrapSite.INITIALIZER));
      assertThat(failure(scheduler, system.lookup(Ledger.class, "bad-2").read(1)).trapSite())
          .as("a query").contains(
              new TrapSite(ActorId.of("bad-2"), Ledger.class, TrapSite.INITIALIZER));
      Relay relay = system.spawn(Relay.class, RelayActor::new);
      assertThat(scheduler.await(relay.relay("bad-3", 1))).as("another actor's call")
          .isEqualTo("5 bad-3 Ledger its initializer");
      assertThat(scheduler.await(relay.relay("ok-1", 0))).isEqualTo("5 ok-1 Ledger Ledger.post()");
    }
  }

  @Test
  @DisplayName("R12a a callee's trap that an actor lets escape reaches its caller as code 4 with no"
      + " site (that actor did not trap); its cause, the callee's error, has the callee's site")
  void aTrapLetThroughHasNoSiteOfItsOwn() {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      system.spawn(Ledger.class, ActorId.of("p1"), () -> new LedgerActor(ActorId.of("p1")));
      Relay relay = system.spawn(Relay.class, ActorId.of("r1"), RelayActor::new);
      CallError e = failure(scheduler, relay.passThrough("p1", 0));
      assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
      assertThat(e.trapSite()).isEmpty();
      assertThat(e.getCause()).isInstanceOfSatisfying(CallError.class, callee -> assertThat(
          callee.trapSite()).contains(new TrapSite(ActorId.of("p1"), Ledger.class, "Ledger.post()")));
    }
  }

  @Test
  @DisplayName("R11 R12 errors that are not the runtime's traps have no site: rejects, a code 5"
      + " that user code made (thrown by an actor, it is a reject, code 4), a refusal")
  void otherErrorsHaveNoSite() {
    assertThat(CallError.reject("no").trapSite()).isEmpty();
    assertThat(new CallError(RejectCode.CANISTER_ERROR, "k1 trapped in Fake.m(): x").trapSite())
        .isEmpty();
    assertThat(new CallError(RejectCode.CANISTER_ERROR, "k1 trapped in Fake.m(): x",
        new NullPointerException()).trapSite()).isEmpty();
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Ledger ledger = system.spawn(Ledger.class, ActorId.of("n1"), () -> new LedgerActor(ActorId.of("n1")));
      CallError own = failure(scheduler, ledger.rejectLikeATrap());
      assertThat(own.code()).isEqualTo(RejectCode.CANISTER_REJECT);
      assertThat(own.trapSite()).isEmpty();
      CallError missing = failure(scheduler, system.lookup(Ledger.class, "nobody").post(1));
      assertThat(missing.code()).isEqualTo(RejectCode.DESTINATION_INVALID);
      assertThat(missing.trapSite()).isEmpty();
    }
  }

  @Test
  @DisplayName("R12 no subclass of CallError claims a site: trapSite() is final, so only the"
      + " runtime's private constructor sets one")
  void aSubclassCannotClaimASite() throws Exception {
    assertThat(Modifier.isFinal(CallError.class.getMethod("trapSite").getModifiers())).isTrue();
  }

  @Test
  @DisplayName("R12 a trap's error serializes; read back, it keeps its code and message but has"
      + " no site: it was not made by this runtime")
  void theSiteIsNotSerialized() throws Exception {
    DeterministicScheduler scheduler = DeterministicScheduler.create();
    try (ActorSystem system = TestSystems.on(scheduler)) {
      Ledger ledger = system.spawn(Ledger.class, ActorId.of("s1"), () -> new LedgerActor(ActorId.of("s1")));
      CallError e = failure(scheduler, ledger.post(0));
      assertThat(e.trapSite()).isPresent();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(e);
      }
      Object read;
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        read = in.readObject();
      }
      assertThat(read).isInstanceOfSatisfying(CallError.class, back -> {
        assertThat(back.code()).isEqualTo(RejectCode.CANISTER_ERROR);
        assertThat(back.rejectMessage()).isEqualTo(e.rejectMessage());
        assertThat(back.trapSite()).isEmpty();
      });
    }
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.error.Trap;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Rule R26: the inspection of ingress update calls. */
class InspectionTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = TestSystems.on(scheduler);

  @AfterEach
  void close() {
    system.close();
  }

  public interface Guarded {
    Mono<Long> add(long amount);

    Mono<Long> relay(Guarded other, long amount);

    /** A oneway: adds the amount. */
    void addLater(long amount);

    @Query
    Mono<Long> total();

    @Query
    Mono<Long> inspections();
  }

  static final class GuardedActor extends Actor implements Guarded {
    static final List<IngressMessage> SEEN = new CopyOnWriteArrayList<>();
    private final Var<Long> total = newVar("total", 0L);
    private final Var<Long> inspections = newVar("inspections", 0L);

    @Override
    protected boolean inspect(IngressMessage message) {
      SEEN.add(message);
      inspections.update(i -> i + 1); // discarded
      if (message.arguments().contains(13L)) {
        throw CallError.reject("13 is unlucky");
      }
      if (message.arguments().contains(66L)) {
        throw new Trap("inspection trapped");
      }
      if (message.arguments().contains(77L)) {
        throw new IllegalStateException("the guard is broken");
      }
      return !message.caller().isAnonymous() || ((Long) message.arguments().get(0)) < 100;
    }

    @Override
    public Mono<Long> add(long amount) {
      return Mono.just(total.update(t -> t + amount));
    }

    @Override
    public void addLater(long amount) {
      total.update(t -> t + amount);
    }

    @Override
    public Mono<Long> relay(Guarded other, long amount) {
      return await(other.add(amount));
    }

    @Override
    public Mono<Long> total() {
      return Mono.just(total.get());
    }

    @Override
    public Mono<Long> inspections() {
      return Mono.just(inspections.get());
    }
  }

  @Test
  @DisplayName("R26 the inspection sees caller, method and arguments and may refuse the call with code 4")
  void inspectionRefusesBeforeQueueing() {
    GuardedActor.SEEN.clear();
    Guarded guarded = system.spawn(Guarded.class, GuardedActor::new);
    assertThat(scheduler.await(guarded.add(5))).isEqualTo(5L);
    assertThatThrownBy(() -> guarded.add(500).block())
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).contains("refused the ingress call to Guarded.add()");
        });
    assertThat(scheduler.readyTasks()).as("the refused call was never queued").isZero();
    Guarded alice = ActorRefs.withIngressCaller(guarded, Caller.principal("alice"));
    assertThat(scheduler.await(alice.add(500))).isEqualTo(505L);
    assertThat(GuardedActor.SEEN).extracting(IngressMessage::method).containsOnly("add");
    assertThat(GuardedActor.SEEN.get(2).caller()).isEqualTo(Caller.principal("alice"));
    assertThat(GuardedActor.SEEN.get(2).arguments()).containsExactly(500L);
  }

  @Test
  @DisplayName("R26 an inspection may reject with its own message, and a trap in it refuses with code 5")
  void inspectionRejectsOrTraps() {
    Guarded guarded = system.spawn(Guarded.class, GuardedActor::new);
    assertThatThrownBy(() -> guarded.add(13).block())
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).isEqualTo("13 is unlucky");
        });
    assertThatThrownBy(() -> guarded.add(66).block())
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThat(guarded.total().block()).isZero();
  }

  @Test
  @DisplayName("R12 R26 a call that a trap of the inspection refuses fails with that exception as its"
      + " cause, as the call of a turn that trapped does, for the process's logs")
  void refusalByATrapOfTheInspectionKeepsTheExceptionAsItsCause() {
    Guarded guarded = system.spawn(Guarded.class, GuardedActor::new);
    assertThatThrownBy(() -> guarded.add(77).block())
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).endsWith("IllegalStateException: the guard is broken (in its"
              + " ingress inspection)");
          assertThat(e.getCause()).isInstanceOf(IllegalStateException.class)
              .hasMessage("the guard is broken");
        });
  }

  @Test
  @DisplayName("R26 R12a once the system shuts down, an ingress call is refused with code 2 before"
      + " any inspection runs")
  void noInspectionOnceShutDown() {
    GuardedActor.SEEN.clear();
    Guarded guarded = system.spawn(Guarded.class, GuardedActor::new);
    scheduler.await(system.shutdown(Duration.ofSeconds(5)));
    for (long amount : new long[] {1, 13, 66, 500}) { // accepted, rejected, trapped, refused
      assertThatThrownBy(() -> guarded.add(amount).block())
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    }
    assertThat(GuardedActor.SEEN).isEmpty();
  }

  @Test
  @DisplayName("R3 R26 ActorRefs.sendOneway throws the reject that refuses an ingress oneway before it"
      + " is queued (inspection, no such actor), which calling the oneway drops unseen")
  void sendOnewayThrowsTheRefusal() throws NoSuchMethodException {
    Guarded guarded = system.spawn(Guarded.class, GuardedActor::new);
    java.lang.reflect.Method addLater = Guarded.class.getMethod("addLater", long.class);
    assertThatThrownBy(() -> ActorRefs.sendOneway(guarded, addLater, 13L))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT);
          assertThat(e.rejectMessage()).isEqualTo("13 is unlucky");
        });
    assertThatThrownBy(() -> ActorRefs.sendOneway(guarded, addLater, 500L))
        .isInstanceOfSatisfying(CallError.class, e -> assertThat(e.rejectMessage())
            .contains("refused the ingress call to Guarded.addLater()"));
    assertThatThrownBy(() -> ActorRefs.sendOneway(guarded, addLater, 66L))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThatThrownBy(() -> ActorRefs.sendOneway(system.lookup(Guarded.class,
        ActorId.of("ghost")), addLater, 1L))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID));
    guarded.addLater(13L); // the same refusal, unseen: a oneway's caller sees no error (R3)
    assertThat(scheduler.readyTasks()).as("no refused oneway was queued").isZero();

    ActorRefs.sendOneway(guarded, addLater, 5L);
    scheduler.runUntilIdle();
    assertThat(guarded.total().block()).isEqualTo(5L);
    assertThatThrownBy(() -> ActorRefs.sendOneway(guarded,
        Guarded.class.getMethod("add", long.class), 1L))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a oneway");
  }

  @Test
  @DisplayName("R3 R26 ActorRefs.sendOneway refuses arguments that do not fit the oneway's"
      + " parameters (IllegalArgumentException): neither the inspection nor the actor sees them")
  void sendOnewayRefusesArgumentsThatDoNotFit() throws NoSuchMethodException {
    GuardedActor.SEEN.clear();
    Guarded guarded = system.spawn(Guarded.class, GuardedActor::new);
    Guarded alice = ActorRefs.withIngressCaller(guarded, Caller.principal("alice"));
    java.lang.reflect.Method addLater = Guarded.class.getMethod("addLater", long.class);
    for (Object[] args : new Object[][] {{}, {5L, 6L}, {"5"}, {null}, {5.0}}) {
      assertThatThrownBy(() -> ActorRefs.sendOneway(alice, addLater, args))
          .as("arguments %s", java.util.Arrays.toString(args))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("addLater");
    }
    assertThat(GuardedActor.SEEN).as("no inspection saw them").isEmpty();
    assertThat(scheduler.readyTasks()).as("nothing was queued").isZero();
    ActorRefs.sendOneway(alice, addLater, 5); // an int widens to the long parameter, as in Java
    scheduler.runUntilIdle();
    assertThat(guarded.total().block()).isEqualTo(5L);
  }

  public interface Meddled {
    /** Adds 1; its inspection tries {@code effect} on {@code other} first (see MeddlerActor). */
    Mono<Long> poke(String effect, Guarded other);

    @Query
    Mono<Long> pokes();
  }

  /**
   * An actor with room for one message whose inspection tries an effect that an inspection may
   * not have (a send, a query call, a timer, a creation), catches what that throws, and accepts.
   */
  @MailboxCapacity(1)
  static final class MeddlerActor extends Actor implements Meddled {
    private final Var<Long> pokes = newVar("pokes", 0L);

    @Override
    protected boolean inspect(IngressMessage message) {
      Guarded other = (Guarded) message.arguments().get(1);
      try {
        switch ((String) message.arguments().get(0)) {
          case "send" -> other.add(1);
          case "oneway" -> other.addLater(1);
          case "query" -> other.total();
          case "timer" -> setTimer(Duration.ofSeconds(1), () -> other.add(1));
          case "recurring" -> recurringTimer(Duration.ofSeconds(1), Actor::done);
          case "spawn" -> spawn(ActorClass.of(Guarded.class, unused -> new GuardedActor()), null);
          case "self" -> self(Meddled.class).pokes();
          default -> {
            return true;
          }
        }
      } catch (RuntimeException refused) {
        // caught: the trap raised for the effect still refuses the call
      }
      return true;
    }

    @Override
    public Mono<Long> poke(String effect, Guarded other) {
      return Mono.just(pokes.update(p -> p + 1));
    }

    @Override
    public Mono<Long> pokes() {
      return Mono.just(pokes.get());
    }
  }

  @Test
  @DisplayName("R17 R19 R26 an inspection that sends, queries, sets a timer or creates an actor and"
      + " catches the refusal still refuses the call with code 5: nothing is sent, set or created,"
      + " and the mailbox's place is given back")
  void anInspectionsEffectsTrapThoughCaught() {
    Meddled meddler = system.spawn(Meddled.class, MeddlerActor::new);
    Guarded other = system.spawn(Guarded.class, GuardedActor::new);
    int actors = system.actorCount();
    for (String effect : List.of("send", "oneway", "query", "timer", "recurring", "spawn", "self")) {
      assertThatThrownBy(() -> scheduler.await(meddler.poke(effect, other)))
          .as(effect).isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("(in its ingress inspection)");
          });
    }
    scheduler.advanceTimeBy(Duration.ofMinutes(1));
    assertThat(scheduler.await(meddler.poke("none", other))).as("its one place is free")
        .isEqualTo(1L);
    assertThat(other.total().block()).as("nothing reached the other actor").isZero();
    assertThat(system.actorCount()).as("nothing created").isEqualTo(actors);
    assertThat(system.actors()).allSatisfy(info -> {
      assertThat(info.timers()).isZero();
      assertThat(info.mailboxDepth()).isZero();
    });
  }

  @Test
  @DisplayName("R26 the inspection's own state changes are discarded")
  void inspectionChangesAreDiscarded() {
    Guarded guarded = system.spawn(Guarded.class, GuardedActor::new);
    scheduler.await(guarded.add(1));
    scheduler.await(guarded.add(2));
    assertThat(guarded.inspections().block()).isZero();
  }

  @Test
  @DisplayName("R26 calls from other actors and queries are not inspected")
  void onlyIngressUpdatesAreInspected() {
    GuardedActor.SEEN.clear();
    Guarded a = system.spawn(Guarded.class, GuardedActor::new);
    Guarded b = system.spawn(Guarded.class, GuardedActor::new);
    Guarded trusted = ActorRefs.withIngressCaller(a, Caller.principal("ops"));
    assertThat(scheduler.await(trusted.relay(b, 1_000))).isEqualTo(1_000L);
    assertThat(b.total().block()).isEqualTo(1_000L);
    assertThat(GuardedActor.SEEN).extracting(IngressMessage::method).containsExactly("relay");
  }

  @Test
  @DisplayName("R26 R20 an ingress call the inspection refuses activates no virtual actor: the"
      + " inspection of an id never activated sees the initial state, and only an accepted call"
      + " creates the actor")
  void refusedIngressCallActivatesNoVirtualActor() throws NoSuchMethodException {
    system.registerVirtual(Guarded.class, id -> new GuardedActor());
    ActorId id = ActorId.of("fresh");
    Guarded fresh = system.lookup(Guarded.class, id);
    assertThatThrownBy(() -> scheduler.await(fresh.add(500)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT));
    assertThatThrownBy(() -> scheduler.await(fresh.add(13)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.rejectMessage()).isEqualTo("13 is unlucky"));
    assertThatThrownBy(() -> scheduler.await(fresh.add(66)))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR));
    assertThatThrownBy(() -> ActorRefs.sendOneway(fresh,
        Guarded.class.getMethod("addLater", long.class), 500L))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.CANISTER_REJECT));
    assertThat(system.contains(id)).as("refused calls created nothing").isFalse();

    assertThat(scheduler.await(fresh.add(5))).isEqualTo(5L);
    assertThat(system.actorIds()).containsExactly(id);
    assertThatThrownBy(() -> scheduler.await(fresh.add(500)))
        .as("the activated actor inspects as before").isInstanceOf(CallError.class);
    assertThat(scheduler.await(fresh.add(1))).isEqualTo(6L);
  }

  /** Another actor type with the guarded type's method names, which no guarded actor implements. */
  public interface Stranger {
    Mono<Long> add(long amount);

    void addLater(long amount);
  }

  @Test
  @DisplayName("R1 R23 R26 an ingress call through a reference of another type is refused with code 3"
      + " as a method the actor does not have, before its inspection: nothing of the actor runs,"
      + " for an update and a oneway, to a spawned actor and to a virtual one already active")
  void callOfAnotherTypeIsRefusedBeforeTheInspection() throws NoSuchMethodException {
    GuardedActor.SEEN.clear();
    system.spawn(Guarded.class, ActorId.of("guard"), GuardedActor::new);
    system.registerVirtual(Guarded.class, id -> new GuardedActor());
    Guarded active = system.lookup(Guarded.class, "active");
    assertThat(scheduler.await(active.add(1))).isEqualTo(1L);
    GuardedActor.SEEN.clear();
    for (String id : List.of("guard", "active")) {
      Stranger stranger = system.lookup(Stranger.class, id);
      assertThatThrownBy(() -> scheduler.await(stranger.add(500))).as(id)
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID);
            assertThat(e.rejectMessage())
                .isEqualTo("actor " + id + " (Guarded) has no method Stranger.add()");
          });
      assertThatThrownBy(() -> ActorRefs.sendOneway(stranger,
          Stranger.class.getMethod("addLater", long.class), 13L)).as(id)
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.DESTINATION_INVALID));
    }
    assertThat(GuardedActor.SEEN).as("inspections run").isEmpty();
    assertThat(scheduler.readyTasks()).as("nothing queued").isZero();
  }

  @Test
  @DisplayName("R26 ActorRefs.inspectsIngress tells, before any instance exists, which actor classes"
      + " inspect: those that override inspect")
  void inspectsIngressTellsWhichClassesInspect() {
    assertThat(ActorRefs.inspectsIngress(GuardedActor.class)).isTrue();
    assertThat(ActorRefs.inspectsIngress(MessagingTest.LogActor.class)).isFalse();
    assertThat(ActorRefs.inspectsIngress(InheritingActor.class))
        .as("a superclass below Actor overrides it").isTrue();
    assertThat(ActorRefs.inspectsIngress(OverloadingActor.class))
        .as("an inspect that takes something else does not override it").isFalse();
    assertThatThrownBy(() -> ActorRefs.inspectsIngress(null))
        .isInstanceOf(NullPointerException.class).hasMessage("implementation");
  }

  /** Overrides inspect for its subclasses. */
  abstract static class InspectingBase extends Actor {
    @Override
    protected boolean inspect(IngressMessage message) {
      return false;
    }
  }

  static final class InheritingActor extends InspectingBase {
  }

  static final class OverloadingActor extends Actor {
    boolean inspect(String message) {
      return message.isEmpty();
    }
  }
}

package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Mono;

/**
 * What the traps answered over HTTP log: one warning with its stack per method, not per answer.
 * The errors are real traps, of actors of a system the tests drive, so that they carry the site
 * the runtime gives them.
 */
@ExtendWith(OutputCaptureExtension.class)
class AnsweredTrapsTests {

  public interface Ledger {
    Mono<Long> post();

    @Query
    Mono<Long> read();
  }

  /** Its initializer traps when its id contains "init"; its methods always do. */
  static final class LedgerActor extends Actor implements Ledger {
    LedgerActor(ActorId id) {
      if (id.value().contains("init")) {
        throw new NullPointerException("the field x is null");
      }
    }

    @Override
    public Mono<Long> post() {
      throw new NullPointerException("the field x is null");
    }

    @Override
    public Mono<Long> read() {
      throw new NullPointerException("the field x is null");
    }
  }

  public interface Relay {
    /** Posts to the ledger {@code id}, letting its trap through (code 4, rule R12a). */
    Mono<Long> post(String id);
  }

  static final class RelayActor extends Actor implements Relay {
    @Override
    public Mono<Long> post(String id) {
      return await(actorOf(Ledger.class, id).post());
    }
  }

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = ActorSystem.create(
      ActorSystemConfig.builder().name("answered-traps").scheduler(scheduler).build());

  AnsweredTrapsTests() {
    system.registerVirtual(Ledger.class, LedgerActor::new);
  }

  @AfterEach
  void close() {
    system.close();
  }

  private Ledger ledger(String id) {
    return system.lookup(Ledger.class, id);
  }

  private CallError failure(Mono<?> call) {
    CallError e = catchThrowableOfType(() -> scheduler.await(call), CallError.class);
    assertThat(e).as("the call fails with a CallError").isNotNull();
    return e;
  }

  private static long warnings(CapturedOutput output, String text) {
    return output.getAll().lines().filter(line -> line.contains("WARN") && line.contains(text))
        .count();
  }

  @Test
  @DisplayName("R12 the traps of one method answered to many actors warn once, with the stack; each"
      + " other method, through the same handler, warns once too; an initializer's traps warn"
      + " once whatever the ids a client chose; the answers stay the same")
  void oneWarningPerMethod(CapturedOutput output) {
    AnsweredTraps traps = new AnsweredTraps();
    for (int i = 0; i < 5; i++) {
      assertThat(ErrorBodies.clientMessage(failure(ledger("a" + i).post()), traps))
          .isEqualTo("a" + i + " trapped in Ledger.post(): NullPointerException");
      // an id that looks like a method names no method of its own: the site is Ledger.read()
      ErrorBodies.clientMessage(failure(ledger("b trapped in Fake" + i + ".m()").read()), traps);
      ErrorBodies.clientMessage(failure(ledger("init" + i).post()), traps);
    }
    assertThat(warnings(output, "trapped in Ledger.post(): NullPointerException")).isEqualTo(1);
    assertThat(warnings(output, "trapped in Ledger.read(): NullPointerException")).isEqualTo(1);
    assertThat(warnings(output, "trapped in its initializer: NullPointerException")).isEqualTo(1);
    assertThat(output.getAll()).contains("java.lang.NullPointerException: the field x is null")
        .contains("later traps of this method are logged at debug level");
    // another handler (another application) warns of its own first trap
    ErrorBodies.clientMessage(failure(ledger("a9").post()), new AnsweredTraps());
    assertThat(warnings(output, "trapped in Ledger.post(): NullPointerException")).isEqualTo(2);
  }

  @Test
  @DisplayName("R12a a callee's trap that an actor let through (code 4, the same message) counts"
      + " with the callee's method: no second warning")
  void aTrapLetThroughCountsWithTheCallee(CapturedOutput output) {
    AnsweredTraps traps = new AnsweredTraps();
    ErrorBodies.clientMessage(failure(ledger("a1").post()), traps);
    Relay relay = system.spawn(Relay.class, ActorId.of("r1"), RelayActor::new);
    CallError through = failure(relay.post("a2"));
    assertThat(through.code()).isEqualTo(RejectCode.CANISTER_REJECT);
    assertThat(ErrorBodies.clientMessage(through, traps))
        .isEqualTo("a2 trapped in Ledger.post(): NullPointerException");
    assertThat(warnings(output, "trapped in Ledger.post(): NullPointerException")).isEqualTo(1);
  }

  @Test
  @DisplayName("R12 an initializer's traps warn once even where the ids a client chose look like"
      + " methods: an id names no kind of its own, so a client cannot use up the bounded memory"
      + " and silence the first trap of a real method")
  void anIdLikeAMethodNamesNoKindOfAnInitializersTrap(CapturedOutput output) {
    AnsweredTraps traps = new AnsweredTraps();
    for (int i = 0; i < AnsweredTraps.MAX_KINDS + 1; i++) {
      ErrorBodies.clientMessage(failure(ledger("init trapped in Fake" + i + ".m()").post()), traps);
    }
    assertThat(warnings(output, "trapped in its initializer: NullPointerException")).isEqualTo(1);
    ErrorBodies.clientMessage(failure(ledger("a1").post()), traps);
    assertThat(warnings(output, "trapped in Ledger.post(): NullPointerException")).isEqualTo(1);
  }

  @Test
  @DisplayName("R11 an error with no site that an application made with a cause whose message it"
      + " quotes is of the kind of that cause's class, whatever its words: it warns once")
  void anErrorWithNoSiteIsOfItsCausesKind(CapturedOutput output) {
    AnsweredTraps traps = new AnsweredTraps();
    for (int i = 0; i < AnsweredTraps.MAX_KINDS + 1; i++) {
      NullPointerException npe = new NullPointerException("the field x is null");
      CallError own = new CallError(RejectCode.CANISTER_ERROR,
          "k" + i + " trapped in Fake" + i + ".m(): " + npe.getMessage(), npe);
      assertThat(own.trapSite()).isEmpty();
      assertThat(ErrorBodies.clientMessage(own, traps))
          .isEqualTo("k" + i + " trapped in Fake" + i + ".m()");
    }
    assertThat(warnings(output, "answered over HTTP")).isEqualTo(1);
    ErrorBodies.clientMessage(failure(ledger("a1").post()), traps);
    assertThat(warnings(output, "trapped in Ledger.post(): NullPointerException")).isEqualTo(1);
  }

  @Test
  @DisplayName("R12 it remembers a bounded number of kinds: past them, traps of others go to"
      + " debug level rather than warn at each answer")
  void boundedMemory(CapturedOutput output) {
    AnsweredTraps traps = new AnsweredTraps();
    for (int i = 0; i < AnsweredTraps.MAX_KINDS; i++) {
      traps.log("a trapped in Iface.m" + i + "(): NullPointerException", new NullPointerException(),
          new AnsweredTraps.Kind("Iface", "Iface.m" + i + "()"));
    }
    int logged = output.getAll().length();
    for (int i = 0; i < 3; i++) {
      traps.log("a1 trapped in Ledger.post(): NullPointerException", new NullPointerException(),
          new AnsweredTraps.Kind("Ledger", "Ledger.post()"));
    }
    ErrorBodies.clientMessage(failure(ledger("a1").post()), traps);
    assertThat(output.getAll().substring(logged)).doesNotContain("WARN");
  }
}

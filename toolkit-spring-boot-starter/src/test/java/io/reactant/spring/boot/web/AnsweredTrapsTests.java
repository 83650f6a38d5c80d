package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What the traps answered over HTTP log: one warning with its stack per method, not per answer. */
@ExtendWith(OutputCaptureExtension.class)
class AnsweredTrapsTests {

  private static CallError trap(String id, String where) {
    return new CallError(RejectCode.CANISTER_ERROR, id + " trapped in " + where
        + ": NullPointerException: the field x is null", new NullPointerException("the field x is null"));
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
      assertThat(ErrorBodies.clientMessage(trap("a" + i, "Ledger.post()"), traps))
          .isEqualTo("a" + i + " trapped in Ledger.post(): NullPointerException");
      // an id that looks like a method names no method of its own: the last one named is it
      ErrorBodies.clientMessage(trap("b trapped in Fake" + i + ".m()", "Ledger.read()"), traps);
      ErrorBodies.clientMessage(trap("v" + i, "its initializer"), traps);
    }
    assertThat(warnings(output, "trapped in Ledger.post(): NullPointerException")).isEqualTo(1);
    assertThat(warnings(output, "trapped in Ledger.read(): NullPointerException")).isEqualTo(1);
    assertThat(warnings(output, "trapped in its initializer: NullPointerException")).isEqualTo(1);
    assertThat(output.getAll()).contains("java.lang.NullPointerException: the field x is null")
        .contains("later traps of this method are logged at debug level");
    // another handler (another application) warns of its own first trap
    ErrorBodies.clientMessage(trap("a9", "Ledger.post()"), new AnsweredTraps());
    assertThat(warnings(output, "trapped in Ledger.post(): NullPointerException")).isEqualTo(2);
  }

  @Test
  @DisplayName("R12 an initializer's traps warn once even where the ids a client chose look like"
      + " methods: an id names no kind of its own, so a client cannot use up the bounded memory"
      + " and silence the first trap of a real method")
  void anIdLikeAMethodNamesNoKindOfAnInitializersTrap(CapturedOutput output) {
    AnsweredTraps traps = new AnsweredTraps();
    for (int i = 0; i < AnsweredTraps.MAX_KINDS + 1; i++) {
      ErrorBodies.clientMessage(trap("b trapped in Fake" + i + ".m()", "its initializer"), traps);
    }
    assertThat(warnings(output, "trapped in its initializer: NullPointerException")).isEqualTo(1);
    ErrorBodies.clientMessage(trap("a1", "Ledger.post()"), traps);
    assertThat(warnings(output, "trapped in Ledger.post(): NullPointerException")).isEqualTo(1);
  }

  @Test
  @DisplayName("R12 it remembers a bounded number of methods: past them, traps of others go to"
      + " debug level rather than warn at each answer")
  void boundedMemory(CapturedOutput output) {
    AnsweredTraps traps = new AnsweredTraps();
    for (int i = 0; i < AnsweredTraps.MAX_KINDS; i++) {
      traps.log("a trapped in Iface.m" + i + "(): NullPointerException", new NullPointerException());
    }
    int logged = output.getAll().length();
    for (int i = 0; i < 3; i++) {
      traps.log("a trapped in Other.m(): NullPointerException", new NullPointerException());
    }
    assertThat(output.getAll().substring(logged)).doesNotContain("WARN");
  }
}

package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IngressMessageTest {

  @Test
  @DisplayName("R26 an ingress message keeps its own unmodifiable copy of the arguments, nulls"
      + " included, whoever builds it")
  void argumentsAreAnUnmodifiableCopy() {
    List<Object> args = new ArrayList<>(Arrays.asList("a", null, 3));
    IngressMessage message = new IngressMessage(Caller.principal("alice"), "put", args);

    args.set(0, "changed");

    assertThat(message.arguments()).containsExactly("a", null, 3);
    assertThatThrownBy(() -> message.arguments().add("more"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("R26 an ingress message names a missing caller, method or argument list")
  void requiresItsParts() {
    assertThatThrownBy(() -> new IngressMessage(null, "put", List.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("caller");
    assertThatThrownBy(() -> new IngressMessage(Caller.anonymous(), null, List.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("method");
    assertThatThrownBy(() -> new IngressMessage(Caller.anonymous(), "put", null))
        .isInstanceOf(NullPointerException.class).hasMessage("arguments");
  }
}

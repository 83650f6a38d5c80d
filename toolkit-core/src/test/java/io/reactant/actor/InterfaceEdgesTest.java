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
 * a method inherited twice, the methods of {@code Object} redeclared, references of two systems.
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
}

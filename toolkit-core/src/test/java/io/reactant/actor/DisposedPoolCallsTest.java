package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.call.CallOptions;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.WorkStealingScheduler;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Calls once the pool under a system is gone: the system's own, after its close, or one the
 * application shares and disposed while the system runs. None may wait for ever: each is refused
 * with a clear code, or runs.
 */
class DisposedPoolCallsTest {

  public interface Echo {
    Mono<String> echo(String s);
  }

  static final class EchoActor extends Actor implements Echo {
    @Override
    public Mono<String> echo(String s) {
      return Mono.just(s);
    }
  }

  @Test
  @DisplayName("R12a R22 after close() on its own pool (disposed gracefully), a call, a bounded call"
      + " and a spawn are refused with code 2 at once, none left waiting")
  void callsAfterCloseAreRefused() {
    ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().parallelism(1).build());
    Echo echo = system.spawn(Echo.class, EchoActor::new);
    assertThat(echo.echo("before").block(Duration.ofSeconds(10))).isEqualTo("before");
    system.close();
    for (Mono<String> call : java.util.List.of(echo.echo("after"),
        CallOptions.timeout(Duration.ofHours(1)).on(echo).echo("bounded"))) {
      assertThatThrownBy(() -> call.block(Duration.ofSeconds(10)))
          .isInstanceOfSatisfying(CallError.class,
              e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
    }
    assertThatThrownBy(() -> system.spawn(Echo.class, EchoActor::new))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT));
  }

  @Test
  @DisplayName("R22 R12a on a shared pool the application disposed at once while the system runs, a"
      + " call still runs (on the caller's thread: the pool refuses it) and a bounded call, whose"
      + " bound the disposed timer refuses, is refused with code 2: neither waits for ever")
  void callsOnADisposedSharedPoolEnd() {
    WorkStealingScheduler pool = WorkStealingScheduler.create("disposed-shared", 1);
    try (ActorSystem system = ActorSystem.create(
        ActorSystemConfig.builder().scheduler(pool).build())) {
      Echo echo = system.spawn(Echo.class, EchoActor::new);
      assertThat(echo.echo("before").block(Duration.ofSeconds(10))).isEqualTo("before");
      pool.dispose();
      assertThat(echo.echo("after").block(Duration.ofSeconds(10))).isEqualTo("after");
      assertThatThrownBy(() -> CallOptions.timeout(Duration.ofHours(1)).on(echo).echo("bounded")
          .block(Duration.ofSeconds(10)))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.SYS_TRANSIENT);
            assertThat(e.rejectMessage()).contains("refused");
          });
    }
  }
}

package io.reactant.spring.boot.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanReporter;
import io.reactant.actor.Actor;
import io.reactant.actor.TimerId;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A WebFlux application with Micrometer Tracing over Brave, sampling every request, whose spans
 * are kept in memory ({@link Spans}), and actors that say what trace their turns run in.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ TracedApplication.SpyActor.class, TracedApplication.EchoActor.class,
    TracedApplication.OwnController.class })
class TracedApplication {


  @Bean
  Spans spans() {
    return new Spans();
  }

  @Bean
  Sightings sightings() {
    return new Sightings();
  }

  /** The spans the tracer finished. */
  static final class Spans implements SpanReporter {
    private final List<FinishedSpan> finished = new ArrayList<>();

    @Override
    public synchronized void report(FinishedSpan span) {
      finished.add(span);
      notifyAll();
    }

    /** Waits (10 s at most) for a finished span that {@code matches}, and returns it. */
    synchronized FinishedSpan await(Predicate<FinishedSpan> matches) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      for (int seen = 0; ; ) {
        for (; seen < finished.size(); seen++) {
          if (matches.test(finished.get(seen))) {
            return finished.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no such span was finished within 10 s: " + finished);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  /** What the turns of timers saw, in the order they ran. */
  static final class Sightings {
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    String next() throws InterruptedException {
      String s = seen.poll(10, TimeUnit.SECONDS);
      if (s == null) {
        throw new AssertionError("no timer fired within 10 s");
      }
      return s;
    }
  }

  /**
   * What the current thread holds: the current span's trace and span ids, the MDC's traceId and
   * spanId ({@code -} for none) and the thread's name, separated by {@code |}.
   */
  static String seen(Tracer tracer) {
    Span span = tracer.currentSpan();
    return (span == null ? "-|-" : span.context().traceId() + "|" + span.context().spanId())
        + "|" + orDash(MDC.get("traceId")) + "|" + orDash(MDC.get("spanId"))
        + "|" + Thread.currentThread().getName();
  }

  private static String orDash(@Nullable String s) {
    return s == null ? "-" : s;
  }

  public interface Echo {
    /** What its turn sees ({@link #seen}). */
    Mono<String> look();
  }

  @ActorBean
  public static final class EchoActor extends Actor implements Echo {
    private final Tracer tracer;

    public EchoActor(Tracer tracer) {
      this.tracer = tracer;
    }

    @Override
    public Mono<String> look() {
      return Mono.just(seen(tracer));
    }
  }

  public interface Spy {
    /** What its turn sees ({@link #seen}). */
    Mono<String> look();

    /** What its turn sees, what Echo's sees, and what its continuation after the await sees. */
    Mono<String> relay();

    /** Sets a recurring timer that reports what its first three firings see, then stops. */
    Mono<Void> tick();

    /** Traps: divides by {@code divisor}, zero. */
    Mono<Integer> divide(int divisor);

    /** Rejects the call (code 4). */
    Mono<Void> refuse();
  }

  @ActorBean(activation = ActorBean.Activation.VIRTUAL)
  public static final class SpyActor extends Actor implements Spy {
    private final Tracer tracer;
    private final Echo echo;
    private final Sightings sightings;
    private int firings;
    private @Nullable TimerId timer;

    public SpyActor(Tracer tracer, Echo echo, Sightings sightings) {
      this.tracer = tracer;
      this.echo = echo;
      this.sightings = sightings;
    }

    @Override
    public Mono<String> look() {
      return Mono.just(seen(tracer));
    }

    @Override
    public Mono<String> relay() {
      String before = seen(tracer);
      return await(echo.look()).map(theirs -> before + " " + theirs + " " + seen(tracer));
    }

    @Override
    public Mono<Integer> divide(int divisor) {
      return Mono.just(1 / divisor);
    }

    @Override
    public Mono<Void> refuse() {
      return reject("refused");
    }

    @Override
    public Mono<Void> tick() {
      timer = recurringTimer(Duration.ofMillis(5), () -> {
        sightings.seen.add(seen(tracer));
        if (++firings == 3) {
          cancelTimer(timer);
        }
        return Mono.empty();
      });
      return Mono.empty();
    }
  }

  /** An application's own controller that calls an actor from its handler method. */
  @RestController
  static final class OwnController {
    private final ActorDirectory actors;

    OwnController(ActorDirectory actors) {
      this.actors = actors;
    }

    @PostMapping("/own/{id}")
    Mono<String> look(@PathVariable String id) {
      return actors.get(Spy.class, id).look();
    }
  }
}

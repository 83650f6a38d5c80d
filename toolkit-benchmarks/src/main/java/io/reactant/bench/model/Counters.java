package io.reactant.bench.model;

import io.reactant.actor.Actor;
import io.reactant.actor.Query;
import io.reactant.bench.support.Countdown;
import io.reactant.state.Var;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import reactor.core.publisher.Mono;

/**
 * The counter, in Reactant and in Pekko typed: the actor of the ingress, fire-and-forget, query and
 * memory workloads. Both hold one {@code long} of state and do the same work per message.
 */
public final class Counters {

  private Counters() {
  }

  // ---- Reactant

  /** The Reactant counter's interface. */
  public interface Counter {
    /** Adds one and returns the new count (request-response). */
    Mono<Long> bump();

    /** Adds one (an update whose future the benchmarks leave unawaited). */
    Mono<Void> inc();

    /** Adds one (a oneway: no future at all). */
    void add();

    /** Counts {@code done} down once: marks the end of a batch (FIFO per sender, rule R4). */
    void sync(Countdown done);

    /** Reads the committed count (a query: no mailbox, rule R19). */
    @Query
    Mono<Long> read();
  }

  /** The Reactant counter: one transactional cell. */
  public static final class CounterActor extends Actor implements Counter {
    private final Var<Long> count = newVar("count", 0L);

    @Override
    public Mono<Long> bump() {
      return Mono.just(count.update(c -> c + 1));
    }

    @Override
    public Mono<Void> inc() {
      count.update(c -> c + 1);
      return done();
    }

    @Override
    public void add() {
      count.update(c -> c + 1);
    }

    @Override
    public void sync(Countdown done) {
      // a side effect outside the actor's state, on purpose: only the benchmark's latch
      done.countDown();
    }

    @Override
    public Mono<Long> read() {
      return Mono.just(count.get());
    }
  }

  // ---- Pekko typed

  /** The Pekko counter's protocol. */
  public interface Cmd {
  }

  /** Adds one and replies with the new count. */
  public record Bump(ActorRef<Long> replyTo) implements Cmd {
  }

  /** Adds one, no reply (a {@code tell}). */
  public enum Inc implements Cmd {
    INSTANCE
  }

  /** Counts the latch down once: marks the end of a batch. */
  public record Sync(Countdown done) implements Cmd {
  }

  /** Replies with the count, through the mailbox like any message (Pekko has no queries). */
  public record Read(ActorRef<Long> replyTo) implements Cmd {
  }

  /** The Pekko counter's behavior. */
  public static Behavior<Cmd> pekkoCounter() {
    return Behaviors.setup(PekkoCounter::new);
  }

  /** The Pekko counter's behavior, counting {@code started} down once the actor has started. */
  public static Behavior<Cmd> pekkoCounter(Countdown started) {
    return Behaviors.setup(ctx -> {
      started.countDown();
      return new PekkoCounter(ctx);
    });
  }

  /**
   * The Pekko counter: a mutable {@link AbstractBehavior} with one receive case, Pekko's cheapest
   * way to hold state and dispatch.
   */
  static final class PekkoCounter extends AbstractBehavior<Cmd> {
    private long count;

    PekkoCounter(ActorContext<Cmd> context) {
      super(context);
    }

    @Override
    public Receive<Cmd> createReceive() {
      return newReceiveBuilder().onMessage(Cmd.class, this::on).build();
    }

    private Behavior<Cmd> on(Cmd m) {
      if (m == Inc.INSTANCE) {
        count++;
      } else if (m instanceof Bump b) {
        b.replyTo().tell(++count);
      } else if (m instanceof Sync s) {
        s.done().countDown();
      } else if (m instanceof Read r) {
        r.replyTo().tell(count);
      }
      return this;
    }
  }
}

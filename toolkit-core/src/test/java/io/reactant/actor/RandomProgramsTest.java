package io.reactant.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.call.CallOptions;
import io.reactant.call.Computation;
import io.reactant.error.CallError;
import io.reactant.error.Trap;
import io.reactant.scheduler.DeterministicScheduler;
import io.reactant.state.LongVar;
import io.reactant.state.TxMap;
import io.reactant.state.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Seeded random programs against a reference model of what commits.
 *
 * <p>A program is a tree of {@link Script}s: each script is the body of one message, a list of
 * stages separated by the toolkit's spellings of {@code await} ({@code await}, {@code await?} of
 * a constant or of a call future, {@code await*}, the await of a query call) and ended by a reply,
 * a reject or a trap. A stage writes cells of its actor, sends calls and oneways to other actors
 * (each with its own script), sets timers, spawns actors and accepts cycles. Every effect is a sum,
 * so what commits does not depend on the interleaving: {@link Model} computes it from the rules
 * alone (a turn commits at an await or at its end, a trap rolls back its turn and revokes its
 * sends, timers and spawns, R6 to R16), and the runtime must agree on the cells, the replies and
 * reject codes, the number of turns and traps, the balances (R22), the timers' firings (R25) and
 * each sender's numbered messages, which must arrive gapless and in order (R4, R10).
 *
 * <p>Some calls close a cycle: their script awaits a chain of calls whose last awaits the first
 * call's own future, which must trap at once instead of hanging (R13). Every stage checks that its
 * {@code caller()} is the message's sender (R21). Each stage keeps a checksum cell at minus the sum
 * of the others, restored before its boundary: only a turn's tentative state breaks it, so every
 * query and composite query must see it hold (R19).
 *
 * <p>Each seed runs on a {@link DeterministicScheduler} with that seed (one interleaving, replayed
 * exactly; every failure message names the seed: run the parameterized test for it alone), and
 * again with run delays (every task runs late). Another test sends programs from 8 threads at once
 * to actors on the real pool while 2 threads query them, and checks the same model, which holds
 * under any interleaving (no timers in these two: the model sets timers at time 0).
 */
class RandomProgramsTest {

  // ---- programs

  /** What a stage does before its boundary. */
  public sealed interface Op permits Write, AddReceived, Send, Timer, Spawn, Accept {
  }

  /** {@code cells[cell] += delta}. */
  public record Write(int cell, long delta) implements Op {
  }

  /** {@code cells[cell] +=} the value the last boundary received. */
  public record AddReceived(int cell) implements Op {
  }

  /**
   * A numbered call or oneway to peer {@code target}, with {@code cycles} attached to a call; a
   * {@code keep} of 0 or more keeps the call's future under that key, for a script its call
   * awaits to await in turn (a cycle, R13).
   */
  public record Send(int target, Script script, boolean oneway, long cycles, int keep)
      implements Op {
  }

  /**
   * A one-shot timer, or a recurring one, whose job is {@code script}; cancelled at the start of
   * stage {@code cancelAt} of the same script if that is not -1 (and the script gets there).
   */
  public record Timer(long delayMillis, boolean recurring, Script script, int cancelAt)
      implements Op {
  }

  /** Spawns a child actor whose first cell starts at {@code init}. */
  public record Spawn(long init) implements Op {
  }

  /** Accepts up to {@code max} of the cycles attached to the message (R22). */
  public record Accept(long max) implements Op {
  }

  /** How a stage ends. */
  public enum Link {
    /** {@code await} of the stage's first call future: a commit point (R13). */
    AWAIT_CALL(true),
    /** {@code awaitIfReady} of it: not complete, so a commit point too (R14). */
    AWAIT_IF_READY_CALL(true),
    /** {@code await(Mono.just(v))}: commits even though it is complete (R13). */
    AWAIT_JUST(true),
    /** {@code awaitIfReady(Mono.just(v))}: continues in the same turn (R14). */
    AWAIT_IF_READY_JUST(false),
    /** {@code awaitStar} of the rest of the script: no commit point of its own (R15). */
    AWAIT_STAR(false),
    /**
     * {@code awaitStar} twice of one computation that redoes the stage's writes, then the rest of
     * the script: each {@code await*} runs the computation again, in the same turn (R15).
     */
    AWAIT_STAR_TWICE(false),
    /** {@code await} of a query call to peer {@code Stage.target} (R19). */
    AWAIT_QUERY(true),
    /**
     * {@code await} of the future kept under {@code Stage.target}: the call that awaits this one
     * through a chain of awaits, so a cycle, which traps at once (R13).
     */
    AWAIT_KEPT(false),
    /**
     * The future the last {@code AWAIT_*_CALL} awaited, again: with {@code await} if
     * {@code Stage.value} is odd (a commit point even though it is complete, R13), else with
     * {@code awaitIfReady} (complete: no commit point, R14); the same outcome either way (R3).
     */
    AWAIT_AGAIN(false),
    /** The last stage: see {@link End}. */
    END(false);

    final boolean commits;

    Link(boolean commits) {
      this.commits = commits;
    }
  }

  /** How a script's last stage ends. */
  public enum End {
    REPLY, REJECT, THROW_REJECT, TRAP, TRAP_CAUGHT, ERROR_MONO, THROW_RUNTIME;

    /** Whether the turn that ends so traps, in a call (R11, R12; a caught trap still traps). */
    boolean traps() {
      return this == TRAP || this == TRAP_CAUGHT || this == ERROR_MONO || this == THROW_RUNTIME;
    }
  }

  /**
   * One stage: its ops, then its link. {@code value} is what an {@code AWAIT_*_JUST} receives or
   * what {@code END/REPLY} answers; {@code catchErrors} whether an awaited call's error is caught
   * (received as minus its code) or left to propagate; {@code target} the peer of a query.
   */
  public record Stage(List<Op> ops, Link link, long value, boolean catchErrors, int target,
      End end) {
  }

  public record Script(List<Stage> stages) {
  }

  // ---- the actors

  public interface Runner {
    /** Runs {@code script}; {@code seq} numbers the messages from {@code from} to this actor. */
    Mono<Long> run(Script script, String from, long seq);

    /** The same, as a oneway. */
    void post(Script script, String from, long seq);

    /** Sum of the cells and the checksum: 0 in every committed state. */
    @Query
    Mono<Long> imbalance();

    /**
     * Its imbalance, peer {@code other}'s (awaited) and its own again: the number of those that
     * were not 0.
     */
    @CompositeQuery
    Mono<Long> imbalances(int other);

    /** The cells, then the number of messages sent to each peer (committed). */
    @Query
    Mono<List<Long>> snapshot();
  }

  static final int CELLS = 3;

  /** What the runs of one world share: the peers, and what was seen outside the state. */
  static final class World {
    final List<Runner> peers = new ArrayList<>();
    /** receiver -> sender -> seqs in the order the receiver started them. */
    final Map<String, Map<String, List<Long>>> received = new ConcurrentHashMap<>();
    /** actor -> virtual millis at which a timer job started. */
    final Map<String, List<Long>> firings = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    final Map<Integer, Mono<Long>> kept = new ConcurrentHashMap<>();
    final ActorClass<Runner, Long> child =
        ActorClass.of(Runner.class, init -> new Child(this, init));

    void receivedBy(String receiver, String sender, long seq) {
      List<Long> seqs = received.computeIfAbsent(receiver, r -> new ConcurrentHashMap<>())
          .computeIfAbsent(sender, s -> Collections.synchronizedList(new ArrayList<>()));
      seqs.add(seq);
    }
  }

  /** Runs scripts; its cells are the subclass's ({@code LongVar}s, {@code Var}s, a map). */
  abstract static class Cells extends Actor implements Runner {
    final World world;
    final int index;
    private final LongVar checksum = newLongVar("checksum", 0);
    private final TxMap<Integer, Long> sent = newMap("sent");

    Cells(World world, int index) {
      this.world = world;
      this.index = index;
    }

    abstract void add(int cell, long delta);

    abstract long get(int cell);

    private void write(int cell, long delta) {
      add(cell, delta);
      checksum.add(-delta);
    }

    @Override
    public Mono<Long> run(Script script, String from, long seq) {
      world.receivedBy(actorId().value(), from, seq);
      return exec(new Message(script, callerOf(from)), 0, 0);
    }

    @Override
    public void post(Script script, String from, long seq) {
      world.receivedBy(actorId().value(), from, seq);
      exec(new Message(script, callerOf(from)), 0, 0).subscribe(v -> { }, e -> { });
    }

    private static Caller callerOf(String from) {
      return from.startsWith("ingress") ? Caller.anonymous() : Caller.actor(ActorId.of(from));
    }

    /** Runs a timer's job: a message from the actor itself (R25). */
    Mono<Long> job(Script script) {
      world.firings.computeIfAbsent(actorId().value(),
          a -> Collections.synchronizedList(new ArrayList<>())).add(timeNow().toEpochMilli());
      return exec(new Message(script, Caller.actor(actorId())), 0, 0);
    }

    /** One message being run: its script, its caller, the timers it set, its last call awaited. */
    record Message(Script script, Caller caller, Map<Timer, TimerId> timers,
        List<Mono<Long>> awaited) {
      Message(Script script, Caller caller) {
        this(script, caller, new IdentityHashMap<>(), new ArrayList<>());
      }
    }

    Mono<Long> exec(Message message, int i, long received) {
      Script script = message.script();
      Stage stage = script.stages().get(i);
      if (!caller().equals(message.caller())) {
        world.violations.add("R21 stage " + i + " of a message to " + actorId() + " from "
            + message.caller() + " saw caller " + caller());
      }
      for (Map.Entry<Timer, TimerId> set : message.timers().entrySet()) {
        if (set.getKey().cancelAt() == i) {
          cancelTimer(set.getValue());
        }
      }
      Mono<Long> firstCall = null;
      for (Op op : stage.ops()) {
        if (op instanceof Write w) {
          write(w.cell(), w.delta());
        } else if (op instanceof AddReceived a) {
          write(a.cell(), received);
        } else if (op instanceof Send s) {
          Runner to = s.target() == index ? self(Runner.class) : world.peers.get(s.target());
          long seq = sent.getOrDefault(s.target(), 0L) + 1;
          sent.put(s.target(), seq);
          String me = actorId().value();
          Runner ref = s.cycles() > 0 ? CallOptions.cycles(s.cycles()).on(to) : to;
          if (s.oneway()) {
            ref.post(s.script(), me, seq);
          } else {
            Mono<Long> f = ref.run(s.script(), me, seq);
            if (s.keep() >= 0) {
              world.kept.put(s.keep(), f);
            }
            if (firstCall == null) {
              firstCall = f;
            }
          }
        } else if (op instanceof Timer t) {
          message.timers().put(t, t.recurring()
              ? recurringTimer(Duration.ofMillis(t.delayMillis()), () -> job(t.script()))
              : setTimer(Duration.ofMillis(t.delayMillis()), () -> job(t.script())));
        } else if (op instanceof Spawn s) {
          spawn(world.child, s.init());
        } else if (op instanceof Accept a) {
          acceptCycles(a.max());
        }
      }
      switch (stage.link()) {
        case AWAIT_CALL:
        case AWAIT_IF_READY_CALL: {
          message.awaited().add(firstCall);
          Mono<Long> awaited = stage.link() == Link.AWAIT_CALL
              ? await(firstCall) : awaitIfReady(firstCall);
          if (stage.catchErrors()) {
            awaited = awaited.onErrorResume(CallError.class,
                e -> Mono.just(-(long) e.code().code()));
          }
          return awaited.flatMap(v -> exec(message, i + 1, v));
        }
        case AWAIT_AGAIN: {
          Mono<Long> again = message.awaited().get(message.awaited().size() - 1);
          Mono<Long> awaited = stage.value() % 2 == 1 ? await(again) : awaitIfReady(again);
          if (stage.catchErrors()) {
            awaited = awaited.onErrorResume(CallError.class,
                e -> Mono.just(-(long) e.code().code()));
          }
          return awaited.flatMap(v -> exec(message, i + 1, v));
        }
        case AWAIT_JUST:
          return await(Mono.just(stage.value())).flatMap(v -> exec(message, i + 1, v));
        case AWAIT_IF_READY_JUST:
          return awaitIfReady(Mono.just(stage.value())).flatMap(v -> exec(message, i + 1, v));
        case AWAIT_STAR:
          return awaitStar(() -> exec(message, i + 1, received));
        case AWAIT_STAR_TWICE: {
          Computation<Long> again = () -> {
            rewrite(stage, received);
            return Mono.just(received);
          };
          return awaitStar(again).then(awaitStar(again))
              .flatMap(v -> exec(message, i + 1, v));
        }
        case AWAIT_KEPT:
          return (stage.catchErrors() ? await(world.kept.get(stage.target()))
              : awaitIfReady(world.kept.get(stage.target()))).flatMap(v -> exec(message, i + 1, v));
        case AWAIT_QUERY:
          return await(world.peers.get(stage.target()).imbalance()).flatMap(v -> {
            if (v != 0) {
              world.violations.add("R19 a query of peer " + stage.target() + " from "
                  + actorId() + " saw an imbalance of " + v);
            }
            return exec(message, i + 1, 0);
          });
        default:
          break;
      }
      switch (stage.end()) {
        case REPLY:
          return Mono.just(stage.value());
        case REJECT:
          return reject("rejected");
        case THROW_REJECT:
          throw CallError.reject("thrown");
        case TRAP:
          return trap("trapped");
        case TRAP_CAUGHT:
          try {
            trap("trapped and caught");
          } catch (Trap caught) {
            // caught: the turn traps all the same
          }
          return Mono.just(stage.value());
        case ERROR_MONO:
          return Mono.error(new IllegalStateException("failed"));
        default:
          throw new ArithmeticException("thrown");
      }
    }

    private void rewrite(Stage stage, long received) {
      for (Op op : stage.ops()) {
        if (op instanceof Write w) {
          write(w.cell(), w.delta());
        } else if (op instanceof AddReceived a) {
          write(a.cell(), received);
        }
      }
    }

    private long sum() {
      long sum = checksum.get();
      for (int c = 0; c < CELLS; c++) {
        sum += get(c);
      }
      return sum;
    }

    @Override
    public Mono<Long> imbalance() {
      return Mono.just(sum());
    }

    @Override
    public Mono<Long> imbalances(int other) {
      long before = sum();
      return await(world.peers.get(other).imbalance()).map(theirs -> (before != 0 ? 1L : 0L)
          + (theirs != 0 ? 1 : 0) + (sum() != 0 ? 1 : 0));
    }

    @Override
    public Mono<List<Long>> snapshot() {
      List<Long> out = new ArrayList<>();
      for (int c = 0; c < CELLS; c++) {
        out.add(get(c));
      }
      for (int p = 0; p < world.peers.size(); p++) {
        out.add(sent.getOrDefault(p, 0L));
      }
      return Mono.just(out);
    }
  }

  /** Cells held in {@code LongVar}s. */
  static final class LongCells extends Cells {
    private final LongVar[] cells = new LongVar[CELLS];

    LongCells(World world, int index) {
      super(world, index);
      for (int c = 0; c < CELLS; c++) {
        cells[c] = newLongVar("cell" + c, 0);
      }
    }

    @Override
    void add(int cell, long delta) {
      cells[cell].add(delta);
    }

    @Override
    long get(int cell) {
      return cells[cell].get();
    }
  }

  /** Cells held in {@code Var<Long>}s. */
  static final class BoxedCells extends Cells {
    private final List<Var<Long>> cells = new ArrayList<>();

    BoxedCells(World world, int index) {
      super(world, index);
      for (int c = 0; c < CELLS; c++) {
        cells.add(newVar("cell" + c, 0L));
      }
    }

    @Override
    void add(int cell, long delta) {
      cells.get(cell).update(v -> v + delta);
    }

    @Override
    long get(int cell) {
      return cells.get(cell).get();
    }
  }

  /** Cells held in one {@code TxMap}. */
  static final class MapCells extends Cells {
    private final TxMap<Integer, Long> cells = newMap("cells");

    MapCells(World world, int index) {
      super(world, index);
    }

    @Override
    void add(int cell, long delta) {
      cells.put(cell, cells.getOrDefault(cell, 0L) + delta);
    }

    @Override
    long get(int cell) {
      return cells.getOrDefault(cell, 0L);
    }
  }

  /** A spawned actor: its first cell starts at the spawn's argument. */
  static final class Child extends Cells {
    private final LongVar first;

    Child(World world, long init) {
      super(world, -1);
      first = newLongVar("first", init);
    }

    @Override
    void add(int cell, long delta) {
      throw new UnsupportedOperationException("a child runs no scripts");
    }

    @Override
    long get(int cell) {
      return cell == 0 ? first.get() : 0;
    }
  }

  static Cells newPeer(World world, int index) {
    switch (index % 3) {
      case 0:
        return new LongCells(world, index);
      case 1:
        return new BoxedCells(world, index);
      default:
        return new MapCells(world, index);
    }
  }

  // ---- the generator

  static final class Generator {
    final Random random;
    final int peers;
    final boolean timers;
    /** The next key for a kept future: unique among the generators of a world. */
    int keys;

    Generator(long seed, int peers, boolean timers, int firstKey) {
      this.random = new Random(seed);
      this.keys = firstKey;
      this.peers = peers;
      this.timers = timers;
    }

    /**
     * A script of depth at most {@code depth}; {@code call} whether it answers a call (else a
     * oneway or a timer job, whose errors nobody sees: they end only in a reply, a reject or a
     * trap recorded in the turn).
     */
    Script script(int depth, boolean call) {
      int stages = 1 + random.nextInt(depth > 0 ? 3 : 2);
      List<Stage> out = new ArrayList<>();
      for (int i = 0; i < stages; i++) {
        boolean last = i == stages - 1;
        List<Op> ops = new ArrayList<>();
        int n = random.nextInt(4);
        for (int k = 0; k < n; k++) {
          ops.add(op(depth, i, call));
        }
        long value = random.nextInt(100);
        if (last) {
          End[] ends = End.values();
          End end = call ? ends[random.nextInt(ends.length)]
              : ends[random.nextInt(End.TRAP_CAUGHT.ordinal() + 1)];
          if (random.nextInt(3) == 0) {
            end = End.REPLY; // most scripts should get to the end
          }
          out.add(new Stage(ops, Link.END, value, false, 0, end));
          break;
        }
        Link[] links = {Link.AWAIT_CALL, Link.AWAIT_IF_READY_CALL, Link.AWAIT_JUST,
            Link.AWAIT_IF_READY_JUST, Link.AWAIT_STAR, Link.AWAIT_STAR_TWICE, Link.AWAIT_QUERY};
        Link link = links[random.nextInt(links.length)];
        boolean awaitedCall = out.stream().anyMatch(st -> st.link() == Link.AWAIT_CALL
            || st.link() == Link.AWAIT_IF_READY_CALL);
        if (awaitedCall && random.nextInt(4) == 0) {
          link = Link.AWAIT_AGAIN;
        }
        if ((link == Link.AWAIT_CALL || link == Link.AWAIT_IF_READY_CALL)
            && ops.stream().noneMatch(o -> o instanceof Send s && !s.oneway())) {
          ops.add(new Send(random.nextInt(peers), script(Math.max(0, depth - 1), true), false, 0,
              -1));
        }
        out.add(new Stage(ops, link, value, random.nextBoolean(), random.nextInt(peers),
            End.REPLY));
      }
      return new Script(List.copyOf(out));
    }

    /**
     * A script that awaits a call to one that awaits ... ({@code links} calls in all) one that
     * awaits the future kept under {@code key}: the call running the script itself.
     */
    Script chain(int key, int links) {
      List<Op> ops = new ArrayList<>();
      for (int k = random.nextInt(3); k > 0; k--) {
        ops.add(new Write(random.nextInt(CELLS), random.nextInt(21) - 10));
      }
      if (links == 0) {
        return new Script(List.of(new Stage(ops, Link.AWAIT_KEPT, 0, random.nextBoolean(), key,
            End.REPLY), new Stage(List.of(new Write(0, 1)), Link.END, 7, false, 0, End.REPLY)));
      }
      ops.add(new Send(random.nextInt(peers), chain(key, links - 1), false, 0, -1));
      Link link = random.nextBoolean() ? Link.AWAIT_CALL : Link.AWAIT_IF_READY_CALL;
      List<Op> after = new ArrayList<>();
      after.add(new AddReceived(random.nextInt(CELLS)));
      return new Script(List.of(new Stage(ops, link, 0, random.nextBoolean(), 0, End.REPLY),
          new Stage(after, Link.END, random.nextInt(100), false, 0,
              random.nextInt(4) == 0 ? End.REJECT : End.REPLY)));
    }

    private Op op(int depth, int stage, boolean call) {
      int kind = random.nextInt(20);
      if (kind < 7 || depth == 0 && kind < 14) {
        return new Write(random.nextInt(CELLS), random.nextInt(21) - 10);
      }
      if (kind < 9) {
        return stage > 0 ? new AddReceived(random.nextInt(CELLS))
            : new Write(random.nextInt(CELLS), 1);
      }
      if (kind < 15 && depth > 0) {
        if (random.nextInt(6) == 0) {
          int key = keys++;
          return new Send(random.nextInt(peers), chain(key, 1 + random.nextInt(3)), false, 0, key);
        }
        boolean oneway = random.nextInt(3) == 0;
        long cycles = random.nextInt(3) == 0 ? 1 + random.nextInt(50) : 0;
        return new Send(random.nextInt(peers), script(depth - 1, !oneway), oneway, cycles, -1);
      }
      if (kind < 17 && timers && depth > 0) {
        boolean recurring = random.nextInt(4) == 0;
        int cancelAt = random.nextInt(3) == 0 ? stage + 1 + random.nextInt(2) : -1;
        return new Timer(recurring ? 300 + random.nextInt(400) : 1 + random.nextInt(1_000),
            recurring, script(recurring ? 0 : depth - 1, false), cancelAt);
      }
      if (kind < 18) {
        return new Spawn(random.nextInt(1_000));
      }
      if (kind < 19) {
        return new Accept(random.nextInt(40));
      }
      return new Write(random.nextInt(CELLS), random.nextInt(5));
    }
  }

  // ---- the reference model

  /** A call's outcome: a value, or a reject code. */
  record Outcome(long value, int code) {
    static Outcome ok(long value) {
      return new Outcome(value, 0);
    }

    static Outcome rejected(int code) {
      return new Outcome(0, code);
    }

    @Override
    public String toString() {
      return code == 0 ? "reply " + value : "code " + code;
    }
  }

  /** What commits, computed from the rules alone. */
  static final class Model {
    final int peers;
    final long turnFee;
    final long messageFee;
    final long initial;
    final long[][] cells;
    final long[][] sent;
    final long[] turns;
    final long[] traps;
    final long[] balance;
    final List<Long> children = new ArrayList<>();
    final Map<Integer, List<Long>> firings = new HashMap<>();
    /** Timer jobs due: {at, actor, script} ordered by time. */
    private final PriorityQueue<Object[]> due =
        new PriorityQueue<>((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
    private long now;

    Model(int peers, long turnFee, long messageFee, long initial) {
      this.peers = peers;
      this.turnFee = turnFee;
      this.messageFee = messageFee;
      this.initial = initial;
      cells = new long[peers][CELLS];
      sent = new long[peers][peers];
      turns = new long[peers];
      traps = new long[peers];
      balance = new long[peers];
      Arrays.fill(balance, initial);
    }

    /** A turn's tentative effects. */
    private final class Turn {
      final int actor;
      /** The timers the message set in its committed turns, and whether each is cancelled. */
      final Map<Timer, AtomicBoolean> scheduled;
      final long[] writes = new long[CELLS];
      final List<Send> sends = new ArrayList<>();
      final List<Timer> timers = new ArrayList<>();
      final List<Timer> cancels = new ArrayList<>();
      final List<Long> spawns = new ArrayList<>();
      int queries;
      long accepted;

      Turn(int actor, Map<Timer, AtomicBoolean> scheduled) {
        this.actor = actor;
        this.scheduled = scheduled;
      }

      /** Commits: the writes, then the sends; returns the outcomes of the sends, in order. */
      List<Outcome> commit() {
        turns[actor]++;
        for (int c = 0; c < CELLS; c++) {
          cells[actor][c] += writes[c];
        }
        balance[actor] += accepted - turnFee - messageFee * (sends.size() + spawns.size()
            + queries);
        children.addAll(spawns);
        for (Timer t : timers) {
          AtomicBoolean cancelled = new AtomicBoolean();
          scheduled.put(t, cancelled);
          schedule(now, actor, t, cancelled);
        }
        for (Timer t : cancels) {
          AtomicBoolean cancelled = scheduled.get(t);
          if (cancelled != null) {
            cancelled.set(true);
          }
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Send s : sends) {
          sent[actor][s.target()]++;
          Delivered d = message(s.target(), s.script(), !s.oneway(), s.cycles());
          balance[actor] -= d.taken();
          outcomes.add(d.outcome());
        }
        return outcomes;
      }

      void trap() {
        turns[actor]++;
        traps[actor]++;
      }
    }

    private void schedule(long from, int actor, Timer t, AtomicBoolean cancelled) {
      due.add(new Object[] {from + t.delayMillis(), actor, t, cancelled});
    }

    /** The timers of {@code actor} still set (R25): recurring, or one-shot and not due yet. */
    long activeTimers(int actor) {
      return due.stream().filter(e -> (Integer) e[1] == actor
          && !((AtomicBoolean) e[3]).get()).count();
    }

    private record Delivered(Outcome outcome, long taken) {
    }

    /** A message to {@code actor}: runs its script, returns its outcome and the cycles it kept. */
    private Delivered message(int actor, Script script, boolean call, long attached) {
      long[] available = {attached};
      long[] taken = {0};
      Outcome o = runScript(actor, script, call, available, taken);
      return new Delivered(o, taken[0]);
    }

    private Outcome runScript(int actor, Script script, boolean call, long[] available,
        long[] taken) {
      Map<Timer, AtomicBoolean> scheduled = new IdentityHashMap<>();
      List<Timer> set = new ArrayList<>();
      Turn turn = new Turn(actor, scheduled);
      boolean first = true;
      long received = 0;
      Outcome lastAwaited = null;
      for (int i = 0; i < script.stages().size(); i++) {
        Stage stage = script.stages().get(i);
        for (Timer t : set) {
          if (t.cancelAt() == i) {
            turn.cancels.add(t);
          }
        }
        int firstCall = -1;
        for (Op op : stage.ops()) {
          if (op instanceof Write w) {
            turn.writes[w.cell()] += w.delta();
          } else if (op instanceof AddReceived a) {
            turn.writes[a.cell()] += received;
          } else if (op instanceof Send s) {
            if (!s.oneway() && firstCall < 0) {
              firstCall = turn.sends.size();
            }
            turn.sends.add(s);
          } else if (op instanceof Timer t) {
            turn.timers.add(t);
            set.add(t);
          } else if (op instanceof Spawn s) {
            turn.spawns.add(s.init());
          } else if (op instanceof Accept a) {
            long take = Math.min(Math.max(a.max(), 0), available[0]);
            available[0] -= take;
            turn.accepted += take;
          }
        }
        switch (stage.link()) {
          case AWAIT_CALL:
          case AWAIT_IF_READY_CALL: {
            long accepted = turn.accepted;
            Outcome awaited = turn.commit().get(firstCall);
            lastAwaited = awaited;
            taken[0] += accepted;
            if (first && !call) {
              available[0] = 0; // a oneway is finished when its first turn ends: the rest returns
            }
            first = false;
            turn = new Turn(actor, scheduled);
            if (awaited.code() == 0) {
              received = awaited.value();
            } else if (stage.catchErrors()) {
              received = -awaited.code();
            } else {
              // the error leaves the method from the continuation, which commits (R11, R12a)
              turn.commit();
              taken[0] += turn.accepted;
              return Outcome.rejected(4);
            }
            break;
          }
          case AWAIT_JUST:
          case AWAIT_QUERY: {
            if (stage.link() == Link.AWAIT_QUERY) {
              turn.queries++;
            }
            long accepted = turn.accepted;
            turn.commit();
            taken[0] += accepted;
            if (first && !call) {
              available[0] = 0; // a oneway is finished when its first turn ends: the rest returns
            }
            first = false;
            turn = new Turn(actor, scheduled);
            received = stage.link() == Link.AWAIT_JUST ? stage.value() : 0;
            break;
          }
          case AWAIT_IF_READY_JUST:
            received = stage.value();
            break;
          case AWAIT_AGAIN: {
            if (stage.value() % 2 == 1) {
              long accepted = turn.accepted;
              turn.commit();
              taken[0] += accepted;
              if (first && !call) {
                available[0] = 0;
              }
              first = false;
              turn = new Turn(actor, scheduled);
            }
            if (lastAwaited.code() == 0) {
              received = lastAwaited.value();
            } else if (stage.catchErrors()) {
              received = -lastAwaited.code();
            } else {
              turn.commit();
              taken[0] += turn.accepted;
              return Outcome.rejected(4);
            }
            break;
          }
          case AWAIT_KEPT:
            turn.trap(); // the await closes a cycle: a trap, at once (R13)
            return Outcome.rejected(5);
          case AWAIT_STAR:
            break;
          case AWAIT_STAR_TWICE:
            for (int twice = 0; twice < 2; twice++) {
              for (Op op : stage.ops()) {
                if (op instanceof Write w) {
                  turn.writes[w.cell()] += w.delta();
                } else if (op instanceof AddReceived a) {
                  turn.writes[a.cell()] += received;
                }
              }
            }
            break;
          default: {
            End end = stage.end();
            boolean traps = call ? end.traps() : end == End.TRAP || end == End.TRAP_CAUGHT;
            if (traps) {
              turn.trap();
              return Outcome.rejected(5);
            }
            long accepted = turn.accepted;
            turn.commit();
            taken[0] += accepted;
            return end == End.REPLY || end == End.TRAP_CAUGHT ? Outcome.ok(stage.value())
                : Outcome.rejected(4);
          }
        }
      }
      throw new AssertionError("a script ends with END");
    }

    /** An ingress call or oneway. */
    Outcome ingress(int actor, Script script, boolean call) {
      return message(actor, script, call, 0).outcome();
    }

    /** Fires the timers due up to {@code until} millis, in time order (R25). */
    void advanceTo(long until) {
      while (!due.isEmpty() && (Long) due.peek()[0] <= until) {
        Object[] next = due.poll();
        AtomicBoolean cancelled = (AtomicBoolean) next[3];
        if (cancelled.get()) {
          continue;
        }
        now = (Long) next[0];
        int actor = (Integer) next[1];
        Timer t = (Timer) next[2];
        firings.computeIfAbsent(actor, a -> new ArrayList<>()).add(now);
        if (t.recurring()) {
          schedule(now, actor, t, cancelled);
        }
        message(actor, t.script(), false, 0);
      }
      now = until;
    }
  }

  // ---- the runs

  /** One ingress message of a run. */
  record Ingress(int actor, Script script, boolean call) {
  }

  static List<Ingress> program(Generator g, int peers, int messages) {
    List<Ingress> out = new ArrayList<>();
    for (int m = 0; m < messages; m++) {
      boolean call = g.random.nextInt(4) != 0;
      out.add(new Ingress(g.random.nextInt(peers), g.script(3, call), call));
    }
    return out;
  }

  static final long TURN_FEE = 3;
  static final long MESSAGE_FEE = 2;
  static final long INITIAL = 1_000_000_000L;
  static final int PEERS = 6;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584,
      4181, 6765, 10946, 17711, 28657, 46368, 75025, 121393, 196418, 317811, 514229, 832040,
      1346269})
  @DisplayName("R4 R6-R16 R19 R22 R25 seeded random programs on seeded interleavings: what"
      + " commits, every reply and reject code, turns, traps, balances, timer firings and each"
      + " sender's numbered messages match a reference model of the rules")
  void randomProgramsMatchTheModel(long seed) {
    run(seed, DeterministicScheduler.withSeed(seed), true,
        "seed " + seed + " (replay: randomProgramsMatchTheModel(" + seed + "))");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 77, 777, 7777, 77777, 777777, 7777777, 77777777})
  @DisplayName("R4 R6-R16 R19 R22 seeded random programs on seeded interleavings where every turn"
      + " and task runs up to 20 ms late (no timers): what commits, every reply and reject code,"
      + " turns, traps, balances and each sender's numbered messages match the model")
  void randomProgramsWithRunDelaysMatchTheModel(long seed) {
    run(seed, DeterministicScheduler.withRunDelays(seed, Duration.ofMillis(20)), false,
        "seed " + seed + " with run delays (replay: randomProgramsWithRunDelaysMatchTheModel("
            + seed + "))");
  }

  /**
   * Runs the program of {@code seed} on {@code scheduler} and checks it against the model; with
   * {@code timers}, its timers too (only without run delays: the model sets them at time 0).
   */
  private static void run(long seed, DeterministicScheduler scheduler, boolean timers,
      String where) {
    World world = new World();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("random")
        .scheduler(scheduler).fees(TURN_FEE, MESSAGE_FEE).initialBalance(INITIAL).build())) {
      for (int p = 0; p < PEERS; p++) {
        int index = p;
        world.peers.add(system.spawn(Runner.class, () -> newPeer(world, index)));
      }
      Generator g = new Generator(seed, PEERS, timers, 0);
      List<Ingress> program = program(g, PEERS, 30);
      Model model = new Model(PEERS, TURN_FEE, MESSAGE_FEE, INITIAL);
      List<Outcome> expected = new ArrayList<>();
      List<List<Outcome>> seen = new ArrayList<>();
      long[] ingressSeq = new long[PEERS];
      for (Ingress in : program) {
        Outcome o = model.ingress(in.actor(), in.script(), in.call());
        long seq = ++ingressSeq[in.actor()];
        Runner to = world.peers.get(in.actor());
        if (in.call()) {
          expected.add(o);
          List<Outcome> signals = Collections.synchronizedList(new ArrayList<>());
          seen.add(signals);
          to.run(in.script(), "ingress", seq).subscribe(v -> signals.add(Outcome.ok(v)),
              e -> signals.add(Outcome.rejected(e instanceof CallError ce ? ce.code().code() : -1)),
              () -> { });
        } else {
          to.post(in.script(), "ingress", seq);
        }
      }
      if (timers) {
        scheduler.runUntilIdle();
      } else {
        scheduler.advanceTimeBy(Duration.ofHours(1)); // every delayed task has run
      }
      for (int i = 0; i < expected.size(); i++) {
        assertThat(seen.get(i)).as("%s: signals of ingress call %d", where, i)
            .containsExactly(expected.get(i));
      }
      long end = 5_000;
      scheduler.advanceTimeBy(Duration.ofMillis(end));
      model.advanceTo(end);
      check(system, world, model, Map.of("ingress", ingressSeq), where, timers);
    }
  }

  @Test
  @DisplayName("R2 R4 R6-R16 R19 R22 seeded random programs sent by 8 threads at once to actors on"
      + " the real pool while 2 threads query them: every reply and reject code, what commits,"
      + " turns, traps, balances and each sender's numbered messages match the model, whatever"
      + " the interleaving, and no query ever sees a turn's tentative state")
  void randomProgramsOnThePoolMatchTheModel() throws Exception {
    long seed = 20_260_601L;
    int threads = 8;
    World world = new World();
    try (ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().name("random-pool")
        .parallelism(4).fees(TURN_FEE, MESSAGE_FEE).initialBalance(INITIAL).build())) {
      for (int p = 0; p < PEERS; p++) {
        int index = p;
        world.peers.add(system.spawn(Runner.class, () -> newPeer(world, index)));
      }
      Model model = new Model(PEERS, TURN_FEE, MESSAGE_FEE, INITIAL);
      List<List<Ingress>> programs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        programs.add(program(new Generator(seed + t, PEERS, false, t * 1_000_000), PEERS, 40));
      }
      List<List<Outcome>> expected = new ArrayList<>();
      for (List<Ingress> program : programs) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Ingress in : program) {
          outcomes.add(model.ingress(in.actor(), in.script(), in.call()));
        }
        expected.add(outcomes);
      }
      String where = "seed " + seed + " on the pool";
      AtomicInteger finished = new AtomicInteger();
      AtomicInteger queries = new AtomicInteger();
      // the programs start once both query threads are in their loop, and each queries at least
      // once: on a busy machine the programs could otherwise all end before a query thread ran
      CountDownLatch querying = new CountDownLatch(2);
      long[][] ingress = new long[threads][PEERS];
      TestThreads.runAll(threads + 2, t -> {
        if (t >= threads) {
          querying.countDown();
          do {
            for (int p = 0; p < PEERS; p++) {
              Runner peer = world.peers.get(p);
              long imbalance = t == threads ? peer.imbalance().block()
                  : peer.imbalances((p + 1) % PEERS).block();
              queries.incrementAndGet();
              if (imbalance != 0) {
                world.violations.add("R19 an ingress "
                    + (t == threads ? "query" : "composite query") + " of "
                    + ActorRefs.idOf(peer) + " saw an imbalance: " + imbalance);
              }
            }
          } while (finished.get() < threads);
          return;
        }
        try {
          querying.await();
          List<Mono<Outcome>> calls = new ArrayList<>();
          List<Outcome> want = new ArrayList<>();
          for (int i = 0; i < programs.get(t).size(); i++) {
            Ingress in = programs.get(t).get(i);
            Runner to = world.peers.get(in.actor());
            long seq = ++ingress[t][in.actor()];
            if (in.call()) {
              calls.add(to.run(in.script(), "ingress-" + t, seq).map(Outcome::ok)
                  .onErrorResume(CallError.class, e -> Mono.just(Outcome.rejected(
                      e.code().code()))));
              want.add(expected.get(t).get(i));
            } else {
              to.post(in.script(), "ingress-" + t, seq);
            }
          }
          List<Outcome> got = Flux.mergeSequential(calls).collectList()
              .block(Duration.ofSeconds(30));
          assertThat(got).as("%s: replies and reject codes of thread %d", where, t)
              .isEqualTo(want);
        } finally {
          finished.incrementAndGet();
        }
      });
      assertThat(queries.get()).as("queries made while the programs ran").isPositive();
      // oneways may still run: wait until the actors ran every turn the model expects (30 s)
      long turns = Arrays.stream(model.turns).sum();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (system.actors().stream().mapToLong(ActorInfo::turns).sum() < turns
          && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      // and until the actors spawned, which are created in tasks of their own (R20), exist
      while ((system.queuedMessages() > 0 || system.busyActors() > 0
          || system.actorCount() < PEERS + model.children.size())
          && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      Map<String, long[]> senders = new HashMap<>();
      for (int t = 0; t < threads; t++) {
        senders.put("ingress-" + t, ingress[t]);
      }
      check(system, world, model, senders, where, false);
    }
  }

  static void check(ActorSystem system, World world, Model model, Map<String, long[]> ingress,
      String where, boolean timers) {
    assertThat(world.violations).as("%s: queries saw committed states only", where).isEmpty();
    for (int p = 0; p < PEERS; p++) {
      Runner peer = world.peers.get(p);
      String id = ActorRefs.idOf(peer).value();
      List<Long> snapshot = peer.snapshot().block();
      List<Long> cells = new ArrayList<>();
      for (long c : model.cells[p]) {
        cells.add(c);
      }
      assertThat(snapshot.subList(0, CELLS)).as("%s: committed cells of peer %d (%s)", where, p,
          id).isEqualTo(cells);
      assertThat(peer.imbalance().block()).as("%s: checksum of peer %d", where, p).isZero();
      for (int q = 0; q < PEERS; q++) {
        assertThat(snapshot.get(CELLS + q)).as("%s: messages peer %d sent peer %d", where, p, q)
            .isEqualTo(model.sent[p][q]);
        String sender = ActorRefs.idOf(world.peers.get(p)).value();
        List<Long> got = world.received.getOrDefault(ActorRefs.idOf(world.peers.get(q)).value(),
            Map.of()).getOrDefault(sender, List.of());
        List<Long> gapless = new ArrayList<>();
        for (long s = 1; s <= model.sent[p][q]; s++) {
          gapless.add(s);
        }
        assertThat(got).as("%s: R4 R10 messages from peer %d started by peer %d, in order",
            where, p, q).isEqualTo(gapless);
      }
      for (Map.Entry<String, long[]> sender : ingress.entrySet()) {
        List<Long> fromIngress = new ArrayList<>();
        for (long s = 1; s <= sender.getValue()[p]; s++) {
          fromIngress.add(s);
        }
        assertThat(world.received.getOrDefault(id, Map.of()).getOrDefault(sender.getKey(),
            List.of())).as("%s: R4 messages from %s started by peer %d, in order", where,
                sender.getKey(), p).isEqualTo(fromIngress);
      }
      ActorInfo info = system.actor(ActorRefs.idOf(peer)).orElseThrow();
      assertThat(info.traps()).as("%s: traps of peer %d", where, p).isEqualTo(model.traps[p]);
      assertThat(info.turns()).as("%s: turns of peer %d", where, p).isEqualTo(model.turns[p]);
      assertThat(info.balance()).as("%s: R22 balance of peer %d", where, p)
          .isEqualTo(model.balance[p]);
      assertThat(info.suspendedCalls()).as("%s: calls of peer %d left suspended", where, p)
          .isZero();
      assertThat(info.mailboxDepth()).as("%s: mailbox of peer %d", where, p).isZero();
      if (timers) {
        assertThat(info.timers()).as("%s: R25 timers of peer %d still set", where, p)
            .isEqualTo(model.activeTimers(p));
        assertThat(world.firings.getOrDefault(id, List.of())).as("%s: R25 timer firings of"
            + " peer %d (virtual millis)", where, p).containsExactlyInAnyOrderElementsOf(
                model.firings.getOrDefault(p, List.of()));
      }
    }
    List<Long> children = new ArrayList<>();
    Set<ActorId> peerIds = new HashSet<>();
    world.peers.forEach(peer -> peerIds.add(ActorRefs.idOf(peer)));
    for (ActorInfo info : system.actors()) {
      if (!peerIds.contains(info.id())) {
        children.add(system.lookup(Runner.class, info.id()).snapshot().block().get(0));
        assertThat(info.balance()).as("%s: a child's balance", where).isEqualTo(model.initial);
      }
    }
    assertThat(children).as("%s: R20 R10 actors spawned by committed turns", where)
        .containsExactlyInAnyOrderElementsOf(model.children);
  }
}

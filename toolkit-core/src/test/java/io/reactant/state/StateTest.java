package io.reactant.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorSystem;
import io.reactant.actor.ActorSystemConfig;
import io.reactant.actor.Query;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.scheduler.DeterministicScheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Var and TxMap: tentative writes, commit and rollback (rules R6, R12). */
class StateTest {

  private final DeterministicScheduler scheduler = DeterministicScheduler.create();
  private final ActorSystem system = ActorSystem.create(ActorSystemConfig.builder().scheduler(scheduler).build());

  @AfterEach
  void close() {
    system.close();
  }

  public interface Registry {
    Mono<Integer> register(String name, int score, boolean trap);

    Mono<Boolean> unregister(String name);

    Mono<Map<String, Integer>> leakSnapshot();

    Mono<Void> declareLate();

    @Query
    Mono<Map<String, Integer>> all();

    @Query
    Mono<Optional<Integer>> find(String name);

    @Query
    Mono<String> stats();
  }

  static class RegistryActor extends Actor implements Registry {
    private final TxMap<String, Integer> scores = newMap("scores");
    private final Var<Integer> writes = newVar("writes", 0);

    @Override
    public Mono<Integer> register(String name, int score, boolean trap) {
      scores.update(name, 0, s -> s + score);
      writes.update(w -> w + 1);
      if (trap) {
        return Mono.error(new IllegalStateException("boom"));
      }
      return Mono.just(scores.get(name));
    }

    @Override
    public Mono<Boolean> unregister(String name) {
      return Mono.just(scores.remove(name) != null);
    }

    @Override
    public Mono<Map<String, Integer>> leakSnapshot() {
      Map<String, Integer> before = scores.snapshot();
      scores.put("later", 1);
      return Mono.just(before);
    }

    @Override
    public Mono<Void> declareLate() {
      newVar("late", 1);
      return done();
    }

    @Override
    public Mono<Map<String, Integer>> all() {
      return Mono.just(scores.snapshot());
    }

    @Override
    public Mono<Optional<Integer>> find(String name) {
      return Mono.just(scores.find(name));
    }

    @Override
    public Mono<String> stats() {
      AtomicReference<Integer> sum = new AtomicReference<>(0);
      scores.forEach((k, v) -> sum.updateAndGet(s -> s + v));
      return Mono.just("size=" + scores.size() + " empty=" + scores.isEmpty() + " sum=" + sum.get()
          + " writes=" + writes.get() + " has(a)=" + scores.containsKey("a")
          + " default(z)=" + scores.getOrDefault("z", -1) + " names=" + writes.name() + "," + scores.name());
    }
  }

  @Test
  @DisplayName("R6 map and variable writes commit together with the turn")
  void writesCommitTogether() {
    Registry r = system.spawn(Registry.class, RegistryActor::new);
    assertThat(scheduler.await(r.register("a", 5, false))).isEqualTo(5);
    assertThat(scheduler.await(r.register("a", 2, false))).isEqualTo(7);
    assertThat(scheduler.await(r.register("b", 1, false))).isEqualTo(1);
    assertThat(r.all().block()).containsOnly(Map.entry("a", 7), Map.entry("b", 1));
    assertThat(r.find("a").block()).contains(7);
    assertThat(r.stats().block())
        .isEqualTo("size=2 empty=false sum=8 writes=3 has(a)=true default(z)=-1 names=writes,scores");
    assertThat(scheduler.await(r.unregister("a"))).isTrue();
    assertThat(scheduler.await(r.unregister("a"))).isFalse();
    assertThat(r.all().block()).containsOnlyKeys("b");
  }

  @Test
  @DisplayName("R12 a trap rolls back map and variable writes")
  void trapRollsBackMapWrites() {
    Registry r = system.spawn(Registry.class, RegistryActor::new);
    scheduler.await(r.register("a", 5, false));
    assertThatThrownBy(() -> scheduler.await(r.register("a", 100, true))).isInstanceOf(CallError.class);
    assertThatThrownBy(() -> scheduler.await(r.register("new", 1, true))).isInstanceOf(CallError.class);
    assertThat(r.all().block()).containsOnly(Map.entry("a", 5));
    assertThat(r.stats().block()).contains("writes=1");
  }

  /** A value whose {@code equals} compares its id only, as an entity's often does. */
  record Account(String id, long balance) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Account other && other.id.equals(id);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }
  }

  public interface Accounts {
    /** Puts {@code account} under its id; returns what the turn then reads back. */
    Mono<Account> put(Account account);

    @Query
    Mono<Account> get(String id);
  }

  static final class AccountsActor extends Actor implements Accounts {
    private final TxMap<String, Account> accounts = newMap("accounts");

    @Override
    public Mono<Account> put(Account account) {
      accounts.put(account.id(), account);
      return Mono.just(accounts.get(account.id()));
    }

    @Override
    public Mono<Account> get(String id) {
      return Mono.just(accounts.get(id));
    }
  }

  @Test
  @DisplayName("R6 a TxMap put replaces the value even when it equals the old one: the turn and later"
      + " queries read the very value put")
  void putReplacesAnEqualValue() {
    Accounts a = system.spawn(Accounts.class, AccountsActor::new);
    Account first = new Account("a", 100);
    Account second = new Account("a", 50);
    assertThat(scheduler.await(a.put(first))).isSameAs(first);
    assertThat(scheduler.await(a.put(second))).isSameAs(second);
    assertThat(a.get("a").block()).isSameAs(second).extracting(Account::balance).isEqualTo(50L);
  }

  public interface Ledger {
    Mono<Void> put(String key, long value);

    /**
     * Walks the map with forEach, doubling each value and adding a key per entry as it goes, and
     * traps after {@code trapAfter} entries (never if negative); returns the entries it walked.
     */
    Mono<Map<String, Long>> doubleWhileWalking(int trapAfter);

    Mono<Map<String, Long>> snapshot();

    @Query
    Mono<Map<String, Long>> committed();

    /** A query that reads the given map, as it would anything passed to it. */
    @Query
    Mono<Long> sumOf(Map<String, Long> map);

    /** A query that puts, removes and updates keys, then answers what it sees. */
    @Query
    Mono<Map<String, Long>> scribble();
  }

  static final class LedgerActor extends Actor implements Ledger {
    private final TxMap<String, Long> entries = newMap("entries");

    @Override
    public Mono<Void> put(String key, long value) {
      entries.put(key, value);
      return done();
    }

    @Override
    public Mono<Map<String, Long>> doubleWhileWalking(int trapAfter) {
      Map<String, Long> walked = new HashMap<>();
      entries.forEach((k, v) -> {
        if (walked.size() == trapAfter) {
          trap("trapped in the middle of forEach");
        }
        walked.put(k, v);
        entries.put(k, v * 2);
        entries.put(k + "'", v);
      });
      return Mono.just(walked);
    }

    @Override
    public Mono<Map<String, Long>> snapshot() {
      return Mono.just(entries.snapshot());
    }

    @Override
    public Mono<Map<String, Long>> committed() {
      return Mono.just(entries.snapshot());
    }

    @Override
    public Mono<Map<String, Long>> scribble() {
      entries.put("q", 1L);
      entries.remove("a");
      entries.update("b", 0L, v -> v + 100);
      return Mono.just(entries.snapshot());
    }

    @Override
    public Mono<Long> sumOf(Map<String, Long> map) {
      return Mono.just(map.values().stream().mapToLong(Long::longValue).sum());
    }
  }

  @Test
  @DisplayName("R6 R12 forEach walks the map as it was when it started, whatever the walk writes;"
      + " a trap in the middle of the walk rolls back every write it made")
  void forEachWalksTheVersionItStartedWithAndATrapMidWalkRollsBack() {
    Ledger l = system.spawn(Ledger.class, LedgerActor::new);
    Map<String, Long> start = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      scheduler.await(l.put("k" + i, i));
      start.put("k" + i, (long) i);
    }
    for (int trapAfter : new int[] {0, 1, 50, 99}) {
      assertThatThrownBy(() -> scheduler.await(l.doubleWhileWalking(trapAfter)))
          .isInstanceOfSatisfying(CallError.class, e -> {
            assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
            assertThat(e.rejectMessage()).contains("trapped in the middle of forEach");
          });
      assertThat(l.committed().block()).as("after a trap at entry %d", trapAfter)
          .isEqualTo(start);
    }
    assertThat(scheduler.await(l.doubleWhileWalking(-1))).isEqualTo(start);
    Map<String, Long> after = l.committed().block();
    assertThat(after).hasSize(200);
    start.forEach((k, v) -> {
      assertThat(after.get(k)).isEqualTo(2 * v);
      assertThat(after.get(k + "'")).isEqualTo(v);
    });
  }

  @Test
  @DisplayName("R19 a query reads its own TxMap writes, which are discarded when it ends")
  void aQuerysTxMapWritesAreDiscarded() {
    Ledger l = system.spawn(Ledger.class, LedgerActor::new);
    scheduler.await(l.put("a", 1));
    scheduler.await(l.put("b", 2));
    assertThat(l.scribble().block()).isEqualTo(Map.of("b", 102L, "q", 1L));
    assertThat(l.committed().block()).isEqualTo(Map.of("a", 1L, "b", 2L));
    assertThat(l.scribble().block()).isEqualTo(Map.of("b", 102L, "q", 1L));
  }

  @Test
  @DisplayName("R1 R19 a snapshot that escapes its turn is an immutable value: later turns, a query"
      + " and another thread read it unchanged, with no turn needed")
  void anEscapedSnapshotIsAnImmutableValue() throws Exception {
    Ledger l = system.spawn(Ledger.class, LedgerActor::new);
    scheduler.await(l.put("a", 1));
    scheduler.await(l.put("b", 2));
    Map<String, Long> escaped = scheduler.await(l.snapshot());
    scheduler.await(l.put("a", 10));
    scheduler.await(l.put("c", 3));
    scheduler.await(l.doubleWhileWalking(-1));

    assertThat(escaped).isEqualTo(Map.of("a", 1L, "b", 2L));
    assertThat(l.sumOf(escaped).block()).isEqualTo(3L);
    AtomicReference<Object> onAnotherThread = new AtomicReference<>();
    Thread reader = new Thread(() -> onAnotherThread.set(Map.copyOf(escaped)));
    reader.start();
    reader.join();
    assertThat(onAnotherThread.get()).isEqualTo(Map.of("a", 1L, "b", 2L));
    assertThatThrownBy(() -> escaped.keySet().iterator().remove())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> escaped.values().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> escaped.entrySet().iterator().next().setValue(0L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(l.committed().block()).containsOnlyKeys("a", "b", "c", "a'", "b'", "c'");
  }

  public interface Notes {
    /** Appends {@code note} to the list the cell holds, in place, then traps if asked. */
    Mono<Void> appendInPlace(String note, boolean trap);

    /** Replaces the cell's list by a copy with {@code note} appended, then traps if asked. */
    Mono<Void> append(String note, boolean trap);

    @Query
    Mono<List<String>> notes();
  }

  static final class NotesActor extends Actor implements Notes {
    private final Var<List<String>> notes = newVar("notes", new ArrayList<>());

    @Override
    public Mono<Void> appendInPlace(String note, boolean trap) {
      notes.get().add(note); // what the doc of Var says not to do
      return trap ? trap("after an in-place change") : done();
    }

    @Override
    public Mono<Void> append(String note, boolean trap) {
      List<String> next = new ArrayList<>(notes.get());
      next.add(note);
      notes.set(next);
      return trap ? trap("after a replacement") : done();
    }

    @Override
    public Mono<List<String>> notes() {
      return Mono.just(List.copyOf(notes.get()));
    }
  }

  @Test
  @DisplayName("R6 R12 a Var protects the reference it holds, not the object: a trap restores a"
      + " replaced list, not a list changed in place")
  void aVarProtectsItsReferenceNotTheObject() {
    Notes n = system.spawn(Notes.class, NotesActor::new);
    scheduler.await(n.append("a", false));
    assertThatThrownBy(() -> scheduler.await(n.append("rolled back", true)))
        .isInstanceOf(CallError.class);
    assertThat(n.notes().block()).containsExactly("a");
    assertThatThrownBy(() -> scheduler.await(n.appendInPlace("escaped", true)))
        .isInstanceOf(CallError.class);
    assertThat(n.notes().block()).as("the trap did not undo the in-place change")
        .containsExactly("a", "escaped");
  }

  public interface Bank {
    /**
     * Moves amounts between the 32 accounts, 64 times, with a temporary key put and removed among
     * the moves, counts the turn, then traps if asked.
     */
    Mono<Void> shuffle(long seed, boolean trap);

    /** The sum of the balances, the number of keys and the number of committed shuffles. */
    @Query
    Mono<long[]> audit();
  }

  static final class BankActor extends Actor implements Bank {
    static final int ACCOUNTS = 32;
    private final TxMap<Integer, Long> accounts = newMap("accounts");
    private final LongVar shuffles = newLongVar("shuffles", 0);

    BankActor() {
      for (int i = 0; i < ACCOUNTS; i++) {
        accounts.put(i, 1_000L);
      }
    }

    @Override
    public Mono<Void> shuffle(long seed, boolean trap) {
      Random random = new Random(seed);
      for (int i = 0; i < 64; i++) {
        int from = random.nextInt(ACCOUNTS);
        int to = random.nextInt(ACCOUNTS);
        long amount = random.nextInt(100);
        accounts.put(from, accounts.get(from) - amount);
        if (i == 32) {
          accounts.put(-1, amount); // never visible outside the turn
        }
        accounts.put(to, accounts.get(to) + amount);
      }
      accounts.remove(-1);
      shuffles.add(1);
      return trap ? trap("after the moves") : done();
    }

    @Override
    public Mono<long[]> audit() {
      long[] sum = {0};
      accounts.forEach((k, v) -> sum[0] += v);
      return Mono.just(new long[] {sum[0], accounts.size(), shuffles.get()});
    }
  }

  @Test
  @DisplayName("R19 R12 R2 under contention a query never sees a TxMap half-updated, tentative or"
      + " rolled back: 4 writers, 3 readers")
  void queriesNeverSeeATxMapHalfUpdated() throws Exception {
    try (ActorSystem real =
        ActorSystem.create(ActorSystemConfig.builder().parallelism(2).build())) {
      Bank bank = real.spawn(Bank.class, BankActor::new);
      long total = 1_000L * BankActor.ACCOUNTS;
      AtomicBoolean running =
          new AtomicBoolean(true);
      AtomicInteger wrong = new AtomicInteger();
      AtomicLong queries = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        Thread reader = new Thread(() -> {
          long last = 0;
          try {
            while (running.get() || queries.get() < 300) {
              long[] audit = bank.audit().block();
              if (audit[0] != total || audit[1] != BankActor.ACCOUNTS || audit[2] < last) {
                wrong.incrementAndGet();
              }
              last = audit[2];
              queries.incrementAndGet();
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        readers.add(reader);
        reader.start();
      }
      int writers = 4;
      int calls = 1_500;
      CyclicBarrier start = new CyclicBarrier(writers);
      AtomicLong committed = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        Thread writer = new Thread(() -> {
          try {
            start.await();
            Mono<Void> last = Mono.empty();
            for (int i = 0; i < calls; i++) {
              boolean trap = (i + id) % 4 == 0;
              Mono<Void> call = bank.shuffle(id * 1_000_003L + i, trap);
              if (trap) {
                call.subscribe(null, e -> { });
              } else {
                committed.incrementAndGet();
                last = call;
              }
            }
            last.block();
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        threads.add(writer);
        writer.start();
      }
      for (Thread writer : threads) {
        writer.join();
      }
      running.set(false);
      for (Thread reader : readers) {
        reader.join();
      }
      assertThat(failure.get()).isNull();
      assertThat(wrong).hasValue(0);
      assertThat(queries.get()).isGreaterThanOrEqualTo(300);
      // every writer awaited its last committing call (a trapping one still queued changes nothing)
      assertThat(bank.audit().block())
          .containsExactly(total, BankActor.ACCOUNTS, committed.get());
    }
  }

  @Test
  @DisplayName("a map snapshot is immutable and never changes afterwards")
  void snapshotsAreStable() {
    Registry r = system.spawn(Registry.class, RegistryActor::new);
    scheduler.await(r.register("a", 1, false));
    Map<String, Integer> snapshot = scheduler.await(r.leakSnapshot());
    assertThat(snapshot).containsOnlyKeys("a");
    assertThat(r.all().block()).containsOnlyKeys("a", "later");
    assertThatThrownBy(() -> snapshot.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("state is declared at construction only, with unique names")
  void stateIsDeclaredAtConstruction() {
    Registry r = system.spawn(Registry.class, RegistryActor::new);
    assertThatThrownBy(() -> scheduler.await(r.declareLate()))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.rejectMessage()).contains("is declared while the actor is constructed"));
    assertThatThrownBy(() -> system.spawn(Registry.class, DuplicateNames::new))
        .isInstanceOfSatisfying(CallError.class,
            e -> assertThat(e.rejectMessage()).contains("already declares a state cell named 'scores'"));
  }

  @Test
  @DisplayName("R1 the state machinery is closed to an actor's code: the public State.of, and the"
      + " protected constructors of internal.Slot, take the actor's internal cell, which its code"
      + " cannot obtain (only Actor gets the binder of new instances to their actors)")
  void anActorCannotObtainItsInternalCell() {
    assertThatThrownBy(() -> system.spawn(Registry.class, CellSeeker::new))
        .isInstanceOfSatisfying(CallError.class, e -> {
          assertThat(e.code()).isEqualTo(RejectCode.CANISTER_ERROR);
          assertThat(e.rejectMessage()).contains("IllegalCallerException");
        });
    assertThatThrownBy(() -> io.reactant.internal.ActorCell.actors(actor -> null))
        .isInstanceOf(IllegalCallerException.class);
    assertThat(system.actorCount()).isZero();
  }

  static final class CellSeeker extends RegistryActor {
    private final State state =
        State.of(io.reactant.internal.ActorCell.actors(actor -> null).bind(this));
  }

  static final class DuplicateNames extends Actor implements Registry {
    private final TxMap<String, Integer> scores = newMap("scores");
    private final Var<Integer> again = newVar("scores", 0);

    @Override
    public Mono<Integer> register(String name, int score, boolean trap) {
      return Mono.just(again.get() + scores.size());
    }

    @Override
    public Mono<Boolean> unregister(String name) {
      return Mono.just(false);
    }

    @Override
    public Mono<Map<String, Integer>> leakSnapshot() {
      return Mono.empty();
    }

    @Override
    public Mono<Void> declareLate() {
      return done();
    }

    @Override
    public Mono<Map<String, Integer>> all() {
      return Mono.empty();
    }

    @Override
    public Mono<Optional<Integer>> find(String name) {
      return Mono.empty();
    }

    @Override
    public Mono<String> stats() {
      return Mono.empty();
    }
  }
}

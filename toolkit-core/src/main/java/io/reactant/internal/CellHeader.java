package io.reactant.internal;

import io.reactant.actor.ActorId;
import io.reactant.actor.Caller;
import io.reactant.actor.IngressMessage;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What an actor's cell holds between its inbox and everything else: the fields that senders read
 * and turns never touch, and padding, so that the inbox, which every sender updates, shares its
 * 64-byte cache line with no field the executing thread writes or reads at every turn, wherever the
 * collector places the cell. The JVM lays out a class's fields after its superclass's: the inbox
 * (the last field of {@link Mailbox}) is at offset 20 with compressed class pointers, these fields
 * end at offset 80, and an 8-byte-aligned object's field at 80 or more never shares a line with
 * one at 20 ({@code CellLayoutTest} checks it). Without it, a sender's compare-and-set and the
 * executing thread's stores contend for one line whenever the cell lands where they share it: the
 * fire-and-forget rows to one actor then ran at ~7 M messages/s instead of ~11 M (the twenty-first
 * session in docs/benchmarks-history.md).
 */
@SuppressWarnings("serial")
abstract class CellHeader extends Mailbox {

  final ActorId id;
  final Class<?> type;
  final Caller creator;
  /** The mailbox's bound, 0 for none; written before the cell is registered, read by senders. */
  int capacity;
  /**
   * Whether the actor has stopped (its system shut down): a sender that finds it set looks the
   * actor up again instead of queuing to it. Set once; read by senders at every call. The
   * executing thread checks its own copy ({@code ActorCell.abandonQueued}), kept on the lines it
   * writes: in some placements this field shares the inbox's line, which senders keep writing.
   */
  volatile boolean stopped;
  /**
   * The actor's ingress inspection hook (rule R26), or null: installed while the actor is
   * constructed, before it is registered, and read by senders at every ingress call.
   */
  @Nullable Predicate<IngressMessage> inspector;
  @SuppressWarnings("unused")
  private long pad0;
  @SuppressWarnings("unused")
  private long pad1;
  @SuppressWarnings("unused")
  private long pad2;
  @SuppressWarnings("unused")
  private long pad3;
  @SuppressWarnings("unused")
  private short pad4;
  @SuppressWarnings("unused")
  private byte pad5;

  CellHeader(ActorId id, Class<?> type, Caller creator, int capacity) {
    this.id = id;
    this.type = type;
    this.creator = creator;
    this.capacity = capacity;
  }
}

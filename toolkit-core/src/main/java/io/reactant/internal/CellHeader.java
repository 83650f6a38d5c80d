package io.reactant.internal;

import io.reactant.actor.ActorId;
import io.reactant.actor.Caller;

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
  @SuppressWarnings("unused")
  private long pad0;
  @SuppressWarnings("unused")
  private long pad1;
  @SuppressWarnings("unused")
  private long pad2;
  @SuppressWarnings("unused")
  private long pad3;
  @SuppressWarnings("unused")
  private long pad4;

  CellHeader(ActorId id, Class<?> type, Caller creator, int capacity) {
    this.id = id;
    this.type = type;
    this.creator = creator;
    this.capacity = capacity;
  }
}

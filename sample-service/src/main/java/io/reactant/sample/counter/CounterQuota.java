package io.reactant.sample.counter;

import io.reactant.actor.ActorId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The counters that clients may create: at most {@code sample.counters.max} ids, admitted once
 * each, whichever path (the controller, the generic endpoint) asks first. An admitted id stays
 * admitted, as a counter is never removed; one whose activation then failed (the actor system
 * full or shut down) keeps its slot, so the number of counters never exceeds the bound. Thread-safe:
 * the admission of an id already admitted takes no lock; that of a new one takes the quota's.
 */
@Component
final class CounterQuota {

  private final int max;
  private final Set<ActorId> admitted = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();

  CounterQuota(CounterProperties properties) {
    this.max = properties.max();
  }

  /** Whether the id is admitted already. */
  boolean holds(ActorId id) {
    return admitted.contains(id);
  }

  /** Admits the id if it is admitted already or the bound leaves room for it; answers whether. */
  boolean admit(ActorId id) {
    if (admitted.contains(id)) {
      return true;
    }
    synchronized (lock) {
      if (admitted.contains(id)) {
        return true;
      }
      if (admitted.size() >= max) {
        return false;
      }
      admitted.add(id);
      return true;
    }
  }

  /** The refusal of a new counter once the bound is reached. */
  String fullMessage() {
    return "The sample holds " + max + " counters, the most clients may create"
        + " (sample.counters.max): bump one of those";
  }
}

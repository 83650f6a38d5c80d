package io.reactant.sample.counter;

import io.reactant.actor.ActorId;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.sample.web.Requests;
import io.reactant.spring.boot.ActorDirectory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/counters/{name}}: bump a counter, or read it (a query). The name is checked
 * ({@link CounterNames}: 400 saying what a name may hold) and its counter is the actor
 * {@value CounterNames#ID_PREFIX} + name, so no name reaches another type's actor. A bump that
 * would create a counter past {@code sample.counters.max} answers 503 (code 2, as a call past
 * {@code reactant.max-actors} does) and creates nothing; a read creates nothing, so it is not
 * bounded.
 */
@RestController
@RequestMapping(path = "/api/counters/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
class CounterController {

  private final ActorDirectory actors;
  private final CounterQuota quota;

  CounterController(ActorDirectory actors, CounterQuota quota) {
    this.actors = actors;
    this.quota = quota;
  }

  @PostMapping("/bump")
  Mono<CounterValue> bump(@PathVariable String name) {
    ActorId id = idOf(name);
    if (!quota.admit(id)) {
      return Mono.error(new CallError(RejectCode.SYS_TRANSIENT, quota.fullMessage()));
    }
    return actors.get(Counter.class, id).bump().map(CounterValue::new);
  }

  @GetMapping
  Mono<CounterValue> read(@PathVariable String name) {
    return actors.get(Counter.class, idOf(name)).read().map(CounterValue::new);
  }

  private static ActorId idOf(String name) {
    String problem = CounterNames.problem(name);
    if (problem != null) {
      throw Requests.badRequest(problem);
    }
    return ActorId.of(CounterNames.ID_PREFIX + name);
  }

  /** The value of a counter. */
  record CounterValue(long value) {
  }
}

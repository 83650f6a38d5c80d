package io.reactant.sample.counter;

import io.reactant.sample.web.Requests;
import io.reactant.spring.boot.ActorDirectory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/counters/{name}}: bump a counter, or read it (a query). */
@RestController
@RequestMapping(path = "/api/counters/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
class CounterController {

  private static final int MAX_NAME_LENGTH = 64;

  private final ActorDirectory actors;

  CounterController(ActorDirectory actors) {
    this.actors = actors;
  }

  @PostMapping("/bump")
  Mono<CounterValue> bump(@PathVariable String name) {
    return counter(name).bump().map(CounterValue::new);
  }

  @GetMapping
  Mono<CounterValue> read(@PathVariable String name) {
    return counter(name).read().map(CounterValue::new);
  }

  /** Counters are virtual: a name is checked before it can create one. */
  private Counter counter(String name) {
    return actors.get(Counter.class, Requests.requireText(name, "name", MAX_NAME_LENGTH));
  }

  /** The value of a counter. */
  record CounterValue(long value) {
  }
}

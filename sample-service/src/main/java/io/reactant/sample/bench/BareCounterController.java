package io.reactant.sample.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The baseline of the HTTP benchmark (workload 7 of {@code docs/benchmarks.md}): the same work as
 * {@code POST /api/counters/{name}/bump}, a named counter bumped and its value answered as
 * {@code {"value": n}}, but on a plain concurrent map instead of an actor, and without the
 * controller's check of the name and bound on new counters (a set lookup once a name is known).
 * Off unless
 * {@code sample.bench.bare-endpoint=true}: production never exposes it.
 */
@RestController
@RequestMapping(path = "/bench/bare/counters/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
@ConditionalOnProperty(name = "sample.bench.bare-endpoint", havingValue = "true")
class BareCounterController {

  private final ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();

  @PostMapping("/bump")
  Mono<CounterValue> bump(@PathVariable String name) {
    return Mono.just(new CounterValue(counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet()));
  }

  /** The value of a counter, as the sample's counter endpoint answers it. */
  record CounterValue(long value) {
  }
}

package io.reactant.sample.atomicity;

import io.reactant.sample.atomicity.Atomicity.AtomicityState;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/atomicity}: run the atomic or the non-atomic method (both trap: 500 with code 5),
 * then read what stayed.
 */
@RestController
@RequestMapping(path = "/api/atomicity", produces = MediaType.APPLICATION_JSON_VALUE)
class AtomicityController {

  private final Atomicity atomicity;

  AtomicityController(Atomicity atomicity) {
    this.atomicity = atomicity;
  }

  @PostMapping("/atomic")
  Mono<Void> atomic() {
    return atomicity.atomic();
  }

  @PostMapping("/non-atomic")
  Mono<Void> nonAtomic() {
    return atomicity.nonAtomic();
  }

  @PostMapping("/reset")
  Mono<AtomicityState> reset() {
    return atomicity.reset();
  }

  @GetMapping
  Mono<AtomicityState> read() {
    return atomicity.read();
  }
}

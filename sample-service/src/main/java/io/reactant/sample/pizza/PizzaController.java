package io.reactant.sample.pizza;

import io.reactant.sample.web.Names;
import io.reactant.sample.web.Requests;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/pizza}: place orders, make pizzas, list the orders waiting. */
@RestController
@RequestMapping(path = "/api/pizza", produces = MediaType.APPLICATION_JSON_VALUE)
class PizzaController {

  private final PizzaParlor parlor;

  PizzaController(PizzaParlor parlor) {
    this.parlor = parlor;
  }

  @PostMapping("/orders")
  Mono<Message> placeOrder(@RequestBody OrderRequest request) {
    String order = Requests.requireText(request.order(), "order",
        PizzaParlor.MAX_ORDER_LENGTH);
    String forbidden = Names.forbiddenCharacter(order);
    if (forbidden != null) {
      throw Requests.badRequest("'order' may not hold " + forbidden);
    }
    return parlor.placeOrder(order).map(Message::new);
  }

  @PostMapping("/make")
  Mono<Message> makePizza() {
    return parlor.makePizza().map(Message::new);
  }

  @GetMapping("/orders")
  Mono<Orders> orders() {
    return parlor.getOrders().map(Orders::new);
  }

  /** An order: the pizza's name. */
  record OrderRequest(@Nullable String order) {
  }

  /** What the parlour answered. */
  record Message(String message) {
  }

  /** The orders waiting, oldest first. */
  record Orders(List<String> orders) {
  }
}

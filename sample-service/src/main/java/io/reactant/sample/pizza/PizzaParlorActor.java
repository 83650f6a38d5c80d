package io.reactant.sample.pizza;

import io.reactant.actor.Actor;
import io.reactant.sample.web.Names;
import io.reactant.spring.boot.ActorBean;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The one pizza parlour of the service. Unlike the seed, which removes every order equal to the
 * one it makes (its own TODO), it makes the oldest order only: two Margheritas ordered are two
 * pizzas made. It refuses blank and overlong orders, orders with a control or invisible character
 * (which it would echo in its answers), and new ones while its queue is full, so no caller can grow
 * its state without bound.
 */
@ActorBean
final class PizzaParlorActor extends Actor implements PizzaParlor {

  private final Var<List<String>> orders = newVar("orders", List.of());

  @Override
  public Mono<String> placeOrder(String order) {
    // the parlour keeps its own rules: the generic endpoint /actors/PizzaParlor/... reaches it
    // without the controller's checks
    if (order.isBlank()) {
      return reject("an order must name a pizza");
    }
    int length = order.codePointCount(0, order.length()); // characters, not UTF-16 units
    if (length > MAX_ORDER_LENGTH) {
      return reject("an order is at most " + MAX_ORDER_LENGTH + " characters, this one has "
          + length);
    }
    String forbidden = Names.forbiddenCharacter(order);
    if (forbidden != null) {
      return reject("an order may not hold " + forbidden);
    }
    List<String> waiting = orders.get();
    if (waiting.size() >= MAX_WAITING_ORDERS) {
      return reject(waiting.size() + " orders are waiting already; order again once some are made");
    }
    List<String> next = new ArrayList<>(waiting);
    next.add(order);
    orders.set(List.copyOf(next));
    return Mono.just("Order received: " + order);
  }

  @Override
  public Mono<String> makePizza() {
    List<String> waiting = orders.get();
    if (waiting.isEmpty()) {
      return Mono.just("No orders to make.");
    }
    orders.set(List.copyOf(waiting.subList(1, waiting.size())));
    return Mono.just("Made a delicious " + waiting.get(0) + " pizza!");
  }

  @Override
  public Mono<List<String>> getOrders() {
    return Mono.just(orders.get());
  }
}

package io.reactant.sample.pizza;

import io.reactant.actor.Actor;
import io.reactant.spring.boot.ActorBean;
import io.reactant.state.Var;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The one pizza parlour of the service. Unlike the seed, which removes every order equal to the
 * one it makes (its own TODO), it makes the oldest order only: two Margheritas ordered are two
 * pizzas made.
 */
@ActorBean
final class PizzaParlorActor extends Actor implements PizzaParlor {

  private final Var<List<String>> orders = newVar("orders", List.of());

  @Override
  public Mono<String> placeOrder(String order) {
    List<String> next = new ArrayList<>(orders.get());
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

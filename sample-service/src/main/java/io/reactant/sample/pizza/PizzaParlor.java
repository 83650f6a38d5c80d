package io.reactant.sample.pizza;

import io.reactant.actor.Query;
import java.util.List;
import reactor.core.publisher.Mono;

/** A pizza parlour: customers place orders, the chef makes one pizza at a time. */
public interface PizzaParlor {

  /** Queues an order; answers {@code "Order received: <order>"}. */
  Mono<String> placeOrder(String order);

  /**
   * Makes the oldest pizza; answers {@code "Made a delicious <order> pizza!"}, or
   * {@code "No orders to make."}.
   */
  Mono<String> makePizza();

  /** The orders waiting, oldest first. */
  @Query
  Mono<List<String>> getOrders();
}
